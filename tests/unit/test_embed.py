"""`import ruff`: the embedding API (ruff/embed.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ruff

ROOT = Path(__file__).resolve().parents[2]

SOURCE = """
struct Point { x: int, y: int }
func add(a, b) { return a + b }
func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
func shout(words) { return words.map(func(w) { return upper(w) }) }
func origin() { return Point { x: 0, y: 0 } }
func norm1(p) { return abs(p.x) + abs(p.y) }
func deep(n) { if n == 0 { return 0 } return 1 + deep(n - 1) }
limit := 10
table := {"a": [1, 2.5, "three", true, null], "b": {}}
print("loaded")
"""


@pytest.fixture(scope="module")
def program() -> ruff.Program:
    out: list[str] = []
    p = ruff.run(SOURCE, "demo.ruff", output=out.append, jit=False)
    assert out == ["loaded\n"]
    return p


def test_call_and_get_give_python_values(program: ruff.Program) -> None:
    assert program.call("add", 2, 3) == 5
    assert program.call("add", "a", "b") == "ab"
    assert program.call("add", 1, 0.5) == 1.5
    assert program.call("fib", 20) == 6765
    assert program.get("limit") == 10
    table = program.get("table")
    assert table == {"a": [1, 2.5, "three", True, None], "b": {}}
    table["a"].append("changed")  # a copy: the program's own value is untouched
    assert program.get("table")["a"] == [1, 2.5, "three", True, None]
    assert "add" in program and "nope" not in program
    with pytest.raises(KeyError):
        program.get("nope")


def test_python_collections_go_in(program: ruff.Program) -> None:
    assert program.call("shout", ["a", "b"]) == ["A", "B"]
    assert program.call("shout", ("x",)) == ["X"]
    assert program.call("len", {"k": 1, "j": [1]}) == 2  # builtins by name too
    assert program.call("range", 3) == [0, 1, 2]  # a lazy Ruff range comes back as a list


def test_runtime_objects_round_trip(program: ruff.Program) -> None:
    point = program.call("origin")
    assert ruff.display(point) == "Point { x: 0, y: 0 }"
    assert program.call("norm1", point) == 0
    add = program.get("add")
    assert program.call(add, 4, 5) == 9


def test_deep_recursion_works_as_in_ruff_run(program: ruff.Program) -> None:
    assert program.call("deep", 20000) == 20000


def test_values_ruff_has_no_form_for(program: ruff.Program) -> None:
    with pytest.raises(ValueError, match="does not fit in a Ruff int"):
        program.call("add", 2**63, 1)
    with pytest.raises(TypeError, match="Ruff dict keys are strings"):
        program.call("len", {1: 2})
    with pytest.raises(TypeError, match="cannot pass a Python set"):
        program.call("len", {1})
    with pytest.raises(KeyError, match="no function named 'nope'"):
        program.call("nope")


def test_errors(program: ruff.Program) -> None:
    with pytest.raises(ruff.Error) as info:
        program.call("add", 1, [2])
    assert info.value.exit_code == 4
    assert str(info.value).startswith("error: Invalid binary operation: int + array\n  --> demo.ruff:3:")
    assert "at add (demo.ruff:3)" in str(info.value)
    assert program.call("add", 1, 2) == 3  # still usable afterwards
    with pytest.raises(ruff.Error) as info:
        ruff.run("x := (\n", jit=False)
    assert info.value.exit_code == 3 and "<string>:1:7" in str(info.value)
    with pytest.raises(ruff.Error) as info:
        ruff.run('throw("boom")', jit=False)
    assert info.value.exit_code == 4 and str(info.value).startswith("error: boom\n")
    with pytest.raises(ruff.Exit) as exit_info:
        ruff.run("exit(3)", jit=False)
    assert exit_info.value.code == 3 and exit_info.value.exit_code == 3
    with pytest.raises(ruff.Error) as info:
        ruff.run_file(ROOT / "no_such_file.ruff")
    assert info.value.exit_code == 5
    with pytest.raises(ValueError, match="tier"):
        ruff.run("", tier="bogus")


def test_run_file_and_the_native_tier(tmp_path: Path) -> None:
    path = tmp_path / "hot.ruff"
    path.write_text("func sq(n) { return n * n }\n", encoding="utf-8")
    program = ruff.run_file(path, output=lambda text: None)
    assert [program.call("sq", i) for i in range(300)][-1] == 299 * 299  # hot enough to be compiled
    with pytest.raises(ruff.Error, match="Integer overflow"):
        program.call("sq", 2**40)


def test_importing_ruff_stays_cheap() -> None:
    code = "import sys, ruff\nprint(sorted(m for m in sys.modules if m.startswith('ruff')), ruff.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60).stdout
    from importlib.metadata import version

    assert out == f"['ruff'] {version('rufflang')}\n"
