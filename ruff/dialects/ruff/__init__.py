"""The `ruff` dialect: Ruff functions in SSA form, boxed and specialized.

Two layers of operations live here:

* **Boxed ops** work on `!ruff.value`, a dynamically typed Ruff value (what the baseline executor keeps
  on its stack).  They mirror the bytecode opcodes one to one (see ruff/frontend/bytecode.py), except that
  the operand stack, locals and jump targets have become SSA values and blocks: a lifter turns a `Chunk`
  into one `ruff.func`.
* **Specialized ops** work on raw machine values (i64, f64, i1) and are what `specialize-types` produces
  and `lower-to-llvm` consumes: checked integer arithmetic (`ruff.iadd` ... `ruff.ineg`), zero-checked float
  division (`ruff.fdiv`, `ruff.fmod`), `ruff.box` / `ruff.unbox`, typed `ruff.constant`s and
  `ruff.call_direct`.  Plain float arithmetic and comparisons use `arith` directly, branches use `cf`.

Effects (what xDSL's dce / cse / canonicalize may do with an op):

* `Pure` (removable when unused, mergeable by cse): constants, box, truthy, is_null, is_type, is_fail,
  make_ok/err/some/none.
* reads (`MemoryReadEffect`; removable when unused, cse'd inside a block when no write is between):
  load_global, load_upvalue, cell_get, build_string.  A lifted function only exists while the globals it
  reads are defined (rebinding invalidates native code), so dropping an unused load_global is fine.
* allocations (`AllocatesResult`; removable when unused, never merged): make_array, make_dict, make_cell,
  make_closure.
* everything that can raise a Ruff runtime error (integer overflow, division by zero, wrong operand types,
  index out of bounds ...) or run user code (calls, operator overloading on structs) has either the
  `MayRaise` effect (a write: never removed, never merged) or no effect information at all (treated the
  same way).  This is the deliberate choice for `ruff.add` & co *and* for the checked `ruff.iadd` & co:
  an unused `x + y` that overflows must still raise.  Instead of being removed, the checked ops fold when
  their operands are constants and the result is in range (canonicalize does this).

Operations that refer to a chunk's constant table (`make_closure`, `make_struct_def`, `make_enum_def`,
`match_pattern`) carry the constant index; the table is the one of the chunk named by the enclosing
`ruff.func`'s `lifted_from`.  All boxed ops that can raise carry an optional `line` (0 = unknown) so the
error can name the source line.

The ops are defined by family, one module each: `types` (the types, effects and the `line` property),
`constants`, `functions` (functions, calls by symbol, the call depth, frame states), `lists` (native
array access), `strdict` (native string slices and dict reads and writes), `operators` (boxed operators), `boxing` (box, unbox, type tests and guards), `checked`
(checked raw arithmetic), `variables`, `calls`, `collections`. A canonicalization pattern lives next to
its op. This package assembles the dialect and re-exports every name, so `R.AddOp` works from
`from ruff.dialects import ruff as R`.
"""

from __future__ import annotations

from xdsl.ir import Dialect, Operation

from ruff.dialects.ruff.types import (
    ValueType, VALUE, StateType, STATE, NATIVE_TYPES, NativeType, AnyRuffType, TYPE_NAMES,
    AllocatesResult, MayRaise,
)
from ruff.dialects.ruff.constants import attr_to_py, py_to_attr, ConstantOp, RuffConstantMaterialization
from ruff.dialects.ruff.functions import (
    FuncOpCallableInterface, FuncOp, ReturnOp, CallDirectSymbolUser, CallDirectOp, EnterFrameOp,
    DEPTH_ARG, SPECIALIZED_FROM, FrameStateOp,
)
from ruff.dialects.ruff.lists import ListLenOp, ListGetOp, ListSetOp, ListAppendOp
from ruff.dialects.ruff.strdict import StrSliceOp, DictGetOp, DictItemOp, DictSetOp, IntTextOp, TextKeyOp, StrConcatOp, StrMethodOp, StrJoinOp
from ruff.dialects.ruff.operators import (
    BoxedBinary, AddOp, SubOp, MulOp, DivOp, ModOp, EqOp, NeOp, LtOp, LeOp, GtOp, GeOp, NegOp, NotOp, TruthyOp,
    IsNullOp,
)
from ruff.dialects.ruff.boxing import (
    BoxOp, UnboxBoxedBlockArgument, UnboxCanonicalization, UnboxOp, IsTypeOp, GuardTypeOp, GuardOp,
)
from ruff.dialects.ruff.checked import IAddOp, ISubOp, IMulOp, IDivOp, IModOp, INegOp, FDivOp, FModOp
from ruff.dialects.ruff.variables import (
    LoadGlobalOp, StoreGlobalOp, DefineGlobalOp, MakeCellOp, CellGetOp, CellSetOp, LoadUpvalueOp,
    StoreUpvalueOp,
)
from ruff.dialects.ruff.calls import CallOp, CallMethodOp, CallSpreadOp, BuiltinCallOp, MakeClosureOp, ThrowOp
from ruff.dialects.ruff.collections import (
    MakeArrayOp, EraseUnusedConstantKeyDict, MakeDictCanonicalization, MakeDictOp, SpreadArrayOp,
    ArrayPushOp, SpreadDictOp, DictInsertOp, IndexGetOp, IndexSetOp, FieldGetOp, FieldGetOptOp,
    FieldSetOp, IsInstanceOp, MakeStructDefOp, MakeStructOp, MakeEnumDefOp, MakeOkOp, MakeErrOp, MakeSomeOp,
    MakeNoneOp, IsFailOp, UnwrapOp, MatchPatternOp, MakeIteratorOp, IteratorNextOp, BuildStringOp,
)

RUFF_OPS: list[type[Operation]] = [
    FuncOp, ReturnOp, CallDirectOp, EnterFrameOp, FrameStateOp, ListLenOp, ListGetOp, ListSetOp, ListAppendOp,
    StrSliceOp, DictGetOp, DictItemOp, DictSetOp, IntTextOp, TextKeyOp, StrConcatOp, StrMethodOp, StrJoinOp, ConstantOp,
    AddOp, SubOp, MulOp, DivOp, ModOp, NegOp, NotOp,
    EqOp, NeOp, LtOp, LeOp, GtOp, GeOp, TruthyOp, IsNullOp,
    BoxOp, UnboxOp, IsTypeOp, GuardTypeOp, GuardOp,
    IAddOp, ISubOp, IMulOp, IDivOp, IModOp, INegOp, FDivOp, FModOp,
    LoadGlobalOp, StoreGlobalOp, DefineGlobalOp, MakeCellOp, CellGetOp, CellSetOp, LoadUpvalueOp, StoreUpvalueOp,
    CallOp, CallMethodOp, CallSpreadOp, BuiltinCallOp, MakeClosureOp, ThrowOp,
    MakeArrayOp, MakeDictOp, SpreadArrayOp, ArrayPushOp, SpreadDictOp, DictInsertOp,
    IndexGetOp, IndexSetOp, FieldGetOp, FieldGetOptOp, FieldSetOp, IsInstanceOp,
    MakeStructDefOp, MakeStructOp, MakeEnumDefOp,
    MakeOkOp, MakeErrOp, MakeSomeOp, MakeNoneOp, IsFailOp, UnwrapOp, MatchPatternOp,
    MakeIteratorOp, IteratorNextOp, BuildStringOp,
]  # fmt: skip

#: The checked i64 ops and the operator symbol their overflow message uses.
CHECKED_INT_OPS: dict[type[Operation], str] = {IAddOp: "+", ISubOp: "-", IMulOp: "*", IDivOp: "/", IModOp: "%"}

Ruff = Dialect("ruff", RUFF_OPS, [ValueType, StateType], [RuffConstantMaterialization()])

# Everything the dialect's modules define, for `from ruff.dialects import ruff as R; R.AddOp`.
__all__ = [
    "ValueType", "VALUE", "StateType", "STATE", "NATIVE_TYPES", "NativeType", "AnyRuffType", "TYPE_NAMES",
    "AllocatesResult", "MayRaise", "attr_to_py", "py_to_attr", "ConstantOp",
    "RuffConstantMaterialization", "FuncOpCallableInterface", "FuncOp", "ReturnOp",
    "CallDirectSymbolUser", "CallDirectOp", "EnterFrameOp", "DEPTH_ARG", "SPECIALIZED_FROM",
    "FrameStateOp", "ListLenOp", "ListGetOp", "ListSetOp", "ListAppendOp",
    "StrSliceOp", "DictGetOp", "DictItemOp", "DictSetOp", "IntTextOp", "TextKeyOp", "StrConcatOp", "StrMethodOp", "StrJoinOp",
    "AddOp", "SubOp", "MulOp",
    "DivOp", "ModOp", "EqOp", "NeOp", "LtOp", "LeOp", "GtOp", "GeOp", "NegOp", "NotOp", "TruthyOp",
    "IsNullOp", "BoxedBinary", "BoxOp", "UnboxBoxedBlockArgument", "UnboxCanonicalization", "UnboxOp", "IsTypeOp",
    "GuardTypeOp", "GuardOp", "IAddOp", "ISubOp", "IMulOp", "IDivOp", "IModOp", "INegOp", "FDivOp", "FModOp",
    "LoadGlobalOp", "StoreGlobalOp", "DefineGlobalOp", "MakeCellOp", "CellGetOp", "CellSetOp",
    "LoadUpvalueOp", "StoreUpvalueOp", "CallOp", "CallMethodOp", "CallSpreadOp", "BuiltinCallOp",
    "MakeClosureOp", "ThrowOp", "MakeArrayOp", "EraseUnusedConstantKeyDict", "MakeDictCanonicalization",
    "MakeDictOp", "SpreadArrayOp", "ArrayPushOp", "SpreadDictOp", "DictInsertOp", "IndexGetOp",
    "IndexSetOp", "FieldGetOp", "FieldGetOptOp", "FieldSetOp", "IsInstanceOp", "MakeStructDefOp", "MakeStructOp",
    "MakeEnumDefOp", "MakeOkOp", "MakeErrOp", "MakeSomeOp", "MakeNoneOp", "IsFailOp", "UnwrapOp",
    "MatchPatternOp", "MakeIteratorOp", "IteratorNextOp", "BuildStringOp", "RUFF_OPS", "CHECKED_INT_OPS",
    "Ruff",
]  # fmt: skip
