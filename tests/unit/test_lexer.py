
import pytest

from ruff.diagnostics import RuffSyntaxError
from ruff.frontend.lexer import tokenize, tokenize_fragment
from ruff.frontend.tokens import KEYWORDS, InterpPart


def toks(src):
    return tokenize(src, "t.ruff")


def kinds(src):
    return [t.kind for t in toks(src)]


def values(src):
    return [t.value for t in toks(src)][:-1]


def lex_error(src):
    with pytest.raises(RuffSyntaxError) as info:
        toks(src)
    err = info.value
    assert err.kind == "lex"
    assert err.filename == "t.ruff"
    return err.message, err.line, err.col


def test_identifiers_keywords_and_positions():
    ts = toks("let x := foo_1\n  mut y")
    assert [(t.kind, t.value, t.line, t.col) for t in ts] == [
        ("let", "let", 1, 1),
        ("NAME", "x", 1, 5),
        (":=", ":=", 1, 7),
        ("NAME", "foo_1", 1, 10),
        ("mut", "mut", 2, 3),
        ("NAME", "y", 2, 7),
        ("EOF", "end of input", 2, 8),
    ]
    assert (ts[3].end_line, ts[3].end_col) == (1, 15)


def test_every_keyword_is_a_keyword_and_constructors_are_names():
    words = sorted(KEYWORDS)
    assert kinds(" ".join(words))[:-1] == words
    for word in ("func", "throw", "test_teardown", "spawn", "yield", "null"):
        assert word in KEYWORDS
    assert kinds("Ok Err Some None self int")[:-1] == ["NAME"] * 6


def test_newlines_are_not_tokens_but_mark_line_starts():
    ts = toks("a b\n  c; d\n\n\ne")
    assert [t.kind for t in ts] == ["NAME", "NAME", "NAME", ";", "NAME", "NAME", "EOF"]
    assert [t.nl_before for t in ts[:-1]] == [True, False, True, False, False, True]


def test_crlf_and_lone_cr_count_as_newlines():
    ts = toks("a\r\nb\rc")
    assert [(t.value, t.line, t.col) for t in ts[:-1]] == [("a", 1, 1), ("b", 2, 1), ("c", 3, 1)]


def test_integers_and_floats():
    ts = toks("0 42 9223372036854775807 1.5 1e10 2.5e-3 3E+2 007")
    assert [(t.kind, t.value) for t in ts[:-1]] == [
        ("INT", 0),
        ("INT", 42),
        ("INT", 9223372036854775807),
        ("FLOAT", 1.5),
        ("FLOAT", 1e10),
        ("FLOAT", 2.5e-3),
        ("FLOAT", 300.0),
        ("INT", 7),
    ]


def test_number_followed_by_dot_is_a_field_access():
    assert kinds("1.foo") == ["INT", ".", "NAME", "EOF"]
    assert kinds("xs.0") == ["NAME", ".", "INT", "EOF"]


def test_integer_out_of_range():
    assert lex_error("x := 9223372036854775808") == ("Numeric literal overflow: 9223372036854775808", 1, 6)
    assert lex_error("x :=\n  99999999999999999999999") == ("Numeric literal overflow: 99999999999999999999999", 2, 3)
    assert lex_error("x := 1e999") == ("Numeric literal overflow: 1e999", 1, 6)
    assert values("000000000000000000000000042") == [42]


def test_numeric_literals_longer_than_the_reference_limit():
    """The reference refuses literals over 512 characters, leading zeros included (and so never meets
    Python's 4,300-digit limit on int())."""
    assert values("0" * 511 + "7") == [7]
    assert values("0" * 505 + "1.5") == [1.5]
    too_long = "Numeric literal exceeds max length of 512 characters"
    assert lex_error("print(" + "0" * 4_400 + "7)") == (too_long, 1, 7)
    assert lex_error("9" * 10_000) == (too_long, 1, 1)
    assert lex_error("x := 1." + "5" * 600) == (too_long, 1, 6)


def test_identifiers_longer_than_the_reference_limit():
    name = "a" * 256
    assert values(f"{name} := 1") == [name, ":=", 1]
    assert values("a" + "é" * 255) == ["a" + "é" * 255]  # characters, not bytes
    too_long = "Identifier exceeds max length of 256 characters"
    assert lex_error("x := 1\n  " + "b" * 257) == (too_long, 2, 3)
    assert lex_error("_" * 1_000_000) == (too_long, 1, 1)


def test_string_literals_longer_than_the_reference_limit():
    """At most 8,192 characters of text between interpolations, counted after escapes; as in the reference,
    an escape counts but only a plain character (or a lone `$`) crosses the limit; reported at the quote."""
    too_long = "String literal exceeds max length of 8192 characters"
    assert values('"' + "s" * 8192 + '"') == ["s" * 8192]
    assert lex_error('x := "' + "s" * 8193 + '"') == (too_long, 1, 6)
    assert lex_error("\n  '" + "s" * 8192 + "$'") == (too_long, 2, 3)
    assert lex_error('"' + "\\n" * 8192 + 's"') == (too_long, 1, 1)
    assert values('"' + "s" * 8191 + '\\n"') == ["s" * 8191 + "\n"]
    assert lex_error('"' + "s" * 100_000) == (too_long, 1, 1)  # before it is found unterminated
    [interp] = values('"' + "s" * 8192 + "${x}" + "t" * 8192 + '"')
    assert interp[0] == "s" * 8192 and interp[2] == "t" * 8192
    assert lex_error('"${x}' + "t" * 8193 + '"') == (too_long, 1, 1)


def test_i64_min_magnitude_is_allowed_only_after_minus():
    ts = toks("-9223372036854775808")
    assert [(t.kind, t.value) for t in ts[:-1]] == [("-", "-"), ("INT", 2**63)]
    assert lex_error("9223372036854775808")[0] == "Numeric literal overflow: 9223372036854775808"


def test_malformed_number():
    assert lex_error("x := 12abc + 1") == ("Malformed numeric literal: 12abc", 1, 6)
    assert lex_error("1e") == ("Malformed numeric literal: 1e", 1, 1)


def test_operators_and_punctuation():
    src = "+ - * / % = := += -= *= /= %= == != < <= > >= && || ! ?? ?. ? |> -> => :: . ... , ; : ( ) [ ] { }"
    expected = src.split()
    assert kinds(src)[:-1] == expected
    assert values(src) == expected


def test_longest_operator_wins():
    assert kinds("a:=b") == ["NAME", ":=", "NAME", "EOF"]
    assert kinds("a?.b??c") == ["NAME", "?.", "NAME", "??", "NAME", "EOF"]
    assert kinds("...xs") == ["...", "NAME", "EOF"]
    assert kinds("a..b") == ["NAME", ".", ".", "NAME", "EOF"]
    assert kinds("x|>f") == ["NAME", "|>", "NAME", "EOF"]


def test_comments():
    src = "a # hash\nb // slashes\n/// doc\nc /* block\nmore */ d /* x */ e"
    ts = toks(src)
    assert [(t.value, t.line, t.col) for t in ts[:-1]] == [
        ("a", 1, 1),
        ("b", 2, 1),
        ("c", 4, 1),
        ("d", 5, 9),
        ("e", 5, 19),
    ]
    assert ts[3].nl_before and not ts[4].nl_before


def test_nested_block_comments():
    assert values("a /* x /* y */ z */ b") == ["a", "b"]


def test_block_comment_mentioning_an_opener_closes_at_first_close():
    # The reference does not nest; its programs write "/*" in prose inside comments.
    assert values("/* comments start with /* and end here */ x") == ["x"]


def test_unterminated_block_comment():
    assert lex_error("a\n  /* never\n closed") == ("Unterminated block comment", 2, 3)


def test_strings_and_escapes():
    src = r'"a\nb\tc\rd\\e\"f\'g\0h\$i" ' + r"'single \' \"x\"' " + r'"\u{41}\u{1F600}"'
    assert values(src) == ["a\nb\tc\rd\\e\"f'g\0h$i", "single ' \"x\"", "A\U0001F600"]
    ts = toks('x := "hi"')
    assert (ts[2].kind, ts[2].line, ts[2].col, ts[2].end_col) == ("STR", 1, 6, 10)


def test_dollar_without_brace_is_text():
    assert values('"$5 and $"') == ["$5 and $"]
    assert values(r'"\${x}"') == ["${x}"]


def test_invalid_escapes():
    assert lex_error(r'x := "bad\q"') == (r"Invalid escape sequence: \q", 1, 10)
    assert lex_error(r'"\u{110000}"') == ("Invalid unicode escape sequence", 1, 2)
    assert lex_error(r'"\u41"') == ("Invalid unicode escape sequence", 1, 2)


def test_unterminated_strings():
    assert lex_error('x := "abc') == ("Unterminated string literal", 1, 6)
    assert lex_error("a\n  'abc\n'") == ("Unterminated string literal", 2, 3)
    assert lex_error('"abc\\') == ("Unterminated string literal", 1, 1)


def test_interpolation_parts_carry_source_and_position():
    ts = toks('  s := "a ${x + 1} b ${y}"')
    tok = ts[2]
    assert tok.kind == "INTERP"
    assert tok.value == ["a ", InterpPart("x + 1", 1, 13), " b ", InterpPart("y", 1, 24)]
    assert (tok.line, tok.col, tok.end_col) == (1, 8, 27)


def test_interpolation_with_nested_braces_and_strings():
    tok = toks('"${ {"a":1}["a"] }!"')[0]
    assert tok.value == [InterpPart(' {"a":1}["a"] ', 1, 4), "!"]
    tok = toks('"${ f("}") } ${ "${n}" }"')[0]
    assert tok.value == [InterpPart(' f("}") ', 1, 4), " ", InterpPart(' "${n}" ', 1, 16)]


def test_interpolation_may_span_lines():
    ts = toks('s := "${\n  x\n} end"\ny')
    assert ts[2].value == [InterpPart("\n  x\n", 1, 9), " end"]
    assert (ts[3].value, ts[3].line, ts[3].col) == ("y", 4, 1)


def test_unterminated_interpolation():
    assert lex_error('x := "a ${b"') == ("Unterminated interpolated string expression", 1, 6)


def test_fragment_positions_continue_from_the_string():
    ts = tokenize_fragment(" a +\n b", "t.ruff", 3, 10)
    assert [(t.kind, t.line, t.col) for t in ts] == [("NAME", 3, 11), ("+", 3, 13), ("NAME", 4, 2), ("EOF", 4, 3)]
    assert ts[-1].describe() == "'}'"


def test_invalid_character_and_null_byte():
    assert lex_error("x := 1\n  y := @") == ("Invalid character: '@'", 2, 8)
    assert lex_error("x := \0") == ("Null byte is not allowed in source", 1, 6)
    assert lex_error("a & b")[0] == "Invalid character: '&'"


def test_eof_sits_at_end_of_last_nonblank_line():
    eof = toks("print(x\n\n   \n")[-1]
    assert (eof.kind, eof.line, eof.col) == ("EOF", 1, 8)
    assert (toks("")[-1].line, toks("")[-1].col) == (1, 1)


def test_byte_order_mark_is_whitespace():
    assert values("\ufeffx") == ["x"]


def test_describe():
    ts = toks('} else foo 42 1.5 "s"')
    assert [t.describe() for t in ts] == ["'}'", "'else'", "'foo'", "'42'", "'1.5'", "string literal", "end of input"]


def test_megabyte_source_lexes_completely():
    # Speed is measured in bench/, not asserted here; this checks a large input is handled whole.
    line = 'x := foo(1, 2.5, "str ${y}") + bar[3] * baz.qux # comment\n'
    src = line * (1_000_000 // len(line))
    ts = toks(src)
    assert len(ts) > 250_000
    assert ts[-1].line == src.count("\n")
