"""String builtins and their odd reference contracts (1/0 predicates, clamping, Rust-like splits)."""

import pytest

from ruff.runtime.builtins import BUILTINS, strings
from ruff.runtime.values import Builtin
from kit import call, raises


@pytest.mark.parametrize("name,args,expected", [
    ("to_upper", ["hello"], "HELLO"),
    ("upper", ["héllo"], "HÉLLO"),
    ("to_lower", ["WORLD"], "world"),
    ("lower", ["ABC"], "abc"),
    ("capitalize", ["hello world"], "Hello world"),
    ("capitalize", ["HELLO WORLD"], "Hello world"),
    ("capitalize", [""], ""),
    ("trim", ["  hi  "], "hi"),
    ("trim_start", ["  hi  "], "hi  "),
    ("trim_end", ["  hi  "], "  hi"),
    ("char_at", ["hello", 0], "h"),
    ("char_at", ["hello", 4], "o"),
    ("char_at", ["hello", 10], ""),
    ("char_at", ["hello", 1.9], "e"),
    ("is_empty", [""], True),
    ("is_empty", ["x"], False),
    ("is_empty", [[]], True),
    ("is_empty", [{"a": 1}], False),
    ("count_chars", ["hello world"], 11),
    ("chars", ["abc"], ["a", "b", "c"]),
    ("substring", ["abcdef", 1, 4], "bcd"),
    ("substr", ["abcdef", 2, 100], "cdef"),
    ("substring", ["abcdef", 10, 12], ""),
    ("substring", ["abcdef", 4, 2], ""),
    ("substring", ["abcdef", -3, 2], "ab"),
    ("replace", ["hello", "l", "L"], "heLLo"),
    ("replace_str", ["a-b-c", "-", "_"], "a_b_c"),
    ("index_of", ["hello", "l"], 2),
    ("index_of", ["héllo", "l"], 2),
    ("index_of", ["hello", "z"], -1),
    ("index_of", [[1, 2, 3, 2], 2], 1),
    ("index_of", [[1, 2, 3], 5], -1),
    ("repeat", ["ab", 3], "ababab"),
    ("repeat", ["ab", -2], ""),
    ("split", ["a,b,c", ","], ["a", "b", "c"]),
    ("split", ["abc", ""], ["", "a", "b", "c", ""]),
    ("split", ["", ","], [""]),
    ("join", [["a", 1, 2.5, True, None], "-"], "a-1-2.5-true-null"),
    ("join", [[], ","], ""),
    ("pad_left", ["5", 3, "0"], "005"),
    ("pad_start", ["Jo", 5, " "], "   Jo"),
    ("pad_right", ["Name:", 10, " "], "Name:     "),
    ("pad_end", ["abc", 2, "*"], "abc"),
    ("pad_left", ["x", 3], "  x"),
    ("lines", ["line1\nline2\r\nline3\n"], ["line1", "line2", "line3"]),
    ("lines", [""], []),
    ("words", ["one  two   three"], ["one", "two", "three"]),
    ("str_reverse", ["abc"], "cba"),
    ("slugify", ["Hello World"], "hello-world"),
    ("slugify", ["Hello, World!"], "hello-world"),
    ("slugify", ["  Ruff_Lang 2.0 "], "ruff-lang-20"),
    ("truncate", ["Hello World", 8, "..."], "Hello..."),
    ("truncate", ["Hi", 8, "..."], "Hi"),
    ("to_camel_case", ["hello_world"], "helloWorld"),
    ("to_camel_case", ["Hello big-World"], "helloBigWorld"),
    ("to_snake_case", ["helloWorld"], "hello_world"),
    ("to_snake_case", ["HTTPServer"], "httpserver"),
    ("to_snake_case", ["hello world-x"], "hello_world_x"),
    ("to_kebab_case", ["helloWorld"], "hello-world"),
])
def test_string_happy_paths(name, args, expected):
    result = call(name, *args)
    assert type(result) is type(expected)
    assert result == expected


def test_predicates_return_one_or_zero_as_documented():
    assert call("contains", "hello world", "world") == 1
    assert call("contains", "hello", "xyz") == 0
    assert call("contains", [1, 2, 3], 3) == 1
    assert call("contains", [1, 2, 3], 5) == 0
    assert call("contains", {"a": 1}, "a") == 1
    assert call("contains", {1: 1}, 1) == 1
    assert call("contains", call("range", 5), 3) == 1
    assert call("contains", call("Set", [1, 2]), 2) == 1
    assert type(call("contains", "a", "a")) is int


def test_starts_with_and_ends_with_return_booleans():
    # The reference's strings.rs returns Value::Bool here (its docs say 1/0; the source wins).
    assert call("starts_with", "hello", "he") is True
    assert call("starts_with", "hello", "lo") is False
    assert call("ends_with", "hello", "lo") is True
    assert call("ends_with", "hello", "he") is False


@pytest.mark.parametrize("name,args,message", [
    ("to_upper", [1], "to_upper() expects a string, got int"),
    ("upper", [], "to_upper() expects 1 argument, got 0"),
    ("to_lower", [None], "to_lower() expects a string, got null"),
    ("lower", [[]], "expects a string, got array"),
    ("capitalize", [1], "capitalize() expects a string, got int"),
    ("trim", [1], "trim() expects a string, got int"),
    ("trim_start", [1], "trim_start() expects a string"),
    ("trim_end", [1], "trim_end() expects a string"),
    ("char_at", ["a", "b"], "char_at() expects a numeric index, got string"),
    ("char_at", [1, 0], "char_at() expects a string, got int"),
    ("is_empty", [1], "is_empty() expects a string, array or dict, got int"),
    ("count_chars", [1], "count_chars() expects a string"),
    ("chars", [1], "chars() expects a string"),
    ("contains", ["abc", 1], "contains() expects a string to search for, got int"),
    ("contains", [1, 1], "contains() expects a string, array or dict, got int"),
    ("contains", ["a"], "contains() expects 2 arguments, got 1"),
    ("substring", ["abc", "x", 1], "substring() expects numeric start and end, got string"),
    ("substr", ["abc", 1], "substring() expects 3 arguments, got 2"),
    ("replace", ["a", 1, "b"], "replace() expects string arguments, got int"),
    ("replace_str", ["a"], "replace() expects 3 arguments, got 1"),
    ("starts_with", ["a", 1], "starts_with() expects a string argument, got int"),
    ("ends_with", [1, "a"], "ends_with() expects a string, got int"),
    ("index_of", [1, 1], "index_of() expects a string or array, got int"),
    ("repeat", ["a", "b"], "repeat() expects a numeric count, got string"),
    ("repeat", ["a", 10**12], "repeat(): result too large"),
    ("split", ["a,b"], "split() expects 2 arguments, got 1"),
    ("split", [1, ","], "split() expects a string, got int"),
    ("join", ["abc", ","], "join() expects an array, got string"),
    ("join", [["a"], 1], "join() expects a string separator, got int"),
    ("pad_left", ["a", "x", "0"], "pad_left() expects a numeric width, got string"),
    ("pad_start", [1, 2, " "], "pad_left() expects a string, got int"),
    ("pad_right", ["a", 3, 0], "pad_right() expects a string pad character, got int"),
    ("pad_end", ["a"], "pad_right() expects 2 or 3 arguments, got 1"),
    ("lines", [1], "lines() expects a string"),
    ("words", [1], "words() expects a string"),
    ("str_reverse", [1], "str_reverse() expects a string"),
    ("slugify", [1], "slugify() expects a string"),
    ("truncate", ["a", "b", ""], "truncate() expects a numeric length, got string"),
    ("to_camel_case", [1], "to_camel_case() expects a string"),
    ("to_snake_case", [1], "to_snake_case() expects a string"),
    ("to_kebab_case", [1], "to_kebab_case() expects a string"),
])
def test_string_errors(name, args, message):
    assert message in raises(name, *args)


def test_every_string_builtin_is_tested():
    tested = {"to_upper", "upper", "to_lower", "lower", "capitalize", "trim", "trim_start", "trim_end",
              "char_at", "is_empty", "count_chars", "chars", "contains", "substring", "substr", "replace",
              "replace_str", "starts_with", "ends_with", "index_of", "repeat", "split", "join",
              "pad_left", "pad_start", "pad_right", "pad_end", "lines", "words", "str_reverse",
              "slugify", "truncate", "to_camel_case", "to_snake_case", "to_kebab_case"}
    assert set(strings.reg.functions) == tested


def test_builtin_values():
    assert type(BUILTINS["split"]) is Builtin
