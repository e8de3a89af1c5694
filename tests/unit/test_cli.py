"""The `ruff` command's conventions (ruff/cli.py): --version, `ruff FILE`, `-` for stdin, `check`, option
and environment checking, `--`, and what happens when stdout fails or Ctrl-C arrives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kit import run_cli, sigint_default, write_program

ROOT = Path(__file__).resolve().parents[2]
HELLO = 'print("hello")\n'


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr


# ----------------------------------------------------------------------------- conventions


def test_version() -> None:
    from importlib.metadata import version

    for flag in ("--version", "-V"):
        proc = run_cli(flag)
        assert proc.returncode == 0
        assert proc.stdout.startswith(f"ruff {version('rufflang')} (Ruff on xDSL, Python 3.")


def test_file_alone_is_short_for_run(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "p.ruff", 'print("args:", args())\n')
    assert run_cli(prog, "a", "b").stdout == run_cli("run", prog, "a", "b").stdout == "args: [a, b]\n"
    assert run_cli("--no-jit", prog).stdout == "args: []\n"


def test_an_unknown_command_is_a_usage_error_not_a_missing_file() -> None:
    proc = run_cli("tset-run")
    assert proc.returncode == 2
    assert "invalid choice: 'tset-run'" in proc.stderr


def test_dash_reads_the_program_from_standard_input() -> None:
    assert run_cli("run", "-", stdin=HELLO).stdout == "hello\n"
    assert run_cli("-", stdin=HELLO).stdout == "hello\n"
    proc = run_cli("-", stdin="x := 1 +\n")
    assert proc.returncode == 3
    assert "--> <stdin>:1:" in proc.stderr
    proc = run_cli("-", stdin="print(nope)\n")
    assert proc.returncode == 4 and "<stdin>:1" in proc.stderr and "print(nope)" in proc.stderr


def test_dash_with_invalid_utf8_on_stdin_is_an_io_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "run", "-"], input=b"print(1)\xff\n", capture_output=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 5
    assert proc.stderr == b"error: cannot read standard input: not valid UTF-8\n"


def test_check_compiles_without_running(tmp_path: Path) -> None:
    good = write_program(tmp_path / "good.ruff", 'print("side effect")\nexit(7)\n')
    bad = write_program(tmp_path / "bad.ruff", "func f( {\n")
    loose = write_program(tmp_path / "loose.ruff", "break\n")
    proc = run_cli("check", good)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"check passed: {good}\n", "")
    assert run_cli("check", "-q", good).stdout == ""
    proc = run_cli("check", good, bad, loose)
    assert proc.returncode == 3  # the first failure's code; every file is still checked
    assert proc.stdout == f"check passed: {good}\n"
    assert f"{bad}:1:" in proc.stderr and "break can only be used inside a loop" in proc.stderr
    assert run_cli("check", loose).returncode == 4
    assert run_cli("check", str(tmp_path / "missing.ruff")).returncode == 5
    assert run_cli("check", "-", stdin=HELLO).stdout == "check passed: <stdin>\n"
    proc = run_cli("check")
    assert proc.returncode == 2 and "FILE" in proc.stderr


@pytest.mark.parametrize("value", ["-5", "-1", "ten", "1.5"])
def test_jit_threshold_must_be_a_count(tmp_path: Path, value: str) -> None:
    proc = run_cli("run", "--jit-threshold", value, write_program(tmp_path / "p.ruff", HELLO))
    assert proc.returncode == 2
    assert f"argument --jit-threshold: expected a whole number >= 0, got '{value}'" in proc.stderr
    assert proc.stdout == ""


def test_jit_threshold_zero_is_fine(tmp_path: Path) -> None:
    assert run_cli("run", "--jit-threshold", "0", write_program(tmp_path / "p.ruff", HELLO)).stdout == "hello\n"


@pytest.mark.parametrize("env, message", [
    ({"RUFF_TIER": "bogus"}, "error: RUFF_TIER must be one of fast, interp, not 'bogus'"),
    ({"RUFF_JIT": "maybe"}, "error: RUFF_JIT must be 0 or 1 (or true/false, yes/no, on/off), not 'maybe'"),
    ({"RUFF_JIT_LOG": "loud"}, "error: RUFF_JIT_LOG must be 0 or 1"),
])
def test_environment_values_are_checked(tmp_path: Path, env: dict, message: str) -> None:
    prog = write_program(tmp_path / "p.ruff", HELLO)
    for command in ("run", "test-run"):
        proc = run_cli(command, prog, env=env)
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr.startswith(message) and proc.stdout == ""


def test_environment_flags_take_words(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "p.ruff", "func f(n) { return n + 1 }\nfor i in range(50) { f(i) }\nprint(f(1))\n")
    on = run_cli("run", "--jit-threshold", "5", prog, env={"RUFF_JIT_LOG": "yes", "RUFF_JIT_CACHE": "0"})
    assert on.stdout == "2\n" and "[jit]" in on.stderr
    off = run_cli("run", "--jit-threshold", "5", prog, env={"RUFF_JIT": "false", "RUFF_JIT_LOG": "on"})
    assert off.stdout == "2\n" and "compiled" not in off.stderr


def test_double_dash_before_the_file(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "p.ruff", "print(args())\n")
    assert run_cli("run", "--", prog, "--no-jit", "x").stdout == "[--no-jit, x]\n"
    assert run_cli("run", prog, "--", "--jit-log").stdout == "[--jit-log]\n"
    proc = run_cli("run")
    assert proc.returncode == 2
    assert "required: FILE" in proc.stderr and "script_args" not in proc.stderr


# ----------------------------------------------------------------------------- Ctrl-C


def test_the_console_script_imports_nothing_before_main_takes_over() -> None:
    # A Ctrl-C during `from ruff.cli import main` (the console script's first line) would be a traceback;
    # everything heavy is imported inside main(), where it becomes "interrupted".
    code = "import sys\nimport ruff.cli\nprint(sorted(m for m in sys.modules if m.startswith('ruff')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60).stdout
    assert out == "['ruff', 'ruff.cli']\n"


def test_ctrl_c_while_ruff_is_still_importing(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "p.ruff", HELLO)
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'ruff.frontend.parser':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from ruff.cli import main\n"
        f"sys.exit(main(['run', {str(prog)!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "interrupted\n")


def test_ctrl_c_interrupts_a_long_sleep_promptly(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    prog = write_program(tmp_path / "sleepy.ruff", f'write_file("{ready}", "x")\nsleep(60000)\nprint("woke up")\n')
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", prog], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, preexec_fn=sigint_default)
    deadline = time.monotonic() + 30
    while not ready.exists():  # the program is in its sleep now (or about to be)
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 5
    assert (proc.returncode, out, err) == (130, "", "interrupted\n")


def test_ctrl_c_at_any_moment_of_start_up_never_shows_our_traceback(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "sleepy.ruff", "sleep(5000)\n")
    for delay in (0.05, 0.1, 0.15, 0.2, 0.3):
        proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", prog], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, preexec_fn=sigint_default)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        # Before Python's own start-up is done a Ctrl-C is Python's business (killed by the signal, or a
        # traceback from site.py); from our first line on it is "interrupted".
        assert "/ruff/" not in err, (delay, err)
        assert proc.returncode in (130, -signal.SIGINT, 1), (delay, proc.returncode, err)
        if proc.returncode == 130:
            assert err == "interrupted\n"


def test_unbuffered_python_keeps_stdout_unbuffered(tmp_path: Path) -> None:
    # Guarding stdout against write errors must not change its buffering: with PYTHONUNBUFFERED a line is
    # out before the program goes on.
    prog = write_program(tmp_path / "p.ruff", 'print("first")\nsleep(3000)\nprint("second")\n')
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", prog], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    start = time.monotonic()
    assert proc.stdout.readline() == "first\n"
    assert time.monotonic() - start < 2.5
    assert proc.stdout.read() == "second\n" and proc.wait(timeout=30) == 0


def test_ctrl_c_stops_an_endless_native_loop(tmp_path: Path) -> None:
    # Native code holds the GIL, so Python's SIGINT handler cannot run until the loop polls (once every
    # POLL_INTERVAL back-edges it lets go of the GIL and reads the interrupt flag).
    prog = write_program(tmp_path / "spin.ruff", "func spin(n) {\n mut i := 0\n mut s := 0\n"
                 " while i < n { s = (s + i) % 1000\n  i += 1 }\n return s }\n"
                 "print(spin(10))\nprint(spin(9000000000000000000))\n")
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", "--jit-threshold", "0", "--jit-log", prog],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=sigint_default)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        for line in proc.stderr:  # wait until spin is native (the second call then never ends by itself)
            assert time.monotonic() < deadline
            if line.startswith("[jit] compiled spin"):
                break
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert time.monotonic() - sent < 5
        assert (proc.returncode, out) == (130, "45\n")
        first, *rest = err.splitlines()  # --jit-log's summary at exit follows
        assert first == "interrupted" and rest[0].startswith("[jit] summary:") and all(r.startswith("[jit]") for r in rest)
    finally:
        proc.kill()  # a failure must not leave the endless loop running
        proc.wait()


def test_ctrl_c_delivered_to_the_program_thread_stops_a_native_loop(tmp_path: Path) -> None:
    # The kernel may hand a process's SIGINT to any of its threads. Delivered to the program's thread while
    # native code runs there, Python's handler waits for the main thread to run bytecode: the main thread
    # must not wait for the program without waking (it hung forever).
    import ctypes

    tgkill = getattr(ctypes.CDLL(None), "tgkill", None)
    if tgkill is None or not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux's tgkill and /proc to signal one thread")
    prog = write_program(tmp_path / "spin.ruff", "func spin(n) {\n mut i := 0\n mut s := 0\n"
                 " while i < n { s = (s + i) % 1000\n  i += 1 }\n return s }\n"
                 "print(spin(10))\nprint(spin(9000000000000000000))\n")
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", "--jit-threshold", "0", "--jit-log", prog],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "RUFF_CACHE_DIR": str(tmp_path / "cache")}, preexec_fn=sigint_default)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        for line in proc.stderr:
            assert time.monotonic() < deadline
            if line.startswith("[jit] compiled spin"):
                break
        time.sleep(0.5)
        threads = [int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid]
        assert threads, "the program runs on a thread of its own"
        sent = time.monotonic()
        assert tgkill(proc.pid, threads[0], int(signal.SIGINT)) == 0
        out, err = proc.communicate(timeout=30)
        assert time.monotonic() - sent < 5
        assert (proc.returncode, out, err.splitlines()[0]) == (130, "45\n", "interrupted")
    finally:
        proc.kill()
        proc.wait()
