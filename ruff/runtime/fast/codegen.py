"""Ruff bytecode → Python source for the fast baseline tier.

One Chunk becomes one Python function `def ruff_<name>(cl, l0, l1, ...)`:

- `cl` is the Closure being run, then one Python parameter per Ruff parameter (trailing ones with Ruff defaults default to fastvm.MISSING and are filled
  by VM.fit_args in the prologue). Every local slot is the Python local `l<slot>` (a captured slot holds
  its Cell, as in the interpreter); upvalue cells are read once into `u<i>`.
- Ruff globals are the function's Python globals: fastvm creates the function with the module's globals
  dict, so a global read is a cached LOAD_GLOBAL and a missing one (NameError) is the Ruff error
  "Undefined variable". Ruff builtins, the runtime helpers and this chunk's constants live in the
  function's builtins, the helpers and constants under names no Ruff program can bind ("@add", "@k0"):
  the source spells them `_h_add` and `_k0`, and Ruff globals `_g<i>`; fastvm renames them in co_names.
- The operand stack disappears: its depth is static at every instruction (checked here), so each stack
  entry is a Python expression that is only ever a name or a literal — a lazy local, a constant, or the
  temporary `t<n>` that received an operation's result. At control-flow merges the entry at depth i is
  the canonical temporary `s<i>`.
- Control flow is rebuilt as structured Python (if/elif/else, `while`, `for`, try/except) from the
  dominator tree, after Ramsey's "Beyond Relooper" (ICFP 2022): a block with one forward predecessor is
  emitted inline at that branch; a merge block is emitted after the code of its nearest dominator that
  sits in the same loop and try region, and a branch to it becomes falling through, `break` or
  `continue`. The bytecode compiler only produces structured control flow, so this succeeds for all of
  it; anything else raises Unsupported and the chunk runs in the reference interpreter.
- Every Ruff semantic is inline or one helper call away: checked i64 arithmetic with int (and float,
  str) fast paths whose slow path is ruff.runtime.ops, Ruff truthiness and equality, struct operator
  overloading, try regions as Python try/except around exactly the protected code, generators as
  Python generators.
- Static facts (typeflow.py) remove what cannot happen: an operand proven to be an int, a list or a dict
  needs no class test, and int arithmetic whose interval stays inside i64 (a loop counter below its
  bound, `n - 1` after `n < 2` failed) needs no overflow test. Small functions whose parameters feed
  arithmetic get a second copy of their body behind one entry test (`l0.__class__ is int`), generated
  with those parameters known to be ints.
- A call `f(x)` is `f.chunk.fx(f, x)` when f is a Closure: the callee does the native tier's bookkeeping
  in its prologue; a TypeError from the call itself means the argument count does not fit (fastvm's
  `arity` helper then lets VM.fit_args raise the Ruff error), a RecursionError that Python refused the
  callee's frame: the depth limit is Python's recursion limit (fast/depth.py).
- Runtime errors get Ruff lines for free: every Python line of the generated source belongs to one
  bytecode instruction, and `linemap[python_line] = (ruff_line, ruff_col)` (see fastvm.FastVM.trace).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Op, StructInfo
from ruff.frontend.compiler import MatchPat, pattern_binding_names
from ruff.runtime.fast.typeflow import Facts, Ty, infer
from ruff.runtime.values import method_attr, slot_name


def exact_float(n: int) -> bool:
    """An int that a float holds exactly (so Python's exact int/float comparison is the converting one)."""
    return -(2**53) <= n <= 2**53


class Unsupported(Exception):
    """The chunk cannot be turned into structured Python; the reference interpreter runs it instead."""


# ----------------------------------------------------------------------------- stack effects

_FIXED = {
    Op.LoadConst: (0, 1), Op.Pop: (1, 0), Op.Dup: (1, 2), Op.Swap: (2, 2),
    Op.LoadLocal: (0, 1), Op.StoreLocal: (1, 0), Op.MakeCell: (0, 0), Op.LoadDeref: (0, 1),
    Op.StoreDeref: (1, 0), Op.LoadUpvalue: (0, 1), Op.StoreUpvalue: (1, 0), Op.LoadGlobal: (0, 1),
    Op.StoreGlobal: (1, 0), Op.DefineGlobal: (1, 0),
    Op.Add: (2, 1), Op.Sub: (2, 1), Op.Mul: (2, 1), Op.Div: (2, 1), Op.Mod: (2, 1),
    Op.Negate: (1, 1), Op.Not: (1, 1), Op.Truthy: (1, 1),
    Op.Equal: (2, 1), Op.NotEqual: (2, 1), Op.LessThan: (2, 1), Op.GreaterThan: (2, 1),
    Op.LessEqual: (2, 1), Op.GreaterEqual: (2, 1),
    Op.Jump: (0, 0), Op.JumpBack: (0, 0), Op.JumpIfFalse: (1, 0), Op.JumpIfTrue: (1, 0),
    Op.CallSpread: (2, 1), Op.Return: (1, 0),
    Op.SpreadArray: (2, 1), Op.ArrayPush: (2, 1), Op.SpreadDict: (2, 1), Op.DictInsert: (3, 1),
    Op.IndexGet: (2, 1), Op.IndexSet: (3, 0), Op.FieldGet: (1, 1), Op.FieldGetOpt: (1, 1), Op.FieldSet: (2, 0),
    Op.MakeEnumDef: (0, 1), Op.MakeOk: (1, 1), Op.MakeErr: (1, 1), Op.MakeSome: (1, 1), Op.MakeNone: (0, 1),
    Op.TryUnwrap: (1, 1), Op.MakeIterator: (1, 1), Op.BeginTry: (0, 0), Op.EndTry: (0, 0), Op.Throw: (1, 0),
    Op.Yield: (1, 1), Op.Await: (1, 1), Op.Spawn: (1, 1), Op.Import: (0, 1), Op.RegisterTest: (2, 0),
    Op.Nop: (0, 0),
}

_COND_JUMPS = (Op.JumpIfFalse, Op.JumpIfTrue)
_ENDS_BLOCK = (Op.Jump, Op.JumpBack, Op.JumpIfFalse, Op.JumpIfTrue, Op.JumpIfNotNull, Op.IteratorNext,
               Op.BeginTry, Op.Return, Op.Throw)
# What may follow EndTry inside its block: nothing that can raise (the Python try still encloses it).
_SAFE_AFTER_END_TRY = (Op.Pop, Op.EndTry, Op.Nop, Op.Jump, Op.JumpBack)


def stack_effect(ins: Any, consts: list) -> tuple[int, int]:
    op, arg = ins.op, ins.arg
    fixed = _FIXED.get(op)
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
    raise Unsupported(f"no stack effect for {op.name}")


# ----------------------------------------------------------------------------- control-flow analysis


class Edge:
    __slots__ = ("src", "dst", "kind", "back")

    def __init__(self, src: "Block", dst: "Block", kind: str) -> None:
        self.src, self.dst, self.kind = src, dst, kind  # kind: f(all through) j(ump) x(iterator exit) h(andler)
        self.back = False


class Block:
    __slots__ = ("start", "end", "succ", "pred", "depth", "hs", "rpo", "idom", "is_header", "loop",
                 "parent_loop", "inner", "outer", "inline_edge", "reached")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.succ: list[Edge] = []
        self.pred: list[Edge] = []
        self.depth: Optional[int] = None
        self.hs: Optional[tuple] = None  # handler stack at entry: ((handler start, stack depth), ...)
        self.rpo = -1
        self.idom: Optional[Block] = None
        self.is_header = False
        self.loop: Optional[Block] = None  # innermost loop header whose loop contains this block
        self.parent_loop: Optional[Block] = None  # for headers: the enclosing loop's header
        self.inner: list[Block] = []  # merge blocks placed inside this header's loop, after its code
        self.outer: list[Block] = []  # merge blocks placed after this block's statement
        self.inline_edge: Optional[Edge] = None
        self.reached = False

    def __repr__(self) -> str:
        return f"B{self.start}"


class Analysis:
    """Blocks, static stack depths, handler stacks, dominators, loops and the placement of every block."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.code = chunk.code
        self.consts = chunk.constants
        self.find_blocks()
        self.flow()
        self.dominators()
        self.loops()
        self.place()

    # -- blocks and edges

    def find_blocks(self) -> None:
        code = self.code
        n = len(code)
        if n == 0 or code[-1].op not in (Op.Return, Op.Throw, Op.Jump, Op.JumpBack):
            raise Unsupported("chunk does not end with a return")
        leaders = {0}
        for i, ins in enumerate(code):
            op = ins.op
            if op in _ENDS_BLOCK:
                if op not in (Op.Return, Op.Throw):
                    if not isinstance(ins.arg, int) or not 0 <= ins.arg < n:
                        raise Unsupported(f"bad jump target at {i}")
                    leaders.add(ins.arg)
                if i + 1 < n:
                    leaders.add(i + 1)
            elif op is Op.MatchPattern:
                if i + 1 >= n or code[i + 1].op not in _COND_JUMPS:
                    raise Unsupported("MatchPattern not followed by a conditional jump")
        for i, ins in enumerate(code):
            if ins.op is Op.MatchPattern and i + 1 in leaders:
                raise Unsupported("jump between MatchPattern and its test")
        starts = sorted(leaders)
        self.blocks = [Block(s, starts[k + 1] if k + 1 < len(starts) else n) for k, s in enumerate(starts)]
        self.at = {b.start: b for b in self.blocks}
        for b in self.blocks:
            last = code[b.end - 1]
            op = last.op
            if op is Op.Jump or op is Op.JumpBack:
                kinds = [("j", last.arg)]
            elif op in _COND_JUMPS or op is Op.JumpIfNotNull:
                kinds = [("f", b.end), ("j", last.arg)]
            elif op is Op.IteratorNext:
                kinds = [("f", b.end), ("x", last.arg)]
            elif op is Op.BeginTry:
                kinds = [("f", b.end), ("h", last.arg)]
            elif op is Op.Return or op is Op.Throw:
                kinds = []
            else:
                kinds = [("f", b.end)]
            for kind, target in kinds:
                if target >= n:
                    raise Unsupported("falls off the end of the chunk")
                e = Edge(b, self.at[target], kind)
                b.succ.append(e)

    def edge(self, b: Block, kind: str) -> Edge:
        for e in b.succ:
            if e.kind == kind:
                return e
        raise Unsupported(f"no {kind} edge from {b}")

    # -- stack depth and handler stack of every block (dataflow with consistency checks)

    def flow(self) -> None:
        entry = self.blocks[0]
        entry.depth, entry.hs = 0, ()
        work = [entry]
        while work:
            b = work.pop()
            for e, (depth, hs) in self.simulate(b):
                t = e.dst
                if t.depth is None:
                    t.depth, t.hs = depth, hs
                    work.append(t)
                elif t.depth != depth or t.hs != hs:
                    raise Unsupported(f"inconsistent stack at {t.start}")
        self.live = [b for b in self.blocks if b.depth is not None]
        for b in self.live:
            for e in b.succ:
                e.dst.pred.append(e)

    def simulate(self, b: Block) -> list:
        code, consts = self.code, self.consts
        depth, hs = b.depth, b.hs
        ended_try = False
        i = b.start
        while i < b.end:
            ins = code[i]
            op = ins.op
            if ended_try and op not in _SAFE_AFTER_END_TRY:
                raise Unsupported("code after EndTry in the same block")
            if op is Op.MatchPattern:
                if depth < 1:
                    raise Unsupported("stack underflow")
                k = len(pattern_binding_names(consts[ins.arg]))
                depth -= 1
                ok, fail = (depth + k, hs), (depth, hs)
                if code[i + 1].op is Op.JumpIfFalse:
                    return [(self.edge(b, "f"), ok), (self.edge(b, "j"), fail)]
                return [(self.edge(b, "j"), ok), (self.edge(b, "f"), fail)]
            if op is Op.JumpIfNotNull:
                if depth < 1:
                    raise Unsupported("stack underflow")
                return [(self.edge(b, "f"), (depth - 1, hs)), (self.edge(b, "j"), (depth, hs))]
            if op is Op.IteratorNext:
                if depth < 1:
                    raise Unsupported("stack underflow")
                return [(self.edge(b, "f"), (depth + 1, hs)), (self.edge(b, "x"), (depth - 1, hs))]
            if op is Op.BeginTry:
                return [(self.edge(b, "f"), (depth, hs + ((ins.arg, depth),))), (self.edge(b, "h"), (depth + 1, hs))]
            if op is Op.EndTry:
                if not hs:
                    raise Unsupported("EndTry outside a try region")
                hs = hs[:-1]
                ended_try = True
            pops, pushes = stack_effect(ins, consts)
            if depth < pops:
                raise Unsupported(f"stack underflow at {i}")
            depth += pushes - pops
            i += 1
        return [(e, (depth, hs)) for e in b.succ]

    # -- reverse postorder and dominators (Cooper, Harvey, Kennedy)

    def dominators(self) -> None:
        entry = self.blocks[0]
        order: list[Block] = []
        seen = {id(entry)}
        stack = [(entry, iter(entry.succ))]
        while stack:
            b, it = stack[-1]
            for e in it:
                if id(e.dst) not in seen:
                    seen.add(id(e.dst))
                    stack.append((e.dst, iter(e.dst.succ)))
                    break
            else:
                stack.pop()
                order.append(b)
        order.reverse()
        for k, b in enumerate(order):
            b.rpo = k
        self.order = order
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
                    new = p if new is None else self.intersect(p, new)
                if new is not b.idom:
                    b.idom = new
                    changed = True

    @staticmethod
    def intersect(a: Block, b: Block) -> Block:
        while a is not b:
            while a.rpo > b.rpo:
                a = a.idom
            while b.rpo > a.rpo:
                b = b.idom
        return a

    def dominates(self, a: Block, b: Block) -> bool:
        while True:
            if a is b:
                return True
            if b.idom is b:
                return False
            b = b.idom

    # -- natural loops

    def loops(self) -> None:
        bodies: dict[int, set] = {}
        heads: dict[int, Block] = {}
        for b in self.order:
            for e in b.succ:
                if e.dst.rpo <= b.rpo:
                    if not self.dominates(e.dst, b):
                        raise Unsupported("irreducible control flow")
                    e.back = True
                    h = e.dst
                    h.is_header = True
                    body = bodies.setdefault(id(h), {id(h)})
                    heads[id(h)] = h
                    work = [b]
                    while work:
                        x = work.pop()
                        if id(x) in body:
                            continue
                        body.add(id(x))
                        work.extend(p.src for p in x.pred)
        by_id = {id(b): b for b in self.order}
        for hid in sorted(bodies, key=lambda k: -len(bodies[k])):
            h = heads[hid]
            for bid in bodies[hid]:
                x = by_id[bid]
                if x is not h and x.is_header:
                    x.parent_loop = h
                x.loop = h
        for hid, body in bodies.items():  # loops must nest properly
            for other, obody in bodies.items():
                if hid != other and body & obody and not (body <= obody or obody <= body):
                    raise Unsupported("overlapping loops")
        # The block after a loop statement: the compiler puts it right after the loop's final JumpBack
        # (where the loop condition, the for-iterator and `break` all go). It is emitted after the Python
        # loop; every other block that leaves the loop (a `break` that pops the iterator, a `return`)
        # stays inside it and ends with break/return.
        self.loop_follow: dict[int, Block] = {}
        for hid, body in bodies.items():
            h = heads[hid]
            last = max(e.src.end - 1 for e in h.pred if e.back)
            f = self.at.get(last + 1)
            if f is not None and f.depth is not None and id(f) not in body and self.dominates(h, f):
                self.loop_follow[id(f)] = h

    # -- where each block's code goes

    @staticmethod
    def stmt_ctx(b: Block) -> tuple:
        """(enclosing loop, handler stack) of the place where b's statement sits."""
        return (b.parent_loop if b.is_header else b.loop), b.hs

    def edge_ctx(self, e: Edge) -> tuple:
        p = e.src
        hs = p.hs
        if e.kind == "f" and self.code[p.end - 1].op is Op.BeginTry:
            hs = e.dst.hs  # the region's handler stack (flow() checked it is p's plus this handler)
        return p.loop, hs

    @staticmethod
    def encloses(outer: Optional[Block], loop: Optional[Block]) -> bool:
        """Loop `outer` (None: the function) is `loop` or one of its enclosing loops."""
        while True:
            if loop is outer:
                return True
            if loop is None:
                return False
            loop = loop.parent_loop

    def place(self) -> None:
        for t in self.order[1:]:
            fwd = [e for e in t.pred if not e.back]
            want = self.stmt_ctx(t)
            h = self.loop_follow.get(id(t))
            if h is not None and self.stmt_ctx(h) == want:
                h.outer.append(t)
                continue
            if len(fwd) == 1:
                loop, hs = self.edge_ctx(fwd[0])
                if hs == want[1] and self.encloses(want[0], loop):
                    t.inline_edge = fwd[0]
                    continue
            if any(e.kind == "h" for e in fwd):
                raise Unsupported("try handler cannot be placed")
            z = t.idom
            while True:
                if z.is_header and (z, z.hs) == want:
                    z.inner.append(t)
                    break
                if self.stmt_ctx(z) == want:
                    z.outer.append(t)
                    break
                if z.idom is z:
                    raise Unsupported(f"no place for block {t.start}")
                z = z.idom
        for b in self.order:
            b.inner.sort(key=lambda x: x.rpo)
            b.outer.sort(key=lambda x: x.rpo)


# ----------------------------------------------------------------------------- statements


class Line:
    __slots__ = ("text", "ins", "term")

    def __init__(self, text: str, ins: Optional[int], term: bool = False) -> None:
        self.text, self.ins, self.term = text, ins, term


class If:
    __slots__ = ("cond", "ins", "then", "orelse", "term")

    def __init__(self, cond: str, ins: Optional[int], then: list, orelse: list) -> None:
        self.cond, self.ins, self.then, self.orelse = cond, ins, then, orelse
        self.term: Optional[bool] = None  # terminal(), computed once


class Loop:
    __slots__ = ("head", "ins", "body", "has_break")

    def __init__(self, head: str, ins: Optional[int], body: list) -> None:
        self.head, self.ins, self.body, self.has_break = head, ins, body, False


class Try:
    __slots__ = ("body", "catch", "handler", "ins", "term", "more")

    def __init__(self, body: list, catch: str, handler: list, ins: Optional[int], more: tuple = ()) -> None:
        self.body, self.catch, self.handler, self.ins = body, catch, handler, ins
        self.more = more  # further (catch, handler) clauses
        self.term: Optional[bool] = None


def terminal(stmts: list) -> bool:
    """Control never falls off the end of these statements."""
    if not stmts:
        return False
    s = stmts[-1]
    t = type(s)
    if t is Line:
        return s.term
    if t is Loop:
        return s.head == "while True" and not s.has_break
    if s.term is None:
        s.term = terminal(s.then) and terminal(s.orelse) if t is If else terminal(s.body) and terminal(s.handler) and all(
            terminal(h) for _, h in s.more)
    return s.term


def size(stmts: list, cap: int = 32) -> int:
    """Statements in stmts, nested ones included, counting no further than `cap`."""
    n = 0
    for s in stmts:
        t = type(s)
        n += 1
        if n >= cap:
            return n
        if t is If:
            n += size(s.then, cap - n) + size(s.orelse, cap - n)
        elif t is Loop:
            n += size(s.body, cap - n)
        elif t is Try:
            n += size(s.body, cap - n) + size(s.handler, cap - n) + sum(size(h, cap - n) for _, h in s.more)
    return n


class Renderer:
    def __init__(self) -> None:
        self.lines: list[tuple[int, str, Optional[int]]] = []

    def add(self, level: int, text: str, ins: Optional[int]) -> None:
        self.lines.append((level, text, ins))

    def block(self, stmts: list, level: int) -> None:
        if not stmts:
            self.add(level, "pass", None)
            return
        for s in stmts:
            self.stmt(s, level)

    def stmt(self, s: Any, level: int) -> None:
        t = type(s)
        if t is Line:
            self.add(level, s.text, s.ins)
        elif t is If:
            self.if_(s, level)
        elif t is Loop:
            body = s.body
            first = body[0] if body else None
            if s.head == "while True" and type(first) is If and first.ins is not None:
                # `while True: if c: <body> else: break` is `while c: <body>`
                brk = lambda arm: len(arm) == 1 and type(arm[0]) is Line and arm[0].text == "break"
                if brk(first.orelse):
                    self.add(level, f"while {first.cond}:", first.ins)
                    self.block(first.then + body[1:], level + 1)
                    return
                if brk(first.then):
                    self.add(level, f"while not ({first.cond}):", first.ins)
                    self.block(first.orelse + body[1:], level + 1)
                    return
            self.add(level, s.head + ":", s.ins)
            self.block(body, level + 1)
        else:
            one = lambda b: len(b) == 1 and type(b[0]) is Line
            clauses = ((s.catch, s.handler),) + s.more
            if one(s.body):
                self.add(level, f"try: {s.body[0].text}", s.body[0].ins)
            else:
                self.add(level, "try:", None)
                self.block(s.body, level + 1)
            for catch, handler in clauses:
                if one(handler):
                    self.add(level, f"except {catch}: {handler[0].text}", handler[0].ins)
                else:
                    self.add(level, f"except {catch}:", s.ins)
                    self.block(handler, level + 1)

    def if_(self, s: If, level: int) -> None:
        then, orelse = s.then, s.orelse
        # Guard clauses: `if c: <ends> else: rest` → `if c: <ends>` then rest at the same level, which keeps
        # long chains of early returns and matches from nesting deeper than Python allows.
        if not then and orelse:
            self.add(level, f"if not ({s.cond}):", s.ins)
            self.block(orelse, level + 1)
            return
        if orelse and terminal(then) and not (terminal(orelse) and size(orelse) < size(then)):
            self.add(level, f"if {s.cond}:", s.ins)
            self.block(then, level + 1)
            for x in orelse:
                self.stmt(x, level)
            return
        if orelse and terminal(orelse):
            self.add(level, f"if not ({s.cond}):", s.ins)
            self.block(orelse, level + 1)
            for x in then:
                self.stmt(x, level)
            return
        self.add(level, f"if {s.cond}:", s.ins)
        self.block(then, level + 1)
        while orelse:
            if len(orelse) == 1 and type(orelse[0]) is If and orelse[0].then:
                e = orelse[0]
                self.add(level, f"elif {e.cond}:", e.ins)
                self.block(e.then, level + 1)
                orelse = e.orelse
            else:
                self.add(level, "else:", None)
                self.block(orelse, level + 1)
                break


# ----------------------------------------------------------------------------- the function emitter


class Ent:
    """One operand-stack entry: a Python expression that is a name or a literal (evaluating it is free)."""

    __slots__ = ("text", "kind", "slot", "isbool", "value", "builtin", "cls", "hint")

    def __init__(self, text: str, kind: str, slot: int = -1, isbool: bool = False, value: Any = None,
                 builtin: bool = False, hint: Optional[str] = None) -> None:
        self.text = text
        self.kind = kind  # "c" constant, "l" local slot (read lazily), "t" temporary, "cond" fused test
        self.slot = slot
        self.isbool = isbool
        self.value = value
        self.builtin = builtin  # read from a global named like a builtin (probably a Builtin)
        self.cls: Optional[str] = None  # its Python class where typeflow proves one ("int", "str", ...)
        # "int" or "float": the class the value probably has (only orders the fast paths, proves nothing)
        self.hint = hint


class LoopCtx:
    __slots__ = ("header", "break_to", "stmt", "counter", "last_edge")

    def __init__(self, header: Block, break_to: Optional[Block]) -> None:
        self.header, self.break_to, self.stmt = header, break_to, None
        self.counter: Optional[str] = None  # with a JIT: the local counting back-edges (OSR)
        self.last_edge = -1


_ARITH = {Op.Add: "+", Op.Sub: "-", Op.Mul: "*", Op.Div: "/", Op.Mod: "%"}

# Builtins whose result a call site computes inline when the global still holds the builtin (fastvm's
# `_h_B_<name>`) and the guard holds: name -> (argument count, guard, expression, hint of the result).
# Each is exactly what the builtin returns for such arguments.
INLINE_BUILTINS = {
    "sqrt": (1, "{0}.__class__ is _h_float and {0} >= 0.0", "_h_msqrt({0})", "float"),
    "len": (1, "{0}.__class__ is _h_str or {0}.__class__ is _h_list or {0}.__class__ is _h_dict",
            "_h_pylen({0})", "int"),
    "substring": (3, "{0}.__class__ is _h_str and {1}.__class__ is _h_int and {2}.__class__ is _h_int "
                     "and {1} >= 0 and {2} >= 0", "{0}[{1}:{2}]", None),
    "get_default": (3, "{0}.__class__ is _h_dict and {1}.__class__ is _h_str", "{0}.get({1}, {2})", None),
}
_CMP = {Op.LessThan: "<", Op.GreaterThan: ">", Op.LessEqual: "<=", Op.GreaterEqual: ">="}
HELPER_OF = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "<": "lt", ">": "gt",
             "<=": "le", ">=": "ge", "==": "eq", "!=": "ne"}
# Operations the generated code hands to the interpreter's own slow_op (rare, or big: one definition).
_VIA_SLOW_OP = (Op.MakeStructDef, Op.MakeEnumDef, Op.SpreadArray, Op.SpreadDict, Op.Import, Op.ImportFrom,
                Op.RegisterTest, Op.Spawn)
I64_MIN_TEXT = "-9223372036854775808"


class Generated:
    """The result of generating one chunk.

    Names in `source` follow three conventions, resolved by fastvm when it builds the function:
    `_h_<x>` is the runtime helper `@<x>` and `_k<i>` the constant `@k<i>` (both looked up in the
    function's builtins, under names no Ruff program can bind), `_g<i>` is the Ruff global `globals[i]`
    (the function's globals are the module's globals, so Ruff globals are real Python globals).
    """

    def __init__(self, name: str, source: str, linemap: list, consts: dict, globals_: list, params: int,
                 defaults: int) -> None:
        self.name = name  # the Python function's name in the executed source
        self.source = source
        self.linemap = linemap  # python line → (ruff line, ruff col)
        self.consts = consts  # "_k<i>" → constant
        self.globals = globals_  # i → Ruff global name of "_g<i>"
        self.params = params  # Ruff parameters (after cl)
        self.defaults = defaults  # trailing parameters that take a default (filled by the prologue)


def py_name(name: str) -> str:
    out = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return "ruff_" + (out or "fn")


@dataclass(frozen=True)
class Profiling:
    """What a generated function still reports to the native tier; the JIT narrows it as it decides, and
    the function is generated again without the rest (fastvm.FastVM.profile_less).

    calls: count calls and hand the function to the JIT at the threshold; native: offer each call to the
    JIT's native code (try_call), which also counts argument types that have none yet; quiet_loops: loops,
    by their final back-edge, that count no back-edges any more (compiled or refused for good)."""

    calls: bool = True
    native: bool = True
    quiet_loops: frozenset = frozenset()


FULL_PROFILING = Profiling()


class FunctionEmitter:
    def __init__(self, chunk: Chunk, jit: bool, builtin_names: frozenset = frozenset(),
                 profiling: Profiling = FULL_PROFILING) -> None:
        self.chunk = chunk
        self.builtin_names = builtin_names
        self.code = chunk.code
        self.consts = chunk.constants
        self.jit = jit
        self.profiling = profiling
        # Generators and async functions are entered through fastvm's entries, which do the per-call
        # work (call counting, the native tier, argument fitting); plain functions do it themselves.
        self.plain = not (chunk.is_generator or chunk.is_async)
        self.an = Analysis(chunk)
        try:
            self.facts: Optional[Facts] = infer(chunk, analysis=self.an)
        except Unsupported:
            self.facts = None
        self.ntemp = 0
        self.namespace: dict[str, Any] = {}
        self.const_names: dict[int, str] = {}
        self.global_names: dict[str, str] = {}
        self.stored_globals: set[str] = set()
        self.uses: set[str] = set()
        self.upvals: set[int] = set()
        self.has_yield = False
        self.incoming: dict[int, list[bool]] = {}  # merge block → per-slot "every arrival is a bool"
        self.frozen: set[int] = set()
        self.slot_hint: dict[int, str] = {}  # local slot -> the hint of what was last stored there
        # Top-level code outside loops runs once: it gets one-line helper calls instead of fast paths,
        # which keeps big scripts quick to compile. Everything else is hot until proven otherwise.
        self.runs_once = chunk.name == "<script>" and not chunk.params
        self.cold = False

    # ------------------------------------------------------------------ small helpers

    def temp(self) -> str:
        self.ntemp += 1
        return f"t{self.ntemp}"

    def const_name(self, value: Any) -> str:
        key = id(value)
        name = self.const_names.get(key)
        if name is None:
            name = f"_k{len(self.const_names)}"
            self.const_names[key] = name
            self.namespace[name] = value
        return name

    def gname(self, name: str) -> str:
        g = self.global_names.get(name)
        if g is None:
            g = f"_g{len(self.global_names)}"
            self.global_names[name] = g
        return g

    def const(self, value: Any) -> Ent:
        t = type(value)
        if value is None:
            return Ent("None", "c", value=None)
        if t is bool:
            return Ent("True" if value else "False", "c", isbool=True, value=value)
        if t is int:
            return Ent(f"({value})", "c", value=value)  # parenthesized: `(5).__class__` is valid Python
        if t is float:
            if math.isfinite(value):
                text = repr(value)
                return Ent(text if not text.startswith("-") else f"({text})", "c", value=value)
            return Ent(self.const_name(value), "c", value=value)
        if t is str:
            return Ent(repr(value), "c", value=value)
        return Ent(self.const_name(value), "c", value=value)

    def line(self, out: list, text: str, ins: Optional[int], term: bool = False) -> None:
        out.append(Line(text, ins, term))

    def canon(self, b: Block, use_incoming: bool = True) -> list:
        bools = self.incoming.get(b.start) if use_incoming else None
        self.frozen.add(b.start)
        return [Ent(f"s{i}", "t", isbool=bool(bools and bools[i])) for i in range(b.depth)]

    def materialize(self, state: list, target: Block, out: list) -> None:
        """Move the entries into the canonical temporaries s0..sn that `target` expects (parallel assignment)."""
        if len(state) != target.depth:
            raise Unsupported("stack depth mismatch at a merge")
        bools = [e.isbool or (e.kind == "c" and type(e.value) is bool) for e in state]
        if not target.is_header:
            prev = self.incoming.get(target.start)
            if target.start in self.frozen:
                if prev is None or any(p and not b for p, b in zip(prev, bools)):
                    raise Unsupported("merge reached after it was emitted")
            else:
                self.incoming[target.start] = bools if prev is None else [p and b for p, b in zip(prev, bools)]
        lhs, rhs = [], []
        for i, e in enumerate(state):
            if e.text != f"s{i}":
                lhs.append(f"s{i}")
                rhs.append(e.text)
        if lhs:
            self.line(out, f"{', '.join(lhs)} = {', '.join(rhs)}", None)

    def spill_local(self, state: list, slot: int, out: list) -> None:
        """Before local `slot` is written: stack entries still reading it lazily get its current value."""
        t = None
        for k, e in enumerate(state):
            if e.kind == "l" and e.slot == slot:
                if t is None:
                    t = self.temp()
                    self.line(out, f"{t} = l{slot}", None)
                state[k] = Ent(t, "t")

    def int_params(self) -> set[int]:
        """Parameters read straight into arithmetic or a comparison (small plain functions only)."""
        chunk, code = self.chunk, self.code
        if not self.plain or not chunk.params or len(code) > _SPECIALIZE_MAX or self.facts is None:
            return set()
        cells = {ins.arg for ins in code if ins.op in (Op.MakeCell, Op.LoadDeref, Op.StoreDeref)}
        out = set()
        for k, ins in enumerate(code[:-2]):
            if ins.op is Op.LoadLocal and ins.arg < len(chunk.params) and ins.arg not in cells:
                nxt = code[k + 1].op if code[k + 1].op is not Op.LoadLocal and code[k + 1].op is not Op.LoadConst \
                    else code[k + 2].op
                if nxt in _ARITH or nxt in _CMP:
                    out.add(ins.arg)
        return out

    def tag(self, i: int, state: list) -> None:
        """Give the entries that instruction i reads the classes typeflow proves for them."""
        known = self.facts.stack(i) if self.facts is not None else None
        if known is None or len(known) != len(state):
            for e in state[-3:]:
                e.cls = None
            return
        for e, v in zip(state[-3:], known[-3:]):
            e.cls = _CLASS_OF.get(v.ty)

    def nonnegative(self, i: int, k: int) -> bool:
        """typeflow: the k-th stack entry from the top before instruction i is an int >= 0."""
        known = self.facts.stack(i) if self.facts is not None else None
        lo = known[-k].lo if known is not None and len(known) >= k else None
        return lo is not None and lo >= 0

    def no_overflow(self, i: int) -> bool:
        return self.facts is not None and self.facts.no_overflow(i)

    @staticmethod
    def is_cls(e: Ent, cls: str) -> Optional[str]:
        """Python test that e's value has exactly Python type `cls` (None when it statically does)."""
        if e.kind == "c":
            return None if type(e.value).__name__ == cls else "False"
        if e.cls is not None:
            return None if e.cls == cls else "False"
        return f"{e.text}.__class__ is _h_{cls}"

    def cls_test(self, e: Ent, cls: str) -> str:
        """is_cls as an expression: "True", "False" or the test."""
        c = self.is_cls(e, cls)
        return "True" if c is None else c

    @staticmethod
    def hint(e: Ent) -> Optional[str]:
        """The class e probably has: "int", "float" or None."""
        if e.kind == "c":
            t = type(e.value)
            return "int" if t is int else "float" if t is float else None
        if e.cls is not None:
            return e.cls if e.cls in ("int", "float") else None
        return e.hint

    def int_checks(self, *ents: Ent) -> Optional[str]:
        parts = []
        for e in ents:
            c = self.is_cls(e, "int")
            if c == "False":
                return None
            if c is not None:
                parts.append(c)
        return " and ".join(parts) if parts else "True"

    def truth(self, e: Ent) -> str:
        """Python condition for Ruff truthiness of e."""
        if e.kind == "cond" or e.isbool or e.cls == "bool":
            return e.text
        if e.kind == "c":
            v = e.value
            if v is None or v is False:
                return "False"
            if type(v) in (int, float, str):
                return "True" if v else "False"
            return "True"
        x = e.text
        return f"({x} is True or ({x} is not False and {x} is not None and _h_truthy({x})))"

    # ------------------------------------------------------------------ generation entry

    def generate(self) -> Generated:
        chunk = self.chunk
        body: list = []
        entry = self.an.blocks[0]
        ints = self.int_params()
        if ints:
            # Parameters that feed arithmetic: a second copy of the body for when they are ints, where
            # typeflow drops their class checks and the overflow checks their ranges rule out.
            generic = self.facts
            self.facts = infer(chunk, tuple(Ty.INT if k in ints else Ty.UNKNOWN for k in range(len(chunk.params))),
                               analysis=self.an)
            special: list = []
            try:
                self.emit_tree(entry, [], None, [], special)
            except Unsupported:
                special = []
            self.facts, self.incoming, self.frozen = generic, {}, set()
            if special and terminal(special):
                body.append(If(" and ".join(f"l{k}.__class__ is _h_int" for k in sorted(ints)), None, special, []))
        self.emit_tree(entry, [], None, [], body)
        if not terminal(body):
            raise Unsupported("control can fall off the end of the function")
        nparams = len(chunk.params)
        if nparams > chunk.num_locals:
            raise Unsupported("more parameters than locals")
        flags = list(chunk.param_defaults) if chunk.param_defaults else [False] * nparams
        ndefaults = 0
        if self.plain and len(flags) == nparams:
            while ndefaults < nparams and flags[nparams - 1 - ndefaults]:
                ndefaults += 1
            if any(flags[: nparams - ndefaults]):
                ndefaults = 0  # defaults before required parameters: every short call goes through fit_args
        params = ["cl", "d"] + [f"l{i}" for i in range(nparams)]
        for k in range(nparams - ndefaults, nparams):
            params[2 + k] = f"l{k}=None"  # the real default is fastvm's MISSING marker (FunctionType argdefs)
        prologue: list = []
        if self.plain:
            # `d` is this frame's Ruff depth (the script is 1): the interpreter's limit, exactly.
            prologue.append(Line("if d > _h_MAXF: _h_refuse(cl)", None))
        if self.stored_globals:
            prologue.append(Line("global " + ", ".join(sorted(self.global_names[n] for n in self.stored_globals)), None))
        if self.plain and ndefaults:
            # Missing arguments are a suffix: when the last parameter has none, fit them all.
            every = ", ".join(f"l{i}" for i in range(nparams))
            prologue.append(Line(f"if l{nparams - 1} is _h_MISSING: {every}{',' if nparams == 1 else ''} = "
                                 f"_h_fit(cl, {every})", None))
        if self.plain:
            if self.jit:
                args = ", ".join(f"l{i}" for i in range(nparams))
                if self.profiling.calls:
                    prologue.append(Line("_h_CH.calls += 1", None))
                    prologue.append(Line(f"if _h_CH.calls == _h_HOT: _h_vm.jit.hot(cl, [{args}])", None))
                if self.profiling.native:
                    prologue.append(If("_h_CH.tier_state is not None", None, [
                        Line(f"_hd, _rv = _h_vm.jit.try_call(cl, [{args}], d)", None),
                        Line("if _hd: return _rv", None)], []))
        rest = [f"l{i}" for i in range(nparams, chunk.num_locals)]
        if rest:
            prologue.append(Line(" = ".join(rest) + " = None", None))
        if "M" in self.uses or "K" in self.uses:
            prologue.append(Line("_M = cl.module", None))
        if "K" in self.uses:
            prologue.append(Line("K = _M.kinds", None))
        if self.upvals:
            prologue.append(Line("U = cl.upvalues", None))
            for i in sorted(self.upvals):
                prologue.append(Line(f"u{i} = U[{i}]", None))
        if chunk.is_generator and not self.has_yield:
            prologue.append(Line("if False: yield", None))
        name = py_name(chunk.name)
        r = Renderer()
        r.add(0, f"def {name}({', '.join(params)}):", None)
        r.block(prologue + body, 1)
        src_lines = []
        linemap: list = [(chunk.line, 0)]  # python lines are 1-based
        code = self.code
        for level, text, ins in r.lines:
            src_lines.append("    " * level + text)
            if ins is None:
                linemap.append((chunk.line, 0))
            else:
                linemap.append((code[ins].line, code[ins].col))
        source = "\n".join(src_lines) + "\n"
        globals_ = [None] * len(self.global_names)
        for n, g in self.global_names.items():
            globals_[int(g[2:])] = n
        return Generated(name, source, linemap, self.namespace, globals_, nparams, ndefaults)

    # ------------------------------------------------------------------ structure

    def emit_tree(self, z: Block, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        after = z.outer[0] if z.outer else follow
        if z.is_header:
            self.materialize(state, z, out)
            state = self.canon(z, use_incoming=False)
            ctx = LoopCtx(z, after)
            inner_loops = loops + [ctx]
            if self.jit:
                # On-stack replacement (ruff.osr): count back-edges; when the loop is hot, offer it to the
                # JIT with the frame's state, as the interpreter's JumpBack does. The JIT resumes after
                # the loop's final JumpBack, which must be where `break` goes.
                last = max(e.src.end - 1 for e in z.pred if e.back)
                if after is not None and after.start == last + 1 and last not in self.profiling.quiet_loops:
                    ctx.counter, ctx.last_edge = f"_n{z.start}", last
                    self.line(out, f"{ctx.counter} = _h_CH.loop_counts.get({last}, 0)", None)
            body: list = []
            first_follow = z.inner[0] if z.inner else z
            if self.code[z.start].op is Op.IteratorNext:
                stmt = self.emit_for(z, state, first_follow, inner_loops, body, ctx)
            else:
                stmt = Loop("while True", None, body)
                ctx.stmt = stmt
                self.emit_node(z, state, first_follow, inner_loops, body)
            for k, c in enumerate(z.inner):
                nxt = z.inner[k + 1] if k + 1 < len(z.inner) else z
                self.emit_tree(c, self.canon(c), nxt, inner_loops, body)
            out.append(stmt)
            if ctx.counter is not None:
                # Keep the count across entries (as the interpreter does): an inner loop entered again
                # and again goes native at its first back-edge once it is hot.
                self.line(out, f"_h_CH.loop_counts[{ctx.last_edge}] = {ctx.counter}", None)
        else:
            self.emit_node(z, state, after, loops, out)
        for k, c in enumerate(z.outer):
            nxt = z.outer[k + 1] if k + 1 < len(z.outer) else follow
            self.emit_tree(c, self.canon(c), nxt, loops, out)

    def branch(self, e: Edge, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        t = e.dst
        if e.back:
            if loops and loops[-1].header is t:
                self.materialize(state, t, out)
                ctx = loops[-1]
                if ctx.counter is not None:
                    n = ctx.counter
                    edge = e.src.end - 1
                    every = [f"l{k}" for k in range(self.chunk.num_locals)]
                    stack = ", ".join(f"s{k}" for k in range(t.depth))
                    hot = [Line(f"_fr = _h_osrframe(cl, [{', '.join(every)}], [{stack}])", edge),
                           If(f"_h_vm.jit.osr(_fr, {edge}, d)", edge,
                              ([Line(f"{', '.join(every)}{',' if len(every) == 1 else ''} = _fr.locals", edge)]
                               if every else []) + [Line("break", edge, term=True)], []),
                           # Let go of the snapshot: a local it holds (a string being built) must have one
                           # owner again for CPython to append to it in place.
                           Line("_fr = None", edge),
                           Line(f"{n} = _h_CH.loop_counts.get({ctx.last_edge}, {n})", edge)]
                    ctx.stmt.has_break = True
                    self.line(out, f"{n} += 1", edge)
                    out.append(If(f"{n} >= _h_OSR", edge, hot, []))
                self.line(out, "continue", None, term=True)
                return
            raise Unsupported("jump back to an outer loop")
        if t.inline_edge is e:
            self.emit_tree(t, state, follow, loops, out)
            return
        self.materialize(state, t, out)
        if t is follow:
            return
        if loops and loops[-1].break_to is t:
            self.line(out, "break", None, term=True)
            loops[-1].stmt.has_break = True
            return
        raise Unsupported(f"unstructured jump to {t.start}")

    def emit_for(self, z: Block, state: list, follow: Optional[Block], loops: list, body: list, ctx: LoopCtx) -> Loop:
        if z.end != z.start + 1:
            raise Unsupported("loop header with more than IteratorNext")
        exit_edge = self.an.edge(z, "x")
        if exit_edge.dst is not ctx.break_to:
            raise Unsupported("for-loop exit is not where the loop statement ends")
        fall = self.an.edge(z, "f")
        it = state[-1].text
        first = self.code[fall.dst.start]
        if fall.dst.inline_edge is fall and first.op is Op.StoreLocal:
            var = Ent(f"l{first.arg}", "l", slot=first.arg)  # `for l3 in ...` binds the local directly
        else:
            var = Ent(self.temp(), "t")
        stmt = Loop(f"for {var.text} in {it}", z.start, body)
        ctx.stmt = stmt
        self.branch(fall, state + [var], follow, loops, body)
        return stmt

    # ------------------------------------------------------------------ one block

    def emit_node(self, b: Block, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        code = self.code
        state = list(state)
        self.cold = self.runs_once and b.loop is None
        last = b.end - 1
        i = b.start
        while i < last:
            ins = code[i]
            op = ins.op
            if op is Op.MatchPattern:
                break
            if op is Op.MakeCell and i + 1 < last and code[i + 1].op is Op.StoreDeref and code[i + 1].arg == ins.arg:
                # A captured variable's first value: one new cell holding it.
                self.spill_local(state, ins.arg, out)
                v = state.pop()
                self.line(out, f"l{ins.arg} = _h_Cell({v.text})", i)
                i += 2
                continue
            self.tag(i, state)
            if op in _CMP or op is Op.Equal or op is Op.NotEqual:
                nxt = code[i + 1].op
                if nxt is Op.Truthy and i + 1 < last:  # `a < b || ...`: only the comparison's truth is kept
                    self.compare(op, state, out, i, True)
                    cond = state.pop()
                    self.result(state, out, cond.text, i, isbool=True)
                    i += 2
                    continue
                self.compare(op, state, out, i, i + 1 == last and nxt in _COND_JUMPS)
            else:
                self.instr(ins, i, state, out)
            i += 1
        term = code[last]
        op = term.op
        if op is Op.Jump or op is Op.JumpBack:
            self.branch(b.succ[0], state, follow, loops, out)
        elif op in _COND_JUMPS:
            if i < last and code[i].op is Op.MatchPattern:
                self.match(b, i, state, follow, loops, out)
                return
            fall, jump = self.an.edge(b, "f"), self.an.edge(b, "j")
            self.tag(last, state)
            cond = state.pop()
            test = self.truth(cond)
            cond_ins = i - 1 if cond.kind == "cond" else last
            first, second = (fall, jump) if op is Op.JumpIfFalse else (jump, fall)
            then: list = []
            orelse: list = []
            self.branch(first, list(state), follow, loops, then)
            self.branch(second, list(state), follow, loops, orelse)
            out.append(If(test, cond_ins, then, orelse))
        elif op is Op.JumpIfNotNull:
            v = state.pop()
            then = []
            orelse = []
            self.branch(self.an.edge(b, "j"), state + [v], follow, loops, then)
            self.branch(self.an.edge(b, "f"), list(state), follow, loops, orelse)
            test = ("True" if v.value is not None else "False") if v.kind == "c" else f"{v.text} is not None"
            out.append(If(test, last, then, orelse))
        elif op is Op.BeginTry:
            fall, handler = self.an.edge(b, "f"), self.an.edge(b, "h")
            # The try region starts with every stack entry in its canonical temporary.
            for k, e in enumerate(state):
                if e.text != f"s{k}":
                    self.line(out, f"s{k} = {e.text}", None)
                    state[k] = Ent(f"s{k}", "t", isbool=e.isbool)
            depth = len(state)
            body: list = []
            self.branch(fall, list(state), follow, loops, body)
            hstate = state[:depth] + [Ent(f"s{depth}", "t")]
            hbody: list = [Line(f"s{depth} = _h_catch(_e)", last)]
            self.branch(handler, hstate, follow, loops, hbody)
            out.append(Try(body, "_h_RE as _e", hbody, last))
        elif op is Op.Return:
            v = state.pop()
            self.line(out, f"return {v.text}", last, term=True)
        elif op is Op.Throw:
            v = state.pop()
            self.line(out, f"raise _h_thrown({v.text})", last, term=True)
        elif op is Op.IteratorNext:
            raise Unsupported("IteratorNext outside a loop header")
        else:
            self.tag(last, state)
            if op in _CMP or op is Op.Equal or op is Op.NotEqual:
                self.compare(op, state, out, last, False)
            else:
                self.instr(term, last, state, out)
            self.branch(self.an.edge(b, "f"), state, follow, loops, out)

    def match(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        pat: MatchPat = self.consts[self.code[i].arg]
        v = state.pop()
        k = len(pattern_binding_names(pat))
        fall, jump = self.an.edge(b, "f"), self.an.edge(b, "j")
        ok_edge, fail_edge = (fall, jump) if self.code[i + 1].op is Op.JumpIfFalse else (jump, fall)
        ok_state = list(state)
        ok_body: list = []
        if pat.kind == "wild":
            cond = "True"
        elif pat.kind == "bind":
            cond = "True"
            ok_state.append(v)
        elif pat.kind == "lit" and k == 0:
            cond = f"_h_mlit({self.const_name(pat)}, {v.text})"
        else:
            cond = f"(_b := _h_mp({self.const_name(pat)}, {v.text})) is not None"
            temps = [self.temp() for _ in range(k)]
            if k == 1:
                ok_body.append(Line(f"{temps[0]} = _b[0]", i))
            elif k > 1:
                ok_body.append(Line(f"{', '.join(temps)} = _b", i))
            ok_state.extend(Ent(t, "t") for t in temps)
        self.branch(ok_edge, ok_state, follow, loops, ok_body)
        fail_body: list = []
        self.branch(fail_edge, list(state), follow, loops, fail_body)
        out.append(If(cond, i, ok_body, fail_body))

    # ------------------------------------------------------------------ comparisons

    def compare(self, op: Op, state: list, out: list, i: int, fuse: bool) -> None:
        b = state.pop()
        a = state.pop()
        if op is Op.Equal or op is Op.NotEqual:
            sym = "==" if op is Op.Equal else "!="
            fast = self.eq_fast(a, b, op is Op.Equal)
        else:
            sym = _CMP[op]
            checks = self.int_checks(a, b)
            fast = None if checks is None else (f"{a.text} {sym} {b.text}", checks)
        slow = f"_h_{HELPER_OF[sym]}({a.text}, {b.text}, d)"
        if fuse:
            slow = f"_h_truthy({slow})"
        expr = slow
        if self.cold:
            fast = None
        elif sym not in ("==", "!="):
            fguard = self.float_guard(a, b)
            if fguard is not None:
                expr = f"{a.text} {sym} {b.text} if {fguard} else {expr}"
        if fast is not None:
            expr = fast[0] if fast[1] == "True" else f"({fast[0]} if {fast[1]} else {expr})"
        if fuse:
            state.append(Ent(expr, "cond", isbool=True))
            return
        t = self.temp()
        self.line(out, f"{t} = {expr}", i)
        state.append(Ent(t, "t"))

    def float_guard(self, a: Ent, b: Ent) -> Optional[str]:
        """Guard under which Python's comparison is Ruff's: every operand a float, or an int constant that
        converts to a float exactly (Ruff compares an int with a float by converting the int, as the
        reference does; Python compares them exactly, which differs past 2**53)."""
        if a.kind == "c" and b.kind == "c":
            return None
        for e in (a, b):
            if e.kind == "c" and (type(e.value) is not float and not (type(e.value) is int and exact_float(e.value))):
                return None
        return " and ".join(f"{e.text}.__class__ is _h_float" for e in (a, b) if e.kind != "c")

    def eq_fast(self, a: Ent, b: Ent, eq: bool) -> Optional[tuple[str, str]]:
        """(expression, guard) computing values_equal(a, b) without a call when the guard holds."""
        if b.kind == "c" and a.kind != "c":
            x, c = a, b
        elif a.kind == "c" and b.kind != "c":
            x, c = b, a
        else:
            x = c = None
        if x is not None:
            v = c.value
            tv = type(v)
            if v is None or tv is bool:
                # Only a struct's op_eq / op_ne makes `==` with null or a bool more than identity.
                method = "op_eq" if eq else "op_ne"
                guard = f"not _h_isinstance({x.text}, _h_SI) or {method!r} not in {x.text}.type.methods"
                if v is None:
                    guard = f"{x.text} is None or {guard}"
                return f"{x.text} {'is' if eq else 'is not'} {c.text}", guard
            if tv is int or tv is str:
                return f"{x.text} {'==' if eq else '!='} {c.text}", f"{x.text}.__class__ is _h_{tv.__name__}"
            return None
        checks = self.int_checks(a, b)
        if checks is None:
            return None
        return f"{a.text} {'==' if eq else '!='} {b.text}", checks

    # ------------------------------------------------------------------ arithmetic

    def arith(self, op: Op, state: list, out: list, i: int) -> None:
        b = state.pop()
        a = state.pop()
        sym = _ARITH[op]
        r = self.temp()
        slow = self.again(r, f"_h_{HELPER_OF[sym]}", [a.text, b.text], i)
        ha, hb = self.hint(a), self.hint(b)
        # Operands of unknown class are taken for floats first: ints are mostly known or hinted (loop
        # counters, constants, what was computed from them).
        float_first = "int" not in (ha, hb)
        state.append(Ent(r, "t", hint="float" if "float" in (ha, hb) or (float_first and sym == "/") else
                         "int" if "int" in (ha, hb) and sym != "/" else None))
        if (a.kind == "c" and b.kind == "c") or self.cold:
            out.append(slow)
            return
        paths: list = []  # (guard, statements): inline fast paths, tried in order, then the helper
        checks = self.int_checks(a, b)
        if checks is not None:
            body = self.int_arith(sym, a, b, r, checks, i)
            if checks == "True":  # typeflow: two ints
                out.extend(body)
                return
            paths.append((checks, body))
        inplace = self.inplace_target(a, i, state[:-1]) if sym == "+" else None
        if sym == "+":
            str_checks = self.type_checks("str", a, b)
            # `s := s + x` becomes `l3 = l3 + x`: CPython appends in place to a string nothing else holds.
            concat = Line(f"{inplace or r} = {a.text} + {b.text}", i)
            if str_checks == "True":  # typeflow: two strings
                out.append(concat)
                if inplace is not None:
                    state[-1] = Ent(inplace, "l", slot=a.slot)
                return
            if str_checks is not None:
                paths.append((str_checks, [concat]))
        nfixed = len(paths)
        numeric = lambda e: e.kind != "c" or type(e.value) in (int, float)
        if sym in "+-*/" and numeric(a) and numeric(b):
            # float op float, float op int, int op float: Python converts the int, as ops does
            guard = []
            for e, other in ((a, b), (b, a)):
                if e.kind == "c":
                    continue
                if other.kind == "c" and type(other.value) is float:
                    guard.append(f"({e.text}.__class__ is _h_float or {e.text}.__class__ is _h_int)")
                else:
                    guard.append(f"{e.text}.__class__ is _h_float")
            if sym == "/":
                if b.kind == "c":
                    guard = guard if b.value != 0 else []
                else:
                    guard.append(f"{b.text} != 0")
            if guard:
                path = (" and ".join(guard), [Line(f"{r} = {a.text} {sym} {b.text}", i)])
                paths.insert(0 if float_first else nfixed, path)
        stmt: list = [slow]
        if inplace is not None:  # every other path stores its result into the local too
            state[-1] = Ent(inplace, "l", slot=a.slot)
            stmt.append(Line(f"{inplace} = {r}", i))
            for _, body in paths:
                if body[-1] is not concat:
                    body.append(Line(f"{inplace} = {r}", i))
        for guard, body in reversed(paths):
            stmt = [If(guard, i, body, stmt)]
        out.extend(stmt)

    def inplace_target(self, a: Ent, i: int, others: list) -> Optional[str]:
        """The local `l<n>` when instruction i computes from `a`, a read of slot n, and the next
        instruction, in the same block, stores the result back into slot n, none of the `others` stack
        entries reading that slot lazily: the result can go straight into the local."""
        nxt = i + 1
        if a.kind != "l" or nxt >= len(self.code) or nxt in self.an.at:
            return None
        ins = self.code[nxt]
        if ins.op is not Op.StoreLocal or ins.arg != a.slot:
            return None
        if any(e.kind == "l" and e.slot == a.slot for e in others):
            return None
        return a.text

    def type_checks(self, cls: str, *ents: Ent) -> Optional[str]:
        """Python test that every entry has class cls: "True" when typeflow proves it, None when one cannot."""
        parts = []
        for e in ents:
            c = self.is_cls(e, cls)
            if c == "False":
                return None
            if c is not None:
                parts.append(c)
        return " and ".join(parts) if parts else "True"

    def int_arith(self, sym: str, a: Ent, b: Ent, r: str, checks: str, i: int) -> list:
        """Checked i64 arithmetic on two ints (the fast path of ops.add/sub/mul/div/mod)."""
        then: list = []
        if sym in "+-*":
            then.append(Line(f"{r} = {a.text} {sym} {b.text}", i))
            if self.no_overflow(i):
                return then
            ovf = f"{r} = _h_ovf('{sym}', {a.text}, {b.text}, {r})"
            if sym != "*" and (a.kind == "c" or b.kind == "c"):
                # Adding or subtracting a constant can only leave the range on one side.
                up = (b.value >= 0) == (sym == "+") if b.kind == "c" else a.value >= 0
                test = f"{r} > 9223372036854775807" if up else f"{r} < {I64_MIN_TEXT}"
            else:
                test = f"{r}.bit_length() > 63"  # _h_ovf rechecks: -2**63 itself has 64 bits
            then.append(Line(f"if {test}: {ovf}", i))
            return then
        pyop = "//" if sym == "/" else "%"
        if b.kind == "c" and b.value > 0 and a.cls == "int" and self.nonnegative(i, 2):
            return [Line(f"{r} = {a.text} {pyop} {b.text}", i)]  # typeflow: a non-negative dividend
        if b.kind == "c" and b.value > 0:
            # Truncating division / remainder with the sign of the dividend, for a positive divisor.
            return [Line(f"{r} = {a.text} {pyop} {b.text} if {a.text} >= 0 else -(-{a.text} {pyop} {b.text})", i)]
        return [If(f"{a.text} >= 0 and {b.text} > 0", i, [Line(f"{r} = {a.text} {pyop} {b.text}", i)],
                   [Line(f"{r} = _h_{HELPER_OF[sym]}({a.text}, {b.text}, d)", i)])]

    # ------------------------------------------------------------------ calls

    def closure_call(self, fobj: str, args: list[str], r: str, i: int) -> list:
        """Statements calling `fobj`, known to be a Closure, with `args` (texts); result into r.

        The callee runs one frame deeper, checks the depth, fills defaults and does the native-tier
        bookkeeping itself; a TypeError raised by the Python call itself means the argument count does
        not fit.
        """
        argtext = ", ".join(args)
        return [Try([Line(f"{r} = {fobj}.chunk.fx({fobj}, d + 1{', ' if args else ''}{argtext})", i)],
                    "_h_TypeError as _te", [Line(f"{r} = _h_arity(_te, {fobj}, [{argtext}], d)", i)], i)]

    @staticmethod
    def again(r: str, helper: str, args: list[str], i: int) -> Line:
        """`r = helper(*args, d)` for a helper that may call Ruff code (operator overloading, method calls),
        which then runs one frame deeper than this one."""
        return Line(f"{r} = {helper}({', '.join([*args, 'd'])})", i)

    def call(self, ins: Any, i: int, state: list, out: list) -> None:
        argc = ins.arg
        args = [state.pop() for _ in range(argc)][::-1]
        f = state.pop()
        r = self.temp()
        argtext = ", ".join(a.text for a in args)
        if f.kind == "c" or self.cold:
            out.append(self.again(r, "_h_call", [f.text, f"[{argtext}]"], i))
        else:
            closure = self.closure_call(f.text, [a.text for a in args], r, i)
            builtin = [Line("_h_vm.cdepth = d", i), Line(f"{r} = {f.text}.fn(_h_vm, [{argtext}])", i)]
            other = [self.again(r, "_h_ocall", [f.text, f"[{argtext}]"], i)]
            is_closure, is_builtin = f"{f.text}.__class__ is _h_Closure", f"{f.text}.__class__ is _h_Builtin"
            inline = INLINE_BUILTINS.get(f.value) if f.builtin else None
            if inline is not None and inline[0] == argc:
                _, guard, expr, hint = inline
                texts = [a.text for a in args]
                out.append(If(f"{f.text} is _h_B_{f.value} and ({guard.format(*texts)})", i,
                              [Line(f"{r} = {expr.format(*texts)}", i)],
                              [If(is_builtin, i, builtin, [If(is_closure, i, closure, other)])]))
                state.append(Ent(r, "t", hint=hint))
                return
            target = self.inplace_target(args[0], i, state) if f.builtin and f.value == "push" and argc == 2 else None
            if target is not None:
                # `xs := push(xs, x)` appends in place when nothing but the local holds the array (the
                # reference count of a local's object is 2 inside getrefcount): no one can see the
                # difference from the copy push makes.
                x = args[1].text
                general = If(is_builtin, i, builtin, [If(is_closure, i, closure, other)])
                out.append(If(f"{f.text} is _h_B_push and {target}.__class__ is _h_list and "
                              f"_h_refcount({target}) == 2", i, [Line(f"{target}.append({x})", i)],
                              [general, Line(f"{target} = {r}", i)]))
                state.append(Ent(target, "l", slot=args[0].slot))
                return
            if f.builtin:  # `len(x)`: test for a builtin first
                out.append(If(is_builtin, i, builtin, [If(is_closure, i, closure, other)]))
            else:
                # Most likely a Closure: no test before the call; anything else has no `.chunk`.
                call = closure[0]
                call.more = (("_h_AttributeError as _ae", [Line(f"{r} = _h_notfn(_ae, {f.text}, [{argtext}], d)", i)]),
                             ) + call.more
                out.append(call)
        state.append(Ent(r, "t"))

    def call_method(self, ins: Any, i: int, state: list, out: list) -> None:
        name, argc = ins.arg
        args = [state.pop() for _ in range(argc)][::-1]
        o = state.pop()
        r = self.temp()
        argtext = ", ".join(a.text for a in args)
        slow = self.again(r, "_h_mcall", [o.text, repr(name), f"[{argtext}]"], i)
        if o.kind == "c" or self.cold:
            out.append(slow)
        else:
            fast = self.closure_call("_m", [o.text] + [a.text for a in args], r, i)
            # Only struct classes have method attributes, and only for methods that are Closures.
            cond = f"(_m := _h_getattr({o.text}, {method_attr(name)!r}, None)) is not None"
            out.append(If(cond, i, fast, [slow]))
        state.append(Ent(r, "t"))

    # ------------------------------------------------------------------ everything else

    def result(self, state: list, out: list, expr: str, i: int, isbool: bool = False) -> None:
        t = self.temp()
        self.line(out, f"{t} = {expr}", i)
        state.append(Ent(t, "t", isbool=isbool))

    def instr(self, ins: Any, i: int, state: list, out: list) -> None:
        op, arg = ins.op, ins.arg
        if op is Op.LoadConst:
            state.append(self.const(self.consts[arg]))
        elif op is Op.LoadLocal:
            state.append(Ent(f"l{arg}", "l", slot=arg, hint=self.slot_hint.get(arg)))
        elif op is Op.StoreLocal:
            v = state.pop()
            h = self.hint(v)
            if h is not None:
                self.slot_hint[arg] = h
            self.spill_local(state, arg, out)
            if v.text != f"l{arg}":
                self.line(out, f"l{arg} = {v.text}", i)
        elif op is Op.Pop:
            state.pop()
        elif op in _ARITH:
            self.arith(op, state, out, i)
        elif op is Op.LoadGlobal:
            r = self.temp()
            # Ruff globals are the function's Python globals, Ruff builtins its Python builtins.
            out.append(Try([Line(f"{r} = {self.gname(arg)}", i)], "_h_NameError",
                           [Line(f"{r} = _h_gmiss({arg!r})", i)], i))
            state.append(Ent(r, "t", builtin=arg in self.builtin_names, value=arg))
        elif op is Op.StoreGlobal:
            v = state.pop()
            self.uses.add("K")
            self.stored_globals.add(arg)
            # let/const bindings: the interpreter's StoreGlobal raises the error.
            self.line(out, f"if {arg!r} in K and K[{arg!r}] in _h_IMMUTABLE: _h_slow({int(Op.StoreGlobal)}, "
                           f"{arg!r}, [{v.text}], cl)", i)
            self.line(out, f"{self.gname(arg)} = {v.text}", i)
            if self.jit:
                self.uses.add("M")
                self.line(out, f"_h_vm.jit.global_rebound(_M, {arg!r})", i)
        elif op is Op.DefineGlobal:
            name, kind = arg
            v = state.pop()
            self.uses.add("K")
            self.stored_globals.add(name)
            self.line(out, f"{self.gname(name)} = {v.text}", i)
            self.line(out, f"K[{name!r}] = {kind!r}", i)
            if self.jit:
                self.uses.add("M")
                self.line(out, f"_h_vm.jit.global_rebound(_M, {name!r})", i)
        elif op is Op.Call:
            self.call(ins, i, state, out)
        elif op is Op.CallMethod:
            self.call_method(ins, i, state, out)
        elif op is Op.CallSpread:
            a = state.pop()
            f = state.pop()
            self.result(state, out, f"_h_call({f.text}, _h_list({a.text}), d)", i)
        elif op is Op.LoadDeref:
            self.result(state, out, f"l{arg}.cell_contents", i)
        elif op is Op.StoreDeref:
            v = state.pop()
            self.line(out, f"l{arg}.cell_contents = {v.text}", i)
        elif op is Op.MakeCell:
            self.spill_local(state, arg, out)
            self.line(out, f"l{arg} = _h_Cell(None)", i)
        elif op is Op.LoadUpvalue:
            self.upvals.add(arg)
            self.result(state, out, f"u{arg}.cell_contents", i)
        elif op is Op.StoreUpvalue:
            v = state.pop()
            self.upvals.add(arg)
            self.line(out, f"u{arg}.cell_contents = {v.text}", i)
        elif op is Op.IndexGet:
            self.index_get(state, out, i)
        elif op is Op.IndexSet:
            self.index_set(state, out, i)
        elif op is Op.FieldGet and self.cold:
            o = state.pop()
            self.result(state, out, f"_h_fget({o.text}, {arg!r})", i)
        elif op is Op.FieldSet and self.cold:
            v = state.pop()
            o = state.pop()
            self.line(out, f"_h_fset({o.text}, {arg!r}, {v.text})", i)
        elif op is Op.FieldGet:
            o = state.pop()
            r = self.temp()
            # Only struct instances have slot attributes: anything else (a dict, a method's name, another
            # struct type) raises AttributeError and takes the general path.
            out.append(Try([Line(f"{r} = {o.text}.{slot_name(arg)}", i)],
                           "_h_AttributeError", [Line(f"{r} = _h_fget({o.text}, {arg!r})", i)], i))
            state.append(Ent(r, "t"))
        elif op is Op.FieldGetOpt:
            o = state.pop()
            self.result(state, out, f"None if {o.text} is None else _h_fget({o.text}, {arg!r})", i)
        elif op is Op.FieldSet:
            v = state.pop()
            o = state.pop()
            # Guarded: an object with a __dict__ would take any attribute.
            fset = [Line(f"_h_fset({o.text}, {arg!r}, {v.text})", i)]
            out.append(If(f"_h_isinstance({o.text}, _h_SI)", i,
                          [Try([Line(f"{o.text}.{slot_name(arg)} = {v.text}", i)], "_h_AttributeError", fset, i)],
                          fset))
        elif op is Op.MakeClosure:
            sub: Chunk = self.consts[arg]
            k = sum(1 for f in sub.param_defaults if f)
            defaults = [state.pop() for _ in range(k)][::-1]
            cells = []
            for u in sub.upvalues:
                if u.from_parent_local:
                    cells.append(f"l{u.index}")
                else:
                    self.upvals.add(u.index)
                    cells.append(f"u{u.index}")
            self.uses.add("M")
            dtext = f"[{', '.join(e.text for e in defaults)}]" if k else "None"
            # Closure's fields set one by one: a third cheaper than calling its __init__.
            t = self.temp()
            self.line(out, f"{t} = _h_new(_h_Closure); {t}.chunk = {self.const_name(sub)}; "
                           f"{t}.upvalues = [{', '.join(cells)}]; {t}.module = _M; {t}.defaults = {dtext}", i)
            state.append(Ent(t, "t"))
        elif op is Op.MakeArray:
            items = [state.pop() for _ in range(arg)][::-1]
            self.result(state, out, f"[{', '.join(e.text for e in items)}]", i)
        elif op is Op.MakeDict:
            items = [state.pop() for _ in range(2 * arg)][::-1]
            parts = []
            for j in range(0, len(items), 2):
                key, val = items[j], items[j + 1]
                ktext = key.text if key.kind == "c" and type(key.value) is str else f"_h_dk({key.text})"
                parts.append(f"{ktext}: {val.text}")
            self.result(state, out, "{" + ", ".join(parts) + "}", i)
        elif op is Op.ArrayPush:
            v = state.pop()
            arr = state.pop()
            self.result(state, out, f"_h_apush(_h_vm, {arr.text}, {v.text})", i)
        elif op is Op.DictInsert:
            v = state.pop()
            key = state.pop()
            self.line(out, f"{state[-1].text}[_h_dk({key.text})] = {v.text}", i)
        elif op is Op.MakeStruct:
            n = len(arg)
            vals = [state.pop() for _ in range(n)][::-1]
            stype = state.pop()
            r = self.temp()
            names = self.const_name(arg)
            slow = Line(f"{r} = _h_mkstruct({stype.text}, {names}, [{', '.join(e.text for e in vals)}])", i)
            if len(set(arg)) == n and not self.cold:
                # Every field given, in declaration order: the instance make_struct would build.
                out.append(If(f"{stype.text}.__class__ is _h_ST and {stype.text}.fields == {names}", i,
                              [Line(f"{r} = {stype.text}.cls({', '.join(e.text for e in vals)})", i)], [slow]))
            else:
                out.append(slow)
            state.append(Ent(r, "t"))
        elif op is Op.Negate:
            a = state.pop()
            x = a.text
            self.result(state, out, f"-{x} if ({x}.__class__ is _h_int and {x} != {I64_MIN_TEXT}) "
                                    f"or {x}.__class__ is _h_float else _h_neg({x}, d)", i)
        elif op is Op.Not:
            a = state.pop()
            if a.kind == "c" and (a.value is None or type(a.value) in (bool, int, float, str)):
                state.append(self.const(not a.value))  # Ruff truthiness of these is Python's
            elif a.isbool or a.kind == "cond":
                self.result(state, out, f"not {a.text}", i, isbool=True)
            else:
                self.result(state, out, f"{a.text} is False if {a.text}.__class__ is _h_bool else _h_not({a.text}, d)", i)
        elif op is Op.Truthy:
            a = state.pop()
            if a.isbool:
                state.append(a)
            else:
                self.result(state, out, self.truth(a), i, isbool=True)
        elif op is Op.MakeOk:
            self.result(state, out, f"_h_EV('Result', 'Ok', ({state.pop().text},))", i)
        elif op is Op.MakeErr:
            self.result(state, out, f"_h_EV('Result', 'Err', ({state.pop().text},))", i)
        elif op is Op.MakeSome:
            self.result(state, out, f"_h_EV('Option', 'Some', ({state.pop().text},))", i)
        elif op is Op.MakeNone:
            state.append(Ent("_h_NONE", "t"))
        elif op is Op.TryUnwrap:
            v = state.pop()
            out.append(If(f"{v.text}.__class__ is not _h_EV or {v.text}.variant not in _h_OK_SOME", i,
                          [Line(f"return _h_unwrap_other({v.text})", i, term=True)], []))
            self.result(state, out, f"{v.text}.values[0] if {v.text}.values else None", i)
        elif op is Op.MakeIterator:
            v = state.pop()
            self.result(state, out, f"_h_iter({v.text}) if {v.text}.__class__ is _h_list else _h_mkiter({v.text})", i)
        elif op is Op.BuildString:
            parts = [state.pop() for _ in range(arg)][::-1]
            texts = [p.text if p.kind == "c" and type(p.value) is str else f"_h_disp({p.text})" for p in parts]
            if any(p.kind != "c" and p.cls not in ("int", "float", "str", "bool") for p in parts):
                self.line(out, "_h_vm.cdepth = d", i)  # a struct's own to_string runs above this frame
            if not texts:
                expr = "''"
            elif len(texts) <= 3:
                expr = " + ".join(texts)
            else:
                expr = f"''.join(({', '.join(texts)},))"
            self.result(state, out, expr, i)
        elif op is Op.Yield:
            v = state.pop()
            self.has_yield = True
            self.line(out, f"yield {v.text}", i)
            state.append(Ent("None", "c", value=None))
        elif op is Op.Await:
            self.result(state, out, f"_h_await({state.pop().text})", i)
        elif op in _VIA_SLOW_OP:
            pops, pushes = stack_effect(ins, self.consts)
            operands = [state.pop() for _ in range(pops)][::-1]
            argtext = self.const_name(arg) if arg is not None else "None"
            self.line(out, "_h_vm.cdepth = d", i)  # an import runs the module's code above this frame
            call = f"_h_slow({int(op)}, {argtext}, [{', '.join(e.text for e in operands)}], cl)"
            if pushes == 0:
                self.line(out, call, i)
            elif pushes == 1:
                self.result(state, out, f"{call}[0]", i)
            else:
                temps = [self.temp() for _ in range(pushes)]
                self.line(out, f"{', '.join(temps)} = {call}", i)
                state.extend(Ent(t, "t") for t in temps)
        elif op is Op.Dup:
            state.append(state[-1])
        elif op is Op.Swap:
            state[-1], state[-2] = state[-2], state[-1]
        elif op is Op.EndTry or op is Op.Nop:
            pass
        else:
            raise Unsupported(f"opcode {op.name}")

    def index_get(self, state: list, out: list, i: int) -> None:
        k = state.pop()
        o = state.pop()
        r = self.temp()
        slow = f"_h_iget({o.text}, {k.text})"
        lst, dct = self.cls_test(o, "list"), self.cls_test(o, "dict")
        # Python's list indexing (negative indexes included) and dict lookup by the key's string are
        # Ruff's; their failures are left to the interpreter's index_get, which raises the Ruff error.
        if self.cold:
            expr = slow
        elif k.kind == "c":
            if type(k.value) is int:
                expr = f"{o.text}[{k.text}] if {lst} else {o.text}[{str(k.value)!r}] if {dct} else {slow}"
            elif type(k.value) is str:
                expr = f"{o.text}[{k.text}] if {dct} else {slow}"
            else:
                expr = slow
        else:
            ki, ks = self.cls_test(k, "int"), self.cls_test(k, "str")
            if lst == "True" and ki == "True" or dct == "True" and ks == "True":
                expr = f"{o.text}[{k.text}]"
            elif dct == "True" and ki == "True":
                expr = f"{o.text}[_h_str({k.text})]"
            else:
                expr = (f"{o.text}[{k.text}] if ({lst} and {ki}) or ({dct} and {ks}) else "
                        f"{o.text}[_h_str({k.text})] if {dct} and {ki} else {slow}")
        if expr == slow:
            self.line(out, f"{r} = {slow}", i)
        else:
            out.append(Try([Line(f"{r} = {expr}", i)], "_h_LookupError", [Line(f"{r} = {slow}", i)], i))
        state.append(Ent(r, "t"))

    def index_set(self, state: list, out: list, i: int) -> None:
        v = state.pop()
        k = state.pop()
        o = state.pop()
        slow = Line(f"_h_iset({o.text}, {k.text}, {v.text})", i)
        lst, dct = self.cls_test(o, "list"), self.cls_test(o, "dict")
        key_int, key_str = self.is_cls(k, "int"), self.is_cls(k, "str")
        stmt: list = [slow]
        if self.cold:
            key_int = key_str = "False"

        def case(container: str, key_test: Optional[str], body: list) -> None:
            nonlocal stmt
            if container == "False" or key_test == "False":
                return
            tests = [t for t in (container, key_test) if t not in (None, "True")]
            stmt = [If(" and ".join(tests), i, body, stmt)] if tests else body

        key = repr(str(k.value)) if k.kind == "c" else f"_h_str({k.text})"
        case(dct, key_int, [Line(f"{o.text}[{key}] = {v.text}", i)])
        case(dct, key_str, [Line(f"{o.text}[{k.text}] = {v.text}", i)])
        case(lst, key_int, [Try([Line(f"{o.text}[{k.text}] = {v.text}", i)], "_h_IndexError", [slow], i)])
        out.extend(stmt)


_SPECIALIZE_MAX = 400  # instructions: bigger functions are compiled once, generic
_CLASS_OF = {Ty.INT: "int", Ty.FLOAT: "float", Ty.BOOL: "bool", Ty.STR: "str", Ty.LIST: "list", Ty.DICT: "dict"}


def generate(chunk: Chunk, jit: bool = False, builtin_names: frozenset = frozenset(),
             profiling: Profiling = FULL_PROFILING) -> Generated:
    """Python source for one chunk; raises Unsupported when it must stay in the interpreter.

    jit: emit the native tier's hooks (call counting, hot/try_call, global rebinding, loop OSR), as far as
    `profiling` still asks for them.
    builtin_names: the executor's builtins (only used to order type tests at call sites).
    """
    return FunctionEmitter(chunk, jit, builtin_names, profiling).generate()
