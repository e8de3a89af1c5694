"""Math builtins: abs sqrt pow floor ceil round min max sin cos tan log exp, bit operations.

Following the reference, sqrt/floor/ceil/round and the transcendental functions return floats
(whole floats print without ".0", so `floor(3.9)` prints 3). abs, min, max and pow keep ints
when every argument is an int, with i64 overflow checks (`Integer overflow: ...`).
"""

from __future__ import annotations

import math as _m
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import (
    Registry, arity_error, as_list, is_array_like, num_arg, plural, strict_int_arg, type_error,
)

reg = Registry()

PI = _m.pi
E = _m.e


def _one_number(name: str, args: list) -> Any:
    if len(args) != 1:
        raise arity_error(name, "1 argument", len(args))
    v = args[0]
    t = type(v)
    if t is int or t is float:
        return v
    raise type_error(name, "a number", v)


@reg("abs", fast=True)
def abs_(rt: Any, args: list) -> Any:
    x = _one_number("abs", args)
    if type(x) is int:
        if x == I64_MIN:
            raise RuffError(f"Integer overflow: abs({x})")
        return -x if x < 0 else x
    return abs(x)


@reg("sqrt")
def sqrt(rt: Any, args: list) -> float:
    x = _one_number("sqrt", args)
    if x < 0:
        raise RuffError("sqrt() domain error: value must be >= 0")
    return _m.sqrt(x)


def _finite_round(name: str, x: Any, op: Any) -> float:
    if type(x) is int:
        return float(x)
    if x != x or x in (_m.inf, -_m.inf):
        return x
    return float(op(x))


@reg("floor")
def floor(rt: Any, args: list) -> float:
    return _finite_round("floor", _one_number("floor", args), _m.floor)


@reg("ceil")
def ceil(rt: Any, args: list) -> float:
    return _finite_round("ceil", _one_number("ceil", args), _m.ceil)


_ROUND_DIGITS = 400
_ROUND_CONTEXT = Context(prec=1000)


def round_half_away(x: float) -> float:
    if x >= 0:
        r = _m.floor(x)
        return float(r + 1 if x - r >= 0.5 else r)
    return -round_half_away(-x)


@reg("round")
def round_(rt: Any, args: list) -> float:
    """round(x) rounds half away from zero (as Rust's f64::round); round(x, digits) is an extension."""
    if len(args) == 2:
        x = num_arg("round", args[0])
        digits = strict_int_arg("round", args[1], "an integer digit count")
        if type(x) is int and digits >= 0:
            return float(x)
        if type(x) is float and (x != x or x in (_m.inf, -_m.inf)):
            return x
        # Past ±400 digits nothing changes (a float's shortest text ends within 341 places after the
        # point, and no float reaches 10**309), and the precision below holds every result exactly.
        digits = max(-_ROUND_DIGITS, min(_ROUND_DIGITS, digits))
        q = Decimal(1).scaleb(-digits)
        return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP, context=_ROUND_CONTEXT))
    x = _one_number("round", args)
    if type(x) is int:
        return float(x)
    if x != x or x in (_m.inf, -_m.inf):
        return x
    return round_half_away(x)


def _pow_float(a: float, b: float) -> float:
    try:
        return _m.pow(a, b)
    except ValueError:
        return _m.nan
    except OverflowError:
        if a < 0 and float(b).is_integer() and int(b) % 2 == 1:
            return -_m.inf
        return _m.inf


@reg("pow", fast=True)
def pow_(rt: Any, args: list) -> Any:
    if len(args) != 2:
        raise arity_error("pow", "2 arguments", len(args))
    a, b = args
    ta, tb = type(a), type(b)
    if not (ta is int or ta is float):
        raise type_error("pow", "numeric arguments", a)
    if not (tb is int or tb is float):
        raise type_error("pow", "numeric arguments", b)
    if ta is int and tb is int and b >= 0:
        if b > 64 and abs(a) > 1:
            raise RuffError(f"Integer overflow: pow({a}, {b})")
        r = a ** b
        if I64_MIN <= r <= I64_MAX:
            return r
        raise RuffError(f"Integer overflow: pow({a}, {b})")
    return _pow_float(float(a), float(b))


def _min_max(name: str, args: list, pick_first: Any) -> Any:
    if len(args) == 1 and is_array_like(args[0]):
        items = as_list(name, args[0])
        if not items:
            raise RuffError(f"{name}() of an empty array")
    elif len(args) >= 2:
        items = args
    else:
        raise arity_error(name, "2 arguments", len(args))
    best = items[0]
    if type(best) is not int and type(best) is not float:
        raise type_error(name, "numeric arguments", best)
    all_int = type(best) is int
    for x in items[1:]:
        tx = type(x)
        if tx is not int and tx is not float:
            raise type_error(name, "numeric arguments", x)
        if tx is float:
            all_int = False
        if x != x:
            continue
        if best != best or pick_first(x, best):
            best = x
    return best if all_int else float(best)


@reg("min", fast=True)
def min_(rt: Any, args: list) -> Any:
    return _min_max("min", args, lambda x, best: x < best)


@reg("max", fast=True)
def max_(rt: Any, args: list) -> Any:
    return _min_max("max", args, lambda x, best: x > best)


def _unary_float(name: str, op: Any, domain: Any = None) -> Any:
    def fn(rt: Any, args: list) -> float:
        x = _one_number(name, args)
        if domain is not None:
            domain(x)
        try:
            return op(x)
        except OverflowError:
            return _m.inf
        except ValueError:
            return _m.nan

    return fn


def _log_domain(x: Any) -> None:
    if x <= 0:
        raise RuffError("log() domain error: value must be > 0")


reg.functions["sin"] = _unary_float("sin", _m.sin)
reg.functions["cos"] = _unary_float("cos", _m.cos)
reg.functions["tan"] = _unary_float("tan", _m.tan)
reg.functions["log"] = _unary_float("log", _m.log, _log_domain)
reg.functions["exp"] = _unary_float("exp", _m.exp)


# ----------------------------------------------------------------------------- bit operations


def _bits(name: str, args: list, n: int) -> list:
    if len(args) != n:
        raise arity_error(name, plural(n), len(args))
    return [strict_int_arg(name, a, "integer arguments") for a in args]


def _wrap64(x: int) -> int:
    x &= 0xFFFFFFFFFFFFFFFF
    return x - (1 << 64) if x >= (1 << 63) else x


@reg("bit_and")
def bit_and(rt: Any, args: list) -> int:
    a, b = _bits("bit_and", args, 2)
    return a & b


@reg("bit_or")
def bit_or(rt: Any, args: list) -> int:
    a, b = _bits("bit_or", args, 2)
    return a | b


@reg("bit_xor")
def bit_xor(rt: Any, args: list) -> int:
    a, b = _bits("bit_xor", args, 2)
    return a ^ b


@reg("bit_not")
def bit_not(rt: Any, args: list) -> int:
    (a,) = _bits("bit_not", args, 1)
    return ~a


def _shift_amount(name: str, s: int) -> int:
    if s < 0 or s > 63:
        raise RuffError(f"{name}() expects a shift amount between 0 and 63")
    return s


@reg("bit_shl")
def bit_shl(rt: Any, args: list) -> int:
    a, s = _bits("bit_shl", args, 2)
    return _wrap64(a << _shift_amount("bit_shl", s))


@reg("bit_shr")
def bit_shr(rt: Any, args: list) -> int:
    a, s = _bits("bit_shr", args, 2)
    return a >> _shift_amount("bit_shr", s)


CONSTANTS = {"PI": PI, "E": E}
