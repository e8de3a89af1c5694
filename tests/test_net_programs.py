"""Golden programs that listen on ports: tests/net_programs/NAME.ruff with NAME.out (and NAME.code/.err).

Each program is run on the three executors, as tests/test_programs.py does, with two free ports of
127.0.0.1 as its script arguments; `{PORT}` and `{PORT2}` in the expected files stand for them.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from test_programs import MODES, run_ruff

PROGRAMS = Path(__file__).parent / "net_programs"
CASES = sorted(PROGRAMS.glob("*.ruff"))


def free_ports(n: int) -> list[int]:
    """Ports the system just handed out (bound at the same time, so they differ), released for the program."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def expand(text: str, ports: list[int]) -> str:
    return text.replace("{PORT}", str(ports[0])).replace("{PORT2}", str(ports[1]))


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("program", CASES, ids=[p.stem for p in CASES])
def test_net_program(program: Path, mode: str) -> None:
    ports = free_ports(2)
    proc = run_ruff(program, MODES[mode], timeout=60, script_args=tuple(map(str, ports)))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == expand(program.with_suffix(".out").read_text(encoding="utf-8"), ports), \
        f"stdout differs; stderr:\n{proc.stderr}"
    code_file = program.with_suffix(".code")
    expected_code = int(code_file.read_text().strip()) if code_file.exists() else 0
    assert proc.returncode == expected_code, f"exit code {proc.returncode}; stderr:\n{proc.stderr}"
    err_file = program.with_suffix(".err")
    if err_file.exists():
        for line in expand(err_file.read_text(encoding="utf-8"), ports).splitlines():
            if line.strip():
                assert line in proc.stderr, f"missing in stderr: {line!r}\nstderr:\n{proc.stderr}"
