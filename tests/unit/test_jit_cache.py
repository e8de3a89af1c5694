"""The on-disk native-code cache: a second run reuses the code without importing xDSL; bad entries recover."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from kit import run_cli, write_program

PROGRAM = """
func fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}
print(fib(24))
"""


# Native code over objects (a list's items, a deoptimization exit): loading it binds its object table.
OBJECTS = """
func total(xs) {
    mut s := 0
    mut i := 0
    while i < len(xs) {
        s := s + xs[i]
        i := i + 1
    }
    return s
}
mut t := 0
for k in range(30) { t += total([1, 2, k]) }
print(t)
"""


def run_cached(tmp: Path, cache: Path, extra_env: dict | None = None,
               program: str = PROGRAM) -> subprocess.CompletedProcess:
    """PROGRAM run with the JIT on and its native-code cache in `cache`."""
    src = write_program(tmp / "prog.ruff", program)
    return run_cli("run", "--jit-threshold", "10", "--jit-log", str(src), timeout=120,
                   env={"RUFF_CACHE_DIR": str(cache), **(extra_env or {})})


@pytest.mark.parametrize("program, output, compiled", [(PROGRAM, "46368\n", "fib(int)"),
                                                       (OBJECTS, "525\n", "total(array:int)")],
                         ids=["numeric", "objects"])
def test_second_run_hits_the_cache_without_importing_xdsl(tmp_path: Path, program: str, output: str,
                                                          compiled: str) -> None:
    cache = tmp_path / "cache"
    first = run_cached(tmp_path, cache, program=program)
    assert first.returncode == 0 and first.stdout == output, first.stderr
    assert f"[jit] compiled {compiled}" in first.stderr
    assert len(list(cache.glob("*.o"))) == 1 and len(list(cache.glob("*.json"))) == 1
    # A fake `xdsl` package first on the path: importing it would fail the run.
    fake = tmp_path / "fake"
    (fake / "xdsl").mkdir(parents=True)
    (fake / "xdsl" / "__init__.py").write_text("raise ImportError('xdsl must not be imported on a cache hit')\n")
    second = run_cached(tmp_path, cache, {"PYTHONPATH": str(fake)}, program=program)
    assert second.returncode == 0 and second.stdout == output, second.stderr
    assert f"[jit] cache hit {compiled}" in second.stderr


def test_corrupt_entry_is_discarded_and_recompiled(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run_cached(tmp_path, cache).returncode == 0
    for obj in cache.glob("*.o"):
        obj.write_bytes(b"not an object file")
    again = run_cached(tmp_path, cache)
    assert again.returncode == 0 and again.stdout == "46368\n", again.stderr
    assert "[jit] compiled fib(int)" in again.stderr


def test_cache_can_be_turned_off(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    proc = run_cached(tmp_path, cache, {"RUFF_JIT_CACHE": "0"})
    assert proc.returncode == 0 and proc.stdout == "46368\n"
    assert not cache.exists()


REFUSED = """
mut made := 0
func make(d) {
    made = made + 1
    if d == 0 { return null }
    return [make(d - 1), make(d - 1)]
}
mut n := 0
for i in range(30) { n += 1
    make(3) }
print(n)
"""


def test_a_refusal_is_remembered_without_importing_xdsl(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    src = write_program(tmp_path / "refused.ruff", REFUSED)

    def run(extra_env: dict) -> subprocess.CompletedProcess:
        return run_cli("run", "--jit-threshold", "10", "--jit-log", str(src), timeout=120,
                       env={"RUFF_CACHE_DIR": str(cache), **extra_env})

    first = run({})
    assert first.returncode == 0 and first.stdout == "30\n", first.stderr
    refusal = [line for line in first.stderr.splitlines() if line.startswith("[jit] not compiled make")]
    assert refusal and "through the runtime" in refusal[0], first.stderr
    assert len(list(cache.glob("*.refused"))) == 1
    fake = tmp_path / "fake"
    (fake / "xdsl").mkdir(parents=True)
    (fake / "xdsl" / "__init__.py").write_text("raise ImportError('xdsl must not be imported for a known refusal')\n")
    second = run({"PYTHONPATH": str(fake)})
    assert second.returncode == 0 and second.stdout == "30\n", second.stderr
    assert refusal[0] in second.stderr.splitlines()
