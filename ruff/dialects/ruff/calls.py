"""Calls of Ruff values, methods, builtins; closures; throw."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import I64, IntegerAttr, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, prop_def, result_def, traits_def, var_operand_def
from xdsl.traits import IsTerminator

from ruff.dialects.ruff.types import AllocatesResult, line_attr, line_prop, VALUE, ValueType


@irdl_op_definition
class CallOp(IRDLOperation):
    """`%r = ruff.call %f(%a, %b) line 3` — dynamic call of a boxed callee (closure, builtin, ...)."""

    name = "ruff.call"
    callee = operand_def(ValueType)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    assembly_format = "$callee `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(self, callee: SSAValue | Operation, args: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(operands=[callee, args], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class CallMethodOp(IRDLOperation):
    """`%r = ruff.call_method %obj "push"(%x) line 3` — `obj.push(x)`."""

    name = "ruff.call_method"
    receiver = operand_def(ValueType)
    method = prop_def(StringAttr)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    assembly_format = "$receiver $method `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(
        self, receiver: SSAValue | Operation, method: str, args: Sequence[SSAValue | Operation], line: int = 0
    ):
        super().__init__(
            operands=[receiver, args],
            result_types=[VALUE],
            properties={"method": StringAttr(method), "line": line_attr(line)},
        )


@irdl_op_definition
class CallSpreadOp(IRDLOperation):
    """`%r = ruff.call_spread %f, %args line 3` — call with an argument array built with spreads."""

    name = "ruff.call_spread"
    callee = operand_def(ValueType)
    args = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    assembly_format = "$callee `,` $args (`line` $line^)? attr-dict"

    def __init__(self, callee: SSAValue | Operation, args: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[callee, args], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class BuiltinCallOp(IRDLOperation):
    """`%r = ruff.builtin_call "len"(%a) line 3` — a call of a builtin known by name."""

    name = "ruff.builtin_call"
    builtin = prop_def(StringAttr)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    assembly_format = "$builtin `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(self, builtin: str, args: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(
            operands=[args], result_types=[VALUE], properties={"builtin": StringAttr(builtin), "line": line_attr(line)}
        )


@irdl_op_definition
class MakeClosureOp(IRDLOperation):
    """`%f = ruff.make_closure "inner"(%cell0, %cell1) chunk 2` — a closure over constant #2 (a Chunk).

    The operands are the cells it captures, in the order of the chunk's `upvalues`.
    """

    name = "ruff.make_closure"
    function = prop_def(StringAttr)
    chunk = prop_def(IntegerAttr[I64])
    captures = var_operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(AllocatesResult())
    assembly_format = "$function `(` $captures `)` `chunk` $chunk attr-dict"

    def __init__(self, function: str, chunk: int, captures: Sequence[SSAValue | Operation] = ()):
        super().__init__(
            operands=[captures],
            result_types=[VALUE],
            properties={"function": StringAttr(function), "chunk": IntegerAttr(chunk, i64)},
        )


@irdl_op_definition
class ThrowOp(IRDLOperation):
    """`ruff.throw %v line 3` — raise a value (terminator)."""

    name = "ruff.throw"
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(IsTerminator())
    assembly_format = "$value (`line` $line^)? attr-dict"

    def __init__(self, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[value], properties={"line": line_attr(line)})
