"""Running one reference program in a private copy of the checkout, and classifying what it did."""

from __future__ import annotations

import os
import shutil
import sys
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.refsweep.detect import network_reason
from tests.refsweep.model import (Category, Golden, Judgement, RunResult, Verdict, first_difference,
                                  first_error_line, normalize)

# The reference's own programs live here; the rest of the checkout is read (path_exists("src")), never written.
_PROGRAM_DIRS = ("tests", "examples")
_SKIP = shutil.ignore_patterns(".git", "target")


def private_tmp_available() -> bool:
    """Whether `unshare` can give a run its own /tmp (root, or a user namespace that allows mounts), and doing
    so hides neither this checkout nor its Python (a clone under /tmp would vanish behind the mount)."""
    if shutil.which("unshare") is None:
        return False
    tmp_root = Path("/tmp").resolve()
    if any(Path(p).resolve().is_relative_to(tmp_root) for p in (sys.prefix, sys.executable, __file__)):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                               'mount --bind "$0" /tmp', tmp], capture_output=True, timeout=30)
    return proc.returncode == 0


@dataclass
class Sweep:
    """The checkout, the command that runs ruff, the judgements, and how each run is isolated."""

    reference: Path
    ruff: list[str]
    timeout: float
    judgements: dict[str, Judgement] = field(default_factory=dict)
    private_tmp: bool = False

    def programs(self) -> list[str]:
        return [path.relative_to(self.reference).as_posix()
                for top in _PROGRAM_DIRS for path in sorted((self.reference / top).rglob("*.ruff"))]

    def stage(self, into: Path) -> None:
        """A copy of the checkout: the program directories copied, everything else hard-linked (read only)."""
        for entry in self.reference.iterdir():
            if entry.name in (".git", "target"):
                continue
            if entry.is_dir():
                copy = shutil.copy2 if entry.name in _PROGRAM_DIRS else _link_or_copy
                shutil.copytree(entry, into / entry.name, symlinks=True, ignore=_SKIP, copy_function=copy)
            else:
                shutil.copy2(entry, into / entry.name)

    def run(self, program: str) -> RunResult:
        with tempfile.TemporaryDirectory(prefix="ruff-refsweep-") as tmp:
            # The checkout sits inside the directory that becomes the run's /tmp, so that paths seen from
            # inside (the working directory, /tmp/...) and from outside name the same files.
            private = Path(tmp)
            root = private / "checkout"
            root.mkdir()
            self.stage(root)
            argv = [*self.ruff, "run", program]
            env = {**os.environ, "NO_COLOR": "1"}
            if self.private_tmp:
                argv = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                        'mount --bind "$0" /tmp && cd /tmp/checkout && exec "$@"', str(private), *argv]
                env["TMPDIR"] = "/tmp"
            else:
                env["TMPDIR"] = str(private)
            start = time.monotonic()
            proc = subprocess.Popen(argv, cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env, start_new_session=True)
            try:
                out, err = proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                # The run's own session: the program and whatever it started (a server, a child process).
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
                return RunResult(None, _text(out), _text(err), time.monotonic() - start)
            return RunResult(proc.returncode, _text(out), _text(err), time.monotonic() - start)

    def golden(self, program: str) -> Golden | None:
        path = (self.reference / program).with_suffix(".out")
        return Golden.read(path) if path.exists() else None

    def classify(self, program: str, result: RunResult) -> Verdict:
        golden = self.golden(program)
        verdict = self.outcome(program, result, golden)
        judged = self.judgements.get(program)
        if verdict.category is Category.PASSES:
            if judged is not None:
                verdict.stale_judgement = judged.reason
            return verdict
        verdict.raw = verdict.category
        if judged is not None:
            unmet = judged.holds(result, golden)
            if unmet:
                verdict.detail += f" ({unmet}; the judgement does not hold)"
                return verdict
            verdict.category, verdict.reason = judged.category, judged.reason
            return verdict
        source = (self.reference / program).read_text(encoding="utf-8", errors="replace")
        reason = network_reason(source, result)
        if reason:
            verdict.category, verdict.reason = Category.NETWORK, reason
        return verdict

    def outcome(self, program: str, result: RunResult, golden: Golden | None) -> Verdict:
        """What the run alone says, before any judgement."""
        if result.exit_code is None:
            return Verdict(program, Category.TIMES_OUT, f"no exit within {self.timeout:g} s", result)
        got = normalize(result.stdout)
        failed = f"exit {result.exit_code}: {first_error_line(result.stderr)}"
        if golden is None:
            if result.exit_code != 0:
                return Verdict(program, Category.FAILS, failed, result)
            return Verdict(program, Category.PASSES, "exit 0 (no golden file)", result)
        if golden.error:
            if got != golden.stdout:
                return Verdict(program, Category.DIFFERS, first_difference(golden.stdout, got), result)
            if result.exit_code == 0:
                return Verdict(program, Category.DIFFERS,
                               f"the golden file ends with the error {golden.error!r}; the run exits 0", result)
            if golden.error not in result.stderr:
                return Verdict(program, Category.DIFFERS,
                               f"want the error {golden.error!r}, got {first_error_line(result.stderr)!r}", result)
            return Verdict(program, Category.PASSES, f"fails as the golden file says: {golden.error}", result)
        if result.exit_code != 0:
            return Verdict(program, Category.FAILS, failed, result)
        if got != golden.stdout:
            return Verdict(program, Category.DIFFERS, first_difference(golden.stdout, got), result)
        return Verdict(program, Category.PASSES, "matches the golden file", result)


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
