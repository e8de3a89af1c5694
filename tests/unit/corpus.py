"""The golden programs (tests/programs) as inputs for tests that run them in other ways."""

from __future__ import annotations

from pathlib import Path

from ruff.diagnostics import RuffSyntaxError
from ruff.frontend.compiler import CompileError, compile_source

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"


def compilable_programs() -> list[Path]:
    """Every golden program that compiles (syntax errors never reach an executor)."""
    out = []
    for p in sorted(PROGRAMS.glob("*.ruff")):
        try:
            compile_source(p.read_text(encoding="utf-8"), str(p))
        except (RuffSyntaxError, CompileError):
            continue
        out.append(p)
    return out
