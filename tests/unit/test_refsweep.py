"""The reference sweep (tests/refsweep) classifies runs as it says, on a made-up checkout of small programs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.refsweep.judgements import JUDGEMENTS
from tests.refsweep.model import Category, Golden, Judgement, RunResult
from tests.refsweep.report import report, summary
from tests.refsweep.sweep import Sweep, private_tmp_available

# A fixed /tmp path, as many reference programs write: with a private /tmp it never reaches the real one.
PROBE = f"/tmp/ruff-refsweep-probe-{os.getpid()}.txt"
PROGRAMS = {
    "tests/ok.ruff": ('print("a")\nprint(1 + 1)\n', "a\n2  \n\n"),
    "tests/wrong.ruff": ('print("a")\nprint(3)\n', "a\n2\n"),
    "tests/crash.ruff": ('print("a")\nprint(1 / 0)\n', "a\n"),
    "tests/captured.ruff": ('print("a")\nprint(missing)\n',
                            "a\n[RUFVM001] [vm] Runtime Error: Undefined variable: missing\n  --> 0:0"),
    "tests/slow.ruff": ("while true { }\n", None),
    "tests/writes.ruff": (f'write_file("{PROBE}", "x")\nwrite_file("here.txt", "y")\n'
                          'print(read_file("README.md"))\n', "checkout readme\n"),
    "examples/rejected.ruff": ('print("n = " + 1)\n', None),
    "examples/judged_but_fine.ruff": ('print("fine")\n', None),
    "examples/home.ruff": ('print("home: " + env("HOME"))\nprint("same")\n', "home: /Users/someone\nsame\n"),
    "examples/remote.ruff": ('print(http_get("http://127.0.0.1:9/x"))\n', None),
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("refruff")
    (root / "README.md").write_text("checkout readme\n")
    for rel, (source, golden) in PROGRAMS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        if golden is not None:
            path.with_suffix(".out").write_text(golden)
    return root


@pytest.fixture(scope="module")
def verdicts(checkout: Path) -> dict:
    judgements = {
        "examples/rejected.ruff": Judgement(Category.REJECTED, "string + int", error="string + int", exit=4),
        "examples/judged_but_fine.ruff": Judgement(Category.REJECTED, "stale", error="whatever"),
        "examples/home.ruff": Judgement(Category.MACHINE, "prints $HOME", masks=(r"^home: .*$",)),
        "tests/crash.ruff": Judgement(Category.REJECTED, "a different error", error="Modulo by zero"),
    }
    sweep = Sweep(checkout, [sys.executable, "-m", "ruff"], 8.0, judgements, private_tmp_available())
    assert sorted(sweep.programs()) == sorted(PROGRAMS)
    return {p: sweep.classify(p, sweep.run(p)) for p in PROGRAMS}


def test_categories(verdicts: dict) -> None:
    got = {p: v.category for p, v in verdicts.items()}
    assert got == {
        "tests/ok.ruff": Category.PASSES,           # trailing blanks and final empty lines are ignored
        "tests/wrong.ruff": Category.DIFFERS,
        "tests/crash.ruff": Category.FAILS,         # the judgement names another error, so it does not hold
        "tests/captured.ruff": Category.PASSES,     # fails with the message its golden file captured
        "tests/slow.ruff": Category.TIMES_OUT,
        "tests/writes.ruff": Category.PASSES,       # reads the checkout's README.md from its working directory
        "examples/rejected.ruff": Category.REJECTED,
        "examples/judged_but_fine.ruff": Category.PASSES,
        "examples/home.ruff": Category.MACHINE,
        "examples/remote.ruff": Category.NETWORK,
    }
    assert verdicts["tests/wrong.ruff"].detail == "line 2: want '2', got '3'"
    assert "the judgement expects the error 'Modulo by zero'" in verdicts["tests/crash.ruff"].detail
    assert verdicts["examples/judged_but_fine.ruff"].stale_judgement == "stale"
    assert verdicts["examples/rejected.ruff"].raw is Category.FAILS


def test_runs_leave_the_checkout_alone(checkout: Path, verdicts: dict) -> None:
    assert not (checkout / "here.txt").exists() and not (checkout / "examples" / "here.txt").exists()
    if private_tmp_available():
        assert not Path(PROBE).exists()
    else:
        Path(PROBE).unlink(missing_ok=True)


def test_report_counts_every_program(verdicts: dict) -> None:
    table = summary(list(verdicts.values()))
    lines = {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1]) for line in table.splitlines()[2:]}
    assert lines["passes"] == 4 and lines["total"] == len(PROGRAMS)
    assert lines["could be ours (differs, fails, times out)"] == 3
    text = report(list(verdicts.values()), "python -m tests.refsweep X", {}, "note")
    assert "## Stale judgements" in text and "`tests/slow.ruff`" in text


def test_golden_files_that_captured_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.out"
    path.write_text("line\n[RUFVM001] [vm] Runtime Error: Invalid binary operation: struct > struct\n  --> 0:0")
    golden = Golden.read(path)
    assert golden.stdout == ["line"] and golden.error == "Invalid binary operation: struct > struct"


def test_judgement_masks_only_what_they_name() -> None:
    j = Judgement(Category.RNG, "seeded values", masks=(r"= \d+$",))
    golden = Golden(["x = 4", "ok"])
    assert j.holds(RunResult(0, "x = 9\nok\n", "", 0.1), golden) == ""
    assert "line 2" in j.holds(RunResult(0, "x = 9\nbad\n", "", 0.1), golden)
    assert j.holds(RunResult(4, "x = 9\nok\n", "", 0.1), golden) == "the judgement expects exit 0"


def test_every_judgement_says_why_and_how_to_check() -> None:
    for program, j in JUDGEMENTS.items():
        assert program.startswith(("tests/", "examples/")) and program.endswith(".ruff"), program
        assert len(j.reason) > 20, program
        assert j.error or j.masks or j.timeout, f"{program}: a judgement must say what the run shows"
        assert j.category not in (Category.PASSES, Category.DIFFERS, Category.FAILS, Category.TIMES_OUT)
