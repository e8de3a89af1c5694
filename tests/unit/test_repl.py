"""`ruff repl` (ruff/repl.py): driven through stdin by a subprocess, plus its pieces in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ruff.repl import Session, needs_more, repl_repr
from ruff.runner import RunOptions
from kit import run_cli

ROOT = Path(__file__).resolve().parents[2]


def repl(text: str, *flags: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PYTHONIOENCODING": "utf-8", **({"HOME": str(home)} if home is not None else {})}
    return run_cli("repl", *flags, stdin=text, timeout=120, env=env)


SESSION = """\
x := 40
func add(a, b) {
    return a + b
}
add(x, 2)
print("hello from print")
items := [1, 2, 3]
items[10]
"still alive after the error"
:vars
:quit
print("never runs")
"""


@pytest.mark.parametrize("flags", [["--no-jit"], ["--jit-threshold", "0"]])
def test_session_through_stdin(tmp_path: Path, flags: list[str]) -> None:
    proc = repl(SESSION, *flags, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "=> 42\n"
        "hello from print\n"
        '=> "still alive after the error"\n'
        "Defined variables:\n"
        "  add = <function add>\n"
        "  items = [1, 2, 3]\n"
        "  x = 40\n"
    )
    # the runtime error is a diagnostic on stderr, with the offending input line
    assert "error: Index out of bounds: 10" in proc.stderr
    assert "items[10]" in proc.stderr
    assert "Traceback" not in proc.stderr
    # banner, prompts and goodbye are on stderr when stdin is not a terminal
    assert "ruff> " in proc.stderr and "....> " in proc.stderr
    assert proc.stderr.rstrip().endswith("Goodbye!")
    assert "never runs" not in proc.stdout
    assert not (tmp_path / ".ruff_history").exists()  # no history without a terminal


def test_eof_exits_zero() -> None:
    proc = repl("1 + 2\n")
    assert proc.returncode == 0
    assert proc.stdout == "=> 3\n"


def test_empty_input() -> None:
    proc = repl("")
    assert proc.returncode == 0
    assert proc.stdout == ""


def test_syntax_error_does_not_end_the_session() -> None:
    proc = repl("x := (1 + \n)\nprint(\"after\")\n")
    assert proc.returncode == 0
    assert "error: Expected expression" in proc.stderr
    assert proc.stdout == "after\n"


def test_multiline_input_and_continuations() -> None:
    text = (
        "total := 1 +\n"
        "   2\n"
        "nums := [\n"
        "  10,\n"
        "\n"
        "  20,\n"
        "]\n"
        "if total > 2 {\n"
        "    print(\"big\", total)\n"
        "} else {\n"
        "    print(\"small\")\n"
        "}\n"
        "/* a comment\n"
        "   over lines */ nums\n"
        "s := \"a\" + \\\n"
        "\"b\"\n"
        "s\n"
    )
    proc = repl(text)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == 'big 3\n=> [10, 20]\n=> "ab"\n'
    assert "error" not in proc.stderr


def test_two_blank_lines_give_up_on_an_incomplete_input() -> None:
    proc = repl("broken(\n\n\nprint(\"next\")\n")
    assert proc.returncode == 0
    assert "error: Expected" in proc.stderr
    assert proc.stdout == "next\n"


def test_definitions_persist_and_functions_update_globals() -> None:
    text = (
        "count := 0\n"
        "func inc() { count := count + 1 }\n"
        "inc()\n"
        "inc()\n"
        "count\n"
        "struct P { x: int, y: int }\n"
        "p := P { x: 1, y: 2 }\n"
        "p.x + p.y\n"
    )
    proc = repl(text)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "=> 2\n=> 3\n"


def test_let_binding_stays_immutable_across_inputs() -> None:
    proc = repl("let k := 1\nk := 2\nk\n")
    assert proc.returncode == 0
    assert "Cannot reassign immutable let binding: k" in proc.stderr
    assert proc.stdout == "=> 1\n"


def test_commands() -> None:
    proc = repl(":help\nv := 5\n:reset\n:vars\nv\n:what\n:q\n")
    assert proc.returncode == 0
    assert "REPL commands:" in proc.stdout
    assert "Environment reset\n" in proc.stdout
    assert "No variables defined.\n" in proc.stdout
    assert "Undefined variable: v" in proc.stderr
    assert "Unknown command: :what" in proc.stderr


def test_exit_builtin_sets_the_status() -> None:
    proc = repl('print("bye")\nexit(3)\nprint("no")\n')
    assert proc.returncode == 3
    assert proc.stdout == "bye\n"


def test_error_inside_a_function_from_an_earlier_input_shows_its_source() -> None:
    proc = repl("func f(a) {\n  return a[5]\n}\nf([1])\n\"ok\"\n")
    assert proc.returncode == 0
    assert "Index out of bounds: 5" in proc.stderr
    assert "<repl#1>:2" in proc.stderr and "return a[5]" in proc.stderr
    assert proc.stdout == '=> "ok"\n'


def test_undefined_name_hint_knows_the_names_of_earlier_inputs() -> None:
    proc = repl("message := 1\nprint(mesage)\n")
    assert "Undefined variable: mesage" in proc.stderr
    assert "help: did you mean `message`?" in proc.stderr


def test_async_and_channels_in_the_repl() -> None:
    proc = repl("async func f() { return 9 }\nawait f()\nch := channel()\nspawn { ch.send(\"x\") }\nch.receive()\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == '=> 9\n=> "x"\n'


# ----------------------------------------------------------------------------- pieces


def test_needs_more() -> None:
    assert needs_more("func f() {\n")
    assert needs_more("print((1 + 2)\n")
    assert needs_more("x := 1 +\n")
    assert needs_more("[1,\n2\n")
    assert needs_more("/* open comment\n")
    assert not needs_more("x := 1\n")
    assert not needs_more("print(1)\n")
    assert not needs_more("")
    assert not needs_more("print(1))\n")  # an error, not a continuation
    assert not needs_more('"unterminated\n')


def test_repl_repr() -> None:
    assert repl_repr(3) == "3"
    assert repl_repr(1.5) == "1.5"
    assert repl_repr("s") == '"s"'
    assert repl_repr(["a", 1, [True, None]]) == '["a", 1, [true, null]]'
    assert repl_repr({"b": "x", "a": 2}) == '{"a": 2, "b": "x"}'


def test_session_in_process() -> None:
    out: list[str] = []
    errors: list[str] = []

    class Err:
        def write(self, s: str) -> None:
            errors.append(s)

        def flush(self) -> None:
            pass

    s = Session(RunOptions(jit=False), write=out.append, errors=Err())  # type: ignore[arg-type]
    s.run_input("a := 2\n")
    s.run_input("a * 21\n")
    s.run_input("nope\n")
    s.run_input("a\n")
    assert "".join(out) == "=> 42\n=> 2\n"
    assert "Undefined variable: nope" in "".join(errors)
    assert [k for k, _ in s.variables()] == ["a"]


def test_history_with_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: a REPL on a terminal
        os.environ["HOME"] = str(tmp_path)
        os.environ.pop("RUFF_HISTORY", None)
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "ruff", "repl", "--no-jit"])
    output = b""

    def read_until(marker: bytes, timeout: float = 30.0) -> None:
        nonlocal output
        end = time.time() + timeout
        while marker not in output and time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    output += os.read(fd, 4096)
                except OSError:
                    return

    try:
        read_until(b"ruff> ")
        os.write(fd, b"y := 6\n")
        read_until(b"ruff> ", 10)
        os.write(fd, b"y * 7\n")
        read_until(b"=> 42", 10)
        os.write(fd, b":quit\n")
        read_until(b"Goodbye!", 10)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert b"=> 42" in output, output
    assert os.WEXITSTATUS(status) == 0
    history = (tmp_path / ".ruff_history").read_text()
    assert "y := 6" in history and "y * 7" in history
