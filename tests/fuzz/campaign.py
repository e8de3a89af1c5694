"""A long fuzzing campaign: many generated programs on several processes, each new kind of difference minimized.

    .venv/bin/python -m tests.fuzz --programs 3000 --jobs 2 --findings /tmp/ruff-fuzz-findings

Unlike the pytest test, a campaign does not stop at the first difference. Each difference gets a
fingerprint (which configuration, and how: timeout, exit code, or the shape of the first differing line;
see runner.fingerprint). The first `--per-fingerprint` programs with a new fingerprint are shrunk by
hypothesis (running only the reference and the configuration that differed, and keeping only candidates
with the same fingerprint, so shrinking does not wander off to another bug) and saved as

    FINDINGS/<fingerprint hash>/<n>.ruff       the minimized program
    FINDINGS/<fingerprint hash>/<n>.txt        every configuration's outcome on it, and the fingerprint
    FINDINGS/<fingerprint hash>/<n>.orig.ruff  the program as generated

Every difference (minimized or not) is counted in FINDINGS/log.jsonl; FINDINGS/stats-<job>.json holds each
process's counts (programs generated, shrink runs, differences, reference timeouts).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from multiprocessing import Pool
from pathlib import Path
from typing import Optional

from hypothesis import HealthCheck, Phase, given, seed, settings

from .programs import programs
from .reduce import reduce_program
from .runner import CONFIGS, REFERENCE, SHRINK_MIN_TIMEOUT, problems, report, run_all


# Hypothesis may shrink for five minutes, four process launches a step; past this many seconds every
# further candidate is rejected without running it, and the text reducer (reduce.py) takes over.
HYPOTHESIS_SHRINK_SECONDS = 120.0


class Reproduced(Exception):
    """Raised inside the hypothesis test when a program shows the fingerprint being minimized."""


@dataclass
class Stats:
    generated: int = 0
    shrink_runs: int = 0
    differences: int = 0
    minimized: int = 0
    reference_timeouts: int = 0
    seconds: float = 0.0
    job: int = 0
    started: float = field(default_factory=time.perf_counter)

    def save(self, findings: Path) -> None:
        self.seconds = time.perf_counter() - self.started
        counts = {k: v for k, v in asdict(self).items() if k != "started"}
        (findings / f"stats-{self.job}.json").write_text(json.dumps(counts), encoding="utf-8")


@dataclass
class Hunt:
    """One hypothesis run: generate until a difference with a fresh fingerprint, then shrink it."""

    findings: Path
    per_fingerprint: int
    stats: Stats
    budget: int
    seen: set[bytes]  # digests of the programs this process has run
    target: Optional[tuple[str, str]] = None  # (configuration, fingerprint) being minimized
    original: Optional[str] = None
    best: Optional[str] = None
    slot: int = -1  # which of the fingerprint's minimization slots this hunt claimed
    shrink_deadline: float = 0.0

    def check(self, source: str) -> None:
        interesting = self.explore(source) if self.target is None else self.shrink_step(source)
        if interesting:
            # One raise site for every interesting program: hypothesis tells bugs apart by where they are raised.
            raise Reproduced(self.target[1])

    def explore(self, source: str) -> bool:
        if self.stats.generated >= self.budget:
            return False  # hypothesis may ask for a few more examples than we want to pay for
        digest = hashlib.sha1(source.encode()).digest()
        if digest in self.seen:
            return False  # hypothesis sometimes writes the same program twice
        self.seen.add(digest)
        self.stats.generated += 1
        if self.stats.generated % 10 == 0:
            self.stats.save(self.findings)
        outcomes = run_all(source)
        if outcomes[REFERENCE].code is None:
            self.stats.reference_timeouts += 1
            return False
        found = problems(outcomes)
        if not found:
            return False
        self.stats.differences += 1
        with open(self.findings / "log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps({"fingerprints": [p for _, p in found], "source": source}) + "\n")
        # Minimize the first problem whose fingerprint has a slot left (a program often shows several).
        claimed = next(((config, print_) for config, print_ in found if self.claim(print_)), None)
        if claimed is None:
            return False
        self.target, self.original, self.best = claimed, source, source
        self.shrink_deadline = time.perf_counter() + HYPOTHESIS_SHRINK_SECONDS
        return True

    def claim(self, print_: str) -> bool:
        """Take one of the fingerprint's minimization slots (a directory made atomically), if one is left."""
        folder = self.folder(print_)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "fingerprint.txt").write_text(print_ + "\n", encoding="utf-8")
        for k in range(self.per_fingerprint):
            try:
                (folder / f"slot{k}").mkdir()
            except FileExistsError:
                continue
            self.slot = k
            return True
        return False

    def folder(self, print_: str) -> Path:
        return self.findings / hashlib.sha1(print_.encode()).hexdigest()[:10]

    def shrink_step(self, source: str) -> bool:
        if time.perf_counter() > self.shrink_deadline:
            return source == self.best  # stop here; hypothesis still replays its best program once
        if not self.reproduces(source):
            return False
        if self.best is None or (source.count("\n"), len(source)) < (self.best.count("\n"), len(self.best)):
            self.best = source
        return True

    def reproduces(self, source: str) -> bool:
        """Does `source` still differ from the reference in the way being minimized?"""
        assert self.target is not None
        config, print_ = self.target
        self.stats.shrink_runs += 1
        # A hang was seen once already; while minimizing, a few seconds (or 10x the reference) show it again.
        outcomes = run_all(source, configs=[config], min_timeout=SHRINK_MIN_TIMEOUT)
        if outcomes[REFERENCE].code is None:
            return False
        return (config, print_) in problems(outcomes)

    def save(self) -> None:
        assert self.target is not None and self.best is not None and self.original is not None
        folder = self.folder(self.target[1])
        self.best = reduce_program(self.best, self.reproduces, max_tests=150)
        outcomes = run_all(self.best)  # every configuration, for the record
        (folder / f"{self.slot}.ruff").write_text(self.best, encoding="utf-8")
        (folder / f"{self.slot}.orig.ruff").write_text(self.original, encoding="utf-8")
        (folder / f"{self.slot}.txt").write_text(f"fingerprint: {self.target[1]}\n\n" + report(self.best, outcomes),
                                                 encoding="utf-8")
        self.stats.minimized += 1


def hunt_once(findings: Path, per_fingerprint: int, stats: Stats, budget: int, run_seed: int,
              seen: set[bytes]) -> None:
    hunt = Hunt(findings, per_fingerprint, stats, budget, seen)

    @seed(run_seed)
    @settings(max_examples=max(1, budget - stats.generated), deadline=None, database=None,
              phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(programs())
    def check(source: str) -> None:
        hunt.check(source)

    try:
        check()
    except Reproduced:
        pass
    except Exception as e:  # noqa: BLE001 - hypothesis reporting a flaky failure, or a bug in this module
        with open(findings / "errors.log", "a", encoding="utf-8") as log:
            log.write(f"seed {run_seed}: {type(e).__name__}: {str(e)[:2000]}\n")
    if hunt.target is not None:
        hunt.save()


def worker(job: int, programs_: int, findings: str, per_fingerprint: int, base_seed: int) -> dict:
    stats = Stats(job=job)
    seen: set[bytes] = set()
    run = 0
    while stats.generated < programs_:
        before = stats.generated
        hunt_once(Path(findings), per_fingerprint, stats, programs_, base_seed * 1_000_003 + job * 10_007 + run, seen)
        run += 1
        if stats.generated == before:
            break  # hypothesis found nothing new to generate
        stats.save(Path(findings))
    stats.save(Path(findings))
    return {k: v for k, v in asdict(stats).items() if k not in ("started", "job")}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=200, help="programs to generate (over all jobs)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--findings", default=None, help="output directory (default: a new temporary one)")
    parser.add_argument("--per-fingerprint", type=int, default=2, help="minimized programs per fingerprint")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    findings = Path(args.findings or tempfile.mkdtemp(prefix="ruff-fuzz-findings-"))
    findings.mkdir(parents=True, exist_ok=True)
    # One native-code cache for the campaign, never the user's.
    os.environ.setdefault("RUFF_CACHE_DIR", tempfile.mkdtemp(prefix="ruff-fuzz-cache-"))
    share, extra = divmod(args.programs, args.jobs)
    jobs = [(j, share + (j < extra), str(findings), args.per_fingerprint, args.seed) for j in range(args.jobs)]
    print(f"fuzzing {args.programs} programs on {args.jobs} processes; configurations: {', '.join(CONFIGS)}; "
          f"findings in {findings}", flush=True)
    with Pool(args.jobs) as pool:
        results = pool.starmap(worker, jobs)
    total = {key: sum(r[key] for r in results) for key in results[0]}
    print(json.dumps(total, indent=1))
    for folder in sorted(p for p in findings.iterdir() if p.is_dir()):
        print(f"{folder.name}: {(folder / 'fingerprint.txt').read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
