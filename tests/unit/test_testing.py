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
    return run_cli("test-run", *flags, f"tests/testrun/{name}", timeout=120, env={"PYTHONIOENCODING": "utf-8"})


test_run.__test__ = False  # a helper, not a test


def test_run_files(args: list[str]) -> subprocess.CompletedProcess:
    return run_cli("test-run", *args, timeout=180, env={"PYTHONIOENCODING": "utf-8"})


test_run_files.__test__ = False


def strip_times(text: str) -> str:
    text = re.sub(r" \(\d+ms\)$", "", text, flags=re.M)
    return re.sub(r"^Time: \d+ms$", "Time: Nms", text, flags=re.M)


@pytest.mark.parametrize("flags", [["--no-jit"], ["--jit-threshold", "0"]])
def test_all_passing(flags: list[str]) -> None:
    proc = test_run("passing.ruff", "-v", *flags)
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


def test_without_verbose_only_the_counts_of_a_passing_file() -> None:
    proc = test_run("passing.ruff")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert strip_times(proc.stdout) == "7 passed, 0 failed\nTime: Nms\n"


FAILING_REPORT = (
    "  ✗ double is wrong on purpose\n"
    "    Error: Assertion failed: expected 7, got 6\n"
    "    at tests/testrun/failing.ruff:11\n"
    "    11 | assert_equal(double(3), 7)\n"
    "  ✗ strings > runtime error fails the test\n"
    "    Error: Index out of bounds: 5\n"
    "    at tests/testrun/failing.ruff:20\n"
    "    20 | print(items[5])\n"
    "  ✗ custom assert message\n"
    "    Error: one is not greater than two\n"
    "    at tests/testrun/failing.ruff:25\n"
    "    25 | assert(1 > 2, \"one is not greater than two\")\n"
)
from kit import run_cli


def test_failures_are_reported_with_ruff_values_location_and_source_line() -> None:
    proc = test_run("failing.ruff", "--no-jit")
    assert proc.returncode == 1, proc.stderr
    assert strip_times(proc.stdout) == FAILING_REPORT + "\n3 passed, 3 failed\nTime: Nms\n"
    assert proc.stderr == ""


def test_verbose_lists_passing_tests_too() -> None:
    proc = test_run("failing.ruff", "--verbose", "--no-jit")
    assert proc.returncode == 1, proc.stderr
    lines = strip_times(proc.stdout).splitlines()
    assert lines[:2] == ["  ✓ double works", "  ✗ double is wrong on purpose"]
    assert "  ✓ strings > upper" in lines and "  ✓ still runs after failures" in lines


def test_assertion_shows_strings_quoted_while_except_still_sees_the_reference_message(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('test "s" {\n    assert_equal(upper("ab"), "Ab")\n}\n'
                    'test "caught" {\n    try { assert_equal([1, "x"], 2) } except e { print(e.message) }\n}\n'
                    'test "ne" { assert_not_equal("5", "5") }\n', encoding="utf-8")
    out: list[str] = []
    assert run_tests(str(path), RunOptions(jit=False), write=out.append, verbose=True) == 1
    text = strip_times("".join(out))
    assert '    Error: Assertion failed: expected "Ab", got "AB"\n' in text
    assert f"    at {path}:2\n    2 | assert_equal(upper(\"ab\"), \"Ab\")\n" in text
    assert "Assertion failed: expected Int(2), got Array[2]\n  ✓ caught\n" in text  # the reference's words
    assert '    Error: Assertion failed: expected a value different from "5"\n' in text


def test_assertion_failing_inside_an_awaited_task_keeps_its_ruff_forms(tmp_path: Path) -> None:
    path = tmp_path / "t.ruff"
    path.write_text('async func check() { assert_equal(1 + 1, 3) }\ntest "t" { await check() }\n', encoding="utf-8")
    out: list[str] = []
    assert run_tests(str(path), RunOptions(jit=False), write=out.append) == 1
    assert "    Error: Assertion failed: expected 3, got 2\n" in "".join(out)


def test_several_files_each_under_its_name_with_totals() -> None:
    proc = test_run_files(["-v", "--no-jit", "tests/testrun/failing.ruff", "tests/testrun/no_tests.ruff",
                           "tests/testrun/passing.ruff"])
    assert proc.returncode == 1, proc.stderr
    out = strip_times(proc.stdout)
    assert out.startswith("tests/testrun/failing.ruff\n  ✓ double works\n")
    assert "tests/testrun/no_tests.ruff\njust a script\nNo tests found in tests/testrun/no_tests.ruff\n" \
           "tests/testrun/passing.ruff\n  ✓ square of a number\n" in out
    assert out.endswith("\n10 passed, 3 failed\nTime: Nms\n")


def test_several_files_all_passing_exit_0() -> None:
    proc = test_run_files(["tests/testrun/passing.ruff", "tests/testrun/no_tests.ruff"])
    assert proc.returncode == 0, proc.stderr
    assert strip_times(proc.stdout).endswith("\n7 passed, 0 failed\nTime: Nms\n")


def test_a_file_that_cannot_run_wins_over_test_failures() -> None:
    proc = test_run_files(["tests/testrun/failing.ruff", "tests/testrun/syntax_error.ruff",
                           "tests/testrun/passing.ruff"])
    assert proc.returncode == 3
    assert "tests/testrun/syntax_error.ruff:3:1" in proc.stderr
    assert "10 passed, 3 failed" in proc.stdout  # the other files still ran


def test_tests_from_standard_input() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "test-run", "-v", "-"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, input='test "one" { assert_equal(1, 2) }\n',
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1
    assert "    at <stdin>:1\n    1 | test \"one\" { assert_equal(1, 2) }\n" in proc.stdout


def test_summary_line_stands_alone() -> None:
    proc = test_run("failing.ruff")
    assert "3 passed, 3 failed" in proc.stdout.splitlines()


def test_setup_and_teardown_wrap_every_test_with_nesting() -> None:
    proc = test_run("setup_teardown.ruff", "-v", "--no-jit")
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
        "    Error: Assertion failed: expected 2, got 1\n"
        "    at tests/testrun/setup_teardown.ruff:28\n"
        "    28 | assert_equal(1, 2)\n"
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
    proc = test_run("async_tests.ruff", "-v", "--no-jit")
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


def test_no_tests_is_reported_and_passes() -> None:
    # The reference exits 4 (a runtime error) here; nothing failed, so this exits 0 (see ruff/testing.py).
    proc = test_run("no_tests.ruff")
    assert proc.returncode == 0
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
    code = run_tests(str(path), RunOptions(jit=False), write=out.append, verbose=True)
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
    assert run_tests(str(path), RunOptions(jit=False), write=out.append, verbose=True) == 0
    assert strip_times("".join(out)) == "  ✓ two\n\n1 passed, 0 failed\nTime: Nms\n"
