"""The hostile-argument sweep of every builtin (tests/unit/test_builtin_sweep.py runs it; issue 19).

Run as a script, it calls builtins in this process with hostile arguments: wrong types, i64's extremes,
NaN and infinities, empty and very long strings, digit strings past Python's int-conversion limit, deep
and cyclic arrays and dicts, callbacks that throw or return the wrong thing, and every kind of runtime
object. For each call it prints one JSON line when the call starts (so a hang names its call) and one
with the outcome: the Ruff error's message, or the result's display. `findings()` is what the test
complains about: a message in Python's words rather than Ruff's, a Python object's repr, a call that
took too long, and (from the test) a crash or a hang of the whole process.

    python tests/unit/builtin_sweep.py [--seed 0] [--calls 20] [--singles N] [NAME ...]    # one JSON line a call
    python tests/unit/builtin_sweep.py --report [...]                                     # the problems found

Values are built afresh for every call (builtins such as push change their arguments in place). The
script runs in a fresh temporary directory; run_sweep() never asks for the builtins of tests/kit.py's UNSAFE.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit import UNSAFE  # noqa: E402

SLOW_CALL_SECONDS = 10.0

# Python's words: an exception's class name, the phrasing of its common messages, an object's repr.
PYTHON_WORDS = re.compile(
    r"Traceback|internal error|\b(?:Value|Type|Overflow|Key|Attribute|Index|ZeroDivision|Recursion|Memory|"
    r"Unicode(?:Decode|Encode)?|OS|Runtime|Name|Assertion|NotImplemented|Lookup|Arithmetic|FileNotFound|"
    r"Permission|IsADirectory|Buffer|System)Error\b|StopIteration|"
    r"object has no attribute|'\w+' object|object of type '|object is not|is not subscriptable|not iterable|"
    r"unsupported operand|can't multiply sequence|positional argument|keyword argument|"
    r"invalid literal for int\(\)|could not convert string to float|Exceeds the limit|integer string conversion|"
    r"too large to convert|Python int|C ssize_t|C long|cannot fit 'int'|index out of range|codec can't|"
    r"must be (?:str|int|float|bytes|real number)\b|, not (?:str|int|float|list|dict|NoneType|bool)\b|"
    r"bytes-like object|NoneType|<class '|<built-in|<bound method| at 0x[0-9a-f]|"
    r"\bfloat division\b|\bmath domain error\b|unhashable type|not supported between instances"
)


def python_words(text: str) -> str | None:
    """The first piece of Python's wording in `text`, or None."""
    m = PYTHON_WORDS.search(text)
    return m.group(0) if m else None


# ----------------------------------------------------------------------------- the hostile values

PRELUDE = """
struct Point {
    x: int
}
func ident(x) { return x }
func boom(a, b) { throw("boom") }
func text(a, b) { return "text" }
func two(a, b) { return a }
point := Point { x: 1 }
"""


def _deep_list(depth: int) -> list:
    v: list = []
    for _ in range(depth):
        v = [v]
    return v


def _deep_dict(depth: int) -> dict:
    v: dict = {}
    for _ in range(depth):
        v = {"k": v}
    return v


def _cyclic_list() -> list:
    v: list = [1]
    v.append(v)
    return v


def _cyclic_dict() -> dict:
    v: dict = {"a": 1}
    v["self"] = v
    return v


def catalog(globals_: dict, vm: Any) -> dict[str, Callable[[], Any]]:
    """Label -> a function that builds the value afresh."""
    from ruff.runtime.builtins import BUILTINS, RuffQueue, RuffRange, RuffSet, RuffStack
    from ruff.limits import I64_MAX, I64_MIN
    from ruff.runtime.values import EnumValue, ErrorObject

    def builtin(name: str, *args: Any) -> Callable[[], Any]:
        return lambda: BUILTINS[name].fn(vm, list(args))

    values: dict[str, Callable[[], Any]] = {
        "null": lambda: None, "true": lambda: True, "false": lambda: False,
        "0": lambda: 0, "1": lambda: 1, "-1": lambda: -1, "3": lambda: 3, "64": lambda: 64,
        "1000000": lambda: 1_000_000, "I64_MAX": lambda: I64_MAX, "I64_MIN": lambda: I64_MIN,
        "2.5": lambda: 2.5, "-0.0": lambda: -0.0, "NaN": lambda: math.nan, "inf": lambda: math.inf,
        "-inf": lambda: -math.inf, "1e308": lambda: 1e308, "5e-324": lambda: 5e-324,
        '""': lambda: "", '"a"': lambda: "a", '"a,b"': lambda: "a,b", '"é😀"': lambda: "é😀",
        '"\\0"': lambda: "\0", '"%s %d %f {}"': lambda: "%s %d %f {}", '"(\\d+"': lambda: "(\\d+",
        '"[1, 2]"': lambda: "[1, 2]", '"{\\"a\\": 1}"': lambda: '{"a": 1}', '"-5"': lambda: "-5",
        '"2.5"': lambda: "2.5", '"nan"': lambda: "nan", '"true"': lambda: "true", '" \\t\\n"': lambda: " \t\n",
        '"/"': lambda: "/", '"."': lambda: ".", '"9"*5000': lambda: "9" * 5000, '"x"*1M': lambda: "x" * 1_000_000,
        "lone surrogate": lambda: "a\ud800",
        "[]": lambda: [], "[1, 2, 3]": lambda: [1, 2, 3], '["b", "a"]': lambda: ["b", "a"],
        '[null, "a", 1.5, [1]]': lambda: [None, "a", 1.5, [1]], "[[1, 2], [3, 4]]": lambda: [[1, 2], [3, 4]],
        "[0..100000)": lambda: list(range(100_000)), "deep list 100000": lambda: _deep_list(100_000),
        "cyclic list": _cyclic_list,
        "{}": lambda: {}, '{"a": 1, "b": [1]}': lambda: {"a": 1, "b": [1]}, '{"": null}': lambda: {"": None},
        "deep dict 100000": lambda: _deep_dict(100_000), "cyclic dict": _cyclic_dict,
        "ident": lambda: globals_["ident"], "boom": lambda: globals_["boom"], "text": lambda: globals_["text"],
        "two": lambda: globals_["two"], "len": lambda: BUILTINS["len"],
        "Point {x: 1}": lambda: globals_["point"], "Point": lambda: globals_["Point"],
        "Ok(1)": lambda: EnumValue("Result", "Ok", (1,)), 'Err("e")': lambda: EnumValue("Result", "Err", ("e",)),
        "Some(1)": lambda: EnumValue("Option", "Some", (1,)), "None": lambda: EnumValue("Option", "None", ()),
        "Set[1, 2]": lambda: RuffSet([1, 2]), "Queue[1]": lambda: RuffQueue([1]), "Stack[1]": lambda: RuffStack([1]),
        "range(10)": lambda: RuffRange(range(10)), "range(10**12)": lambda: RuffRange(range(10 ** 12)),
        "error value": lambda: ErrorObject("oops", 3, ["f"]),
        "bytes[1, 2]": builtin("bytes", [1, 2]), "channel": builtin("channel"),
        "promise": builtin("async_sleep", 0), "response": builtin("http_response", 200, "body"),
        "sqlite": builtin("db_connect", "sqlite", ":memory:"), "server": builtin("http_server", 8080),
    }
    return values


# ----------------------------------------------------------------------------- calls


def argument_lists(labels: list[str], rng: random.Random, singles: int | None,
                   count: int) -> Iterator[tuple[str, ...]]:
    """No arguments, each value alone (or `singles` of them, drawn at random), then `count` random lists of
    one to four values."""
    yield ()
    for label in labels if singles is None else rng.sample(labels, min(singles, len(labels))):
        yield (label,)
    for _ in range(count):
        yield tuple(rng.choice(labels) for _ in range(rng.randint(1, 4)))


def _outcome(vm: Any, fn: Any, args: list) -> tuple[bool, str]:
    """(True, the result's display) or (False, the Ruff error's message); a Python exception that escapes
    shows as a Traceback line, which findings() reports."""
    from ruff.runtime.values import RuffError, display

    try:
        result = fn(vm, args)
        if hasattr(result, "__next__"):  # a lazy iterator: take a bounded part of it
            result = list(itertools.islice(result, 1000))
        return True, display(result)[:2000]
    except RuffError as e:
        return False, str(e.message)[:2000]
    except Exception as e:  # noqa: BLE001 - the sweep's whole point is to see these
        return False, f"Traceback: {type(e).__name__} escaped: {e}"[:2000]


def sweep(names: list[str], seed: int, singles: int | None, count: int, emit: Callable[[dict], None]) -> None:
    import ruff
    from ruff.runtime.bigstack import run_in_big_stack
    from ruff.runtime.builtins import BUILTINS

    sink: list[str] = []
    program = ruff.run(PRELUDE, "sweep.ruff", output=sink.append, jit=False, tier="interp")
    vm = program.vm

    def body() -> None:
        from ruff.runtime.values import set_running_runtime

        set_running_runtime(vm)
        values = catalog(program.module.globals, vm)
        labels = sorted(values)
        for name in names:
            rng = random.Random(f"{seed}:{name}")
            for args in argument_lists(labels, rng, singles, count):
                call = f"{name}({', '.join(args)})"
                emit({"start": call})
                built = [values[label]() for label in args]
                started = time.monotonic()
                ok, text = _outcome(vm, BUILTINS[name].fn, built)
                emit({"call": call, "ok": ok, "text": text, "seconds": round(time.monotonic() - started, 3)})
                del sink[:]

    run_in_big_stack(body)


def findings(record: dict) -> str | None:
    """What is wrong with one call's outcome line, or None."""
    word = python_words(record["text"])
    if word is not None:
        return f"{record['call']}: Python's words ({word!r}) in {'result' if record['ok'] else 'error'}: " \
               f"{record['text'][:300]!r}"
    if record["seconds"] > SLOW_CALL_SECONDS:
        return f"{record['call']}: took {record['seconds']} s"
    return None


# ----------------------------------------------------------------------------- the parent's side

HANG_SECONDS = 60.0  # a call that has not finished after this long is a hang
MEMORY_LIMIT = 6 << 30  # bytes of address space for the sweeping process (the big stack alone takes 1 GB)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_sweep(names: list[str], seed: int, calls: int, singles: int | None = None) -> tuple[int, list[str]]:
    """Sweep `names` in child processes: (calls made, problems found). A crash or a hang is a problem of
    the call that started last; the sweep goes on in a new process from the builtin after it."""
    import os
    import select
    import subprocess

    script = Path(__file__).resolve()
    root = script.parents[2]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("PYTHONUNBUFFERED", None)
    pending = [n for n in names if n not in UNSAFE]
    problems: list[str] = []
    made = 0
    while pending:
        sample = [] if singles is None else ["--singles", str(singles)]
        proc = subprocess.Popen([sys.executable, str(script), "--seed", str(seed), "--calls", str(calls), *sample,
                                 *pending],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                preexec_fn=_limit_memory if sys.platform.startswith("linux") else None)
        assert proc.stdout is not None and proc.stderr is not None
        started: str | None = None
        buffer = b""
        failure = None
        while True:
            ready = select.select([proc.stdout], [], [], HANG_SECONDS)[0]
            if not ready:
                failure = f"{started}: no answer after {HANG_SECONDS:.0f} s (a hang)"
                proc.kill()
                break
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                record = json.loads(line)
                if "start" in record:
                    started = record["start"]
                    continue
                made += 1
                started = None
                problem = findings(record)
                if problem:
                    problems.append(problem)
        code = proc.wait()
        err = proc.stderr.read().decode("utf-8", "replace")
        if failure is None and code != 0:
            failure = f"{started}: the process ended with status {code}: {err[-1500:]}"
        if failure is None:
            break
        problems.append(failure)
        if started is None:  # died between calls: nothing left to blame, nothing left to retry
            break
        name = started.split("(", 1)[0]
        pending = pending[pending.index(name) + 1:]
    return made, problems


def main(argv: list[str]) -> int:
    import argparse
    import os
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calls", type=int, default=20, help="random argument lists per builtin")
    parser.add_argument("--singles", type=int, default=None, help="hostile values tried alone (default: all)")
    parser.add_argument("--report", action="store_true", help="sweep in child processes and list the problems")
    parser.add_argument("names", nargs="*")
    opts = parser.parse_args(argv)
    if opts.report:
        from ruff.runtime.builtins import BUILTINS

        made, problems = run_sweep(opts.names or sorted(BUILTINS), opts.seed, opts.calls, opts.singles)
        print("\n".join(problems))
        print(f"{made} calls, {len(problems)} problems")
        return 1 if problems else 0

    def emit(record: dict) -> None:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    from ruff.runtime.builtins import BUILTINS

    names = opts.names or sorted(set(BUILTINS) - UNSAFE)
    with tempfile.TemporaryDirectory(prefix="ruff-sweep-") as tmp:
        os.chdir(tmp)  # whatever a builtin makes of a relative path stays in here
        sweep(names, opts.seed, opts.singles, opts.calls, emit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
