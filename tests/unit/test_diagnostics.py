import pytest

from ruff.diagnostics import RuffSyntaxError, format_diagnostic
from ruff.frontend.parser import parse


def test_format_points_at_line_and_column():
    src = "x := 1\nif x {\n    print(x, y}\n}\n"
    text = format_diagnostic("Expected ')' after arguments, found '}'", "prog.ruff", src, 3, 15)
    assert text == "\n".join(
        [
            "error: Expected ')' after arguments, found '}'",
            "  --> prog.ruff:3:15",
            "   |",
            " 3 |     print(x, y}",
            "   |               ^",
        ]
    )


def test_gutter_widens_with_line_number():
    src = "\n" * 11 + "abc\n"
    assert format_diagnostic("boom", "f.ruff", src, 12, 2).splitlines() == [
        "error: boom",
        "   --> f.ruff:12:2",
        "    |",
        " 12 | abc",
        "    |  ^",
    ]


def test_column_zero_omits_caret_and_label_is_configurable():
    text = format_diagnostic("Undefined variable: z", "f.ruff", "print(z)\n", 1, 0, label="runtime error")
    assert text.splitlines() == ["runtime error: Undefined variable: z", "  --> f.ruff:1", "   |", " 1 | print(z)"]


def test_lines_outside_the_source_give_only_the_header():
    assert format_diagnostic("boom", "f.ruff", "x\n", 7, 3) == "error: boom\n  --> f.ruff:7:3"
    assert format_diagnostic("boom", "f.ruff", "", 1, 1) == "error: boom\n  --> f.ruff:1:1"
    assert format_diagnostic("boom", "f.ruff", "x\n", 0, 0) == "error: boom\n  --> f.ruff"


def test_caret_past_end_of_line_and_tabs():
    assert format_diagnostic("m", "f", "ab", 1, 3).splitlines()[-1] == "   |   ^"
    assert format_diagnostic("m", "f", "\tx @", 1, 4).splitlines()[-1] == "   | \t  ^"


def test_crlf_source_lines():
    assert format_diagnostic("m", "f", "a\r\nbc\r\n", 2, 2).splitlines()[-2:] == [" 2 | bc", "   |  ^"]


def test_syntax_error_fields_and_format():
    err = RuffSyntaxError("parse", "Expected expression, found 'else'", "p.ruff", 1, 6)
    assert (err.kind, err.message, err.filename, err.line, err.col) == (
        "parse",
        "Expected expression, found 'else'",
        "p.ruff",
        1,
        6,
    )
    assert str(err) == "p.ruff:1:6: Expected expression, found 'else'"
    assert err.format("x := else").splitlines()[-1] == "   |      ^"


@pytest.mark.parametrize(
    "src, kind, line, col, message",
    [
        ("x := @", "lex", 1, 6, "Invalid character: '@'"),
        ('x := "abc', "lex", 1, 6, "Unterminated string literal"),
        ("/* open", "lex", 1, 1, "Unterminated block comment"),
        ('s := "\\q"', "lex", 1, 7, "Invalid escape sequence: \\q"),
        ("x := 99999999999999999999", "lex", 1, 6, "Numeric literal overflow: 99999999999999999999"),
        ("x := \0", "lex", 1, 6, "Null byte is not allowed in source"),
        ("f(1,\n  2", "parse", 1, 2, "Expected ')' after arguments, found end of input"),
    ],
)
def test_errors_from_the_frontend(src, kind, line, col, message):
    with pytest.raises(RuffSyntaxError) as info:
        parse(src, "prog.ruff")
    err = info.value
    assert (err.kind, err.line, err.col, err.message, err.filename) == (kind, line, col, message, "prog.ruff")
    rendered = err.format(src)
    assert rendered.startswith(f"error: {message}\n  --> prog.ruff:{line}:{col}\n")
    assert rendered.endswith("^") or rendered.endswith("^ end of input")


def test_labels_secondary_spans_and_help():
    from ruff.diagnostics import SecondarySpan

    src = "func f() {\n  x := 1\n" + "\n" * 8 + "y := 2\n"
    err = RuffSyntaxError("parse", "Expected '}'", "p.ruff", 1, 10, label="unclosed delimiter",
                          secondary=[SecondarySpan(11, 7, "end of input")])
    assert err.format(src).splitlines() == [
        "error: Expected '}'",
        "   --> p.ruff:1:10",
        "    |",
        "  1 | func f() {",
        "    |          ^ unclosed delimiter",
        "   ::: p.ruff:11:7",
        "    |",
        " 11 | y := 2",
        "    |       ^ end of input",
    ]
    text = format_diagnostic("Undefined variable: mesage", "p.ruff", "print(mesage)\n", 1, 7,
                             help="did you mean `message`?")
    assert text.splitlines()[-2:] == ["   |       ^", "  = help: did you mean `message`?"]
