"""Running programs: the output protocol, one timed process, the round-robin schedule, and the
per-(program, contender) summary with result checking."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from bench import RESULT_PREFIX, WORK_PREFIX
from bench.catalog import Program
from bench.contenders import BASELINE, Contender
from bench.stats import median

# cell statuses that make the run fail (exit code 1)
FAILING = ("mismatch", "error", "timeout", "bad-output")


class ProtocolError(ValueError):
    """The program's stdout does not follow the `result:` / `work_ms:` protocol."""


def parse_output(stdout: str) -> tuple[str, float]:
    """(result line, work_ms) from a program's stdout.

    The protocol: the program prints `result: <value>` and then `work_ms: <float>`.  The result is
    the whole `result:` line with trailing blanks removed (compared verbatim across contenders);
    when a line occurs twice the last one counts.
    """
    result: Optional[str] = None
    work: Optional[float] = None
    for raw in stdout.splitlines():
        line = raw.strip()
        if line.startswith(RESULT_PREFIX):
            result = line
        elif line.startswith(WORK_PREFIX):
            text = line[len(WORK_PREFIX):].strip()
            try:
                work = float(text)
            except ValueError:
                raise ProtocolError(f"unparsable work_ms value {text!r}") from None
    if result is None:
        raise ProtocolError("no `result:` line on stdout")
    if work is None:
        raise ProtocolError("no `work_ms:` line on stdout")
    return result, work


@dataclass
class Proc:
    """One finished (or killed) process."""
    returncode: Optional[int]  # None: timed out
    stdout: str
    stderr: str
    wall_ms: float


ProcessRunner = Callable[[list[str], float], Proc]


def run_process(argv: list[str], timeout: float) -> Proc:
    """Run argv with captured output; wall_ms is the whole process as seen from here."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        wall = (time.perf_counter() - t0) * 1000.0
        return Proc(p.returncode, p.stdout, p.stderr, wall)
    except subprocess.TimeoutExpired as e:
        wall = (time.perf_counter() - t0) * 1000.0
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Proc(None, out, err, wall)
    except OSError as e:
        return Proc(127, "", str(e), (time.perf_counter() - t0) * 1000.0)


@dataclass
class Run:
    """One timed run of one program by one contender."""
    program: str
    contender: str
    rep: int
    status: str  # "ok" | "error" | "timeout" | "bad-output"
    result: Optional[str] = None
    work_ms: Optional[float] = None
    wall_ms: Optional[float] = None
    detail: str = ""

    def to_json(self) -> dict:
        return {"rep": self.rep, "status": self.status, "result": self.result,
                "work_ms": self.work_ms, "wall_ms": self.wall_ms, "detail": self.detail}


def _tail(text: str, n: int = 3) -> str:
    lines = [ln.rstrip() for ln in text.strip().splitlines() if ln.strip()]
    return " | ".join(lines[-n:])


def classify(program: str, contender: str, rep: int, proc: Proc, timeout: float) -> Run:
    """Turn a finished process into a Run (status, parsed result and work_ms)."""
    run = Run(program, contender, rep, "ok", wall_ms=proc.wall_ms)
    if proc.returncode is None:
        run.status, run.detail = "timeout", f"killed after {timeout:g} s"
        run.wall_ms = None
        return run
    if proc.returncode != 0:
        run.status = "error"
        run.detail = f"exit {proc.returncode}: {_tail(proc.stderr or proc.stdout)}"
        return run
    try:
        run.result, run.work_ms = parse_output(proc.stdout)
    except ProtocolError as e:
        run.status, run.detail = "bad-output", f"{e}; stdout: {_tail(proc.stdout)!r}"
    return run


def schedule(programs: list[Program], contenders: list[Contender],
             repeat: int) -> Iterator[tuple[Program, int, Contender]]:
    """Round-robin order: for each program, repetition r runs every contender once, starting
    from contender r (mod count), so no contender always runs first or all its repetitions in a row."""
    for prog in programs:
        runnable = [c for c in contenders if c.available and c.runs(prog)]
        for rep in range(repeat):
            k = rep % len(runnable) if runnable else 0
            for c in runnable[k:] + runnable[:k]:
                yield prog, rep, c


def run_suite(programs: list[Program], contenders: list[Contender], repeat: int, timeout: float,
              proc_runner: ProcessRunner = run_process,
              progress: Optional[Callable[[Run], None]] = None) -> dict[tuple[str, str], list[Run]]:
    """Run the schedule; returns the runs per (program, contender).  After a failed run (crash,
    timeout, bad output) that contender's remaining repetitions of that program are skipped."""
    runs: dict[tuple[str, str], list[Run]] = {}
    failed: set[tuple[str, str]] = set()
    for prog, rep, c in schedule(programs, contenders, repeat):
        key = (prog.name, c.name)
        if key in failed:
            continue
        argv = c.command(prog)
        if argv is None:  # C twin that did not compile
            run = Run(prog.name, c.name, rep, "error",
                      detail=c.compile_errors.get(prog.name, "no executable"))
        else:
            run = classify(prog.name, c.name, rep, proc_runner(argv, timeout), timeout)
        runs.setdefault(key, []).append(run)
        if run.status != "ok":
            failed.add(key)
        if progress:
            progress(run)
    return runs


@dataclass
class Cell:
    """Summary of one program under one contender."""
    program: str
    contender: str
    # "ok" | "mismatch" | "error" | "timeout" | "bad-output" | "n/a" (no twin) | "unavailable"
    # | "skipped" (the program is too slow for this contender, see Program.too_slow_for)
    status: str
    result: Optional[str] = None
    work_ms: Optional[float] = None  # median over the ok runs
    wall_ms: Optional[float] = None  # median over the ok runs
    runs: list[Run] = field(default_factory=list)
    detail: str = ""

    @property
    def failing(self) -> bool:
        return self.status in FAILING

    def to_json(self) -> dict:
        return {"status": self.status, "result": self.result, "work_ms_median": self.work_ms,
                "wall_ms_median": self.wall_ms, "detail": self.detail,
                "runs": [r.to_json() for r in self.runs]}


def reference_result(expected: Optional[str], results: dict[str, Optional[str]],
                     baseline: str = BASELINE) -> Optional[str]:
    """What every contender must print: the catalog's expected line, else the baseline's,
    else the most common one."""
    if expected is not None:
        return expected
    if results.get(baseline) is not None:
        return results[baseline]
    seen = Counter(r for r in results.values() if r is not None)
    return seen.most_common(1)[0][0] if seen else None


def mismatches(expected: Optional[str], results: dict[str, Optional[str]],
               baseline: str = BASELINE) -> list[str]:
    """Contenders (in the given order) whose result line differs from the reference result.
    Contenders with no result (None: failed or not run) are not mismatches."""
    ref = reference_result(expected, results, baseline)
    return [name for name, r in results.items() if r is not None and r != ref]


def summarize(programs: list[Program], contenders: list[Contender],
              runs: dict[tuple[str, str], list[Run]]) -> dict[tuple[str, str], Cell]:
    """One Cell per (program, contender), with medians and the result check applied."""
    cells: dict[tuple[str, str], Cell] = {}
    for prog in programs:
        row: dict[str, Cell] = {}
        for c in contenders:
            key = (prog.name, c.name)
            if not c.available:
                cell = Cell(prog.name, c.name, "unavailable", detail=c.note)
            elif c.skips_as_too_slow(prog):
                cell = Cell(prog.name, c.name, "skipped",
                            detail=f"too slow for {c.name}; name it in --contenders to run it")
            elif not c.runs(prog):
                cell = Cell(prog.name, c.name, "n/a")
            else:
                rs = runs.get(key, [])
                ok = [r for r in rs if r.status == "ok"]
                bad = [r for r in rs if r.status != "ok"]
                cell = Cell(prog.name, c.name, "ok", runs=rs,
                            work_ms=median([r.work_ms for r in ok]),
                            wall_ms=median([r.wall_ms for r in ok]))
                distinct = list(dict.fromkeys(r.result for r in ok))
                if distinct:
                    cell.result = distinct[-1]
                if bad:
                    cell.status, cell.detail = bad[0].status, bad[0].detail
                elif not rs:
                    cell.status, cell.detail = "error", "not run"
                elif len(distinct) > 1:
                    cell.status = "mismatch"
                    cell.detail = "result differs between repetitions: " + " / ".join(distinct)
            row[c.name] = cell
        results = {name: cell.result for name, cell in row.items()}
        for name in mismatches(prog.expected, results):
            cell = row[name]
            if cell.status == "ok":
                cell.status = "mismatch"
                cell.detail = f"printed {cell.result!r}, expected " \
                              f"{reference_result(prog.expected, results)!r}"
        for name, cell in row.items():
            cells[(prog.name, name)] = cell
    return cells
