"""Checked raw arithmetic of the native tier: i64 ops that raise on overflow, float division that raises
on zero."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, Float64Type, FloatAttr, IntegerAttr, f64, i64
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, opt_operand_def, result_def, traits_def
from xdsl.traits import ConstantLike

from ruff.limits import I64_MAX, I64_MIN
from ruff.dialects.ruff.types import line_attr, line_prop, MayRaise, StateType


def _wrap_check(r: int) -> int | None:
    return r if I64_MIN <= r <= I64_MAX else None


class _CheckedIntBinary(IRDLOperation, HasFolderInterface):
    """`%r = ruff.iadd %a, %b line 3 : i64` — i64 arithmetic that raises Ruff's error instead of wrapping."""

    SYMBOL: ClassVar[str]

    lhs = operand_def(I64)
    rhs = operand_def(I64)
    state = opt_operand_def(StateType)  # native object code: deoptimize there instead of raising
    result = result_def(I64)
    line = line_prop()

    traits = traits_def(MayRaise())

    assembly_format = "$lhs `,` $rhs (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0,
                 state: SSAValue | None = None):
        super().__init__(operands=[lhs, rhs, [state] if state is not None else []], result_types=[i64],
                         properties={"line": line_attr(line)})

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        raise NotImplementedError

    def fold(self):
        la = ConstantLike.get_constant_value(self.lhs)
        ra = ConstantLike.get_constant_value(self.rhs)
        if isinstance(la, IntegerAttr) and isinstance(ra, IntegerAttr):
            r = self.compute(la.value.data, ra.value.data)
            if r is not None:
                return (IntegerAttr(r, i64),)
        return None


@irdl_op_definition
class IAddOp(_CheckedIntBinary):
    """Checked `+`: "Integer overflow: <l> + <r>"."""

    name = "ruff.iadd"
    SYMBOL: ClassVar[str] = "+"

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        return _wrap_check(a + b)


@irdl_op_definition
class ISubOp(_CheckedIntBinary):
    """Checked `-`: "Integer overflow: <l> - <r>"."""

    name = "ruff.isub"
    SYMBOL: ClassVar[str] = "-"

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        return _wrap_check(a - b)


@irdl_op_definition
class IMulOp(_CheckedIntBinary):
    """Checked `*`: "Integer overflow: <l> * <r>"."""

    name = "ruff.imul"
    SYMBOL: ClassVar[str] = "*"

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        return _wrap_check(a * b)


@irdl_op_definition
class IDivOp(_CheckedIntBinary):
    """Checked `/`, truncating toward zero: "Division by zero", and i64.min / -1 overflows."""

    name = "ruff.idiv"
    SYMBOL: ClassVar[str] = "/"

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        if b == 0:
            return None
        q = abs(a) // abs(b)
        return _wrap_check(q if (a >= 0) == (b >= 0) else -q)


@irdl_op_definition
class IModOp(_CheckedIntBinary):
    """Checked `%`, with the sign of the dividend: "Modulo by zero", and i64.min % -1 overflows."""

    name = "ruff.imod"
    SYMBOL: ClassVar[str] = "%"

    @staticmethod
    def compute(a: int, b: int) -> int | None:
        if b == 0 or (a == I64_MIN and b == -1):
            return None
        r = abs(a) % abs(b)
        return r if a >= 0 else -r


@irdl_op_definition
class INegOp(IRDLOperation, HasFolderInterface):
    """`%r = ruff.ineg %a line 3 : i64` — checked negation: "Integer overflow: -(<a>)" for i64.min."""

    name = "ruff.ineg"
    operand = operand_def(I64)
    state = opt_operand_def(StateType)
    result = result_def(I64)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$operand (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, operand: SSAValue | Operation, line: int = 0, state: SSAValue | None = None):
        super().__init__(operands=[operand, [state] if state is not None else []], result_types=[i64],
                         properties={"line": line_attr(line)})

    def fold(self):
        a = ConstantLike.get_constant_value(self.operand)
        if isinstance(a, IntegerAttr) and a.value.data != I64_MIN:
            return (IntegerAttr(-a.value.data, i64),)
        return None


class _CheckedFloatBinary(IRDLOperation, HasFolderInterface):
    """`%r = ruff.fdiv %a, %b line 3 : f64` — float `/` or `%` that raises on a zero divisor."""

    lhs = operand_def(Float64Type)
    rhs = operand_def(Float64Type)
    state = opt_operand_def(StateType)
    result = result_def(Float64Type)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$lhs `,` $rhs (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0,
                 state: SSAValue | None = None):
        super().__init__(operands=[lhs, rhs, [state] if state is not None else []], result_types=[f64],
                         properties={"line": line_attr(line)})

    @staticmethod
    def compute(a: float, b: float) -> float:
        raise NotImplementedError

    def fold(self):
        la = ConstantLike.get_constant_value(self.lhs)
        ra = ConstantLike.get_constant_value(self.rhs)
        if isinstance(la, FloatAttr) and isinstance(ra, FloatAttr) and ra.value.data != 0:
            return (FloatAttr(self.compute(la.value.data, ra.value.data), f64),)
        return None


@irdl_op_definition
class FDivOp(_CheckedFloatBinary):
    """Float `/`: "Division by zero" when the divisor is 0.0 (or -0.0)."""

    name = "ruff.fdiv"

    @staticmethod
    def compute(a: float, b: float) -> float:
        return a / b


@irdl_op_definition
class FModOp(_CheckedFloatBinary):
    """Float `%` (C fmod, sign of the dividend): "Modulo by zero" when the divisor is 0.0."""

    name = "ruff.fmod"

    @staticmethod
    def compute(a: float, b: float) -> float:
        from ruff.runtime import ops as rt_ops

        return rt_ops.mod(a, b)
