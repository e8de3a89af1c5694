"""Short-circuit conditions with their jumps threaded past the constant, for the fast tier's code generator.

The compiler gives `a && b` one value on the stack, also where a condition only tests it:

    a; JumpIfFalse L; b; Truthy; Jump E;  L: LoadConst false;  E: JumpIfFalse X

so `while k < 3 && r >= c[k]` became a merge variable set on both paths and tested once more
(`s0 = ...` / `s0 = False` / `if not s0: break`). A conditional jump to such a constant whose next
instruction is a conditional jump taken for that constant is known to go where that jump goes: retargeted
there, it leaves E with one predecessor, and the generated code tests each operand once, as Python does.
Only jump targets change (no instruction moves), so instruction indexes — lines, loop back-edges, the
native tier's on-stack replacement — mean what they mean in the chunk; the constant's block becomes
unreachable.
"""

from __future__ import annotations

import copy
import dataclasses

from ruff.frontend.bytecode import Chunk, Op

_CONDITIONAL = (Op.JumpIfFalse, Op.JumpIfTrue)


def threaded(chunk: Chunk) -> Chunk:
    """`chunk`, or a shallow copy of it whose code has its short-circuit jumps threaded (see above)."""
    code, consts = chunk.code, chunk.constants
    new = None
    for i, ins in enumerate(code):
        if ins.op in _CONDITIONAL:
            t = _destination(code, consts, ins.arg)
            if t != ins.arg and t > i:
                if new is None:
                    new = list(code)
                new[i] = dataclasses.replace(ins, arg=t)
    if new is None:
        return chunk
    out = copy.copy(chunk)
    out.code = new
    return out


def _destination(code: list, consts: list, t: int) -> int:
    """Where a conditional jump to t ends up when t pushes a bool constant that a conditional jump pops
    and takes; t itself unless the chain leads past all such constants to code that is not a constant
    (else the blocks it skips keep other predecessors: `||` in an `if`, `a && b && c` as a value keep
    their shape, which has no other structured form)."""
    start = t
    for _ in range(len(code)):  # each step moves forward: a chain of `&&`s threads all the way
        if not 0 <= t < len(code):
            return start  # bad bytecode: left for ControlFlow to refuse
        if code[t].op is not Op.LoadConst:
            return t
        if t + 1 >= len(code) or code[t + 1].op not in _CONDITIONAL:
            return start  # a value (`x := a && b && c`): the merges stay
        c = consts[code[t].arg] if type(code[t].arg) is int and 0 <= code[t].arg < len(consts) else None
        nxt = code[t + 1]
        if type(c) is not bool or type(nxt.arg) is not int or c != (nxt.op is Op.JumpIfTrue) or nxt.arg <= t + 1:
            return start
        t = nxt.arg
    return start
