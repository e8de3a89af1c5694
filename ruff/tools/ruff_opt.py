"""ruff-opt: xDSL's optimizer driver with the `ruff` dialect, Ruff's passes and a native back end.

    ruff-opt file.mlir                              parse, verify, print (round trip)
    ruff-opt file.mlir -p canonicalize,cse          run passes (xDSL's and Ruff's, see --help)
    ruff-opt fib.mlir -p lower-to-llvm --emit llvm-ir   LLVM IR as converted (add -O3 / --emit llvm-ir-opt)
    ruff-opt fib.mlir -p lower-to-llvm --emit asm   host assembly after LLVM -O3 (also: -t llvm, -t asm)
    ruff-opt prog.ruff -p ...                       lift a Ruff program first (ruff.frontend.lift)

Errors in the input (parse errors, verifier failures, pass failures) are reported with their location
and exit status 1, without a Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import DiagnosticException, ParseError
from xdsl.utils.target import Target
from xdsl.xdsl_opt_main import xDSLOptMain

from ruff.dialects import get_ruff_dialect
from ruff.passes import get_ruff_passes

EMIT_CHOICES = ("mlir", "llvm-ir", "llvm-ir-opt", "asm")


class RuffOptError(Exception):
    """A user-facing ruff-opt failure (printed without a traceback)."""


def _lift_ruff_file(path: str) -> ModuleOp:
    """`.ruff` input: every function of the program, lifted; refusals go to stderr."""
    from ruff.dialects.lift import lift_program

    result = lift_program(path)
    for refusal in result.refusals:  # functions left to the baseline tier
        print(refusal, file=sys.stderr)
    return result.module


@dataclass(frozen=True)
class LLVMIRTarget(Target):
    """`-t llvm`: LLVM IR of an llvm-dialect module (replaces xDSL's, which cannot print initialized
    external globals such as the native ABI's error slot)."""

    name = "llvm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from ruff.backend.jit import emit_llvm_ir

        print(emit_llvm_ir(module), file=output)


@dataclass(frozen=True)
class AsmTarget(Target):
    """`-t asm`: host assembly of an llvm-dialect module after LLVM -O3."""

    name = "asm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from ruff.backend.jit import emit_asm

        print(emit_asm(module), file=output)


class RuffOptMain(xDSLOptMain):
    version_format = "ruff-opt (Ruff-on-xDSL), built on xdsl {xdsl_version}"

    def register_all_dialects(self) -> None:
        super().register_all_dialects()
        if "ruff" not in self.ctx.registered_dialect_names:
            self.ctx.register_dialect("ruff", get_ruff_dialect)

    def register_all_targets(self) -> None:
        super().register_all_targets()
        self.available_targets["llvm"] = lambda: LLVMIRTarget
        self.available_targets["asm"] = lambda: AsmTarget

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for name, factory in get_ruff_passes().items():
            self.register_pass(name, factory)

    def register_all_frontends(self) -> None:
        super().register_all_frontends()

        def parse_ruff(io: IO[bytes]) -> ModuleOp:
            path = self.args.input_file
            if path is None or not path.endswith(".ruff"):  # stdin (-f ruff): lift from a temporary copy
                with tempfile.NamedTemporaryFile("wb", suffix=".ruff", delete=False) as tmp:
                    tmp.write(io.read())
                try:
                    return _lift_ruff_file(tmp.name)
                finally:
                    os.unlink(tmp.name)
            return _lift_ruff_file(path)

        self.available_frontends["ruff"] = parse_ruff

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--emit",
            choices=EMIT_CHOICES,
            default="mlir",
            help="what to print after the pipeline: the IR (mlir, default), the LLVM IR of an llvm-dialect "
            "module as converted (llvm-ir) or after LLVM's -O pipeline (llvm-ir-opt), or host assembly (asm)",
        )
        arg_parser.add_argument(
            "-O", dest="opt_level", type=int, choices=range(4), default=3, help="LLVM optimization level (default 3)"
        )

    def output_resulting_program(self, prog: ModuleOp) -> str:
        emit = self.args.emit
        if emit == "mlir":
            return super().output_resulting_program(prog)
        from ruff.backend import jit

        try:
            if emit == "llvm-ir":
                text = jit.emit_llvm_ir(prog, optimize=False)
            elif emit == "llvm-ir-opt":
                text = jit.emit_llvm_ir(prog, optimize=True, opt_level=self.args.opt_level)
            else:
                text = jit.emit_asm(prog, opt_level=self.args.opt_level)
        except NotImplementedError as e:  # xDSL's converter: an op that is not in the llvm dialect
            raise RuffOptError(f"ruff-opt: --emit {emit} needs an llvm-dialect module (run -p lower-to-llvm): {e}")
        except RuntimeError as e:  # LLVM rejected the IR
            raise RuffOptError(f"ruff-opt: LLVM: {e}")
        return text if text.endswith("\n") else text + "\n"


def _report(e: BaseException) -> None:
    sys.stdout.flush()
    print(e, file=sys.stderr)
    for note in getattr(e, "__notes__", ()):  # xDSL attaches the IR with the failing op marked
        print(note, file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    try:
        RuffOptMain(description="Ruff-on-xDSL modular optimizer driver", args=argv).run()
    except (ParseError, DiagnosticException) as e:  # includes VerifyException and PassFailedException
        _report(e)
        sys.exit(1)
    except RuffOptError as e:
        sys.stdout.flush()
        print(e, file=sys.stderr)
        sys.exit(1)
    except ValueError as e:  # e.g. an unknown pass or file extension
        sys.stdout.flush()
        print(f"ruff-opt: error: {e}", file=sys.stderr)
        sys.exit(1)
    except FileNotFoundError as e:
        print(f"ruff-opt: error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
