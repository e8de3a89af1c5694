"""Environment, arguments, time and processes.

env(name) is "" for an unset variable (env_or gives a default, env_required fails); args() is the
script's own arguments (after the script path); now() is Unix time in whole seconds, as a float
(the reference's `timestamp() as f64`; use performance_now() for timing);
current_timestamp()/time() are Unix milliseconds (int); performance_now() is milliseconds (float)
since this module loaded, i.e. the first clock call, as the reference's OnceLock start;
time_us()/time_ns() are micro/nanoseconds on the same clock (whole floats);
sleep(ms) pauses. execute(cmd) runs a shell command and returns its stdout (failing on a non-zero
exit); execute_status(cmd)/spawn_process([argv...]) return a dict with exitcode, stdout, stderr,
success.
"""

from __future__ import annotations

import os
import time as _time
from typing import Any

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import (
    Registry, as_list, check_arity, check_arity_range, num_arg, python_error_text, str_arg, type_error,
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
    return dict(os.environ)


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


@reg("sleep")
def sleep(rt: Any, args: list) -> int:
    check_arity("sleep", args, 1)
    ms = num_arg("sleep", args[0], "a number of milliseconds")
    if ms != ms or ms < 0:
        raise RuffError("sleep() requires non-negative milliseconds")
    flush = getattr(rt, "flush", None)
    if flush is not None:
        flush()
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


def _run(name: str, argv: Any, shell: bool, timeout_ms: Any) -> dict:
    timeout = None if timeout_ms is None else max(0.001, timeout_ms / 1000.0)
    import subprocess

    try:
        p = subprocess.run(argv, shell=shell, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuffError(f"{name}() timed out after {int(timeout_ms)}ms") from None
    except OSError as e:
        shown = argv if isinstance(argv, str) else argv[0]
        raise RuffError(f"Failed to spawn process '{shown}': {python_error_text(e)}") from None
    return {
        "exitcode": p.returncode,
        "stdout": p.stdout.decode("utf-8", "replace"),
        "stderr": p.stderr.decode("utf-8", "replace"),
        "success": p.returncode == 0,
        "timed_out": False,
    }


def _options(name: str, args: list) -> Any:
    if len(args) < 2 or args[1] is None:
        return None
    opts = args[1]
    if type(opts) is not dict:
        raise type_error(name, "an options dict", opts)
    t = opts.get("timeout_ms")
    if t is None:
        return None
    return num_arg(name, t, "a numeric timeout_ms")


def _command(name: str, args: list) -> str:
    cmd = str_arg(name, args[0], "a string command")
    if not cmd.strip():
        raise RuffError(f"{name}(): command must not be empty")
    if "\0" in cmd:
        raise RuffError(f"{name}(): command contains NUL byte")
    return cmd


@reg("execute")
def execute(rt: Any, args: list) -> str:
    check_arity_range("execute", args, 1, 2)
    cmd = _command("execute", args)
    flush = getattr(rt, "flush", None)
    if flush is not None:
        flush()
    r = _run("execute", cmd, True, _options("execute", args))
    if not r["success"]:
        raise RuffError(f"execute() command failed with exit code {r['exitcode']}: {r['stderr']}")
    return r["stdout"]


@reg("execute_status")
def execute_status(rt: Any, args: list) -> dict:
    check_arity_range("execute_status", args, 1, 2)
    cmd = _command("execute_status", args)
    return _run("execute_status", cmd, True, _options("execute_status", args))


@reg("spawn_process")
def spawn_process(rt: Any, args: list) -> dict:
    check_arity_range("spawn_process", args, 1, 2)
    argv = as_list("spawn_process", args[0], "an array of command arguments")
    if not argv or any(type(a) is not str for a in argv):
        raise RuffError("spawn_process() expects a non-empty array of string arguments")
    return _run("spawn_process", list(argv), False, _options("spawn_process", args))
