"""Which closures the fast tier keeps virtual (ruff/runtime/fast/virtual_closures.py), and the code it
generates for them: no closure built on the path where the factories are the ones compiled against,
the closure built before any use the in-place call does not cover."""

from __future__ import annotations

from ruff.frontend.compiler import compile_source
from ruff.runtime.fast import codegen
from ruff.runtime.fast.factories import closure_factory
from ruff.runtime.fast.leaf_closures import leaves_by_arity
from ruff.runtime.fast.virtual_closures import callee_only, keeps_virtual

FACTORIES = """
func make_adder(k) { return func(v) { return v + k } }
func compose(f, g) { return func(v) { return g(f(v)) } }
"""


def chunks(src: str) -> dict:
    out = {}
    for c in compile_source(src, "x.ruff").chunk.all_chunks():
        out.setdefault(c.name, []).append(c)
    return out


def inner_of(src: str) -> object:
    (inner,) = chunks(src)["<anonymous>"]
    return inner


def test_closures_kept_virtual() -> None:
    kept = [
        "func f(k) { return func(v) { return v + k } }",  # a leaf
        "func f(f, g) { return func(v) { return g(f(v)) } }",  # a call tree
        "func f(f) { return func(a, b) { return f(a, f(b, 1)) } }",
    ]
    for src in kept:
        assert keeps_virtual(inner_of(src)), src
    not_kept = [
        "func f() { n := 0\n return func() { n := n + 1\n return n } }",  # stores into its cell
        "func f(g) { return func(v) { return g(v) / 2 } }",  # an operator over a call
        "func f(g) { return func(v) { if v { return g(v) }\n return 0 } }",  # a branch
        "func f(g) { return func(v) { print(v)\n return g(v) } }",  # a global read (a call of print)
    ]
    for src in not_kept:
        assert not any(keeps_virtual(c) for c in chunks(src)["<anonymous>"]), src
    # a closure that makes a closure is not kept (the closure it makes, a leaf, is)
    middle, innermost = sorted(chunks("func f(k) { return func(v) { return func() { return k } } }")["<anonymous>"],
                               key=lambda c: len(c.params), reverse=True)
    assert not keeps_virtual(middle) and keeps_virtual(innermost)


def test_callee_only() -> None:
    inner = inner_of("func f(f, g) { return func(v) { return g(f(v)) } }")
    assert callee_only(inner, 0) and callee_only(inner, 1)
    inner = inner_of("func f(f, g) { return func(v) { return g(f) } }")  # f passed on: it would be seen
    ups = {u.index: j for j, u in enumerate(inner.upvalues)}
    assert callee_only(inner, ups[1]) and not callee_only(inner, ups[0])
    inner = inner_of("func f(f) { return func() { return f } }")  # returned
    assert not callee_only(inner, 0)


def generated(src: str, name: str) -> str:
    program = compile_source(src, "x.ruff")
    everything = list(program.chunk.all_chunks())
    factories = {}
    for c in everything:
        factory = closure_factory(c)
        if factory is not None:
            factories[c.name] = factory
    (chunk,) = [c for c in everything if c.name == name]
    return codegen.generate(chunk, factories=factories, leaves=leaves_by_arity(everything)).source


LOOP = FACTORIES + """
func run(n, second) {
    total := 0
    i := 0
    while i < n {
        add_i := make_adder(i % 100)
        both := compose(add_i, second)
        total := total + both(i)
        i := i + 1
    }
    return total
}
"""


def test_composed_closures_are_not_built_in_the_loop() -> None:
    src = generated(LOOP, "run")
    # The factories' in-place path leaves the sentinel; the call of `both` is computed in place behind the
    # test of it; the closures are built (with their captured closure) only where the call falls back.
    assert "= _h_VC" in src
    call = [line for line in src.splitlines() if " is _h_VC and d < 49999 and " in line]
    assert call and all(".chunk is " in line for line in call)  # the second function is tested at run time
    fallback = src.split(call[0], 1)[1].split("else:", 1)[1]
    assert fallback.lstrip().startswith("if l") and "_h_Closure()" in fallback.split("\n", 3)[2]


def test_a_virtual_closure_used_as_a_value_is_built_first() -> None:
    src = generated(FACTORIES + """
func keep(xs, n) {
    i := 0
    while i < n {
        add := make_adder(i)
        xs := push(xs, add)
        i := i + 1
    }
    return xs
}
""", "keep")
    lines = src.splitlines()
    k = next(n for n, line in enumerate(lines) if "push" in line)
    before = "\n".join(lines[:k])
    assert "if l" in before and "is _h_VC:" in before.split("= _h_VC", 1)[1]


def test_live_after_the_block_is_built() -> None:
    src = generated(FACTORIES + """
func last(n) {
    add := null
    i := 0
    while i < n {
        add := make_adder(i)
        i := i + 1
    }
    return add
}
""", "last")
    body = src.split("while", 1)[1]
    assert "= _h_VC" in body and "_h_Closure()" in body.split("= _h_VC", 1)[1].split("continue", 1)[0]
