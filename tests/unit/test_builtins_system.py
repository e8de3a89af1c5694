"""Environment, arguments, time and process builtins."""

import time

from ruff.runtime.builtins import system
from kit import FakeRuntime, call, raises


def test_env_family(monkeypatch):
    monkeypatch.delenv("RUFF_T_MISSING", raising=False)
    assert call("env_set", "RUFF_T_VAR", "hello") is None
    assert call("env", "RUFF_T_VAR") == "hello"
    assert call("env", "RUFF_T_MISSING") == ""
    assert call("env_or", "RUFF_T_VAR", "d") == "hello"
    assert call("env_or", "RUFF_T_MISSING", "default_value") == "default_value"
    monkeypatch.setenv("RUFF_T_PORT", "8080")
    assert call("env_int", "RUFF_T_PORT") == 8080
    monkeypatch.setenv("RUFF_T_F", "30.5")
    assert call("env_float", "RUFF_T_F") == 30.5
    for text, expected in [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("RUFF_T_B", text)
        assert call("env_bool", "RUFF_T_B") is expected
    assert call("env_required", "RUFF_T_VAR") == "hello"
    env = call("env_list")
    assert env["RUFF_T_VAR"] == "hello" and call("has_key", env, "RUFF_T_PORT") == 1
    assert call("os_environ")["RUFF_T_PORT"] == "8080"


def test_env_errors(monkeypatch):
    monkeypatch.delenv("RUFF_T_MISSING", raising=False)
    monkeypatch.setenv("RUFF_T_BAD", "not_a_number")
    assert raises("env_int", "RUFF_T_BAD") == \
        "Environment variable 'RUFF_T_BAD' value 'not_a_number' is not a valid integer"
    raises("env_int", "RUFF_T_MISSING", match="Environment variable 'RUFF_T_MISSING' not found")
    raises("env_float", "RUFF_T_BAD", match="is not a valid float")
    raises("env_float", "RUFF_T_MISSING", match="not found")
    raises("env_bool", "RUFF_T_BAD", match="is not a valid bool")
    raises("env_bool", "RUFF_T_MISSING", match="not found")
    assert raises("env_required", "RUFF_T_MISSING") == "Required environment variable 'RUFF_T_MISSING' is not set"
    raises("env", 1, match="env() expects a variable name, got int")
    raises("env_or", "A", match="env_or() expects 2 arguments, got 1")
    raises("env_set", "A=B", "x", match="env_set(): invalid environment variable name")
    raises("env_set", "A", 1, match="env_set() expects a string value, got int")
    raises("env_list", 1, match="env_list() expects 0 arguments, got 1")
    raises("os_environ", 1, match="expects 0 arguments, got 1")


def test_args():
    assert call("args", rt=FakeRuntime(script_args=("summarize", "--format", "json"))) == ["summarize", "--format", "json"]
    assert call("args") == []
    raises("args", 1, match="args() expects 0 arguments, got 1")


def test_clocks():
    now = call("now")
    assert type(now) is float and now == int(now) and abs(now - time.time()) < 5
    assert type(call("now_unix")) is int and type(call("now_utc_seconds")) is int
    assert len(call("now_utc")) == 20 and call("now_utc").endswith("Z")
    ms = call("current_timestamp")
    assert type(ms) is int and abs(ms / 1000 - time.time()) < 5
    assert type(call("time")) is int
    a = call("performance_now")
    b = call("performance_now")
    assert type(a) is float and 0 <= a <= b
    us, ns = call("time_us"), call("time_ns")
    assert type(us) is float and type(ns) is float and us == int(us) and ns >= us
    for name in ("now", "now_unix", "now_utc", "current_timestamp", "performance_now", "time_us", "time_ns"):
        raises(name, 1, match=f"{name}() expects 0 arguments, got 1")
    raises("time", 1, match="expects 0 arguments")
    raises("now_utc_seconds", 1, match="expects 0 arguments")


def test_sleep():
    start = time.perf_counter()
    assert call("sleep", 20) == 0
    assert time.perf_counter() - start >= 0.015
    raises("sleep", -1, match="sleep() requires non-negative milliseconds")
    raises("sleep", "1", match="sleep() expects a number of milliseconds, got string")


def test_durations_and_dates():
    assert call("format_duration", 1234.5) == "1.23s"
    assert call("format_duration", 456.789) == "456.79ms"
    assert call("format_duration", 0.5) == "500.00\u03bcs"
    assert call("format_duration", 0.0005) == "500ns"
    assert call("elapsed", 100, 350.5) == 250.5
    assert call("format_date", 1640995200.0, "YYYY-MM-DD") == "2022-01-01"
    assert call("format_date", 1640995200 + 3723, "YYYY-MM-DD HH:mm:ss") == "2022-01-01 01:02:03"
    assert call("format_date", float("nan"), "YYYY") == "Invalid timestamp: value must be a finite number"
    assert call("format_date", 1e300, "YYYY") == "Invalid timestamp: value is out of supported range"
    ts = call("parse_date", "2026-01-23", "YYYY-MM-DD")
    assert type(ts) is float and call("format_date", ts, "YYYY-MM-DD") == "2026-01-23"
    raises("parse_date", "2026-13-01", "YYYY-MM-DD", match="parse_date failed: '2026-13-01' does not match")
    raises("parse_date", "2026", "YYYY", match="parse_date failed: unsupported format 'YYYY'")
    raises("format_duration", "x", match="format_duration() expects a number of milliseconds")
    raises("elapsed", 1, match="elapsed() expects 2 arguments, got 1")
    raises("format_date", 1, 2, match="format_date() expects a format string, got int")


def test_processes():
    assert call("execute", "echo Hello from Ruff") == "Hello from Ruff\n"
    raises("execute", "exit 3", match="execute() command failed with exit code 3")
    raises("execute", "  ", match="execute(): command must not be empty")
    raises("execute", "sleep 5", {"timeout_ms": 50}, match="execute() timed out after 50ms")
    r = call("execute_status", "echo out; echo err >&2; exit 2")
    assert r == {"exitcode": 2, "stdout": "out\n", "stderr": "err\n", "success": False, "timed_out": False,
                 "stdout_truncated": False, "stderr_truncated": False}
    p = call("spawn_process", ["echo", "Hello from spawned process"])
    assert p["exitcode"] == 0 and p["success"] is True and p["stdout"] == "Hello from spawned process\n"
    raises("spawn_process", ["nonexistent_command_xyz"], match="Failed to spawn process 'nonexistent_command_xyz'")
    raises("spawn_process", [], match="spawn_process() expects a non-empty array of string arguments")
    raises("execute_status", 5, match="execute_status() expects a string command, got int")
    raises("execute", "echo", 5, match="execute() expects an options dict, got int")
    r = call("execute_status", "printf 0123456789", {"max_output_bytes": 4})
    assert r["stdout"] == "0123" and r["stdout_truncated"] is True and r["stderr_truncated"] is False
    r = call("spawn_process", ["sh", "-c", "echo $A-$B"], {"env": {"A": "1"}, "env_allow": ["NOPE_NOT_SET"]})
    assert r["stdout"] == "1-\n"
    raises("spawn_process", ["true"], {"timeout_ms": 0}, match="timeout_ms must be a positive number")
    raises("spawn_process", ["true"], {"max_output_bytes": 1 << 30},
           match="max_output_bytes exceeds the maximum supported size (16777216)")
    raises("spawn_process", ["true"], {"inherit_env": 1}, match="inherit_env must be a boolean")
    raises("spawn_process", ["true"], {"env_deny": "PATH"}, match="env_deny must be an array of strings, got string")
    raises("spawn_process", ["true"], {"env": {"A": 1}}, match="env must contain only string values")
    raises("spawn_process", ["true"], {"cwd": "/"},
           match="unsupported process option 'cwd'; supported options are timeout_ms, max_output_bytes")


def test_pipe_commands():
    assert call("pipe_commands", [["printf", "b\na\nc\n"], ["sort"], ["head", "-n", "2"]]) == "a\nb\n"
    assert call("pipe_commands", [["sh", "-c", "echo $ONLY"]], {"env": {"ONLY": "x"}, "inherit_env": False}) == "x\n"
    assert call("pipe_commands", [["true"]]) == ""
    raises("pipe_commands", [["sh", "-c", "echo oops >&2; exit 3"], ["cat"]],
           match="Command 'sh -c echo oops >&2; exit 3' failed with exit code 3: oops")
    raises("pipe_commands", [["sleep", "5"]], {"timeout_ms": 50}, match="Command 'sleep 5' timed out after 50ms")
    raises("pipe_commands", [["head", "-c", "64", "/dev/zero"]], {"max_output_bytes": 8},
           match="Command 'head -c 64 /dev/zero' output exceeded max_output_bytes (8)")
    raises("pipe_commands", [["no_such_command_xyz", "a"]],
           match="Failed to spawn process 'no_such_command_xyz a': No such file or directory (os error 2)")
    raises("pipe_commands", [["printf", "\\377"]], match="Failed to decode output as UTF-8: invalid utf-8 sequence")
    raises("pipe_commands", match="pipe_commands requires an array of command arrays and optional options")
    raises("pipe_commands", "ls", match="pipe_commands requires an array of command arrays")
    raises("pipe_commands", [], match="pipe_commands requires a non-empty array of commands")
    raises("pipe_commands", [["a"], "b"], match="pipe_commands requires an array of command arrays")
    raises("pipe_commands", [["a", 1]], match="Each command must be an array of strings")
    raises("pipe_commands", [[]], match="Each command array must not be empty")


def test_every_system_builtin_is_tested():
    assert set(system.reg.functions) == {
        "env", "env_or", "env_int", "env_float", "env_bool", "env_required", "env_set", "env_list",
        "os_environ", "args", "now", "now_unix", "now_utc_seconds", "now_utc", "current_timestamp", "time",
        "performance_now", "time_us", "time_ns", "sleep", "format_duration", "elapsed", "format_date",
        "parse_date", "execute", "execute_status", "spawn_process", "pipe_commands"}
