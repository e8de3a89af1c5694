"""Shared helpers for the builtin modules: registration, argument checking, debug formats.

Every builtin is a plain function `fn(rt, args) -> value`. A module registers its functions with a
`Registry`; `ruff.runtime.builtins` collects the registries into BUILTINS and the method tables.

Builtins must never let a Python exception escape: registration wraps each function in a guard that
turns stray Python exceptions (TypeError, ValueError, OSError, RecursionError, ...) into RuffError.
Functions registered with `fast=True` are hot and written so that they cannot raise anything but
RuffError; they skip the guard to save a Python call per use.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Optional

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import StoredKey, sorted_text_items, text_key
from ruff.runtime.values import (
    CYCLE_CHECK_DEPTH, BoundMethod, Builtin, Closure, EnumValue, ErrorObject, RuffError, StructInstance,
    StructType, VariantConstructor, display, display_nested, format_float, has_cycle, type_name, values_equal,
)

BuiltinFn = Callable[[Any, list], Any]

# Characters a builtin may build from a count it is given (repeat, pad_left, ...): about 2 GB of text; a
# larger count is an error at once rather than an allocation that swaps the machine to a crawl.
MAX_BUILT_STRING = 1 << 31

# Exceptions a builtin may hit by accident; they become RuffError with the builtin's name.
_PYTHON_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError,
                  ZeroDivisionError, OSError, UnicodeError, LookupError, ArithmeticError)


def guard(name: str, fn: BuiltinFn) -> BuiltinFn:
    def guarded(rt: Any, args: list) -> Any:
        try:
            return fn(rt, args)
        except RuffError:
            raise
        except RecursionError as e:
            if getattr(rt, "retries_refusals", False) and _frames_below(e) < 32:
                raise  # refused near the fast tier's depth limit: its call site makes room and calls again
            raise RuffError(f"{name}(): maximum recursion depth exceeded") from None
        except MemoryError:
            raise RuffError(f"{name}(): out of memory") from None
        except _PYTHON_ERRORS as e:
            raise RuffError(f"{name}(): {python_error_text(e)}") from None

    guarded.__name__ = getattr(fn, "__name__", name)
    guarded.__wrapped__ = fn  # type: ignore[attr-defined]
    return guarded


def _frames_below(e: BaseException) -> int:
    n, t = 0, e.__traceback__
    while t is not None:
        n, t = n + 1, t.tb_next
    return n


def python_error_text(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    if isinstance(e, UnicodeEncodeError) and 0xD800 <= ord(e.object[e.start]) <= 0xDFFF:
        # Python's "'utf-8' codec can't encode character '\ud800'...": only Python strings hold these
        # (from a non-UTF-8 file name, argument or environment variable read with surrogateescape)
        return f"text holds a lone surrogate (U+{ord(e.object[e.start]):04X}), which is not valid UTF-8"
    text = str(e)
    return text or type(e).__name__


def rust_error_text(e: BaseException) -> str:
    """An OS error as Rust's io::Error displays it ("No such file or directory (os error 2)"), for the
    builtins whose messages follow the reference's text."""
    import socket

    if isinstance(e, socket.gaierror):  # a failed name lookup, as Rust's to_socket_addrs reports it
        return f"failed to lookup address information: {e.strerror or e}"
    if isinstance(e, OSError) and e.strerror and e.errno:
        return f"{e.strerror} (os error {e.errno})"
    return python_error_text(e)


class Registry:
    """Collects a module's builtins: `@reg("name", "alias", ...)` above `def fn(rt, args)`."""

    def __init__(self) -> None:
        self.functions: dict[str, BuiltinFn] = {}

    def __call__(self, *names: str, fast: bool = False, waits: bool = False) -> Callable[[BuiltinFn], BuiltinFn]:
        """`waits`: the builtin may block (sleep, a child process, the network) or hand the terminal to
        someone else, so the program's buffered output goes out first (see flush_output)."""
        def decorate(fn: BuiltinFn) -> BuiltinFn:
            wrapped = fn if fast else guard(names[0], fn)
            if waits:
                wrapped = _flushing_first(wrapped)
            for n in names:
                self.functions[n] = wrapped
            return fn

        return decorate


def flush_output(rt: Any) -> None:
    """Push out the output `print` has buffered, as the reference's line-buffered stdout would have by now
    (VM.flush says when that matters); a runtime without `flush` (a test's stand-in) has nothing to push."""
    flush = getattr(rt, "flush", None)
    if flush is not None:
        flush()


def _flushing_first(fn: BuiltinFn) -> BuiltinFn:
    def flushing(rt: Any, args: list) -> Any:
        flush_output(rt)
        return fn(rt, args)

    flushing.__name__ = getattr(fn, "__name__", "builtin")
    flushing.__wrapped__ = fn  # type: ignore[attr-defined]
    return flushing


# ----------------------------------------------------------------------------- argument checks


def plural(n: int, word: str = "argument") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def arity_error(name: str, expected: str, got: int) -> RuffError:
    return RuffError(f"{name}() expects {expected}, got {got}")


def check_arity(name: str, args: list, n: int) -> None:
    if len(args) != n:
        raise arity_error(name, plural(n), len(args))


def check_arity_range(name: str, args: list, lo: int, hi: int) -> None:
    n = len(args)
    if n < lo or n > hi:
        if hi == lo + 1:
            expected = f"{lo} or {hi} arguments"
        else:
            expected = f"{lo} to {hi} arguments"
        raise arity_error(name, expected, n)


def check_min_arity(name: str, args: list, lo: int) -> None:
    if len(args) < lo:
        raise arity_error(name, f"at least {plural(lo)}", len(args))


def type_error(name: str, what: str, v: Any) -> RuffError:
    return RuffError(f"{name}() expects {what}, got {type_name_of(v)}")


def type_name_of(v: Any) -> str:
    """Type names as `type()` reports them: the runtime's names, except that every callable is a
    "function" and Result/Option values are "result"/"option"."""
    t = type(v)
    if t is Builtin:
        return "function"
    if t is EnumValue:
        if v.enum == "Result":
            return "result"
        if v.enum == "Option":
            return "option"
    return type_name(v)


def is_number(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def num_arg(name: str, v: Any, what: str = "a number") -> float:
    t = type(v)
    if t is int or t is float:
        return v
    raise type_error(name, what, v)


def int_arg(name: str, v: Any, what: str = "an integer") -> int:
    """An int, or a float truncated toward zero (the reference accepts both for counts/indexes)."""
    t = type(v)
    if t is int:
        return v
    if t is float:
        if math.isnan(v) or math.isinf(v):
            raise RuffError(f"{name}() expects a finite number, got {format_float(v)}")
        return int(v)
    raise type_error(name, what, v)


def strict_int_arg(name: str, v: Any, what: str = "an integer") -> int:
    if type(v) is int:
        return v
    raise type_error(name, what, v)


def str_arg(name: str, v: Any, what: str = "a string") -> str:
    if type(v) is str:
        return v
    raise type_error(name, what, v)


def dict_arg(name: str, v: Any) -> dict:
    if type(v) is dict:
        return v
    raise type_error(name, "a dict", v)


def dict_key(name: str, k: Any) -> StoredKey:
    """The stored form (see ruff.runtime.dict_keys) of a key a Ruff program gives a builtin: an int stays
    the int, a string that spells one becomes it."""
    t = type(k)
    if t is str:
        return text_key(k)
    if t is int:
        return k
    raise type_error(name, "a string key", k)


def is_callable(v: Any) -> bool:
    t = type(v)
    return t is Closure or t is Builtin or t is BoundMethod or t is VariantConstructor


def fn_arg(name: str, v: Any) -> Any:
    if is_callable(v):
        return v
    raise type_error(name, "a function", v)


def check_i64(name: str, r: int) -> int:
    if I64_MIN <= r <= I64_MAX:
        return r
    raise RuffError(f"Integer overflow: {name}")


# ----------------------------------------------------------------------------- arrays and iterables


def as_list(name: str, v: Any, what: str = "an array") -> list:
    """The elements of an array-like argument: arrays, ranges, iterators, generators, collections.

    Returns the list itself for a real array (callers must copy before mutating)."""
    if type(v) is list:
        return v
    to_list = getattr(v, "ruff_to_list", None)
    if to_list is not None:
        return to_list()
    t = type(v)
    if t is not str and t is not dict and t is not bytes and not isinstance(v, StructInstance) and hasattr(v, "__iter__"):
        return list(v)
    raise type_error(name, what, v)


def is_array_like(v: Any) -> bool:
    return type(v) is list or hasattr(v, "ruff_to_list")


# ----------------------------------------------------------------------------- hashing for dedupe


def hash_key(v: Any, depth: int = 0) -> Any:
    """A hashable key such that values_equal(a, b) implies hash_key(a) == hash_key(b) (for sets/unique).
    A value that contains itself has none: it is an error, found at CYCLE_CHECK_DEPTH."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return ("n", v)
    if t is float:
        if v.is_integer():
            return ("n", int(v))
        return ("n", v)
    if t is bool:
        return ("b", v)
    if v is None:
        return ("null",)
    if t is bytes:
        return ("y", v)
    if depth == CYCLE_CHECK_DEPTH and has_cycle(v):
        raise RuffError("A value that contains itself cannot be a set element or be compared by unique()")
    depth += 1
    if t is list:
        return ("a", tuple(hash_key(x, depth) for x in v))
    if t is dict:
        # By key text: a dict holds both int and str keys (ruff.runtime.dict_keys), which do not compare.
        return ("d", tuple((k, hash_key(x, depth)) for k, x in sorted_text_items(v)))
    if t is EnumValue:
        return ("e", v.enum, v.variant, tuple(hash_key(x, depth) for x in v.values))
    if isinstance(v, StructInstance):
        return ("s", id(v.type), tuple((k, hash_key(x, depth)) for k, x in v.field_items()))
    to_list = getattr(v, "ruff_to_list", None)
    if to_list is not None and getattr(v, "ruff_type_name", "") == "array":
        return ("a", tuple(hash_key(x) for x in to_list()))
    return ("id", id(v))


def equal(a: Any, b: Any) -> bool:
    """values_equal, treating lazy ranges like the arrays they stand for."""
    if hasattr(a, "ruff_to_list") and getattr(a, "ruff_type_name", "") == "array":
        a = a.ruff_to_list()
    if hasattr(b, "ruff_to_list") and getattr(b, "ruff_type_name", "") == "array":
        b = b.ruff_to_list()
    return values_equal(a, b)


# ----------------------------------------------------------------------------- comparisons for sort/min/max


def compare(a: Any, b: Any) -> int:
    """The reference's sort order: numbers numerically, strings lexically, anything else equal."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        if a < b:
            return -1
        if a > b:
            return 1
        return 0
    if ta is str and tb is str:
        return -1 if a < b else (1 if a > b else 0)
    return 0


# ----------------------------------------------------------------------------- debug formats


def rust_str_debug(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\0":
            out.append("\\0")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def value_debug(v: Any) -> str:
    """The reference's `{:?}` of a value, used in assertion failure messages (`Int(5)`, `Array[3]`)."""
    t = type(v)
    if t is int:
        return f"Int({v})"
    if t is float:
        return f"Float({format_float(v)})"
    if t is str:
        return f"Str({rust_str_debug(v)})"
    if t is bool:
        return f"Bool({'true' if v else 'false'})"
    if v is None:
        return "Null"
    if t is list:
        return f"Array[{len(v)}]"
    if t is dict:
        return f"Dict{{{len(v)} keys}}"
    if t is bytes:
        return bytes_debug(v)
    if t is EnumValue:
        if v.enum in ("Result", "Option"):
            if not v.values:
                return v.variant
            return f"{v.variant}(" + ", ".join(value_debug(x) for x in v.values) + ")"
        inner = ", ".join(value_debug(x) for x in v.values)
        return f"{v.enum}::{v.variant}" + (f"({inner})" if v.values else "")
    if isinstance(v, StructInstance):
        fields = ", ".join(f"{rust_str_debug(k)}: {value_debug(x)}" for k, x in sorted(v.field_items()))
        return f'Struct {{ name: {rust_str_debug(v.type.name)}, fields: {{{fields}}} }}'
    if t is ErrorObject:
        return f"ErrorObject {{ message: {rust_str_debug(v.message)}, line: {v.line} }}"
    if t is Builtin:
        return f"NativeFunction({v.name})"
    if t is Closure:
        return f"Function({v.name})"
    custom = getattr(v, "ruff_debug", None)
    if custom is not None:
        return custom()
    return display(v)


def bytes_debug(v: bytes) -> str:
    """The reference's `{:?}` of a bytes value (debug(), assertion messages): `Bytes(3 bytes)`."""
    return f"Bytes({len(v)} bytes)"


class _Cyclic(Exception):
    """format_debug met a value that contains itself: it starts over, marking the cycles."""


def format_debug(v: Any) -> str:
    """What `debug(x)` prints for one value (`Int(1)`, `String("a")`, `Array[Int(1), Int(2)]`). A way back
    into a container that contains itself shows as `Array[...]`, `Dict{...}`, `Variant(...)`; the text is
    written into one list of parts (linear in its size however deep the value; see values.display)."""
    out: list[str] = []
    try:
        _write_debug(v, out, 0, None)
    except _Cyclic:
        out = []
        _write_debug(v, out, 0, set())
    return "".join(out)


def _write_debug(v: Any, out: list, depth: int, active: Optional[set[int]]) -> None:
    t = type(v)
    if t is list or t is dict or t is EnumValue:
        if active is None:
            if depth == CYCLE_CHECK_DEPTH and has_cycle(v):
                raise _Cyclic
        elif id(v) in active:
            out.append("Array[...]" if t is list else "Dict{...}" if t is dict else f"{v.variant}(...)")
            return
        else:
            active.add(id(v))
        _write_debug_container(v, out, depth + 1, active)
        if active is not None:
            active.discard(id(v))
        return
    out.append(_debug_scalar(v))


def _write_debug_items(items: Any, out: list, depth: int, active: Optional[set[int]]) -> None:
    first = True
    for x in items:
        if first:
            first = False
        else:
            out.append(", ")
        _write_debug(x, out, depth, active)


def _write_debug_container(v: Any, out: list, depth: int, active: Optional[set[int]]) -> None:
    t = type(v)
    if t is list:
        out.append("Array[")
        _write_debug_items(v, out, depth, active)
        out.append("]")
    elif t is dict:
        out.append("Dict{")
        first = True
        for k, x in sorted_text_items(v):
            if first:
                first = False
            else:
                out.append(", ")
            out.append(f"{k}: ")
            _write_debug(x, out, depth, active)
        out.append("}")
    else:
        out.append(v.variant if v.enum in ("Result", "Option") else f"{v.enum}::{v.variant}")
        if v.values:
            out.append("(")
            _write_debug_items(v.values, out, depth, active)
            out.append(")")


def _debug_scalar(v: Any) -> str:
    t = type(v)
    if t is int:
        return f"Int({v})"
    if t is float:
        return f"Float({format_float(v)})"
    if t is str:
        return f'String("{v}")'
    if t is bool:
        return f"Bool({'true' if v else 'false'})"
    if v is None:
        return "Null"
    if t is bytes:
        return bytes_debug(v)
    if isinstance(v, StructInstance):
        return f"Struct({v.type.name})"
    if t is StructType:
        return f"StructDef({v.name})"
    if t is ErrorObject:
        return f'ErrorObject("{v.message}")'
    if t is Builtin:
        return f"NativeFunction({v.name})"
    if t is Closure or t is BoundMethod or t is VariantConstructor:
        return "Function"
    kind = getattr(v, "ruff_type_name", "")
    if kind == "array" and hasattr(v, "ruff_to_list"):
        return format_debug(v.ruff_to_list())
    if kind in ("set", "queue", "stack"):
        inner = ", ".join(format_debug(x) for x in v.items)
        return {"set": "Set{%s}", "queue": "Queue[%s]", "stack": "Stack[%s]"}[kind] % inner
    custom = getattr(v, "ruff_debug", None)
    if custom is not None:
        return custom()
    return display(v)


def iter_values(items: Iterable[Any]) -> str:
    return ", ".join(display_nested(x) for x in items)


def optional(args: list, i: int, default: Any = None) -> Optional[Any]:
    return args[i] if len(args) > i else default
