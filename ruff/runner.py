"""From a file name to a finished run: read, parse, compile, execute, and report errors.

The driver: nothing below it (frontend, runtime, tiers) imports it. How a runtime error is shown is
ruff.runtime.report's; the exit codes are ruff.exit_codes'.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.diagnostics import RuffSyntaxError, format_diagnostic
from ruff.exit_codes import EXIT_IO, EXIT_OK, EXIT_RUNTIME, EXIT_SYNTAX, EXIT_USAGE
from ruff.frontend.compiler import CompileError, CompiledProgram, compile_program
from ruff.frontend.parser import parse
from ruff.frontend.source import SourceReadError, decode_source, read_bounded, read_source_file
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.report import format_runtime_error, runtime_error_exit_code
from ruff.runtime.values import Module, RuffError


TIERS = ("fast", "interp")
STDIN_PATH = "-"  # a program path that means "read standard input"
STDIN_NAME = "<stdin>"  # ... and the file name its diagnostics show

_ENV_TRUE, _ENV_FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass
class RunOptions:
    jit: bool = True
    jit_threshold: int = 100
    jit_log: bool = False
    tier: str = "fast"  # baseline tier: "fast" (generated Python) or "interp" (opcode at a time)
    script_args: list[str] = field(default_factory=list)

    @classmethod
    def from_env(cls, **overrides: Any) -> "RunOptions":
        """Defaults, then RUFF_JIT / RUFF_JIT_LOG / RUFF_TIER, then `overrides` that are not None.

        A value these variables cannot take is a usage error (UserError, exit 2), not silently ignored."""
        opts = cls()
        jit = env_flag("RUFF_JIT")
        if jit is not None:
            opts.jit = jit
        if env_flag("RUFF_JIT_LOG"):
            opts.jit_log = True
        tier = os.environ.get("RUFF_TIER", "")
        if tier:
            if tier not in TIERS:
                raise UserError(f"error: RUFF_TIER must be one of {', '.join(TIERS)}, not '{tier}'", EXIT_USAGE)
            opts.tier = tier
        for k, v in overrides.items():
            if v is not None:
                setattr(opts, k, v)
        return opts


def env_flag(name: str) -> Optional[bool]:
    """An on/off environment variable: None when unset or empty; a usage error for anything but
    1/true/yes/on or 0/false/no/off."""
    text = os.environ.get(name, "").strip().lower()
    if not text:
        return None
    if text in _ENV_TRUE:
        return True
    if text in _ENV_FALSE:
        return False
    raise UserError(f"error: {name} must be 0 or 1 (or true/false, yes/no, on/off), not '{os.environ[name]}'",
                    EXIT_USAGE)


class UserError(Exception):
    """An error already formatted for the user, with its exit code."""

    def __init__(self, text: str, code: int) -> None:
        super().__init__(text)
        self.text = text
        self.code = code


def read_source(path: str) -> str:
    """The text of a program file (`-`: standard input); UserError with exit code 5 when it cannot be read."""
    name = "standard input" if path == STDIN_PATH else f"'{path}'"
    try:
        if path != STDIN_PATH:
            return read_source_file(path)
        if sys.stdin is None:
            raise SourceReadError("it is closed")
        return decode_source(read_bounded(sys.stdin.buffer))
    except FileNotFoundError:
        raise UserError(f"error: cannot read {name}: no such file", EXIT_IO) from None
    except IsADirectoryError:
        raise UserError(f"error: cannot read {name}: is a directory", EXIT_IO) from None
    except SourceReadError as e:
        raise UserError(f"error: cannot read {name}: {e.reason}", EXIT_IO) from None
    except (OSError, ValueError) as e:
        raise UserError(f"error: cannot read {name}: {getattr(e, 'strerror', None) or e}", EXIT_IO) from None


def source_name(path: str) -> str:
    """The file name diagnostics show for a program path (`<stdin>` for `-`)."""
    return STDIN_NAME if path == STDIN_PATH else path


def compile_file(path: str, source: Optional[str] = None) -> CompiledProgram:
    """Parse and compile a program (read from `path` unless `source` is given); UserError for bad input."""
    if source is None:
        source = read_source(path)
        path = source_name(path)
    try:
        return compile_program(parse(source, path), path)
    except RuffSyntaxError as e:
        raise UserError(e.format(source, path), EXIT_SYNTAX) from None
    except CompileError as e:
        raise UserError(format_diagnostic(e.message, path, source, e.line, e.col), EXIT_RUNTIME) from None


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
    path = source_name(path)
    program = compile_file(path, source)
    module = Module("__main__", path, source)
    module.exports = program.exports
    return LoadedProgram(source, program, module, make_vm(options, write))


# The cycle collector's young generation, in container objects allocated (CPython's default: 700). When a
# collection runs is no part of Ruff's semantics; a program that allocates much (binary_trees: 3 million
# struct nodes, nearly all dead by the time a collection would look at them) pays for far fewer of them,
# for at most this many objects waiting in unreachable cycles. binary_trees: -20% (native), -15% (fast tier).
GC_YOUNG_THRESHOLD = 10_000


def run_file(path: str, options: RunOptions) -> int:
    """Run a program as `ruff run` does; returns the exit code. Output goes to stdout/stderr."""
    from ruff.runtime.builtins.core import ExitProgram

    try:
        loaded = load_program(path, options)
    except UserError as e:
        print(e.text, file=sys.stderr)
        return e.code
    vm, program, module, source = loaded.vm, loaded.program, loaded.module, loaded.source
    # What exists now (the modules, the compiled program: nearly no garbage) lives to the end: the
    # collector's full passes need not walk it again and again (binary_trees: -12%; freeze is O(1)).
    # Once per process: a process running several programs (tests) would freeze the garbage of the last.
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    try:
        run_in_big_stack(lambda: vm.run_chunk(program.chunk, module))
    except ExitProgram as e:
        sys.stdout.flush()
        return e.code
    except RuffError as err:
        sys.stdout.flush()
        print(format_runtime_error(err, {module.filename: source}), file=sys.stderr)
        return runtime_error_exit_code(err)
    sys.stdout.flush()
    return EXIT_OK
