"""Facts about the machine and the checkout, for the report."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from bench.contenders import REPO_ROOT


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kb = int(line.split()[1])
                return f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _git_revision() -> str:
    try:
        p = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, timeout=10)
        rev = p.stdout.strip() if p.returncode == 0 else "(no commit)"
        d = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain"],
                           capture_output=True, text=True, timeout=10)
        if d.returncode == 0 and d.stdout.strip():
            rev += " + uncommitted changes"
        return rev
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine_info() -> dict:
    return {
        "os": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory": _mem_total(),
        "harness_python": f"{platform.python_implementation()} {platform.python_version()}",
        "git": _git_revision(),
    }
