"""`ruff.constant` and the conversion between Python values and the attributes that hold them."""

from __future__ import annotations

import math
from typing import Any

from xdsl.dialect_interfaces.constant_materialization import ConstantMaterializationInterface
from xdsl.dialects.builtin import BytesAttr, FloatAttr, IntegerAttr, StringAttr, UnitAttr, f64, i1, i64
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, prop_def, result_def, traits_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from ruff.limits import I64_MAX, I64_MIN
from ruff.dialects.ruff.types import AnyRuffType, VALUE


def attr_to_py(attr: Attribute) -> Any:
    """The Python value of a `ruff.constant` value attribute (None for null). Raises ValueError otherwise."""
    if isinstance(attr, IntegerAttr):
        if attr.type == i1:
            return attr.value.data != 0
        return attr.value.data
    if isinstance(attr, FloatAttr):
        return attr.value.data
    if isinstance(attr, StringAttr):
        return attr.data
    if isinstance(attr, BytesAttr):
        return attr.data.decode("utf-8", errors="surrogateescape")
    if isinstance(attr, UnitAttr):
        return None
    raise ValueError(f"not a Ruff constant: {attr}")


def py_to_attr(value: Any) -> Attribute | None:
    """The `ruff.constant` attribute of a Python scalar, or None when it has none (arrays, objects, bignums)."""
    t = type(value)
    if t is bool:
        return IntegerAttr(int(value), i1)
    if t is int:
        return IntegerAttr(value, i64) if I64_MIN <= value <= I64_MAX else None
    if t is float:
        return FloatAttr(value, f64)
    if t is str:
        return StringAttr(value)
    if value is None:
        return UnitAttr()
    return None


def _format_float(v: float) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    s = repr(v)  # shortest text that round-trips
    if "." not in s and "e" in s:  # '1e+100': the MLIR lexer needs a dot in a float literal
        m, e = s.split("e")
        s = f"{m}.0e{e}"
    elif "." not in s:
        s += ".0"
    return s


@irdl_op_definition
class ConstantOp(IRDLOperation, HasFolderInterface):
    """A constant, boxed (`!ruff.value`: int, float, bool, string or null) or raw (i64, f64, i1).

        %a = ruff.constant 42 : !ruff.value
        %b = ruff.constant "hi" : !ruff.value
        %c = ruff.constant null : !ruff.value
        %d = ruff.constant 1.5 : f64
        %e = ruff.constant true : i1
    """

    name = "ruff.constant"

    # BytesAttr: the generic syntax reads a non-ASCII string back as bytes; it means the UTF-8 text
    value = prop_def(IntegerAttr | FloatAttr | StringAttr | BytesAttr | UnitAttr)
    result = result_def(AnyRuffType)

    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: Attribute | int | float | bool | str | None, result_type: Attribute = VALUE):
        if not isinstance(value, Attribute):
            attr = py_to_attr(value)
            if attr is None:
                raise ValueError(f"no Ruff constant for {value!r}")
            value = attr
        super().__init__(properties={"value": value}, result_types=[result_type])

    @staticmethod
    def boxed(value: int | float | bool | str | None) -> "ConstantOp":
        return ConstantOp(value, VALUE)

    @property
    def py_value(self) -> Any:
        return attr_to_py(self.value)

    def fold(self):
        return (self.value,)

    def verify_(self) -> None:
        v, t = self.value, self.result.type
        if isinstance(v, IntegerAttr) and v.type not in (i64, i1):
            raise VerifyException(f"integer constant must be i64 or i1 (bool), got {v.type}")
        if isinstance(v, FloatAttr) and v.type != f64:
            raise VerifyException(f"float constant must be f64, got {v.type}")
        if t == VALUE:
            return
        expected = v.type if isinstance(v, IntegerAttr | FloatAttr) else None
        if expected != t:
            raise VerifyException(f"constant {_describe(v)} cannot have type {t}")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        v = self.value
        if isinstance(v, UnitAttr):
            printer.print_string("null")
        elif isinstance(v, StringAttr):
            printer.print_string_literal(v.data)
        elif isinstance(v, BytesAttr):
            printer.print_bytes_literal(v.data)
        elif isinstance(v, FloatAttr):
            printer.print_string(_format_float(v.value.data))
        elif v.type == i1:
            printer.print_string("true" if v.value.data else "false")
        else:
            printer.print_string(str(v.value.data))
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> "ConstantOp":
        pos = parser.pos
        value: Attribute
        if parser.parse_optional_keyword("null") is not None:
            value = UnitAttr()
        elif (b := parser.parse_optional_boolean()) is not None:
            value = IntegerAttr(int(b), i1)
        elif (s := parser.parse_optional_str_literal()) is not None:
            value = StringAttr(s)
        elif (raw := parser.parse_optional_bytes_literal()) is not None:  # non-ASCII text is printed escaped
            try:
                value = StringAttr(raw.decode("utf-8"))
            except UnicodeDecodeError:
                parser.raise_error("string constant is not valid UTF-8", pos, parser.pos)
        elif parser.parse_optional_keyword("nan") is not None:
            value = FloatAttr(math.nan, f64)
        elif parser.parse_optional_keyword("inf") is not None:
            value = FloatAttr(math.inf, f64)
        else:
            negative = parser.parse_optional_punctuation("-") is not None
            if negative and parser.parse_optional_keyword("inf") is not None:
                n: int | float | None = -math.inf
            else:
                n = parser.parse_optional_integer(allow_boolean=False, allow_negative=False)
                if n is None:
                    n = parser.parse_optional_float(allow_negative=False)
                if n is not None and negative:
                    n = -n
            if n is None:
                parser.raise_error("expected a Ruff constant: integer, float, true, false, string or null")
            if isinstance(n, float):
                value = FloatAttr(n, f64)
            else:
                if not I64_MIN <= n <= I64_MAX:
                    parser.raise_error(f"integer constant {n} does not fit in i64", pos, parser.pos)
                value = IntegerAttr(n, i64)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        result_type = parser.parse_type()
        op = cls(value, result_type)
        op.attributes |= attrs
        return op


def _describe(v: Attribute) -> str:
    if isinstance(v, UnitAttr):
        return "null"
    if isinstance(v, StringAttr | BytesAttr):
        return f'"{attr_to_py(v)}"'
    return str(attr_to_py(v)).lower() if isinstance(v, IntegerAttr) and v.type == i1 else str(attr_to_py(v))


def constant_value(value: SSAValue) -> Any:
    """(True, python value) when `value` is produced by a constant op, else (False, None)."""
    attr = ConstantLike.get_constant_value(value)
    if attr is None:
        return False, None
    try:
        return True, attr_to_py(attr)
    except ValueError:
        return False, None


class RuffConstantMaterialization(ConstantMaterializationInterface):
    def materialize_constant(self, value: Attribute, type: Attribute) -> Operation | None:
        try:
            op = ConstantOp(value, type)
            op.verify_()
        except (ValueError, VerifyException):
            return None
        return op
