"""RUFF_JIT_DUMP=DIR: the IR of everything the JIT compiles, after every stage, one file per stage.

For each function (or outlined loop) the JIT compiles for some argument kinds, DIR receives

    fib__int.00-lifted.mlir              the lifted module (the function and the callees it reaches)
    fib__int.01-specialize-types.mlir    after each pass of PIPELINE, numbered in the order they ran
    ...
    fib__int.09-extract-native.mlir      after each pass of NATIVE_PIPELINE (on the copy that goes native)
    fib__int.10-lower-to-llvm.mlir
    fib__int.11-llvm.ll                  the LLVM IR handed to LLVM (before its -O3)

The MLIR files carry source locations (`loc("prog.ruff":3:12)`), and `ruff-opt FILE.mlir -p ...` reads
them back, so any stage can be replayed by hand. Compiling the same function for the same kinds again
(after an invalidation) overwrites its files. While dumping, the JIT does not load code from its disk
cache: every function it needs is compiled, and so dumped.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Optional

ENV = "RUFF_JIT_DUMP"


def dump_dir() -> Optional[str]:
    """The directory RUFF_JIT_DUMP names, or None when dumping is off (unset or empty)."""
    return os.environ.get("RUFF_JIT_DUMP") or None


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "fn"


class StageDump:
    """Writes one compilation's stages into the dump directory; an I/O failure is reported once on stderr
    and stops the dump (the program itself goes on)."""

    def __init__(self, directory: str, name: str, kinds: tuple[str, ...]) -> None:
        self.directory = Path(directory)
        self.prefix = f"{_safe(name)}__{'_'.join(_safe(k) for k in kinds) or 'noargs'}"
        self.stage = 0
        self.broken = False

    def path(self, stage: str, extension: str) -> Path:
        return self.directory / f"{self.prefix}.{self.stage:02d}-{_safe(stage)}.{extension}"

    def write(self, stage: str, extension: str, text: str) -> None:
        if self.broken:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.path(stage, extension).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        except OSError as e:
            self.broken = True
            print(f"[jit] {ENV}: cannot write to '{self.directory}': {e.strerror or e}", file=sys.stderr)
        self.stage += 1

    def module(self, stage: str, module: Any) -> None:
        from io import StringIO

        from xdsl.printer import Printer

        out = StringIO()
        Printer(stream=out, print_debuginfo=True).print_op(module)
        self.write(stage, "mlir", out.getvalue())

    def after_pass(self, done: Any, module: Any, _next: Any) -> None:
        """A PassPipeline callback: the module after the pass that just ran (none before the first)."""
        if done is not None:
            self.module(done.name, module)


def for_compilation(name: str, kinds: tuple[str, ...]) -> Optional[StageDump]:
    directory = dump_dir()
    return StageDump(directory, name, kinds) if directory is not None else None
