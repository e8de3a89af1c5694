"""Math builtins: abs sqrt pow floor ceil round min max sin cos tan log exp, bit operations."""

import math

import pytest

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.builtins import BUILTINS
from ruff.runtime.values import Builtin
from kit import call, raises


def typed(v, t, expected):
    assert type(v) is t, (v, t)
    assert v == expected


def test_abs():
    typed(call("abs", -42), int, 42)
    typed(call("abs", -2.5), float, 2.5)
    assert raises("abs", I64_MIN) == f"Integer overflow: abs({I64_MIN})"
    assert raises("abs", "x") == "abs() expects a number, got string"
    assert raises("abs") == "abs() expects 1 argument, got 0"


def test_sqrt():
    typed(call("sqrt", 144), float, 12.0)
    typed(call("sqrt", 2.25), float, 1.5)
    assert raises("sqrt", -1) == "sqrt() domain error: value must be >= 0"
    assert raises("sqrt", "x") == "sqrt() expects a number, got string"


def test_pow():
    typed(call("pow", 2, 10), int, 1024)
    typed(call("pow", -3, 3), int, -27)
    typed(call("pow", 2, -1), float, 0.5)
    typed(call("pow", 2.0, 3), float, 8.0)
    typed(call("pow", 9, 0.5), float, 3.0)
    typed(call("pow", 1, 10**6), int, 1)
    assert math.isnan(call("pow", -8, 1 / 3))
    assert call("pow", 10.0, 400) == math.inf
    assert raises("pow", 2, 63) == "Integer overflow: pow(2, 63)"
    assert raises("pow", 3, 10**9) == f"Integer overflow: pow(3, {10**9})"
    assert raises("pow", 2, "x") == "pow() expects numeric arguments, got string"
    assert raises("pow", 2) == "pow() expects 2 arguments, got 1"


def test_floor_ceil_round_return_floats_like_the_reference():
    typed(call("floor", 3.9), float, 3.0)
    typed(call("floor", -3.1), float, -4.0)
    typed(call("ceil", 3.1), float, 4.0)
    typed(call("floor", 5), float, 5.0)
    typed(call("round", 3.7), float, 4.0)
    typed(call("round", 2.5), float, 3.0)
    typed(call("round", -2.5), float, -3.0)
    typed(call("round", 0.49999999999999994), float, 0.0)
    typed(call("round", 3.14159, 2), float, 3.14)
    typed(call("round", 2.675, 2), float, 2.68)
    assert call("floor", math.inf) == math.inf
    raises("floor", "1", match="floor() expects a number, got string")
    raises("ceil", match="ceil() expects 1 argument, got 0")
    raises("round", 1.5, "x", match="round() expects an integer digit count, got string")


def test_min_max():
    typed(call("min", 5, 10), int, 5)
    typed(call("max", 5, 10), int, 10)
    typed(call("max", 2.5, 1), float, 2.5)
    typed(call("min", 1, 2.5), float, 1.0)
    typed(call("min", 3, 1, 2), int, 1)
    typed(call("max", [3, 9, 2]), int, 9)
    typed(call("min", call("range", 4, 8)), int, 4)
    typed(call("max", float("nan"), 1.0), float, 1.0)
    raises("min", 1, match="min() expects 2 arguments, got 1")
    raises("max", "a", "b", match="max() expects numeric arguments, got string")
    raises("max", [], match="max() of an empty array")


def test_transcendental():
    typed(call("sin", 0), float, 0.0)
    typed(call("cos", 0), float, 1.0)
    assert call("tan", math.pi / 4) == pytest.approx(1.0)
    typed(call("log", math.e), float, 1.0)
    assert call("log", 10) == pytest.approx(2.302585092994046)
    typed(call("exp", 0), float, 1.0)
    assert call("exp", 1000) == math.inf
    assert raises("log", 0) == "log() domain error: value must be > 0"
    for name in ("sin", "cos", "tan", "log", "exp"):
        raises(name, "x", match=f"{name}() expects a number, got string")
        raises(name, 1, 2, match=f"{name}() expects 1 argument, got 2")


def test_bit_operations():
    assert call("bit_and", 0b1100, 0b1010) == 0b1000
    assert call("bit_or", 0b1100, 0b1010) == 0b1110
    assert call("bit_xor", 0b1100, 0b1010) == 0b0110
    assert call("bit_not", 0) == -1
    assert call("bit_shl", 3, 4) == 48
    assert call("bit_shr", 16, 2) == 4
    assert call("bit_shl", 1, 63) == I64_MIN
    assert call("bit_shr", -16, 2) == -4
    assert raises("bit_shr", 16, 64) == "bit_shr() expects a shift amount between 0 and 63"
    raises("bit_shl", 1, -1, match="shift amount between 0 and 63")
    raises("bit_and", 1.5, 1, match="bit_and() expects integer arguments, got float")
    raises("bit_or", 1, match="bit_or() expects 2 arguments, got 1")
    raises("bit_xor", 1, "2", match="bit_xor() expects integer arguments, got string")
    raises("bit_not", match="bit_not() expects 1 argument, got 0")


def test_results_stay_in_i64():
    assert call("pow", -2, 63) == I64_MIN
    assert call("abs", I64_MAX) == I64_MAX


def test_callable_from_ruff_values():
    assert type(BUILTINS["sqrt"]) is Builtin
