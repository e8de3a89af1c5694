"""The control flow of a bytecode chunk: the one place that knows how each opcode moves the stack and ip.

Everything that reasons about bytecode positions uses this module: the fast tier's code generator and its
type-flow analysis, the lifter to SSA, on-stack replacement and deoptimization. It answers:

- `stack_effect(ins, consts)`: (values popped, values pushed) of an instruction on its fall-through path;
  `branch_effect` gives the depth change on a taken branch where it differs (IteratorNext's exit pops
  the iterator, JumpIfNotNull keeps its value, a handler receives the error).
- `successors(code, i)`: where control goes after instruction i, as `Succ(target, kind)`: "fall", "jump",
  "exit" (an iterator is exhausted), "handler" (a try region's handler, from BeginTry).
- `Flow(chunk)`: for every instruction its stack depth and its try-handler stack on entry (None where the
  instruction is unreachable), checked for consistency at every merge.
- `live_locals(chunk)`: for every instruction, the local slots whose current value some later instruction
  may read (exceptional edges into handlers included), as a frozenset.

Adding an opcode: give it a stack effect here (FIXED, or a case in `stack_effect`), a control-flow kind
(`ENDS_BLOCK`, `CONDITIONAL`, …) if it branches, and a locals effect in `_LOCAL_READS`/`_LOCAL_WRITES` if it
touches a slot. tests/unit/test_cfg.py checks that every opcode has a stack effect and a decision in
each consumer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ruff.frontend.bytecode import Chunk, Instr, Op, StructInfo, pattern_binding_names


class BadBytecode(Exception):
    """The chunk's control flow is not what the compiler produces (inconsistent stack, bad target)."""


# ----------------------------------------------------------------------------- stack effects

FIXED: dict[Op, tuple[int, int]] = {
    Op.LoadConst: (0, 1), Op.Pop: (1, 0), Op.Dup: (1, 2), Op.Swap: (2, 2),
    Op.LoadLocal: (0, 1), Op.StoreLocal: (1, 0), Op.MakeCell: (0, 0), Op.LoadDeref: (0, 1),
    Op.StoreDeref: (1, 0), Op.LoadUpvalue: (0, 1), Op.StoreUpvalue: (1, 0), Op.LoadGlobal: (0, 1),
    Op.StoreGlobal: (1, 0), Op.DefineGlobal: (1, 0),
    Op.Add: (2, 1), Op.Sub: (2, 1), Op.Mul: (2, 1), Op.Div: (2, 1), Op.Mod: (2, 1),
    Op.Negate: (1, 1), Op.Not: (1, 1), Op.Truthy: (1, 1),
    Op.Equal: (2, 1), Op.NotEqual: (2, 1), Op.LessThan: (2, 1), Op.GreaterThan: (2, 1),
    Op.LessEqual: (2, 1), Op.GreaterEqual: (2, 1),
    Op.Jump: (0, 0), Op.JumpBack: (0, 0), Op.JumpIfFalse: (1, 0), Op.JumpIfTrue: (1, 0),
    Op.JumpIfNotNull: (1, 0),  # falls through with v popped; the jump keeps it (branch_effect)
    Op.CallSpread: (2, 1), Op.Return: (1, 0),
    Op.SpreadArray: (2, 1), Op.ArrayPush: (2, 1), Op.SpreadDict: (2, 1), Op.DictInsert: (3, 1),
    Op.IndexGet: (2, 1), Op.IndexSet: (3, 0), Op.FieldGet: (1, 1), Op.FieldGetOpt: (1, 1), Op.FieldSet: (2, 0),
    Op.MakeEnumDef: (0, 1), Op.MakeOk: (1, 1), Op.MakeErr: (1, 1), Op.MakeSome: (1, 1), Op.MakeNone: (0, 1),
    Op.TryUnwrap: (1, 1), Op.MakeIterator: (1, 1),
    Op.IteratorNext: (1, 2),  # it → it value; the exit pops the iterator (branch_effect)
    Op.BeginTry: (0, 0), Op.EndTry: (0, 0), Op.Throw: (1, 0),
    Op.Yield: (1, 1), Op.Await: (1, 1), Op.Spawn: (1, 1), Op.Import: (0, 1), Op.RegisterTest: (2, 0),
    Op.Nop: (0, 0),
}


def stack_effect(ins: Instr, consts: list) -> tuple[int, int]:
    """(pops, pushes) of `ins` on its fall-through path. MatchPattern: its success path (see match_effect)."""
    op, arg = ins.op, ins.arg
    fixed = FIXED.get(op)
    if fixed is not None:
        return fixed
    if op is Op.Call:
        return arg + 1, 1
    if op is Op.CallMethod:
        return arg[1] + 1, 1
    if op is Op.MakeClosure:
        return sum(1 for f in consts[arg].param_defaults if f), 1
    if op is Op.MakeArray or op is Op.BuildString:
        return arg, 1
    if op is Op.MakeDict:
        return 2 * arg, 1
    if op is Op.MakeStructDef:
        info: StructInfo = consts[arg]
        return sum(1 for f in info.has_default if f) + len(info.method_names), 1
    if op is Op.MakeStruct:
        return len(arg) + 1, 1
    if op is Op.ImportFrom:
        return 0, len(arg[1])
    if op is Op.MatchPattern:
        ok, _ = match_effect(ins, consts)
        return 1, ok + 1
    raise BadBytecode(f"no stack effect for {op.name}")


def match_effect(ins: Instr, consts: list) -> tuple[int, int]:
    """MatchPattern pops the value and pushes (bindings…, true) on success, (false) on failure:
    the number of values pushed besides the flag, on (success, failure)."""
    return len(pattern_binding_names(consts[ins.arg])), 0


# ----------------------------------------------------------------------------- successors

# Instructions that end a basic block.
ENDS_BLOCK = frozenset({Op.Jump, Op.JumpBack, Op.JumpIfFalse, Op.JumpIfTrue, Op.JumpIfNotNull, Op.IteratorNext,
                        Op.BeginTry, Op.Return, Op.Throw})
# Instructions whose argument is a jump target.
JUMPS = frozenset({Op.Jump, Op.JumpBack, Op.JumpIfFalse, Op.JumpIfTrue, Op.JumpIfNotNull, Op.IteratorNext,
                   Op.BeginTry})
CONDITIONAL = frozenset({Op.JumpIfFalse, Op.JumpIfTrue})
# Instructions after which control never falls through.
NO_FALLTHROUGH = frozenset({Op.Jump, Op.JumpBack, Op.Return, Op.Throw})


@dataclass(frozen=True)
class Succ:
    target: int
    kind: str  # "fall" | "jump" | "exit" (iterator exhausted) | "handler" (BeginTry's handler)


def successors(code: list[Instr], i: int) -> list[Succ]:
    """Where control may go after instruction i (normal flow; exceptional edges come from Flow.handlers)."""
    ins = code[i]
    op = ins.op
    if op is Op.Return or op is Op.Throw:
        return []
    if op is Op.Jump or op is Op.JumpBack:
        return [Succ(ins.arg, "jump")]
    if op in CONDITIONAL or op is Op.JumpIfNotNull:
        return [Succ(i + 1, "fall"), Succ(ins.arg, "jump")]
    if op is Op.IteratorNext:
        return [Succ(i + 1, "fall"), Succ(ins.arg, "exit")]
    if op is Op.BeginTry:
        return [Succ(i + 1, "fall"), Succ(ins.arg, "handler")]
    return [Succ(i + 1, "fall")]


def branch_depth(code: list[Instr], consts: list, i: int, depth: int, succ: Succ) -> int:
    """The stack depth at `succ.target` when instruction i, entered at `depth`, takes that edge."""
    ins = code[i]
    op = ins.op
    if op is Op.JumpIfNotNull and succ.kind == "jump":
        return depth  # keeps the value
    if op is Op.IteratorNext and succ.kind == "exit":
        return depth - 1  # the iterator is popped
    if op is Op.BeginTry and succ.kind == "handler":
        return depth + 1  # the error value
    if op is Op.MatchPattern:
        raise AssertionError("MatchPattern falls through to its test")
    pops, pushes = stack_effect(ins, consts)
    return depth - pops + pushes


# ----------------------------------------------------------------------------- stack depth and handlers


class Flow:
    """Stack depth and try-handler stack on entry to every instruction (None: unreachable).

    `handlers[i]` is a tuple of (handler target, stack depth at BeginTry) for the try regions enclosing
    instruction i, innermost last. MatchPattern is followed by a conditional jump on its flag; the
    success edge carries its bindings (which edge that is depends on JumpIfFalse/JumpIfTrue).
    """

    def __init__(self, chunk: Chunk) -> None:
        code, consts = chunk.code, chunk.constants
        n = len(code)
        self.depth: list[Optional[int]] = [None] * n
        self.handlers: list[Optional[tuple]] = [None] * n
        if n == 0:
            return
        self._set(0, 0, (), -1)
        work = [0]
        while work:
            i = work.pop()
            depth, hs = self.depth[i], self.handlers[i]
            assert depth is not None and hs is not None
            ins = code[i]
            op = ins.op
            if op is Op.MatchPattern:
                if i + 1 >= n or code[i + 1].op not in CONDITIONAL:
                    raise BadBytecode(f"MatchPattern at {i} not followed by a conditional jump")
                k, _ = match_effect(ins, consts)
                test = code[i + 1]
                ok_target = i + 2 if test.op is Op.JumpIfFalse else test.arg
                fail_target = test.arg if test.op is Op.JumpIfFalse else i + 2
                # The test itself sees the flag on top of the bindings (success) or alone (failure); record
                # the success depth for it, and send each edge its own depth.
                self._set(i + 1, depth - 1 + k + 1, hs, i)
                for target, d in ((ok_target, depth - 1 + k), (fail_target, depth - 1)):
                    if self._set(target, d, hs, i):
                        work.append(target)
                continue
            if op is Op.BeginTry:
                pairs = [(i + 1, depth, hs + ((ins.arg, depth),)), (ins.arg, depth + 1, hs)]
            elif op is Op.EndTry:
                if not hs:
                    raise BadBytecode(f"EndTry outside a try region at {i}")
                pairs = [(i + 1, depth, hs[:-1])]
            else:
                pops, _ = stack_effect(ins, consts)
                if depth < pops:
                    raise BadBytecode(f"stack underflow at {i}")
                pairs = [(s.target, branch_depth(code, consts, i, depth, s), hs) for s in successors(code, i)]
            for target, d, h in pairs:
                if self._set(target, d, h, i):
                    work.append(target)

    def _set(self, i: int, depth: int, hs: tuple, source: int) -> bool:
        if not 0 <= i < len(self.depth):
            raise BadBytecode(f"control leaves the chunk after {source}")
        if self.depth[i] is None:
            self.depth[i], self.handlers[i] = depth, hs
            return True
        if self.depth[i] != depth or self.handlers[i] != hs:
            raise BadBytecode(f"inconsistent stack at {i} (from {source})")
        return False


# ----------------------------------------------------------------------------- locals

_LOCAL_READS = frozenset({Op.LoadLocal, Op.LoadDeref, Op.StoreDeref})  # the slot holds a value or its cell
_LOCAL_WRITES = frozenset({Op.StoreLocal, Op.MakeCell})


def local_effect(ins: Instr) -> tuple[Optional[int], Optional[int]]:
    """(slot read, slot written) by an instruction, None where it touches no local slot."""
    op = ins.op
    if op in _LOCAL_READS:
        return ins.arg, None
    if op in _LOCAL_WRITES:
        return None, ins.arg
    return None, None


def live_locals(chunk: Chunk, flow: Optional[Flow] = None) -> list[frozenset]:
    """Live-in local slots of every instruction: slots some path from it reads before writing.

    An instruction inside a try region may raise: its innermost handler is a successor too, so a slot
    the handler reads stays live through the whole protected code. Unreachable code has no live slots.
    """
    code = chunk.code
    n = len(code)
    flow = flow or Flow(chunk)
    succs: list[list[int]] = []
    preds: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        if flow.depth[i] is None:
            succs.append([])
            continue
        out = [s.target for s in successors(code, i) if s.target < n]
        if code[i].op is Op.MatchPattern:
            out = [i + 1]
        hs = flow.handlers[i]
        if hs:
            out.append(hs[-1][0])
        succs.append(out)
        for t in out:
            preds[t].append(i)
    live: list[set] = [set() for _ in range(n)]
    effects = [local_effect(ins) for ins in code]
    work = [i for i in range(n) if flow.depth[i] is not None]
    queued = set(work)
    while work:
        i = work.pop()
        queued.discard(i)
        out: set = set()
        for t in succs[i]:
            out |= live[t]
        read, written = effects[i]
        if written is not None:
            out.discard(written)
        if read is not None:
            out.add(read)
        if out != live[i]:
            live[i] = out
            for p in preds[i]:
                if p not in queued:
                    queued.add(p)
                    work.append(p)
    return [frozenset(s) for s in live]


def loop_exit_live(chunk: Chunk, header: int, exit_: int) -> frozenset:
    """Slots live when the loop [header, exit_) is left: at its exit, or at a target it breaks to."""
    code = chunk.code
    live = live_locals(chunk)
    out: set = set()
    for i in range(header, exit_):
        for s in successors(code, i):
            if not header <= s.target < exit_ and s.target < len(code):
                out |= live[s.target]
    if exit_ < len(code):
        out |= live[exit_]
    return frozenset(out)
