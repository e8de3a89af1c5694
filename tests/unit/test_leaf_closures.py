"""Which closures the fast tier computes in place at call sites (ruff/runtime/fast/leaf_closures.py), and
the form it computes them in."""

from __future__ import annotations

from ruff.frontend.compiler import compile_source
from ruff.runtime.fast.expressions import StackEntry
from ruff.runtime.fast.leaf_closures import MAX_CANDIDATES, inline_leaf, leaf_closure, leaves_by_arity


def closures(src: str) -> list:
    return [c for c in compile_source(src, "x.ruff").chunk.all_chunks() if c.name == "<anonymous>"]


class FakeEmitter:
    """The three things inline_leaf asks of the code generator."""

    def __init__(self) -> None:
        self.n = 0

    def temp(self) -> str:
        self.n += 1
        return f"t{self.n}"

    def const_name(self, value: object) -> str:
        return "_kLEAF"

    @staticmethod
    def is_cls(e: StackEntry, cls: str):
        if e.kind == "c":
            return None if type(e.value).__name__ == cls else "False"
        return f"{e.text}.__class__ is _h_{cls}"


def test_leaf_shapes() -> None:
    leaves = {
        "func f(k) { return func(v) { return v + k } }": 4,
        "func f(k) { return func(a, b) { return a * k - b } }": 6,
        "func f() { n := 0\n return func() { n := n + 1\n return n } }": 6,
        "func f() { n := 0\n return func(v) { n := v\n return 0 } }": 4,
        "func f(k) { return func() { return k } }": 2,
    }
    for src, length in leaves.items():
        (inner,) = closures(src)
        leaf = leaf_closure(inner)
        assert leaf is not None and leaf.chunk is inner and len(leaf.code) == length, src


def test_other_shapes_are_not_leaves() -> None:
    not_leaves = [
        "func f(k) { return func(v) { return v / k } }",  # an operator the inline path does not compute
        "func f(g) { return func(v) { return g(v) } }",  # a call
        "func f(k) { return func(v) { if v { return k }\n return 0 } }",  # a branch
        "func f(k) { return func(v) { return v + k + 0.5 } }",  # a float constant
        "func f(k) { return func(v = 1) { return v + k } }",  # a default
        "func f(k) { return func(v) { w := v + k\n return w } }",  # a local of its own
    ]
    for src in not_leaves:
        assert all(leaf_closure(c) is None for c in closures(src)), src
    # a closure that makes a closure over its parameter is none (the innermost one is)
    middle, inner = closures("func f(k) { return func(v) { return func() { return v + k } } }")
    assert middle.cell_slots and leaf_closure(middle) is None and leaf_closure(inner) is not None
    # a function with no captured variable is no leaf closure (the JIT may compile it: its calls stay counted)
    assert leaf_closure(compile_source("func g(v) { return v + 1 }", "x.ruff").chunk.constants[0]) is None


def test_at_most_max_candidates_per_argument_count() -> None:
    few = "func f(k) { return [func(v) { return v + k }, func() { return k }] }"
    assert sorted(leaves_by_arity(compile_source(few, "x.ruff").chunk.all_chunks())) == [0, 1]
    many = "func f(k) { return [" + ", ".join(["func(v) { return v + k }"] * (MAX_CANDIDATES + 1)) + "] }"
    assert leaves_by_arity(compile_source(many, "x.ruff").chunk.all_chunks()) == {}


def test_every_test_comes_before_the_store() -> None:
    (inner,) = closures("func f() { n := 0\n return func() { n := n + 1\n return n } }")
    inlined = inline_leaf(leaf_closure(inner), "f", [], "r", FakeEmitter())
    # the cell and its value are bound by the condition, the sum is checked there, and the only effect is
    # the store of the checked sum; the result is the stored value
    assert inlined.cond == ("f.__class__ is _h_Closure and f.chunk is _kLEAF and d < 50000 and "
                            "(t2 := (t1 := f.upvalues[0])[0]).__class__ is _h_int and "
                            "(r := t2 + (1)).bit_length() < 64")
    assert inlined.effects == ["t1[0] = r"]


def test_arguments_typeflow_proves_are_not_tested_and_impossible_ones_give_up() -> None:
    (inner,) = closures("func f(k) { return func(v) { return v + k } }")
    leaf = leaf_closure(inner)
    known = inline_leaf(leaf, "g", [StackEntry("(3)", "c", value=3)], "r", FakeEmitter())
    assert "(3).__class__" not in known.cond and "(t1 := g.upvalues[0][0]).__class__ is _h_int" in known.cond
    assert known.effects == []
    assert inline_leaf(leaf, "g", [StackEntry("(2.5)", "c", value=2.5)], "r", FakeEmitter()) is None
