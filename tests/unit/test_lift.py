"""Unit tests of the lifter (ruff/dialects/lift.py): bytecode chunk → `ruff.func` in SSA form.

What the SSA must look like (block arguments only where a value really changes, loop-invariant values
used directly), what is refused and with which one-line reason, and that every lifted function of every
golden program verifies (and prints/parses back).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import compilable_programs
from xdsl.context import Context
from xdsl.dialects import cf
from xdsl.dialects.builtin import Builtin, ModuleOp, i1
from xdsl.ir import Block, Operation
from xdsl.parser import Parser

from ruff.dialects import ruff as R
from ruff.dialects.lift import LiftRefused, lift_chunk, lift_chunks
from ruff.frontend.bytecode import Chunk
from ruff.frontend.compiler import compile_source



# ----------------------------------------------------------------------------- helpers


def chunks_of(source: str) -> dict[str, Chunk]:
    program = compile_source(source, "<test>")
    return {c.name: c for c in program.chunk.all_chunks() if c.name != "<script>"}


def lift(source: str, name: str) -> R.FuncOp:
    """Lift the function `name` of `source`, inside a module, and check that it verifies."""
    func = lift_chunk(chunks_of(source)[name])
    ModuleOp([func]).verify()
    return func


def blocks(func: R.FuncOp) -> list[Block]:
    return list(func.body.blocks)


def ops_named(func: R.FuncOp, name: str) -> list[Operation]:
    return [op for op in func.walk() if op.name == name]


def one(func: R.FuncOp, name: str) -> Operation:
    found = ops_named(func, name)
    assert len(found) == 1, f"expected one {name}, found {len(found)} in\n{func}"
    return found[0]


def blocks_with_args(func: R.FuncOp) -> list[Block]:
    return [b for b in blocks(func)[1:] if b.args]


def header_of_loop(func: R.FuncOp) -> Block:
    """The (only) block some branch jumps back to: a successor that comes earlier in block order."""
    order = {b: i for i, b in enumerate(blocks(func))}
    headers = {s for b in blocks(func) if b.last_op is not None
               for s in b.last_op.successors if order[s] <= order[b]}
    assert len(headers) == 1, f"expected one loop header in\n{func}"
    return headers.pop()


def refusal(source: str, name: str) -> str:
    with pytest.raises(LiftRefused) as info:
        lift_chunk(chunks_of(source)[name])
    return str(info.value)


# ----------------------------------------------------------------------------- straight-line code


def test_straight_line_function_has_no_block_arguments() -> None:
    func = lift("func f(a, b) { return a + b * 2 }", "f")
    assert func.sym_name.data == "f"
    assert func.lifted_from is not None and func.lifted_from.data == "f"
    assert [p.data for p in func.param_names.data] == ["a", "b"]
    assert func.function_type.inputs.data == (R.VALUE, R.VALUE)
    assert func.function_type.outputs.data == (R.VALUE,)
    entry, body = blocks(func)
    assert isinstance(entry.last_op, cf.BranchOp) and entry.last_op.successor is body
    assert not body.args
    assert [op.name for op in body.ops] == ["ruff.constant", "ruff.frame_state", "ruff.mul", "ruff.frame_state",
                                            "ruff.add", "ruff.return"]
    mul = one(func, "ruff.mul")
    add = one(func, "ruff.add")
    a, b = func.args
    assert mul.lhs is b and add.lhs is a and add.rhs is mul.result
    # Before each op that may fail, the frame state native code would leave with: no local is read after
    # the op, so only the operand stack (a, b, 2 before `*`; a and b*2 before `+`) at the op's position.
    before_mul, before_add = (op for op in body.ops if isinstance(op, R.FrameStateOp))
    assert list(before_mul.values) == [a, b, body.first_op.results[0]] and not before_mul.slots.get_values()
    assert list(before_add.values) == [a, mul.result]
    assert before_mul.ip.value.data == mul.attributes["ip"].value.data
    assert before_add.ip.value.data == add.attributes["ip"].value.data


def test_locals_are_ssa_values_not_slots() -> None:
    func = lift("func f(a, b) { t := a; a = b; b = t; return [a, b] }", "f")
    arr = one(func, "ruff.make_array")
    assert list(arr.elements) == [func.args[1], func.args[0]]
    assert not blocks_with_args(func)


def test_falling_off_the_end_returns_null() -> None:
    func = lift("func f(x) { y := x * 2 }", "f")
    ret = one(func, "ruff.return")
    assert isinstance(ret.arguments[0].owner, R.ConstantOp) and ret.arguments[0].owner.py_value is None


def test_constants_are_boxed() -> None:
    func = lift('func f() { return [1, 2.5, "s", true, null] }', "f")
    values = [op.py_value for op in ops_named(func, "ruff.constant")]
    assert values == [1, 2.5, "s", True, None]
    assert all(op.result.type == R.VALUE for op in ops_named(func, "ruff.constant"))


# ----------------------------------------------------------------------------- branches and merges


def test_if_else_merge_has_a_block_argument_only_for_the_variable_that_differs() -> None:
    func = lift("func f(x, z) { y := 1; if x { y = 3 } return y + z }", "f")
    merged = blocks_with_args(func)
    assert len(merged) == 1 and len(merged[0].args) == 1
    add = one(func, "ruff.add")
    assert add.lhs is merged[0].args[0]
    assert add.rhs is func.args[1]  # z never changes: used directly


def test_early_return_needs_no_merge() -> None:
    func = lift("func f(x) { if x { return 1 } y := 2; return y }", "f")
    rets = ops_named(func, "ruff.return")
    assert len(rets) == 2
    assert sorted(r.arguments[0].owner.py_value for r in rets) == [1, 2]
    assert not blocks_with_args(func)
    cond = one(func, "cf.cond_br")
    assert isinstance(cond.cond.owner, R.TruthyOp) and cond.cond.owner.operand is func.args[0]


def test_and_merges_a_boxed_truthiness_with_constant_false() -> None:
    func = lift("func f(a, b) { return a && b }", "f")
    merge, = blocks_with_args(func)
    assert len(merge.args) == 1
    incoming = _incoming(func, merge, 0)
    kinds = sorted(type(v.owner).__name__ for v in incoming)
    assert kinds == ["BoxOp", "ConstantOp"]
    const = next(v.owner for v in incoming if isinstance(v.owner, R.ConstantOp))
    assert const.py_value is False
    box = next(v.owner for v in incoming if isinstance(v.owner, R.BoxOp))
    assert box.input.type == i1 and box.input.owner.operand is func.args[1]
    ret = one(func, "ruff.return")
    assert ret.arguments[0] is merge.args[0]


def test_or_merges_with_constant_true() -> None:
    func = lift("func f(a, b) { return a || b }", "f")
    merge, = blocks_with_args(func)
    consts = [v.owner.py_value for v in _incoming(func, merge, 0) if isinstance(v.owner, R.ConstantOp)]
    assert consts == [True]


def test_null_coalescing_passes_the_left_value_through() -> None:
    func = lift("func f(a, b) { return a ?? b }", "f")
    isnull = one(func, "ruff.is_null")
    assert isnull.operand is func.args[0]
    merge, = blocks_with_args(func)
    assert len(merge.args) == 1
    assert set(_incoming(func, merge, 0)) == {func.args[0], func.args[1]}


def test_optional_method_call() -> None:
    func = lift("func f(p) { return p?.size() }", "f")
    one(func, "ruff.is_null")
    call = one(func, "ruff.call_method")
    assert call.method.data == "size" and call.receiver is func.args[0]
    merge, = blocks_with_args(func)
    assert set(_incoming(func, merge, 0)) >= {call.result}


def _incoming(func: R.FuncOp, block: Block, index: int) -> list:
    """The values every branch passes as argument `index` of `block`."""
    out = []
    for b in blocks(func):
        term = b.last_op
        if isinstance(term, cf.BranchOp) and term.successor is block:
            out.append(term.arguments[index])
        elif isinstance(term, cf.ConditionalBranchOp):
            if term.then_block is block:
                out.append(term.then_arguments[index])
            if term.else_block is block:
                out.append(term.else_arguments[index])
    return out


# ----------------------------------------------------------------------------- loops


def test_loop_header_has_arguments_only_for_values_that_change() -> None:
    func = lift("func f(n, k) { s := 0; i := 0; while i < n { s += k; i += 1 } return s }", "f")
    header = header_of_loop(func)
    assert len(header.args) == 2  # s and i; n and k are loop-invariant
    assert blocks_with_args(func) == [header]
    n, k = func.args
    lt = one(func, "ruff.lt")
    assert lt.rhs is n and lt.lhs in header.args
    adds = ops_named(func, "ruff.add")
    assert any(a.rhs is k and a.lhs in header.args for a in adds)
    ret = one(func, "ruff.return")
    assert ret.arguments[0] in header.args


def test_loop_invariant_local_is_not_a_block_argument() -> None:
    func = lift("func f(n) { k := 7; i := 0; while i < n { i += 1 } return k }", "f")
    header = header_of_loop(func)
    assert len(header.args) == 1
    ret = one(func, "ruff.return")
    assert isinstance(ret.arguments[0].owner, R.ConstantOp) and ret.arguments[0].owner.py_value == 7


def test_function_that_starts_with_a_loop() -> None:
    func = lift("func f(n) { while n > 0 { n -= 1 } return n }", "f")
    entry = blocks(func)[0]
    header = header_of_loop(func)
    assert isinstance(entry.last_op, cf.BranchOp) and entry.last_op.successor is header
    assert list(entry.last_op.arguments) == [func.args[0]]
    assert len(header.args) == 1


def test_nested_loops() -> None:
    src = "func f(n) { t := 0; i := 0; while i < n { j := 0; while j < i { t += j; j += 1 } i += 1 } return t }"
    func = lift(src, "f")
    with_args = blocks_with_args(func)
    assert [len(b.args) for b in with_args] == [2, 2]  # outer: t, i   inner: t, j
    outer, inner = with_args
    lts = ops_named(func, "ruff.lt")
    assert {lt.parent_block() for lt in lts} == {outer, inner}
    inner_lt = next(lt for lt in lts if lt.parent_block() is inner)
    assert inner_lt.rhs in outer.args  # the inner bound is the outer loop's i, unchanged inside
    # the inner loop's exit goes on with the outer loop (back edge to the outer header)
    assert any(isinstance(b.last_op, cf.BranchOp) and b.last_op.successor is outer
               for b in blocks(func) if b not in (blocks(func)[0], outer))


def test_for_in_loop_keeps_the_iterator_out_of_the_block_arguments() -> None:
    func = lift("func f(xs) { s := 0; for x in xs { s += x } return s }", "f")
    make = one(func, "ruff.make_iterator")
    nxt = one(func, "ruff.iterator_next")
    assert make.iterable is func.args[0]
    assert nxt.iterator is make.result  # loop-invariant: no block argument
    header = header_of_loop(func)
    assert nxt.parent_block() is header and len(header.args) == 1
    cond = header.last_op
    assert isinstance(cond, cf.ConditionalBranchOp) and cond.cond is nxt.has_value
    add = one(func, "ruff.add")
    assert add.rhs is nxt.value


def test_break_and_continue() -> None:
    src = """func f(xs) {
        c := 0
        for x in xs {
            if x == 0 { continue }
            if x < 0 { break }
            c += 1
        }
        return c
    }"""
    func = lift(src, "f")
    header = header_of_loop(func)
    assert len(header.args) == 1
    # c comes to the header from the entry, from `continue` (unchanged) and from the end of the body
    incoming = _incoming(func, header, 0)
    assert len(incoming) == 3 and incoming.count(header.args[0]) == 1
    # the loop exit (iterator exhausted) and `break` both carry the header's c: no merge needed
    ret = one(func, "ruff.return")
    assert ret.arguments[0] is header.args[0]
    assert blocks_with_args(func) == [header]


# ----------------------------------------------------------------------------- match, structs, closures


def test_match_pattern_results_and_constant_reference() -> None:
    src = "func f(v) { match v { case [a, b]: { return a + b } case 0: { return 1 } case _: { return 2 } } }"
    chunk = chunks_of(src)["f"]
    func = lift_chunk(chunk)
    ModuleOp([func]).verify()
    matches = ops_named(func, "ruff.match_pattern")
    assert [len(m.bindings) for m in matches] == [2, 0, 0]
    first = matches[0]
    assert first.ok.type == i1 and first.subject is func.args[0]
    pattern = chunk.constants[first.pattern.value.data]
    assert pattern.kind == "array"
    add = one(func, "ruff.add")
    assert (add.lhs, add.rhs) == tuple(first.bindings)
    assert all(m.subject is func.args[0] for m in matches)  # the hidden subject local needs no phi


def test_struct_ops() -> None:
    src = """struct P { x: int, y: int = 2 }
    func f(a) { p := P { x: a }; p.x = p.x + 1; return p }"""
    func = lift(src, "f")
    make = one(func, "ruff.make_struct")
    assert [f.data for f in make.fields.data] == ["x"]
    assert isinstance(make.struct_type.owner, R.LoadGlobalOp)
    assert one(func, "ruff.field_set").field.data == "x"
    assert one(func, "ruff.field_get").field.data == "x"


def test_closure_without_captures_and_upvalue_reads() -> None:
    src = "func outer(x) { func sq(y) { return y * y } return sq(x) }\nfunc adder(n) { return func(x) { return x + n } }"
    chunks = chunks_of(src)
    outer = lift_chunk(chunks["outer"])
    make = one(outer, "ruff.make_closure")
    assert chunks["outer"].constants[make.chunk.value.data] is chunks["sq"]
    assert not make.captures
    inner = lift_chunk(next(c for c in chunks.values() if c.upvalues))
    ModuleOp([inner]).verify()
    assert one(inner, "ruff.load_upvalue").index.value.data == 0


# ----------------------------------------------------------------------------- refusals

REFUSALS = {
    "generator": ("func* gen(n) { i := 0; while i < n { yield i; i += 1 } }", "gen",
                  "gen: not lifted: is a generator (yield)"),
    "try": ("func g(x) { try { return 1 / x } except e { return 0 } }", "g", "g: not lifted: uses try/except"),
    "cells": ("func counter() { c := 0; return func() { c += 1; return c } }", "counter",
              "counter: not lifted: has variables captured by a closure (cells)"),
    "store_upvalue": ("func counter() { c := 0; return func() { c += 1; return c } }", "<anonymous>",
                      "<anonymous>: not lifted: assigns a captured variable of an enclosing function"),
    "read_only_capture": ("func adder(n) { return func(x) { return x + n } }", "adder",
                          "adder: not lifted: has variables captured by a closure (cells)"),
    "closure_defaults": ("func mk() { return func(a, b = 1) { return a + b } }", "mk",
                         "mk: not lifted: creates a closure with captures or defaults"),
    "try_operator": ("func u(r) { v := r?; return v }", "u", "u: not lifted: uses the ? operator"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_have_a_one_line_reason(case: str) -> None:
    source, name, expected = REFUSALS[case]
    message = refusal(source, name)
    assert message == expected
    assert "\n" not in message


def test_lift_chunks_collects_refusals_and_keeps_going() -> None:
    src = "func* gen() { yield 1 }\nfunc ok(x) { return x }\nstruct P { x: int, func get(self) { return self.x } }"
    program = compile_source(src, "<test>")
    result = lift_chunks(program.chunk.all_chunks())
    assert result.refusals == ["gen: not lifted: is a generator (yield)"]
    assert sorted(f.sym_name.data for f in result.module.ops) == ["P.get", "ok"]
    result.module.verify()
    by_chunk = {c.name: result.symbols.get(id(c)) for c in program.chunk.all_chunks()}
    assert by_chunk["ok"] == "ok" and by_chunk["gen"] is None and by_chunk["<script>"] is None


def test_symbols_are_unique() -> None:
    src = "func a() { return func() { return 1 } }\nfunc b() { return func() { return 2 } }"
    result = lift_chunks(compile_source(src, "<test>").chunk.all_chunks())
    names = [f.sym_name.data for f in result.module.ops]
    assert len(names) == len(set(names)) == 4
    result.module.verify()


def test_throw_ends_its_block() -> None:
    func = lift('func f(x) { if x > 1 { throw("big") } return x }', "f")
    throw = one(func, "ruff.throw")
    assert throw.parent_block().last_op is throw


# ----------------------------------------------------------------------------- every golden program


def _context() -> Context:
    ctx = Context()
    for dialect in (Builtin, cf.Cf, R.Ruff):
        ctx.load_dialect(dialect)
    return ctx


@pytest.mark.parametrize("path", compilable_programs(), ids=lambda p: p.stem)
def test_golden_program_lifted_functions_verify(path: Path) -> None:
    program = compile_source(path.read_text(encoding="utf-8"), str(path))
    result = lift_chunks(program.chunk.all_chunks())
    for func in result.module.ops:
        assert isinstance(func, R.FuncOp)
        ModuleOp([func.clone()]).verify()
    result.module.verify()
    # and what is printed parses back to the same text
    text = str(result.module)
    assert str(Parser(_context(), text).parse_module()) == text
    for reason in result.refusals:
        assert "\n" not in reason and ": not lifted: " in reason
