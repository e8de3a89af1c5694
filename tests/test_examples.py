"""The programs in examples/ run and print what they should, with and without the native tier."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from kit import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"

INVENTORY = """sold 20 x widget
restocked 8 x doohickey
audit: 3 items
cannot sell 1 x gizmo: unknown item
rejected: restock amount must be positive, got -3
widget: 100 in stock, 212.50 total
gadget: 12 in stock, 227.89 total
doohickey: 8 in stock, 6.00 total
grand total: 446.39
low stock: [gadget, doohickey]
"""


@pytest.mark.parametrize("flags", [["--no-jit"], ["--jit-threshold", "0"]])
def test_inventory(flags: list[str]) -> None:
    proc = run_cli("run", *flags, str(EXAMPLES / "inventory.ruff"), timeout=300)
    assert (proc.returncode, proc.stdout) == (0, INVENTORY), proc.stderr


def test_hello() -> None:
    proc = run_cli("run", str(EXAMPLES / "hello.ruff"), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "Hello, Ruff!"
    assert proc.stdout.splitlines()[-1] == 'scores: {"Ada": 36, "Grace": 41} total: 77'


def test_fib_goes_native() -> None:
    proc = run_cli("run", str(EXAMPLES / "fib.ruff"), "--jit-log", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "fib(30) = 832040"
    assert "[jit] compiled fib(int)" in proc.stderr or "[jit] cache hit fib(int)" in proc.stderr


def test_startup_imports_neither_xdsl_nor_llvmlite(tmp_path: Path) -> None:
    # Packages that fail on import, first on the path: a hello-world run must never load the real ones.
    for name in ("xdsl", "llvmlite"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f"raise ImportError('{name} imported at start-up')\n")
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "ruff", "run", str(EXAMPLES / "hello.ruff")], capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hello, Ruff!")
