"""Source-level diagnostics: the syntax error type and rustc-style rendering.

Runtime errors reuse `format_diagnostic`; they often know only a line, so a column of 0
means "no caret".
"""

from __future__ import annotations


class RuffSyntaxError(Exception):
    """A lex or parse error; the CLI maps it to exit code 3."""

    def __init__(self, kind: str, message: str, filename: str, line: int, col: int):
        super().__init__(f"{filename}:{line}:{col}: {message}")
        self.kind = kind  # "lex" or "parse"
        self.message = message
        self.filename = filename
        self.line = line  # 1-based
        self.col = col  # 1-based

    def format(self, source: str) -> str:
        return format_diagnostic(self.message, self.filename, source, self.line, self.col)


def format_diagnostic(
    message: str, filename: str, source: str, line: int, col: int, label: str = "error"
) -> str:
    """Render `message` with a `--> file:line:col` header and the offending source line.

    Lines past the end of `source` (or line 0) get the header only; col 0 drops the caret.
    """
    gutter = len(str(line)) if line > 0 else 1
    location = filename
    if line > 0:
        location += f":{line}" + (f":{col}" if col > 0 else "")
    out = [f"{label}: {message}", " " * (gutter + 1) + f"--> {location}"]

    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return "\n".join(out)
    text = lines[line - 1]
    bar = " " * (gutter + 2) + "|"
    out.append(bar)
    out.append(f" {line} | {text}".rstrip())
    if col > 0:
        # Reuse the line's own tabs in the padding so the caret lines up in a terminal.
        pad = "".join("\t" if ch == "\t" else " " for ch in text[: col - 1])
        pad += " " * max(0, col - 1 - len(text))
        out.append(f"{bar} {pad}^")
    return "\n".join(out)
