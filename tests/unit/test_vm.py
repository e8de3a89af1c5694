"""The reference executor: semantics that golden programs cannot pin down cheaply."""

from __future__ import annotations

import pytest

from ruff.runtime.values import RuffError
from ruff.limits import MAX_FRAMES
from kit import run_source


def error_of(src: str) -> RuffError:
    with pytest.raises(RuffError) as info:
        run_source(src)
    return info.value


def test_checked_integer_arithmetic() -> None:
    assert run_source("print(-7 / 2, -7 % 3, 7 % -3, 7 / 2.0)") == "-3 -1 1 3.5\n"
    assert error_of("x := 9223372036854775807\nprint(x + 1)").message == "Integer overflow: 9223372036854775807 + 1"
    assert error_of("x := -9223372036854775807 - 1\nprint(x / -1)").message.startswith("Integer overflow")
    assert error_of("print(1 / 0)").message == "Division by zero"
    assert error_of("print(1 % 0)").message == "Modulo by zero"


def test_runtime_error_records_line_and_call_stack() -> None:
    err = error_of("func inner(a) {\n  return a / 0\n}\nfunc outer() { return inner(1) }\nouter()")
    assert err.line == 2 and err.filename == "t.ruff"
    assert [e.split(" ")[0] for e in err.stack] == ["inner", "outer", "<script>"]


def test_deep_recursion_is_not_python_recursion() -> None:
    assert run_source("func d(n) { if n == 0 { return 0 }\n return 1 + d(n - 1) }\nprint(d(20000))") == "20000\n"


def test_runaway_recursion_is_a_ruff_stack_overflow() -> None:
    err = error_of("func f(n) { return f(n + 1) + 1 }\nf(0)")
    assert err.message == f"Stack overflow: call depth exceeded {MAX_FRAMES} in f"


def test_closures_share_captured_cells() -> None:
    src = """
func pair() {
    mut n := 0
    inc := func() { n += 1 }
    get := func() { return n }
    return [inc, get]
}
fs := pair()
fs[0]()
fs[0]()
print(fs[1]())
"""
    assert run_source(src) == "2\n"


def test_runtime_errors_are_catchable_and_carry_the_message() -> None:
    src = "try {\n  x := [1][5]\n} except e {\n  print(e.message)\n}"
    assert run_source(src) == "Index out of bounds: 5\n"


def test_try_inside_loop_with_break_and_continue() -> None:
    src = """
mut seen := []
for i in [1, 2, 3, 4] {
    try {
        if i == 2 { continue }
        if i == 4 { break }
        seen = push(seen, i)
    } except e { print("never") }
}
print(seen)
try { throw("after") } except e { print(e.message) }
"""
    assert run_source(src) == "[1, 3]\nafter\n"


def test_operator_overloading_on_structs() -> None:
    src = """
struct V { x: int, func op_add(self, o) { return V { x: self.x + o.x } }, func op_neg(self) { return V { x: -self.x } } }
a := V { x: 2 } + V { x: 3 }
print(a.x, (-a).x)
"""
    assert run_source(src) == "5 -5\n"


def test_generator_suspends_and_resumes() -> None:
    src = "func* g() { yield 1\n yield 2 }\nfor v in g() { print(v) }"
    assert run_source(src) == "1\n2\n"


def test_equality_is_ruff_equality() -> None:
    assert run_source('print(1 == 1.0, 1 == true, "1" == 1, [1, [2]] == [1, [2]], {"a": 1} == {"a": 1.0})') == \
        "true false false true true\n"
