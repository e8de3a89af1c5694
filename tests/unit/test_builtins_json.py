"""JSON (serde_json-compatible text), CSV, TOML and base64 builtins."""

import pytest

from ruff.runtime.builtins import RuffRange, json
from ruff.runtime.values import EnumValue, StructType, display, new_struct
from kit import call, raises


def test_parse_json_types():
    v = call("parse_json", '{"name": "Alice", "age": 30, "active": true, "x": null, "f": 3.14, "l": [1, 2.0]}')
    assert v == {"name": "Alice", "age": 30, "active": True, "x": None, "f": 3.14, "l": [1, 2.0]}
    assert type(v["age"]) is int and type(v["l"][1]) is float and type(v["active"]) is bool
    assert display(v) == '{"active": true, "age": 30, "f": 3.14, "l": [1, 2], "name": Alice, "x": null}'
    assert call("parse_json", '"Hello \\u0041\\u0042\\u0043"') == "Hello ABC"
    assert call("parse_json", "[]") == [] and call("parse_json", " 42 ") == 42
    big = call("parse_json", "18446744073709551616")
    assert type(big) is float
    assert call("json_parse", "[1]") == [1]


def test_parse_json_errors():
    assert raises("parse_json", "{bad").startswith("JSON parse error:")
    raises("parse_json", "NaN", match="JSON parse error")
    raises("parse_json", "[" * 70 + "]" * 70, match="maximum nesting depth of 64")
    raises("parse_json", 5, match="parse_json() expects a string, got int")
    raises("parse_json", match="parse_json() expects 1 argument, got 0")
    raises("json_parse", match="expects 1 argument")


@pytest.mark.parametrize("value,text", [
    (42, "42"),
    ("Hello, World!", '"Hello, World!"'),
    (1, "1"),
    ([1, 2, 3, 4, 5], "[1,2,3,4,5]"),
    ({"name": "Bob", "age": 25}, '{"age":25,"name":"Bob"}'),
    ({"user": {"name": "Charlie", "settings": {"theme": "dark"}}},
     '{"user":{"name":"Charlie","settings":{"theme":"dark"}}}'),
    (None, "null"),
    (True, "true"),
    (2.0, "2.0"),
    (0.1, "0.1"),
    (-0.0, "-0.0"),
    (1e20, "1e20"),
    (1e16, "1e16"),
    (1e15, "1000000000000000.0"),
    (0.00001, "0.00001"),
    (1e-7, "1e-7"),
    (1.5e-10, "1.5e-10"),
    (123456.789, "123456.789"),
    ("tab\tquote\"é\\\n\x01", '"tab\\tquote\\"é\\\\\\n\\u0001"'),
    (RuffRange(range(3)), "[0,1,2]"),
    (EnumValue("Option", "None"), "null"),
])
def test_to_json(value, text):
    assert call("to_json", value) == text
    assert call("json_stringify", value) == text


def test_to_json_struct_and_errors():
    st = new_struct(StructType("P", ("x", "y"), {}, {}), {"y": 2, "x": 1})
    assert call("to_json", st) == '{"x":1,"y":2}'
    raises("to_json", float("inf"), match="Cannot convert non-finite float inf to JSON")
    raises("to_json", float("nan"), match="non-finite float NaN")
    raises("to_json", EnumValue("Result", "Ok", (1,)), match="Cannot convert result to JSON")
    deep = []
    for _ in range(70):
        deep = [deep]
    raises("to_json", deep, match="maximum nesting depth")
    raises("to_json", match="to_json() expects 1 argument, got 0")


def test_to_json_pretty_matches_serde():
    assert call("to_json_pretty", {"b": [1, 2], "a": {}, "c": []}) == (
        '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "c": []\n}')
    assert call("to_json_pretty", 5) == "5"
    raises("to_json_pretty", match="to_json_pretty() expects 1 argument, got 0")


def test_round_trip():
    original = {"test": "value", "number": 123, "nested": [1.5, {"k": None}]}
    assert call("parse_json", call("to_json", original)) == original


def test_csv():
    rows = call("parse_csv", 'name,age,score\nAnn,30,1.5\n"Bo, Jr",x,\n')
    assert rows == [{"name": "Ann", "age": 30, "score": 1.5}, {"name": "Bo, Jr", "age": "x", "score": ""}]
    assert call("parse_csv", "") == []
    raises("parse_csv", "a,b\n1\n", match="CSV parse error")
    raises("parse_csv", 1, match="parse_csv() expects a string, got int")
    text = call("to_csv", [{"b": 1, "a": "x,y"}, {"a": True, "b": 2.5}])
    assert text == 'a,b\n"x,y",1\ntrue,2.5\n'
    raises("to_csv", [], match="CSV requires non-empty array")
    raises("to_csv", [1], match="CSV requires array of dictionaries")
    raises("to_csv", "x", match="to_csv() expects an array of dicts, got string")


def test_toml():
    v = call("parse_toml", 'title = "x"\nn = 3\n[db]\nport = 5432\nhosts = ["a", "b"]\n')
    assert v == {"title": "x", "n": 3, "db": {"port": 5432, "hosts": ["a", "b"]}}
    assert call("parse_toml", "d = 1979-05-27")["d"] == "1979-05-27"
    raises("parse_toml", "= bad", match="TOML parse error")
    raises("parse_toml", 1, match="parse_toml() expects a string")
    text = call("to_toml", {"title": "x", "n": 1.5, "db": {"port": 1, "on": True}})
    assert text == 'title = "x"\nn = 1.5\n\n[db]\nport = 1\non = true\n'
    assert call("parse_toml", text) == {"title": "x", "n": 1.5, "db": {"port": 1, "on": True}}
    raises("to_toml", [1], match="to_toml() expects a dict, got array")


def test_base64():
    assert call("encode_base64", "hello") == "aGVsbG8="
    assert call("encode_base64", b"\x00\xff") == "AP8="
    # The reference returns bytes, with its decoder's (base64 0.21) messages for bad input.
    assert call("decode_base64", "aGVsbG8=") == b"hello"
    assert call("decode_base64", "") == b""
    raises("decode_base64", "!!", match="Base64 decode error: Invalid byte 33, offset 0.")
    raises("decode_base64", "aGVsbG8", match="Base64 decode error: Invalid padding")
    raises("decode_base64", "aGVsb", match="Base64 decode error: Encoded text cannot have a 6-bit remainder.")
    raises("decode_base64", "aGVsbG9=", match="Base64 decode error: Invalid last symbol 57, offset 6.")
    raises("encode_base64", 1, match="encode_base64() expects bytes or a string, got int")
    raises("decode_base64", match="expects 1 argument, got 0")


def test_json_float_helper():
    assert json.json_float(1.0) == "1.0"
    assert json.json_float(-2.5e-6) == "-2.5e-6"
    assert json.json_float(9007199254740993.0) == "9007199254740992.0"


def test_every_json_builtin_is_tested():
    assert set(json.reg.functions) == {"parse_json", "json_parse", "to_json", "json_stringify",
                                       "to_json_pretty", "parse_csv", "to_csv", "parse_toml",
                                       "to_toml", "encode_base64", "decode_base64"}
