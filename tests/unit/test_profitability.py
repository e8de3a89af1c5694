"""The JIT's profitability rule (tiering.runtime_bound): native code that would hand operations to the
runtime where they repeat stays in the baseline. A function without loops repeats its runtime calls on
every call, so it may make none; a function whose runtime calls sit outside its loops compiles."""

from __future__ import annotations

from pathlib import Path

from kit import run_cli, write_program

PROGRAM = """struct P {
    x,
    y,
}

mut moves := 0

func moved(p, d) {
    moves = moves + 1
    return P { x: p.x + d, y: p.y + d }
}

func total(n) {
    mut s := 0
    mut i := 0
    while i < n {
        s := s + i * 2 + (i % 3) * 5 - (i % 7) * 3 + 1
        i := i + 1
    }
    moves = moves + 1
    return P { x: s, y: 0 }
}

mut k := 0
mut p := P { x: 0, y: 0 }
while k < 40 {
    p := moved(p, 1)
    k := k + 1
}
mut q := P { x: 0, y: 0 }
k := 0
while k < 8 {
    q := total(100)
    k := k + 1
}
print(p.x, p.y, q.x, moves)
"""


def test_loop_free_function_with_runtime_calls_stays_in_the_baseline(tmp_path: Path) -> None:
    src = write_program(tmp_path / "p.ruff", PROGRAM)
    r = run_cli("run", "--jit-log", "--jit-threshold", "5", str(src), env={"RUFF_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "40 40 9610 48\n"
    # moved writes a global (an add on a boxed value and store_global through the runtime) on every call.
    assert "not compiled moved: every call would run 2 operations through the runtime (add, store_global)" in r.stderr
    # total writes it once, after its loop: the loop pays for it.
    assert "compiled total(int)" in r.stderr


def test_global_function_making_a_closure_is_called_through_the_runtime(tmp_path: Path) -> None:
    # work calls make_adder, which native code cannot be made of (it makes a closure): the call, and the
    # call of the closure it returns, go through the runtime, outside work's loop, and work compiles.
    src = Path(__file__).parent.parent / "programs" / "jit_closure_callee_runtime.ruff"
    r = run_cli("run", "--jit-log", "--jit-threshold", "0", str(src), env={"RUFF_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1869928\nDivision by zero [<anonymous>, work]\n"
    assert "native work(int, int): 31 calls from the baseline ran native" in r.stderr
    assert "not compiled make_adder: make_adder is a generator, async or a closure" in r.stderr
