"""Command line of the sweep: `python -m tests.refsweep PATH_TO_REFERENCE_CHECKOUT` (see __init__.py)."""

from __future__ import annotations

import argparse
import shlex
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.refsweep import __doc__ as overview
from tests.refsweep.judgements import JUDGEMENTS
from tests.refsweep.model import Verdict
from tests.refsweep.report import report, summary
from tests.refsweep.sweep import Sweep, private_tmp_available


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.refsweep", description=overview.split("\n")[0])
    parser.add_argument("reference", type=Path, help="a checkout of rufflang/ruff")
    parser.add_argument("--jobs", type=int, default=2, help="programs run at once (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per program (default 30)")
    parser.add_argument("--report", type=Path, default=Path("refsweep_report.md"),
                        help="where the detailed report goes (default ./refsweep_report.md)")
    parser.add_argument("--keep", type=Path, help="a directory to keep each program's stdout and stderr in")
    parser.add_argument("--only", nargs="*", default=[], help="run only programs whose path contains one of these")
    parser.add_argument("--ruff", default=f"{shlex.quote(sys.executable)} -m ruff",
                        help="the command that runs ruff (default: this Python's -m ruff)")
    args = parser.parse_args(argv)
    reference = args.reference.resolve()
    if not (reference / "tests").is_dir() or not (reference / "examples").is_dir():
        parser.error(f"{reference} has no tests/ and examples/: not a checkout of the reference")
    sweep = Sweep(reference, shlex.split(args.ruff), args.timeout, JUDGEMENTS, private_tmp_available())
    programs = [p for p in sweep.programs() if not args.only or any(s in p for s in args.only)]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)

    def one(program: str) -> Verdict:
        result = sweep.run(program)
        if args.keep:
            stem = program.replace("/", "__")
            (args.keep / f"{stem}.stdout").write_text(result.stdout, encoding="utf-8")
            (args.keep / f"{stem}.stderr").write_text(result.stderr, encoding="utf-8")
        verdict = sweep.classify(program, result)
        print(f"{verdict.category.value:>40}  {program}", file=sys.stderr, flush=True)
        return verdict

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        verdicts = list(pool.map(one, programs))
    command = "python -m tests.refsweep " + shlex.join(sys.argv[1:] if argv is None else argv)
    note = ("Each run had a private /tmp." if sweep.private_tmp else
            "No private /tmp here (unshare unavailable): programs that write fixed /tmp paths can collide.")
    args.report.write_text(report(verdicts, command, JUDGEMENTS, note), encoding="utf-8")
    print(summary(verdicts))
    print(f"report: {args.report}")
    return 1 if any(v.category.could_be_ours for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
