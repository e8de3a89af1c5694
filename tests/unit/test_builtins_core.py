"""Core builtins: output, len/type/is_*, conversions, range, input, exit, assertions, debug."""

import subprocess
import sys

import pytest

from ruff.runtime.builtins import BUILTINS, CONSTANTS, ExitProgram, RuffRange, core, lookup_method
from ruff.runtime.values import Builtin, Closure, EnumValue, ErrorObject, RuffError, display
from kit import FakeRuntime, call, raises


def same(a, b):
    """Equality that also distinguishes bool from int and int from float."""
    if type(a) is not type(b):
        return False
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


# ----------------------------------------------------------------------------- output


def test_print_joins_with_space_and_ends_line():
    rt = FakeRuntime()
    call("print", "a", 1, 2.0, 1.5, [1, "x"], {"k": "v", "a": 1}, None, True, rt=rt)
    assert rt.output == 'a 1 2 1.5 [1, x] {"a": 1, "k": v} null true\n'


def test_print_no_args_and_println_alias():
    rt = FakeRuntime()
    assert call("print", rt=rt) is None
    call("println", "x", rt=rt)
    assert rt.output == "\nx\n"


def test_eprint_goes_to_stderr(capsys):
    rt = FakeRuntime()
    call("eprint", "oops", 1, rt=rt)
    assert capsys.readouterr().err == "oops 1\n"
    assert rt.output == ""


def test_debug_format():
    rt = FakeRuntime()
    call("debug", 1, "a", [1.5, None], {"b": True}, rt=rt)
    assert rt.output == '[DEBUG] Int(1) String("a") Array[Float(1.5), Null] Dict{b: Bool(true)}\n'
    rt = FakeRuntime()
    call("debug", call("range", 2), call("Set", [1]), call("Queue", ["q"]), call("Stack", []), None, rt=rt)
    assert rt.output == '[DEBUG] Array[Int(0), Int(1)] Set{Int(1)} Queue[String("q")] Stack[] Null\n'


def test_input_prompt_and_line():
    rt = FakeRuntime(stdin_lines=["Ann\n"])
    assert call("input", "name: ", rt=rt) == "Ann"
    assert rt.output == "name: "
    assert call("input", rt=FakeRuntime()) == ""
    with pytest.raises(RuffError, match="input\\(\\) expects a string prompt"):
        call("input", 5)
    raises("input", "a", "b", match="input() expects 0 or 1 arguments, got 2")


def test_exit_raises_exit_program():
    with pytest.raises(ExitProgram) as info:
        call("exit", 3)
    assert info.value.code == 3
    with pytest.raises(ExitProgram) as info:
        call("exit")
    assert info.value.code == 0
    assert not issubclass(ExitProgram, Exception)
    raises("exit", "x", match="exit() expects a numeric exit code")


# ----------------------------------------------------------------------------- len / type / is_*


def test_len():
    assert call("len", "héllo") == 5
    assert call("len", [1, 2, 3]) == 3
    assert call("len", {"a": 1}) == 1
    assert call("len", call("range", 10)) == 10
    assert call("len", call("Set", [1, 2, 2])) == 2
    assert raises("len", 1, 2) == "len() expects 1 argument, got 2"
    assert raises("len", 5) == "len() expects a string, array, dict, bytes, set, queue or stack, got int"


@pytest.mark.parametrize("value,name", [
    (1, "int"), (1.5, "float"), ("s", "string"), (True, "bool"), (None, "null"), ([1], "array"),
    ({}, "dict"), (RuffRange(range(2)), "array"), (EnumValue("Result", "Ok", (1,)), "result"),
    (EnumValue("Option", "None"), "option"), (ErrorObject("m"), "error"),
    (Builtin("x", lambda rt, a: None), "function"),
])
def test_type(value, name):
    assert call("type", value) == name
    assert call("type_of", value) == name


def test_type_arity():
    raises("type", match="type() expects 1 argument, got 0")


def test_is_checks():
    assert call("is_int", 1) is True and call("is_int", True) is False
    assert call("is_float", 1.0) is True and call("is_float", 1) is False
    assert call("is_number", 1) and call("is_number", 2.5) and not call("is_number", "1")
    assert call("is_string", "") is True and call("is_string", 1) is False
    assert call("is_bool", False) is True and call("is_bool", 0) is False
    assert call("is_array", []) is True and call("is_array", call("range", 2)) is True
    assert call("is_dict", {}) is True and call("is_dict", []) is False
    assert call("is_null", None) is True and call("is_null", 0) is False
    assert call("is_function", BUILTINS["len"]) is True and call("is_function", "len") is False
    assert call("is_truthy", []) is False and call("is_truthy", [0]) is True
    for name in ("is_int", "is_float", "is_number", "is_string", "is_bool", "is_array", "is_dict",
                 "is_null", "is_function", "is_truthy"):
        raises(name, 1, 2, match=f"{name}() expects 1 argument, got 2")


# ----------------------------------------------------------------------------- conversions


def test_to_string_and_str():
    assert call("to_string", 3.0) == "3"
    assert call("to_string", [1, "a"]) == "[1, a]"
    assert call("str", None) == "null"
    assert call("to_string", call("range", 3)) == "[0, 1, 2]"
    raises("to_string", match="to_string() expects 1 argument, got 0")
    raises("str", 1, 2, match="expects 1 argument, got 2")


def test_parse_int():
    assert same(call("parse_int", " 42 "), 42)
    assert same(call("parse_int", "-7"), -7)
    assert same(call("parse_int", "+7"), 7)
    raises("parse_int", "4.5", match="Cannot parse '4.5' as integer")
    raises("parse_int", "1_000", match="Cannot parse")
    raises("parse_int", "99999999999999999999", match="Cannot parse")
    raises("parse_int", 5, match="parse_int() expects a string, got int")


def test_parse_float():
    assert same(call("parse_float", "3.14"), 3.14)
    assert same(call("parse_float", "2"), 2.0)
    assert same(call("parse_float", "1e3"), 1000.0)
    raises("parse_float", "abc", match="Cannot parse 'abc' as float")
    raises("parse_float", None, match="parse_float() expects a string, got null")


def test_to_int():
    assert same(call("to_int", "123"), 123)
    assert same(call("to_int", 3.9), 3)
    assert same(call("to_int", -3.9), -3)
    assert same(call("to_int", True), 1)
    assert same(call("to_int", 7), 7)
    raises("to_int", "3.5", match="Cannot convert '3.5' to int")
    raises("to_int", [1], match="Cannot convert array to int")
    raises("to_int", float("nan"), match="Cannot convert NaN to int")
    raises("to_int", 1e30, match="Integer overflow")


def test_to_float():
    assert same(call("to_float", "3.14"), 3.14)
    assert same(call("to_float", 2), 2.0)
    assert same(call("to_float", False), 0.0)
    raises("to_float", "x", match="Cannot convert 'x' to float")
    raises("to_float", None, match="Cannot convert null to float")


def test_to_bool():
    assert call("to_bool", 1) is True
    assert call("to_bool", 0.0) is False
    assert call("to_bool", "false") is False
    assert call("to_bool", "0") is False
    assert call("to_bool", "yes") is True
    assert call("to_bool", "") is False
    assert call("to_bool", []) is False
    assert call("to_bool", None) is False
    raises("to_bool", match="to_bool() expects 1 argument, got 0")


# ----------------------------------------------------------------------------- range


def test_range_forms():
    assert display(call("range", 5)) == "[0, 1, 2, 3, 4]"
    assert display(call("range", 0 - 5)) == "[]"
    assert display(call("range", 2, 7)) == "[2, 3, 4, 5, 6]"
    assert display(call("range", 10, 5)) == "[]"
    assert display(call("range", 0, 10, 3)) == "[0, 3, 6, 9]"
    assert display(call("range", 10, 0, -2)) == "[10, 8, 6, 4, 2]"
    assert display(call("range", 3.7)) == "[0, 1, 2]"


def test_range_is_lazy_and_array_like():
    r = call("range", 10**12)
    assert type(r) is RuffRange
    assert len(r) == 10**12
    assert r.ruff_index(5) == 5
    assert r.ruff_index(-1) == 10**12 - 1
    with pytest.raises(RuffError, match="Index out of bounds: 10"):
        call("range", 10).ruff_index(10)
    assert list(iter(call("range", 3))) == [0, 1, 2]
    assert call("range", 3).ruff_to_list() == [0, 1, 2]
    assert core.materialize(call("range", 2)) == [0, 1]
    assert core.materialize("x") == "x"


def test_range_errors():
    raises("range", match="range() expects 1 to 3 arguments, got 0")
    raises("range", 1, 2, 3, 4, match="range() expects 1 to 3 arguments, got 4")
    raises("range", "a", match="range() expects numeric arguments, got string")
    raises("range", 0, 10, 0, match="range() step cannot be zero")


# ----------------------------------------------------------------------------- constructors


def test_dict_array_error_constructors():
    assert call("dict") == {}
    assert call("array", 1, 2) == [1, 2]
    assert call("array") == []
    e = call("error", "bad")
    assert type(e) is ErrorObject and e.message == "bad"
    raises("dict", 1, match="dict() expects 0 arguments, got 1")
    raises("error", match="error() expects 1 argument, got 0")


def test_collect_builtin():
    assert call("collect", [1, 2]) == [1, 2]
    assert call("collect", call("range", 3)) == [0, 1, 2]
    raises("collect", match="collect() expects 1 argument, got 0")


# ----------------------------------------------------------------------------- assertions


def test_assert():
    assert call("assert", 1 == 1) is True
    assert call("assert", True, "msg") is True
    assert raises("assert", False, "custom failure") == "custom failure"
    assert raises("assert", 0) == "Assertion failed"
    raises("assert", match="assert() expects 1 or 2 arguments, got 0")


def test_assert_equal_messages_match_reference():
    assert call("assert_equal", 5, 5) is True
    assert call("assert_equal", [1, {"a": 2}], [1, {"a": 2}]) is True
    assert call("assert_equal", 1, 1.0) is True
    assert call("assert_equal", call("range", 3), [0, 1, 2]) is True
    assert raises("assert_equal", 5, 10) == "Assertion failed: expected Int(10), got Int(5)"
    assert raises("assert_equal", "a", "b") == 'Assertion failed: expected Str("b"), got Str("a")'
    assert raises("assert_equal", [1], [1, 2]) == "Assertion failed: expected Array[2], got Array[1]"
    raises("assert_equal", 1, match="assert_equal() expects 2 arguments, got 1")


def test_assert_not_equal():
    assert call("assert_not_equal", 1, 2) is True
    raises("assert_not_equal", 1, 1, match="Assertion failed")
    raises("assert_not_equal", match="expects 2 arguments")


def test_assert_true_false():
    assert call("assert_true", True) is True
    assert call("assert_false", False) is True
    assert raises("assert_true", False) == "Assertion failed: expected true, got false"
    assert raises("assert_false", True) == "Assertion failed: expected false, got true"
    raises("assert_true", 1, match="assert_true() expects a boolean, got int")
    raises("assert_false", "x", match="assert_false() expects a boolean, got string")
    raises("assert_true", match="expects 1 argument, got 0")


def test_assert_contains():
    assert call("assert_contains", [1, 2, 3], 2) is True
    assert call("assert_contains", "hello", "ell") is True
    assert call("assert_contains", {"a": 1}, "a") is True
    assert raises("assert_contains", [1, 2, 3, 4, 5], 10) == \
        "Assertion failed: Array[5] does not contain Int(10)"
    raises("assert_contains", 5, 1, match="assert_contains() expects an array, string or dict, got int")


# ----------------------------------------------------------------------------- Result/Option methods


def test_result_option_methods():
    ok, err = EnumValue("Result", "Ok", (5,)), EnumValue("Result", "Err", ("bad",))
    some, none = EnumValue("Option", "Some", (1,)), EnumValue("Option", "None")
    m = lambda v, name, *a: lookup_method(v, name).fn(FakeRuntime(), [v, *a])  # noqa: E731
    assert m(ok, "is_ok") is True and m(err, "is_err") is True
    assert m(some, "is_some") is True and m(none, "is_none") is True
    assert m(ok, "unwrap") == 5 and m(none, "unwrap_or", 7) == 7 and m(some, "unwrap_or", 7) == 1
    with pytest.raises(RuffError, match="called unwrap\\(\\) on Err\\(bad\\)"):
        m(err, "unwrap")
    with pytest.raises(RuffError, match="is_ok\\(\\) expects a Result or Option"):
        core.result_is_ok(FakeRuntime(), [5])


# ----------------------------------------------------------------------------- robustness


def test_constants():
    assert CONSTANTS["PI"] == pytest.approx(3.141592653589793)
    assert CONSTANTS["E"] == pytest.approx(2.718281828459045)
    assert type(CONSTANTS["PI"]) is float


def test_every_builtin_is_a_builtin_value():
    for name, b in BUILTINS.items():
        assert type(b) is Builtin and b.name == name and callable(b.fn)


def test_no_python_exception_escapes_guarded_builtins():
    """Feed every builtin some awkward arguments: only RuffError (or ExitProgram) may come out."""
    from kit import UNSAFE

    skip = UNSAFE | {"print", "println", "debug"}
    samples = [[], [None], [1, None], ["x", [1], {}], [[1, 2], "a"], [{}, 1, 2], [1.5, -1],
               [float("nan")], [[1, "a"], Builtin("f", lambda rt, a: 1 / 0)]]
    for name, b in BUILTINS.items():
        if name in skip:
            continue
        for args in samples:
            try:
                b.fn(FakeRuntime(), list(args))
            except RuffError:
                pass


def test_import_is_light():
    code = ("import sys, time; t = time.perf_counter(); import ruff.runtime.builtins; "
            "print(any(m.startswith(('xdsl', 'llvmlite')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_closure_type_name():
    assert core.type_name_of(Closure.__new__(Closure)) == "function"


def test_lazy_modules_match_their_registries():
    import importlib

    from ruff.runtime import builtins

    for modname, names in builtins.LAZY_MODULES.items():
        mod = importlib.import_module(f"ruff.runtime.builtins.{modname}")
        assert set(names) == set(mod.reg.functions), modname
        assert len(names) == len(set(names))
        builtins.load_module(modname)
        for name in names:
            assert BUILTINS[name].fn is mod.reg.functions[name]
