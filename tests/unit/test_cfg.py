"""ruff/frontend/cfg.py: the one home of the bytecode's control flow, and every consumer's opcode decisions.

Every opcode must have a stack effect, and every consumer of bytecode (the lifter, the fast tier's code
generator and typeflow, on-stack replacement) must say what it does with each one, so a new opcode
cannot be forgotten anywhere. The block-level analyses are checked against a plain per-instruction
fixpoint on every golden program.
"""

from __future__ import annotations

import random
import textwrap
from typing import Optional

import pytest
from corpus import compilable_programs

from ruff import osr
from ruff.dialects import lift
from ruff.frontend import cfg
from ruff.frontend.bytecode import Chunk, Instr, MatchPat, Op, StructInfo
from ruff.frontend.cfg import BadBytecode, ControlFlow, Liveness
from ruff.frontend.compiler import compile_source
from ruff.runtime.fast import codegen, statements, typeflow
from ruff.runtime.fast.pvector import VectorShape

ALL_OPS = frozenset(Op)


def chunks() -> list[Chunk]:
    out = []
    for p in compilable_programs():
        out.extend(compile_source(p.read_text(encoding="utf-8"), str(p)).chunk.all_chunks())
    return out


CHUNKS = chunks()


def chunk_of(src: str, name: str = "f") -> Chunk:
    found = [c for c in compile_source(textwrap.dedent(src), "t.ruff").chunk.all_chunks() if c.name == name]
    assert len(found) == 1
    return found[0]


def handmade(code: list[Instr], consts: Optional[list] = None, num_locals: int = 0) -> Chunk:
    c = Chunk(name="h", params=[])
    c.code = code
    c.constants = consts or []
    c.num_locals = num_locals
    return c


# ----------------------------------------------------------------------------- every opcode decided


def test_every_opcode_has_one_stack_effect() -> None:
    assert not cfg.FIXED.keys() & cfg.VARIABLE
    assert cfg.FIXED.keys() | cfg.VARIABLE == ALL_OPS
    sub = Chunk(name="g", params=["a", "b"], param_defaults=[False, True])
    consts = [sub, StructInfo("P", ("x", "y"), (True, False), ("m",)), MatchPat("array", None,
              (MatchPat("bind", "a"), MatchPat("wild")), "rest")]
    args = {Op.Call: 2, Op.CallMethod: ("m", 2), Op.MakeClosure: 0, Op.MakeArray: 3, Op.BuildString: 3,
            Op.MakeDict: 2, Op.MakeStructDef: 1, Op.MakeStruct: ("x", "y"), Op.ImportFrom: ("m", ("a", "b")),
            Op.MatchPattern: 2}
    expected = {Op.Call: (3, 1), Op.CallMethod: (3, 1), Op.MakeClosure: (1, 1), Op.MakeArray: (3, 1),
                Op.BuildString: (3, 1), Op.MakeDict: (4, 1), Op.MakeStructDef: (2, 1), Op.MakeStruct: (3, 1),
                Op.ImportFrom: (0, 2), Op.MatchPattern: (1, 3)}
    assert args.keys() == cfg.VARIABLE
    for op in cfg.VARIABLE:
        assert cfg.stack_effect(Instr(op, args[op]), consts) == expected[op], op
    for op, effect in cfg.FIXED.items():
        assert cfg.stack_effect(Instr(op, 0), consts) == effect


def partition(*groups: frozenset) -> None:
    """The groups are disjoint and together hold every opcode."""
    seen: set = set()
    for g in groups:
        assert not seen & g, sorted(o.name for o in seen & g)
        seen |= g
    missing = ALL_OPS - seen
    assert not missing, f"no decision for {sorted(o.name for o in missing)}"


def test_the_lifter_decides_every_opcode() -> None:
    partition(lift.LIFTED, frozenset(lift.REFUSED))
    # A frame state is recorded before the instructions native code may leave at: lifted ones only.
    assert lift.STATEFUL <= lift.LIFTED


def test_the_fast_tier_translates_every_opcode() -> None:
    partition(codegen.BRANCHES, codegen.COMPARISONS, statements.STATEMENTS)


def test_typeflow_decides_every_opcode() -> None:
    partition(typeflow.TRANSFERRED, typeflow.GENERIC)
    # Generic opcodes may not branch or store a tracked local: their facts would be wrong.
    assert not typeflow.GENERIC & (cfg.ENDS_BLOCK | {Op.StoreLocal, Op.MakeCell})


def test_osr_decides_every_opcode() -> None:
    partition(osr.UNSUPPORTED, osr.VARIABLES, osr.RETARGETED, osr.COPIED)


def test_control_flow_classes() -> None:
    assert cfg.CONDITIONAL <= cfg.JUMPS <= cfg.ENDS_BLOCK
    assert cfg.NO_FALLTHROUGH <= cfg.ENDS_BLOCK
    assert cfg.LOCAL_READS.isdisjoint(cfg.LOCAL_WRITES)
    for op in ALL_OPS:
        code = [Instr(op, 0), Instr(Op.Return)]
        kinds = {s.kind for s in cfg.successors(code, 0)}
        assert (cfg.FALL not in kinds) == (op in cfg.NO_FALLTHROUGH), op
        assert (kinds - {cfg.FALL} != set()) == (op in cfg.JUMPS), op


# ----------------------------------------------------------------------------- against a per-instruction fixpoint


def naive_flow(chunk: Chunk) -> tuple[list, list]:
    """Stack depth and handler stack before every instruction, one instruction at a time."""
    code, consts = chunk.code, chunk.constants
    n = len(code)
    depth: list = [None] * n
    handlers: list = [None] * n
    depth[0], handlers[0] = 0, ()
    work = [0]
    while work:
        i = work.pop()
        d, hs = depth[i], handlers[i]
        ins = code[i]
        if ins.op is Op.MatchPattern:
            k = cfg.match_bindings(ins, consts)
            test = code[i + 1]
            ok = i + 2 if test.op is Op.JumpIfFalse else test.arg
            fail = test.arg if test.op is Op.JumpIfFalse else i + 2
            pairs = [(i + 1, d + k, hs), (ok, d - 1 + k, hs), (fail, d - 1, hs)]
        elif ins.op is Op.BeginTry:
            pairs = [(i + 1, d, hs + ((ins.arg, d),)), (ins.arg, d + 1, hs)]
        elif ins.op is Op.EndTry:
            pairs = [(i + 1, d, hs[:-1])]
        elif i > 0 and code[i - 1].op is Op.MatchPattern:
            continue  # the test after a MatchPattern: its edges were sent from the MatchPattern
        else:
            pairs = [(s.target, cfg.branch_depth(ins, consts, d, s.kind), hs) for s in cfg.successors(code, i)]
        for t, td, th in pairs:
            if depth[t] is None:
                depth[t], handlers[t] = td, th
                work.append(t)
            else:
                assert (depth[t], handlers[t]) == (td, th)
    return depth, handlers


def naive_liveness(chunk: Chunk, handlers: list) -> list:
    code, n = chunk.code, len(chunk.code)
    succs = []
    for i in range(n):
        if handlers[i] is None:
            succs.append([])
            continue
        out = [i + 1] if code[i].op is Op.MatchPattern else [s.target for s in cfg.successors(code, i)]
        if handlers[i]:
            out.append(handlers[i][-1][0])
        succs.append(out)
    live: list = [frozenset()] * n
    changed = True
    while changed:
        changed = False
        for i in reversed(range(n)):
            if handlers[i] is None:
                continue
            out: set = set()
            for t in succs[i]:
                out |= live[t]
            read, written = cfg.local_effect(code[i])
            out.discard(written)
            if read is not None:
                out.add(read)
            if out != live[i]:
                live[i] = frozenset(out)
                changed = True
    return live


def test_depths_handlers_and_liveness_match_a_per_instruction_fixpoint() -> None:
    checked = 0
    for c in CHUNKS:
        depth, handlers = naive_flow(c)
        live = naive_liveness(c, handlers)
        flow = ControlFlow(c)
        liveness = Liveness(flow)
        for i in range(len(c.code)):
            assert flow.state_at(i) == (depth[i], handlers[i]), (c.name, i)
            if depth[i] is not None:
                assert liveness.at(i) == live[i], (c.name, i)
                checked += 1
        for b in flow.reachable:  # the lifter's per-block walk says the same
            assert liveness.within(b) == [live[i] for i in range(b.start, b.end)], (c.name, b.start)
    assert checked > 10_000


def test_blocks_cover_the_chunk_and_order_is_a_reverse_postorder() -> None:
    for c in CHUNKS:
        flow = ControlFlow(c)
        assert flow.blocks[0].start == 0 and flow.blocks[-1].end == len(c.code)
        for a, b in zip(flow.blocks, flow.blocks[1:]):
            assert a.end == b.start
        assert flow.order[0] is flow.blocks[0]
        assert {id(b) for b in flow.order} == {id(b) for b in flow.reachable}
        for b in flow.order:
            for e in b.succ:
                assert e.back == (e.dst.rpo <= b.rpo)  # forward edges go forward in the order
                if e.back:
                    assert flow.dominates(e.dst, b) and e.dst.is_header


def test_nested_loops() -> None:
    c = chunk_of("""
    func f(n) {
        t := 0
        i := 0
        while i < n {
            for j in range(i) {
                if j == 3 { continue }
                t := t + j
            }
            i := i + 1
        }
        return t
    }
    """)
    flow = ControlFlow(c)
    headers = [b for b in flow.order if b.is_header]
    assert len(headers) == 2
    outer, inner = sorted(headers, key=lambda b: b.start)
    assert inner.parent_loop is outer and outer.parent_loop is None
    assert c.code[inner.start].op is Op.IteratorNext
    assert flow.loop_bodies[inner] < flow.loop_bodies[outer]
    # `continue` jumps back too; the last back-edge is the one that closes the loop's code.
    back = [e.src.end - 1 for e in inner.pred if e.back]
    assert len(back) == 2 and ControlFlow.last_back_edge(inner) == max(back)
    assert osr.loop_end(c, min(back)) == max(back)
    ret = next(i for i, ins in enumerate(c.code) if ins.op is Op.Return)
    assert c.code[ret - 1].op is Op.LoadLocal
    assert Liveness(flow).at(ret - 1) == {c.local_names.index("t")}
    assert Liveness(flow).at(ret) == set()


def test_a_try_handler_keeps_what_it_reads_alive() -> None:
    c = chunk_of("""
    func f(x) {
        y := 1
        try {
            x := x + 1
            y := 2
        } except e {
            return y
        }
        return x
    }
    """)
    flow = ControlFlow(c)
    live = Liveness(flow)
    y = c.local_names.index("y")
    inside = next(i for i, ins in enumerate(c.code) if ins.op is Op.Add)
    assert y in live.at(inside)  # the handler may still read the old y
    assert any(b.handlers for b in flow.reachable)


def test_loop_exit_live() -> None:
    c = chunk_of("""
    func f(n) {
        i := 0
        dead := 0
        while i < n {
            dead := dead + i
            i := i + 1
        }
        return i
    }
    """)
    back = next(i for i, ins in enumerate(c.code) if ins.op is Op.JumpBack)
    header = c.code[back].arg
    assert cfg.loop_exit_live(c, header, back + 1) == {c.local_names.index("i")}


@pytest.mark.parametrize("code, consts, message", [
    ([], [], "empty chunk"),
    ([Instr(Op.Jump, 7)], [], "bad jump target"),
    ([Instr(Op.LoadConst, 0)], [None], "falls off the end"),
    ([Instr(Op.Pop), Instr(Op.LoadConst, 0), Instr(Op.Return)], [None], "underflow"),
    ([Instr(Op.LoadConst, 0), Instr(Op.JumpIfFalse, 3), Instr(Op.LoadConst, 0), Instr(Op.LoadConst, 0),
      Instr(Op.Return)], [None], "inconsistent stack"),
    ([Instr(Op.EndTry), Instr(Op.LoadConst, 0), Instr(Op.Return)], [None], "EndTry outside"),
    ([Instr(Op.LoadConst, 0), Instr(Op.MatchPattern, 1), Instr(Op.Return)], [None, MatchPat("wild")],
     "not followed by a conditional jump"),
    # two blocks jumping into each other, each entered from the start
    ([Instr(Op.LoadConst, 0), Instr(Op.JumpIfFalse, 4), Instr(Op.Nop), Instr(Op.Jump, 4), Instr(Op.Nop),
      Instr(Op.JumpBack, 2)], [True], "irreducible"),
])
def test_bad_bytecode(code: list, consts: list, message: str) -> None:
    with pytest.raises(BadBytecode, match=message):
        ControlFlow(handmade(code, consts))


def test_consumers_refuse_bad_bytecode_without_a_traceback() -> None:
    bad = handmade([Instr(Op.LoadConst, 0), Instr(Op.JumpIfFalse, 9)], [None])
    with pytest.raises(codegen.Unsupported):
        codegen.generate(bad)
    with pytest.raises(lift.LiftRefused, match="not lifted: bad jump target"):
        lift.lift_chunk(bad)


# ----------------------------------------------------------------------------- persistent vectors


@pytest.mark.parametrize("n, bits", [(0, 5), (1, 5), (31, 5), (32, 5), (33, 5), (2000, 5), (37, 1), (100, 2)])
def test_persistent_vector_behaves_like_a_list(n: int, bits: int) -> None:
    rng = random.Random(n * 31 + bits)
    shape = VectorShape(n, bits)
    model = list(range(n))
    v = shape.make(model)
    versions = [(v, list(model))]
    for _ in range(200 if n else 0):
        i = rng.randrange(n)
        x = rng.randrange(1000)
        if rng.random() < 0.2:
            changes = [(rng.randrange(n), rng.randrange(1000)) for _ in range(3)]
            v = shape.update(v, changes)
            for j, y in changes:
                model[j] = y
        else:
            v = shape.set(v, i, x)
            model[i] = x
        versions.append((v, list(model)))
    for v, m in versions:  # old versions are unchanged
        assert shape.items(v) == m
        assert [shape.get(v, i) for i in range(n)] == m
    for (a, ma), (b, mb) in zip(versions, versions[5:]):
        assert shape.diff(a, b) == [i for i in range(n) if ma[i] is not mb[i]]


def test_persistent_vector_shares_what_did_not_change() -> None:
    shape = VectorShape(5000)
    v = shape.make([None] * 5000)
    w = shape.set(v, 4321, 1)
    assert sum(1 for x, y in zip(v, w) if x is not y) == 1  # one top-level node copied
    assert shape.diff(v, w) == [4321]


def test_typeflow_facts_do_not_depend_on_the_shape_of_its_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tree-shaped locals (2 wide) give exactly the facts of flat tuples, on every golden chunk."""
    sample = [c for c in CHUNKS if len(c.code) < 400][::2]

    def facts(c: Chunk) -> tuple:
        try:
            f = typeflow.infer(c)
        except BadBytecode:
            return ()
        return tuple((f.stack(i), tuple(f.local(i, s) for s in range(c.num_locals)), f.no_overflow(i))
                     for i in range(len(c.code)))

    flat = [facts(c) for c in sample]
    monkeypatch.setattr(typeflow, "VectorShape", lambda n: VectorShape(n, bits=1))
    assert [facts(c) for c in sample] == flat
    assert sum(len(f) for f in flat) > 5_000
