"""Typed string and dict ops of native code: they read a Python str and read or write a Python dict in place
(the runtime's own objects; a Ruff dict's keys are strings)."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import I64, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, prop_def, result_def, traits_def, var_operand_def

from ruff.dialects.ruff.types import MayRaise, StateType, VALUE, ValueType


@irdl_op_definition
class StrSliceOp(IRDLOperation):
    """`%r = ruff.str_slice %s[%a : %b]` — `substring(s, a, b)` on a value known to be a string, with int
    bounds: negative bounds count as 0, bounds past the end as the end, an empty range gives ""."""

    name = "ruff.str_slice"
    string = operand_def(ValueType)
    start = operand_def(I64)
    end = operand_def(I64)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())  # (only out of memory)
    assembly_format = "$string `[` $start `:` $end `]` attr-dict"

    def __init__(self, string: SSAValue | Operation, start: SSAValue | Operation, end: SSAValue | Operation):
        super().__init__(operands=[string, start, end], result_types=[VALUE])


@irdl_op_definition
class DictGetOp(IRDLOperation):
    """`%r = ruff.dict_get %d[%k] default %x` — `get_default(d, k, x)` on a value known to be a dict with a
    key known to be a string: the value under k, or x."""

    name = "ruff.dict_get"
    dict = operand_def(ValueType)
    key = operand_def(ValueType)
    default = operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$dict `[` $key `]` `default` $default attr-dict"

    def __init__(self, dict_: SSAValue | Operation, key: SSAValue | Operation, default: SSAValue | Operation):
        super().__init__(operands=[dict_, key, default], result_types=[VALUE])


@irdl_op_definition
class DictSetOp(IRDLOperation):
    """`ruff.dict_set %d[%k] = %v` — `d[k] = v` on a value known to be a dict with a key known to be a
    string."""

    name = "ruff.dict_set"
    dict = operand_def(ValueType)
    key = operand_def(ValueType)
    value = operand_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$dict `[` $key `]` `=` $value attr-dict"

    def __init__(self, dict_: SSAValue | Operation, key: SSAValue | Operation, value: SSAValue | Operation):
        super().__init__(operands=[dict_, key, value])


@irdl_op_definition
class DictItemOp(IRDLOperation):
    """`%v = ruff.dict_item %d[%k] deopt %s` — `d[k]` on a value known to be a dict with a key known to be a
    string; a missing key deoptimizes (the baseline raises its error)."""

    name = "ruff.dict_item"
    dict = operand_def(ValueType)
    key = operand_def(ValueType)
    state = operand_def(StateType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$dict `[` $key `]` `deopt` $state attr-dict"

    def __init__(self, dict_: SSAValue | Operation, key: SSAValue | Operation, state: SSAValue | Operation):
        super().__init__(operands=[dict_, key, state], result_types=[VALUE])


@irdl_op_definition
class IntTextOp(IRDLOperation):
    """`%k = ruff.int_text %i` — an int's decimal text: `to_string(i)`."""

    name = "ruff.int_text"
    index = operand_def(I64)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())  # (only out of memory)
    assembly_format = "$index attr-dict"

    def __init__(self, index: SSAValue | Operation):
        super().__init__(operands=[index], result_types=[VALUE])


@irdl_op_definition
class TextKeyOp(IRDLOperation):
    """`%k = ruff.text_key %s` — the key a dict stores for string key `s`: `s` itself, or the int it spells
    when it is the decimal text of an i64 (ruff.runtime.dict_keys: `d["5"]` is `d[5]`)."""

    name = "ruff.text_key"
    text = operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())  # (only out of memory)
    assembly_format = "$text attr-dict"

    def __init__(self, text: SSAValue | Operation):
        super().__init__(operands=[text], result_types=[VALUE])


@irdl_op_definition
class StrConcatOp(IRDLOperation):
    """`%r = ruff.str_concat %a, %b` — `a + b` on two values known to be strings."""

    name = "ruff.str_concat"
    lhs = operand_def(ValueType)
    rhs = operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())  # (only out of memory, or past the longest string)
    assembly_format = "$lhs `,` $rhs attr-dict"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        super().__init__(operands=[lhs, rhs], result_types=[VALUE])


@irdl_op_definition
class StrMethodOp(IRDLOperation):
    """`%r = ruff.str_method "upper" (%s, ...)` — a string builtin that is the Python str method of the same
    meaning, called on a value known to be a string with string arguments (upper, lower, trim, replace, split
    with a separator that is not empty; see specialize-types)."""

    name = "ruff.str_method"
    method = prop_def(StringAttr)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$method ` ` `(` $args `)` attr-dict"

    def __init__(self, method: str, args: Sequence[SSAValue | Operation]):
        super().__init__(operands=[args], result_types=[VALUE], properties={"method": StringAttr(method)})


@irdl_op_definition
class StrJoinOp(IRDLOperation):
    """`%r = ruff.str_join %items, %sep deopt %s` — `join(items, sep)` on an array and a string: CPython's
    join when every item is a string; otherwise it deoptimizes (the baseline's join shows the other values,
    or raises its error)."""

    name = "ruff.str_join"
    items = operand_def(ValueType)
    sep = operand_def(ValueType)
    state = operand_def(StateType)
    result = result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$items `,` $sep `deopt` $state attr-dict"

    def __init__(self, items: SSAValue | Operation, sep: SSAValue | Operation, state: SSAValue | Operation):
        super().__init__(operands=[items, sep, state], result_types=[VALUE])
