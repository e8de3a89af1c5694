"""Ruff's operators on values: checked i64 arithmetic, promotion, comparisons.

Every tier uses these functions (the executor directly, the fast tier from generated code, the
native tier for its error messages), so the semantics (docs/LANGUAGE.md, "Semantics that are easy to get
wrong") live in exactly one place.
Operator overloading on structs is not here: the executor sees a StructInstance operand and calls
its `op_*` method as an ordinary Ruff call.
"""

from __future__ import annotations

import math
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.values import RuffError, type_name, values_equal

OVERLOAD_METHOD = {
    "+": "op_add", "-": "op_sub", "*": "op_mul", "/": "op_div", "%": "op_mod",
    "==": "op_eq", "!=": "op_ne", "<": "op_lt", ">": "op_gt", "<=": "op_le", ">=": "op_ge",
}


def invalid(op: str, a: Any, b: Any) -> RuffError:
    return RuffError(f"Invalid binary operation: {type_name(a)} {op} {type_name(b)}")


def overflow(op: str, a: int, b: int) -> RuffError:
    return RuffError(f"Integer overflow: {a} {op} {b}")


def check_i64(r: int, op: str, a: int, b: int) -> int:
    if I64_MIN <= r <= I64_MAX:
        return r
    raise overflow(op, a, b)


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a + b
        if I64_MIN <= r <= I64_MAX:
            return r
        raise overflow("+", a, b)
    if ta is str and tb is str:
        return a + b
    if _is_num(a) and _is_num(b):
        return float(a) + float(b)
    raise invalid("+", a, b)


def sub(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        r = a - b
        if I64_MIN <= r <= I64_MAX:
            return r
        raise overflow("-", a, b)
    if _is_num(a) and _is_num(b):
        return float(a) - float(b)
    raise invalid("-", a, b)


def mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a * b
        if I64_MIN <= r <= I64_MAX:
            return r
        raise overflow("*", a, b)
    if _is_num(a) and _is_num(b):
        return float(a) * float(b)
    raise invalid("*", a, b)


def div(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        if b == 0:
            raise RuffError("Division by zero")
        if a == I64_MIN and b == -1:
            raise overflow("/", a, b)
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b >= 0) else -q
    if _is_num(a) and _is_num(b):
        if b == 0:
            raise RuffError("Division by zero")
        return float(a) / float(b)
    raise invalid("/", a, b)


def mod(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        if b == 0:
            raise RuffError("Modulo by zero")
        if a == I64_MIN and b == -1:
            raise overflow("%", a, b)
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    if _is_num(a) and _is_num(b):
        if b == 0:
            raise RuffError("Modulo by zero")
        fa = float(a)
        if math.isinf(fa):
            return math.nan  # C's fmod (and the reference's `%`) gives NaN; Python's raises
        return math.fmod(fa, float(b))
    raise invalid("%", a, b)


def neg(a: Any) -> Any:
    t = type(a)
    if t is int:
        if a == I64_MIN:
            raise RuffError(f"Integer overflow: -({a})")
        return -a
    if t is float:
        return -a
    raise RuffError(f"Invalid unary operation: - {type_name(a)}")


def _ordered(op: str, a: Any, b: Any) -> tuple[Any, Any]:
    """The operands as `<`, `>`, `<=`, `>=` compare them: an int against a float is converted to the nearest
    float first, as in arithmetic and in the reference (Python alone would compare them exactly)."""
    ta, tb = type(a), type(b)
    if ta is tb and (ta is int or ta is float or ta is str):
        return a, b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return float(a), float(b)
    if ta is str and tb is str:
        return a, b
    raise invalid(op, a, b)


def lt(a: Any, b: Any) -> bool:
    a, b = _ordered("<", a, b)
    return a < b


def gt(a: Any, b: Any) -> bool:
    a, b = _ordered(">", a, b)
    return a > b


def le(a: Any, b: Any) -> bool:
    a, b = _ordered("<=", a, b)
    return a <= b


def ge(a: Any, b: Any) -> bool:
    a, b = _ordered(">=", a, b)
    return a >= b


def eq(a: Any, b: Any) -> bool:
    return values_equal(a, b)


def ne(a: Any, b: Any) -> bool:
    return not values_equal(a, b)


BINARY = {"+": add, "-": sub, "*": mul, "/": div, "%": mod, "<": lt, ">": gt, "<=": le, ">=": ge, "==": eq, "!=": ne}
