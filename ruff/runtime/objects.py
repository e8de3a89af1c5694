"""Operations on Ruff values and errors that every tier shares: the interpreter, the fast tier's generated
code, the lifted-IR interpreter and the builtins call these, so each behaves — and fails with the same
message — in one place. (Operators are ruff.runtime.ops; calls, fields and method lookup need the
executor and are methods of VM.)
"""

from __future__ import annotations

from typing import Any

from ruff.frontend.bytecode import MatchPat
from ruff.limits import MAX_FRAMES
from ruff.runtime.dict_keys import key_texts, text_key
from ruff.runtime.values import (
    EnumValue, ErrorObject, RuffError, StructInstance, StructType, count_upto, display, new_struct, note_nonfloat,
    type_name, values_equal,
)


# ----------------------------------------------------------------------------- errors


def stack_overflow(name: str) -> RuffError:
    """The error for a call that would make the Ruff call stack deeper than MAX_FRAMES (every tier)."""
    return RuffError(f"Stack overflow: call depth exceeded {MAX_FRAMES} in {name}")


def python_stack_overflow(name: str) -> RuffError:
    """The error when Python itself runs out of stack (RecursionError) inside Ruff function `name`: deep
    recursion through builtins' callbacks, or a thread's smaller stack."""
    return RuffError(f"Stack overflow: call depth exceeded in {name}")


def non_callable_message(fn: Any) -> str:
    return (f"Cannot call non-function; the value being called is {type_name(fn)}. "
            "Pass a function, closure, or imported callable value instead.")


def thrown(value: Any) -> RuffError:
    """`throw(value)`: strings become error objects with that message; other values travel as they are."""
    if type(value) is str:
        return RuffError(value, ErrorObject(value))
    if type(value) is ErrorObject:
        return RuffError(value.message, value)
    if isinstance(value, StructInstance) and value.has_field("message"):
        return RuffError(display(value.get_field("message")), value)
    return RuffError(display(value), value)


def error_value(err: RuffError, unwound: list[str]) -> Any:
    """What `except e` binds: its stack names the functions the error left, innermost first.

    Like the reference, the error object's line is 0; the line is in the uncaught-error report.
    """
    if err.value is None:
        err.value = ErrorObject(err.message, 0, list(unwound))
    elif type(err.value) is ErrorObject and not err.value.stack:
        err.value.stack = list(unwound)
    return err.value


# ----------------------------------------------------------------------------- containers, structs, iteration


def dict_key(k: Any) -> Any:
    """The key a dict stores for Ruff key `k` (ruff.runtime.dict_keys: a number's text is the int)."""
    t = type(k)
    if t is int:
        return k
    if t is str:
        return text_key(k)
    raise RuffError(f"Dictionary keys must be strings or integers, got {type_name(k)}")


def array_push(rt: Any, arr: Any, value: Any) -> Any:
    """ArrayPush: append in place; on anything but an array, what the `push` builtin makes of it."""
    if type(arr) is list:
        arr.append(value)
        return arr
    return rt.builtins["push"].fn(rt, [arr, value])


def index_get(obj: Any, idx: Any) -> Any:
    t = type(obj)
    if t is list:
        if type(idx) is int:
            n = len(obj)
            if -n <= idx < n:
                return obj[idx]
            raise RuffError(f"Index out of bounds: {idx}")
    elif t is dict:
        ti = type(idx)
        if ti is str or ti is int:
            key = idx if ti is int else text_key(idx)
            if key in obj:
                return obj[key]
            raise RuffError(f"Missing map key: {idx}" if ti is int else f'Missing map key: "{idx}"')
    elif t is str:
        if type(idx) is int:
            n = len(obj)
            if -n <= idx < n:
                return obj[idx]
            raise RuffError(f"Index out of bounds: {idx}")
    elif t is range:
        if type(idx) is int and -len(obj) <= idx < len(obj):
            return obj[idx]
        raise RuffError(f"Index out of bounds: {idx}")
    elif t is bytes:
        return bytes_index(obj, idx)
    else:
        getter = getattr(obj, "ruff_index", None)
        if getter is not None:
            return getter(idx)
    raise RuffError(f"Cannot index {type_name(obj)} with {type_name(idx)}")


def bytes_index(obj: bytes, idx: Any) -> int:
    """`b[i]`: the byte at i as an int, negative i counting from the end; the reference also takes a
    float index, truncated toward zero."""
    ti = type(idx)
    if ti is float:
        if idx != idx or idx in (float("inf"), float("-inf")):
            raise RuffError("Invalid index operation")
        shown, idx = display(idx), int(idx)
    elif ti is int:
        shown = str(idx)
    else:
        raise RuffError(f"Cannot index bytes with {type_name(idx)}")
    n = len(obj)
    if -n <= idx < n:
        return obj[idx]
    raise RuffError(f"Index out of bounds: {shown}")


def index_set(obj: Any, idx: Any, value: Any) -> None:
    t = type(obj)
    if t is list:
        if type(idx) is int:
            n = len(obj)
            if -n <= idx < n:
                obj[idx] = value
                return
            raise RuffError(f"Index out of bounds: {idx}")
    elif t is dict:
        obj[dict_key(idx)] = value
        return
    raise RuffError(f"Cannot assign to index of {type_name(obj)}")


def field_set(obj: Any, name: str, value: Any) -> None:
    t = type(obj)
    if isinstance(obj, StructInstance):
        slot = obj.type.slots.get(name)
        if slot is None:
            raise RuffError(f"Struct {obj.type.name} has no field '{name}'")
        setattr(obj, slot, value)
        if type(value) is not float:
            note_nonfloat(obj, name)
        return
    if t is dict:
        obj[name] = value
        return
    raise RuffError(f"Cannot set field '{name}' on {type_name(obj)}")


def make_struct(stype: Any, names: tuple, vals: list) -> StructInstance:
    if type(stype) is not StructType:
        raise RuffError(f"{display(stype)} is not a struct type")
    fields: dict[str, Any] = {}
    given = dict(zip(names, vals))
    for f in stype.fields:
        if f in given:
            fields[f] = given.pop(f)
        elif f in stype.defaults:
            d = stype.defaults[f]
            fields[f] = list(d) if type(d) is list else dict(d) if type(d) is dict else d
        else:
            fields[f] = None
    if given:
        raise RuffError(f"Struct {stype.name} has no field '{next(iter(given))}'")
    return new_struct(stype, fields)


def make_iterator(v: Any) -> Any:
    t = type(v)
    if t is list:
        return iter(v)
    if t is int or t is float:
        return iter(range(count_upto(v)))
    if t is dict:
        return iter(key_texts(v))
    if t is str or t is range:
        return iter(v)
    if hasattr(v, "__next__"):
        return v
    if hasattr(v, "__iter__") and not isinstance(v, StructInstance):
        return iter(v)
    raise RuffError(f"Cannot iterate over {type_name(v)}")


def match_pattern(p: MatchPat, v: Any, bound: list) -> bool:
    kind = p.kind
    if kind == "wild":
        return True
    if kind == "bind":
        bound.append(v)
        return True
    if kind == "lit":
        return values_equal(p.value, v) and (type(p.value) is bool) == (type(v) is bool)
    if kind == "variant":
        enum, variant = p.value
        if type(v) is EnumValue:
            if v.variant != variant or (enum is not None and enum != v.enum):
                return False
            if not p.subpatterns:
                return True
            if len(p.subpatterns) != len(v.values):
                return False
            return all(match_pattern(sp, x, bound) for sp, x in zip(p.subpatterns, v.values))
        return False
    if kind == "array":
        if hasattr(v, "ruff_to_list"):  # a range: never built when its length alone rules the pattern out
            if v.length() < len(p.subpatterns) or (p.rest is None and v.length() != len(p.subpatterns)):
                return False
            v = v.ruff_to_list()
        if type(v) is not list:
            return False
        n = len(p.subpatterns)
        if len(v) < n or (p.rest is None and len(v) != n):
            return False
        if not all(match_pattern(sp, x, bound) for sp, x in zip(p.subpatterns, v)):
            return False
        if p.rest:
            bound.append(v[n:])
        return True
    if kind == "dict":
        if type(v) is not dict:
            return False
        named = [text_key(k) for k in p.value]
        for k in named:
            if k not in v:
                return False
            bound.append(v[k])
        if p.rest:
            bound.append({k: x for k, x in v.items() if k not in named})
        return True
    return False


# ----------------------------------------------------------------------------- async


def await_value(v: Any) -> Any:
    waiter = getattr(v, "ruff_await", None)
    return waiter() if waiter is not None else v
