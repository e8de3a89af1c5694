"""Closure factories: functions whose whole body makes one closure over their parameters and returns it.

    func make_adder(k) { return func(v) { return v + k } }

compiles to `LoadLocal 0; MakeCell 0; StoreDeref 0; MakeClosure <inner>; Return`: nothing in it can fail
and nothing in it is observable but its result. A call site whose callee is such a function (tested at
run time: `f.chunk is <factory chunk>`) and whose frame may go one deeper builds the closure in place,
with the factory's exact result (one fresh cell per captured parameter, the factory's module), and
spares the call's frame. A call that does not fit (another callee, a wrong argument count, the depth
limit) takes the ordinary call path, which raises what the call raises.

The JIT never compiles a factory (its captured locals make it refuse the function), so the calls an
inlined site no longer counts change nothing it decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ruff.frontend.bytecode import Chunk, Op


@dataclass(frozen=True, slots=True)
class Factory:
    """What a call of the factory `chunk` makes: a closure of `inner` whose upvalues are, in order, fresh
    cells holding the factory's parameters `captured` (parameter indexes, one per upvalue; a parameter
    captured twice is one cell)."""

    chunk: Chunk
    inner: Chunk
    captured: tuple[int, ...]


def closure_factory(chunk: Chunk) -> Optional[Factory]:
    """chunk's Factory when chunk is a plain function of that exact shape, else None."""
    if chunk.upvalues or chunk.is_generator or chunk.is_async or any(chunk.param_defaults):
        return None
    nparams = len(chunk.params)
    code = chunk.code
    cells: set[int] = set()
    i = 0
    while i + 2 < len(code) and code[i].op is Op.LoadLocal:
        slot = code[i].arg
        if not (slot < nparams and slot not in cells and code[i + 1].op is Op.MakeCell and code[i + 1].arg == slot
                and code[i + 2].op is Op.StoreDeref and code[i + 2].arg == slot):
            return None
        cells.add(slot)
        i += 3
    if i + 1 >= len(code) or code[i].op is not Op.MakeClosure or code[i + 1].op is not Op.Return:
        return None
    inner = chunk.constants[code[i].arg]
    if not isinstance(inner, Chunk) or any(inner.param_defaults):
        return None
    if any(not u.from_parent_local or u.index not in cells for u in inner.upvalues):
        return None
    return Factory(chunk, inner, tuple(u.index for u in inner.upvalues))
