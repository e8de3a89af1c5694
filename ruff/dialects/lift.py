"""Lifting: one bytecode Chunk → one `ruff.func` in SSA form.

Two phases:
1. Simulate each basic block on an abstract state (locals + operand stack of SSA handles), in reverse
   post-order. A block with several predecessors (or a loop header) starts with a phi for every local and
   stack slot; phis whose incoming values are all the same are then removed (trivial-phi elimination, as in
   Braun et al.), and phis nobody reads are dropped.
2. Emit xDSL operations: blocks, block arguments for the surviving phis, branch operands per edge.

A chunk that uses what the dialect does not express (generators, try/except, cells of captured
variables, imports, ...) raises LiftRefused with a one-line reason; it then stays in the baseline tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from xdsl.dialects import cf
from xdsl.dialects.builtin import FileLineColLoc, FunctionType, IntAttr, IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Block, Region, SSAValue

from ruff.dialects import ruff as R
from ruff.dialects.lift_refusals import REFUSED  # what the lifter refuses: one home, outside the lifter
from ruff.dialects.symbols import symbol_for
from ruff.frontend.bytecode import Chunk, MatchPat, Op, pattern_binding_names
from ruff.frontend.cfg import ENDS_BLOCK, BadBytecode, ControlFlow, Liveness
from ruff.frontend.compiler import CompiledProgram


# Instructions that end a block: the block's terminator comes from them (and takes their location).
# BeginTry ends a block too, but a chunk with one is never lifted (REFUSED).
BLOCK_ENDS = ENDS_BLOCK - {Op.BeginTry}


class LiftRefused(Exception):
    """This chunk cannot be lifted; the message is a one-line reason."""


# Instructions native code may have to leave at (an index out of range, an overflow, a typed callee's
# error, a guard on an element or on a method call's receiver): the lifter records the frame state before
# each (ruff.frame_state).
STATEFUL = frozenset({Op.IndexGet, Op.IndexSet, Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Mod, Op.Negate, Op.Call,
                      Op.FieldGet, Op.CallMethod})

BINARY = {Op.Add: R.AddOp, Op.Sub: R.SubOp, Op.Mul: R.MulOp, Op.Div: R.DivOp, Op.Mod: R.ModOp,
          Op.Equal: R.EqOp, Op.NotEqual: R.NeOp, Op.LessThan: R.LtOp, Op.LessEqual: R.LeOp,
          Op.GreaterThan: R.GtOp, Op.GreaterEqual: R.GeOp}
# What Lifter.simulate turns into `ruff` dialect operations; everything else is in REFUSED.
LIFTED = frozenset(BINARY) | {
    Op.LoadConst, Op.Pop, Op.Dup, Op.Swap, Op.Nop, Op.LoadLocal, Op.StoreLocal, Op.LoadUpvalue, Op.LoadGlobal,
    Op.StoreGlobal, Op.DefineGlobal, Op.Negate, Op.Not, Op.Truthy, Op.Jump, Op.JumpBack, Op.JumpIfFalse,
    Op.JumpIfTrue, Op.JumpIfNotNull, Op.MatchPattern, Op.IteratorNext, Op.Return, Op.Throw, Op.Call,
    Op.CallMethod, Op.CallSpread, Op.MakeClosure, Op.MakeArray, Op.MakeDict, Op.SpreadArray, Op.ArrayPush,
    Op.SpreadDict, Op.DictInsert, Op.IndexGet, Op.IndexSet, Op.FieldGet, Op.FieldGetOpt, Op.FieldSet,
    Op.MakeStructDef, Op.MakeStruct, Op.MakeEnumDef, Op.MakeOk, Op.MakeErr, Op.MakeSome, Op.MakeNone,
    Op.MakeIterator, Op.BuildString}


# ----------------------------------------------------------------------------- phase 1: abstract values


class Val:
    """An SSA value before emission."""


@dataclass(eq=False)
class Param(Val):
    index: int


@dataclass(eq=False)
class Undef(Val):
    pass


@dataclass(eq=False)
class Res(Val):
    instr: "PInstr"
    index: int


@dataclass(eq=False)
class Phi(Val):
    block: "PBlock"
    var: int
    incoming: dict[int, Val] = field(default_factory=dict)  # predecessor block id → value


@dataclass(eq=False)
class PInstr:
    make: Any  # callable(operands: list[SSAValue]) -> Operation
    operands: list[Val]
    num_results: int = 1
    results: list[Res] = field(default_factory=list)
    ip: Optional[int] = None  # the bytecode instruction it comes from (native code may run it in the runtime)


@dataclass(eq=False)
class Edge:
    target: "PBlock"
    state: list[Val]  # locals then operand stack, as the target receives them


@dataclass(eq=False)
class PBlock:
    id: int
    start: int
    end: int  # exclusive
    instrs: list[PInstr] = field(default_factory=list)
    phis: list[Phi] = field(default_factory=list)
    preds: list[int] = field(default_factory=list)
    term: Any = None  # ("br", Edge) | ("cond", Val, Edge, Edge) | ("ret", Val) | ("throw", Val)


class Lifter:
    """Lifts one chunk to a `ruff.func` named `symbol` (see the module docstring for the two phases).

    `lift()` refuses (LiftRefused) what the dialect cannot express (REFUSED), takes the blocks and their
    stack depths from ruff.frontend.cfg, simulates each reachable block in reverse postorder on SSA values
    (`pending`: the state each edge hands its target), removes trivial and dead phis, then emits xDSL.
    """

    def __init__(self, chunk: Chunk, symbol: str) -> None:
        self.chunk = chunk
        self.symbol = symbol
        self.code = chunk.code
        self.nlocals = chunk.num_locals
        self.undef = Undef()

    # ------------------------------------------------------------------ control-flow graph

    def check_supported(self) -> None:
        if self.chunk.is_async:
            raise LiftRefused(f"{self.chunk.name}: not lifted: async function")
        for ins in self.code:
            if ins.op in REFUSED:
                raise LiftRefused(f"{self.chunk.name}: not lifted: {REFUSED[ins.op]}")
            if ins.op is Op.MakeClosure:
                sub = self.chunk.constants[ins.arg]
                if sub.upvalues or any(sub.param_defaults):
                    raise LiftRefused(f"{self.chunk.name}: not lifted: creates a closure with captures or defaults")

    def build_blocks(self) -> list[PBlock]:
        """The chunk's basic blocks (ruff.frontend.cfg); the reachable ones in reverse postorder."""
        try:
            flow = ControlFlow(self.chunk, loops=False)
        except BadBytecode as e:
            raise LiftRefused(f"{self.chunk.name}: not lifted: {e}") from None
        self.blocks = [PBlock(k, b.start, b.end) for k, b in enumerate(flow.blocks)]
        self.block_at = {b.start: b for b in self.blocks}
        self.depth_at = {self.block_at[b.start].id: b.depth for b in flow.reachable}
        self.flow, self.liveness = flow, Liveness(flow)
        for b in flow.reachable:
            for e in b.succ:
                self.block_at[e.dst.start].preds.append(self.block_at[b.start].id)
        return [self.block_at[b.start] for b in flow.order]

    # ------------------------------------------------------------------ simulation

    def lift(self) -> R.FuncOp:
        self.check_supported()
        order = self.build_blocks()
        self.pending: dict[tuple[int, int], list[Val]] = {}  # (pred id, succ id) → state on that edge
        done: set[int] = set()
        initial = [Param(i) for i in range(len(self.chunk.params))] + [self.undef] * (self.nlocals - len(self.chunk.params))
        for b in order:
            preds = b.preds
            if b.id == 0 and not preds:
                state = list(initial)
            elif len(preds) == 1 and preds[0] in done and b.id != 0:
                state = list(self.pending[(preds[0], b.id)])
            else:
                depth = self.depth_at[b.id]
                b.phis = [Phi(b, v) for v in range(self.nlocals + depth)]
                state = list(b.phis)
                if b.id == 0:
                    for v, init in enumerate(initial):
                        b.phis[v].incoming[-1] = init
            self.simulate(b, state)
            done.add(b.id)
        for b in order:
            for p in b.preds:
                edge_state = self.pending[(p, b.id)]
                for phi in b.phis:
                    phi.incoming[p] = edge_state[phi.var]
        self.simplify_phis(order)
        return self.emit(order)

    def simulate(self, b: PBlock, state: list[Val]) -> None:
        locals_ = state[: self.nlocals]
        stack = state[self.nlocals:]
        consts = self.chunk.constants

        def out_state(st: list[Val]) -> list[Val]:
            return list(locals_) + list(st)

        def edge(target_ip: int, st: list[Val]) -> Edge:
            target = self.block_at[target_ip]
            self.pending[(b.id, target.id)] = out_state(st)
            return Edge(target, out_state(st))

        def emit(make: Any, operands: list[Val], n: int = 1) -> list[Res]:
            instr = PInstr(make, operands, n, ip=i - 1)
            instr.results = [Res(instr, i) for i in range(n)]
            b.instrs.append(instr)
            return instr.results

        def one(make: Any, operands: list[Val]) -> Val:
            return emit(make, operands)[0]

        def frame_state(ip: int) -> None:
            """The baseline frame before instruction ip (live locals, then the operand stack): where native
            code that cannot go on there hands the call to the interpreter."""
            slots = sorted(live[ip - b.start])
            emit(lambda o, a=ip, sl=tuple(slots): R.FrameStateOp(a, sl, o), [locals_[k] for k in slots] + list(stack))

        live = self.liveness.within(self.flow.at[b.start])
        i = b.start
        while i < b.end:
            ins = self.code[i]
            op, arg, line = ins.op, ins.arg, ins.line
            if op in STATEFUL:
                frame_state(i)
            i += 1
            if op is Op.LoadConst:
                value = consts[arg]
                stack.append(one(lambda o, v=value: R.ConstantOp.boxed(v), []))
            elif op is Op.Pop:
                stack.pop()
            elif op is Op.Dup:
                stack.append(stack[-1])
            elif op is Op.Swap:
                stack[-1], stack[-2] = stack[-2], stack[-1]
            elif op is Op.Nop:
                pass
            elif op is Op.LoadLocal:
                stack.append(locals_[arg])
            elif op is Op.StoreLocal:
                locals_[arg] = stack.pop()
            elif op is Op.LoadUpvalue:
                stack.append(one(lambda o, a=arg: R.LoadUpvalueOp(a), []))
            elif op is Op.LoadGlobal:
                stack.append(one(lambda o, a=arg, ln=line: R.LoadGlobalOp(a, ln), []))
            elif op is Op.StoreGlobal:
                emit(lambda o, a=arg, ln=line: R.StoreGlobalOp(a, o[0], ln), [stack.pop()], 0)
            elif op is Op.DefineGlobal:
                emit(lambda o, a=arg, ln=line: R.DefineGlobalOp(a[0], a[1], o[0], ln), [stack.pop()], 0)
            elif op in BINARY:
                rhs, lhs = stack.pop(), stack.pop()
                stack.append(one(lambda o, cls=BINARY[op], ln=line: cls(o[0], o[1], ln), [lhs, rhs]))
            elif op is Op.Negate:
                stack.append(one(lambda o, ln=line: R.NegOp(o[0], ln), [stack.pop()]))
            elif op is Op.Not:
                stack.append(one(lambda o, ln=line: R.NotOp(o[0], ln), [stack.pop()]))
            elif op is Op.Truthy:
                t = one(lambda o: R.TruthyOp(o[0]), [stack.pop()])
                stack.append(one(lambda o: R.BoxOp(o[0]), [t]))
            elif op in (Op.Jump, Op.JumpBack):
                b.term = ("br", edge(arg, stack))
                return
            elif op in (Op.JumpIfFalse, Op.JumpIfTrue):
                cond = one(lambda o: R.TruthyOp(o[0]), [stack.pop()])
                fall, jump = edge(i, stack), edge(arg, stack)
                b.term = ("cond", cond, jump, fall) if op is Op.JumpIfTrue else ("cond", cond, fall, jump)
                return
            elif op is Op.JumpIfNotNull:
                v = stack[-1]
                isnull = one(lambda o: R.IsNullOp(o[0]), [v])
                b.term = ("cond", isnull, edge(i, stack[:-1]), edge(arg, stack))
                return
            elif op is Op.MatchPattern:
                pat: MatchPat = consts[arg]
                n = len(pattern_binding_names(pat))
                res = emit(lambda o, a=arg, k=n: R.MatchPatternOp(o[0], a, k), [stack.pop()], 1 + n)
                branch = self.code[i]
                i += 1
                ok, bindings = res[0], res[1:]
                success = edge(i if branch.op is Op.JumpIfFalse else branch.arg, stack + bindings)
                failure = edge(branch.arg if branch.op is Op.JumpIfFalse else i, stack)
                b.term = ("cond", ok, success, failure)
                return
            elif op is Op.IteratorNext:
                it = stack[-1]
                has, value = emit(lambda o: R.IteratorNextOp(o[0]), [it], 2)
                b.term = ("cond", has, edge(i, stack + [value]), edge(arg, stack[:-1]))
                return
            elif op is Op.Return:
                b.term = ("ret", stack.pop())
                return
            elif op is Op.Throw:
                b.term = ("throw", stack.pop(), line)
                return
            elif op is Op.Call:
                args = stack[len(stack) - arg:] if arg else []
                del stack[len(stack) - arg:]
                callee = stack.pop()
                stack.append(one(lambda o, ln=line: R.CallOp(o[0], o[1:], ln), [callee, *args]))
            elif op is Op.CallMethod:
                name, argc = arg
                args = stack[len(stack) - argc:] if argc else []
                del stack[len(stack) - argc:]
                obj = stack.pop()
                stack.append(one(lambda o, nm=name, ln=line: R.CallMethodOp(o[0], nm, o[1:], ln), [obj, *args]))
            elif op is Op.CallSpread:
                args = stack.pop()
                callee = stack.pop()
                stack.append(one(lambda o, ln=line: R.CallSpreadOp(o[0], o[1], ln), [callee, args]))
            elif op is Op.MakeClosure:
                sub = consts[arg]
                stack.append(one(lambda o, nm=sub.name, a=arg: R.MakeClosureOp(nm, a, []), []))
            elif op is Op.MakeArray:
                items = stack[len(stack) - arg:] if arg else []
                del stack[len(stack) - arg:]
                stack.append(one(lambda o: R.MakeArrayOp(o), items))
            elif op is Op.MakeDict:
                items = stack[len(stack) - 2 * arg:] if arg else []
                del stack[len(stack) - 2 * arg:]
                stack.append(one(lambda o, ln=line: R.MakeDictOp(o, ln), items))
            elif op is Op.SpreadArray:
                v = stack.pop()
                emit(lambda o, ln=line: R.SpreadArrayOp(o[0], o[1], ln), [stack[-1], v], 0)
            elif op is Op.ArrayPush:
                v = stack.pop()
                emit(lambda o: R.ArrayPushOp(o[0], o[1]), [stack[-1], v], 0)
            elif op is Op.SpreadDict:
                v = stack.pop()
                emit(lambda o, ln=line: R.SpreadDictOp(o[0], o[1], ln), [stack[-1], v], 0)
            elif op is Op.DictInsert:
                v, k = stack.pop(), stack.pop()
                emit(lambda o, ln=line: R.DictInsertOp(o[0], o[1], o[2], ln), [stack[-1], k, v], 0)
            elif op is Op.IndexGet:
                idx, obj = stack.pop(), stack.pop()
                stack.append(one(lambda o, ln=line: R.IndexGetOp(o[0], o[1], ln), [obj, idx]))
            elif op is Op.IndexSet:
                v, idx, obj = stack.pop(), stack.pop(), stack.pop()
                emit(lambda o, ln=line: R.IndexSetOp(o[0], o[1], o[2], ln), [obj, idx, v], 0)
            elif op is Op.FieldGet:
                stack.append(one(lambda o, a=arg, ln=line: R.FieldGetOp(o[0], a, ln), [stack.pop()]))
            elif op is Op.FieldGetOpt:
                stack.append(one(lambda o, a=arg, ln=line: R.FieldGetOptOp(o[0], a, ln), [stack.pop()]))
            elif op is Op.FieldSet:
                v, obj = stack.pop(), stack.pop()
                emit(lambda o, a=arg, ln=line: R.FieldSetOp(o[0], a, o[1], ln), [obj, v], 0)
            elif op is Op.MakeStructDef:
                info = consts[arg]
                n = sum(1 for f in info.has_default if f) + len(info.method_names)
                parts = stack[len(stack) - n:] if n else []
                del stack[len(stack) - n:]
                stack.append(one(lambda o, nm=info.name, a=arg: R.MakeStructDefOp(nm, a, o), parts))
            elif op is Op.MakeStruct:
                n = len(arg)
                vals = stack[len(stack) - n:] if n else []
                del stack[len(stack) - n:]
                stype = stack.pop()
                stack.append(one(lambda o, f=arg, ln=line: R.MakeStructOp(o[0], f, o[1:], ln), [stype, *vals]))
            elif op is Op.MakeEnumDef:
                info = consts[arg]
                stack.append(one(lambda o, nm=info.name, a=arg: R.MakeEnumDefOp(nm, a), []))
            elif op is Op.MakeOk:
                stack.append(one(lambda o: R.MakeOkOp(o[0]), [stack.pop()]))
            elif op is Op.MakeErr:
                stack.append(one(lambda o: R.MakeErrOp(o[0]), [stack.pop()]))
            elif op is Op.MakeSome:
                stack.append(one(lambda o: R.MakeSomeOp(o[0]), [stack.pop()]))
            elif op is Op.MakeNone:
                stack.append(one(lambda o: R.MakeNoneOp(), []))
            elif op is Op.MakeIterator:
                stack.append(one(lambda o, ln=line: R.MakeIteratorOp(o[0], ln), [stack.pop()]))
            elif op is Op.BuildString:
                parts = stack[len(stack) - arg:]
                del stack[len(stack) - arg:]
                stack.append(one(lambda o: R.BuildStringOp(o), parts))
            else:
                raise LiftRefused(f"{self.chunk.name}: not lifted: opcode {op.name}")
        # Fell through into the next leader.
        b.term = ("br", edge(b.end, stack))

    # ------------------------------------------------------------------ phi clean-up

    def simplify_phis(self, order: list[PBlock]) -> None:
        self.replaced: dict[Val, Val] = {}

        def find(v: Val) -> Val:
            while v in self.replaced:
                v = self.replaced[v]
            return v

        changed = True
        while changed:
            changed = False
            for b in order:
                for phi in b.phis:
                    if phi in self.replaced:
                        continue
                    others = {find(v) for v in phi.incoming.values()} - {phi}
                    if len(others) <= 1:
                        self.replaced[phi] = others.pop() if others else self.undef
                        changed = True
        self.find = find
        # Liveness: a phi lives if an instruction, a terminator or a living phi reads it.
        live: set[Val] = set()
        work: list[Val] = []

        def use(v: Val) -> None:
            v = find(v)
            if isinstance(v, Phi) and v not in live:
                live.add(v)
                work.append(v)

        for b in order:
            for instr in b.instrs:
                for v in instr.operands:
                    use(v)
            term = b.term
            if term[0] in ("ret", "throw"):
                use(term[1])
            elif term[0] == "cond":
                use(term[1])
        while work:
            phi = work.pop()
            for v in phi.incoming.values():
                use(v)
        for b in order:
            b.phis = [p for p in b.phis if p not in self.replaced and p in live]

    # ------------------------------------------------------------------ phase 2: emission

    def emit(self, order: list[PBlock]) -> R.FuncOp:
        nparams = len(self.chunk.params)
        ftype = FunctionType.from_lists([R.VALUE] * nparams, [R.VALUE])
        entry = Block(arg_types=[R.VALUE] * nparams)
        xblocks = {b.id: Block(arg_types=[R.VALUE] * len(b.phis)) for b in order}
        ssa: dict[Val, SSAValue] = {}
        undef_op = R.ConstantOp.boxed(None)
        entry.add_op(undef_op)

        def value(v: Val) -> SSAValue:
            v = self.find(v)
            if isinstance(v, Param):
                return entry.args[v.index]
            if isinstance(v, Undef):
                return undef_op.result
            return ssa[v]

        for b in order:
            for k, phi in enumerate(b.phis):
                ssa[phi] = xblocks[b.id].args[k]

        def edge_args(e: Edge) -> list[SSAValue]:
            return [value(e.state[phi.var]) for phi in e.target.phis]

        start_block = self.block_at[0]
        initial = [Param(i) for i in range(nparams)] + [self.undef] * (self.nlocals - nparams)
        entry.add_op(cf.BranchOp(xblocks[start_block.id], *[value(initial[phi.var]) for phi in start_block.phis]))

        for b in order:
            xb = xblocks[b.id]
            for instr in b.instrs:
                op = instr.make([value(v) for v in instr.operands])
                if isinstance(op, R.FrameStateOp):  # where the baseline resumes: the instruction it precedes
                    op.location = self.location(op.ip.value.data)
                elif instr.ip is not None:
                    op.location = self.location(instr.ip)
                    op.attributes["ip"] = IntegerAttr(instr.ip, i64)
                xb.add_op(op)
                for k, r in enumerate(instr.results):
                    ssa[r] = op.results[k]
            first_term = len(xb.ops)
            term = b.term
            kind = term[0]
            if kind == "br":
                e = term[1]
                xb.add_op(cf.BranchOp(xblocks[e.target.id], *edge_args(e)))
            elif kind == "cond":
                _, cond, t, f = term
                xb.add_op(cf.ConditionalBranchOp(value(cond), xblocks[t.target.id], edge_args(t),
                                                 xblocks[f.target.id], edge_args(f)))
            elif kind == "ret":
                xb.add_op(R.ReturnOp(value(term[1])))
            elif kind == "throw":
                xb.add_op(R.ThrowOp(value(term[1]), term[2]))
            if b.end > b.start and self.code[b.end - 1].op in BLOCK_ENDS:  # not a fall-through into a leader
                for op in list(xb.ops)[first_term:]:
                    op.location = self.location(b.end - 1)
        if not undef_op.result.uses:
            entry.erase_op(undef_op)
        region = Region([entry] + [xblocks[b.id] for b in order])
        func = R.FuncOp(self.symbol, ftype, region, lifted_from=self.chunk.name, param_names=list(self.chunk.params))
        # Where the function is defined (the chunk records no column), for it and its parameters.
        func.location = FileLineColLoc(StringAttr(self.chunk.filename), IntAttr(self.chunk.line), IntAttr(0))
        for arg in entry.args:
            arg.location = func.location
        return func

    def location(self, ip: int) -> FileLineColLoc:
        """The source position of bytecode instruction `ip`, as an MLIR location (`loc("f.ruff":3:9)`)."""
        ins = self.code[ip]
        return FileLineColLoc(StringAttr(self.chunk.filename), IntAttr(ins.line), IntAttr(ins.col))


# ----------------------------------------------------------------------------- whole programs


@dataclass
class LiftResult:
    module: ModuleOp
    symbols: dict[int, str]  # id(chunk) → symbol of its ruff.func
    refusals: list[str]


def lift_chunks(chunks: list[Chunk], include_script: bool = False) -> LiftResult:
    taken: set[str] = set()
    funcs, refusals, symbols = [], [], {}
    for chunk in chunks:
        if chunk.name == "<script>" and not include_script:
            continue
        sym = symbol_for(chunk.name if chunk.name != "<script>" else "script", taken)
        try:
            funcs.append(Lifter(chunk, sym).lift())
            symbols[id(chunk)] = sym
        except LiftRefused as e:
            refusals.append(str(e))
            taken.discard(sym)
    return LiftResult(ModuleOp(funcs), symbols, refusals)


def literal_call_types(chunks: list[Chunk]) -> dict[str, tuple[str, ...]]:
    """Argument types of calls `f(1, 2.5, true)` with only literal arguments, by callee global name.

    The stand-in for a run-time profile when ruff-opt reads a .ruff file: enough for `fib(30)`.
    """
    names = {int: "int", float: "float", bool: "bool"}
    found: dict[str, tuple[str, ...]] = {}
    for chunk in chunks:
        code = chunk.code
        for i, ins in enumerate(code):
            if ins.op is not Op.Call or i < ins.arg + 1:
                continue
            callee = code[i - ins.arg - 1]
            args = code[i - ins.arg:i]
            if callee.op is Op.LoadGlobal and all(a.op is Op.LoadConst for a in args):
                types = tuple(names.get(type(chunk.constants[a.arg])) for a in args)
                if all(types):
                    found.setdefault(callee.arg, types)  # type: ignore[arg-type]
    return found


def lift_program(program: CompiledProgram, include_script: bool = False, annotate: bool = True) -> LiftResult:
    """Lift every function of a compiled program; with `annotate`, record `arg_types` from literal call
    sites."""
    from xdsl.dialects.builtin import ArrayAttr, StringAttr

    chunks = program.chunk.all_chunks()
    result = lift_chunks(chunks, include_script)
    if annotate:
        types = literal_call_types(chunks)
        for func in result.module.ops:
            if isinstance(func, R.FuncOp) and func.lifted_from is not None:
                t = types.get(func.lifted_from.data)
                if t is not None and len(t) == len(func.args):
                    func.attributes["arg_types"] = ArrayAttr([StringAttr(x) for x in t])
    return result


def lift_chunk(chunk: Chunk, symbol: Optional[str] = None) -> R.FuncOp:
    return Lifter(chunk, symbol or symbol_for(chunk.name, set())).lift()
