"""The compiler: name resolution (locals, cells, upvalues, globals), control flow shapes, errors."""

from __future__ import annotations

import pytest

from ruff.frontend.bytecode import Op
from ruff.frontend.compiler import CompileError, compile_source


def chunks(src: str) -> dict:
    program = compile_source(src, "t.ruff")
    return {c.name: c for c in program.chunk.all_chunks()}


def ops(chunk) -> list[Op]:
    return [i.op for i in chunk.code]


def test_top_level_bindings_are_globals_and_function_locals_are_slots() -> None:
    cs = chunks("x := 1\nfunc f(a) { b := a + x\n return b }")
    script, f = cs["<script>"], cs["f"]
    assert Op.StoreGlobal in ops(script)
    assert f.params == ["a"] and f.local_names[:2] == ["a", "b"]
    loads = [i for i in f.code if i.op in (Op.LoadLocal, Op.LoadGlobal)]
    assert [(i.op, i.arg) for i in loads] == [(Op.LoadLocal, 0), (Op.LoadGlobal, "x"), (Op.LoadLocal, 1)]


def test_captured_local_becomes_a_cell_and_the_closure_an_upvalue() -> None:
    cs = chunks("func mk() {\n mut n := 0\n return func() { n += 1\n return n } }")
    mk, inner = cs["mk"], cs["<anonymous>"]
    assert mk.cell_slots == frozenset({0})
    assert Op.MakeCell in ops(mk) and Op.StoreDeref in ops(mk)
    assert [u.name for u in inner.upvalues] == ["n"] and inner.upvalues[0].from_parent_local
    assert Op.LoadUpvalue in ops(inner) and Op.StoreUpvalue in ops(inner)


def test_assignment_in_function_updates_a_top_level_name() -> None:
    f = chunks("count := 0\nfunc bump() { count := count + 1 }")["bump"]
    assert (Op.StoreGlobal, "count") in [(i.op, i.arg) for i in f.code]
    assert f.num_locals == 0


def test_new_name_in_function_is_a_local() -> None:
    f = chunks("func g() { fresh := 5\n return fresh }")["g"]
    assert f.local_names == ["fresh"]
    assert Op.StoreGlobal not in ops(f)


def test_while_loop_has_one_back_edge_to_its_condition() -> None:
    f = chunks("func f(n) { mut i := 0\n while i < n { i += 1 }\n return i }")["f"]
    backs = [(k, i.arg) for k, i in enumerate(f.code) if i.op is Op.JumpBack]
    assert len(backs) == 1
    k, target = backs[0]
    assert target < k and f.code[target].op is Op.LoadLocal
    exit_jump = next(i for i in f.code if i.op is Op.JumpIfFalse)
    assert exit_jump.arg == k + 1


def test_for_loop_uses_an_iterator_and_break_pops_it() -> None:
    f = chunks("func f(xs) { for x in xs { if x { break } }\n return 0 }")["f"]
    o = ops(f)
    assert Op.MakeIterator in o and Op.IteratorNext in o
    brk = o.index(Op.Jump)
    assert o[brk - 1] is Op.Pop  # the iterator leaves the stack on break


def test_logical_and_returns_booleans() -> None:
    f = chunks("func f(a, b) { return a && b }")["f"]
    assert Op.Truthy in ops(f) and Op.JumpIfFalse in ops(f)


def test_source_lines_are_recorded() -> None:
    f = chunks("func f(a) {\n\n  return a / 0\n}")["f"]
    div = next(i for i in f.code if i.op is Op.Div)
    assert div.line == 3


@pytest.mark.parametrize("src, message", [
    ("break", "break can only be used inside a loop"),
    ("continue", "continue can only be used inside a loop"),
    ("func f() { let a := 1\n let a := 2 }", "Duplicate declaration in the same scope: a"),
    ("let a := 1\nlet a := 2", "Duplicate declaration in the same scope: a"),
    ("func f(a, a) { }", "Duplicate declaration in the same scope: a"),
])
def test_semantic_errors(src: str, message: str) -> None:
    with pytest.raises(CompileError) as info:
        compile_source(src, "t.ruff")
    assert info.value.message == message
    assert info.value.line >= 1


def test_top_level_return_ends_the_script() -> None:
    script = chunks("print(1)\nreturn 2\nprint(3)")["<script>"]
    first_return = ops(script).index(Op.Return)
    assert script.code[first_return - 1].op is Op.LoadConst and script.constants[script.code[first_return - 1].arg] == 2


def test_let_reassignment_compiles_to_a_runtime_error() -> None:
    script = chunks("let a := 1\na := 2")["<script>"]
    messages = [script.constants[i.arg] for i in script.code if i.op is Op.LoadConst]
    assert "Cannot reassign immutable let binding: a" in messages
    assert Op.Throw in ops(script)


def test_struct_methods_get_self_and_bare_field_access() -> None:
    cs = chunks("struct P { x: int\n func get() { return x } }")
    get = cs["P.get"]
    assert get.params == ["self"]
    assert [(i.op, i.arg) for i in get.code[:2]] == [(Op.LoadLocal, 0), (Op.FieldGet, "x")]


# 20,000-term flat chains, as generated code writes them: (source, what the program prints).
CHAIN = 20_000
LONG_CHAINS = {
    "plus": ("print(" + " + ".join(["1"] * CHAIN) + ")", f"{CHAIN}\n"),
    "concat": ('print(len(' + " + ".join(['"a"'] * CHAIN) + "))", f"{CHAIN}\n"),
    "and": ("print(" + " && ".join(["true"] * CHAIN) + ")", "true\n"),
    "or": ("print(" + " || ".join(["false"] * CHAIN) + ")", "false\n"),
    "nullish": ("print(" + " ?? ".join(["null"] * (CHAIN - 1) + ["7"]) + ")", "7\n"),
    "pipe": ("func inc(x) { return x + 1 }\nprint(0" + " |> inc" * CHAIN + ")", f"{CHAIN}\n"),
    "pipe_call": ("func add(x, k) { return x + k }\nprint(0" + " |> add(2)" * CHAIN + ")", f"{2 * CHAIN}\n"),
    "method": ('print("a"' + ".upper()" * CHAIN + ")", "A\n"),
    "optional_field": ('s := {"b": null}\nprint(s' + "?.b" * CHAIN + ")", "null\n"),
    "field": ('s := {"b": 3}\nprint(s.b' + " + s.b" * CHAIN + ")", f"{3 * (CHAIN + 1)}\n"),
    "else_if": ("x := %d\n" % (CHAIN - 1)
                + " else ".join("if x == %d { print(%d) }" % (i, i) for i in range(CHAIN)), f"{CHAIN - 1}\n"),
}


@pytest.mark.parametrize("kind", list(LONG_CHAINS))
def test_long_flat_chains_compile_without_deep_recursion(kind: str) -> None:
    """A flat chain is not deep nesting: compiling it must not recurse once per term."""
    import sys

    from ruff.frontend.compiler import compile_program
    from ruff.frontend.parser import parse
    from ruff.runtime.values import Module
    from ruff.runtime.vm import VM

    src, expected = LONG_CHAINS[kind]
    program = parse(src, "t.ruff")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # far below the chain's length
    try:
        compiled = compile_program(program, "t.ruff")
    finally:
        sys.setrecursionlimit(limit)
    out: list[str] = []
    VM(write=out.append).run_chunk(compiled.chunk, Module("__main__", "t.ruff", src))
    assert "".join(out) == expected


# The fast tier nests each `else if` on a global one indentation level deeper in its generated Python
# (a statement reads the global before each test): past Python's 100 levels the chunk falls back to the
# interpreter, and the code generator stops rendering there (it used to render ~14 GB of source first).
FAST_TIER_ELSE_IF = 20_000


@pytest.mark.parametrize("kind", list(LONG_CHAINS))
def test_long_flat_chains_run_on_the_fast_tier(kind: str) -> None:
    """The fast tier copes too (an `else if` chain on globals nests too deep for generated Python: that
    chunk falls back to the interpreter, which must still give the answer)."""
    from ruff.runtime.bigstack import run_in_big_stack
    from ruff.runtime.fast.fastvm import FastVM
    from ruff.runtime.values import Module

    src, expected = LONG_CHAINS[kind]
    if kind == "else_if":
        n = FAST_TIER_ELSE_IF
        src = "x := %d\n" % (n - 1) + " else ".join("if x == %d { print(%d) }" % (i, i) for i in range(n))
        expected = f"{n - 1}\n"
    compiled = compile_source(src, "t.ruff")
    out: list[str] = []
    vm = FastVM(write=out.append)
    run_in_big_stack(lambda: vm.run_chunk(compiled.chunk, Module("__main__", "t.ruff", src)))
    assert "".join(out) == expected
    if kind != "else_if":
        assert vm.fallbacks == {}


def test_a_pipe_computes_the_piped_value_before_the_callee() -> None:
    """As in the reference; it also keeps a long pipe chain's operand stack two deep, not one callee per link."""
    script = chunks("x := 1 |> f |> g(2)")["<script>"]
    assert [(i.op, i.arg) for i in script.code[:8]] == [
        (Op.LoadConst, 0), (Op.LoadGlobal, "f"), (Op.Swap, None), (Op.Call, 1),
        (Op.LoadGlobal, "g"), (Op.Swap, None), (Op.LoadConst, 1), (Op.Call, 2),
    ]
