"""RUFF_JIT_DUMP=DIR: every function and loop the JIT compiles leaves its IR after each pass and its LLVM IR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ruff.tiering import NATIVE_PIPELINE, PIPELINE

PROGRAM = """func fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}
print(fib(15))
total := 0
i := 0
while i < 3000 {
    total := total + i
    i := i + 1
}
print(total)
"""

STAGES = ["lifted", *(p.split("{")[0] for p in PIPELINE + NATIVE_PIPELINE)]


def run(tmp: Path, dump: Path, *extra: str) -> subprocess.CompletedProcess:
    src = tmp / "prog.ruff"
    src.write_text(PROGRAM)
    # A warm cache must not hide anything from the dump: fill it first, then dump from the same cache.
    env = {**os.environ, "RUFF_CACHE_DIR": str(tmp / "cache"), "RUFF_JIT_DUMP": str(dump)}
    return subprocess.run([sys.executable, "-m", "ruff", "run", *extra, str(src)], capture_output=True, text=True,
                          env=env, timeout=300, cwd=tmp)


def test_every_stage_of_every_compilation_is_written(tmp_path: Path) -> None:
    warm = run(tmp_path, tmp_path / "first", "--jit-threshold", "5")
    assert warm.returncode == 0, warm.stderr
    proc = run(tmp_path, tmp_path / "dump", "--jit-threshold", "5", "--jit-log")
    assert proc.returncode == 0 and proc.stdout == "610\n4498500\n", proc.stderr
    assert "cache hit" not in proc.stderr
    files = sorted(p.name for p in (tmp_path / "dump").iterdir())
    fib = [f for f in files if f.startswith("fib__int.")]
    expected = [f"fib__int.{n:02d}-{stage}.mlir" for n, stage in enumerate(STAGES)]
    assert fib == expected + [f"fib__int.{len(STAGES):02d}-llvm.ll"]
    # The loop is outlined into a function of the variables it uses, dumped the same way.
    loops = {f.split(".", 1)[0] for f in files if f.startswith("script")}
    assert len(loops) == 1 and all(name.startswith("script-loop-8__int_int") for name in loops), files
    assert len(files) == 2 * (len(STAGES) + 1)

    dump = tmp_path / "dump"
    lifted = (dump / "fib__int.00-lifted.mlir").read_text()
    assert 'ruff.func @fib(' in lifted and 'arg_types = ["int"]' in lifted
    assert 'ruff.sub %0, %5 line 3 {ip = 9 : i64} loc("' in lifted and 'prog.ruff":3:18)' in lifted
    specialized = (dump / "fib__int.01-specialize-types.mlir").read_text()
    assert "ruff.func @fib__i(" in specialized and "ruff.func @fib__i(" not in lifted
    assert "llvm.func" in (dump / f"fib__int.{STAGES.index('lower-to-llvm'):02d}-lower-to-llvm.mlir").read_text()
    assert 'define i64 @"ruff.fib__i"' in (dump / f"fib__int.{len(STAGES):02d}-llvm.ll").read_text()


def test_a_stage_replays_with_ruff_opt(tmp_path: Path) -> None:
    """Stage k fed to `ruff-opt -p <pass k+1>` prints stage k+1: the dump is the JIT's own pipeline."""
    assert run(tmp_path, tmp_path / "dump", "--jit-threshold", "5").returncode == 0
    dump = tmp_path / "dump"
    for k, pass_spec in [(0, PIPELINE[0]), (1, PIPELINE[1]), (PIPELINE.index("cse"), "cse")]:
        assert PIPELINE[k] == pass_spec
        source = dump / f"fib__int.{k:02d}-{STAGES[k]}.mlir"
        proc = subprocess.run([sys.executable, "-m", "ruff.tools.ruff_opt", str(source), "-p", pass_spec,
                               "--print-debuginfo"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        expected = (dump / f"fib__int.{k + 1:02d}-{STAGES[k + 1]}.mlir").read_text()
        assert proc.stdout.rstrip("\n") == expected.rstrip("\n"), f"stage {k + 1} differs"


def test_an_unwritable_directory_is_reported_once_and_the_program_runs(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = run(tmp_path, blocker / "dump", "--jit-threshold", "5")
    assert proc.returncode == 0 and proc.stdout == "610\n4498500\n"
    complaints = [line for line in proc.stderr.splitlines() if "RUFF_JIT_DUMP" in line]
    assert len(complaints) == 2 and "cannot write" in complaints[0], proc.stderr  # once per compilation
