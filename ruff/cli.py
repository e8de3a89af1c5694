"""The `ruff` command: run, check, disasm, test-run, repl.

`ruff FILE` is short for `ruff run FILE`, and a FILE of `-` is read from standard input.

Only `sys` is imported at module level: everything else is imported inside `main()`, so a Ctrl-C that
arrives while the rest of Ruff is still being imported is reported like any other ("interrupted",
exit 130) instead of as a Python traceback from the import machinery.
"""

from __future__ import annotations

import sys
TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time

if TYPE_CHECKING:  # annotations only: importing typing at start-up widens the window a Ctrl-C can hit
    from typing import Any, Optional

COMMANDS = ("run", "check", "disasm", "test-run", "repl")


def main(argv: Optional[list[str]] = None) -> int:
    """The console script; a bug of ours is reported in one line (exit 6), with the traceback under RUFF_DEBUG=1."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as e:  # an internal error, never a user mistake: those are handled below
        from ruff.output import OutputError, report_output_error

        if isinstance(e, OutputError):
            return report_output_error(e)
        import os

        if os.environ.get("RUFF_DEBUG"):
            raise
        print(f"internal error: {type(e).__name__}: {e} (set RUFF_DEBUG=1 for the traceback)", file=sys.stderr)
        from ruff.exit_codes import EXIT_INTERNAL

        return EXIT_INTERNAL


def _interrupted() -> int:
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        print("interrupted", file=sys.stderr, flush=True)
    except Exception:
        pass
    from ruff.exit_codes import EXIT_INTERRUPTED

    return EXIT_INTERRUPTED


def _version() -> str:
    import platform

    from ruff import __version__

    return f"ruff {__version__} (Ruff on xDSL, Python {platform.python_version()})"


def build_parser() -> Any:
    import argparse

    from ruff.runner import TIERS

    class VersionAction(argparse.Action):
        """`--version`; the version is looked up only when asked for (it costs an import)."""

        def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
            print(_version())
            parser.exit()

    def count(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = -1
        if n < 0:
            raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got '{text}'")
        return n

    def run_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--no-jit", action="store_true",
                       help="never compile functions to native code (also RUFF_JIT=0)")
        p.add_argument("--jit-threshold", type=count, metavar="N",
                       help="calls before a function is compiled (default 100)")
        p.add_argument("--jit-log", action="store_true",
                       help="report compiled functions on stderr (also RUFF_JIT_LOG=1)")
        p.add_argument("--tier", choices=TIERS, help="baseline executor: generated Python (fast) or the "
                       "opcode-at-a-time reference interpreter (interp) (also RUFF_TIER)")

    parser = argparse.ArgumentParser(
        prog="ruff", description="The Ruff scripting language, with a native tier.",
        epilog="`ruff FILE` is short for `ruff run FILE`; a FILE of `-` is read from standard input. "
               "Environment variables: docs/environment.md.")
    parser.add_argument("-V", "--version", action=VersionAction, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run a Ruff program", usage="%(prog)s [-h] [--no-jit] [--jit-threshold N] "
                         "[--jit-log] [--tier {fast,interp}] FILE [ARG ...] [-- ARG ...]")
    run.add_argument("file", nargs="?", metavar="FILE")
    run_options(run)
    run.add_argument("script_args", nargs="*", metavar="ARG", help="arguments for the script (put them after --)")
    check = sub.add_parser("check", help="parse and compile files without running them (exit 0, or 3 on a "
                           "syntax error)")
    check.add_argument("files", nargs="*", metavar="FILE")
    check.add_argument("-q", "--quiet", action="store_true", help="print nothing for files that pass")
    dis = sub.add_parser("disasm", help="print the bytecode of every function in a file")
    dis.add_argument("file", nargs="?", metavar="FILE")
    test = sub.add_parser("test-run", help="run the test blocks of Ruff files")
    test.add_argument("files", nargs="*", metavar="FILE")
    test.add_argument("-v", "--verbose", action="store_true", help="list every test, not only the failures")
    run_options(test)
    repl = sub.add_parser("repl", help="interactive Ruff session")
    run_options(repl)
    for p in (run, check, dis, test, repl):
        p.set_defaults(command_parser=p)
    return parser


def _expand_shorthand(argv: list[str]) -> list[str]:
    """`ruff FILE ...` → `ruff run FILE ...` (also `ruff -`, `ruff --no-jit FILE`); a word that is neither
    a command nor a path is left for argparse to reject as an unknown command."""
    import os

    if not argv or argv[0] in COMMANDS or argv[0] in ("-h", "--help", "-V", "--version"):
        return argv
    first = argv[0]
    if first.startswith("-") or "." in first or os.sep in first or os.path.exists(first):
        return ["run", *argv]
    return argv


def _main(argv: Optional[list[str]] = None) -> int:
    from ruff.exit_codes import EXIT_USAGE
    from ruff.output import guard_stdout
    from ruff.runner import UserError

    guard_stdout()
    parser = build_parser()
    argv = _expand_shorthand(list(sys.argv[1:] if argv is None else argv))
    # Everything after `--` belongs to the script, even words that look like our flags.
    tail: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, tail = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    command_parser = args.command_parser  # for errors with that command's usage line
    if hasattr(args, "files"):
        args.files = list(args.files) + tail
        if not args.files:
            command_parser.error("the following arguments are required: FILE")
    elif hasattr(args, "file"):
        if args.file is None and tail:
            args.file = tail.pop(0)
        if args.file is None:
            command_parser.error("the following arguments are required: FILE")
        if hasattr(args, "script_args"):
            args.script_args = list(args.script_args or []) + tail
        elif tail:
            command_parser.error("unrecognized arguments: " + " ".join(tail))
    elif tail:
        command_parser.error("unrecognized arguments: " + " ".join(tail))
    try:
        return _dispatch(args)
    except UserError as e:
        print(e.text, file=sys.stderr)
        return e.code


def _options(args: Any) -> Any:
    from ruff.runner import RunOptions

    return RunOptions.from_env(
        jit=False if args.no_jit else None,
        jit_threshold=args.jit_threshold,
        jit_log=True if args.jit_log else None,
        tier=args.tier,
        script_args=list(getattr(args, "script_args", []) or []),
    )


def _dispatch(args: Any) -> int:
    from ruff.exit_codes import EXIT_OK
    from ruff.runner import compile_file, run_file

    if args.command == "run":
        return run_file(args.file, _options(args))
    if args.command == "check":
        return check_files(args.files, quiet=args.quiet)
    if args.command == "disasm":
        from ruff.frontend.disasm import disassemble

        sys.stdout.write(disassemble(compile_file(args.file).chunk))
        return EXIT_OK
    if args.command == "test-run":
        from ruff.testing import run_test_files

        return run_test_files(args.files, _options(args), verbose=args.verbose)
    from ruff.repl import run_repl

    return run_repl(_options(args))


def check_files(paths: list[str], quiet: bool = False) -> int:
    """`ruff check`: parse and compile each file, print `check passed: FILE` or its diagnostic.

    Every file is checked; the exit code is that of the first one that failed (3 for a syntax error,
    4 for a compile error such as `break` outside a loop, 5 when it cannot be read), else 0."""
    from ruff.exit_codes import EXIT_OK
    from ruff.runner import UserError, compile_file, source_name

    code = EXIT_OK
    for path in paths:
        try:
            compile_file(path)
        except UserError as e:
            sys.stdout.flush()
            print(e.text, file=sys.stderr)
            code = code or e.code
            continue
        if not quiet:
            print(f"check passed: {source_name(path)}")
    return code


if __name__ == "__main__":
    sys.exit(main())
