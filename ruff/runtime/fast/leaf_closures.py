"""Leaf closures: closures whose body is one integer expression over their parameters, their captured
variables and constants, at most storing into captured variables, calling nothing:

    func(v) { return v + k }            func() { count := count + 1  return count }

A call whose callee is a local, a captured variable or a computed value (not a global: those are the
global-call paths' business) tries the leaf closures of its compilation unit that take that many arguments
(at most MAX_CANDIDATES), each tested at run time (`f.chunk is <leaf chunk>`), and computes the result in
place in one condition: the callee's cells are read, and every operand's type and every result's range is
tested before anything is stored. A value the inline path does not take (a float, a string, an i64
overflow, another callee) leaves it before any effect, and the ordinary call then runs the callee from its
start with all its behaviour (errors with their line and stack, overflow messages, float arithmetic). The
frame it spares is one the callee's own depth test would have allowed (`d < MAX_FRAMES`); nothing inside
can fail, so no frame of it can ever be part of an error's stack.

The JIT never compiles a function with captured variables (tiering.native_candidate), so the calls an
inlined site no longer counts change nothing it decides.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Instr, Op
from ruff.limits import I64_MAX, I64_MIN, MAX_FRAMES

MAX_CANDIDATES = 2  # leaf closures a call site tests, per argument count
MAX_LENGTH = 16  # instructions of a leaf body up to its return: beyond that the call is not what costs

_INT_OPS = {Op.Add: "+", Op.Sub: "-", Op.Mul: "*"}
_OPS = frozenset((Op.LoadLocal, Op.LoadUpvalue, Op.LoadConst, Op.StoreUpvalue, Op.Return, *_INT_OPS))


class Leaf:
    """A leaf closure's chunk and its instructions up to and including its first Return. (Plain classes
    here, not dataclasses: this module is imported at every start-up, and a dataclass costs more to
    create than the rest of it.)"""

    __slots__ = ("chunk", "code")

    def __init__(self, chunk: Chunk, code: tuple[Instr, ...]) -> None:
        self.chunk, self.code = chunk, code


def leaf_closure(chunk: Chunk) -> Optional[Leaf]:
    """chunk's Leaf when chunk is a closure of that shape, else None."""
    if (not chunk.upvalues or chunk.cell_slots or chunk.is_generator or chunk.is_async or any(chunk.param_defaults)
            or chunk.loop_of is not None):
        return None
    nparams, depth = len(chunk.params), 0
    for n, ins in enumerate(chunk.code[:MAX_LENGTH]):
        op = ins.op
        if op not in _OPS:
            return None
        if op is Op.LoadLocal:
            if ins.arg >= nparams:
                return None
            depth += 1
        elif op is Op.LoadConst:
            value = chunk.constants[ins.arg]
            if type(value) is not int or not I64_MIN <= value <= I64_MAX:
                return None
            depth += 1
        elif op is Op.LoadUpvalue:
            depth += 1
        elif op is Op.StoreUpvalue:
            if depth < 1:
                return None
            depth -= 1
        elif op is Op.Return:
            return Leaf(chunk, tuple(chunk.code[:n + 1])) if depth == 1 else None
        else:  # a binary int operator
            if depth < 2:
                return None
            depth -= 1
    return None


def leaves_by_arity(chunks: Any) -> dict[int, tuple[Leaf, ...]]:
    """The leaf closures among chunks, by parameter count, at most MAX_CANDIDATES for each (a count with more
    is left out: its call sites would test too many chunks to gain anything)."""
    found: dict[int, list[Leaf]] = {}
    for chunk in chunks:
        leaf = leaf_closure(chunk)
        if leaf is not None:
            found.setdefault(len(chunk.params), []).append(leaf)
    return {n: tuple(ls) for n, ls in found.items() if len(ls) <= MAX_CANDIDATES}


class Inlined:
    """A leaf call computed in place: when `cond` holds, run `effects`, and the result is in the call's name;
    otherwise make the call."""

    __slots__ = ("cond", "effects")

    def __init__(self, cond: str, effects: list[str]) -> None:
        self.cond, self.effects = cond, effects


def inline_leaf(leaf: Leaf, fobj: Optional[str], args: list[Any], r: str, emitter: Any, given: Optional[list] = None,
                depth: bool = True) -> Optional[Inlined]:
    """The in-place form of calling `fobj` (a name) with `args` (StackEntries) when fobj is a closure of
    leaf.chunk, its result into the name r; None when an argument can never take it (typeflow knows it is no
    int). `emitter` gives temp(), const_name() and is_cls(). With `given` (a StackEntry per captured
    variable: a closure known at compile time, virtual_closures.py) fobj is None, nothing tests the callee
    and the captured values are those entries (the leaf must store into none). `depth`: whether the
    condition tests the callee's frame against the depth limit (the caller tests it otherwise).

    Every name the condition binds is bound by a walrus at its first use (in evaluation order); a cell or
    a captured value no test uses is read at the start of the effects, before any store: a read the body
    makes after storing into the same cell is the stored value itself."""
    chunk = leaf.chunk
    tests = [] if given is not None else [f"{fobj}.__class__ is _h_Closure", f"{fobj}.chunk is {emitter.const_name(chunk)}"]
    if depth:
        tests.append(f"d < {MAX_FRAMES}")
    pending: dict[str, str] = {}  # name → what it is bound to, in binding order
    stores: list[str] = []
    cells: dict[int, str] = {}  # upvalue index → name of its cell (for those stored into)
    current: dict[int, tuple[str, bool]] = {}  # upvalue index → (text, statically an int) of its value now
    stack: list[tuple[str, bool]] = []
    stored = {ins.arg for ins in leaf.code if ins.op is Op.StoreUpvalue}
    computed: set[str] = set()  # names the condition computes an operator's result into

    def bind(source: str) -> str:
        t = emitter.temp()
        pending[t] = source
        return t

    for ins in leaf.code:
        op = ins.op
        if op is Op.LoadLocal:
            e = args[ins.arg]
            test = emitter.is_cls(e, "int")
            if test == "False":
                return None
            stack.append((e.text, test is None))
        elif op is Op.LoadConst:
            stack.append((f"({chunk.constants[ins.arg]})", True))
        elif op is Op.LoadUpvalue and given is not None:
            test = emitter.is_cls(given[ins.arg], "int")
            if test == "False":
                return None
            stack.append((given[ins.arg].text, test is None))
        elif op is Op.LoadUpvalue:
            j = ins.arg
            if j not in current:
                if j in stored and j not in cells:
                    cells[j] = bind(f"{fobj}.upvalues[{j}]")
                current[j] = (bind(f"{cells[j]}[0]" if j in stored else f"{fobj}.upvalues[{j}][0]"), False)
            stack.append(current[j])
        elif op is Op.StoreUpvalue:
            j = ins.arg
            if j not in cells:
                cells[j] = bind(f"{fobj}.upvalues[{j}]")
            v = stack.pop()
            stores.append(f"{cells[j]}[0] = {v[0]}")
            current[j] = v
        elif op is Op.Return:
            result = stack.pop()[0]
        else:
            b, a = stack.pop(), stack.pop()
            for text, known in (a, b):
                test = f"{text}.__class__ is _h_int"
                if not known and test not in tests:
                    tests.append(test)
            t = emitter.temp()
            computed.add(t)
            # Within i64 but for I64_MIN, which takes the ordinary call (as the generated code's own
            # overflow tests do): one method call and a small-int compare CPython 3.11 specializes, where
            # comparing with the two 64-bit bounds takes two generic rich comparisons.
            tests.append(f"({t} := {a[0]} {_INT_OPS[op]} {b[0]}).bit_length() < 64")
            stack.append((t, True))
    words = lambda name: re.compile(rf"\b{name}\b")  # names are t<number>: no regex syntax in them
    if result not in computed:
        stores.append(f"{r} = {result}")  # a captured value, an argument or a constant returned as it is
    else:  # computed in the condition: bound to r directly
        tests = [words(result).sub(r, t) for t in tests]
        stores = [words(result).sub(r, t) for t in stores]
    reads = []
    for name in reversed(pending):  # a later binding may use an earlier one, never the reverse
        pattern = words(name)
        for k, t in enumerate(tests):
            if pattern.search(t):
                tests[k] = pattern.sub(f"({name} := {pending[name]})", t, count=1)
                break
        else:
            reads.append(f"{name} = {pending[name]}")
    return Inlined(" and ".join(tests), reads[::-1] + stores)
