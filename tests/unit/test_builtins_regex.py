"""Regex builtins (reference test_regex behaviour, Rust-style replacement syntax)."""

import pytest

from ruff.runtime.builtins import regex
from ruff.runtime.values import RuffError
from kit import call


def raises(name, *args, match=""):
    with pytest.raises(RuffError) as info:
        call(name, *args)
    assert match in info.value.message, info.value.message


EMAIL = "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$"


def test_regex_match():
    assert call("regex_match", "user@example.com", EMAIL) is True
    assert call("regex_match", "invalid.email", EMAIL) is False
    assert call("regex_match", "test@example.com", "@") is True
    assert call("regex_match", "555-1234", "^\\d{3}-\\d{4}$") is True
    assert call("regex_test", "abc", "b") is True
    assert call("regex_match", "abc", "(") is False
    raises("regex_match", "a", match="regex_match() expects 2 arguments, got 1")
    raises("regex_match", 1, "a", match="regex_match() expects string arguments, got int")
    raises("regex_test", "a", 1, match="expects string arguments")


def test_regex_find_all():
    assert call("regex_find_all", "Call me at 555-1234 or 555-5678", "\\d{3}-\\d{4}") == ["555-1234", "555-5678"]
    assert call("regex_find_all", "The quick brown fox jumps", "\\w+") == ["The", "quick", "brown", "fox", "jumps"]
    assert call("regex_find_all", "Check #ruff and #programming", "#\\w+") == ["#ruff", "#programming"]
    assert call("regex_find_all", "abc", "[") == []
    assert call("regex_find_all", "a1b22", "(\\d)(\\d)?") == ["1", "22"]
    raises("regex_find_all", "a", None, match="regex_find_all() expects string arguments, got null")


def test_regex_replace():
    assert call("regex_replace", "Call me at 555-1234", "\\d{3}-\\d{4}", "XXX-XXXX") == "Call me at XXX-XXXX"
    assert call("regex_replace", "Too    many     spaces", " +", " ") == "Too many spaces"
    assert call("regex_replace", "abc123def456", "\\d", "") == "abcdef"
    assert call("regex_replace", "2024-01-05", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1") == "05/01/2024"
    assert call("regex_replace", "ab", "(?<x>a)", "${x}${x}") == "aab"
    assert call("regex_replace", "ab", "(?P<x>a)", "[$x]") == "[a]b"
    assert call("regex_replace", "a", "a", "$$1 \\1") == "$1 \\1"
    assert call("regex_replace", "a", "a", "$9") == ""
    assert call("regex_replace", "keep", "(", "x") == "keep"
    raises("regex_replace", "a", "b", match="regex_replace() expects 3 arguments, got 2")


def test_regex_split():
    assert call("regex_split", "one123two456three", "\\d+") == ["one", "two", "three"]
    assert call("regex_split", "word1   word2\tword3\nword4", "\\s+") == ["word1", "word2", "word3", "word4"]
    assert call("regex_split", "a(b", "(") == ["a(b"]
    assert call("regex_split", "a1b", "(\\d)") == ["a", "b"]
    assert call("regex_split", ",a,", ",") == ["", "a", ""]
    raises("regex_split", "a", 1, match="regex_split() expects string arguments, got int")


def test_regex_captures():
    assert call("regex_captures", "key=value", "(\\w+)=(\\w+)") == ["key=value", "key", "value"]
    assert call("regex_captures", "nothing", "(\\d)") is None
    assert call("regex_captures", "x", "(") is None
    raises("regex_captures", "x", match="regex_captures() expects 2 arguments, got 1")


def test_every_regex_builtin_is_tested():
    assert set(regex.reg.functions) == {"regex_match", "regex_test", "regex_find_all", "regex_replace",
                                        "regex_split", "regex_captures"}


def test_matching_is_linear_time():
    """Python's backtracking `re` takes 40-50 s on the first of these; the Rust engine answers at once."""
    import time

    start = time.perf_counter()
    assert call("regex_match", "a" * 30 + "!", "^(a+)+$") is False
    assert call("regex_match", "x" * 50_000, "(x+x+)+y") is False
    assert call("regex_find_all", "a" * 100_000 + "!", "(a|aa)+$") == []
    assert time.perf_counter() - start < 5


def test_rust_syntax_and_semantics():
    assert call("regex_find_all", "café naïve", "\\w+") == ["café", "naïve"]  # Unicode classes, as in Rust
    assert call("regex_match", "end\n", "end$") is False  # `$` is the end of the text, not before a newline
    assert call("regex_match", "end", "end\\z") is True
    assert call("regex_find_all", "bcdae", "[a-z&&[^aeiou]]+") == ["bcd"]
    assert call("regex_match", "\u00e9", "\\u{e9}") is True


def test_what_the_rust_crate_refuses_is_an_invalid_pattern():
    assert call("regex_match", "price: 5", "(?<=: )\\d") is False
    assert call("regex_match", "aa", "(a)\\1") is False
    assert call("regex_find_all", "ab", "a(?=b)") == []
    assert call("regex_replace", "ab", "a(?!c)", "x") == "ab"
    assert call("regex_split", "ab", "(?P=x)") == ["ab"]
    assert call("regex_captures", "ab", "(?<!x)a") is None


def test_hostile_replacements_and_text():
    assert call("regex_replace", "a", "a", "$" + "9" * 5000) == ""
    assert call("regex_replace", "a", "(?<n>a)", "$nope|$n") == "|a"
    raises("regex_find_all", "x\ud800a", ".", match="regex_find_all() cannot search text holding a lone surrogate")
