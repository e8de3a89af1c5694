"""The dialect's types (`!ruff.value`, `!ruff.state`, the native raw types), the effects its ops declare
and the `line` property of ops that can raise."""

from __future__ import annotations

from xdsl.dialects.builtin import I64, IntegerAttr, f64, i1, i64
from xdsl.ir import Attribute, Operation, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import AttrConstraint, EqAttrConstraint, irdl_attr_definition, prop_def
from xdsl.traits import EffectInstance, MemoryEffect, MemoryEffectKind


@irdl_attr_definition
class ValueType(ParametrizedAttribute, TypeAttribute):
    """`!ruff.value`: a boxed, dynamically typed Ruff value (int, float, bool, string, null, array, ...)."""

    name = "ruff.value"


VALUE = ValueType()


@irdl_attr_definition
class StateType(ParametrizedAttribute, TypeAttribute):
    """`!ruff.state`: a frame state, where native code hands over to the baseline when it deoptimizes."""

    name = "ruff.state"


STATE = StateType()

#: The raw types of the native tier: Ruff int, float and bool.
NATIVE_TYPES: tuple[Attribute, ...] = (i64, f64, i1)
NativeType: AttrConstraint = EqAttrConstraint(i64) | EqAttrConstraint(f64) | EqAttrConstraint(i1)
AnyRuffType: AttrConstraint = NativeType | EqAttrConstraint(VALUE)

#: Dynamic type names as reported by the runtime's `type_name` (the ones `is_type`/`guard_type` accept).
TYPE_NAMES = frozenset(
    {
        "int", "float", "bool", "string", "null", "array", "dict", "struct", "function",
        "native_function", "enum", "error", "Result", "Option", "iterator", "generator",
    }
)  # fmt: skip

# --------------------------------------------------------------------------------------------- effects


class AllocatesResult(MemoryEffect):
    """Allocates a fresh mutable object as its (only) result: dead when unused, never merged by cse."""

    @classmethod
    def get_effects(cls, op: Operation):
        return frozenset((EffectInstance(MemoryEffectKind.ALLOC, op.results[0]),))


class MayRaise(MemoryEffect):
    """May raise a Ruff runtime error (or fail a guard): an observable effect, so never removed or merged."""

    @classmethod
    def get_effects(cls, op: Operation):
        return frozenset((EffectInstance(MemoryEffectKind.WRITE),))


def line_prop():
    """The optional `line` property of an op that can raise: the source line its error names (0: unknown)."""
    return prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, i64))


def line_attr(line: int) -> IntegerAttr:
    return IntegerAttr(line, i64)
