"""Ruff bytecode: the opcode set (named after the reference VM's), instructions and chunks.

Stack discipline (what each opcode pops → pushes) is written next to it; the executor, the lifter
and the fast tier all follow this table, so keep it exact.

Locals live in numbered slots of a frame. A local that an inner function captures is a *cell*:
its slot holds a `Cell` made by MakeCell, read and written with LoadDeref/StoreDeref. A closure
carries the cells it captured; it reads them with LoadUpvalue/StoreUpvalue. Globals are by name.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, field
from typing import Any, Optional


class Op(enum.IntEnum):
    # --- constants and stack
    LoadConst = enum.auto()  # arg: const index          → value
    Pop = enum.auto()  # value →
    Dup = enum.auto()  # v → v v
    Swap = enum.auto()  # a b → b a

    # --- variables
    LoadLocal = enum.auto()  # arg: slot                 → value
    StoreLocal = enum.auto()  # arg: slot               value →
    MakeCell = enum.auto()  # arg: slot; slot := new Cell(null)
    LoadDeref = enum.auto()  # arg: slot (holds a Cell)   → value
    StoreDeref = enum.auto()  # arg: slot (holds a Cell)  value →
    LoadUpvalue = enum.auto()  # arg: upvalue index        → value
    StoreUpvalue = enum.auto()  # arg: upvalue index      value →
    LoadGlobal = enum.auto()  # arg: name                 → value   (Undefined variable: name)
    StoreGlobal = enum.auto()  # arg: name               value →  (update; defines when absent)
    DefineGlobal = enum.auto()  # arg: (name, kind)       value →  kind: "let" "mut" "const" "var"

    # --- arithmetic and logic (checked i64; int op float promotes)
    Add = enum.auto()  # a b → a+b
    Sub = enum.auto()
    Mul = enum.auto()
    Div = enum.auto()
    Mod = enum.auto()
    Negate = enum.auto()  # a → -a
    Not = enum.auto()  # a → !truthy(a)
    Truthy = enum.auto()  # a → truthy(a)  (bool)
    Equal = enum.auto()
    NotEqual = enum.auto()
    LessThan = enum.auto()
    GreaterThan = enum.auto()
    LessEqual = enum.auto()
    GreaterEqual = enum.auto()

    # --- control flow (arg: target instruction index)
    Jump = enum.auto()  # forward jump
    JumpBack = enum.auto()  # loop back-edge (counted for on-stack replacement)
    JumpIfFalse = enum.auto()  # cond →   (jumps when falsey)
    JumpIfTrue = enum.auto()  # cond →   (jumps when truthy)
    JumpIfNotNull = enum.auto()  # v → v (jumps, keeping v) | v → (falls through, v popped)

    # --- calls
    Call = enum.auto()  # arg: argc     callee a1..an → result
    CallMethod = enum.auto()  # arg: (name, argc)  obj a1..an → result
    CallSpread = enum.auto()  # callee args_array → result   (args built with spread)
    Return = enum.auto()  # value → (returns it)
    MakeClosure = enum.auto()  # arg: const index of a Chunk   d1..dk → closure  (k defaults, see param_defaults)

    # --- collections, fields, structs
    MakeArray = enum.auto()  # arg: n      v1..vn → array
    MakeDict = enum.auto()  # arg: n      k1 v1 .. kn vn → dict
    SpreadArray = enum.auto()  # array value → array  (extends with every element of value)
    ArrayPush = enum.auto()  # array value → array  (appends one)
    SpreadDict = enum.auto()  # dict value → dict    (merges value, right-biased)
    DictInsert = enum.auto()  # dict k v → dict
    IndexGet = enum.auto()  # obj idx → value
    IndexSet = enum.auto()  # obj idx value →
    FieldGet = enum.auto()  # arg: name   obj → value
    FieldGetOpt = enum.auto()  # arg: name   obj → value  (null when obj is null)
    FieldSet = enum.auto()  # arg: name   obj value →
    MakeStructDef = enum.auto()  # arg: const index of StructInfo   d1..dk methods.. → struct type
    MakeStruct = enum.auto()  # arg: tuple of field names   type v1..vn → instance
    MakeEnumDef = enum.auto()  # arg: const index of EnumInfo → enum type

    # --- results and options
    MakeOk = enum.auto()  # v → Ok(v)
    MakeErr = enum.auto()  # v → Err(v)
    MakeSome = enum.auto()  # v → Some(v)
    MakeNone = enum.auto()  # → None
    TryUnwrap = enum.auto()  # v → inner  (returns Err/None from the function)

    # --- pattern matching
    MatchPattern = enum.auto()  # arg: const index of a Pattern   v → bindings... ok(bool)
    #   pushes, on success, the values bound by the pattern in the order of
    #   `pattern_binding_names(pattern)`, then true; on failure, just false.

    # --- iteration
    MakeIterator = enum.auto()  # iterable → iterator
    IteratorNext = enum.auto()  # arg: exit target   it → it value | it → (jumps, iterator popped)

    # --- strings
    BuildString = enum.auto()  # arg: n      p1..pn → "p1p2..pn" (each part displayed)

    # --- errors
    BeginTry = enum.auto()  # arg: handler target; on error the stack is cut back and the error pushed
    EndTry = enum.auto()  # leaves the innermost try region
    Throw = enum.auto()  # value →  (raises)

    # --- generators and async
    Yield = enum.auto()  # value → sent-in value (null)
    Await = enum.auto()  # awaitable → result
    Spawn = enum.auto()  # closure → task handle

    # --- modules and tests
    Import = enum.auto()  # arg: (module, alias)       → (binds a module object)
    ImportFrom = enum.auto()  # arg: (module, names tuple) → (binds each name)
    RegisterTest = enum.auto()  # arg: kind ("test", "group", "setup", "teardown")  name closure →

    Nop = enum.auto()



@dataclass(frozen=True)
class Instr:
    op: Op
    arg: Any = None
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return self.op.name if self.arg is None else f"{self.op.name} {self.arg!r}"


@dataclass(frozen=True)
class UpvalueRef:
    """Where MakeClosure finds a captured cell: the enclosing frame's slot, or its own upvalue."""

    from_parent_local: bool
    index: int
    name: str


def _const_key(value: Any) -> tuple:
    """Scalars are one constant by type and value (1, 1.0 and true are three); anything else by identity.

    A float is keyed by its bits: 0.0 and -0.0 are equal but print differently, and NaN equals nothing."""
    t = type(value)
    if t is float:
        return (t, struct.pack("<d", value))
    return (t, value) if isinstance(value, (int, str)) else (t, id(value))


@dataclass
class Chunk:
    """One compiled function (or the top-level script): its instructions and constants, what the
    executors need to call it, and (after the compiled fields) the run-time state each tier keeps on it.

    Functions nested in it are constants of it (MakeClosure's argument), so `all_chunks()` walks a
    program. ruff.frontend.cfg answers every question about its control flow."""

    name: str
    params: list[str]
    code: list[Instr] = field(default_factory=list)
    constants: list[Any] = field(default_factory=list)
    num_locals: int = 0
    local_names: list[str] = field(default_factory=list)  # slot → name, for disasm and errors
    cell_slots: frozenset[int] = frozenset()  # slots created with MakeCell (captured by inner functions)
    upvalues: list[UpvalueRef] = field(default_factory=list)
    param_defaults: list[bool] = field(default_factory=list)  # per param: has a default value
    is_generator: bool = False
    is_async: bool = False
    filename: str = "<input>"
    line: int = 0  # where the function was defined
    loop_of: Optional[str] = None  # a loop outlined by ruff.osr: the name of the function it is part of
    # Run-time state of the tiers, not part of the compiled code:
    calls: int = field(default=0, compare=False, repr=False)  # calls so far (a function gets hot at a threshold)
    tier_state: Any = field(default=None, compare=False, repr=False)  # the native tier's (ruff.tiering), once hot
    decoded: Any = field(default=None, compare=False, repr=False)  # the executor's pre-decoded form
    loop_counts: dict = field(default_factory=dict, compare=False, repr=False)  # back-edge ip → times taken
    # The fast tier's (ruff/runtime/fast/fastvm.py), set by FastVM.prepare before the chunk's compilation unit
    # first runs; absent until then, so a call through a chunk no FastVM prepared fails at once.
    #   fx(closure, depth, *args) runs a call: first a trampoline that translates the chunk, then its
    #   generated function (with native entry points chained in front once it is compiled natively), or an
    #   entry that runs generators, async functions and untranslatable chunks as the interpreter does.
    fx: Any = field(init=False, compare=False, repr=False)
    fbody: Any = field(init=False, compare=False, repr=False)  # the generated function; None: runs in the interpreter
    fvm: Any = field(init=False, compare=False, repr=False)  # the FastVM that prepared it
    finstalled: bool = field(init=False, compare=False, repr=False)  # translated (fx is no longer the trampoline)

    # constant key → index (see _const_key), over the first `_indexed` constants: kept in step with
    # `constants`, which osr may replace wholesale
    _index: dict = field(default_factory=dict, compare=False, repr=False)
    _indexed: int = field(default=0, compare=False, repr=False)

    def add_constant(self, value: Any) -> int:
        consts, index = self.constants, self._index
        if self._indexed != len(consts):
            index.clear()
            for i, c in enumerate(consts):
                index.setdefault(_const_key(c), i)
        key = _const_key(value)
        i = index.get(key)
        if i is None:
            i = index[key] = len(consts)
            consts.append(value)
        self._indexed = len(consts)
        return i

    def emit(self, op: Op, arg: Any = None, line: int = 0, col: int = 0) -> int:
        self.code.append(Instr(op, arg, line, col))
        return len(self.code) - 1

    def patch(self, index: int, target: int) -> None:
        ins = self.code[index]
        self.code[index] = Instr(ins.op, target, ins.line, ins.col)

    def nested_chunks(self) -> list["Chunk"]:
        return [c for c in self.constants if isinstance(c, Chunk)]

    def all_chunks(self) -> list["Chunk"]:
        """This chunk and every function chunk nested in it, depth-first."""
        out = [self]
        for c in self.nested_chunks():
            out.extend(c.all_chunks())
        return out


@dataclass(frozen=True)
class StructInfo:
    """Constant for MakeStructDef: the declaration's shape.

    Stack for MakeStructDef: one default value per field with has_default (in field order), then one
    closure per method (in method_names order) → the struct type.
    """

    name: str
    fields: tuple[str, ...]
    has_default: tuple[bool, ...]
    method_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnumInfo:
    name: str
    variants: tuple[tuple[str, int], ...]  # (variant name, number of carried values)


@dataclass(frozen=True)
class MatchPat:
    """Runtime form of a pattern (constant of MatchPattern): kind plus data, bindings in order."""

    kind: str  # "wild" "lit" "bind" "variant" "array" "dict"
    value: Any = None  # literal value / bind name / (enum, variant) / dict keys
    subpatterns: tuple["MatchPat", ...] = ()
    rest: Optional[str] = None


def pattern_binding_names(p: MatchPat) -> list[str]:
    """The names a pattern binds, in the order MatchPattern pushes their values."""
    if p.kind == "bind":
        return [p.value]
    out: list[str] = []
    if p.kind == "dict":
        out.extend(p.value)
    for sp in p.subpatterns:
        out.extend(pattern_binding_names(sp))
    if p.rest:
        out.append(p.rest)
    return out
