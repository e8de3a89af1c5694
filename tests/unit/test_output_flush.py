"""What a program prints reaches a pipe before the program waits, and in order with what other writers
put on the same stream, as with the reference's line-buffered stdout (issue 19).

Each program prints a line and then blocks on something only this test can end (its stdin) or that lasts
ten minutes; the line must arrive while it waits. Python's own PYTHONUNBUFFERED is removed from the
child's environment: with it, stdout would be unbuffered and every case would pass without our flushes.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIERS = {"interp": ["--tier", "interp", "--no-jit"], "fast": ["--tier", "fast", "--no-jit"],
         "jit0": ["--tier", "fast", "--jit-threshold", "0"]}
WAIT = 60.0  # seconds a line may take to arrive (start-up on a loaded machine included)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _start(tmp_path: Path, tier: str, source: str, **kw) -> subprocess.Popen:
    prog = tmp_path / "p.ruff"
    prog.write_text(source, encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "ruff", "run", *TIERS[tier], str(prog)], cwd=ROOT,
                            env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, **kw)


def _line_within(proc: subprocess.Popen, seconds: float) -> bytes:
    """The next line of the child's stdout, or what came of it once `seconds` have passed."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    data = b""
    deadline = time.monotonic() + seconds
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 1)  # one byte at a time: nothing past the line is taken from the pipe
        if not chunk:
            break
        data += chunk
    return data


def _finish(proc: subprocess.Popen, stdin: bytes = b"") -> bytes:
    out, _ = proc.communicate(stdin, timeout=WAIT)
    return out


WAITS_FOR_STDIN = {
    "input": 'print("before")\nx := input()\nprint("got " + x)\n',
    "execute": 'print("before")\nprint(execute("head -c 2"))\n',
    # The task blocks in input(), so the main thread's receive waits for real.
    "channel_receive": 'ch := channel()\nspawn { ch.send(input()) }\nprint("before")\nprint("got " + ch.receive())\n',
    "await": 'async func ask() { return input() }\np := ask()\nprint("before")\nprint("got " + await p)\n',
}
EXPECTED_REST = {"input": b"got ok\n", "execute": b"ok\n", "channel_receive": b"got ok\n", "await": b"got ok\n"}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("case", WAITS_FOR_STDIN)
def test_output_reaches_a_pipe_before_the_program_waits(tmp_path: Path, tier: str, case: str) -> None:
    proc = _start(tmp_path, tier, WAITS_FOR_STDIN[case])
    try:
        first = _line_within(proc, WAIT)
    finally:
        rest = _finish(proc, b"ok\n")
    assert (first, rest, proc.returncode) == (b"before\n", EXPECTED_REST[case], 0)


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("wait", ["sleep(600000)", "await async_sleep(600000)"])
def test_output_reaches_a_pipe_before_a_long_sleep(tmp_path: Path, tier: str, wait: str) -> None:
    proc = _start(tmp_path, tier, f'print("before")\n{wait}\nprint("after")\n')
    try:
        first = _line_within(proc, WAIT)
    finally:
        proc.kill()
        proc.communicate(timeout=WAIT)
    assert first == b"before\n"


@pytest.mark.parametrize("tier", TIERS)
def test_stdout_and_stderr_on_one_pipe_keep_their_order(tmp_path: Path, tier: str) -> None:
    source = 'print("one")\neprint("two")\nprint("three")\nx := [1][5]\n'
    proc = _start(tmp_path, tier, source, stderr=subprocess.STDOUT)
    out = _finish(proc).decode()
    assert out.startswith("one\ntwo\nthree\nerror: "), out
    assert proc.returncode == 4
