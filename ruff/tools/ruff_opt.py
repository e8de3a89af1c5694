"""ruff-opt: xDSL's optimizer driver with the `ruff` dialect, Ruff's passes and a native back end.

    ruff-opt file.mlir                              parse, verify, print (round trip)
    ruff-opt file.mlir -p canonicalize,cse          run passes (Ruff's own are listed first by --help)
    ruff-opt fib.mlir -p lower-to-llvm --emit llvm-ir   LLVM IR as converted (add -O3 / --emit llvm-ir-opt)
    ruff-opt fib.mlir -p lower-to-llvm --emit asm   host assembly after LLVM -O3 (also: -t llvm, -t asm)
    ruff-opt prog.ruff -p ...                       lift a Ruff program first (ruff.dialects.lift)

Every failure is a message on stderr, never a Python traceback, with the exit codes of `ruff`:
2 for the command line (an unknown option, pass or target; a pipeline that does not parse), 3 for the
input (a `.ruff` syntax error, IR that does not parse or verify, a pass refusing the module, a target
that cannot emit it), 5 for I/O (an unreadable input, an unwritable output), 6 for a bug of ours
(RUFF_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.utils.mlir_lexer import MLIRTokenKind
from xdsl.utils.target import Target
from xdsl.xdsl_opt_main import xDSLOptMain

from ruff.dialects import get_ruff_dialect
from ruff.frontend.source import SourceReadError, decode_source, read_bounded
from ruff.output import OutputError, guard_stdout, report_output_error
from ruff.passes import get_ruff_passes
from ruff.exit_codes import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_IO, EXIT_SYNTAX, EXIT_USAGE
from ruff.runner import UserError, compile_file

EMIT_CHOICES = ("mlir", "llvm-ir", "llvm-ir-opt", "asm")


class RuffOptError(Exception):
    """A user-facing ruff-opt failure: printed as is (no traceback), exit with `code`."""

    def __init__(self, message: str, code: int = EXIT_SYNTAX) -> None:
        super().__init__(message)
        self.code = code


def _lift_ruff(path: str, source: str | None = None) -> ModuleOp:
    """`.ruff` input: every function of the program, lifted; refusals go to stderr."""
    from ruff.dialects.lift import lift_program

    try:
        program = compile_file(path, source)
    except UserError as e:  # a syntax error: the diagnostic `ruff run` prints
        raise RuffOptError(e.text, e.code) from None
    result = lift_program(program)
    for refusal in result.refusals:  # functions left to the baseline tier
        print(refusal, file=sys.stderr)
    return result.module


class _Parser(Parser):
    """xDSL's parser, with a block label defined twice reported as such: xDSL 0.74 fails with a KeyError
    when the label was used before its first definition (`cf.br ^bb1` ... `^bb1:` ... `^bb1:`), because
    it records no definition for a block that was referenced first."""

    def _parse_block(self):  # type: ignore[no-untyped-def]
        token = self._current_token
        block = super()._parse_block()
        if token.kind == MLIRTokenKind.CARET_IDENT:
            name = token.text[1:]
            known = self.blocks.get(name)
            if known is not None and known[1] is None:
                self.blocks[name] = (known[0], token.span)
        return block


def pass_summaries() -> list[tuple[str, str]]:
    """(name, one-line description) of each of Ruff's passes, from the first line of its module's
    docstring (`name: what it does`), else of its class's."""
    out = []
    for name, factory in get_ruff_passes().items():
        cls = factory()
        module_doc = sys.modules[cls.__module__].__doc__ or ""
        line = module_doc.strip().splitlines()[0] if module_doc.strip() else ""
        if not line.startswith(name + ":"):
            line = (cls.__doc__ or "").strip().splitlines()[0] if (cls.__doc__ or "").strip() else ""
        out.append((name, line.removeprefix(name + ":").strip()))
    return out


EPILOG_WIDTH = 100


def pass_options(name: str) -> str:
    """A Ruff pass's options as written in a pipeline, with their defaults: `budget=40 depth=1`."""
    import dataclasses

    cls = get_ruff_passes()[name]()
    out = []
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING:
            continue
        value = (",".join(map(str, f.default)) or "KIND,...") if isinstance(f.default, tuple) else f.default
        out.append(f"{f.name.replace('_', '-')}={value}")
    return " ".join(out)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps option help at spaces only: pass and target names are never cut at a hyphen."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        text = " ".join(text.split())
        return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


def _pipeline_error(spec: str, error: BaseException) -> RuffOptError:
    """One line for a pipeline that does not parse (xDSL's message spans several, with a caret)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    where = next((line for line in lines if line.startswith("pass-pipeline:")), "")
    column = f" at column {where.rsplit(':', 1)[1]}" if where else ""
    return RuffOptError(f"ruff-opt: error: invalid pass pipeline '{spec}'{column}: {lines[-1].strip()}", EXIT_USAGE)


def _needs_llvm(what: str, error: Exception) -> RuffOptError:
    return RuffOptError(f"ruff-opt: error: {what} needs a module in the llvm dialect (add lower-to-llvm to the "
                        f"pipeline, after specialize-types,unbox-returns,extract-native): {error}")


@dataclass(frozen=True)
class LLVMIRTarget(Target):
    """`-t llvm`: LLVM IR of an llvm-dialect module (replaces xDSL's, which cannot print initialized
    external globals such as the native ABI's error slot)."""

    name = "llvm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from ruff.backend.jit import emit_llvm_ir

        print(_emitting("-t llvm", lambda: emit_llvm_ir(module)), file=output)


@dataclass(frozen=True)
class AsmTarget(Target):
    """`-t asm`: host assembly of an llvm-dialect module after LLVM -O3."""

    name = "asm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        from ruff.backend.jit import emit_asm

        print(_emitting("-t asm", lambda: emit_asm(module)), file=output)


def _emitting(what: str, emit: Any) -> str:
    try:
        return emit()
    except NotImplementedError as e:  # xDSL's converter: an op that is not in the llvm dialect
        raise _needs_llvm(what, e) from None
    except RuntimeError as e:  # LLVM rejected the IR
        raise RuffOptError(f"ruff-opt: error: LLVM: {e}") from None


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

        def parse_mlir(io: IO[bytes]) -> ModuleOp:
            try:
                text = io.read().decode("utf-8")
            except UnicodeDecodeError:
                raise RuffOptError(f"ruff-opt: error: cannot read '{self.get_input_name()}': not valid UTF-8",
                                   EXIT_IO) from None
            parser = _Parser(self.ctx, text, self.get_input_name())
            return parser.parse_module(not self.args.no_implicit_module)

        def parse_ruff(io: IO[bytes]) -> ModuleOp:
            path = self.args.input_file
            if path is None or not path.endswith(".ruff"):  # stdin (-f ruff)
                try:
                    source = decode_source(io.read())
                except SourceReadError as e:
                    raise RuffOptError(f"ruff-opt: error: cannot read '{self.get_input_name()}': {e.reason}",
                                       EXIT_IO) from None
                return _lift_ruff(path or "<stdin>", source)
            return _lift_ruff(path)

        self.available_frontends["mlir"] = parse_mlir
        self.available_frontends["ruff"] = parse_ruff

    def get_input_stream(self) -> tuple[IO[bytes], str]:
        """The input, read whole (and bounded: `/dev/zero` is an error, not a memory blow-up)."""
        path = self.args.input_file
        try:
            if path is None:
                data = read_bounded(sys.stdin.buffer)
            else:
                with open(path, "rb") as f:
                    data = read_bounded(f)
        except SourceReadError as e:
            raise RuffOptError(f"ruff-opt: error: cannot read '{self.get_input_name()}': {e.reason}", EXIT_IO) from None
        except OSError as e:
            raise RuffOptError(f"ruff-opt: error: cannot read '{self.get_input_name()}': {e.strerror or e}",
                               EXIT_IO) from None
        extension = os.path.splitext(path)[1].lstrip(".") if path is not None else "mlir"
        return BytesIO(data), extension

    def setup_pipeline(self) -> None:
        spec = self.args.passes
        try:
            super().setup_pipeline()
        except ArgSpecParseError as e:  # a BaseException in xDSL
            raise _pipeline_error(spec, e) from None
        except ValueError as e:
            if str(e).startswith("Unrecognized passes: "):
                unknown = str(e).removeprefix("Unrecognized passes: ").strip("[]")
                raise RuffOptError(f"ruff-opt: error: unknown pass {unknown} (ruff-opt --help lists them)",
                                   EXIT_USAGE) from None
            raise RuffOptError(f"ruff-opt: error: invalid pass pipeline '{spec}': {e}", EXIT_USAGE) from None
        except Exception as e:  # pass options of the wrong name or type
            raise RuffOptError(f"ruff-opt: error: invalid pass pipeline '{spec}': {e}", EXIT_USAGE) from None

    def run(self) -> None:
        try:
            super().run()
        except OSError as e:  # writing -o FILE failed (stdout's failures are OutputError)
            if self.args.output_file is None:
                raise
            raise RuffOptError(f"ruff-opt: error: cannot write '{self.args.output_file}': {e.strerror or e}",
                               EXIT_IO) from None

    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0) -> ModuleOp | None:
        try:
            return super().parse_chunk(chunk, file_extension, start_offset)
        except (ParseError, DiagnosticException, RuffOptError):
            raise
        except Exception as e:  # the IR parser tripping over malformed input is still malformed input
            raise RuffOptError(f"ruff-opt: error: {self.get_input_name()}: cannot parse the input "
                               f"({type(e).__name__}: {e})") from None

    def prepare_input(self) -> Any:
        try:
            return super().prepare_input()
        except ValueError as e:  # "Unrecognized file extension"
            raise RuffOptError(f"ruff-opt: error: {e} (give -f mlir or -f ruff)", EXIT_USAGE) from None

    def prepare_output(self) -> IO[str]:
        try:
            return super().prepare_output()
        except OSError as e:
            raise RuffOptError(f"ruff-opt: error: cannot write '{self.args.output_file}': {e.strerror or e}",
                               EXIT_IO) from None

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
        for action in arg_parser._actions:  # the name lists move to the epilog, where they can be read
            if action.dest == "passes":
                action.help = "comma-separated pass pipeline, e.g. specialize-types,unbox-returns,extract-native," \
                              "lower-to-llvm (passes take options as name{opt=value}; see the list below)"
            elif action.dest == "target":
                action.help = "what to print: " + ", ".join(self.available_targets) + " (default mlir)"
        arg_parser.formatter_class = _HelpFormatter
        arg_parser.epilog = self._passes_epilog()

    def _passes_epilog(self) -> str:
        from ruff.tiering import NATIVE_PIPELINE, PIPELINE

        ours = pass_summaries()
        width = max(len(name) for name, _ in ours)
        lines = ["Ruff's passes: (options go in braces: -p 'inline{depth=4 budget=60}')"]
        for name, summary in ours:  # a summary stays on one line, so that it can be searched for
            lines.append(f"  {name.ljust(width)}  {summary}")
            options = pass_options(name)
            if options:
                lines.append(f"  {''.ljust(width)}  options: {options}")
        lines += ["", "The JIT's pipeline (ruff/tiering.py; RUFF_JIT_DUMP=DIR writes the IR after each pass):"]
        lines += textwrap.wrap(",".join(PIPELINE + NATIVE_PIPELINE).replace(",", ", "), EPILOG_WIDTH,
                               initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False,
                               break_long_words=False)
        others = sorted(name for name in self.available_passes if name not in dict(ours))
        lines += ["", "xDSL's passes:"]
        lines += textwrap.wrap(", ".join(others), EPILOG_WIDTH, initial_indent="  ", subsequent_indent="  ",
                               break_on_hyphens=False, break_long_words=False)
        return "\n".join(lines)

    def apply_passes(self, prog: ModuleOp) -> None:
        """Run the pipeline; say on stderr which functions specialize-types leaves boxed, and why (else a
        pipeline ending in extract-native prints an empty module without a word)."""
        from ruff.passes.specialize_types import SpecializeTypesPass

        specialize = next((p for p in self.pipeline.passes if isinstance(p, SpecializeTypesPass)), None)
        untyped = [] if specialize is None else _untyped_functions(prog, specialize)
        super().apply_passes(prog)
        for name, params in untyped:
            sys.stdout.flush()
            kinds = ",".join("KIND" for _ in params)
            print(f"ruff-opt: note: {name}({', '.join(params)}) stays boxed: no call with literal arguments gives "
                  f"its argument types (add them: specialize-types{{arg-types=\"{name}({kinds})\"}})",
                  file=sys.stderr)
        failures = prog.attributes.get("specialize_failures")
        for failure in getattr(failures, "data", ()):
            sys.stdout.flush()
            print(f"ruff-opt: note: specialize-types leaves {failure.data}", file=sys.stderr)

    def output_resulting_program(self, prog: ModuleOp) -> str:
        emit = self.args.emit
        if emit == "mlir":
            return super().output_resulting_program(prog)
        from ruff.backend import jit

        if emit == "llvm-ir":
            text = _emitting(f"--emit {emit}", lambda: jit.emit_llvm_ir(prog, optimize=False))
        elif emit == "llvm-ir-opt":
            text = _emitting(f"--emit {emit}",
                             lambda: jit.emit_llvm_ir(prog, optimize=True, opt_level=self.args.opt_level))
        else:
            text = _emitting(f"--emit {emit}", lambda: jit.emit_asm(prog, opt_level=self.args.opt_level))
        return text if text.endswith("\n") else text + "\n"


def _untyped_functions(prog: ModuleOp, specialize: Any) -> list[tuple[str, list[str]]]:
    """(name, parameter names) of the lifted functions `specialize` finds no argument kinds for."""
    from ruff.dialects import ruff as R

    out = []
    for func in prog.ops:
        if (isinstance(func, R.FuncOp) and func.lifted_from is not None and "specialized_for" not in func.attributes
                and specialize.types_for(func) is None):
            params = [p.data for p in func.param_names.data] if func.param_names is not None else []
            out.append((func.lifted_from.data, params))
    return out


def _report(e: BaseException) -> None:
    sys.stdout.flush()
    print(e, file=sys.stderr)
    for note in getattr(e, "__notes__", ()):  # xDSL attaches the IR with the failing op marked
        print(note, file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    """ruff-opt with `argv`; returns the exit code (argparse's usage errors still exit 2 themselves)."""
    try:
        guard_stdout()
        return _run(argv)
    except OutputError as e:  # also when flushing before an error message
        return report_output_error(e, "ruff-opt")


def _run(argv: list[str] | None) -> int:
    try:
        RuffOptMain(description="Ruff-on-xDSL modular optimizer driver", args=argv).run()
        sys.stdout.flush()
        return 0
    except (ParseError, DiagnosticException) as e:  # includes VerifyException and PassFailedException
        _report(e)
        return EXIT_SYNTAX
    except RuffOptError as e:
        sys.stdout.flush()
        print(e, file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OutputError:
        raise
    except Exception as e:  # a bug of ours
        if os.environ.get("RUFF_DEBUG"):
            raise
        print(f"ruff-opt: internal error: {type(e).__name__}: {e} (set RUFF_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    main()
