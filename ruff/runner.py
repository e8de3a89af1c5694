"""From a file name to a finished run: read, parse, compile, execute, and report errors.

Exit codes (LANGUAGE.md): 0 ok, 1 test failure, 2 usage, 3 lex/parse error, 4 runtime error, 5 I/O error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.diagnostics import RuffSyntaxError, format_diagnostic
from ruff.frontend.compiler import CompileError, CompiledProgram, compile_program
from ruff.frontend.parser import parse
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.values import Module, RuffError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_SYNTAX, EXIT_RUNTIME, EXIT_IO = 0, 1, 2, 3, 4, 5


@dataclass
class RunOptions:
    jit: bool = True
    jit_threshold: int = 100
    jit_log: bool = False
    tier: str = "fast"  # baseline tier: "fast" (generated Python) or "interp" (opcode at a time)
    script_args: list[str] = field(default_factory=list)

    @classmethod
    def from_env(cls, **overrides: Any) -> "RunOptions":
        opts = cls()
        if os.environ.get("RUFF_JIT", "") == "0":
            opts.jit = False
        if os.environ.get("RUFF_JIT_LOG", "") not in ("", "0"):
            opts.jit_log = True
        if os.environ.get("RUFF_TIER"):
            opts.tier = os.environ["RUFF_TIER"]
        for k, v in overrides.items():
            if v is not None:
                setattr(opts, k, v)
        return opts


class UserError(Exception):
    """An error already formatted for the user, with its exit code."""

    def __init__(self, text: str, code: int) -> None:
        super().__init__(text)
        self.text = text
        self.code = code


def read_source(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise UserError(f"error: cannot read '{path}': no such file", EXIT_IO) from None
    except IsADirectoryError:
        raise UserError(f"error: cannot read '{path}': is a directory", EXIT_IO) from None
    except UnicodeDecodeError:
        raise UserError(f"error: cannot read '{path}': not valid UTF-8", EXIT_IO) from None
    except OSError as e:
        raise UserError(f"error: cannot read '{path}': {e.strerror}", EXIT_IO) from None


def compile_file(path: str, source: Optional[str] = None) -> CompiledProgram:
    source = read_source(path) if source is None else source
    try:
        return compile_program(parse(source, path), path)
    except RuffSyntaxError as e:
        raise UserError(format_diagnostic(e.message, path, source, e.line, e.col), EXIT_SYNTAX) from None
    except CompileError as e:
        raise UserError(format_diagnostic(e.message, path, source, e.line, e.col), EXIT_RUNTIME) from None


def format_runtime_error(err: RuffError, sources: dict[str, str]) -> str:
    filename = err.filename or "<input>"
    source = sources.get(filename)
    if source is None:
        try:
            with open(filename, encoding="utf-8") as f:
                source = f.read()
        except OSError:
            source = ""
    text = format_diagnostic(err.message, filename, source, err.line, err.col)
    if err.stack:
        text += "\nstack (innermost first):\n" + "\n".join(stack_lines(err.stack))
    return text


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


def make_vm(options: RunOptions, write: Any = None) -> Any:
    """The executor for `options.tier`, with the native tier attached unless it is off."""
    if options.tier == "interp":
        from ruff.runtime.vm import VM
    else:
        from ruff.runtime.fast import FastVM as VM
    vm = VM(write=write, script_args=options.script_args)
    if options.jit:
        from ruff.tiering import attach_jit

        attach_jit(vm, options)
    return vm


@dataclass
class LoadedProgram:
    source: str
    program: CompiledProgram
    module: Module
    vm: Any


def load_program(path: str, options: RunOptions, write: Any = None) -> LoadedProgram:
    """Read and compile a program and make its executor (raises UserError for bad input)."""
    source = read_source(path)
    program = compile_file(path, source)
    module = Module("__main__", path, source)
    module.exports = program.exports
    return LoadedProgram(source, program, module, make_vm(options, write))


def run_file(path: str, options: RunOptions) -> int:
    """Run a program as `ruff run` does; returns the exit code. Output goes to stdout/stderr."""
    from ruff.runtime.builtins.core import ExitProgram

    try:
        loaded = load_program(path, options)
    except UserError as e:
        print(e.text, file=sys.stderr)
        return e.code
    vm, program, module, source = loaded.vm, loaded.program, loaded.module, loaded.source
    try:
        run_in_big_stack(lambda: vm.run_chunk(program.chunk, module))
    except ExitProgram as e:
        sys.stdout.flush()
        return e.code
    except RuffError as err:
        sys.stdout.flush()
        print(format_runtime_error(err, {path: source}), file=sys.stderr)
        return EXIT_RUNTIME
    sys.stdout.flush()
    return EXIT_OK
