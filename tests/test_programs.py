"""Golden programs: tests/programs/NAME.ruff with NAME.out (stdout), and for failures NAME.code (exit code)
and NAME.err (lines that must each appear in stderr).

Every program runs on each baseline executor and with the native tier forced on (--jit-threshold 0);
all runs must match the golden files, so the tiers are checked against each other as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"
CASES = sorted(PROGRAMS.glob("*.ruff"))

MODES = {
    "interp": ["--tier", "interp", "--no-jit"],
    "fast": ["--tier", "fast", "--no-jit"],
    "jit0": ["--tier", "fast", "--jit-threshold", "0"],
}


def run_ruff(path: Path, flags: list[str], timeout: float = 120,
             script_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("RUFF_JIT", None)
    tail = ["--", *script_args] if script_args else []
    return subprocess.run([sys.executable, "-m", "ruff", "run", *flags, path.name, *tail], cwd=path.parent,
                          capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("program", CASES, ids=[p.stem for p in CASES])
def test_program(program: Path, mode: str) -> None:
    expected_out = program.with_suffix(".out").read_text(encoding="utf-8")
    code_file = program.with_suffix(".code")
    expected_code = int(code_file.read_text().strip()) if code_file.exists() else 0
    proc = run_ruff(program, MODES[mode])
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == expected_out, f"stdout differs; stderr:\n{proc.stderr}"
    assert proc.returncode == expected_code, f"exit code {proc.returncode}; stderr:\n{proc.stderr}"
    err_file = program.with_suffix(".err")
    if err_file.exists():
        for line in err_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert line in proc.stderr, f"missing in stderr: {line!r}\nstderr:\n{proc.stderr}"
