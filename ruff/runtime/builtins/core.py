"""Core builtins: output, length, introspection, conversions, range, input, exit, assertions, debug.

Design choice for `range(...)`: it returns a lazy RuffRange (see iterators.py) wrapping a Python
`range`, never a list. `for i in range(1000000)` therefore iterates a native Python range with no
1M-element list behind it. A RuffRange still behaves as the array the reference returns:
`type()` is "array", it prints as `[0, 1, 2]`, `len()` works, `r[i]` works through
`ruff_index`, and every builtin that takes an array accepts it (it becomes a list via
`ruff_to_list()` when one is needed, e.g. `push(range(3), 9)` returns the real list [0, 1, 2, 9]).
Executor code that needs a real list (`+`, `==`, spreads, patterns) should call
`ruff_to_list()` on values that have it (or `core.materialize(v)`).

Method chains on arrays (`arr.filter(f).map(g)`) are eager, as in the reference VM (they return
arrays, so they print and index like arrays); on iterators and generators they are lazy
(RuffIterator).

Predicates follow what the reference's source does where its docs say otherwise (docs/LANGUAGE.md):
`contains` and `has_key` return 1/0 (ints, not booleans), `starts_with` and `ends_with` booleans.
The is_* checks, set_has, is_empty, file_exists, path_* and regex_match return booleans.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import (
    AssertionFailure, EnumValue, ErrorObject, RuffError, display, display_literal, format_float, truthy,
)
from ruff.runtime.builtins._util import (
    Registry, arity_error, check_arity, check_arity_range, equal, flush_output, format_debug, hash_key,
    is_callable, type_error, type_name_of, value_debug,
)
from ruff.runtime.builtins.iterators import RuffIterator, RuffRange


class ExitProgram(BaseException):
    """Raised by `exit(code)`; the CLI catches it and exits with `code`.

    A BaseException so that no `except Exception` in the executor (or a Ruff `try`) swallows it."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


def materialize(v: Any) -> Any:
    """A real list for a lazy array (RuffRange); anything else unchanged."""
    to_list = getattr(v, "ruff_to_list", None)
    return to_list() if to_list is not None and type(v) is RuffRange else v


reg = Registry()

# ----------------------------------------------------------------------------- output


@reg("print", "println", fast=True)
def print_(rt: Any, args: list) -> None:
    if len(args) == 1:
        a = args[0]
        rt.write((a if type(a) is str else display(a)) + "\n")
    else:
        rt.write(" ".join([a if type(a) is str else display(a) for a in args]) + "\n")
    return None


@reg("eprint")
def eprint(rt: Any, args: list) -> None:
    text = " ".join(display(a) for a in args) + "\n"
    write_err = getattr(rt, "write_err", None)
    if write_err is not None:
        write_err(text)
    else:
        flush_output(rt)  # in order with stdout when both go to one place (`2>&1`)
        sys.stderr.write(text)
        sys.stderr.flush()
    return None


@reg("debug")
def debug(rt: Any, args: list) -> None:
    rt.write("[DEBUG] " + " ".join(format_debug(a) for a in args) + "\n")
    return None


@reg("input")
def input_(rt: Any, args: list) -> str:
    check_arity_range("input", args, 0, 1)
    if args:
        if type(args[0]) is not str:
            raise type_error("input", "a string prompt", args[0])
        rt.write(args[0])
    flush_output(rt)  # the prompt, and what came before it
    reader = getattr(rt, "read_line", None)
    line = reader() if reader is not None else _read_stdin_line()
    return (line or "").rstrip()


MAX_INPUT_LINE = 64 * 1024 * 1024  # characters; a line without end (`yes | tr -d '\n'`) must not eat memory


def _read_stdin_line() -> str:
    """The next line of standard input. Like the reference, whatever keeps a line from being read (stdin
    closed, not readable, not UTF-8) reads as an empty line; a line too long to hold is an error."""
    stdin = sys.stdin
    if stdin is None:  # started with fd 0 closed
        return ""
    try:
        if getattr(stdin, "errors", None) == "strict" and hasattr(stdin, "reconfigure"):
            # A strict decoder that fails drops its whole read-ahead, later lines too: decode leniently and
            # refuse the one line that holds undecodable bytes (they come back as lone surrogates).
            stdin.reconfigure(errors="surrogateescape")
        line = stdin.readline(MAX_INPUT_LINE + 1)
    except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
        return ""
    if len(line) > MAX_INPUT_LINE and not line.endswith("\n"):
        raise RuffError(f"input(): line exceeds the maximum of {MAX_INPUT_LINE} characters")
    if not line.isascii():
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            return ""
    return line


@reg("exit")
def exit_(rt: Any, args: list) -> None:
    check_arity_range("exit", args, 0, 1)
    code = 0
    if args:
        c = args[0]
        if type(c) is int:
            code = c
        elif type(c) is float:
            code = int(c)
        else:
            raise type_error("exit", "a numeric exit code", c)
    raise ExitProgram(code)


# ----------------------------------------------------------------------------- length and introspection


@reg("len", fast=True)
def len_(rt: Any, args: list) -> int:
    if len(args) != 1:
        raise arity_error("len", "1 argument", len(args))
    v = args[0]
    t = type(v)
    if t is str or t is list or t is dict or t is bytes:
        return len(v)
    if t is RuffRange:
        n = v.length()
        if n > I64_MAX:
            raise RuffError(f"Integer overflow: len() of a range of {n} elements")
        return n
    if t is range:
        return len(v)
    size = getattr(v, "ruff_len", None)
    if size is not None:
        return size()
    raise type_error("len", "a string, array, dict, bytes, set, queue or stack", v)


@reg("type", "type_of", fast=True)
def type_(rt: Any, args: list) -> str:
    if len(args) != 1:
        raise arity_error("type", "1 argument", len(args))
    return type_name_of(args[0])


def _is(name: str, pred: Any) -> Any:
    def check(rt: Any, args: list) -> bool:
        if len(args) != 1:
            raise arity_error(name, "1 argument", len(args))
        return pred(args[0])

    return check


_IS_CHECKS = {
    "is_int": lambda v: type(v) is int,
    "is_float": lambda v: type(v) is float,
    "is_number": lambda v: type(v) is int or type(v) is float,
    "is_string": lambda v: type(v) is str,
    "is_bool": lambda v: type(v) is bool,
    "is_array": lambda v: type(v) is list or type(v) is RuffRange,
    "is_dict": lambda v: type(v) is dict,
    "is_null": lambda v: v is None,
    "is_function": is_callable,
    "is_truthy": truthy,
}
for _name, _pred in _IS_CHECKS.items():
    reg.functions[_name] = _is(_name, _pred)


# ----------------------------------------------------------------------------- conversions


@reg("to_string", "str", fast=True)
def to_string(rt: Any, args: list) -> str:
    if len(args) != 1:
        raise arity_error("to_string", "1 argument", len(args))
    v = args[0]
    return v if type(v) is str else display(v)


_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT_RE = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)\Z", re.IGNORECASE)


def parse_int_text(s: str) -> Any:
    """Rust's i64 parsing (after trimming): optional sign and ASCII digits, within i64; else None."""
    s = s.strip()
    if not _INT_RE.match(s):
        return None
    # Past 19 significant digits it is out of i64 range; int() refuses over 4,300 digits, zeros included.
    digits = s.lstrip("+-").lstrip("0")
    if len(digits) > 19:
        return None
    n = -int(digits or "0") if s[0] == "-" else int(digits or "0")
    if n < I64_MIN or n > I64_MAX:
        return None
    return n


def parse_float_text(s: str) -> Any:
    s = s.strip()
    if not _FLOAT_RE.match(s):
        return None
    return float(s)


@reg("parse_int")
def parse_int(rt: Any, args: list) -> int:
    check_arity("parse_int", args, 1)
    s = args[0]
    if type(s) is not str:
        raise type_error("parse_int", "a string", s)
    n = parse_int_text(s)
    if n is None:
        raise RuffError(f"Cannot parse '{s}' as integer")
    return n


@reg("parse_float")
def parse_float(rt: Any, args: list) -> float:
    check_arity("parse_float", args, 1)
    s = args[0]
    if type(s) is not str:
        raise type_error("parse_float", "a string", s)
    f = parse_float_text(s)
    if f is None:
        raise RuffError(f"Cannot parse '{s}' as float")
    return f


@reg("to_int")
def to_int(rt: Any, args: list) -> int:
    check_arity("to_int", args, 1)
    v = args[0]
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return 1 if v else 0
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise RuffError(f"Cannot convert {format_float(v)} to int")
        n = int(v)
        if n < I64_MIN or n > I64_MAX:
            raise RuffError(f"Integer overflow: to_int({format_float(v)})")
        return n
    if t is str:
        n = parse_int_text(v)
        if n is None:
            raise RuffError(f"Cannot convert '{v}' to int")
        return n
    raise RuffError(f"Cannot convert {type_name_of(v)} to int")


@reg("to_float")
def to_float(rt: Any, args: list) -> float:
    check_arity("to_float", args, 1)
    v = args[0]
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if t is bool:
        return 1.0 if v else 0.0
    if t is str:
        f = parse_float_text(v)
        if f is None:
            raise RuffError(f"Cannot convert '{v}' to float")
        return f
    raise RuffError(f"Cannot convert {type_name_of(v)} to float")


@reg("to_bool")
def to_bool(rt: Any, args: list) -> bool:
    check_arity("to_bool", args, 1)
    v = args[0]
    t = type(v)
    if t is str:
        low = v.lower()
        return bool(v) and low != "false" and low != "0"
    if t is RuffRange:
        return bool(v.r)
    return truthy(v)


# ----------------------------------------------------------------------------- constructors


@reg("range", fast=True)
def range_(rt: Any, args: list) -> RuffRange:
    n = len(args)
    if n < 1 or n > 3:
        raise arity_error("range", "1 to 3 arguments", n)
    bounds = []
    for a in args:
        t = type(a)
        if t is int:
            bounds.append(a)
        elif t is float and a == a and a not in (float("inf"), float("-inf")):
            bounds.append(max(I64_MIN, min(I64_MAX, int(a))))  # Rust's `as i64` saturates
        else:
            raise type_error("range", "numeric arguments", a)
    if n == 3 and bounds[2] == 0:
        raise RuffError("range() step cannot be zero")
    return RuffRange(range(*bounds))


@reg("dict")
def dict_(rt: Any, args: list) -> dict:
    check_arity("dict", args, 0)
    return {}


@reg("array")
def array_(rt: Any, args: list) -> list:
    return list(args)


@reg("error")
def error_(rt: Any, args: list) -> ErrorObject:
    check_arity("error", args, 1)
    m = args[0]
    return ErrorObject(m if type(m) is str else display(m))


# ----------------------------------------------------------------------------- assertions


@reg("assert")
def assert_(rt: Any, args: list) -> bool:
    check_arity_range("assert", args, 1, 2)
    if truthy(args[0]):
        return True
    msg = args[1] if len(args) > 1 and type(args[1]) is str else "Assertion failed"
    raise RuffError(msg)


@reg("assert_equal")
def assert_equal(rt: Any, args: list) -> bool:
    check_arity("assert_equal", args, 2)
    actual, expected = args
    if equal(actual, expected):
        return True
    raise AssertionFailure(f"Assertion failed: expected {value_debug(expected)}, got {value_debug(actual)}",
                           f"Assertion failed: expected {display_literal(expected)}, got {display_literal(actual)}")


@reg("assert_not_equal")
def assert_not_equal(rt: Any, args: list) -> bool:
    check_arity("assert_not_equal", args, 2)
    actual, unexpected = args
    if not equal(actual, unexpected):
        return True
    raise AssertionFailure(f"Assertion failed: expected a value different from {value_debug(unexpected)}",
                           f"Assertion failed: expected a value different from {display_literal(unexpected)}")


@reg("assert_true")
def assert_true(rt: Any, args: list) -> bool:
    check_arity("assert_true", args, 1)
    v = args[0]
    if type(v) is not bool:
        raise type_error("assert_true", "a boolean", v)
    if v:
        return True
    raise RuffError("Assertion failed: expected true, got false")


@reg("assert_false")
def assert_false(rt: Any, args: list) -> bool:
    check_arity("assert_false", args, 1)
    v = args[0]
    if type(v) is not bool:
        raise type_error("assert_false", "a boolean", v)
    if not v:
        return True
    raise RuffError("Assertion failed: expected false, got true")


def collection_contains(collection: Any, item: Any) -> Any:
    """Membership for assert_contains: None when the collection is not searchable."""
    t = type(collection)
    if t is list:
        for x in collection:
            if equal(x, item):
                return True
        return False
    if t is str:
        return type(item) is str and item in collection
    if t is dict:
        ti = type(item)
        if ti is str:
            return text_key(item) in collection
        return ti is int and item in collection
    if t is RuffRange:
        return type(item) in (int, float) and item in collection.r
    if hasattr(collection, "ruff_contains"):
        return collection.ruff_contains(item)
    return None


@reg("assert_contains")
def assert_contains(rt: Any, args: list) -> bool:
    check_arity("assert_contains", args, 2)
    collection, item = args
    found = collection_contains(collection, item)
    if found is None:
        raise type_error("assert_contains", "an array, string or dict", collection)
    if found:
        return True
    raise RuffError(f"Assertion failed: {value_debug(collection)} does not contain {value_debug(item)}")


__all__ = ["ExitProgram", "RuffRange", "RuffIterator", "materialize", "reg", "hash_key"]


# ----------------------------------------------------------------------------- Result/Option methods
# Method-only (`r.is_ok()`, `opt.unwrap_or(0)`); not global names.


def _tagged(name: str, args: list, n: int) -> EnumValue:
    if len(args) != n:
        raise arity_error(name, f"{n - 1} argument" + ("" if n == 2 else "s"), len(args) - 1)
    v = args[0]
    if type(v) is not EnumValue or v.enum not in ("Result", "Option"):
        raise type_error(name, "a Result or Option", v)
    return v


def result_is_ok(rt: Any, args: list) -> bool:
    return _tagged("is_ok", args, 1).variant == "Ok"


def result_is_err(rt: Any, args: list) -> bool:
    return _tagged("is_err", args, 1).variant == "Err"


def option_is_some(rt: Any, args: list) -> bool:
    return _tagged("is_some", args, 1).variant == "Some"


def option_is_none(rt: Any, args: list) -> bool:
    return _tagged("is_none", args, 1).variant == "None"


def tagged_unwrap(rt: Any, args: list) -> Any:
    v = _tagged("unwrap", args, 1)
    if v.variant in ("Ok", "Some"):
        return v.values[0] if v.values else None
    shown = display(v)
    raise RuffError(f"called unwrap() on {shown}")


def tagged_unwrap_or(rt: Any, args: list) -> Any:
    v = _tagged("unwrap_or", args, 2)
    if v.variant in ("Ok", "Some"):
        return v.values[0] if v.values else None
    return args[1]
