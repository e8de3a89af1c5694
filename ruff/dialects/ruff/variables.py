"""Globals, cells and upvalues."""

from __future__ import annotations

from xdsl.dialects.builtin import I64, IntegerAttr, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.traits import MemoryReadEffect
from xdsl.utils.exceptions import VerifyException

from ruff.dialects.ruff.types import AllocatesResult, line_attr, line_prop, MayRaise, VALUE, ValueType


@irdl_op_definition
class LoadGlobalOp(IRDLOperation):
    """`%v = ruff.load_global "fib" line 3` — a module global ("Undefined variable: fib" if absent)."""

    name = "ruff.load_global"
    global_name = prop_def(StringAttr, prop_name="name")
    result = result_def(ValueType)
    line = line_prop()
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$name (`line` $line^)? attr-dict"

    def __init__(self, name: str, line: int = 0):
        super().__init__(result_types=[VALUE], properties={"name": StringAttr(name), "line": line_attr(line)})


@irdl_op_definition
class StoreGlobalOp(IRDLOperation):
    """`ruff.store_global "x", %v` — update (or define) a global."""

    name = "ruff.store_global"
    global_name = prop_def(StringAttr, prop_name="name")
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$name `,` $value (`line` $line^)? attr-dict"

    def __init__(self, name: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[value], properties={"name": StringAttr(name), "line": line_attr(line)})


@irdl_op_definition
class DefineGlobalOp(IRDLOperation):
    """`ruff.define_global "x" "let", %v` — define a global with a binding kind (let, mut, const, var)."""

    name = "ruff.define_global"
    global_name = prop_def(StringAttr, prop_name="name")
    kind = prop_def(StringAttr)
    value = operand_def(ValueType)
    line = line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$name $kind `,` $value (`line` $line^)? attr-dict"

    def __init__(self, name: str, kind: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(
            operands=[value], properties={"name": StringAttr(name), "kind": StringAttr(kind), "line": line_attr(line)}
        )

    def verify_(self) -> None:
        if self.kind.data not in ("let", "mut", "const", "var"):
            raise VerifyException(f"binding kind must be let, mut, const or var, got '{self.kind.data}'")


@irdl_op_definition
class MakeCellOp(IRDLOperation):
    """`%c = ruff.make_cell` — a fresh cell (holding null) for a captured local."""

    name = "ruff.make_cell"
    result = result_def(ValueType)
    traits = traits_def(AllocatesResult())
    assembly_format = "attr-dict"

    def __init__(self):
        super().__init__(result_types=[VALUE])


@irdl_op_definition
class CellGetOp(IRDLOperation):
    """`%v = ruff.cell_get %c`"""

    name = "ruff.cell_get"
    cell = operand_def(ValueType)
    result = result_def(ValueType)
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$cell attr-dict"

    def __init__(self, cell: SSAValue | Operation):
        super().__init__(operands=[cell], result_types=[VALUE])


@irdl_op_definition
class CellSetOp(IRDLOperation):
    """`ruff.cell_set %c, %v`"""

    name = "ruff.cell_set"
    cell = operand_def(ValueType)
    value = operand_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$cell `,` $value attr-dict"

    def __init__(self, cell: SSAValue | Operation, value: SSAValue | Operation):
        super().__init__(operands=[cell, value])


@irdl_op_definition
class LoadUpvalueOp(IRDLOperation):
    """`%v = ruff.load_upvalue 0` — the value of the closure's captured cell number 0."""

    name = "ruff.load_upvalue"
    index = prop_def(IntegerAttr[I64])
    result = result_def(ValueType)
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$index attr-dict"

    def __init__(self, index: int):
        super().__init__(result_types=[VALUE], properties={"index": IntegerAttr(index, i64)})


@irdl_op_definition
class StoreUpvalueOp(IRDLOperation):
    """`ruff.store_upvalue 0, %v`"""

    name = "ruff.store_upvalue"
    index = prop_def(IntegerAttr[I64])
    value = operand_def(ValueType)
    traits = traits_def(MayRaise())
    assembly_format = "$index `,` $value attr-dict"

    def __init__(self, index: int, value: SSAValue | Operation):
        super().__init__(operands=[value], properties={"index": IntegerAttr(index, i64)})
