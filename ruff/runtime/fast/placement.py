"""Where each basic block's code goes in the structured Python the fast tier generates.

The bytecode's control flow (blocks, edges, stack depths, dominators, loops) comes from
ruff.frontend.cfg; this module decides the shape of the Python: after Ramsey's "Beyond Relooper" (ICFP
2022), a block with one forward predecessor is emitted inline at that branch; a merge block is emitted after
the code of its nearest dominator that sits in the same loop and try region, and a branch to it becomes
falling through, `break` or `continue`. The block right after a loop's final JumpBack is the code after
the Python loop. The bytecode compiler only produces structured control flow, so this succeeds for all of
it; anything else raises Unsupported and the chunk runs in the reference interpreter.
"""

from __future__ import annotations

from typing import Optional

from ruff.frontend.bytecode import Chunk, Op
from ruff.frontend.cfg import FALL, HANDLER, BadBytecode, Block, ControlFlow, Edge


class Unsupported(Exception):
    """The chunk cannot be turned into structured Python; the reference interpreter runs it instead."""


# What may follow EndTry inside its block: nothing that can raise (the Python try still encloses it).
_SAFE_AFTER_END_TRY = (Op.Pop, Op.EndTry, Op.Nop, Op.Jump, Op.JumpBack)
# The stack entries carried into blocks, summed over all blocks, beyond which a chunk stays in the
# interpreter. Each branch and merge copies the operand stack in the code generator and in typeflow (and
# the generated Python assigns every entry at a merge): an array literal of thousands of `a && b`
# elements would take time and memory quadratic in its length. Ordinary code carries a few entries.
MAX_STACK_AT_BLOCKS = 100_000


class PlacedBlock(Block):
    """A basic block with the place its code goes in the generated Python (see Placement)."""

    __slots__ = ("inner", "outer", "inline_edge")

    def __init__(self, start: int, end: int) -> None:
        super().__init__(start, end)
        self.inner: list[PlacedBlock] = []  # merge blocks placed inside this header's loop, after its code
        self.outer: list[PlacedBlock] = []  # merge blocks placed after this block's statement
        self.inline_edge: Optional[Edge] = None


class Placement:
    """The chunk's control flow (ruff.frontend.cfg) and the placement of every block: `inline_edge` (the
    block's code goes where that branch is), or a place in the `inner` list of a loop header (after the
    loop body's code, inside the loop) or the `outer` list of a block (after that block's statement)."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.code = chunk.code
        self.consts = chunk.constants
        try:
            self.flow = ControlFlow(chunk, PlacedBlock)
        except BadBytecode as e:
            raise Unsupported(str(e)) from None
        self.blocks = self.flow.blocks
        self.order = self.flow.order
        self.at = self.flow.at
        if sum(b.depth for b in self.flow.reachable) > MAX_STACK_AT_BLOCKS + len(self.code):
            raise Unsupported("too many values on the operand stack at branches")
        self.check_try_regions()
        self.loop_follows()
        self.place()

    def edge(self, b: Block, kind: str) -> Edge:
        for e in b.succ:
            if e.kind == kind:
                return e
        raise Unsupported(f"no {kind} edge from {b}")

    def check_try_regions(self) -> None:
        """A try region ends with its block: Python's try statement encloses the whole block."""
        code = self.code
        for b in self.flow.reachable:
            ended = False
            for i in range(b.start, b.end):
                op = code[i].op
                if ended and op not in _SAFE_AFTER_END_TRY:
                    raise Unsupported("code after EndTry in the same block")
                ended = ended or op is Op.EndTry

    def loop_follows(self) -> None:
        # The block after a loop statement: the compiler puts it right after the loop's final JumpBack
        # (where the loop condition, the for-iterator and `break` all go). It is emitted after the Python
        # loop; every other block that leaves the loop (a `break` that pops the iterator, a `return`)
        # stays inside it and ends with break/return.
        self.loop_follow: dict[int, Block] = {}
        for h, body in self.flow.loop_bodies.items():
            f = self.at.get(self.flow.last_back_edge(h) + 1)
            if f is not None and f.depth is not None and f not in body and self.flow.dominates(h, f):
                self.loop_follow[id(f)] = h

    # -- where each block's code goes

    @staticmethod
    def stmt_ctx(b: Block) -> tuple:
        """(enclosing loop, handler stack) of the place where b's statement sits."""
        return (b.parent_loop if b.is_header else b.loop), b.handlers

    def edge_ctx(self, e: Edge) -> tuple:
        p = e.src
        handlers = p.handlers
        if e.kind == FALL and self.code[p.end - 1].op is Op.BeginTry:
            handlers = e.dst.handlers  # the region's handler stack (cfg checked it is p's plus this handler)
        return p.loop, handlers

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
                loop, handlers = self.edge_ctx(fwd[0])
                if handlers == want[1] and self.encloses(want[0], loop):
                    t.inline_edge = fwd[0]
                    continue
            if any(e.kind == HANDLER for e in fwd):
                raise Unsupported("try handler cannot be placed")
            dom = t.idom
            while True:
                if dom.is_header and (dom, dom.handlers) == want:
                    dom.inner.append(t)
                    break
                if self.stmt_ctx(dom) == want:
                    dom.outer.append(t)
                    break
                if dom.idom is dom:
                    raise Unsupported(f"no place for block {t.start}")
                dom = dom.idom
        for b in self.order:
            b.inner.sort(key=lambda x: x.rpo)
            b.outer.sort(key=lambda x: x.rpo)
