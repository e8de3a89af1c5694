"""Arrays, dicts, indexing and fields, structs and enums, Result/Option, patterns, iterators, string
building."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import I1, I64, ArrayAttr, IntegerAttr, StringAttr, i1, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, MemoryReadEffect, Pure
from xdsl.utils.exceptions import VerifyException

from ruff.dialects.ruff.constants import ConstantOp
from ruff.dialects.ruff.types import AllocatesResult, line_attr, line_prop, MayRaise, VALUE, ValueType


@irdl_op_definition
class MakeArrayOp(IRDLOperation):
    """`%a = ruff.make_array [%x, %y]`"""

    name = "ruff.make_array"
    elements = var_operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(AllocatesResult())
    assembly_format = "` ` `[` $elements `]` attr-dict"

    def __init__(self, elements: Sequence[SSAValue | Operation]):
        super().__init__(operands=[elements], result_types=[VALUE])


class EraseUnusedConstantKeyDict(RewritePattern):
    """An unused dict literal whose keys are constant strings or ints cannot raise: it goes away."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, MakeDictOp) or op.result.uses:
            return
        keys = op.entries[0::2]
        for key in keys:
            if not isinstance(key.owner, ConstantOp) or type(key.owner.py_value) not in (str, int):
                return
        rewriter.erase_op(op)


class MakeDictCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        return (EraseUnusedConstantKeyDict(),)


@irdl_op_definition
class MakeDictOp(IRDLOperation):
    """`%d = ruff.make_dict (%k1, %v1, %k2, %v2)` — keys and values alternate."""

    name = "ruff.make_dict"
    entries = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    # A non-string key may be an error; with constant string/int keys canonicalize removes an unused dict.
    traits = traits_def(MayRaise(), MakeDictCanonicalization())
    assembly_format = "` ` `(` $entries `)` (`line` $line^)? attr-dict"

    def __init__(self, entries: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(operands=[entries], result_types=[VALUE], properties={"line": line_attr(line)})

    def verify_(self) -> None:
        if len(self.entries) % 2:
            raise VerifyException(f"ruff.make_dict needs key/value pairs, got {len(self.entries)} operands")


@irdl_op_definition
class SpreadArrayOp(IRDLOperation):
    """`ruff.spread_array %arr, %v line 3` — append every element of %v to %arr (in place)."""

    name = "ruff.spread_array"
    array = operand_def(ValueType)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$array `,` $value (`line` $line^)? attr-dict"

    def __init__(self, array: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[array, value], properties={"line": line_attr(line)})


@irdl_op_definition
class ArrayPushOp(IRDLOperation):
    """`ruff.array_push %arr, %v` — append one value to %arr (in place)."""

    name = "ruff.array_push"
    array = operand_def(ValueType)
    value = operand_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$array `,` $value attr-dict"

    def __init__(self, array: SSAValue | Operation, value: SSAValue | Operation):
        super().__init__(operands=[array, value])


@irdl_op_definition
class SpreadDictOp(IRDLOperation):
    """`ruff.spread_dict %d, %v line 3` — merge %v into %d (in place, right-biased)."""

    name = "ruff.spread_dict"
    dict = operand_def(ValueType)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$dict `,` $value (`line` $line^)? attr-dict"

    def __init__(self, dict_: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[dict_, value], properties={"line": line_attr(line)})


@irdl_op_definition
class DictInsertOp(IRDLOperation):
    """`ruff.dict_insert %d, %k, %v line 3` — %d[%k] = %v (in place)."""

    name = "ruff.dict_insert"
    dict = operand_def(ValueType)
    key = operand_def(ValueType)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$dict `,` $key `,` $value (`line` $line^)? attr-dict"

    def __init__(self, dict_: SSAValue | Operation, key: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[dict_, key, value], properties={"line": line_attr(line)})


@irdl_op_definition
class IndexGetOp(IRDLOperation):
    """`%v = ruff.index_get %obj[%i] line 3` ("Index out of bounds: <i>", missing key, ...)."""

    name = "ruff.index_get"
    object = operand_def(ValueType)
    index = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object `[` $index `]` (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, index: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, index], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class IndexSetOp(IRDLOperation):
    """`ruff.index_set %obj[%i], %v line 3`"""

    name = "ruff.index_set"
    object = operand_def(ValueType)
    index = operand_def(ValueType)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object `[` $index `]` `,` $value (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, index: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, index, value], properties={"line": line_attr(line)})


@irdl_op_definition
class FieldGetOp(IRDLOperation):
    """`%v = ruff.field_get %obj "x" line 3` — `obj.x` (fields, methods, module members, ...)."""

    name = "ruff.field_get"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, line: int = 0):
        super().__init__(
            operands=[obj], result_types=[VALUE], properties={"field": StringAttr(field), "line": line_attr(line)}
        )


@irdl_op_definition
class IsInstanceOp(IRDLOperation):
    """`%c = ruff.is_instance %obj "Vec2"` — i1: is obj an instance of the struct type the module global
    Vec2 holds when this runs (false when it holds no struct type, or is not defined). Native method calls
    guard their receiver with it."""

    name = "ruff.is_instance"
    object = operand_def(ValueType)
    global_name = prop_def(StringAttr, prop_name="global")
    result = result_def(I1)
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$object $global attr-dict"

    def __init__(self, obj: SSAValue | Operation, global_name: str):
        super().__init__(operands=[obj], result_types=[i1], properties={"global": StringAttr(global_name)})


@irdl_op_definition
class FieldGetOptOp(IRDLOperation):
    """`%v = ruff.field_get_opt %obj "x"` — `obj?.x` (null when obj is null)."""

    name = "ruff.field_get_opt"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, line: int = 0):
        super().__init__(
            operands=[obj], result_types=[VALUE], properties={"field": StringAttr(field), "line": line_attr(line)}
        )


@irdl_op_definition
class FieldSetOp(IRDLOperation):
    """`ruff.field_set %obj "x", %v line 3` — `obj.x = v`."""

    name = "ruff.field_set"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field `,` $value (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, value], properties={"field": StringAttr(field), "line": line_attr(line)})


@irdl_op_definition
class MakeStructDefOp(IRDLOperation):
    """`%t = ruff.make_struct_def "Point"(%default0, %method0) info 3` — StructInfo is constant #3."""

    name = "ruff.make_struct_def"
    struct_name = prop_def(StringAttr, prop_name="struct")
    info = prop_def(IntegerAttr[I64])
    parts = var_operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(AllocatesResult())
    assembly_format = "$struct `(` $parts `)` `info` $info attr-dict"

    def __init__(self, struct: str, info: int, parts: Sequence[SSAValue | Operation]):
        super().__init__(
            operands=[parts],
            result_types=[VALUE],
            properties={"struct": StringAttr(struct), "info": IntegerAttr(info, i64)},
        )


@irdl_op_definition
class MakeStructOp(IRDLOperation):
    """`%p = ruff.make_struct %Point ["x", "y"](%x, %y) line 3` — `Point { x: .., y: .. }`."""

    name = "ruff.make_struct"
    struct_type = operand_def(ValueType)
    fields = prop_def(ArrayAttr[StringAttr])
    values = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$struct_type $fields `(` $values `)` (`line` $line^)? attr-dict"

    def __init__(
        self, struct_type: SSAValue | Operation, fields: Sequence[str], values: Sequence[SSAValue | Operation], line: int = 0
    ):
        super().__init__(
            operands=[struct_type, values],
            result_types=[VALUE],
            properties={"fields": ArrayAttr([StringAttr(f) for f in fields]), "line": line_attr(line)},
        )

    def verify_(self) -> None:
        if len(self.fields.data) != len(self.values):
            raise VerifyException(f"{len(self.fields.data)} field names for {len(self.values)} values")


@irdl_op_definition
class MakeEnumDefOp(IRDLOperation):
    """`%e = ruff.make_enum_def "Shape" info 4` — EnumInfo is constant #4."""

    name = "ruff.make_enum_def"
    enum_name = prop_def(StringAttr, prop_name="enum")
    info = prop_def(IntegerAttr[I64])
    result = result_def(ValueType)
    traits = traits_def(AllocatesResult())
    assembly_format = "$enum `info` $info attr-dict"

    def __init__(self, enum: str, info: int):
        super().__init__(result_types=[VALUE], properties={"enum": StringAttr(enum), "info": IntegerAttr(info, i64)})


class _Wrap(IRDLOperation):
    operand = operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(Pure())
    assembly_format = "$operand attr-dict"

    def __init__(self, operand: SSAValue | Operation):
        super().__init__(operands=[operand], result_types=[VALUE])


@irdl_op_definition
class MakeOkOp(_Wrap):
    """`%r = ruff.make_ok %v` — `Ok(v)`."""

    name = "ruff.make_ok"


@irdl_op_definition
class MakeErrOp(_Wrap):
    """`%r = ruff.make_err %v` — `Err(v)`."""

    name = "ruff.make_err"


@irdl_op_definition
class MakeSomeOp(_Wrap):
    """`%r = ruff.make_some %v` — `Some(v)`."""

    name = "ruff.make_some"


@irdl_op_definition
class MakeNoneOp(IRDLOperation):
    """`%r = ruff.make_none` — `None` (the Option variant, not null)."""

    name = "ruff.make_none"
    result = result_def(ValueType)
    traits = traits_def(Pure())
    assembly_format = "attr-dict"

    def __init__(self):
        super().__init__(result_types=[VALUE])


@irdl_op_definition
class IsFailOp(IRDLOperation):
    """`%c = ruff.is_fail %v` — i1: is %v an `Err(..)` or `None` (the early-return case of `v?`)."""

    name = "ruff.is_fail"
    operand = operand_def(ValueType)
    result = result_def(I1)
    traits = traits_def(Pure())
    assembly_format = "$operand attr-dict"

    def __init__(self, operand: SSAValue | Operation):
        super().__init__(operands=[operand], result_types=[i1])


@irdl_op_definition
class UnwrapOp(IRDLOperation):
    """`%x = ruff.unwrap %v line 3` — the value inside `Ok(x)` / `Some(x)` (the success case of `v?`)."""

    name = "ruff.unwrap"
    operand = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$operand (`line` $line^)? attr-dict"

    def __init__(self, operand: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[operand], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class MatchPatternOp(IRDLOperation):
    """`%ok, %x, %y = ruff.match_pattern %v pattern 5 : !ruff.value, !ruff.value`

    Tests %v against the Pattern constant #5; %ok says whether it matched, and the other results are the
    values bound by the pattern (in `pattern_binding_names` order; meaningless when %ok is false).
    """

    name = "ruff.match_pattern"
    subject = operand_def(ValueType)
    pattern = prop_def(IntegerAttr[I64])
    ok = result_def(I1)
    bindings = var_result_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$subject `pattern` $pattern attr-dict (`:` type($bindings)^)?"

    def __init__(self, subject: SSAValue | Operation, pattern: int, num_bindings: int):
        super().__init__(
            operands=[subject],
            result_types=[i1, [VALUE] * num_bindings],
            properties={"pattern": IntegerAttr(pattern, i64)},
        )


@irdl_op_definition
class MakeIteratorOp(IRDLOperation):
    """`%it = ruff.make_iterator %v line 3` — an iterator over an array, dict keys, string, range, ..."""

    name = "ruff.make_iterator"
    iterable = operand_def(ValueType)
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$iterable (`line` $line^)? attr-dict"

    def __init__(self, iterable: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[iterable], result_types=[VALUE], properties={"line": line_attr(line)})


@irdl_op_definition
class IteratorNextOp(IRDLOperation):
    """`%has, %x = ruff.iterator_next %it` — advance; %has is false when exhausted."""

    name = "ruff.iterator_next"
    iterator = operand_def(ValueType)
    has_value = result_def(I1)
    value = result_def(ValueType)
    assembly_format = "$iterator attr-dict"

    def __init__(self, iterator: SSAValue | Operation):
        super().__init__(operands=[iterator], result_types=[i1, VALUE])


@irdl_op_definition
class BuildStringOp(IRDLOperation):
    """`%s = ruff.build_string (%a, %b)` — concatenation of the display forms (string interpolation)."""

    name = "ruff.build_string"
    parts = var_operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MemoryReadEffect())
    assembly_format = "` ` `(` $parts `)` attr-dict"

    def __init__(self, parts: Sequence[SSAValue | Operation]):
        super().__init__(operands=[parts], result_types=[VALUE])
