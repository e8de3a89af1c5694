"""Typed array ops of native code: they read and write a Python list in place."""

from __future__ import annotations

from xdsl.dialects.builtin import I64, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, result_def, traits_def
from xdsl.traits import MemoryReadEffect

from ruff.dialects.ruff.types import MayRaise, StateType, VALUE, ValueType


@irdl_op_definition
class ListLenOp(IRDLOperation):
    """`%n = ruff.list_len %a : i64` — the length of a value known to be an array (a Python list), a string
    (a str: its length in code points) or a dict: all three keep it in the word after the object header."""

    name = "ruff.list_len"
    array = operand_def(ValueType)
    result = result_def(I64)
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$array attr-dict `:` type($result)"

    def __init__(self, array: SSAValue | Operation):
        super().__init__(operands=[array], result_types=[i64])


@irdl_op_definition
class ListGetOp(IRDLOperation):
    """`%v = ruff.list_get %a[%i] deopt %s` — `a[i]` on an array with an int index (negative from the end);
    out of range it deoptimizes, and the baseline raises "Index out of bounds"."""

    name = "ruff.list_get"
    array = operand_def(ValueType)
    index = operand_def(I64)
    state = operand_def(StateType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$array `[` $index `]` `deopt` $state attr-dict"

    def __init__(self, array: SSAValue | Operation, index: SSAValue | Operation, state: SSAValue | Operation):
        super().__init__(operands=[array, index, state], result_types=[VALUE])


@irdl_op_definition
class ListSetOp(IRDLOperation):
    """`ruff.list_set %a[%i] = %v deopt %s` — `a[i] = v` on an array with an int index; out of range it
    deoptimizes."""

    name = "ruff.list_set"
    array = operand_def(ValueType)
    index = operand_def(I64)
    value = operand_def(ValueType)
    state = operand_def(StateType)
    traits = traits_def(MayRaise())
    assembly_format = "$array `[` $index `]` `=` $value `deopt` $state attr-dict"

    def __init__(self, array: SSAValue | Operation, index: SSAValue | Operation, value: SSAValue | Operation,
                 state: SSAValue | Operation):
        super().__init__(operands=[array, index, value, state])


@irdl_op_definition
class ListAppendOp(IRDLOperation):
    """`ruff.list_append %a, %v` — appends in place to a value known to be an array."""

    name = "ruff.list_append"
    array = operand_def(ValueType)
    value = operand_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$array `,` $value attr-dict"

    def __init__(self, array: SSAValue | Operation, value: SSAValue | Operation):
        super().__init__(operands=[array, value])
