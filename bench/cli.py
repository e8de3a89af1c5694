"""`python -m bench`: run every program under every contender, check the results agree, report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Optional

from bench import catalog
from bench.chart import write_chart
from bench.contenders import ABLATION, KNOWN, LABELS, compile_c, discover
from bench.extras import jit_compile_times, startup_times
from bench.machine import machine_info
from bench.report import (failure_lines, fmt_ms, group_table, jit_table, median_table,
                          ratio_table, render_report, render_text, startup_table, to_json)
from bench.runner import Run, run_suite, summarize

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_REPEAT = 5
# the result files that are committed: only a complete run may write them (see missing_parts)
COMMITTED = ("latest", "ablation")


def partial_name(output: str) -> str:
    """Where a partial run writes instead of a committed name: partial.*, ablation-partial.*
    (both git-ignored)."""
    return "partial" if output == "latest" else f"{output}-partial"


def missing_parts(args: argparse.Namespace, programs: list[catalog.Program], names: list[str],
                  default: list[str], all_programs: list[catalog.Program], repeat: int) -> list[str]:
    """Why this run is not a complete one (empty: complete): fewer programs, contenders or
    repetitions than the full run of its kind, or a measurement left out."""
    why = []
    left_out = [p.name for p in all_programs if p not in programs]
    if left_out:
        why.append(f"programs left out: {', '.join(left_out)}")
    absent = [n for n in default if n not in names]
    if absent:
        why.append(f"contenders left out: {', '.join(absent)}")
    if repeat < DEFAULT_REPEAT:
        why.append(f"--repeat {repeat} < {DEFAULT_REPEAT}")
    for flag in ("no_startup", "no_jit_log", "no_chart"):
        if getattr(args, flag):
            why.append("--" + flag.replace("_", "-"))
    return why


def _csv(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m bench",
        description="Ruff (JIT / --no-jit / --tier=interp) against CPython, PyPy and gcc -O2 on the "
                    "programs in bench/programs. Results: bench/results/<name>.{json,md,png}.")
    ap.add_argument("--only", metavar="P1,P2", type=_csv,
                    help="run only these programs (default: all; see --list)")
    ap.add_argument("--contenders", metavar="C1,C2", type=_csv, default=None,
                    help=f"contenders to run (default: all of {','.join(KNOWN)}; unavailable ones "
                         "are skipped with a note)")
    ap.add_argument("--repeat", type=int, default=None,
                    help=f"repetitions per contender, median reported (default {DEFAULT_REPEAT})")
    ap.add_argument("--ablation", action="store_true",
                    help="the native-tier programs under the JIT with each optimization pass turned off in turn "
                         "(writes ablation.*)")
    ap.add_argument("--quick", action="store_true",
                    help=f"CI smoke run: --repeat 1, programs {','.join(catalog.QUICK)} "
                         "(unless --only/--repeat say otherwise); writes results as 'quick'")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per run (default 300)")
    ap.add_argument("--ruff", metavar="PATH", help="ruff executable (default .venv/bin/ruff)")
    ap.add_argument("--python", metavar="PATH", help="CPython executable (default: this one)")
    ap.add_argument("--pypy", metavar="PATH", help="PyPy executable (default: pypy3 on PATH)")
    ap.add_argument("--cc", metavar="PATH", help="C compiler (default: gcc on PATH)")
    ap.add_argument("--output", metavar="NAME", default=None,
                    help="base name of the result files (default 'latest', 'ablation' with "
                         "--ablation, 'quick' with --quick; a partial run - fewer programs, "
                         "contenders or repetitions, or a part skipped - writes 'partial' "
                         "('ablation-partial') instead, never the committed files)")
    ap.add_argument("--results-dir", metavar="DIR", type=Path, default=RESULTS_DIR,
                    help="where result files go (default bench/results)")
    ap.add_argument("--no-write", action="store_true", help="print the tables only")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    ap.add_argument("--no-jit-log", action="store_true", help="skip the JIT compile-time runs")
    ap.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    ap.add_argument("--list", action="store_true", help="list programs and contenders, then exit")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    return ap


def _say(msg: str = "") -> None:
    print(msg, flush=True)


def _progress(verbose: bool):
    def show(run: Run) -> None:
        if verbose or run.status != "ok":
            extra = f"work {fmt_ms(run.work_ms)} ms, process {fmt_ms(run.wall_ms)} ms" \
                if run.status == "ok" else run.detail
            _say(f"  {run.program:<18} rep {run.rep + 1}  {run.contender:<12} {run.status:<10} {extra}")
    return show


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    default = ["ruff-jit", *ABLATION, "cpython", "gcc"] if args.ablation else list(KNOWN)
    names = args.contenders if args.contenders is not None else default
    unknown = [n for n in names if n not in KNOWN + ABLATION]
    if unknown:
        print(f"error: unknown contender(s) {', '.join(unknown)} (known: {', '.join(KNOWN + ABLATION)})",
              file=sys.stderr)
        return 2
    full_set = catalog.select(catalog.ABLATION_SET if args.ablation else None)
    if args.ablation and not args.only:
        args.only = list(catalog.ABLATION_SET)
    try:
        programs = catalog.select(args.only if args.only else (catalog.QUICK if args.quick else None))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else DEFAULT_REPEAT)
    if repeat < 1:
        print("error: --repeat must be at least 1", file=sys.stderr)
        return 2
    kind = "quick" if args.quick else "ablation" if args.ablation else "latest"
    partial = [] if args.quick else missing_parts(args, programs, names, default, full_set, repeat)
    if args.output in COMMITTED and args.output != kind:
        partial.append(f"this is a {kind} run, not a {args.output} one")
    output = args.output or kind
    if partial and output in COMMITTED:
        if args.output is not None:
            print(f"error: only a complete run writes the committed {output}.* results; this one is "
                  f"partial ({'; '.join(partial)}). Leave out --output (it then writes "
                  f"{partial_name(output)}.*).", file=sys.stderr)
            return 2
        output = partial_name(output)

    if args.list:
        for p in catalog.PROGRAMS:
            twins = "ruff py" + (" c" if p.has_c else "")
            _say(f"{p.name:<18} [{twins}]  {catalog.GROUP_LABELS[p.group]}: {p.description}")
        _say("contenders: " + ", ".join(f"{n} ({LABELS[n]})" for n in KNOWN))
        return 0

    command = "python -m bench" + "".join(" " + shlex.quote(a) for a in
                                          (sys.argv[1:] if argv is None else argv))
    started = dt.datetime.now(dt.timezone.utc).astimezone()
    _say(f"{command}\n{started:%Y-%m-%d %H:%M:%S %Z}: {len(programs)} program(s), repeat {repeat}")

    if partial and output.endswith("partial"):
        _say(f"partial run ({'; '.join(partial)}): results go to {output}.*, "
             f"committed {kind}.* is left alone")
    contenders = discover(names, ruff=args.ruff, pypy=args.pypy, cc=args.cc, python=args.python)
    for c in contenders:  # named on the command line: run it even where it is slow
        c.run_slow = args.contenders is not None and c.name in args.contenders
    for c in contenders:
        state = "ok" if c.available else f"SKIPPED — {c.note}"
        _say(f"  {c.name:<12} {state}" + (f"  [{c.version}]" if c.available and c.version else ""))
    if not any(c.available for c in contenders):
        print("error: no contender is available", file=sys.stderr)
        return 1

    by_name = {c.name: c for c in contenders}
    with tempfile.TemporaryDirectory(prefix="ruff-bench-") as build_dir:
        gcc = by_name.get("gcc")
        if gcc is not None and gcc.available:
            compile_c(gcc, programs, Path(build_dir))
            for prog, err in gcc.compile_errors.items():
                _say(f"  gcc: {prog}: {err}")
        _say("running (round-robin across contenders; a line per program):")
        runs = {}
        for prog in programs:
            runs.update(run_suite([prog], contenders, repeat, args.timeout,
                                  progress=_progress(args.verbose)))
            row = summarize([prog], contenders, runs)
            _say(f"  {prog.name:<18} " + "  ".join(
                f"{c.name} {fmt_ms(row[(prog.name, c.name)].work_ms)}"
                if row[(prog.name, c.name)].status == "ok"
                else f"{c.name} {row[(prog.name, c.name)].status.upper()}"
                for c in contenders if c.available and c.runs(prog)))
    cells = summarize(programs, contenders, runs)

    ruff_jit = by_name.get("ruff-jit")
    cpython = by_name.get("cpython")
    pypy = by_name.get("pypy")
    startup = None
    if not args.no_startup:
        _say("start-up: ruff run hello.ruff vs python3 -c pass ...")
        startup = startup_times(ruff_jit,
                                cpython.argv[0] if cpython is not None and cpython.available else None,
                                pypy.argv[0] if pypy is not None and pypy.available else None,
                                reps=max(5, repeat))
    jit = None
    if not args.no_jit_log and ruff_jit is not None and ruff_jit.available:
        _say("JIT compile times: ruff run --jit-log ...")
        jit = jit_compile_times(ruff_jit, programs, args.timeout)

    _say("")
    for metric, heading in (("work", "Work time, median ms (timed inside each program)"),
                            ("process", "Process wall time, median ms (whole process)")):
        _say(heading)
        _say(render_text(median_table(programs, contenders, cells, metric)))
        _say("")
    for metric, heading in (("work", "Relative to CPython, work time (lower is better)"),
                            ("process", "Relative to CPython, process wall time (lower is better)")):
        _say(heading)
        _say(render_text(ratio_table(programs, contenders, cells, metric)))
        _say("")
    for g in catalog.groups(programs):
        _say(f"{catalog.GROUP_LABELS[g]}: geometric mean of the work-time ratio (lower is better)")
        _say(render_text(group_table(programs, contenders, cells, "work", g)))
        _say("")
    if startup is not None:
        _say("Start-up (median ms, whole process)")
        _say(render_text(startup_table(startup)))
        _say("")
    if jit is not None:
        _say("JIT compile time (ruff run --jit-log)")
        if any(e["compiled"] for e in jit.values()):
            _say(render_text(jit_table(jit), "llr"))
        else:
            reasons = sorted({e["detail"] for e in jit.values() if e["detail"]})
            _say("n/a" + (f" ({'; '.join(reasons)})" if reasons else ""))
        _say("")

    meta = {"date": started.isoformat(timespec="seconds"), "command": command, "repeat": repeat,
            "timeout": args.timeout, "machine": machine_info()}
    if not args.no_write:
        out_dir: Path = args.results_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        png = out_dir / f"{output}.png"
        chart_note = "disabled (--no-chart)"
        chart_name = None
        if not args.no_chart:
            why = write_chart(png, programs, contenders, cells,
                              title=f"Ruff benchmarks, {started:%Y-%m-%d} (median of {repeat})")
            if why is None:
                chart_name = png.name
            else:
                chart_note = why
                _say(f"chart skipped: {why}")
        if chart_name is None and png.exists():
            # never delete a chart (it may be the committed one); the report says it is older
            chart_note += f"; {png.name} next to this report is from an earlier run"
        doc = to_json(meta, programs, contenders, cells, startup, jit)
        (out_dir / f"{output}.json").write_text(json.dumps(doc, indent=2) + "\n")
        (out_dir / f"{output}.md").write_text(
            render_report(meta, programs, contenders, cells, startup, jit, chart_name, chart_note))
        written = [f"{output}.json", f"{output}.md"] + ([chart_name] if chart_name else [])
        _say(f"wrote {', '.join(str(out_dir / w) for w in written)}")

    fails = failure_lines(cells)
    if fails:
        bar = "!" * 72
        print(f"\n{bar}\nBENCHMARK FAILURES ({len(fails)}):", file=sys.stderr)
        for line in fails:
            print(f"  {line}", file=sys.stderr)
        print(bar, file=sys.stderr)
        return 1
    _say("all result lines agree")
    return 0
