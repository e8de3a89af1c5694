"""--jit-log: each deoptimization (function, source line, the guard that failed) and a summary at exit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """func total(xs) {
    s := 0
    i := 0
    while i < len(xs) {
        s := s + xs[i]
        i := i + 1
    }
    return s
}
func safe(a) {
    try { return 10 / a } except e { return 0 }
}
n := 0
while n < 30 {
    total([1, 2, 3])
    safe(n + 1)
    n := n + 1
}
print(total([1, 2.5, 3]))
print(total([4, 5]))
"""

# Every line of the log; compile times vary, so they read "N ms".
EXPECTED = """[jit] compiled total(array:int) in N ms
[jit] not compiled safe: safe uses try/except
[jit] deoptimized total at prog.ruff:5: type guard failed: a value is not int
[jit] summary: 1 native, 1 deoptimization, 1 refused
[jit]   native total(array:int): 28 calls from the baseline ran native
[jit]   deoptimized total at prog.ruff:5 (type guard failed: a value is not int): 1 time
[jit]   not compiled safe: safe uses try/except
"""


@pytest.mark.parametrize("tier", ["fast", "interp"])
def test_log_reports_deoptimizations_and_a_summary(tmp_path: Path, tier: str) -> None:
    (tmp_path / "prog.ruff").write_text(PROGRAM)
    env = {**os.environ, "RUFF_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "ruff", "run", "--tier", tier, "--jit-threshold", "5", "--jit-log",
                           "prog.ruff"], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "6.5\n9\n", proc.stderr
    assert re.sub(r"in [0-9.]+ ms", "in N ms", proc.stderr) == EXPECTED


def test_without_the_log_nothing_is_said(tmp_path: Path) -> None:
    (tmp_path / "prog.ruff").write_text(PROGRAM)
    env = {**os.environ, "RUFF_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "ruff", "run", "--jit-threshold", "5", "prog.ruff"],
                          capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "6.5\n9\n", "")
