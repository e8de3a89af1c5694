"""Ruff's operators on boxed values (they may raise, and may call a struct's overload), truthiness and
null tests."""

from __future__ import annotations

from typing import Any, ClassVar

from xdsl.dialects.builtin import I1, IntegerAttr, i1
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, result_def, traits_def
from xdsl.traits import Pure

from ruff.dialects.ruff.constants import constant_value, py_to_attr
from ruff.dialects.ruff.types import line_attr, line_prop, MayRaise, VALUE, ValueType


class BoxedBinary(IRDLOperation, HasFolderInterface):
    """`%r = ruff.add %a, %b line 3`: a Ruff binary operator on boxed values (may raise, may overload)."""

    PY_OP: ClassVar[str]

    lhs = operand_def(ValueType)
    rhs = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()

    assembly_format = "$lhs `,` $rhs (`line` $line^)? attr-dict"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[lhs, rhs], result_types=[VALUE], properties={"line": line_attr(line)})

    def fold(self):
        from ruff.runtime import ops as rt_ops
        from ruff.runtime.values import RuffError

        ok_l, l = constant_value(self.lhs)
        ok_r, r = constant_value(self.rhs)
        if not (ok_l and ok_r):
            return None
        try:
            out = rt_ops.BINARY[self.PY_OP](l, r)
        except (RuffError, ArithmeticError, TypeError):
            return None  # stays an op: it raises at run time
        attr = py_to_attr(out)
        return None if attr is None else (attr,)


@irdl_op_definition
class AddOp(BoxedBinary):
    """`%r = ruff.add %a, %b line 3` — `a + b`: checked int addition, float addition, string
    concatenation, `op_add` on structs ("Integer overflow: <a> + <b>", "Invalid binary operation: ...")."""

    name = "ruff.add"
    PY_OP: ClassVar[str] = "+"
    traits = traits_def(MayRaise())


@irdl_op_definition
class SubOp(BoxedBinary):
    """`%r = ruff.sub %a, %b line 3` — `a - b` (checked for ints; `op_sub` on structs)."""

    name = "ruff.sub"
    PY_OP: ClassVar[str] = "-"
    traits = traits_def(MayRaise())


@irdl_op_definition
class MulOp(BoxedBinary):
    """`%r = ruff.mul %a, %b line 3` — `a * b` (checked for ints; `op_mul` on structs)."""

    name = "ruff.mul"
    PY_OP: ClassVar[str] = "*"
    traits = traits_def(MayRaise())


@irdl_op_definition
class DivOp(BoxedBinary):
    """`%r = ruff.div %a, %b line 3` — `a / b`: ints truncate toward zero ("Division by zero"; `op_div` on structs)."""

    name = "ruff.div"
    PY_OP: ClassVar[str] = "/"
    traits = traits_def(MayRaise())


@irdl_op_definition
class ModOp(BoxedBinary):
    """`%r = ruff.mod %a, %b line 3` — `a % b`, with the sign of the dividend ("Modulo by zero"; `op_mod` on structs)."""

    name = "ruff.mod"
    PY_OP: ClassVar[str] = "%"
    traits = traits_def(MayRaise())


@irdl_op_definition
class EqOp(BoxedBinary):
    """`%r = ruff.eq %a, %b line 3` — `a == b` as a boxed bool: deep equality, `1 == 1.0` (`op_eq` on structs)."""

    name = "ruff.eq"
    PY_OP: ClassVar[str] = "=="
    traits = traits_def(MayRaise())


@irdl_op_definition
class NeOp(BoxedBinary):
    """`%r = ruff.ne %a, %b line 3` — `a != b` as a boxed bool (`op_ne` on structs)."""

    name = "ruff.ne"
    PY_OP: ClassVar[str] = "!="
    traits = traits_def(MayRaise())


@irdl_op_definition
class LtOp(BoxedBinary):
    """`%r = ruff.lt %a, %b line 3` — `a < b` on two numbers or two strings, else "Invalid binary operation"
    (`op_lt` on structs)."""

    name = "ruff.lt"
    PY_OP: ClassVar[str] = "<"
    traits = traits_def(MayRaise())


@irdl_op_definition
class LeOp(BoxedBinary):
    """`%r = ruff.le %a, %b line 3` — `a <= b` (numbers or strings; `op_le` on structs)."""

    name = "ruff.le"
    PY_OP: ClassVar[str] = "<="
    traits = traits_def(MayRaise())


@irdl_op_definition
class GtOp(BoxedBinary):
    """`%r = ruff.gt %a, %b line 3` — `a > b` (numbers or strings; `op_gt` on structs)."""

    name = "ruff.gt"
    PY_OP: ClassVar[str] = ">"
    traits = traits_def(MayRaise())


@irdl_op_definition
class GeOp(BoxedBinary):
    """`%r = ruff.ge %a, %b line 3` — `a >= b` (numbers or strings; `op_ge` on structs)."""

    name = "ruff.ge"
    PY_OP: ClassVar[str] = ">="
    traits = traits_def(MayRaise())


class _BoxedUnary(IRDLOperation):
    operand = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()

    assembly_format = "$operand (`line` $line^)? attr-dict"

    def __init__(self, operand: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[operand], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class NegOp(_BoxedUnary, HasFolderInterface):
    """`%r = ruff.neg %a line 3` — unary minus (checked for ints; `op_neg` on structs)."""

    name = "ruff.neg"
    traits = traits_def(MayRaise())

    def fold(self):
        from ruff.runtime import ops as rt_ops
        from ruff.runtime.values import RuffError

        ok, v = constant_value(self.operand)
        if not ok:
            return None
        try:
            attr = py_to_attr(rt_ops.neg(v))
        except RuffError:
            return None
        return None if attr is None else (attr,)


@irdl_op_definition
class NotOp(_BoxedUnary, HasFolderInterface):
    """`%r = ruff.not %a` — `!a` (a boxed bool; structs may overload `op_not`)."""

    name = "ruff.not"
    traits = traits_def(MayRaise())

    def fold(self):
        ok, v = constant_value(self.operand)
        if not ok:
            return None
        return (IntegerAttr(int(not _py_truthy(v)), i1),)


def _py_truthy(v: Any) -> bool:
    return not (v is None or v is False or (type(v) in (int, float) and v == 0) or v == "")


@irdl_op_definition
class TruthyOp(IRDLOperation, HasFolderInterface):
    """`%c = ruff.truthy %v` — Ruff truthiness as an i1 (false, null, 0, 0.0, "", [], {} are falsey)."""

    name = "ruff.truthy"
    operand = operand_def(ValueType)
    result = result_def(I1)
    traits = traits_def(Pure())
    assembly_format = "$operand attr-dict"

    def __init__(self, operand: SSAValue | Operation):
        super().__init__(operands=[operand], result_types=[i1])

    def fold(self):
        ok, v = constant_value(self.operand)
        if not ok:
            return None
        return (IntegerAttr(int(_py_truthy(v)), i1),)


@irdl_op_definition
class IsNullOp(IRDLOperation):
    """`%c = ruff.is_null %v` — i1: is the value null (for `??` and `?.`)."""

    name = "ruff.is_null"
    operand = operand_def(ValueType)
    result = result_def(I1)
    traits = traits_def(Pure())
    assembly_format = "$operand attr-dict"

    def __init__(self, operand: SSAValue | Operation):
        super().__init__(operands=[operand], result_types=[i1])
