"""Which functions the fast tier takes for closure factories (ruff/runtime/fast/factories.py)."""

from __future__ import annotations

from ruff.frontend.compiler import compile_source
from ruff.runtime.fast.factories import closure_factory


def chunk_named(src: str, name: str):
    return next(c for c in compile_source(src, "x.ruff").chunk.all_chunks() if c.name == name)


def test_a_function_returning_a_closure_over_its_parameters_is_a_factory() -> None:
    src = "func compose(f, g) { return func(v) { return g(f(v)) } }"
    chunk = chunk_named(src, "compose")
    factory = closure_factory(chunk)
    assert factory is not None
    assert factory.chunk is chunk
    assert factory.inner.name == "<anonymous>"
    # the inner function's upvalues in its own order: g (parameter 1), then f (parameter 0)
    assert [u.name for u in factory.inner.upvalues] == ["g", "f"]
    assert factory.captured == (1, 0)


def test_a_parameter_not_captured_is_no_cell() -> None:
    factory = closure_factory(chunk_named("func k(a, b) { return func() { return b } }", "k"))
    assert factory is not None and factory.captured == (1,)


def test_other_shapes_are_not_factories() -> None:
    not_factories = {
        "f1": "func f1(k) { x := k + 1\n return func() { return x } }",  # work before the closure
        "f2": "func f2(k) { print(k)\n return func() { return k } }",  # a call before it
        "f3": "func f3(k = 1) { return func() { return k } }",  # a parameter default
        "f4": "func f4(k) { return func(v = 2) { return v + k } }",  # the closure has a default
        "f5": "func f5() { n := 0\n return func() { return n } }",  # captures a local, not a parameter
        "f6": "func* f6(k) { yield func() { return k } }",  # a generator
        "f7": "func f7(k) { return k }",  # no closure
    }
    for name, src in not_factories.items():
        assert closure_factory(chunk_named(src, name)) is None, name


def test_a_closure_inside_a_closure_is_no_factory_of_the_outer_cells() -> None:
    src = "func outer(a) { return func(b) { return func() { return a + b } } }"
    # outer: returns a closure over a → a factory; the middle function captures its own upvalue `a`
    # for the innermost one, which a fresh cell would not share.
    assert closure_factory(chunk_named(src, "outer")) is not None
    middle = [c for c in compile_source(src, "x.ruff").chunk.all_chunks() if c.name == "<anonymous>"][0]
    assert middle.upvalues and closure_factory(middle) is None
