"""Who releases each object reference in native code (a helper of lower-to-llvm, not a pass).

Native code works on CPython objects in place, and every `!ruff.value` it makes holds a reference of its own
(an *owned* value: a call's result, a boxed number, an element read from an array). Two kinds of values
hold none and are never released: the function's arguments (the caller keeps them alive for the call)
and boxed constants (the module's object table keeps them). A block argument always owns its value: the
branch hands one reference to it, taking a new one first where the value lives on elsewhere too.

This analysis decides, from SSA liveness, where each owned value is released: right after its last use
in a block it does not outlive, at the start of a block it reaches without being used or passed on, or on
a control-flow edge along which it dies. Exits that leave the function early (an error, a deoptimization)
release whatever is alive there (`alive_before`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.dialects import cf
from xdsl.ir import Block, Operation, SSAValue

from ruff.dialects import ruff as R


def is_boxed(v: SSAValue) -> bool:
    return v.type == R.VALUE


def uses_of(op: Operation) -> list[SSAValue]:
    """The values op reads: its operands, and for a frame state operand the values that state holds (a
    deoptimization exit at op boxes them, so they must outlive op, not just the frame_state op)."""
    out: list[SSAValue] = []
    for o in op.operands:
        if isinstance(o.owner, R.FrameStateOp):
            out.extend(o.owner.operands)
        out.append(o)
    return out


def successor_args(term: Operation, index: int) -> list[SSAValue]:
    """The values a branch passes to its index-th successor's block arguments."""
    if isinstance(term, cf.BranchOp):
        return list(term.arguments)
    if isinstance(term, cf.ConditionalBranchOp):
        return list(term.then_arguments if index == 0 else term.else_arguments)
    return []


@dataclass
class EdgeActions:
    """What a branch does on one edge before it reaches its target: take new references (a value passed as
    a block argument that stays alive elsewhere, or passed twice), and release values that die on it."""

    increfs: list[SSAValue] = field(default_factory=list)
    releases: list[SSAValue] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.increfs or self.releases)


class Ownership:
    def __init__(self, func: R.FuncOp) -> None:
        blocks = list(func.body.blocks)
        self.blocks = blocks
        entry = blocks[0] if blocks else None
        self.static: set[SSAValue] = set(entry.args) if entry is not None else set()
        for b in blocks:
            for op in b.ops:
                if isinstance(op, R.ConstantOp) or "ruff.deopt_only" in op.attributes:
                    self.static.update(op.results)  # (a deopt-only value is made and freed by the exit itself)
        # Definition order: releases happen in a fixed order, so the same IR always lowers the same way.
        self.order: dict[SSAValue, int] = {}
        for b in blocks:
            for a in b.args:
                self.order[a] = len(self.order)
            for op in b.ops:
                for r in op.results:
                    self.order[r] = len(self.order)
        self.live_in: dict[Block, set[SSAValue]] = {b: set() for b in blocks}
        self.live_out: dict[Block, set[SSAValue]] = {b: set() for b in blocks}
        self._liveness()

    def owned(self, v: SSAValue) -> bool:
        return is_boxed(v) and v not in self.static

    # ------------------------------------------------------------------ liveness of boxed values

    def _uses(self, b: Block) -> tuple[set[SSAValue], set[SSAValue]]:
        """(boxed values used in b before any definition in b, boxed values defined in b)."""
        used, defined = set(), set(a for a in b.args if is_boxed(a))
        for op in b.ops:
            for o in uses_of(op):
                if is_boxed(o) and o not in defined:
                    used.add(o)
            defined.update(r for r in op.results if is_boxed(r))
        return used, defined

    def _liveness(self) -> None:
        summary = {b: self._uses(b) for b in self.blocks}
        changed = True
        while changed:
            changed = False
            for b in reversed(self.blocks):
                term = b.last_op
                out: set[SSAValue] = set()
                if term is not None:
                    for k, s in enumerate(term.successors):
                        out |= self.live_in[s] - set(s.args)
                used, defined = summary[b]
                new_in = used | (out - defined)
                if out != self.live_out[b] or new_in != self.live_in[b]:
                    self.live_out[b], self.live_in[b] = out, new_in
                    changed = True

    # ------------------------------------------------------------------ releases

    def alive_after(self, b: Block) -> dict[Operation, set[SSAValue]]:
        """For each op of b: the owned values still needed after it (on some path)."""
        alive = set(v for v in self.live_out[b] if self.owned(v))
        term = b.last_op
        if term is not None:
            for k in range(len(term.successors)):
                alive |= {v for v in successor_args(term, k) if self.owned(v)}
        out: dict[Operation, set[SSAValue]] = {}
        for op in reversed(list(b.ops)):
            out[op] = set(alive)
            alive -= set(op.results)
            alive |= {o for o in uses_of(op) if self.owned(o)}
        return out

    def alive_before(self, b: Block, op: Operation) -> set[SSAValue]:
        """Owned values alive just before `op` runs (what an early exit there releases)."""
        after = self.alive_after(b)[op]
        return (after - set(op.results)) | {o for o in uses_of(op) if self.owned(o)}

    def releases_at_start(self, b: Block) -> list[SSAValue]:
        """Owned values b receives (live-in or its own arguments) that nothing in or after b needs."""
        used = {o for op in b.ops for o in uses_of(op)}
        term = b.last_op
        return [v for v in (*b.args, *sorted(self.live_in[b], key=self.order.__getitem__))
                if self.owned(v) and v not in used and v not in self.live_out[b]
                and not (term is not None and any(v in successor_args(term, k) for k in range(len(term.successors))))]

    def releases_after(self, b: Block) -> dict[Operation, list[SSAValue]]:
        """For each non-terminator op of b: the owned values whose life ends with it."""
        after = self.alive_after(b)
        out: dict[Operation, list[SSAValue]] = {}
        for op in b.ops:
            if op is b.last_op:
                break
            dying = [o for o in dict.fromkeys(uses_of(op)) if self.owned(o) and o not in after[op]]
            dying += [r for r in op.results if self.owned(r) and r not in after[op]]
            if dying:
                out[op] = dying
        return out

    def edge(self, b: Block, index: int) -> EdgeActions:
        """The references to take and release on the index-th edge out of b."""
        term = b.last_op
        assert term is not None
        target = term.successors[index]
        passed = successor_args(term, index)
        needed_in_target = self.live_in[target] - set(target.args)
        actions = EdgeActions()
        counts: dict[SSAValue, int] = {}
        for v in passed:
            if is_boxed(v):
                counts[v] = counts.get(v, 0) + 1
        for v, k in counts.items():
            # One reference can move into the block argument when v is owned and dies on this edge.
            moves = 1 if self.owned(v) and v not in needed_in_target else 0
            actions.increfs += [v] * (k - moves)
        # Owned values alive when the branch runs (live out of b along any edge, or passed) that neither
        # the target needs nor this edge moved: they die here.
        alive = {v for v in self.live_out[b] if self.owned(v)} | {v for k in range(len(term.successors))
                                                                    for v in successor_args(term, k) if self.owned(v)}
        for v in sorted(alive, key=self.order.__getitem__):
            if v in needed_in_target:
                continue
            if v in counts and self.owned(v):
                continue  # moved into the block argument
            actions.releases.append(v)
        return actions
