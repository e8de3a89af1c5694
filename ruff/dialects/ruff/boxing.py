"""Boxing, unboxing and the type tests and guards between boxed and raw values."""

from __future__ import annotations

from xdsl.dialects.builtin import I1, FloatAttr, IntegerAttr, StringAttr, i1
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def, traits_def
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.traits import ConstantLike, HasCanonicalizationPatternsTrait, Pure
from xdsl.utils.exceptions import VerifyException

from ruff.dialects.ruff.constants import ConstantOp
from ruff.dialects.ruff.types import MayRaise, NativeType, StateType, TYPE_NAMES, VALUE, ValueType


@irdl_op_definition
class BoxOp(IRDLOperation, HasFolderInterface):
    """`%v = ruff.box %x : i64` — a raw i64/f64/i1 as a boxed Ruff int/float/bool.

    `ruff.box (ruff.unbox %v : T)` folds to `%v`: the unbox succeeded, so %v already is that int/float/bool
    (immutable; native code then stores the object it read instead of allocating an equal one).
    """

    name = "ruff.box"
    input = operand_def(NativeType)
    result = result_def(ValueType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, value: SSAValue | Operation):
        super().__init__(operands=[value], result_types=[VALUE])

    def fold(self):
        owner = self.input.owner
        if isinstance(owner, UnboxOp) and owner.result.type == self.input.type:
            return (owner.input,)
        attr = ConstantLike.get_constant_value(self.input)
        return None if attr is None else (attr,)


def _incoming(arg: BlockArgument) -> list[tuple[Operation, int]] | None:
    """(terminator, operand index) of every value flowing into block argument `arg`, or None if unknown."""
    from xdsl.dialects import cf

    out = []
    for pred in arg.block.predecessors():
        term = pred.last_op
        if isinstance(term, cf.BranchOp):
            out.append((term, arg.index))
        elif isinstance(term, cf.ConditionalBranchOp):
            if term.then_block is arg.block:
                out.append((term, 1 + arg.index))
            if term.else_block is arg.block:
                out.append((term, 1 + len(term.then_arguments) + arg.index))
        else:
            return None
    return out


class UnboxBoxedBlockArgument(RewritePattern):
    """A block argument that only ever receives `ruff.box %x : T` and is only ever unboxed to T becomes
    a T argument: the boxes and unboxes around the branch disappear (inlining leaves these behind)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, UnboxOp) or not isinstance(op.input, BlockArgument):
            return
        arg, ty = op.input, op.result.type
        users = [u.operation for u in arg.uses]
        if not all(isinstance(u, UnboxOp) and u.result.type == ty for u in users):
            return
        incoming = _incoming(arg)
        if not incoming:
            return
        for term, index in incoming:
            box = term.operands[index].owner
            if not isinstance(box, BoxOp) or box.input.type != ty:
                return
        for term, index in incoming:
            term.operands[index] = term.operands[index].owner.input  # type: ignore[union-attr]
        new_arg = rewriter.replace_value_with_new_type(arg, ty)
        for user in users:
            rewriter.replace_op(user, [], [new_arg])


class UnboxCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        return (UnboxBoxedBlockArgument(),)


@irdl_op_definition
class UnboxOp(IRDLOperation, HasFolderInterface):
    """`%x = ruff.unbox %v : i64` — the raw value of a boxed int/float/bool.

    A value of another dynamic type is a guard failure (the code deoptimizes to the baseline executor).
    `ruff.unbox (ruff.box %x : T) : T` folds to `%x`.
    """

    name = "ruff.unbox"
    input = operand_def(ValueType)
    result = result_def(NativeType)
    traits = traits_def(MayRaise(), UnboxCanonicalization())
    assembly_format = "$input attr-dict `:` type($result)"

    def __init__(self, value: SSAValue | Operation, result_type: Attribute):
        super().__init__(operands=[value], result_types=[result_type])

    def fold(self):
        owner = self.input.owner
        if isinstance(owner, BoxOp) and owner.input.type == self.result.type:
            return (owner.input,)
        if isinstance(owner, ConstantOp):
            v = owner.value
            if isinstance(v, IntegerAttr | FloatAttr) and v.type == self.result.type:
                return (v,)
        return None


def _check_type_name(kind: StringAttr) -> None:
    if kind.data not in TYPE_NAMES:
        raise VerifyException(f"unknown Ruff type name '{kind.data}' (expected one of {', '.join(sorted(TYPE_NAMES))})")


@irdl_op_definition
class IsTypeOp(IRDLOperation):
    """`%c = ruff.is_type %v "int"` — i1: does the value have this dynamic type."""

    name = "ruff.is_type"
    input = operand_def(ValueType)
    type_name = prop_def(StringAttr, prop_name="type")
    result = result_def(I1)
    traits = traits_def(Pure())
    assembly_format = "$input $type attr-dict"

    def __init__(self, value: SSAValue | Operation, type_name: str):
        super().__init__(operands=[value], result_types=[i1], properties={"type": StringAttr(type_name)})

    def verify_(self) -> None:
        _check_type_name(self.type_name)


@irdl_op_definition
class GuardTypeOp(IRDLOperation):
    """`ruff.guard_type %v "int"` — deoptimize unless the value has this dynamic type."""

    name = "ruff.guard_type"
    input = operand_def(ValueType)
    state = opt_operand_def(StateType)  # where to deoptimize to (native object code)
    type_name = prop_def(StringAttr, prop_name="type")
    traits = traits_def(MayRaise())
    assembly_format = "$input $type (`deopt` $state^)? attr-dict"

    def __init__(self, value: SSAValue | Operation, type_name: str, state: SSAValue | None = None):
        super().__init__(operands=[value, [state] if state is not None else []],
                         properties={"type": StringAttr(type_name)})

    def verify_(self) -> None:
        _check_type_name(self.type_name)


@irdl_op_definition
class GuardOp(IRDLOperation):
    """`ruff.guard %ok deopt %s` — deoptimize unless %ok holds: a check native code leaves to the baseline,
    which then raises its own error (e.g. `sqrt` of a negative number, "sqrt() domain error")."""

    name = "ruff.guard"
    cond = operand_def(I1)
    state = operand_def(StateType)
    traits = traits_def(MayRaise())
    assembly_format = "$cond `deopt` $state attr-dict"

    def __init__(self, cond: SSAValue | Operation, state: SSAValue | Operation):
        super().__init__(operands=[cond, state])
