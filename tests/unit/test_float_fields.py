"""Float-field speculation of the fast tier: struct classes' float-only flags (values.py) and the guarded
copies of loop bodies (codegen.FunctionEmitter.split) that read struct fields as known floats."""

from __future__ import annotations

import textwrap

import pytest
from test_fasttier import both

from ruff.frontend.compiler import compile_source
from ruff.runtime.fast import codegen
from ruff.runtime import values
from ruff.runtime.objects import field_set, make_struct
from ruff.runtime.values import StructType, float_field_bit, float_flag_attr

NBODY_LIKE = """
    struct B { x: float, y: float, vx: float, vy: float, m: float }
    func step(bs, dt) {
        i := 0
        while i < len(bs) {
            b := bs[i]
            d := b.x * b.x + b.y * b.y
            r := sqrt(d)
            b.vx -= b.x * b.m / (d * r) * dt
            b.vy -= b.y * b.m / (d * r) * dt
            b.x += b.vx * dt
            i := i + 1
        }
    }
"""


def _source(src: str, jit: bool = False) -> str:
    program = compile_source(textwrap.dedent(src), "t.ruff")
    chunk = program.chunk.nested_chunks()[0]
    return codegen.generate(chunk, jit=jit, builtin_names=frozenset(("len", "sqrt"))).source


def test_loop_body_reads_fields_behind_one_guard() -> None:
    src = _source(NBODY_LIKE)
    mask = sum(float_field_bit(f) for f in ("x", "y", "vx", "vy", "m"))
    assert f"_ok = l3._fm & {mask} == {mask}" in src  # b, local 3
    assert "if not (_ok and l1.__class__ is _h_float):" in src  # dt, in the version for any dt
    lines = src.splitlines()
    # The guarded copy: the sqrt call's inline path, then every field read as a float with no test.
    start = next(k for k, ln in enumerate(lines) if "_h_B_sqrt and l4 >= 0.0" in ln)
    guarded = "\n".join(lines[start:next(k for k in range(start, len(lines)) if lines[k].strip() == "continue")])
    assert "l6._f_vx = (l6._f_vx - " in guarded and "l8._f_x = (l8._f_x + (l3._f_vx * l1))" in guarded
    assert "_h_float" not in guarded and "_h_fget" not in guarded and "_h_nofloat" not in guarded


def test_no_guard_with_a_jit() -> None:
    # Native code stores fields without keeping the flags: generated code never relies on them then.
    assert "_fm" not in _source(NBODY_LIKE, jit=True)


def test_class_flags_follow_every_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "_float_fields_on", True)  # as if no Ruff task had run in this process
    st = StructType("P", ("a", "b"), {}, {})
    cls = st.cls
    both_bits = float_field_bit("a") | float_field_bit("b")
    assert cls._fm & both_bits == both_bits
    p = make_struct(st, ("a", "b"), [1.0, 2.0])
    assert cls._fm & both_bits == both_bits and getattr(cls, float_flag_attr("a"))
    field_set(p, "b", 3.5)
    assert getattr(cls, float_flag_attr("b"))
    make_struct(st, ("a", "b"), [1, 2.0])
    assert not getattr(cls, float_flag_attr("a")) and cls._fm & float_field_bit("a") == 0
    field_set(p, "b", "text")
    assert not getattr(cls, float_flag_attr("b")) and cls._fm & both_bits == 0
    values.disable_float_fields()  # a second Ruff thread: no class, old or new, keeps a flag
    assert st.fm == 0 and not getattr(cls, float_flag_attr("a"))
    later = StructType("Q", ("a",), {}, {})
    assert later.fm == 0 and later.cls._fm == 0 and not getattr(later.cls, float_flag_attr("a"))


def test_same_results_and_errors_when_fields_change_kind() -> None:
    out, err, _ = both(NBODY_LIKE + """
    bs := [B { x: 1.0, y: 2.0, vx: 0.0, vy: 0.0, m: 3.0 }, B { x: 2.0, y: 0.5, vx: 1.0, vy: 0.0, m: 1.0 }]
    step(bs, 0.1)
    print(bs[0].x, bs[1].vy)
    bs[1].m := 4
    bs[1].vx := 2
    step(bs, 1)
    print(bs[1].vx, bs[1].x)
    bs[0].y := "far"
    step(bs, 0.1)
    """)
    assert out.count("\n") == 2
    assert err is not None and "Invalid binary operation" in err[1] and err[3] == 7
