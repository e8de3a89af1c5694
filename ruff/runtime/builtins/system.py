"""Environment, arguments, time and processes.

env(name) is "" for an unset variable (env_or gives a default, env_required fails); args() is the
script's own arguments (after the script path); now() is Unix time in whole seconds, as a float
(the reference's `timestamp() as f64`; use performance_now() for timing);
current_timestamp()/time() are Unix milliseconds (int); performance_now() is milliseconds (float)
since this module loaded, i.e. the first clock call, as the reference's OnceLock start;
time_us()/time_ns() are micro/nanoseconds on the same clock (whole floats);
sleep(ms) pauses. execute(cmd) runs a shell command and returns its stdout (failing on a non-zero
exit); execute_status(cmd)/spawn_process([argv...]) return a dict with exitcode, stdout, stderr,
success, timed_out, stdout_truncated, stderr_truncated; pipe_commands([[argv...], ...]) runs a pipeline
and returns the last command's stdout. All take the reference's options dict: timeout_ms (30000),
max_output_bytes per stream (1 MiB, at most 16 MiB), inherit_env, env_allow, env_deny, env.
"""

from __future__ import annotations

import os
import time as _time
from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.runtime.dict_keys import from_text_pairs, text_items
from ruff.runtime.values import RuffError, format_float
from ruff.runtime.builtins._util import (
    Registry, as_list, check_arity, check_arity_range, num_arg, rust_error_text, str_arg,
    type_error, type_name_of,
)

reg = Registry()

_START_NS = _time.perf_counter_ns()


# ----------------------------------------------------------------------------- environment


@reg("env")
def env(rt: Any, args: list) -> str:
    check_arity("env", args, 1)
    return os.environ.get(str_arg("env", args[0], "a variable name"), "")


@reg("env_or")
def env_or(rt: Any, args: list) -> Any:
    check_arity("env_or", args, 2)
    name = str_arg("env_or", args[0], "a variable name")
    v = os.environ.get(name)
    return args[1] if v is None else v


@reg("env_int")
def env_int(rt: Any, args: list) -> int:
    from ruff.runtime.builtins.core import parse_int_text

    check_arity("env_int", args, 1)
    name = str_arg("env_int", args[0], "a variable name")
    v = os.environ.get(name)
    if v is None:
        raise RuffError(f"Environment variable '{name}' not found")
    n = parse_int_text(v)
    if n is None or v != v.strip():
        raise RuffError(f"Environment variable '{name}' value '{v}' is not a valid integer")
    return n


@reg("env_float")
def env_float(rt: Any, args: list) -> float:
    from ruff.runtime.builtins.core import parse_float_text

    check_arity("env_float", args, 1)
    name = str_arg("env_float", args[0], "a variable name")
    v = os.environ.get(name)
    if v is None:
        raise RuffError(f"Environment variable '{name}' not found")
    f = parse_float_text(v)
    if f is None or v != v.strip():
        raise RuffError(f"Environment variable '{name}' value '{v}' is not a valid float")
    return f


@reg("env_bool")
def env_bool(rt: Any, args: list) -> bool:
    check_arity("env_bool", args, 1)
    name = str_arg("env_bool", args[0], "a variable name")
    v = os.environ.get(name)
    if v is None:
        raise RuffError(f"Environment variable '{name}' not found")
    low = v.lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    raise RuffError(f"Environment variable '{name}' value '{v}' is not a valid bool")


@reg("env_required")
def env_required(rt: Any, args: list) -> str:
    check_arity("env_required", args, 1)
    name = str_arg("env_required", args[0], "a variable name")
    v = os.environ.get(name)
    if v is None:
        raise RuffError(f"Required environment variable '{name}' is not set")
    return v


@reg("env_set")
def env_set(rt: Any, args: list) -> None:
    check_arity("env_set", args, 2)
    name = str_arg("env_set", args[0], "a variable name")
    value = str_arg("env_set", args[1], "a string value")
    if not name or "=" in name or "\0" in name or "\0" in value:
        raise RuffError(f"env_set(): invalid environment variable name or value: '{name}'")
    os.environ[name] = value
    return None


@reg("env_list", "os_environ")
def env_list(rt: Any, args: list) -> dict:
    check_arity("env_list", args, 0)
    return from_text_pairs(os.environ.items())


@reg("args")
def args_(rt: Any, args: list) -> list:
    check_arity("args", args, 0)
    return [str(a) for a in getattr(rt, "script_args", None) or []]


# ----------------------------------------------------------------------------- time


@reg("now")
def now(rt: Any, args: list) -> float:
    check_arity("now", args, 0)
    return float(int(_time.time()))


@reg("now_unix", "now_utc_seconds")
def now_unix(rt: Any, args: list) -> int:
    check_arity("now_unix", args, 0)
    return int(_time.time())


@reg("now_utc")
def now_utc(rt: Any, args: list) -> str:
    check_arity("now_utc", args, 0)
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@reg("current_timestamp", "time")
def current_timestamp(rt: Any, args: list) -> int:
    check_arity("current_timestamp", args, 0)
    return _time.time_ns() // 1_000_000


@reg("performance_now")
def performance_now(rt: Any, args: list) -> float:
    check_arity("performance_now", args, 0)
    return (_time.perf_counter_ns() - _START_NS) / 1e6


@reg("time_us")
def time_us(rt: Any, args: list) -> float:
    check_arity("time_us", args, 0)
    return float((_time.perf_counter_ns() - _START_NS) // 1000)


@reg("time_ns")
def time_ns(rt: Any, args: list) -> float:
    check_arity("time_ns", args, 0)
    return float(_time.perf_counter_ns() - _START_NS)


@reg("sleep", waits=True)
def sleep(rt: Any, args: list) -> int:
    check_arity("sleep", args, 1)
    ms = num_arg("sleep", args[0], "a number of milliseconds")
    if ms != ms or ms < 0:
        raise RuffError("sleep() requires non-negative milliseconds")
    _time.sleep(min(ms, 1e9) / 1000.0)
    return 0


@reg("format_duration")
def format_duration(rt: Any, args: list) -> str:
    check_arity("format_duration", args, 1)
    ms = float(num_arg("format_duration", args[0], "a number of milliseconds"))
    if ms >= 1000.0:
        return f"{ms / 1000.0:.2f}s"
    if ms >= 1.0:
        return f"{ms:.2f}ms"
    if ms >= 0.001:
        return f"{ms * 1000.0:.2f}\u03bcs"
    return f"{ms * 1_000_000.0:.0f}ns"


@reg("elapsed")
def elapsed(rt: Any, args: list) -> float:
    check_arity("elapsed", args, 2)
    start = num_arg("elapsed", args[0])
    end = num_arg("elapsed", args[1])
    return float(end) - float(start)


@reg("format_date")
def format_date(rt: Any, args: list) -> str:
    check_arity("format_date", args, 2)
    ts = num_arg("format_date", args[0], "a numeric timestamp")
    fmt = str_arg("format_date", args[1], "a format string")
    if ts != ts or ts in (float("inf"), float("-inf")):
        return "Invalid timestamp: value must be a finite number"
    from datetime import datetime, timezone

    try:
        dt = datetime.fromtimestamp(int(ts), tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return "Invalid timestamp: value is out of supported range"
    return (fmt.replace("YYYY", f"{dt.year:04d}").replace("MM", f"{dt.month:02d}")
            .replace("DD", f"{dt.day:02d}").replace("HH", f"{dt.hour:02d}")
            .replace("mm", f"{dt.minute:02d}").replace("ss", f"{dt.second:02d}"))


@reg("parse_date")
def parse_date(rt: Any, args: list) -> float:
    check_arity("parse_date", args, 2)
    text = str_arg("parse_date", args[0], "a date string")
    fmt = str_arg("parse_date", args[1], "a format string")
    if fmt != "YYYY-MM-DD":
        raise RuffError(f"parse_date failed: unsupported format '{fmt}' (expected 'YYYY-MM-DD')")
    from datetime import datetime, timezone

    try:
        dt = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError as e:
        raise RuffError(f"parse_date failed: '{text}' does not match format 'YYYY-MM-DD' ({e})") from None
    return float(int(dt.timestamp()))


# ----------------------------------------------------------------------------- processes


DEFAULT_TIMEOUT_MS = 30_000
DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024
MAX_MAX_OUTPUT_BYTES = 16 * 1024 * 1024
_OPTION_NAMES = "timeout_ms, max_output_bytes, inherit_env, env_allow, env_deny, env"


@dataclass(slots=True)
class ProcessOptions:
    """The reference's process options: a time limit, an output cap per stream, the child's environment."""

    timeout_ms: float = DEFAULT_TIMEOUT_MS
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
    inherit_env: bool = True
    env_allow: Optional[list[str]] = None
    env_deny: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        if self.env_allow is not None:
            base = {k: os.environ[k] for k in self.env_allow if k in os.environ}
        elif not self.inherit_env:
            base = {}
        else:
            base = dict(os.environ)
        for k in self.env_deny:
            base.pop(k, None)
        base.update(self.env)
        return base


def _positive(key: str, v: Any) -> float:
    if type(v) in (int, float) and v == v and v != float("inf") and v > 0:
        return v
    raise RuffError(f"{key} must be a positive number")


def _string_list(key: str, v: Any) -> list[str]:
    if type(v) is not list:
        raise RuffError(f"{key} must be an array of strings, got {type_name_of(v)}")
    if any(type(x) is not str for x in v):
        raise RuffError(f"{key} must be an array of strings")
    return list(v)


def _options(name: str, args: list) -> ProcessOptions:
    opts = ProcessOptions()
    if len(args) < 2 or args[1] is None:
        return opts
    given = args[1]
    if type(given) is not dict:
        raise type_error(name, "an options dict", given)
    for key, v in text_items(given):
        if key == "timeout_ms":
            opts.timeout_ms = _positive(key, v)
        elif key == "max_output_bytes":
            n = int(_positive(key, v))
            if n > MAX_MAX_OUTPUT_BYTES:
                raise RuffError(f"max_output_bytes exceeds the maximum supported size ({MAX_MAX_OUTPUT_BYTES})")
            opts.max_output_bytes = n
        elif key == "inherit_env":
            if type(v) is not bool:
                raise RuffError("inherit_env must be a boolean")
            opts.inherit_env = v
        elif key == "env_allow":
            opts.env_allow = _string_list(key, v)
        elif key == "env_deny":
            opts.env_deny = _string_list(key, v)
        elif key == "env":
            if type(v) is not dict:
                raise RuffError("env must be a dict of string keys and values")
            if any(type(x) is not str for x in v.values()):
                raise RuffError("env must contain only string values")
            opts.env = dict(text_items(v))
        else:
            raise RuffError(f"unsupported process option '{key}'; supported options are {_OPTION_NAMES}")
    return opts


@dataclass(slots=True)
class Completed:
    """One finished (or timed-out) process, its output cut at max_output_bytes."""

    exitcode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    stdout_truncated: bool
    stderr_truncated: bool

    @property
    def success(self) -> bool:
        return self.exitcode == 0 and not self.timed_out

    def as_dict(self) -> dict:
        return {
            "exitcode": self.exitcode, "stdout": self.stdout.decode("utf-8", "replace"),
            "stderr": self.stderr.decode("utf-8", "replace"), "success": self.success,
            "timed_out": self.timed_out, "stdout_truncated": self.stdout_truncated,
            "stderr_truncated": self.stderr_truncated,
        }


def _spawn(argv: Any, shell: bool, opts: ProcessOptions, stdin: Optional[bytes] = None) -> Completed:
    """Run a process to completion; raises OSError when it cannot start."""
    import subprocess

    timed_out = False
    try:
        p = subprocess.run(argv, shell=shell, input=stdin, capture_output=True, timeout=opts.timeout_ms / 1000.0,
                           env=opts.environment())
        code, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        timed_out, code, out, err = True, -1, e.stdout or b"", e.stderr or b""
    cap = opts.max_output_bytes
    return Completed(code if code >= 0 else -1, out[:cap], err[:cap], timed_out, len(out) > cap, len(err) > cap)


def _run(name: str, argv: Any, shell: bool, opts: ProcessOptions) -> dict:
    try:
        done = _spawn(argv, shell, opts)
    except OSError as e:
        shown = argv if isinstance(argv, str) else " ".join(argv)
        raise RuffError(f"Failed to spawn process '{shown}': {rust_error_text(e)}") from None
    if done.timed_out:
        raise RuffError(f"{name}() timed out after {format_float(opts.timeout_ms)}ms")
    return done.as_dict()


def _command(name: str, args: list) -> str:
    cmd = str_arg(name, args[0], "a string command")
    if not cmd.strip():
        raise RuffError(f"{name}(): command must not be empty")
    if "\0" in cmd:
        raise RuffError(f"{name}(): command contains NUL byte")
    return cmd


@reg("execute", waits=True)
def execute(rt: Any, args: list) -> str:
    check_arity_range("execute", args, 1, 2)
    cmd = _command("execute", args)
    r = _run("execute", cmd, True, _options("execute", args))
    if not r["success"]:
        raise RuffError(f"execute() command failed with exit code {r['exitcode']}: {r['stderr']}")
    return r["stdout"]


@reg("execute_status", waits=True)
def execute_status(rt: Any, args: list) -> dict:
    check_arity_range("execute_status", args, 1, 2)
    cmd = _command("execute_status", args)
    return _run("execute_status", cmd, True, _options("execute_status", args))


@reg("spawn_process", waits=True)
def spawn_process(rt: Any, args: list) -> dict:
    check_arity_range("spawn_process", args, 1, 2)
    argv = as_list("spawn_process", args[0], "an array of command arguments")
    if not argv or any(type(a) is not str for a in argv):
        raise RuffError("spawn_process() expects a non-empty array of string arguments")
    return _run("spawn_process", list(argv), False, _options("spawn_process", args))


@reg("pipe_commands", waits=True)
def pipe_commands(rt: Any, args: list) -> str:
    """Run [argv, argv, ...] as a pipeline, each command's stdout the next one's stdin; the last stdout."""
    if not 1 <= len(args) <= 2:
        raise RuffError("pipe_commands requires an array of command arrays and optional options")
    opts = _options("pipe_commands", args)
    commands = args[0]
    if type(commands) is not list:
        raise RuffError("pipe_commands requires an array of command arrays")
    if not commands:
        raise RuffError("pipe_commands requires a non-empty array of commands")
    for argv in commands:
        if type(argv) is not list:
            raise RuffError("pipe_commands requires an array of command arrays")
        if any(type(a) is not str for a in argv):
            raise RuffError("Each command must be an array of strings")
        if not argv:
            raise RuffError("Each command array must not be empty")
    output: Optional[bytes] = None
    for argv in commands:
        shown = " ".join(argv)
        try:
            done = _spawn(list(argv), False, opts, output)
        except OSError as e:
            raise RuffError(f"Failed to spawn process '{shown}': {rust_error_text(e)}") from None
        if done.timed_out:
            raise RuffError(f"Command '{shown}' timed out after {format_float(opts.timeout_ms)}ms")
        if done.stdout_truncated or done.stderr_truncated:
            raise RuffError(f"Command '{shown}' output exceeded max_output_bytes ({opts.max_output_bytes})")
        if not done.success:
            raise RuffError(f"Command '{shown}' failed with exit code {done.exitcode}: "
                            f"{done.stderr.decode('utf-8', 'replace')}")
        output = done.stdout
    try:
        return (output or b"").decode("utf-8")
    except UnicodeDecodeError as e:
        raise RuffError(f"Failed to decode output as UTF-8: invalid utf-8 sequence of {e.end - e.start} bytes "
                        f"from index {e.start}") from None
