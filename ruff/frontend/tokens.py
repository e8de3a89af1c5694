"""Token types shared by the lexer and the parser.

A token's `kind` is its own text for keywords, operators and punctuation (`"if"`, `":="`, `"{"`),
so the parser compares one string; literal classes use upper-case kinds that no source text can
spell: NAME, INT, FLOAT, STR, INTERP, EOF.
"""

from __future__ import annotations

from dataclasses import dataclass

NAME = "NAME"
INT = "INT"
FLOAT = "FLOAT"
STR = "STR"
INTERP = "INTERP"
EOF = "EOF"

KEYWORDS = frozenset(
    """
    func let mut const if else for in while loop return break continue async await match case
    try except throw struct enum true false null import from export test test_group test_setup
    test_teardown spawn yield
    """.split()
)

# Longest first, so the lexer's alternation prefers `...` over `.` and `:=` over `:`.
OPERATORS = sorted(
    """
    ... ?? ?. |> -> => :: := == != <= >= && || += -= *= /= %=
    + - * / % = < > ! ? . , ; : ( ) [ ] { }
    """.split(),
    key=len,
    reverse=True,
)


@dataclass(slots=True)
class InterpPart:
    """The raw source of one `${...}` and where it starts, so it can be parsed in place."""

    source: str
    line: int
    col: int


@dataclass(slots=True)
class Token:
    kind: str
    value: object  # int / float / str / list[str | InterpPart]; the text for names and operators
    line: int  # 1-based
    col: int  # 1-based
    end_line: int = 0
    end_col: int = 0  # exclusive
    nl_before: bool = False  # first token on its line: statements may end here

    def describe(self) -> str:
        """How error messages name this token: `'}'`, `'else'`, `'x'`, `end of input`."""
        if self.kind == EOF:
            return str(self.value)
        if self.kind in (STR, INTERP):
            return "string literal"
        if self.kind == FLOAT:
            return f"'{self.value!r}'"
        return f"'{self.value}'"
