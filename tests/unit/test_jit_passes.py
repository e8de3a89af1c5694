"""What the optimization passes buy end to end: tail recursion in constant native stack, and errors
inside inlined code reported as the baseline reports them."""

from __future__ import annotations

import subprocess
from pathlib import Path
from kit import run_cli, write_program

TAIL = """
func sum_acc(n, acc) {
    if n == 0 { return acc }
    return sum_acc(n - 1, acc + n)
}
print(sum_acc(10, 0))
print(sum_acc(40000, 0))
try { print(sum_acc(1000000, 0)) } except e { print(e.message) }
"""
TAIL_OUT = "55\n800020000\nStack overflow: call depth exceeded 50000 in sum_acc\n"

INLINED_ERROR = """
func scale(x) {
    return x * 1000000000
}
func total(n) {
    if n == 0 { return 0 }
    return scale(n) + total(n - 1)
}
print(total(5))
print(total(100000000000))
"""


def run_program(tmp: Path, src: str, flags: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """`ruff run FLAGS` on `src`, written into tmp."""
    return run_cli("run", *flags, write_program(tmp / "p.ruff", src), timeout=300, env=env)


def test_tail_recursion_runs_as_a_native_loop_that_still_counts_frames(tmp_path: Path) -> None:
    # The loop made from the tail call counts one frame per iteration: 40,000 deep runs natively in
    # constant stack, a million stops at the baseline's limit with the baseline's error (never differ).
    base = run_program(tmp_path, TAIL, ["--no-jit"])
    proc = run_program(tmp_path, TAIL, ["--jit-threshold", "1", "--jit-log"])
    assert (base.returncode, base.stdout) == (0, TAIL_OUT), base.stderr
    assert (proc.returncode, proc.stdout) == (0, TAIL_OUT), proc.stderr
    assert "compiled sum_acc(int, int)" in proc.stderr


def test_without_tailrec_to_loop_the_same_program_gives_the_same_answers(tmp_path: Path) -> None:
    proc = run_program(tmp_path, TAIL, ["--jit-threshold", "1"], {"RUFF_JIT_DISABLE": "tailrec-to-loop"})
    assert (proc.returncode, proc.stdout) == (0, TAIL_OUT), proc.stderr


def test_error_in_inlined_code_matches_the_baseline(tmp_path: Path) -> None:
    native = run_program(tmp_path, INLINED_ERROR, ["--jit-threshold", "1"])
    base = run_program(tmp_path, INLINED_ERROR, ["--no-jit"])
    assert native.returncode == base.returncode == 4
    assert native.stdout == base.stdout == "15000000000\n"
    assert native.stderr == base.stderr
    assert "Integer overflow: 100000000000 * 1000000000" in native.stderr


POLY = """
func mix(a, b) {
    if a > b { return a - b }
    return a * b + 1
}
mut t := 0
for i in range(300) { t += mix(i, 7) }
print(t)
mut f := 0.0
for i in range(300) { f += mix(i * 0.5, 2.25) }
print(f)
"""


def test_a_function_seen_with_new_argument_types_gets_another_specialization(tmp_path: Path) -> None:
    native = run_program(tmp_path, POLY, ["--jit-threshold", "50", "--jit-log"])
    base = run_program(tmp_path, POLY, ["--no-jit"])
    assert native.stdout == base.stdout == "42982\n21772.5\n"
    assert "compiled mix(int, int)" in native.stderr or "cache hit mix(int, int)" in native.stderr
    assert "compiled mix(float, float)" in native.stderr or "cache hit mix(float, float)" in native.stderr


MIXED = """
func g(n, x) {
    if x > 0.5 { return n * x }
    return n + x
}
mut t := 0.0
for i in range(200) { t += g(i, i * 0.01) }
print(t)
"""


def test_int_used_as_float_in_two_branches_compiles(tmp_path: Path) -> None:
    # Each branch converts `n` to f64 itself: a conversion from one branch would not dominate the other.
    native = run_program(tmp_path, MIXED, ["--jit-threshold", "10", "--jit-log"], {"RUFF_JIT_CACHE": "0"})
    assert native.stdout == run_program(tmp_path, MIXED, ["--no-jit"]).stdout == "27325.5\n"
    assert "compiled g(int, float)" in native.stderr, native.stderr
