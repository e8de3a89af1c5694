"""parse_yaml / to_yaml: YAML 1.2 core-schema scalars (as serde_yaml), round trips, and hostile input."""

from __future__ import annotations

import math

import pytest

from ruff.runtime.builtins import yaml as ryaml
from kit import call, raises


@pytest.mark.parametrize("text,value", [
    ("~", None), ("null", None), ("NULL", None), ("", None),
    ("true", True), ("False", False), ("yes", "yes"), ("off", "off"), ("y", "y"),
    ("0", 0), ("-17", -17), ("+5", 5), ("0x1F", 31), ("-0x10", -16), ("0o17", 15), ("0b101", 5),
    ("017", "017"), ("00", "00"), ("1_000", "1_000"), ("9223372036854775807", 9223372036854775807),
    ("9223372036854775808", 9223372036854775808.0),
    ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5), ("1.", 1.0), ("-.inf", -math.inf), (".Inf", math.inf),
    ("2001-12-14", "2001-12-14"), ("1:20", "1:20"), ("'true'", "true"), ('"12"', "12"),
    ("!!binary aGk=", "aGk="), ("!mytag 5", "5"),
])
def test_plain_scalars_follow_the_core_schema(text, value):
    got = call("parse_yaml", f"v: {text}")["v"]
    assert got == value and type(got) is type(value)


def test_nan_and_keys():
    assert math.isnan(call("parse_yaml", "v: .nan")["v"])
    assert call("parse_yaml", "1: a\n1.5: b\ntrue: c\n~: d\n[1, 2]: e\n") == {
        "Number(1)": "a", "Number(1.5)": "b", "Bool(true)": "c", "Null": "d", "Sequence [Number(1), Number(2)]": "e"}


def test_round_trips():
    values = [
        {"s": ["true", "1", "", "a: b", "- x", "#c", "multi\nline", "trail\n", "  lead", "üñí"],
         "n": [0, -1, 2**62, 1.5, 1e-7, 1e300, -0.0], "b": [True, False, None], "e": [[], {}]},
        [1, [2, [3, {"k": [4]}]]],
        "just text", 42, 2.5, None, True,
    ]
    for v in values:
        text = call("to_yaml", v)
        assert text.endswith("\n") and not text.endswith("...\n")
        assert call("parse_yaml", text) == v, text


def test_to_yaml_shape():
    assert call("to_yaml", {"b": [1, 2], "a": {"x": "y"}}) == "a:\n  x: y\nb:\n- 1\n- 2\n"
    assert call("to_yaml", {"t": "one\ntwo"}) == "t: |-\n  one\n  two\n"
    assert call("to_yaml", [1.0, 1e20, float("inf"), 0.1]) == "- 1.0\n- 1e20\n- .inf\n- 0.1\n"
    assert call("to_yaml", call("range", 3)) == "- 0\n- 1\n- 2\n"
    raises("to_yaml", {"x": call("Set", [1])}, match="Cannot convert set to YAML")
    raises("to_yaml", match="to_yaml requires a value argument")


def test_alias_bombs_and_recursion_stop_with_an_error(monkeypatch):
    monkeypatch.setattr(ryaml, "MAX_NODES", 10_000)
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    assert raises("parse_yaml", "\n".join(lines)) == "YAML parse error: repetition limit exceeded"
    deep = "v: " + "[" * 200 + "]" * 200
    assert raises("parse_yaml", deep) == "YAML parse error: recursion limit exceeded"
    raises("parse_yaml", "a: &a [*a]", match="YAML parse error: found unconstructable recursive node")


@pytest.mark.parametrize("text,message", [
    ("a: b: c", "mapping values are not allowed in this context at line 1 column 5"),
    ("a: 'unterminated", "found unexpected end of stream at line 1 column 17, while scanning a quoted scalar "
                         "at line 1 column 4"),
    # serde_yaml leaves out a context position of line 1 column 1, as libyaml's is then unset.
    ("- a\nb: 1", "did not find expected '-' indicator at line 2 column 1, while parsing a block collection"),
    ("x: 1\nx: 2", "duplicate entry with key \"x\" at line 2 column 1"),
    ("a: 1\n---\nb: 2", "deserializing from YAML containing more than one document is not supported"),
    ("a: !!int abc", 'invalid value: string "abc", expected an integer at line 1 column 4'),
    ("a: !!float x", 'invalid value: string "x", expected a float at line 1 column 4'),
])
def test_parse_errors(text, message):
    assert raises("parse_yaml", text) == f"YAML parse error: {message}"
