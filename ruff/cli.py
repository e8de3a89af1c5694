"""The `ruff` command: run, disasm, test-run, repl."""

from __future__ import annotations

import argparse
import sys
from typing import Optional

from ruff.runner import EXIT_OK, EXIT_USAGE, RunOptions, UserError, compile_file, run_file


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-jit", action="store_true", help="never compile functions to native code (also RUFF_JIT=0)")
    p.add_argument("--jit-threshold", type=int, metavar="N", help="calls before a function is compiled (default 100)")
    p.add_argument("--jit-log", action="store_true", help="report compiled functions on stderr (also RUFF_JIT_LOG=1)")
    p.add_argument("--tier", choices=["fast", "interp"], help="baseline executor: generated Python (fast) or the "
                   "opcode-at-a-time reference interpreter (interp)")


def _options(args: argparse.Namespace) -> RunOptions:
    return RunOptions.from_env(
        jit=False if args.no_jit else None,
        jit_threshold=args.jit_threshold,
        jit_log=True if args.jit_log else None,
        tier=args.tier,
        script_args=list(getattr(args, "script_args", []) or []),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ruff", description="The Ruff scripting language, with a native tier.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run a Ruff program")
    run.add_argument("file")
    _add_run_options(run)
    run.add_argument("script_args", nargs="*", help="arguments for the script (put them after --)")
    dis = sub.add_parser("disasm", help="print the bytecode of every function in a file")
    dis.add_argument("file")
    test = sub.add_parser("test-run", help="run the test blocks of a Ruff file")
    test.add_argument("file")
    _add_run_options(test)
    repl = sub.add_parser("repl", help="interactive Ruff session")
    _add_run_options(repl)
    return parser


EXIT_INTERNAL = 6


def main(argv: Optional[list[str]] = None) -> int:
    """The console script; a bug of ours is reported in one line (exit 6), with the traceback under RUFF_DEBUG=1."""
    import os

    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # an internal error, never a user mistake: those are handled below
        if os.environ.get("RUFF_DEBUG"):
            raise
        print(f"internal error: {type(e).__name__}: {e} (set RUFF_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after `--` belongs to the script, even words that look like our flags.
    script_tail: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, script_tail = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    if hasattr(args, "script_args"):
        args.script_args = list(args.script_args or []) + script_tail
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "run":
        return run_file(args.file, _options(args))
    if args.command == "disasm":
        from ruff.frontend.disasm import disassemble

        try:
            program = compile_file(args.file)
        except UserError as e:
            print(e.text, file=sys.stderr)
            return e.code
        sys.stdout.write(disassemble(program.chunk))
        return EXIT_OK
    if args.command == "test-run":
        from ruff.testing import run_tests

        return run_tests(args.file, _options(args))
    if args.command == "repl":
        from ruff.repl import run_repl

        return run_repl(_options(args))
    parser.print_help(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
