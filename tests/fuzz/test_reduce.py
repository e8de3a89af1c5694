"""The text reducer that finishes minimizing a campaign's findings (reduce.py)."""

from __future__ import annotations

from ruff.diagnostics import RuffSyntaxError
from ruff.frontend.compiler import CompileError, compile_source

from .reduce import reduce_program, statement_end

PROGRAM = """\
func f(a) {
    v := a + 1
    for i in range(3) {
        if i > 1 { print(7) } else { v += 2 }
        v += i
    }
    return v
}
try {
    print(f(2))
} except e {
    print(e.message)
}
print(1)
"""


def compiles(source: str) -> bool:
    try:
        compile_source(source, "p.ruff")
    except (RuffSyntaxError, CompileError):
        return False
    return True


def test_a_statement_runs_to_its_closing_brace_through_else_and_except() -> None:
    lines = PROGRAM.splitlines()
    assert statement_end(lines, 0) == 8  # the whole function
    assert statement_end(lines, 8) == 13  # try { } except e { }
    assert statement_end(lines, 13) == 14  # a one-line statement


def test_reduction_keeps_only_what_the_failure_needs() -> None:
    # The loop is unwrapped into its body; the one-line `if` is a single statement, kept whole.
    reduced = reduce_program(PROGRAM, lambda s: "print(7)" in s and compiles(s))
    assert reduced == "func f(a) {\n    if i > 1 { print(7) } else { v += 2 }\n}\n"


def test_reduction_stops_at_its_test_budget() -> None:
    calls: list[str] = []
    reduce_program(PROGRAM, lambda s: calls.append(s) is None and False, max_tests=5)
    assert len(calls) == 5
