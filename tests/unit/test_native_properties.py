"""Property tests: random numeric Ruff functions give the same answers natively and in the baseline.

Each example is a small function of two parameters built from + - * / %, comparisons, `!`, && / ||,
if/else and a loop; it is called on random arguments (i64 edge values included) once in the baseline
executor and once with the function compiled to native code. Outputs — including runtime errors such as
integer overflow and division by zero — must be identical.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruff.frontend.compiler import compile_source
from ruff.runner import RunOptions
from ruff.runtime.values import Module, RuffError
from ruff.runtime.vm import VM
from kit import run_source

I64 = st.one_of(st.integers(-(2**63), 2**63 - 1), st.sampled_from([0, 1, -1, 2, 2**62, -(2**63), 2**63 - 1]),
                st.integers(-50, 50))
FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e12, max_value=1e12)


def expr(depth: int, kind: str) -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["a", "b"]) | (st.integers(-9, 9).map(str) if kind == "int" else
                                            st.sampled_from(["0.5", "2.0", "-1.5", "3"]))
    if depth == 0:
        return leaves
    sub = expr(depth - 1, kind)
    arith = st.tuples(sub, st.sampled_from(["+", "-", "*", "/", "%"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    return st.one_of(leaves, arith)


def cond(kind: str) -> st.SearchStrategy[str]:
    cmp = st.tuples(expr(1, kind), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), expr(1, kind)).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}")
    return st.one_of(cmp, st.tuples(cmp, st.sampled_from(["&&", "||"]), cmp).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
                     cmp.map(lambda c: f"!({c})"))


def function(kind: str) -> st.SearchStrategy[str]:
    return st.tuples(cond(kind), expr(2, kind), expr(2, kind), expr(1, kind), st.integers(0, 4)).map(
        lambda t: f"""
func f(a, b) {{
    mut acc := {t[3]}
    mut i := 0
    while i < {t[4]} {{
        acc := acc + i
        i += 1
    }}
    if {t[0]} {{
        return {t[1]} + acc
    }}
    return {t[2]} - acc
}}
""")


def outputs(src: str, args: list, jit: bool) -> str:
    """What `src` prints for `print(f(a, b))` over `args` (an error ends it), with the native tier or without."""
    calls = "\n".join(f"print(f({a!r}, {b!r}))" for a, b in args)
    program = src + "\n" + calls + "\n"
    out: list[str] = []
    vm = VM(write=out.append)
    if jit:
        from ruff.tiering import attach_jit

        attach_jit(vm, RunOptions(jit=True, jit_threshold=1))
    try:
        run_source(program, vm, filename="p.ruff", dedent=False)
    except RuffError as e:
        out.append(f"error: {e.message} at {e.line}")
    return "".join(out)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(function("int"), st.lists(st.tuples(I64, I64), min_size=1, max_size=3))
def test_integer_functions_agree(src: str, args: list) -> None:
    assert outputs(src, args, jit=True) == outputs(src, args, jit=False)


@SETTINGS
@given(function("float"), st.lists(st.tuples(FLOATS, FLOATS), min_size=1, max_size=3))
def test_float_functions_agree(src: str, args: list) -> None:
    assert outputs(src, args, jit=True) == outputs(src, args, jit=False)


def test_native_code_is_really_used() -> None:
    src = "func f(a, b) { return a * b + 1 }"
    out: list[str] = []
    vm = VM(write=out.append)
    from ruff.tiering import attach_jit

    jit = attach_jit(vm, RunOptions(jit=True, jit_threshold=1))
    program = src + "\nprint(f(6, 7))\nprint(f(9223372036854775807, 2))\n"
    try:
        vm.run_chunk(compile_source(program, "p.ruff").chunk, Module("__main__", "p.ruff", program))
    except RuffError as e:
        out.append(e.message)
    assert out == ["43\n", "Integer overflow: 9223372036854775807 * 2"]
    assert jit.entries, "f was not compiled"


def bool_expr(depth: int) -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["a", "b", "true", "false"])
    if depth == 0:
        return leaves
    sub = bool_expr(depth - 1)
    return st.one_of(leaves, sub.map(lambda e: f"!({e})"),
                     st.tuples(sub, st.sampled_from(["&&", "||", "==", "!="]), sub).map(
                         lambda t: f"({t[0]} {t[1]} {t[2]})"))


@SETTINGS
@given(bool_expr(3), bool_expr(2), st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=4))
def test_boolean_functions_agree(cond: str, value: str, args: list) -> None:
    src = f"func f(a, b) {{\n    if {cond} {{ return {value} }}\n    return !({value})\n}}\n"
    assert outputs(src, args, jit=True) == outputs(src, args, jit=False)
