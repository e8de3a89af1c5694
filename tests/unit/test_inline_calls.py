"""Which functions the fast tier computes in place at call sites, and in which forms
(ruff/runtime/fast/inline_calls.py)."""

from __future__ import annotations

from ruff.frontend.compiler import compile_source
from ruff.runtime.fast.codegen import pure_callee_of
from ruff.runtime.fast.inline_calls import PureForm


def chunk_named(src: str, name: str):
    return next(c for c in compile_source(src, "x.ruff").chunk.all_chunks() if c.name == name)


def forms(src: str, name: str = "f") -> list[tuple]:
    pure = pure_callee_of(chunk_named(src, name))
    return [] if pure is None else [(f.cls, f.bits) for f in pure.forms]


def test_spectral_norms_eval_a_is_pure_for_small_non_negative_ints() -> None:
    src = "func f(i, j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) }"
    pure = pure_callee_of(chunk_named(src, "f"))
    assert pure is not None
    # Any two ints in [0, 2**30) keep the product in i64 and the divisor at least 1; 2**31 does not.
    # As floats the divisor may be 0.0, which needs the call's error.
    assert [(f.cls, f.bits) for f in pure.forms] == [("int", 30)]
    expr = pure.forms[0].apply(["a", "(3)"])
    assert "//" in expr and "_h_" not in expr
    assert eval(expr, {"a": 4}) == 1.0 / ((4 + 3) * (4 + 3 + 1) // 2 + 4 + 1)


def test_forms_by_what_can_fail() -> None:
    # int * float never overflows, so any int fits; floats fit too.
    assert forms("func f(x) { return x * 2.5 + 1.0 }") == [("int", None), ("float", None)]
    # An int product may overflow: only small ints; a float one may not.
    assert forms("func f(x, y) { return x * y }") == [("int", 31), ("float", None)]
    # Division by a parameter may divide by zero in both kinds.
    assert forms("func f(x, y) { return x / y }") == []
    # Division by a non-zero constant cannot fail; ints truncate toward zero, one Python expression only
    # for non-negative ones.
    assert forms("func f(x) { return x / 4 - 1 }") == [("int", 31), ("float", None)]


def test_other_shapes_are_not_inlined() -> None:
    others = {
        "f1": "func f1(x) { y := x + 1\n return y }",  # a local
        "f2": "func f2(x) { return g + x }\ng := 1",  # a global read
        "f3": "func f3(x) { return abs(x) + 1 }",  # a call
        "f4": "func f4(x = 1) { return x + 1 }",  # a parameter default
        "f5": "func f5(x) { if x > 0 { y := 1 }\n return x }",  # a branch that is not a guard clause
        "f9": "func f9(x) { if x > 0 { return \"a\" }\n return x }",  # a clause returning a string
        "f10": "func f10(x) { if x > 0 || x < -5 { return x }\n return 0 }",  # not one comparison
        "f11": "func f11(x) { if g(x) { return x }\n return 0 }",  # a call in the condition
        "f6": "func f6(x) { return x + \"a\" }",  # a string constant
        "f7": "func f7() { return 1 + 2 }",  # no parameter
        "f8": "func* f8(x) { yield x + 1 }",  # a generator
    }
    for name, src in others.items():
        assert pure_callee_of(chunk_named(src, name)) is None, name


def test_guard_clauses_are_computed_in_place_under_their_condition() -> None:
    # fib's base case: for ints and floats, `n` where `n < 2`; the rest of the function is the call's.
    pure = pure_callee_of(chunk_named("func fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }", "fib"))
    assert pure is not None
    assert [(f.cls, f.bits, f.cond, f.expr) for f in pure.forms] == [
        ("int", None, "l0 < (2)", "l0"), ("float", None, "l0 < (2)", "l0")]
    assert pure.forms[0].apply(["t2"], pure.forms[0].cond) == "(t2) < (2)"
    # Arithmetic in the condition is fine where it is bare (small ints); a clause whose result may
    # overflow for ints is kept for floats only.
    assert forms("func f(x, y) { if x + y >= 10 { return x * y }\n return f(x + 1, y) }") == [("int", 31)]
    assert forms("func f(x) { if x > 5 { return 9223372036854775807 * x }\n return 1 }") == [("float", None)]
    # The condition narrows what the result may be: x is 0 there, so the sum cannot overflow.
    assert forms("func f(x) { if x == 0 { return 9223372036854775807 + x }\n return 1 }") == [("int", None)]


def test_apply_puts_arguments_in_place_of_parameters_only() -> None:
    form = PureForm("int", None, "((l0 + l10) * l1)")
    assert form.apply([f"t{k}" for k in range(11)]) == "(((t0) + (t10)) * (t1))"


def _fast_source(tmp_path, src: str) -> str:
    import os
    import subprocess
    import sys

    path = tmp_path / "p.ruff"
    path.write_text(src)
    out = subprocess.run([sys.executable, "-m", "ruff", "run", "--no-jit", str(path)], capture_output=True,
                         text=True, env={**os.environ, "RUFF_FAST_DUMP": "1"}, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout + out.stderr


def test_small_int_form_only_where_typeflow_proves_the_range(tmp_path) -> None:
    # s outgrows 2**31 after a few thousand calls: testing its range at run time would make every later
    # call pay the failed test on top of the call, so that site takes the ordinary call only.
    src = """
func add(a, b) { return a + b }
func grow(n) {
    s := 0
    i := 0
    while i < n {
        s := add(s, i)
        i := i + 1
    }
    return s
}
func count(n) {
    c := 0
    i := 0
    while i < n {
        c := c + add(i, 1)
        i := i + 1
    }
    return c
}
print(grow(100000), count(1000))
"""
    text = _fast_source(tmp_path, src)
    assert "4999950000 500500" in text
    grow = text[text.index("def ruff_grow"):text.index("def ruff_count")]
    count = text[text.index("def ruff_count"):]
    assert " is _p" not in grow and "< 2147483648" not in grow
    assert " is _p" in count
