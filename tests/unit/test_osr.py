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
    "strings_and_arrays": ('mut words := ""\nmut xs := []\nmut i := 0\nwhile i < 500 {\n  words := words + "a"\n'
                           "  xs = push(xs, i * 2)\n  i += 1\n}\nprint(len(words), len(xs), xs[499])\n",
                           "compiled loop at"),
    # The loop runs once: each print and push happens once, and every variable comes back at once.
    "side_effects_once": ("mut total := 0\nmut acc := 0.0\nmut seen := []\nfor i in range(20000) {\n"
                          "  total += i % 7\n  acc = acc + 0.5\n  if i % 5000 == 0 { print(\"at\", i)\n"
                          "    seen = push(seen, i) }\n}\nprint(total, acc, seen)\n", "compiled loop at"),
    # An element turns into a string: the native loop deoptimizes, the interpreter finishes the loop and
    # raises the error, with the stack the baseline shows.
    "function_deopt_then_error": ("mut xs := []\nfor k in range(100) { xs = push(xs, k * 1.5) }\n"
                                  "func walk(xs) {\n  mut s := 0.0\n  mut i := 0\n  while i < 4000 {\n"
                                  "    s = s + xs[i % 100]\n    if i == 3000 { xs[5] = \"oops\" }\n"
                                  "    if i % 1000 == 0 { print(\"at\", i) }\n    i += 1\n  }\n  return s\n}\n"
                                  "print(walk(xs))\n", "compiled loop at"),
    "function_error_in_native_loop": ("func h(xs) {\n  mut s := 0\n  mut i := 0\n  while i < 3000 {\n"
                                      "    s += xs[i % 3] * 2\n    if i == 2500 { s = s + undefined_name }\n"
                                      "    i += 1\n  }\n  return s\n}\nprint(h([1, 2, 3]))\n", "compiled loop at"),
    # Variables that an error would leave stale where someone can still see them: refused.
    "function_refused_in_try": ("func f() {\n  mut n := 0\n  try {\n    while n < 5000 { n += 1\n"
                                "      if n == 4000 { n = n + nope } }\n  } except e { print(n, e) }\n"
                                "  return n\n}\nprint(f())\n", "the function catches errors"),
    "callee_reads_the_global": ("mut total := 0\nfunc peek() { return total }\nmut last := 0\n"
                                "for i in range(3000) {\n  total += 1\n  last = peek()\n}\nprint(total, last)\n",
                                "calls code that uses it"),
}


def run_program(tmp: Path, name: str, flags: list[str]) -> subprocess.CompletedProcess:
    """`ruff run FLAGS` on the program PROGRAMS[name], written into tmp."""
    src = write_program(tmp / f"{name}.ruff", PROGRAMS[name][0])
    return run_cli("run", *flags, src.name, cwd=tmp, timeout=300)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_native_loop_matches_baseline(tmp_path: Path, name: str) -> None:
    base = run_program(tmp_path, name, ["--no-jit", "--tier", "interp"])
    # Threshold 5: a function called once is never compiled whole, so its loop must go native by OSR.
    threshold = "5" if name.startswith("function_") else "1"
    native = run_program(tmp_path, name, ["--jit-threshold", threshold, "--jit-log", "--tier", "interp"])
    assert native.stdout == base.stdout
    assert native.returncode == base.returncode
    log = [line for line in native.stderr.splitlines() if line.startswith("[jit]")]
    rest = [line for line in native.stderr.splitlines() if not line.startswith("[jit]")]
    assert rest == base.stderr.splitlines()
    # Another test may have compiled the same loop first: then this run loads it from the shared cache.
    went_native = (PROGRAMS[name][1], PROGRAMS[name][1].replace("compiled", "cache hit"))
    assert any(w in line for line in log for w in went_native), log


def test_errors_in_native_loops_are_the_baselines(tmp_path: Path) -> None:
    proc = run_program(tmp_path, "overflow_in_loop", ["--jit-threshold", "1"])
    assert proc.returncode == 4
    assert "Integer overflow: 4052555153018976267 * 3" in proc.stderr
    assert "overflow_in_loop.ruff:4" in proc.stderr
