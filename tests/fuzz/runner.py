"""Run one Ruff program under every tier configuration, as separate processes, and compare what they did.

The reference is `--tier interp --no-jit` (the opcode-at-a-time interpreter: the reference semantics); the
others must print the same stdout and stderr, byte for byte, and exit with the same code. Nothing is
normalized: every configuration runs the same file from the same directory under the same name, so even
the diagnostics' `file:line:col` must agree.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

REFERENCE = "interp"
CONFIGS: dict[str, list[str]] = {
    "interp": ["--tier", "interp", "--no-jit"],  # the reference semantics
    "fast": ["--no-jit"],  # the fast baseline tier alone
    "jit0": ["--jit-threshold", "0"],  # everything compilable goes native at once
    "default": [],  # the defaults: native code only for what gets hot (100 calls / 1,000 back-edges)
}
PROGRAM_NAME = "prog.ruff"
REFERENCE_TIMEOUT = 60.0  # seconds; generated programs take well under 2 s in the reference
# The other configurations get this many times the reference's time, and at least MIN_TIMEOUT: native code
# that hangs (recursion that should hit the depth limit, compiled into a loop) is caught without waiting
# long. The floor is generous because --jit-threshold 0 compiles every function and loop (0.2-1 s each on a
# busy machine; some programs need 15 of them), whatever the reference took.
TIMEOUT_FACTOR = 10
MIN_TIMEOUT = 30.0
# While a failure is being minimized, a configuration already seen to hang gets less (every shrink step
# that still hangs costs this much).
SHRINK_MIN_TIMEOUT = 10.0


@dataclass(frozen=True)
class Outcome:
    """What one configuration did: its output streams and exit code (None when it timed out)."""

    stdout: str
    stderr: str
    code: Optional[int]

    def describe(self) -> str:
        code = "timeout" if self.code is None else str(self.code)
        return f"exit {code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def ruff_env() -> dict[str, str]:
    """The environment for a run: the caller's (its RUFF_CACHE_DIR included), minus settings that change flags."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for var in ("RUFF_JIT", "RUFF_JIT_LOG", "RUFF_DEBUG"):
        env.pop(var, None)
    return env


def run_config(directory: Path, flags: list[str], timeout: float) -> Outcome:
    cmd = [sys.executable, "-m", "ruff", "run", *flags, PROGRAM_NAME]
    try:
        proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, timeout=timeout, env=ruff_env(),
                              encoding="utf-8", errors="backslashreplace")
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "backslashreplace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode("utf-8", "backslashreplace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Outcome(out, err, None)
    return Outcome(proc.stdout, proc.stderr, proc.returncode)


def run_all(source: str, configs: Optional[list[str]] = None, stop_early: bool = False,
            min_timeout: float = MIN_TIMEOUT) -> dict[str, Outcome]:
    """Run `source` under the reference and then each other configuration (all of them by default).

    With `stop_early`, stop at the first configuration that differs from the reference (to shrink faster);
    a smaller `min_timeout` makes re-checking a known hang cheaper.
    """
    names = [REFERENCE] + [n for n in (configs or list(CONFIGS)) if n != REFERENCE]
    outcomes: dict[str, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="ruff-fuzz-") as tmp:
        directory = Path(tmp)
        (directory / PROGRAM_NAME).write_text(source, encoding="utf-8")
        start = time.perf_counter()
        outcomes[REFERENCE] = run_config(directory, CONFIGS[REFERENCE], REFERENCE_TIMEOUT)
        timeout = max(min_timeout, TIMEOUT_FACTOR * (time.perf_counter() - start))
        for name in names[1:]:
            outcomes[name] = run_config(directory, CONFIGS[name], timeout)
            if stop_early and outcomes[name] != outcomes[REFERENCE]:
                break
    return outcomes


INTERNAL_ERROR = 6  # the CLI's exit code for a bug in the implementation


def internal_error(outcome: Outcome) -> bool:
    """The implementation crashed: never acceptable, whatever the program (README: exit 6 is a bug)."""
    return outcome.code == INTERNAL_ERROR or "Traceback (most recent call last)" in outcome.stderr


def differing(outcomes: dict[str, Outcome]) -> list[str]:
    """The configurations whose outcome differs from the reference's."""
    ref = outcomes[REFERENCE]
    return [name for name, out in outcomes.items() if name != REFERENCE and out != ref]


def report(source: str, outcomes: dict[str, Outcome]) -> str:
    """A readable account of a disagreement: the program, then each configuration's outcome."""
    parts = ["program:", source]
    for name, out in outcomes.items():
        mark = "" if name == REFERENCE or out == outcomes[REFERENCE] else "   <-- differs"
        parts.append(f"=== {name} ({' '.join(CONFIGS[name]) or 'default flags'}){mark}\n{out.describe()}")
    skipped = [name for name in CONFIGS if name not in outcomes]
    if skipped:
        parts.append(f"(not run after the first difference: {', '.join(skipped)})")
    return "\n".join(parts)


NUMBER = re.compile(r"-?\b\d+(\.\d+)?\b|-?\bNaN\b|-?\binf\b")
FUNCTION = re.compile(r"\bf\d+\b")


def _shape(line: str) -> str:
    """A line with its numbers and generated function names blanked: the same failure keeps its shape."""
    return FUNCTION.sub("f", NUMBER.sub("#", line))


def first_difference(ref: str, other: str) -> tuple[str, str]:
    ref_lines, other_lines = ref.splitlines(), other.splitlines()
    for k in range(max(len(ref_lines), len(other_lines))):
        a = ref_lines[k] if k < len(ref_lines) else "<end>"
        b = other_lines[k] if k < len(other_lines) else "<end>"
        if a != b:
            return _shape(a), _shape(b)
    return "", ""


def problems(outcomes: dict[str, Outcome]) -> list[tuple[str, str]]:
    """(configuration, fingerprint) for each thing wrong with a run: the reference crashing, then differences."""
    ref = outcomes[REFERENCE]
    found = []
    if internal_error(ref):
        found.append((REFERENCE, f"{REFERENCE}: internal error {_shape((ref.stderr.splitlines() or [''])[0])!r}"))
    found += [(name, fingerprint(name, ref, outcomes[name])) for name in differing(outcomes)]
    return found


def fingerprint(config: str, ref: Outcome, other: Outcome) -> str:
    """A coarse name for how `other` differs from `ref`, stable while a failing program shrinks."""
    if other.code is None:
        return f"{config}: timeout"
    if other.code != ref.code:
        ref_err = ref.stderr.splitlines()[:1] or [""]
        other_err = other.stderr.splitlines()[:1] or [""]
        return f"{config}: exit {ref.code} -> {other.code}: {_shape(ref_err[0])!r} -> {_shape(other_err[0])!r}"
    stream = "stdout" if other.stdout != ref.stdout else "stderr"
    a, b = first_difference(getattr(ref, stream), getattr(other, stream))
    return f"{config}: {stream} {a!r} -> {b!r}"
