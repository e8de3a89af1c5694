"""How a runtime error is shown: the diagnostic at its file:line:col with the source line, a hint for an
undefined name, and the Ruff stack; and the exit code it ends a run with.

Used by everything that reports an uncaught error — `ruff run`, `ruff test-run`, the REPL, embedding, and
tasks that fail in other threads (ruff.runtime.concurrency) — so it lives in the runtime, below them all.
"""

from __future__ import annotations

from typing import Iterable

from ruff.diagnostics import RuffSyntaxError, format_diagnostic
from ruff.exit_codes import EXIT_RUNTIME, EXIT_SYNTAX
from ruff.frontend.parser import parse
from ruff.frontend.source import SourceReadError, read_source_file
from ruff.runtime.modules import ModuleCompileError
from ruff.runtime.values import RuffError


def source_text(filename: str, sources: dict[str, str]) -> str:
    """The source of `filename` for a diagnostic: from `sources`, else read from disk, else ''."""
    source = sources.get(filename)
    if source is None:
        try:
            source = read_source_file(filename)
        except (OSError, SourceReadError):
            source = ""
    return source


def format_runtime_error(err: RuffError, sources: dict[str, str], known_names: Iterable[str] = ()) -> str:
    """The diagnostic for a runtime error; known_names: globals bound outside its source (earlier REPL inputs)."""
    if isinstance(err, ModuleCompileError):
        text = module_compile_error_text(err)
        if err.stack:
            text += "\nimported from (innermost first):\n" + "\n".join(stack_lines(err.stack))
        return text
    filename = err.filename or "<input>"
    source = source_text(filename, sources)
    help = runtime_error_help(err, source, known_names)
    text = format_diagnostic(err.message, filename, source, err.line, err.col, help=help)
    if err.stack:
        text += "\nstack (innermost first):\n" + "\n".join(stack_lines(err.stack))
    return text


def module_compile_error_text(err: ModuleCompileError) -> str:
    """The diagnostic of an imported module that does not compile, at its own file:line:col."""
    cause, path, source = err.cause, err.module_path, err.module_source
    if isinstance(cause, RuffSyntaxError):
        return cause.format(source, path)
    return format_diagnostic(cause.message, path, source, cause.line, cause.col)


def runtime_error_exit_code(err: RuffError) -> int:
    """4, or 3 for a lex/parse error met while importing a module."""
    return EXIT_SYNTAX if isinstance(err, ModuleCompileError) and err.is_syntax_error else EXIT_RUNTIME


UNDEFINED_VARIABLE = "Undefined variable: "


def runtime_error_help(err: RuffError, source: str, known_names: Iterable[str] = ()) -> str:
    """`did you mean `message`?` for an undefined name: the closest name bound around it, or a builtin."""
    if not err.message.startswith(UNDEFINED_VARIABLE) or not source:
        return ""
    from ruff.frontend.suggest import closest_name, names_visible_at
    from ruff.runtime.builtins import BUILTINS

    name = err.message[len(UNDEFINED_VARIABLE):]
    try:
        candidates = names_visible_at(parse(source, err.filename or "<input>"), err.line, err.col)
    except RuffSyntaxError:  # the file changed since it ran
        candidates = []
    best = closest_name(name, [*candidates, *known_names, *BUILTINS])
    return f"did you mean `{best}`?" if best else ""


def stack_lines(stack: list[str], repeats_shown: int = 3, limit: int = 40) -> list[str]:
    """`at fn (file:line)` lines; runs of one repeated frame (deep recursion) are folded into a count."""
    lines: list[str] = []
    i = 0
    while i < len(stack):
        j = i
        while j < len(stack) and stack[j] == stack[i]:
            j += 1
        run = j - i
        lines.extend(f"  at {stack[i]}" for _ in range(min(run, repeats_shown)))
        if run > repeats_shown:
            lines.append(f"  ... the frame above repeated {run - repeats_shown} more times")
        i = j
    if len(lines) > limit:
        hidden = len(lines) - limit
        lines = lines[: limit - 5] + [f"  ... {hidden} more lines"] + lines[-5:]
    return lines
