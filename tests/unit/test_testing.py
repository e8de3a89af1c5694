"""`ruff test-run FILE` (ruff/testing.py), driven through the command line on tests/testrun/*.ruff."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ruff.runner import RunOptions
from ruff.testing import run_tests

ROOT = Path(__file__).resolve().parents[2]
TESTRUN = ROOT / "tests" / "testrun"


def test_run(name: str, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "ruff", "test-run", *flags, f"tests/testrun/{name}"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


test_run.__test__ = False  # a helper, not a test


def strip_times(text: str) -> str:
    text = re.sub(r" \(\d+ms\)$", "", text, flags=re.M)
    return re.sub(r"^Time: \d+ms$", "Time: Nms", text, flags=re.M)


@pytest.mark.parametrize("flags", [["--no-jit"], ["--jit-threshold", "0"]])
def test_all_passing(flags: list[str]) -> None:
    proc = test_run("passing.ruff", *flags)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert strip_times(proc.stdout) == (
        "  ✓ square of a number\n"
        "  ✓ setup ran before the test\n"
        "  ✓ globals are restored between tests\n"
        "  ✓ strings and collections\n"
        "  ✓ math > addition\n"
        "  ✓ math > division > integer division truncates\n"
        "  ✓ caught errors do not fail a test\n"
        "\n"
        "7 passed, 0 failed\n"
        "Time: Nms\n"
    )


def test_failures_are_reported_with_message_and_line() -> None:
    proc = test_run("failing.ruff", "--no-jit")
    assert proc.returncode == 1, proc.stderr
    assert strip_times(proc.stdout) == (
        "  ✓ double works\n"
        "  ✗ double is wrong on purpose\n"
        "    Error: Assertion failed: expected Int(7), got Int(6)\n"
        "    at tests/testrun/failing.ruff:11\n"
        "  ✓ strings > upper\n"
        "  ✗ strings > runtime error fails the test\n"
        "    Error: Index out of bounds: 5\n"
        "    at tests/testrun/failing.ruff:20\n"
        "  ✗ custom assert message\n"
        "    Error: one is not greater than two\n"
        "    at tests/testrun/failing.ruff:25\n"
        "  ✓ still runs after failures\n"
        "\n"
        "3 passed, 3 failed\n"
        "Time: Nms\n"
    )
    assert proc.stderr == ""


def test_summary_line_stands_alone() -> None:
    proc = test_run("failing.ruff")
    assert "3 passed, 3 failed" in proc.stdout.splitlines()


def test_setup_and_teardown_wrap_every_test_with_nesting() -> None:
    proc = test_run("setup_teardown.ruff", "--no-jit")
    assert proc.returncode == 1
    assert strip_times(proc.stdout) == (
        "outer setup\n"
        "body: top\n"
        "outer teardown\n"
        "  ✓ top level test\n"
        "outer setup\n"
        "inner setup\n"
        "body: nested\n"
        "inner teardown\n"
        "outer teardown\n"
        "  ✗ inner > nested test\n"
        "    Error: Assertion failed: expected Int(2), got Int(1)\n"
        "    at tests/testrun/setup_teardown.ruff:28\n"
        "\n"
        "1 passed, 1 failed\n"
        "Time: Nms\n"
    )


def test_failing_setup_fails_the_test_and_still_tears_down() -> None:
    proc = test_run("setup_fails.ruff", "--no-jit")
    assert proc.returncode == 1
    out = strip_times(proc.stdout)
    assert "body ran" not in out
    assert out.startswith("teardown ran\n  ✗ never reaches the body\n"
                          "    Error: Setup failed: Undefined variable: missing_function\n")
    assert "0 passed, 1 failed\n" in out


def test_tests_can_use_tasks_and_channels() -> None:
    proc = test_run("async_tests.ruff", "--no-jit")
    assert proc.returncode == 1, proc.stderr
    out = strip_times(proc.stdout)
    assert "  ✓ await an async function\n" in out
    assert "  ✓ channel between tasks\n" in out
    assert "  ✗ errors in tasks fail the test when awaited\n    Error: Index out of bounds: 3\n" in out
    assert "    at tests/testrun/async_tests.ruff:21\n" in out
    assert "2 passed, 1 failed\n" in out


def test_syntax_error_exits_3() -> None:
    proc = test_run("syntax_error.ruff")
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert "tests/testrun/syntax_error.ruff:3:1" in proc.stderr


def test_no_tests_is_reported() -> None:
    proc = test_run("no_tests.ruff")
    assert proc.returncode == 4
    assert proc.stdout == "just a script\nNo tests found in tests/testrun/no_tests.ruff\n"


def test_missing_file_is_an_io_error() -> None:
    proc = test_run("does_not_exist.ruff")
    assert proc.returncode == 5
    assert "cannot read" in proc.stderr


def test_top_level_error_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('x := 1 / 0\ntest "t" { assert_true(true) }\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ruff", "test-run", str(path)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 4
    assert "Division by zero" in proc.stderr and "t.ruff:1" in proc.stderr
    assert proc.stdout == ""


def test_broken_group_body_counts_as_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('test_group "g" {\n  nope()\n  test "inner" { }\n}\ntest "ok" { }\n', encoding="utf-8")
    out: list[str] = []
    code = run_tests(str(path), RunOptions(jit=False), write=out.append)
    text = strip_times("".join(out))
    assert code == 1
    assert "  ✗ g\n    Error: Undefined variable: nope\n" in text
    assert "  ✓ ok\n" in text
    assert "1 passed, 1 failed\n" in text


def test_exit_inside_a_test_ends_the_run(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('test "a" { exit(9) }\ntest "b" { }\n', encoding="utf-8")
    out: list[str] = []
    assert run_tests(str(path), RunOptions(jit=False), write=out.append) == 9
    assert "".join(out) == ""


def test_in_process_api_returns_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('func f() { return 2 }\ntest "two" { assert_equal(f(), 2) }\n', encoding="utf-8")
    out: list[str] = []
    assert run_tests(str(path), RunOptions(jit=False), write=out.append) == 0
    assert strip_times("".join(out)) == "  ✓ two\n\n1 passed, 0 failed\nTime: Nms\n"
