"""The control flow of a bytecode chunk: the one place that knows how each opcode moves the stack and ip.

Everything that reasons about bytecode positions uses this module: the fast tier's code generator and its
type-flow analysis, the lifter to SSA, on-stack replacement. It answers:

- `stack_effect(ins, consts)`: (values popped, values pushed) of an instruction on its fall-through path;
  `branch_depth` gives the depth on each outgoing edge where it differs (IteratorNext's exit pops the
  iterator, JumpIfNotNull's jump keeps its value, a try region's handler receives the error).
- `successors(code, i)`: where control goes after instruction i, as `Succ(target, kind)` with kind FALL,
  JUMP, EXIT (an iterator is exhausted) or HANDLER (BeginTry's handler).
- `ControlFlow(chunk)`: basic blocks and the edges between them; for every block its stack depth and
  try-handler stack on entry (checked for consistency at every merge), the reverse postorder of the
  reachable blocks, dominators and natural loops. Facts about single instructions (`state_at(i)`) are
  recomputed from the start of their block, so nothing is stored per instruction.
- `Liveness(flow)`: the local slots live on entry to every block, and on demand at any instruction.

Nothing is kept per instruction. Blocks, depths and loops take time linear in the chunk; dominators and
liveness iterate to a fixpoint over blocks, which takes a few passes on the structured code the compiler
produces (tests/unit/test_scaling.py).

Adding an opcode: give it a stack effect here (FIXED, or a case in `stack_effect`), a control-flow kind
(`JUMPS`, `ENDS_BLOCK`, …) if it branches, and a locals effect in LOCAL_READS/LOCAL_WRITES if it touches
a slot; then decide what each consumer does with it (each one lists the opcodes it handles and the ones it
refuses). tests/unit/test_cfg.py fails until every opcode has a stack effect and a decision in each.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterator, Optional

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
    Op.JumpIfNotNull: (1, 0),  # falls through with v popped; the jump keeps it (branch_depth)
    Op.CallSpread: (2, 1), Op.Return: (1, 0),
    Op.SpreadArray: (2, 1), Op.ArrayPush: (2, 1), Op.SpreadDict: (2, 1), Op.DictInsert: (3, 1),
    Op.IndexGet: (2, 1), Op.IndexSet: (3, 0), Op.FieldGet: (1, 1), Op.FieldGetOpt: (1, 1), Op.FieldSet: (2, 0),
    Op.MakeEnumDef: (0, 1), Op.MakeOk: (1, 1), Op.MakeErr: (1, 1), Op.MakeSome: (1, 1), Op.MakeNone: (0, 1),
    Op.TryUnwrap: (1, 1), Op.MakeIterator: (1, 1),
    Op.IteratorNext: (1, 2),  # it → it value; the exit pops the iterator (branch_depth)
    Op.BeginTry: (0, 0), Op.EndTry: (0, 0), Op.Throw: (1, 0),
    Op.Yield: (1, 1), Op.Await: (1, 1), Op.Spawn: (1, 1), Op.Import: (0, 1), Op.RegisterTest: (2, 0),
    Op.Nop: (0, 0),
}
# Opcodes whose effect depends on their argument (or a constant it names): cases in stack_effect.
VARIABLE = frozenset({Op.Call, Op.CallMethod, Op.MakeClosure, Op.MakeArray, Op.BuildString, Op.MakeDict,
                      Op.MakeStructDef, Op.MakeStruct, Op.ImportFrom, Op.MatchPattern})


def stack_effect(ins: Instr, consts: list) -> tuple[int, int]:
    """(pops, pushes) of `ins` on its fall-through path. MatchPattern: its success path, flag included."""
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
        return 1, match_bindings(ins, consts) + 1
    raise BadBytecode(f"no stack effect for {op.name}")


def match_bindings(ins: Instr, consts: list) -> int:
    """MatchPattern pops the value and pushes (bindings…, true) on success, (false) on failure: the number
    of bindings. The conditional jump that follows it sends each outcome its own way."""
    return len(pattern_binding_names(consts[ins.arg]))


# ----------------------------------------------------------------------------- successors

# Instructions whose argument is a jump target.
JUMPS = frozenset({Op.Jump, Op.JumpBack, Op.JumpIfFalse, Op.JumpIfTrue, Op.JumpIfNotNull, Op.IteratorNext,
                   Op.BeginTry})
# Instructions that end a basic block.
ENDS_BLOCK = JUMPS | {Op.Return, Op.Throw}
CONDITIONAL = frozenset({Op.JumpIfFalse, Op.JumpIfTrue})
# Instructions after which control never falls through.
NO_FALLTHROUGH = frozenset({Op.Jump, Op.JumpBack, Op.Return, Op.Throw})

# Kinds of control-flow edges.
FALL, JUMP, EXIT, HANDLER = "fall", "jump", "exit", "handler"


class Succ:
    """One place control may go after an instruction: `target` index, `kind` FALL/JUMP/EXIT/HANDLER."""

    __slots__ = ("target", "kind")

    def __init__(self, target: int, kind: str) -> None:
        self.target, self.kind = target, kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Succ) and (self.target, self.kind) == (other.target, other.kind)

    def __repr__(self) -> str:
        return f"Succ({self.target}, {self.kind!r})"


def successors(code: list[Instr], i: int) -> list[Succ]:
    """Where control may go after instruction i (normal flow; exceptional edges come from handler stacks)."""
    ins = code[i]
    op = ins.op
    if op is Op.Return or op is Op.Throw:
        return []
    if op is Op.Jump or op is Op.JumpBack:
        return [Succ(ins.arg, JUMP)]
    if op in CONDITIONAL or op is Op.JumpIfNotNull:
        return [Succ(i + 1, FALL), Succ(ins.arg, JUMP)]
    if op is Op.IteratorNext:
        return [Succ(i + 1, FALL), Succ(ins.arg, EXIT)]
    if op is Op.BeginTry:
        return [Succ(i + 1, FALL), Succ(ins.arg, HANDLER)]
    return [Succ(i + 1, FALL)]


def branch_depth(ins: Instr, consts: list, depth: int, kind: str) -> int:
    """The stack depth after `ins`, entered at `depth`, when it leaves along an edge of `kind`."""
    op = ins.op
    if op is Op.JumpIfNotNull and kind == JUMP:
        return depth  # keeps the value
    if op is Op.IteratorNext and kind == EXIT:
        return depth - 1  # the iterator is popped
    if op is Op.BeginTry and kind == HANDLER:
        return depth + 1  # the error value
    pops, pushes = stack_effect(ins, consts)
    return depth - pops + pushes


# ----------------------------------------------------------------------------- blocks


class Edge:
    """A control-flow edge between blocks; `back` when it closes a natural loop (its target dominates it)."""

    __slots__ = ("src", "dst", "kind", "back")

    def __init__(self, src: "Block", dst: "Block", kind: str) -> None:
        self.src, self.dst, self.kind = src, dst, kind
        self.back = False

    def __repr__(self) -> str:
        return f"{self.src}-{self.kind}->{self.dst}"


class Block:
    """A basic block: instructions [start, end). Control enters only at `start` and leaves only after the
    last instruction (a MatchPattern and the conditional jump testing its flag stay in one block).

    depth/handlers: stack depth and try-handler stack on entry, None when unreachable; `handlers` is a
    tuple of (handler start, stack depth at its BeginTry), innermost last. rpo: position in the reverse
    postorder (-1: unreachable). idom: immediate dominator (the entry is its own). Loops: `is_header` for a
    natural loop's header; `loop` is the header of the innermost loop containing the block (a header is in
    its own loop), `parent_loop` for a header the header of the loop around it.
    Consumers that attach facts of their own subclass Block (ControlFlow's `block_type`).
    """

    __slots__ = ("start", "end", "succ", "pred", "depth", "handlers", "rpo", "idom", "is_header", "loop",
                 "parent_loop")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.succ: list[Edge] = []
        self.pred: list[Edge] = []  # edges from reachable blocks only
        self.depth: Optional[int] = None
        self.handlers: Optional[tuple] = None
        self.rpo = -1
        self.idom: Optional[Block] = None
        self.is_header = False
        self.loop: Optional[Block] = None
        self.parent_loop: Optional[Block] = None

    def __repr__(self) -> str:
        return f"B{self.start}"


class ControlFlow:
    """Blocks, edges, stack depths and handler stacks, dominators and natural loops of one chunk.

    Raises BadBytecode for what the compiler never produces: a bad jump target, code falling off the end,
    a stack that underflows or differs between two paths into one instruction, EndTry outside a try
    region, a MatchPattern not followed by the conditional jump on its flag. With `loops` (the default)
    it also requires reducible control flow whose loops nest.
    """

    def __init__(self, chunk: Chunk, block_type: type = Block, loops: bool = True) -> None:
        self.chunk = chunk
        self.code = chunk.code
        self.consts = chunk.constants
        self._find_blocks(block_type)
        self._flow()
        self._order()
        self.loop_bodies: dict[Block, set] = {}  # header → the blocks of its loop
        if loops:
            self._dominators()
            self._loops()

    # -- blocks and edges

    def _find_blocks(self, block_type: type) -> None:
        code = self.code
        n = len(code)
        if n == 0:
            raise BadBytecode("empty chunk")
        leaders = {0}
        for i, ins in enumerate(code):
            op = ins.op
            if op in ENDS_BLOCK:
                if op in JUMPS:
                    if type(ins.arg) is not int or not 0 <= ins.arg < n:
                        raise BadBytecode(f"bad jump target at {i}")
                    leaders.add(ins.arg)
                if i + 1 < n:
                    leaders.add(i + 1)
            elif op is Op.MatchPattern:
                if i + 1 >= n or code[i + 1].op not in CONDITIONAL:
                    raise BadBytecode(f"MatchPattern at {i} not followed by a conditional jump")
        for i, ins in enumerate(code):
            if ins.op is Op.MatchPattern and i + 1 in leaders:
                raise BadBytecode(f"jump between MatchPattern at {i} and its test")
        self.starts = starts = sorted(leaders)
        self.blocks: list[Block] = [block_type(s, starts[k + 1] if k + 1 < len(starts) else n)
                                    for k, s in enumerate(starts)]
        self.at: dict[int, Block] = {b.start: b for b in self.blocks}
        for b in self.blocks:
            last = b.end - 1
            for s in successors(code, last):
                if s.target >= n:
                    raise BadBytecode(f"control falls off the end of the chunk after {last}")
                b.succ.append(Edge(b, self.at[s.target], s.kind))

    def edge(self, b: Block, kind: str) -> Edge:
        """b's outgoing edge of `kind`."""
        for e in b.succ:
            if e.kind == kind:
                return e
        raise BadBytecode(f"no {kind} edge from {b}")

    def block_of(self, i: int) -> Block:
        """The block containing instruction i."""
        return self.blocks[bisect_right(self.starts, i) - 1]

    # -- stack depth and handler stack of every block (dataflow with consistency checks)

    def _flow(self) -> None:
        entry = self.blocks[0]
        entry.depth, entry.handlers = 0, ()
        work = [entry]
        while work:
            b = work.pop()
            for e, depth, handlers in self.exits(b):
                t = e.dst
                if t.depth is None:
                    t.depth, t.handlers = depth, handlers
                    work.append(t)
                elif t.depth != depth or t.handlers != handlers:
                    raise BadBytecode(f"inconsistent stack at {t.start} (from {b.start})")
        self.reachable: list[Block] = [b for b in self.blocks if b.depth is not None]
        for b in self.reachable:
            for e in b.succ:
                e.dst.pred.append(e)

    def exits(self, b: Block) -> list:
        """(edge, stack depth, handler stack) for every edge leaving reachable block b."""
        code, consts = self.code, self.consts
        depth, handlers = b.depth, b.handlers
        i = b.start
        while True:
            ins = code[i]
            op = ins.op
            if op is Op.MatchPattern:
                if depth < 1:
                    raise BadBytecode(f"stack underflow at {i}")
                k = match_bindings(ins, consts)
                ok, fail = depth - 1 + k, depth - 1
                test = code[i + 1]
                fall, jump = self.edge(b, FALL), self.edge(b, JUMP)
                if test.op is Op.JumpIfFalse:
                    return [(fall, ok, handlers), (jump, fail, handlers)]
                return [(jump, ok, handlers), (fall, fail, handlers)]
            pops, _ = stack_effect(ins, consts)
            if depth < pops:
                raise BadBytecode(f"stack underflow at {i}")
            if op is Op.EndTry:
                if not handlers:
                    raise BadBytecode(f"EndTry outside a try region at {i}")
                handlers = handlers[:-1]
            if i == b.end - 1:
                out = []
                for e in b.succ:
                    h = handlers + ((ins.arg, depth),) if op is Op.BeginTry and e.kind == FALL else handlers
                    out.append((e, branch_depth(ins, consts, depth, e.kind), h))
                return out
            depth = branch_depth(ins, consts, depth, FALL)
            i += 1

    def state_at(self, i: int) -> tuple[Optional[int], Optional[tuple]]:
        """(stack depth, handler stack) on entry to instruction i; (None, None) where it is unreachable.

        The conditional jump after a MatchPattern sees the success outcome: bindings and the flag."""
        b = self.block_of(i)
        depth, handlers = b.depth, b.handlers
        if depth is None:
            return None, None
        code, consts = self.code, self.consts
        for k in range(b.start, i):
            ins = code[k]
            if ins.op is Op.EndTry:
                handlers = handlers[:-1]
            depth = branch_depth(ins, consts, depth, FALL)
        return depth, handlers

    # -- reverse postorder and dominators (Cooper, Harvey, Kennedy)

    def _order(self) -> None:
        """`order`: the reachable blocks in reverse postorder of a depth-first walk along `succ`."""
        entry = self.blocks[0]
        order: list[Block] = []
        seen = {entry}
        stack = [(entry, iter(entry.succ))]
        while stack:
            b, it = stack[-1]
            for e in it:
                if e.dst not in seen:
                    seen.add(e.dst)
                    stack.append((e.dst, iter(e.dst.succ)))
                    break
            else:
                stack.pop()
                order.append(b)
        order.reverse()
        for k, b in enumerate(order):
            b.rpo = k
        self.order = order

    def _dominators(self) -> None:
        order = self.order
        entry = order[0]
        entry.idom = entry
        changed = True
        while changed:
            changed = False
            for b in order[1:]:
                new = None
                for e in b.pred:
                    p = e.src
                    if p.idom is None:
                        continue
                    new = p if new is None else self._intersect(p, new)
                if new is not b.idom:
                    b.idom = new
                    changed = True

    @staticmethod
    def _intersect(a: Block, b: Block) -> Block:
        while a is not b:
            while a.rpo > b.rpo:
                a = a.idom
            while b.rpo > a.rpo:
                b = b.idom
        return a

    @staticmethod
    def dominates(a: Block, b: Block) -> bool:
        while True:
            if a is b:
                return True
            if b.idom is b:
                return False
            b = b.idom

    # -- natural loops

    def _loops(self) -> None:
        bodies = self.loop_bodies
        for b in self.order:
            for e in b.succ:
                if e.dst.rpo <= b.rpo:
                    if not self.dominates(e.dst, b):
                        raise BadBytecode("irreducible control flow")
                    e.back = True
                    h = e.dst
                    h.is_header = True
                    body = bodies.setdefault(h, {h})
                    work = [b]
                    while work:
                        x = work.pop()
                        if x in body:
                            continue
                        body.add(x)
                        work.extend(p.src for p in x.pred)
        # Outer loops first, so each block ends up with its innermost loop.
        for h in sorted(bodies, key=lambda k: -len(bodies[k])):
            for x in bodies[h]:
                if x is not h and x.is_header:
                    x.parent_loop = h
                x.loop = h
        # Loops must nest: each lies inside the loop around its header, and each of its blocks' innermost
        # loops lies inside it.
        for h, body in bodies.items():
            p = h.parent_loop
            if p is not None and not body <= bodies[p]:
                raise BadBytecode("overlapping loops")
            for x in body:
                inner = x.loop
                while inner is not h:
                    if inner is None:
                        raise BadBytecode("overlapping loops")
                    inner = inner.parent_loop

    @staticmethod
    def last_back_edge(header: Block) -> int:
        """The instruction closing the loop at `header` last in the code: its final JumpBack."""
        return max(e.src.end - 1 for e in header.pred if e.back)


# ----------------------------------------------------------------------------- locals

LOCAL_READS = frozenset({Op.LoadLocal, Op.LoadDeref, Op.StoreDeref})  # the slot holds a value or its cell
LOCAL_WRITES = frozenset({Op.StoreLocal, Op.MakeCell})


def local_effect(ins: Instr) -> tuple[Optional[int], Optional[int]]:
    """(slot read, slot written) by an instruction, None where it touches no local slot."""
    op = ins.op
    if op in LOCAL_READS:
        return ins.arg, None
    if op in LOCAL_WRITES:
        return None, ins.arg
    return None, None


class Liveness:
    """Local slots whose current value some later instruction may read: live on entry to every block
    (`live_in`), and at any instruction on demand (`at`, recomputed backwards within its block).

    An instruction inside a try region may raise: its innermost handler is a successor too, so a slot
    the handler reads stays live through the whole protected code. Unreachable code has no live slots.
    """

    def __init__(self, flow: ControlFlow) -> None:
        self.flow = flow
        self.live_in: dict[Block, frozenset] = {b: frozenset() for b in flow.blocks}
        # For blocks inside a try region: the handler block each instruction may raise into.
        self._raises_to: dict[Block, list] = {}
        code = flow.code
        preds: dict[Block, list] = {b: [] for b in flow.blocks}
        for b in flow.reachable:
            for e in b.succ:
                preds[e.dst].append(b)
            if b.handlers:
                handlers, targets = b.handlers, []
                for i in range(b.start, b.end):
                    targets.append(flow.at[handlers[-1][0]] if handlers else None)
                    if code[i].op is Op.EndTry:
                        handlers = handlers[:-1]
                self._raises_to[b] = targets
                for t in set(targets):
                    if t is not None:
                        preds[t].append(b)
        work = list(flow.reachable)
        queued = set(work)
        while work:
            b = work.pop()
            queued.discard(b)
            live = self._live_before(b, b.start)
            if live != self.live_in[b]:
                self.live_in[b] = live
                for p in preds[b]:
                    if p not in queued:
                        queued.add(p)
                        work.append(p)

    def _walk_back(self, b: Block, lo: int) -> Iterator[tuple[int, set]]:
        """From b's end back to instruction `lo`: each instruction i with the slots live on entry to it
        (one set, updated in place)."""
        code, live_in = self.flow.code, self.live_in
        live: set = set()
        for e in b.succ:
            live |= live_in[e.dst]
        raises_to = self._raises_to.get(b)
        for i in range(b.end - 1, lo - 1, -1):
            if raises_to is not None:
                h = raises_to[i - b.start]
                if h is not None:
                    live |= live_in[h]
            read, written = local_effect(code[i])
            if written is not None:
                live.discard(written)
            if read is not None:
                live.add(read)
            yield i, live

    def _live_before(self, b: Block, lo: int) -> frozenset:
        """Slots live on entry to instruction `lo` of block b, from b's successors backwards."""
        if b.depth is None:
            return frozenset()
        live: set = set()
        for _, live in self._walk_back(b, lo):
            pass
        return frozenset(live)

    def at(self, i: int) -> frozenset:
        """Slots live on entry to instruction i."""
        b = self.flow.block_of(i)
        return self.live_in[b] if i == b.start else self._live_before(b, i)

    def within(self, b: Block) -> list[frozenset]:
        """Slots live on entry to each instruction of block b, in order: one backward walk, for a client
        that asks at many instructions of the block (`at` walks from the block's end on each call)."""
        out: list[frozenset] = [frozenset()] * (b.end - b.start)
        if b.depth is not None:
            for i, live in self._walk_back(b, b.start):
                out[i - b.start] = frozenset(live)
        return out


def loop_exit_live(chunk: Chunk, header: int, exit_: int) -> frozenset:
    """Slots live when the loop [header, exit_) is left: at its exit, or at a target it breaks to."""
    flow = ControlFlow(chunk, loops=False)
    live = Liveness(flow)
    n = len(chunk.code)
    out: set = set()
    for b in flow.reachable:
        if header <= b.start < exit_:
            for e in b.succ:
                if not header <= e.dst.start < exit_:
                    out |= live.live_in[e.dst]
    if exit_ < n:
        out |= live.at(exit_)
    return frozenset(out)
