"""Static types and integer ranges of one chunk's values, for the fast tier's code generator.

A forward dataflow analysis over the chunk's basic blocks (ruff.frontend.cfg's `ControlFlow`: its blocks,
edges, stack depths and loop headers). At every instruction it knows, for each operand-stack entry and each local slot,
a `Val`: a Python type the value is *guaranteed* to have, and for ints an inclusive interval. The code
generator uses these facts to drop `__class__` checks and i64 overflow checks.

The lattice, per value:

    UNKNOWN                      top: anything (also every value the analysis cannot see through)
    INT[lo, hi]  FLOAT  BOOL  STR  NONE  LIST  DICT
                                 exact Python classes: INT is `int` and never `bool`, NONE is `None`,
                                 LIST/DICT are `list`/`dict`; INT carries an interval within i64

Join: equal types join (INT: the interval hull), different types give UNKNOWN. Unreachable code has no
facts (`Facts.stack` is None there).

Soundness rules (a fact must hold on every execution of the reference interpreter, ruff.runtime.vm):

- Non-parameter locals start as None (Frame pads the argument list with None); parameters are UNKNOWN
  unless the caller promises their classes or int ranges (`param_types`, backed by an entry guard in
  generated code).
- Slots touched by MakeCell/LoadDeref/StoreDeref (or listed in `chunk.cell_slots`) hold cells that a closure
  may write at any call: always UNKNOWN. Only StoreLocal/MakeCell change a slot, so a call cannot
  invalidate a non-cell local.
- Whatever comes from outside the chunk is UNKNOWN: globals, upvalues, calls, fields, indexing, iterators,
  Yield/Await, pattern bindings, the error value at a handler.
- Struct operator overloading only applies when the *left* operand is a StructInstance, and an overload
  may return anything. So an operator gives a typed result only when its left operand's class is known
  (then ruff.runtime.ops computes it, and comparisons there always return a bool): a float on the left
  gives a float and a string a string (+) whatever is on the right, or raises.
- A list access (IndexGet/IndexSet on a LIST with an INT key) that does not raise had its key in
  [-len, len), and no list has LIST_LEN_MAX items: the key's source slot is narrowed to that range.
- Checked int arithmetic: the result interval is the exact one clamped to i64; when the exact one fits,
  the instruction cannot overflow (`Facts.no_overflow`).
- An exception can leave a try region anywhere, so a handler starts with every local UNKNOWN.

Branch refinement. A stack entry remembers the local slot it was loaded from (until that slot is stored)
and may carry a *predicate*: for the case that the value is truthy and the case that it is falsy, either
"impossible" or interval constraints on local slots. Comparisons of two INT operands create predicates
(constraining the operands' source slots), Not swaps the cases, Truthy keeps them, constants are always
one or the other. A conditional jump applies the matching case to the locals on each edge, and an edge
whose case is impossible (or empties an interval) is not taken. At a merge the predicates of the
incoming paths are joined path-sensitively (each path's case constraints met with that path's locals,
then the hull), which is what carries `a && b` / `a || b` through the compiler's merge of the two
operands: `LoadConst false` on the short-circuit path makes its truthy case impossible.

Loops: the worklist takes blocks in a reverse postorder that puts each loop's body before the code after
the loop, so a loop settles before anything downstream is looked at. Loop headers drop predicates and,
after a few changes, widen the growing interval bounds of the slots the loop stores to the i64 bounds
(slots it does not store keep the bounds the code before the loop gave them), so the fixpoint is reached
after a handful of passes. A loop condition (`i < n`) then narrows the widened interval inside the body.

The facts describe the reference interpreter's executions; the fast tier implements the same semantics,
and the native tier's on-stack replacement writes back the values the loop itself would have computed.
"""

from __future__ import annotations

import enum
import functools
import heapq
from dataclasses import dataclass
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Op, pattern_binding_names
from ruff.frontend.cfg import EXIT, FALL, HANDLER, JUMP, BadBytecode, Block, ControlFlow, stack_effect
from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.fast.pvector import VectorShape


class Ty(enum.Enum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR = "str"
    NONE = "none"
    LIST = "list"
    DICT = "dict"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Val:
    ty: Ty
    lo: Optional[int] = None  # only for INT: inclusive bounds; None is the i64 bound
    hi: Optional[int] = None

    def bounds(self) -> tuple[int, int]:
        """The interval of an INT as two ints (i64 bounds for None)."""
        return (I64_MIN if self.lo is None else self.lo, I64_MAX if self.hi is None else self.hi)


UNKNOWN = Val(Ty.UNKNOWN)
INT = Val(Ty.INT)
FLOAT = Val(Ty.FLOAT)
BOOL = Val(Ty.BOOL)
STR = Val(Ty.STR)
NONE = Val(Ty.NONE)
LIST = Val(Ty.LIST)
DICT = Val(Ty.DICT)
_OF_TY = {v.ty: v for v in (UNKNOWN, INT, FLOAT, BOOL, STR, NONE, LIST, DICT)}
_KNOWN_NUM = (Ty.INT, Ty.FLOAT)


@functools.lru_cache(maxsize=4096)
def int_val(lo: int, hi: int) -> Val:
    """INT[lo, hi] clamped to i64; an empty interval (an operation that always raises) is full i64.

    Cached, so equal intervals are mostly the same object and joins can compare by identity."""
    lo, hi = max(lo, I64_MIN), min(hi, I64_MAX)
    if lo > hi or (lo == I64_MIN and hi == I64_MAX):
        return INT
    return Val(Ty.INT, None if lo == I64_MIN else lo, None if hi == I64_MAX else hi)


# ----------------------------------------------------------------------------- abstract stack entries

# A predicate case: None = this outcome never happens; otherwise slot -> (lo, hi) constraints that hold
# for INT locals when it happens.
Case = Optional[dict]
Pred = tuple  # (case when the value is truthy, case when it is falsy)
# A stack entry: (Val, slot it was loaded from or -1, Pred or None).
Entry = tuple
# The Val of every local slot: a persistent vector (pvector.VectorShape), shared between versions.
Locals = tuple
State = tuple  # (tuple of Entry, Locals)

_UNK_ENT: Entry = (UNKNOWN, -1, None)
_ALWAYS: Pred = ({}, None)
_NEVER: Pred = (None, {})


def _join_val(a: Val, b: Val) -> Val:
    if a is b:
        return a
    if a.ty is not b.ty:
        return UNKNOWN
    if a.ty is Ty.INT:
        (a1, a2), (b1, b2) = a.bounds(), b.bounds()
        return int_val(min(a1, b1), max(a2, b2))
    return a


def _cond(vec: VectorShape, locs: Locals, case: dict, slot: int) -> Optional[tuple[int, int]]:
    """What a path knows about INT slot `slot` in a case: its local interval met with the case's constraint."""
    lo, hi = vec.get(locs, slot).bounds()
    c = case.get(slot)
    if c is not None:
        lo, hi = max(lo, c[0]), min(hi, c[1])
    return (lo, hi) if lo <= hi else None


def _join_case(vec: VectorShape, l1: Locals, c1: Case, l2: Locals, c2: Case, joined: Locals) -> Case:
    """The case after a merge: in it, each INT slot lies in the hull of what either path knew in it."""
    if c1 is None and c2 is None:
        return None
    get = vec.get
    if c1 is None or c2 is None:
        # Only one path can produce this outcome: all it knew about its locals holds in it. That is news
        # only for the slots the case constrains and those whose value differs from the joined one.
        locs, case = (l2, c2) if c1 is None else (l1, c1)
        out = {}
        for slot in sorted(set(vec.diff(locs, joined)).union(case)):
            j = get(joined, slot)
            if j.ty is Ty.INT:
                c = _cond(vec, locs, case, slot)
                if c is not None and c != j.bounds():
                    out[slot] = c
        return out
    out = {}
    for slot in c1.keys() | c2.keys():
        j = get(joined, slot)
        if j.ty is not Ty.INT:
            continue
        a, b = _cond(vec, l1, c1, slot), _cond(vec, l2, c2, slot)
        if a is None or b is None:  # that path cannot be in this case: the other one decides
            c = a or b
        else:
            c = (min(a[0], b[0]), max(a[1], b[1]))
        if c is not None and c != j.bounds():
            out[slot] = c
    return out


def _join_entry(vec: VectorShape, l1: Locals, e1: Entry, l2: Locals, e2: Entry, joined: Locals) -> Entry:
    if e1 is e2:
        return e1
    v = _join_val(e1[0], e2[0])
    src = e1[1] if e1[1] == e2[1] else -1
    p1, p2 = e1[2], e2[2]
    if p1 is None and p2 is None:
        return (v, src, None)
    p1, p2 = p1 or ({}, {}), p2 or ({}, {})
    pred = (_join_case(vec, l1, p1[0], l2, p2[0], joined), _join_case(vec, l1, p1[1], l2, p2[1], joined))
    return (v, src, None if pred == ({}, {}) else pred)


def _join_state(vec: VectorShape, old: State, new: State) -> State:
    if old is new:
        return old
    (s1, l1), (s2, l2) = old, new
    locs = l1
    if l1 is not l2:
        # Paths share most Val objects (stores copy a path of the vector, not the Vals): join only the slots
        # that differ, found without looking at what the two versions share.
        get = vec.get
        diff = vec.diff(l1, l2)
        if diff:
            locs = vec.update(l1, [(k, _join_val(get(l1, k), get(l2, k))) for k in diff])
    stack = s1 if s1 == s2 else tuple(_join_entry(vec, l1, a, l2, b, locs) for a, b in zip(s1, s2))
    return stack, locs


def _widen_val(old: Val, new: Val) -> Val:
    if new.ty is not Ty.INT or old.ty is not Ty.INT or old == new:
        return new
    (o1, o2), (n1, n2) = old.bounds(), new.bounds()
    return int_val(I64_MIN if n1 < o1 else n1, I64_MAX if n2 > o2 else n2)


def _refine(vec: VectorShape, locs: Locals, case: Case) -> Optional[Locals]:
    """The locals on an edge taken in `case`; None when the edge cannot be taken."""
    if case is None:
        return None
    if not case:
        return locs
    changes = []
    for slot, (lo, hi) in case.items():
        v = vec.get(locs, slot)
        if v.ty is Ty.INT:
            a1, a2 = v.bounds()
            lo, hi = max(lo, a1), min(hi, a2)
            if lo > hi:
                return None
            changes.append((slot, int_val(lo, hi)))
    return vec.update(locs, changes)


def _forget(stack: list, slot: int) -> None:
    """`slot` was stored: entries loaded from it and constraints on it no longer describe it."""
    for k, (v, src, pred) in enumerate(stack):
        if src == slot or pred is not None:
            if pred is not None:
                pred = tuple(c if c is None or slot not in c else {s: r for s, r in c.items() if s != slot}
                             for c in pred)
            stack[k] = (v, -1 if src == slot else src, pred)


# ----------------------------------------------------------------------------- arithmetic and comparisons


def _tdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _int_arith(op: Op, a1: int, a2: int, b1: int, b2: int) -> tuple[int, int]:
    """The exact (unclamped) interval of a op b; an empty one when it always raises."""
    if op is Op.Add:
        return a1 + b1, a2 + b2
    if op is Op.Sub:
        return a1 - b2, a2 - b1
    if op is Op.Mul:
        ps = (a1 * b1, a1 * b2, a2 * b1, a2 * b2)
        return min(ps), max(ps)
    if op is Op.Div:
        # Truncating division is monotone in a for a fixed sign of b and in b for fixed a, so on each
        # sign range of b (b = 0 raises) the extremes are at the corners.
        qs = []
        for y1, y2 in ((b1, min(b2, -1)), (max(b1, 1), b2)):
            if y1 <= y2:
                qs += [_tdiv(x, y) for x in (a1, a2) for y in (y1, y2)]
        return (min(qs), max(qs)) if qs else (1, 0)
    # Mod: |a % b| < |b| and <= |a|, with the sign of a.
    m = max(abs(b1), abs(b2)) - 1
    if m < 0:
        return 1, 0
    return (0 if a1 >= 0 else max(a1, -m)), (0 if a2 <= 0 else min(a2, m))


def _arith(op: Op, a: Val, b: Val) -> tuple[Val, bool]:
    """(result, cannot overflow) of Add/Sub/Mul/Div/Mod."""
    ta, tb = a.ty, b.ty
    if ta is Ty.INT and tb is Ty.INT:
        a1, a2 = a.bounds()
        b1, b2 = b.bounds()
        lo, hi = _int_arith(op, a1, a2, b1, b2)
        return int_val(lo, hi), I64_MIN <= lo <= hi <= I64_MAX
    if ta in _KNOWN_NUM and tb in _KNOWN_NUM:
        return FLOAT, False
    # Only a struct on the left overloads: a float or a string there gives a float (a string for +)
    # or raises, whatever the right operand is (ruff.runtime.ops).
    if ta is Ty.FLOAT:
        return FLOAT, False
    if op is Op.Add and ta is Ty.STR:
        return STR, False
    return UNKNOWN, False


def _compare_pred(op: Op, a: Val, sa: int, b: Val, sb: int) -> Optional[Pred]:
    """Constraints on the operands' source slots when `a op b` (two INTs) is true and when it is false."""
    if op is Op.GreaterThan or op is Op.GreaterEqual:  # a > b is b < a
        a, sa, b, sb = b, sb, a, sa
        op = Op.LessThan if op is Op.GreaterThan else Op.LessEqual
    (a1, a2), (b1, b2) = a.bounds(), b.bounds()
    meet = (max(a1, b1), min(a2, b2))
    if op is Op.LessThan:
        yes = ((a1, min(a2, b2 - 1)), (max(b1, a1 + 1), b2))
        no = ((max(a1, b1), a2), (b1, min(b2, a2)))
    elif op is Op.LessEqual:
        yes = ((a1, min(a2, b2)), (max(b1, a1), b2))
        no = ((max(a1, b1 + 1), a2), (b1, min(b2, a2 - 1)))
    else:  # Equal / NotEqual: equal ints meet; unequal ones only lose an endpoint against a constant
        na = (a1 + (a1 == b1 == b2), a2 - (a2 == b1 == b2))
        nb = (b1 + (b1 == a1 == a2), b2 - (b2 == a1 == a2))
        yes, no = (meet, meet), (na, nb)
        if op is Op.NotEqual:
            yes, no = no, yes
    if sa < 0 and sb < 0 and yes[0][0] <= yes[0][1] and no[0][0] <= no[0][1] \
            and yes[1][0] <= yes[1][1] and no[1][0] <= no[1][1]:
        return None
    return _case(yes, sa, sb), _case(no, sa, sb)


def _case(ranges: tuple, sa: int, sb: int) -> Case:
    (a1, a2), (b1, b2) = ranges
    if a1 > a2 or b1 > b2:
        return None
    out = {}
    if sb >= 0:
        out[sb] = (b1, b2)
    if sa >= 0:
        if sa in out:  # x op x
            lo, hi = max(a1, b1), min(a2, b2)
            if lo > hi:
                return None
            out[sa] = (lo, hi)
        else:
            out[sa] = (a1, a2)
    return out


def _const_ent(c: Any) -> Entry:
    t = type(c)
    if t is int:
        if not I64_MIN <= c <= I64_MAX:  # not a Ruff int (the compiler should never make one)
            return _UNK_ENT
        return (int_val(c, c), -1, _ALWAYS if c else _NEVER)
    if t is bool:
        return (BOOL, -1, _ALWAYS if c else _NEVER)
    if t is float:
        return (FLOAT, -1, _ALWAYS if c else _NEVER)
    if t is str:
        return (STR, -1, _ALWAYS if c else _NEVER)
    if c is None:
        return (NONE, -1, _NEVER)
    return _UNK_ENT


# ----------------------------------------------------------------------------- the facts


TOP_ENTRIES = 3  # stack entries recorded at every instruction (Facts.top)


class Facts:
    """What holds before each instruction of one chunk.

    The whole state is kept only on entry to each block; a question about an instruction inside a block
    runs the block's transfer function up to it (questions asked in order through a block continue where
    the last one stopped, so answering all of them is linear in the block). What the code generator asks
    at every instruction — the stack depth and the top few values (`top`) — is recorded as it goes.
    """

    def __init__(self, analysis: "_Flow") -> None:
        self._an = analysis
        self._safe = analysis.safe
        self._cursor: Optional[tuple] = None  # (block, ip, stack entries, locals) after the last question

    def _state(self, i: int) -> Optional[tuple[Optional[list], Locals]]:
        """(stack entries, locals) before instruction i, None where no path reaches it. The stack is None
        at the conditional jump right after a MatchPattern (its depth differs between the two outcomes)."""
        an = self._an
        code = an.code
        if i > 0 and code[i - 1].op is Op.MatchPattern:
            before = self._state(i - 1)  # MatchPattern touches no local
            return None if before is None else (None, before[1])
        cur = self._cursor
        if cur is not None and cur[1] <= i < cur[0].end:
            b, pos, stack, locs = cur
        else:
            b = an.flow.block_of(i)
            state = an.ins.get(b.start)
            if state is None:
                return None
            pos, stack, locs = b.start, list(state[0]), state[1]
        if pos < i:
            locs = an.transfer(b, stack, locs, pos, i)
        self._cursor = (b, i, stack, locs)
        return stack, locs

    def stack(self, i: int) -> Optional[tuple[Val, ...]]:
        """Operand stack before instruction i, bottom..top; None if unreachable (and for the conditional
        jump right after a MatchPattern, whose stack depth differs between its two outcomes)."""
        st = self._state(i)
        return None if st is None or st[0] is None else tuple(e[0] for e in st[0])

    def top(self, i: int, k: int) -> Optional[tuple[int, tuple[Val, ...]]]:
        """(stack depth, the top k entries or all if fewer) before instruction i; None as for `stack`."""
        if k <= TOP_ENTRIES:
            known = self._an.tops[i]
            return known if known is None or k == TOP_ENTRIES else (known[0], known[1][-k:])
        st = self._state(i)
        if st is None or st[0] is None:
            return None
        stack = st[0]
        return len(stack), tuple(e[0] for e in stack[-k:])

    def local(self, i: int, slot: int) -> Val:
        """Local slot before instruction i (UNKNOWN if unreachable)."""
        st = self._state(i)
        return UNKNOWN if st is None else self._an.vec.get(st[1], slot)

    def reachable(self, i: int) -> bool:
        return self._state(i) is not None

    def no_overflow(self, i: int) -> bool:
        """Add/Sub/Mul/Negate at i: its operands are INT and the result is always within i64."""
        return i in self._safe

    def checks_saved(self) -> int:
        """How many Add/Sub/Mul/Negate instructions need no overflow check."""
        return len(self._safe)


def infer(chunk: Chunk, param_types: Optional[tuple[Any, ...]] = None, *,
          flow: Optional[ControlFlow] = None) -> Facts:
    """Facts for `chunk`. `flow` lets codegen pass the ControlFlow it already has (else one is made,
    raising cfg.BadBytecode for bytecode the compiler does not produce)."""
    if flow is None:
        flow = ControlFlow(chunk)
    return _Flow(chunk, flow, param_types).run()


def infer_loop(facts: Facts, header: Block, assume: dict) -> Optional[Facts]:
    """Facts for the code inside the loop at `header` when, each time the loop is entered, the local
    slots in `assume` (slot -> Val: INT, LIST or STR, never a cell) hold values of those classes — a guard
    in front of the loop statement checks them (codegen's loop versioning). None if `header` is
    unreachable.

    Sound only for the blocks emitted inside that loop statement: the header's state is `facts`' (all
    its entries and back-edges) with the assumption applied, and it takes no other state from outside
    the loop, only its own back-edges; so the answers outside the loop describe nothing."""
    base = facts._an
    state = base.ins.get(header.start)
    if state is None:
        return None
    an = _Flow(base.chunk, base.flow, None)
    an.vec = base.vec
    return an.run(header, (state[0], base.vec.update(state[1], sorted(assume.items()))))


# No list is longer: CPython allocates a list's item pointers as one array of at most PY_SSIZE_T_MAX
# (2**63 - 1) bytes, so 8-byte pointers number fewer than 2**60 (and list indexes lie in [-len, len)).
LIST_LEN_MAX = 2**60
_WIDEN_AFTER = 2  # changes of a loop header's state before growing bounds jump to the i64 bounds
_ARITH = frozenset({Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Mod})
_COMPARE = frozenset({Op.Equal, Op.NotEqual, Op.LessThan, Op.GreaterThan, Op.LessEqual, Op.GreaterEqual})
_OVERFLOW_OPS = frozenset({Op.Add, Op.Sub, Op.Mul, Op.Negate})
_SAME_CONTAINER = {Op.SpreadArray: Ty.LIST, Op.ArrayPush: Ty.LIST, Op.SpreadDict: Ty.DICT, Op.DictInsert: Ty.DICT}
# Opcodes with a transfer function of their own (in _Flow.transfer).
TRANSFERRED = _ARITH | _COMPARE | frozenset(_SAME_CONTAINER) | {
    Op.LoadLocal, Op.LoadConst, Op.StoreLocal, Op.Not, Op.Truthy, Op.Negate, Op.Dup, Op.Swap, Op.MakeCell,
    Op.JumpIfFalse, Op.JumpIfTrue, Op.Jump, Op.JumpBack, Op.MatchPattern, Op.JumpIfNotNull, Op.IteratorNext,
    Op.BeginTry, Op.Return, Op.Throw, Op.MakeArray, Op.MakeDict, Op.BuildString, Op.IndexGet, Op.IndexSet}
# Opcodes that neither branch nor store a local slot whose value typeflow tracks: they pop their operands
# and push values it knows nothing about (cells are always UNKNOWN; TryUnwrap's early return leaves the
# chunk).
GENERIC = frozenset({
    Op.Pop, Op.LoadDeref, Op.StoreDeref, Op.LoadUpvalue, Op.StoreUpvalue, Op.LoadGlobal, Op.StoreGlobal,
    Op.DefineGlobal, Op.Call, Op.CallMethod, Op.CallSpread, Op.MakeClosure, Op.FieldGet, Op.FieldGetOpt, Op.FieldSet, Op.MakeStructDef, Op.MakeStruct, Op.MakeEnumDef, Op.MakeOk,
    Op.MakeErr, Op.MakeSome, Op.MakeNone, Op.TryUnwrap, Op.MakeIterator, Op.EndTry, Op.Yield, Op.Await,
    Op.Spawn, Op.Import, Op.ImportFrom, Op.RegisterTest, Op.Nop})


def _in_loop(b: Block, header: Optional[Block]) -> bool:
    if header is None:
        return True
    h = b.loop
    while h is not None:
        if h is header:
            return True
        h = h.parent_loop
    return False


def _loop_first_order(entry: Block) -> list:
    """Reverse postorder of a DFS that explores the edges leaving the current loop first.

    Any reverse postorder is topological for forward edges; this one also puts a loop's body before the
    code after the loop, so the worklist (smallest position first) settles a loop before it moves on
    instead of re-running everything downstream after each change of the loop header.
    """
    def succs(b: Block) -> list:
        return sorted((e.dst for e in b.succ), key=lambda d: _in_loop(d, b.loop))

    post: list = []
    seen = {id(entry)}
    stack = [(entry, iter(succs(entry)))]
    while stack:
        b, it = stack[-1]
        for d in it:
            if id(d) not in seen:
                seen.add(id(d))
                stack.append((d, iter(succs(d))))
                break
        else:
            stack.pop()
            post.append(b)
    post.reverse()
    return post


class _Flow:
    """The analysis of one chunk: the state (stack entries, locals) on entry to every block, found by a
    worklist over the blocks in loop-first order (`run`), each block's `transfer` function, and the joins
    and widening at merges (`propagate`). Facts answers questions from the states it leaves in `ins`."""

    def __init__(self, chunk: Chunk, flow: ControlFlow, param_types: Optional[tuple[Any, ...]]) -> None:
        self.chunk = chunk
        self.code = chunk.code
        self.consts = chunk.constants
        self.flow = flow
        cells = set(chunk.cell_slots)
        for ins in chunk.code:
            if ins.op in (Op.MakeCell, Op.LoadDeref, Op.StoreDeref):
                cells.add(ins.arg)
        self.cells = frozenset(cells)
        n = chunk.num_locals
        np_ = len(chunk.params)
        if param_types is not None and len(param_types) > np_:
            raise ValueError(f"{len(param_types)} parameter types for {np_} parameters")
        locs = [NONE] * n
        for k in range(min(np_, n)):
            t = param_types[k] if param_types is not None and k < len(param_types) else Ty.UNKNOWN
            locs[k] = t if isinstance(t, Val) else _OF_TY[t]  # a Val: an INT with the caller's interval
        for s in self.cells:
            if 0 <= s < n:
                locs[s] = UNKNOWN
        self.vec = VectorShape(n)
        self.entry_locals = self.vec.make(locs)
        self.unknown_locals = self.vec.make([UNKNOWN] * n)
        self.const_ents = [_const_ent(c) for c in chunk.constants]
        self.loop_stores: dict[int, set] = {}  # id(loop header) -> slots stored somewhere in that loop
        for b in flow.order:
            h = b.loop
            if h is None:
                continue
            stored = {ins.arg for ins in chunk.code[b.start:b.end] if ins.op is Op.StoreLocal or ins.op is Op.MakeCell}
            while h is not None and stored:
                self.loop_stores.setdefault(id(h), set()).update(stored)
                h = h.parent_loop
        self.ins: dict[int, State] = {}
        self.changes: dict[int, int] = {}
        self.recording = False  # the last pass: note the instructions that cannot overflow, and `tops`
        self.safe: set[int] = set()
        # Per instruction: the stack depth and the top TOP_ENTRIES values, which is all the code generator
        # asks about (None: unreachable). Bounded, so recording it keeps the analysis linear.
        self.tops: list = [None] * len(chunk.code)

    def run(self, header: Optional[Block] = None, seed: Optional[State] = None) -> Facts:
        """The fixpoint from the chunk's entry; or (infer_loop) from loop `header` entered in state `seed`,
        taking nothing into `header` but its own back-edges."""
        blocks = _loop_first_order(header or self.flow.order[0])
        rpo = {id(b): k for k, b in enumerate(blocks)}
        self.ins[blocks[0].start] = seed or ((), self.entry_locals)
        work = [0]
        queued = {0}
        while work:
            k = heapq.heappop(work)
            queued.discard(k)
            b = blocks[k]
            state = self.ins[b.start]
            for dst, state in self.transfer(b, list(state[0]), state[1], b.start, b.end):
                if dst is header and not _in_loop(b, header):
                    continue
                if self.propagate(dst, state):
                    j = rpo[id(dst)]
                    if j not in queued:
                        queued.add(j)
                        heapq.heappush(work, j)
        self.recording = True
        for b in blocks:
            state = self.ins.get(b.start)
            if state is not None:
                self.transfer(b, list(state[0]), state[1], b.start, b.end)
        self.recording = False
        return Facts(self)

    def propagate(self, dst: Block, state: State) -> bool:
        old = self.ins.get(dst.start)
        new = state if old is None else _join_state(self.vec, old, state)
        if dst.is_header:
            # Predicates at a header would need widening of their own; loops rarely keep one there.
            if any(e[2] is not None for e in new[0]):
                new = (tuple((v, src, None) for v, src, _ in new[0]), new[1])
            if old is not None and new != old:
                n = self.changes.get(dst.start, 0) + 1
                self.changes[dst.start] = n
                if n > _WIDEN_AFTER:
                    # Only slots the loop stores can grow without bound here; widening the others (which
                    # change only when the code before the loop does) would lose an outer loop's bounds.
                    get = self.vec.get
                    locs = self.vec.update(new[1], [(s, _widen_val(get(old[1], s), get(new[1], s)))
                                                    for s in sorted(self.loop_stores.get(id(dst), ()))])
                    new = (tuple((_widen_val(o[0], e[0]), e[1], None) for o, e in zip(old[0], new[0])), locs)
        if old is not None and new == old:
            return False
        self.ins[dst.start] = new
        return True

    def handler_state(self, dst: Block) -> State:
        return (_UNK_ENT,) * dst.depth, self.unknown_locals

    def transfer(self, b: Block, stack: list, locs: Locals, start: int, end: int) -> Any:
        """Run instructions [start, end) of block b on `stack` (changed in place) and `locs`.

        Up to the block's end: the (successor block, state) of every edge that can be taken. Stopping
        before it (end < b.end, never between a MatchPattern and its test): the locals there."""
        code, cells, rec = self.code, self.cells, self.recording
        vec_get, vec_set = self.vec.get, self.vec.set
        succ = {e.kind: e.dst for e in b.succ} if end == b.end else None  # only the block's end branches
        tops = self.tops if rec else None
        for i in range(start, end):
            ins = code[i]
            op = ins.op
            if tops is not None:
                tops[i] = (len(stack), tuple([e[0] for e in stack[-TOP_ENTRIES:]]))
            if op is Op.LoadLocal:
                s = ins.arg
                stack.append((vec_get(locs, s), -1 if s in cells else s, None))
            elif op is Op.LoadConst:
                stack.append(self.const_ents[ins.arg])
            elif op is Op.StoreLocal:
                s = ins.arg
                v = stack.pop()[0]
                locs = vec_set(locs, s, UNKNOWN if s in cells else v)
                _forget(stack, s)
            elif op in _ARITH:
                b_ = stack.pop()[0]
                a = stack.pop()[0]
                v, safe = _arith(op, a, b_)
                if rec and safe and op in _OVERFLOW_OPS:
                    self.safe.add(i)
                stack.append((v, -1, None))
            elif op in _COMPARE:
                eb = stack.pop()
                ea = stack.pop()
                a, b_ = ea[0], eb[0]
                pred = None
                if a.ty is Ty.INT and b_.ty is Ty.INT:
                    pred = _compare_pred(op, a, ea[1], b_, eb[1])
                stack.append((UNKNOWN if a.ty is Ty.UNKNOWN else BOOL, -1, pred))
            elif op is Op.Not:
                v, _, pred = stack.pop()
                if v.ty is Ty.UNKNOWN:  # may be a struct with op_not
                    stack.append(_UNK_ENT)
                else:
                    stack.append((BOOL, -1, None if pred is None else (pred[1], pred[0])))
            elif op is Op.Truthy:
                stack[-1] = (BOOL, -1, stack[-1][2])  # same truthiness as its operand
            elif op is Op.Negate:
                v = stack.pop()[0]
                if v.ty is Ty.INT:
                    lo, hi = v.bounds()
                    if rec and lo > I64_MIN:
                        self.safe.add(i)
                    v = int_val(-hi, -lo)
                elif v.ty is not Ty.FLOAT:
                    v = UNKNOWN
                stack.append((v, -1, None))
            elif op is Op.Dup:
                stack.append(stack[-1])
            elif op is Op.Swap:
                stack[-1], stack[-2] = stack[-2], stack[-1]
            elif op is Op.MakeCell:
                locs = vec_set(locs, ins.arg, UNKNOWN)
                _forget(stack, ins.arg)
            elif op is Op.JumpIfFalse or op is Op.JumpIfTrue:
                pred = stack.pop()[2] or ({}, {})
                taken, through = (pred[0], pred[1]) if op is Op.JumpIfTrue else (pred[1], pred[0])
                st = tuple(stack)
                out = []
                for kind, case in ((FALL, through), (JUMP, taken)):
                    refined = _refine(self.vec, locs, case)
                    if refined is not None:
                        out.append((succ[kind], (st, refined)))
                return out
            elif op is Op.Jump or op is Op.JumpBack:
                return [(succ[JUMP], (tuple(stack), locs))]
            elif op is Op.MatchPattern:
                stack.pop()
                jump = code[i + 1]
                k = len(pattern_binding_names(self.consts[ins.arg]))
                ok = (tuple(stack) + (_UNK_ENT,) * k, locs)
                fail = (tuple(stack), locs)
                if jump.op is Op.JumpIfFalse:
                    return [(succ[FALL], ok), (succ[JUMP], fail)]
                return [(succ[JUMP], ok), (succ[FALL], fail)]
            elif op is Op.JumpIfNotNull:
                top = stack[-1][0]
                out = []
                if top.ty is Ty.UNKNOWN or top.ty is Ty.NONE:
                    out.append((succ[FALL], (tuple(stack[:-1]), locs)))
                if top.ty is not Ty.NONE:
                    out.append((succ[JUMP], (tuple(stack), locs)))
                return out
            elif op is Op.IteratorNext:
                return [(succ[FALL], (tuple(stack) + (_UNK_ENT,), locs)), (succ[EXIT], (tuple(stack[:-1]), locs))]
            elif op is Op.BeginTry:
                h = succ[HANDLER]
                return [(succ[FALL], (tuple(stack), locs)), (h, self.handler_state(h))]
            elif op is Op.Return or op is Op.Throw:
                return []
            elif op is Op.MakeArray:
                if ins.arg:
                    del stack[-ins.arg:]
                stack.append((LIST, -1, None))
            elif op is Op.MakeDict:
                if ins.arg:
                    del stack[-2 * ins.arg:]
                stack.append((DICT, -1, None))
            elif op is Op.BuildString:
                if ins.arg:
                    del stack[-ins.arg:]
                stack.append((STR, -1, None))
            elif op is Op.IndexGet or op is Op.IndexSet:
                pops = 2 if op is Op.IndexGet else 3
                (o, _, _), (k, src, _) = stack[-pops], stack[-pops + 1]
                del stack[-pops:]
                if op is Op.IndexGet:
                    stack.append(_UNK_ENT)
                if o.ty is Ty.LIST and k.ty is Ty.INT and src >= 0:
                    # Past a list access the index was in range (objects.index_get/index_set raise
                    # otherwise): a loop's store index is then far from the i64 bounds.
                    lo, hi = k.bounds()
                    if lo < -LIST_LEN_MAX or hi >= LIST_LEN_MAX:
                        locs = vec_set(locs, src, int_val(max(lo, -LIST_LEN_MAX), min(hi, LIST_LEN_MAX - 1)))
            elif op in _SAME_CONTAINER:
                pops = 3 if op is Op.DictInsert else 2
                v = stack[-pops][0]
                del stack[-pops:]
                stack.append((v if v.ty is _SAME_CONTAINER[op] else UNKNOWN, -1, None))
            elif op in GENERIC:
                pops, pushes = stack_effect(ins, self.consts)
                if pops:
                    del stack[-pops:]
                stack.extend((_UNK_ENT,) * pushes)
            else:
                raise BadBytecode(f"typeflow has no transfer function for {op.name}")
        if end < b.end:
            return locs
        return [(succ[FALL], (tuple(stack), locs))]
