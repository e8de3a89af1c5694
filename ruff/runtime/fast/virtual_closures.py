"""Virtual closures: a closure made by an inlined closure factory (factories.py) and stored into a local
is not built while nothing needs the object itself; calls of it are computed in place.

    add_i := make_adder(i % 100)        # the local holds the sentinel _h_VC; k lives in a temporary
    both := compose(add_i, plus_one)    # captures the virtual add_i: both is virtual too
    total := total + both(i)            # i + k + 1 computed in place, under the guards of plus_one

Within one block of straight-line code the code generator knows, for each such local, the closure it
would hold (`Shape`: its chunk, and per captured variable the value it was made with or the Shape of a
virtual closure captured in turn). At run time the local holds either the sentinel `_h_VC` (the factory
was inlined: its closure is virtual) or a real value (the global no longer held the factory): every use
tests `l<slot> is _h_VC`. A call of the local computes the callee's body in place, in one condition that
tests every operand's class and every result's range before anything is stored (leaf_closures.py); when
the local is not virtual or the condition fails, the closure is built into the local (`commit`) and the
ordinary call runs, from the callee's start, with all its behaviour. Every other use of the local (an
argument, a store elsewhere, a return, leaving the block while it is live) commits it first, so the
sentinel never leaves the block and nothing but these call sites ever sees it.

Only closures nobody can tell apart from the one the factory would have made are kept virtual: their
chunk stores into no captured variable and makes no closure (their cells never change, so a copy of a
cell is the cell), and a virtual closure captured by another one is only ever called by that one's body
(never passed, returned or compared), so building it twice, once for the local and once inside the
closure that captured it, is not observable. Frames: an inlined call spares frames that the callees'
depth tests would have allowed (`d < MAX_FRAMES - nesting`); nothing inside can fail.
"""

from __future__ import annotations

from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Op
from ruff.frontend.cfg import ControlFlow, Liveness, stack_effect
from ruff.limits import MAX_FRAMES
from ruff.runtime.fast.expressions import StackEntry
from ruff.runtime.fast.pysource import If, Line

MAX_TREE = 16  # instructions of a call-tree body up to its return
MAX_NEST = 4  # closures called inside one inlined call, counting itself


class _Virtual:
    """The sentinel a virtual local holds (`_h_VC` in generated code); no Ruff code ever sees it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<virtual closure>"


VIRTUAL_CLOSURE = _Virtual()

_TREE_OPS = frozenset((Op.LoadLocal, Op.LoadUpvalue, Op.LoadConst, Op.Call, Op.Return))


class Shape:
    """The closure a virtual local stands for: a closure of `chunk` made in the module `module` (the text of
    an expression), whose captured variables hold `cells` (per upvalue: the StackEntry of the value it was
    made with, or the Shape of a virtual closure)."""

    __slots__ = ("chunk", "cells", "module")

    def __init__(self, chunk: Chunk, cells: list, module: str) -> None:
        self.chunk, self.cells, self.module = chunk, cells, module


def _plain(chunk: Chunk) -> bool:
    return not (chunk.cell_slots or chunk.is_generator or chunk.is_async or any(chunk.param_defaults)
                or chunk.loop_of is not None)


def _tree(chunk: Chunk) -> Optional[tuple]:
    """(instructions up to the Return, upvalue indexes used other than as a callee) when chunk's body is one
    expression of calls over its parameters, captured variables and int constants (`g(f(v))`), else None."""
    if not _plain(chunk):
        return None
    stack: list = []
    valued: set = set()
    for n, ins in enumerate(chunk.code[:MAX_TREE]):
        op = ins.op
        if op not in _TREE_OPS:
            return None
        if op is Op.LoadLocal:
            if ins.arg >= len(chunk.params):
                return None
            stack.append(None)
        elif op is Op.LoadConst:
            if type(chunk.constants[ins.arg]) is not int:
                return None
            stack.append(None)
        elif op is Op.LoadUpvalue:
            stack.append(ins.arg)
        elif op is Op.Call:
            if len(stack) < ins.arg + 1:
                return None
            args = stack[len(stack) - ins.arg:]
            del stack[len(stack) - ins.arg - 1:]
            valued.update(j for j in args if j is not None)
            stack.append(None)
        else:  # Return
            if len(stack) != 1:
                return None
            valued.update(j for j in stack if j is not None)
            return tuple(chunk.code[:n + 1]), frozenset(valued)
    return None


def keeps_virtual(chunk: Chunk) -> bool:
    """Whether a closure of chunk may stay virtual: it never changes its cells (it stores into no captured
    variable and makes no closure), and its calls can be computed in place (a leaf or a call tree)."""
    from ruff.runtime.fast.leaf_closures import leaf_closure  # not at start-up
    if any(ins.op is Op.StoreUpvalue or ins.op is Op.MakeClosure for ins in chunk.code):
        return False
    return leaf_closure(chunk) is not None or _tree(chunk) is not None


def callee_only(chunk: Chunk, j: int) -> bool:
    """Whether chunk's body only ever calls its captured variable j (a virtual closure captured there is
    then never seen as a value)."""
    tree = _tree(chunk)
    return tree is not None and j not in tree[1]


def build(shape: Shape, target: str, emitter: Any) -> list[str]:
    """Statements building the closure `shape` stands for into the name `target` (and any virtual closure
    it captured, each a fresh object nobody else can see)."""
    lines: list[str] = []
    ups = []
    for cell in shape.cells:
        if isinstance(cell, Shape):
            t = emitter.temp()
            lines += build(cell, t, emitter)
            ups.append(f"[{t}]")
        else:
            ups.append(f"[{cell.text}]")
    lines.append(f"{target} = _h_Closure(); {target}.chunk = {emitter.const_name(shape.chunk)}; "
                 f"{target}.upvalues = [{', '.join(ups)}]; {target}.module = {shape.module}; "
                 f"{target}.defaults = None")
    return lines


def _as_tests(effects: list[str]) -> Optional[list[str]]:
    """A nested leaf's effects (binding reads and its result only) as conditions that always hold."""
    tests = []
    for e in effects:
        name, sep, expr = e.partition(" = ")
        if not sep or not name.isidentifier() or "[" in name:
            return None  # a store into a cell
        tests.append(f"({name} := {expr}) is {name}")
    return tests


def inline_call(shape: Shape, args: list, emitter: Any) -> Optional[tuple[list[str], Any, int]]:
    """The in-place form of calling the closure `shape` with `args` (StackEntries): (tests, the result's
    StackEntry, frames it spares counting the callee's), or None when its body cannot be computed in place."""
    return _inline(shape.chunk, shape.cells, args, emitter, 1)


def _inline(chunk: Chunk, cells: list, args: list, emitter: Any, level: int) -> Optional[tuple]:
    from ruff.runtime.fast.leaf_closures import inline_leaf, leaf_closure  # not at start-up
    if level > MAX_NEST or len(args) != len(chunk.params) or any(a.kind not in ("l", "t", "c") for a in args):
        return None
    leaf = leaf_closure(chunk)
    if leaf is not None:
        if any(isinstance(c, Shape) for c in cells) or any(ins.op is Op.StoreUpvalue for ins in leaf.code):
            return None
        r = emitter.temp()
        inlined = inline_leaf(leaf, None, args, r, emitter, given=cells, depth=False)
        if inlined is None:
            return None
        tests = _as_tests(inlined.effects)
        if tests is None:
            return None
        result = StackEntry(r, "t")
        if not any(e.startswith(f"{r} = ") for e in inlined.effects):
            result.cls = "int"  # computed in the condition: an int within i64
        return [t for t in [inlined.cond] if t] + tests, result, level
    tree = _tree(chunk)
    if tree is None:
        return None
    tests: list[str] = []
    stack: list = []
    deepest = level
    for ins in tree[0]:
        op = ins.op
        if op is Op.LoadLocal:
            stack.append(args[ins.arg])
        elif op is Op.LoadConst:
            v = chunk.constants[ins.arg]
            stack.append(StackEntry(f"({v})", "c", value=v))
        elif op is Op.LoadUpvalue:
            stack.append(cells[ins.arg])
        elif op is Op.Call:
            cargs = stack[len(stack) - ins.arg:]
            del stack[len(stack) - ins.arg:]
            callee = stack.pop()
            if any(isinstance(a, Shape) for a in cargs):
                return None
            if isinstance(callee, Shape):
                sub = _inline(callee.chunk, callee.cells, cargs, emitter, level + 1)
                if sub is None:
                    return None
                tests += sub[0]
                stack.append(sub[1])
                deepest = max(deepest, sub[2])
            else:
                sub = _inline_runtime(callee, cargs, emitter)
                if sub is None:
                    return None
                tests += sub[0]
                stack.append(sub[1])
                deepest = max(deepest, level + 1)
        else:  # Return
            result = stack.pop()
            if isinstance(result, Shape):
                return None
            return tests, result, deepest
    return None


def _inline_runtime(callee: Any, args: list, emitter: Any) -> Optional[tuple]:
    """A call, inside an inlined body, of a value known only at run time: each leaf closure of the
    compilation unit taking that many arguments and changing no cell, tested (`f.chunk is <leaf>`) in turn,
    one condition that holds when one of them is the callee and computes its result."""
    from ruff.runtime.fast.leaf_closures import inline_leaf  # not at start-up
    leaves = [leaf for leaf in emitter.leaves.get(len(args)) or ()
              if not any(ins.op is Op.StoreUpvalue for ins in leaf.code)]
    if not leaves or callee.kind not in ("l", "t") or any(a.kind not in ("l", "t", "c") for a in args):
        return None
    alternatives, ints = [], True
    for leaf in leaves:
        rk = emitter.temp()
        inlined = inline_leaf(leaf, callee.text, args, rk, emitter, depth=False)
        tests = _as_tests(inlined.effects) if inlined is not None else None
        if tests is None:
            continue
        ints = ints and not any(e.startswith(f"{rk} = ") for e in inlined.effects)
        alternatives.append(([inlined.cond, *tests], rk))
    if not alternatives:
        return None
    if len(alternatives) == 1:
        tests, r = alternatives[0]
    else:  # each alternative ends binding its result to one name
        r = emitter.temp()
        tests = ["(" + " or ".join(f"({' and '.join([*t, f'({r} := {rk}) is {r}'])})" for t, rk in alternatives) + ")"]
    result = StackEntry(r, "t")
    if ints:
        result.cls = "int"  # every alternative computed it in its condition: an int within i64
    return tests, result


def call_condition(slot: int, shape: Shape, args: list, r: str, emitter: Any) -> Optional[tuple[str, list[str]]]:
    """(condition, statements) computing a call of the virtual local `slot` into r in place; None when it
    cannot be."""
    inlined = inline_call(shape, args, emitter)
    if inlined is None:
        return None
    tests, result, deepest = inlined
    cond = " and ".join([f"l{slot} is _h_VC", f"d < {MAX_FRAMES - (deepest - 1)}", *tests])
    return cond, ([] if result.text == r else [f"{r} = {result.text}"])


class VirtualLocals:
    """The code generator's side (a part of codegen.FunctionEmitter, `em`): which locals of the block being
    emitted may hold the sentinel (`shapes`: slot → Shape), the factory calls that make them (`call`), the
    calls of them computed in place (`call`), and the commits every other use needs (`before`,
    `block_end`)."""

    __slots__ = ("em", "shapes", "pending", "liveness", "osr")

    def __init__(self, em: Any) -> None:
        self.em = em
        self.shapes: dict[int, Shape] = {}
        self.pending: Optional[tuple[int, Shape]] = None  # the StoreLocal right after a virtual factory call
        self.liveness: Any = None
        self.osr: Optional[bool] = None

    def enabled(self, b: Any) -> bool:
        em = self.em
        return (bool(em.factories) and em.plain and not em.cold and not b.handlers and em.spec_splits == 0
                and not em.spec_off and em.spec_fields is None)

    def commit(self, slot: int, i: int) -> If:
        """`l<slot>` built for real if it is still virtual."""
        return If(f"l{slot} is _h_VC", i, [Line(t, i) for t in build(self.shapes[slot], f"l{slot}", self.em)], [])

    def before(self, ins: Any, i: int, state: list, out: list) -> None:
        """Before instruction i (not a Call: see `call`): commit the virtual locals it reads as values, and
        forget the ones it overwrites."""
        op = ins.op
        if op is not Op.Call:
            pops = stack_effect(ins, self.em.consts)[0]
            for e in state[len(state) - pops:] if pops else ():
                if e.kind == "l" and e.slot in self.shapes:
                    out.append(self.commit(e.slot, i))
                    del self.shapes[e.slot]
        if op is Op.StoreLocal or op is Op.MakeCell:
            s = ins.arg
            if s in self.shapes:
                if any(e.kind == "l" and e.slot == s for e in state):
                    out.append(self.commit(s, i))  # a stack entry still reads the old value
                del self.shapes[s]
            if self.pending is not None and self.pending[0] == s and op is Op.StoreLocal:
                self.shapes[s] = self.pending[1]
            self.pending = None

    def block_end(self, b: Any, state: list, out: list, i: int) -> None:
        """Leaving the block: every virtual local still on the stack or read after it is built for real
        (every one, while a loop may hand the locals to on-stack replacement)."""
        em = self.em
        keep: set = {e.slot for e in state if e.kind == "l"}
        if self.osr_possible():
            keep |= set(self.shapes)
        else:
            if self.liveness is None:
                self.liveness = Liveness(em.placement.flow)
            for e in b.succ:
                keep |= self.liveness.live_in[e.dst]
        for s in sorted(keep & set(self.shapes)):
            out.append(self.commit(s, i))
        self.shapes = {}
        self.pending = None

    def osr_possible(self) -> bool:
        """Whether a loop of the function still counts back-edges for on-stack replacement, whose snapshot
        takes every local, dead or not (with a JIT, until the loops are compiled or refused)."""
        if self.osr is None:
            em = self.em
            self.osr = em.jit and any(ControlFlow.last_back_edge(h) not in em.profiling.quiet_loops
                                      for h in em.placement.flow.blocks if h.is_header and h.pred)
        return self.osr

    def call(self, b: Any, ins: Any, i: int, state: list, out: list) -> bool:
        """A Call: of a virtual local (computed in place, else committed and called), or of a global closure
        factory whose result is stored into a local (made virtual behind the factory's guard). False when the
        ordinary call is to be emitted (any virtual local it takes as an argument committed first)."""
        em = self.em
        argc = ins.arg
        f = state[-1 - argc]
        args = state[len(state) - argc:]
        if f.kind == "l" and f.slot in self.shapes and all(not (a.kind == "l" and a.slot in self.shapes) for a in args):
            slot = f.slot
            generic: list = []
            em.instr(ins, i, state, generic)
            inlined = call_condition(slot, self.shapes[slot], args, state[-1].text, em)
            if inlined is None:
                out.append(self.commit(slot, i))
                del self.shapes[slot]
                out.extend(generic)
            else:
                cond, effects = inlined
                out.append(If(cond, i, [Line(e, i) for e in effects], [self.commit(slot, i)] + generic))
            return True
        factory = em.factories.get(f.value) if f.kind == "t" and type(f.value) is str else None
        code = em.code
        if (factory is None or len(factory.chunk.params) != argc or i + 1 >= b.end - 1
                or code[i + 1].op is not Op.StoreLocal or code[i + 1].arg in em.cell_slots
                or any(a.kind not in ("l", "t", "c") for a in args) or not keeps_virtual(factory.inner)):
            self.commit_args(f, args, i, out)
            return False
        inner = factory.inner
        values: dict[int, Any] = {}
        snaps: list = []
        tested: list[int] = []
        slots = [a.slot for a in args if a.kind == "l"]
        for p, a in enumerate(args):
            if a.kind == "l" and a.slot in self.shapes:
                ups = [j for j, q in enumerate(factory.captured) if q == p]
                if ups and all(callee_only(inner, j) for j in ups) and slots.count(a.slot) == 1:
                    values[p] = self.shapes[a.slot]
                    tested.append(a.slot)
                    continue
                out.append(self.commit(a.slot, i))
                del self.shapes[a.slot]
            if a.kind == "l":  # a local may be stored into later: the closure keeps the value it had
                t = em.temp()
                snaps.append(Line(f"{t} = {a.text}", i))
                e = StackEntry(t, "t")
                e.cls = a.cls
                values[p] = e
            else:
                values[p] = a
        shape = Shape(inner, [values[p] for p in factory.captured], f"{f.text}.module")
        commits = [self.commit(s, i) for s in tested]
        generic = []
        em.instr(ins, i, state, generic)
        guard = " and ".join([f"{f.text}.__class__ is _h_Closure", f"{f.text}.chunk is {em.const_name(factory.chunk)}",
                              f"d < {MAX_FRAMES}", *(f"l{s} is _h_VC" for s in tested)])
        out.append(If(guard, i, snaps + [Line(f"{state[-1].text} = _h_VC", i)], commits + generic))
        self.pending = (code[i + 1].arg, shape)
        return True

    def commit_args(self, f: Any, args: list, i: int, out: list) -> None:
        for e in (f, *args):
            if e.kind == "l" and e.slot in self.shapes:
                out.append(self.commit(e.slot, i))
                del self.shapes[e.slot]
