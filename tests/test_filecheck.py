"""The lit + FileCheck IR tests (tests/filecheck/), run as part of the pytest suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent / "filecheck"


def test_lit_filecheck_suite() -> None:
    lit = Path(sys.executable).with_name("lit")
    assert lit.exists() or shutil.which("lit"), "lit is not installed (pip install -e '.[test]')"
    proc = subprocess.run([str(lit) if lit.exists() else "lit", "-v", str(ROOT)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-4000:]
    assert "Passed" in proc.stdout or "passed" in proc.stdout, proc.stdout
