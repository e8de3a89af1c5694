"""Measurements besides the workloads: start-up time of `ruff run` and JIT compile times."""

from __future__ import annotations

import re
from typing import Optional

from bench.catalog import HELLO, Program
from bench.contenders import Contender
from bench.runner import ProcessRunner, run_process
from bench.stats import median, ratio

# `[jit] compiled fib(int) in 35.2 ms` — the descriptor is everything up to the last ` in <n> ms`
JIT_LINE = re.compile(r"\[jit\] compiled (.+?) in ([0-9]+(?:\.[0-9]*)?) ?ms\b")


def parse_jit_log(text: str) -> list[tuple[str, float]]:
    """(function descriptor, compile ms) for each `[jit] compiled … in N ms` line, in order."""
    found = []
    for line in text.splitlines():
        m = JIT_LINE.search(line)
        if m:
            found.append((m.group(1).strip(), float(m.group(2))))
    return found


def jit_compile_times(ruff_jit: Contender, programs: list[Program], timeout: float,
                      proc_runner: ProcessRunner = run_process) -> dict[str, dict]:
    """One extra `ruff run --jit-log FILE` per program (not timed); per program:
    {"status": "ok" | "unsupported" | "error", "compiled": [[name, ms], ...], "total_ms", "detail"}."""
    out: dict[str, dict] = {}
    for prog in programs:
        src = prog.source("ruff")
        # With the on-disk cache off, so the log shows real compile times and not cache hits.
        argv = ["env", "RUFF_JIT_CACHE=0", *ruff_jit.argv, "--jit-log", str(src)]
        proc = proc_runner(argv, timeout)
        text = (proc.stderr or "") + "\n" + (proc.stdout or "")
        entry: dict = {"status": "ok", "compiled": [], "total_ms": None, "detail": "",
                       "command": " ".join(argv)}
        if proc.returncode == 2 or "unrecognized arguments" in text:
            entry["status"], entry["detail"] = "unsupported", "--jit-log not supported by ruff run"
        elif proc.returncode != 0:
            entry["status"] = "error"
            entry["detail"] = "timed out" if proc.returncode is None else f"exit {proc.returncode}"
        compiled = parse_jit_log(text)
        # `loop at /abs/path/bench/programs/x.ruff:9 in f (...)` -> `loop at x.ruff:9 in f (...)`
        prefix = str(src.parent) + "/"
        entry["compiled"] = [[name.replace(prefix, ""), ms] for name, ms in compiled]
        if compiled:
            entry["total_ms"] = sum(ms for _, ms in compiled)
        out[prog.name] = entry
    return out


def startup_times(ruff_jit: Optional[Contender], python: Optional[str], pypy: Optional[str],
                  reps: int, timeout: float = 120.0,
                  proc_runner: ProcessRunner = run_process) -> dict:
    """Median whole-process wall time of `ruff run hello.ruff` against `python3 -c pass`
    (and `pypy3 -c pass`), alternating the commands on every repetition."""
    cmds: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    if ruff_jit is not None and ruff_jit.available:
        cmds["ruff run hello.ruff"] = [*ruff_jit.argv, str(HELLO)]
    elif ruff_jit is not None:
        errors["ruff run hello.ruff"] = "not available"
    if python:
        cmds["python3 -c pass"] = [python, "-c", "pass"]
    if pypy:
        cmds["pypy3 -c pass"] = [pypy, "-c", "pass"]
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    names = list(cmds)
    for rep in range(reps):
        k = rep % len(names) if names else 0
        for name in names[k:] + names[:k]:
            if name in errors:
                continue
            proc = proc_runner(cmds[name], timeout)
            if proc.returncode != 0:
                errors[name] = "timed out" if proc.returncode is None else f"exit {proc.returncode}"
                continue
            samples[name].append(proc.wall_ms)
    medians = {k: median(v) for k, v in samples.items()}
    base = medians.get("python3 -c pass")
    return {
        "commands": {k: " ".join(v) for k, v in cmds.items()},
        "samples_ms": samples,
        "median_ms": medians,
        "ratio_to_python": {k: ratio(m, base) for k, m in medians.items()},
        "errors": errors,
        "reps": reps,
    }
