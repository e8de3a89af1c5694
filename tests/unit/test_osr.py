"""On-stack replacement: hot loops in top-level code and in functions called once run natively,
with exactly the baseline's output and errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from kit import run_cli, write_program

PROGRAMS = {
    "globals_while": ("mut i := 0\nmut s := 0\nwhile i < 200000 {\n  s := s + i * 3\n  i := i + 1\n}\nprint(s, i)\n",
                      "compiled loop at"),
    "function_once": ("func mix(n) {\n  mut acc := 0.5\n  mut k := 0\n  while k < n {\n"
                      "    if k % 3 == 0 { acc += 1.5 } else { acc -= 0.25 }\n    k += 1\n  }\n  return acc\n}\n"
                      "print(mix(100000))\n", "compiled loop at"),
    "for_range_break": ("mut hits := 0\nfor k in range(10, 100000, 3) {\n  if k % 11 == 0 { hits += 1 }\n"
                        "  if k > 90000 { break }\n}\nprint(hits)\n", "compiled loop at"),
    "nested_ranges": ("mut t := 0\nfor i in range(300) {\n  for j in range(300) {\n    t += i * j % 5\n  }\n}\n"
                      "print(t)\n", "compiled loop at"),
    "overflow_in_loop": ("mut x := 1\nmut n := 0\nwhile n < 100 {\n  x := x * 3\n  n += 1\n}\nprint(x)\n",
                         "compiled loop at"),
    "division_by_zero": ("mut d := 50\nmut acc := 0\nwhile d > -5 {\n  acc += 100 / d\n  d -= 1\n}\nprint(acc)\n",
                         "compiled loop at"),
    "non_numeric_refused": ('mut words := ""\nmut i := 0\nwhile i < 50 {\n  words := words + "a"\n  i += 1\n}\n'
                            "print(len(words))\n", "not compiled loop at"),
}


def run_program(tmp: Path, name: str, flags: list[str]) -> subprocess.CompletedProcess:
    """`ruff run FLAGS` on the program PROGRAMS[name], written into tmp."""
    src = write_program(tmp / f"{name}.ruff", PROGRAMS[name][0])
    return run_cli("run", *flags, src.name, cwd=tmp, timeout=300)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_native_loop_matches_baseline(tmp_path: Path, name: str) -> None:
    base = run_program(tmp_path, name, ["--no-jit", "--tier", "interp"])
    # Threshold 5: a function called once is never compiled whole, so its loop must go native by OSR.
    native = run_program(tmp_path, name, ["--jit-threshold", "5" if name == "function_once" else "1", "--jit-log",
                                  "--tier", "interp"])
    assert native.stdout == base.stdout
    assert native.returncode == base.returncode
    log = [line for line in native.stderr.splitlines() if line.startswith("[jit]")]
    rest = [line for line in native.stderr.splitlines() if not line.startswith("[jit]")]
    assert rest == base.stderr.splitlines()
    assert any(PROGRAMS[name][1] in line for line in log), log


def test_errors_in_native_loops_are_the_baselines(tmp_path: Path) -> None:
    proc = run_program(tmp_path, "overflow_in_loop", ["--jit-threshold", "1"])
    assert proc.returncode == 4
    assert "Integer overflow: 4052555153018976267 * 3" in proc.stderr
    assert "overflow_in_loop.ruff:4" in proc.stderr
