"""Every builtin, called with hostile arguments, answers in Ruff's words and in bounded time (issue 19).

The sweep itself is tests/unit/builtin_sweep.py: it runs in child processes (a hang or a crash is found,
not suffered) and flags Python's wording in an error message or a result (an exception's class name, "object
has no attribute", "invalid literal for int()", a repr like "<class 'list'>"), a call slower than
10 s, a hang, a crash. By default every builtin gets no arguments, 12 of the hostile values alone and
3 random argument lists (about 5,000 calls); RUFF_TEST_SWEEP_CALLS=N (docs/environment.md) gives every
builtin each hostile value alone and N random argument lists (N=20: about 30,000 calls, two minutes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builtin_sweep import PYTHON_WORDS, findings, python_words, run_sweep  # noqa: E402

from ruff.runtime.builtins import BUILTINS  # noqa: E402

DEFAULT_SINGLES, DEFAULT_CALLS = 12, 3


def test_every_builtin_answers_hostile_arguments_in_ruffs_words() -> None:
    asked = os.environ.get("RUFF_TEST_SWEEP_CALLS")
    if asked:
        made, problems = run_sweep(sorted(BUILTINS), seed=0, calls=int(asked))
    else:
        made, problems = run_sweep(sorted(BUILTINS), seed=0, calls=DEFAULT_CALLS, singles=DEFAULT_SINGLES)
    assert not problems, "\n".join(problems)
    assert made > 15 * 300  # it really called them: 300-odd builtins, 16 calls or more each


def test_the_sweep_recognises_pythons_words() -> None:
    for leaked in ["input(): 'NoneType' object has no attribute 'readline'",
                   "parse_int(): invalid literal for int() with base 10: 'x'",
                   "Exceeds the limit (4300 digits) for integer string conversion",
                   "format(): Python int too large to convert to C ssize_t",
                   "sort(): '<' not supported between instances of 'str' and 'int'",
                   "keys(): unhashable type: 'list'", "<class 'list'>", "<object object at 0x7f3a>",
                   "ValueError: math domain error", "Traceback: TypeError escaped: x"]:
        assert python_words(leaked), leaked
    for ruffs in ["Division by zero", "len() expects 1 argument, got 2", "<function ident>",
                  "<native function len>", "Index out of bounds: 5", "Cannot parse 'x' as integer",
                  "format() width in %999999999d is too large (the maximum is 1000000)", "[[...]]",
                  "sort(): maximum recursion depth exceeded", "parse_json(): out of memory"]:
        assert not python_words(ruffs), (ruffs, PYTHON_WORDS.search(ruffs))
    slow = {"call": "f(1)", "ok": True, "text": "1", "seconds": 11.0}
    assert findings(slow) == "f(1): took 11.0 s"
    assert findings({**slow, "seconds": 0.1}) is None


def test_a_hang_is_found_and_the_sweep_goes_on(monkeypatch) -> None:
    import builtin_sweep

    monkeypatch.setattr(builtin_sweep, "HANG_SECONDS", 3.0)
    monkeypatch.setattr(builtin_sweep, "UNSAFE", builtin_sweep.UNSAFE - {"sleep"})
    made, problems = run_sweep(["sleep", "len"], seed=0, calls=0)
    assert len(problems) == 1 and problems[0].startswith("sleep(") and "a hang" in problems[0], problems
    assert made > 70  # len, after sleep's hang
