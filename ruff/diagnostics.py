"""Source-level diagnostics: the syntax error type and rustc-style rendering.

Runtime errors reuse `format_diagnostic`; they often know only a line, so a column of 0
means "no caret".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence


@dataclass(frozen=True)
class SecondarySpan:
    """A second place a diagnostic points at, in the same file (e.g. where the input ended)."""

    line: int
    col: int
    label: str


class RuffSyntaxError(Exception):
    """A lex or parse error; the CLI maps it to exit code 3.

    `label` annotates the caret (e.g. "unclosed delimiter"); `secondary` are further places shown
    after the main one.
    """

    def __init__(self, kind: str, message: str, filename: str, line: int, col: int, label: str = "",
                 secondary: Sequence[SecondarySpan] = ()):
        super().__init__(f"{filename}:{line}:{col}: {message}")
        self.kind = kind  # "lex" or "parse"
        self.message = message
        self.filename = filename
        self.line = line  # 1-based
        self.col = col  # 1-based
        self.label = label
        self.secondary = tuple(secondary)

    def format(self, source: str, filename: Optional[str] = None) -> str:
        return format_diagnostic(self.message, filename or self.filename, source, self.line, self.col,
                                 caret_label=self.label, secondary=self.secondary)


def format_diagnostic(
    message: str, filename: str, source: str, line: int, col: int, label: str = "error",
    caret_label: str = "", secondary: Sequence[SecondarySpan] = (), help: str = "",
) -> str:
    """Render `message` with a `--> file:line:col` header and the offending source line.

    Lines past the end of `source` (or line 0) get the header only; col 0 drops the caret.
    Each secondary span follows as `::: file:line:col` with its line and a labelled caret;
    `help` ends the diagnostic as `= help: …`.
    """
    gutter = max([len(str(line)) if line > 0 else 1] + [len(str(s.line)) for s in secondary])
    out = [f"{label}: {message}", " " * (gutter + 1) + f"--> {_location(filename, line, col)}"]
    lines = source.splitlines()
    out.extend(_snippet(lines, line, col, caret_label, gutter))
    for span in secondary:
        out.append(" " * (gutter + 1) + f"::: {_location(filename, span.line, span.col)}")
        out.extend(_snippet(lines, span.line, span.col, span.label, gutter))
    if help:
        out.append(" " * (gutter + 1) + f"= help: {help}")
    return "\n".join(out)


def _location(filename: str, line: int, col: int) -> str:
    if line <= 0:
        return filename
    return filename + f":{line}" + (f":{col}" if col > 0 else "")


def _snippet(lines: list[str], line: int, col: int, caret_label: str, gutter: int) -> list[str]:
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1]
    bar = " " * (gutter + 2) + "|"
    out = [bar, f" {line:>{gutter}} | {text}".rstrip()]
    if col > 0:
        # Reuse the line's own tabs in the padding so the caret lines up in a terminal.
        pad = "".join("\t" if ch == "\t" else " " for ch in text[: col - 1])
        pad += " " * max(0, col - 1 - len(text))
        out.append(f"{bar} {pad}^" + (f" {caret_label}" if caret_label else ""))
    return out
