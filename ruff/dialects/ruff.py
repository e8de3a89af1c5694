"""The `ruff` dialect: Ruff functions in SSA form, boxed and specialized.

Two layers of operations live here:

* **Boxed ops** work on `!ruff.value`, a dynamically typed Ruff value (what the baseline executor keeps
  on its stack).  They mirror the bytecode opcodes one to one (see ruff/frontend/bytecode.py), except that
  the operand stack, locals and jump targets have become SSA values and blocks: a lifter turns a `Chunk`
  into one `ruff.func`.
* **Specialized ops** work on raw machine values (i64, f64, i1) and are what `specialize-types` produces
  and `lower-to-llvm` consumes: checked integer arithmetic (`ruff.iadd` ... `ruff.ineg`), zero-checked float
  division (`ruff.fdiv`, `ruff.fmod`), `ruff.box` / `ruff.unbox`, typed `ruff.constant`s and
  `ruff.call_direct`.  Plain float arithmetic and comparisons use `arith` directly, branches use `cf`.

Effects (what xDSL's dce / cse / canonicalize may do with an op):

* `Pure` (removable when unused, mergeable by cse): constants, box, truthy, is_null, is_type, is_fail,
  make_ok/err/some/none.
* reads (`MemoryReadEffect`; removable when unused, cse'd inside a block when no write is between):
  load_global, load_upvalue, cell_get, build_string.  A lifted function only exists while the globals it
  reads are defined (rebinding invalidates native code), so dropping an unused load_global is fine.
* allocations (`AllocatesResult`; removable when unused, never merged): make_array, make_dict, make_cell,
  make_closure.
* everything that can raise a Ruff runtime error (integer overflow, division by zero, wrong operand types,
  index out of bounds ...) or run user code (calls, operator overloading on structs) has either the
  `MayRaise` effect (a write: never removed, never merged) or no effect information at all (treated the
  same way).  This is the deliberate choice for `ruff.add` & co *and* for the checked `ruff.iadd` & co:
  an unused `x + y` that overflows must still raise.  Instead of being removed, the checked ops fold when
  their operands are constants and the result is in range (canonicalize does this).

Operations that refer to a chunk's constant table (`make_closure`, `make_struct_def`, `make_enum_def`,
`match_pattern`) carry the constant index; the table is the one of the chunk named by the enclosing
`ruff.func`'s `lifted_from`.  All boxed ops that can raise carry an optional `line` (0 = unknown) so the
error can name the source line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from xdsl.dialect_interfaces.constant_materialization import ConstantMaterializationInterface
from xdsl.dialects.builtin import (
    DenseArrayBase,
    I1,
    I64,
    ArrayAttr,
    BytesAttr,
    DictionaryAttr,
    FlatSymbolRefAttrConstr,
    Float64Type,
    FloatAttr,
    FunctionType,
    IntegerAttr,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    UnitAttr,
    f64,
    i1,
    i64,
)
from xdsl.dialects.utils import parse_func_op_like, print_func_op_like
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import (
    Attribute,
    Block,
    BlockArgument,
    Dialect,
    Operation,
    ParametrizedAttribute,
    Region,
    SSAValue,
    TypeAttribute,
)
from xdsl.irdl import (
    AttrSizedOperandSegments,
    AttrConstraint,
    ParsePropInAttrDict,
    EqAttrConstraint,
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.traits import (
    CallableOpInterface,
    ConstantLike,
    EffectInstance,
    HasCanonicalizationPatternsTrait,
    HasParent,
    IsolatedFromAbove,
    IsTerminator,
    MemoryEffect,
    MemoryEffectKind,
    MemoryReadEffect,
    Pure,
    ReturnLike,
    SymbolOpInterface,
    SymbolTable,
    SymbolUserOpInterface,
)
from xdsl.utils.exceptions import VerifyException

# ----------------------------------------------------------------------------------------------- types


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


# ------------------------------------------------------------------------------- constants and values


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


I64_MIN = -(2**63)
I64_MAX = 2**63 - 1


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


def _const(value: SSAValue) -> Any:
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


# ------------------------------------------------------------------------------------------ functions


class FuncOpCallableInterface(CallableOpInterface):
    @classmethod
    def get_callable_region(cls, op: Operation) -> Region:
        assert isinstance(op, FuncOp)
        return op.body

    @classmethod
    def get_argument_types(cls, op: Operation) -> tuple[Attribute, ...]:
        assert isinstance(op, FuncOp)
        return op.function_type.inputs.data

    @classmethod
    def get_result_types(cls, op: Operation) -> tuple[Attribute, ...]:
        assert isinstance(op, FuncOp)
        return op.function_type.outputs.data


_FUNC_RESERVED = ("sym_name", "function_type", "sym_visibility", "arg_attrs", "res_attrs")


@irdl_op_definition
class FuncOp(IRDLOperation):
    """One Ruff function.

        ruff.func @fib(%n: !ruff.value) -> !ruff.value attributes {lifted_from = "fib", param_names = ["n"]} {
          ...
        }

    `lifted_from` names where the body came from (the bytecode chunk, e.g. "fib" or "file.ruff:fib"),
    `param_names` the Ruff parameter names (one per argument).
    """

    name = "ruff.func"

    body = region_def()
    sym_name = prop_def(SymbolNameConstraint())
    function_type = prop_def(FunctionType)
    sym_visibility = opt_prop_def(StringAttr)
    lifted_from = opt_prop_def(StringAttr)
    param_names = opt_prop_def(ArrayAttr[StringAttr])
    arg_attrs = opt_prop_def(ArrayAttr[DictionaryAttr])
    res_attrs = opt_prop_def(ArrayAttr[DictionaryAttr])

    traits = traits_def(IsolatedFromAbove(), SymbolOpInterface(), FuncOpCallableInterface())

    def __init__(
        self,
        name: str,
        function_type: FunctionType | tuple[Sequence[Attribute], Sequence[Attribute]],
        region: Region | None = None,
        *,
        lifted_from: str | None = None,
        param_names: Sequence[str] | None = None,
        visibility: str | None = None,
    ):
        if isinstance(function_type, tuple):
            function_type = FunctionType.from_lists(*function_type)
        if region is None:
            region = Region(Block(arg_types=function_type.inputs))
        props: dict[str, Attribute | None] = {
            "sym_name": StringAttr(name),
            "function_type": function_type,
            "sym_visibility": StringAttr(visibility) if visibility else None,
            "lifted_from": StringAttr(lifted_from) if lifted_from is not None else None,
            "param_names": ArrayAttr([StringAttr(p) for p in param_names]) if param_names is not None else None,
        }
        super().__init__(properties=props, regions=[region])

    @property
    def args(self) -> tuple[BlockArgument, ...]:
        return self.body.blocks.first.args  # type: ignore[union-attr]

    @property
    def is_declaration(self) -> bool:
        return not self.body.blocks

    def update_function_type(self) -> None:
        """Recompute function_type from the entry block arguments and the (first) ruff.return."""
        outputs = self.function_type.outputs.data
        for block in self.body.blocks:
            if isinstance(last := block.last_op, ReturnOp):
                outputs = last.arguments.types
                break
        self.function_type = FunctionType.from_lists([a.type for a in self.args], outputs)

    def verify_(self) -> None:
        ft = self.function_type
        if len(ft.outputs) > 1:
            raise VerifyException("a ruff.func returns at most one value")
        for t in (*ft.inputs.data, *ft.outputs.data):
            if t not in (VALUE, *NATIVE_TYPES):
                raise VerifyException(f"ruff.func types must be !ruff.value, i64, f64 or i1, got {t}")
        if self.param_names is not None and len(self.param_names.data) != len(ft.inputs):
            raise VerifyException(
                f"param_names has {len(self.param_names.data)} names for {len(ft.inputs)} arguments"
            )
        if self.body.blocks:
            entry = self.body.blocks.first
            assert entry is not None
            if tuple(entry.arg_types) != ft.inputs.data:
                raise VerifyException(
                    "Expected entry block arguments to have the same types as the function input types"
                )

    def print(self, printer: Printer) -> None:
        if self.sym_visibility:
            printer.print_string(f" {self.sym_visibility.data}")
        print_func_op_like(
            printer,
            self.sym_name,
            self.function_type,
            self.body,
            {**self.properties, **self.attributes},
            arg_attrs=self.arg_attrs,
            res_attrs=self.res_attrs,
            reserved_attr_names=_FUNC_RESERVED,
        )

    @classmethod
    def parse(cls, parser: Parser) -> "FuncOp":
        visibility = parser.parse_optional_visibility_keyword()
        name, inputs, outputs, region, extra, arg_attrs, res_attrs = parse_func_op_like(
            parser, reserved_attr_names=_FUNC_RESERVED
        )
        op = cls(name, (inputs, outputs), region, visibility=visibility.data if visibility else None)
        if extra is not None:
            attrs = dict(extra.data)
            for prop in ("lifted_from", "param_names"):
                if prop in attrs:
                    op.properties[prop] = attrs.pop(prop)
            op.attributes |= attrs
        if arg_attrs is not None:
            op.arg_attrs = arg_attrs
        if res_attrs is not None:
            op.res_attrs = res_attrs
        return op


@irdl_op_definition
class ReturnOp(IRDLOperation):
    """`ruff.return %v : !ruff.value` — returns from the enclosing ruff.func."""

    name = "ruff.return"

    arguments = var_operand_def(AnyRuffType)

    traits = traits_def(HasParent(FuncOp), IsTerminator(), ReturnLike(), Pure())

    assembly_format = "attr-dict ($arguments^ `:` type($arguments))?"

    def __init__(self, *values: SSAValue | Operation):
        super().__init__(operands=[values])

    def verify_(self) -> None:
        func = self.parent_op()
        assert isinstance(func, FuncOp)
        expected = func.function_type.outputs.data
        if self.arguments.types != expected:
            got = ", ".join(map(str, self.arguments.types)) or "nothing"
            want = ", ".join(map(str, expected)) or "nothing"
            raise VerifyException(f"ruff.return returns ({got}) but the function returns ({want})")


class CallDirectSymbolUser(SymbolUserOpInterface):
    def verify(self, op: Operation) -> None:
        assert isinstance(op, CallDirectOp)
        callee = SymbolTable.lookup_symbol(op, op.callee)
        if callee is None:
            raise VerifyException(f"'{op.callee}' could not be found in symbol table")
        if not isinstance(callee, FuncOp):
            raise VerifyException(f"'{op.callee}' does not reference a ruff.func")
        ft = callee.function_type
        if ft.inputs.data != op.args.types:
            raise VerifyException(
                f"argument types ({', '.join(map(str, op.args.types))}) do not match the callee's "
                f"({', '.join(map(str, ft.inputs.data))})"
            )
        if ft.outputs.data != op.res.types:
            raise VerifyException(
                f"result types ({', '.join(map(str, op.res.types))}) do not match the callee's "
                f"({', '.join(map(str, ft.outputs.data))})"
            )


@irdl_op_definition
class CallDirectOp(IRDLOperation):
    """A call of a known ruff.func, with its exact (boxed or raw) signature.

        %r = ruff.call_direct @fib(%n) : (i64) -> i64
    """

    name = "ruff.call_direct"

    callee = prop_def(FlatSymbolRefAttrConstr)
    args = var_operand_def(AnyRuffType)
    state = opt_operand_def(StateType)  # native object code: where to go when a typed callee meets an error
    res = var_result_def(AnyRuffType)

    traits = traits_def(CallDirectSymbolUser())
    irdl_options = (AttrSizedOperandSegments(),)

    assembly_format = "$callee `(` $args `)` (`deopt` $state^)? attr-dict `:` functional-type($args, $res)"

    def __init__(self, callee: str | SymbolRefAttr, args: Sequence[SSAValue | Operation], result_types: Sequence[Attribute],
                 state: SSAValue | None = None):
        if isinstance(callee, str):
            callee = SymbolRefAttr(callee)
        super().__init__(operands=[args, [state] if state is not None else []], result_types=[result_types],
                         properties={"callee": callee})


@irdl_op_definition
class EnterFrameOp(IRDLOperation):
    """`%d = ruff.enter_frame %depth "fib" : i64` — a Ruff call of "fib" starts a frame one deeper.

    Typed functions carry the call depth as their last argument (marked by the `ruff.depth_arg` attribute
    that specialize-types sets) and begin with this op; every direct call passes its result on. Because
    the depth is an ordinary SSA value, inlining (the callee's enter_frame now applies to the caller's
    depth) and tail calls turned into loops (the back-edge passes the deeper depth) keep counting every
    Ruff frame, so native code stops at exactly the baseline's depth limit ("Stack overflow").
    """

    name = "ruff.enter_frame"
    depth = operand_def(I64)
    result = result_def(I64)
    frame = prop_def(StringAttr)
    traits = traits_def(MayRaise())
    assembly_format = "$depth $frame attr-dict `:` type($result)"

    def __init__(self, depth: SSAValue | Operation, frame: str):
        super().__init__(operands=[depth], result_types=[i64], properties={"frame": StringAttr(frame)})


DEPTH_ARG = "ruff.depth_arg"  # unit attribute of a ruff.func whose last argument is the call depth
SPECIALIZED_FROM = "ruff.specialized_from"  # string attribute of a typed twin: the symbol of the function it twins


# ------------------------------------------------------------------------------------ deoptimization


@irdl_op_definition
class FrameStateOp(IRDLOperation):
    """`%s = ruff.frame_state 12 slots [0, 2] (%a, %b, %c) : !ruff.state` — the baseline frame at a bytecode
    position: resume at instruction `ip` with these values in local `slots` (the rest null) and, after them,
    the operand stack.

    The lifter makes one before each instruction native code might have to leave (a guard that fails, an
    error it does not raise itself), and one after instructions whose result native code guards (then `ip`
    is the next instruction and the result is on the stack). An op that deoptimizes takes it as its
    `deopt` operand; states nobody takes are dead. Native code deoptimizing boxes these values and the
    baseline's interpreter continues the call from there, so every side effect happens once.
    """

    name = "ruff.frame_state"
    values = var_operand_def(AnyRuffType)
    ip = prop_def(IntegerAttr[I64])
    slots = prop_def(DenseArrayBase)
    result = result_def(StateType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$ip `(` $values `)` attr-dict `:` type($values)"

    def __init__(self, ip: int, slots: Sequence[int], values: Sequence[SSAValue | Operation]):
        super().__init__(operands=[values], result_types=[STATE],
                         properties={"ip": IntegerAttr(ip, i64), "slots": DenseArrayBase.from_list(i64, list(slots))})

    def verify_(self) -> None:
        if len(self.slots.get_values()) > len(self.values):
            raise VerifyException("ruff.frame_state has more slots than values")

    @property
    def local_values(self) -> tuple[SSAValue, ...]:
        return tuple(self.values[: len(self.slots.get_values())])

    @property
    def stack_values(self) -> tuple[SSAValue, ...]:
        return tuple(self.values[len(self.slots.get_values()):])


# ------------------------------------------------------------------------------------ arrays (native)


@irdl_op_definition
class ListLenOp(IRDLOperation):
    """`%n = ruff.list_len %a : i64` — the length of a value known to be an array (a Python list)."""

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


# ------------------------------------------------------------------------------------------ helpers


def _line_prop():
    return prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, i64))


def _line(line: int) -> IntegerAttr:
    return IntegerAttr(line, i64)


class _BoxedBinary(IRDLOperation, HasFolderInterface):
    """`%r = ruff.add %a, %b line 3`: a Ruff binary operator on boxed values (may raise, may overload)."""

    PY_OP: ClassVar[str]

    lhs = operand_def(ValueType)
    rhs = operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()

    assembly_format = "$lhs `,` $rhs (`line` $line^)? attr-dict"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[lhs, rhs], result_types=[VALUE], properties={"line": _line(line)})

    def fold(self):
        from ruff.runtime import ops as rt_ops
        from ruff.runtime.values import RuffError

        ok_l, l = _const(self.lhs)
        ok_r, r = _const(self.rhs)
        if not (ok_l and ok_r):
            return None
        try:
            out = rt_ops.BINARY[self.PY_OP](l, r)
        except (RuffError, ArithmeticError, TypeError):
            return None  # stays an op: it raises at run time
        attr = py_to_attr(out)
        return None if attr is None else (attr,)


@irdl_op_definition
class AddOp(_BoxedBinary):
    """`%r = ruff.add %a, %b line 3` — `a + b`: checked int addition, float addition, string
    concatenation, `op_add` on structs ("Integer overflow: <a> + <b>", "Invalid binary operation: ...")."""

    name = "ruff.add"
    PY_OP: ClassVar[str] = "+"
    traits = traits_def(MayRaise())


@irdl_op_definition
class SubOp(_BoxedBinary):
    """`%r = ruff.sub %a, %b line 3` — `a - b` (checked for ints; `op_sub` on structs)."""

    name = "ruff.sub"
    PY_OP: ClassVar[str] = "-"
    traits = traits_def(MayRaise())


@irdl_op_definition
class MulOp(_BoxedBinary):
    """`%r = ruff.mul %a, %b line 3` — `a * b` (checked for ints; `op_mul` on structs)."""

    name = "ruff.mul"
    PY_OP: ClassVar[str] = "*"
    traits = traits_def(MayRaise())


@irdl_op_definition
class DivOp(_BoxedBinary):
    """`%r = ruff.div %a, %b line 3` — `a / b`: ints truncate toward zero ("Division by zero"; `op_div` on structs)."""

    name = "ruff.div"
    PY_OP: ClassVar[str] = "/"
    traits = traits_def(MayRaise())


@irdl_op_definition
class ModOp(_BoxedBinary):
    """`%r = ruff.mod %a, %b line 3` — `a % b`, with the sign of the dividend ("Modulo by zero"; `op_mod` on structs)."""

    name = "ruff.mod"
    PY_OP: ClassVar[str] = "%"
    traits = traits_def(MayRaise())


@irdl_op_definition
class EqOp(_BoxedBinary):
    """`%r = ruff.eq %a, %b line 3` — `a == b` as a boxed bool: deep equality, `1 == 1.0` (`op_eq` on structs)."""

    name = "ruff.eq"
    PY_OP: ClassVar[str] = "=="
    traits = traits_def(MayRaise())


@irdl_op_definition
class NeOp(_BoxedBinary):
    """`%r = ruff.ne %a, %b line 3` — `a != b` as a boxed bool (`op_ne` on structs)."""

    name = "ruff.ne"
    PY_OP: ClassVar[str] = "!="
    traits = traits_def(MayRaise())


@irdl_op_definition
class LtOp(_BoxedBinary):
    """`%r = ruff.lt %a, %b line 3` — `a < b` on two numbers or two strings, else "Invalid binary operation"
    (`op_lt` on structs)."""

    name = "ruff.lt"
    PY_OP: ClassVar[str] = "<"
    traits = traits_def(MayRaise())


@irdl_op_definition
class LeOp(_BoxedBinary):
    """`%r = ruff.le %a, %b line 3` — `a <= b` (numbers or strings; `op_le` on structs)."""

    name = "ruff.le"
    PY_OP: ClassVar[str] = "<="
    traits = traits_def(MayRaise())


@irdl_op_definition
class GtOp(_BoxedBinary):
    """`%r = ruff.gt %a, %b line 3` — `a > b` (numbers or strings; `op_gt` on structs)."""

    name = "ruff.gt"
    PY_OP: ClassVar[str] = ">"
    traits = traits_def(MayRaise())


@irdl_op_definition
class GeOp(_BoxedBinary):
    """`%r = ruff.ge %a, %b line 3` — `a >= b` (numbers or strings; `op_ge` on structs)."""

    name = "ruff.ge"
    PY_OP: ClassVar[str] = ">="
    traits = traits_def(MayRaise())


class _BoxedUnary(IRDLOperation):
    operand = operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()

    assembly_format = "$operand (`line` $line^)? attr-dict"

    def __init__(self, operand: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[operand], result_types=[VALUE], properties={"line": _line(line)})


@irdl_op_definition
class NegOp(_BoxedUnary, HasFolderInterface):
    """`%r = ruff.neg %a line 3` — unary minus (checked for ints; `op_neg` on structs)."""

    name = "ruff.neg"
    traits = traits_def(MayRaise())

    def fold(self):
        from ruff.runtime import ops as rt_ops
        from ruff.runtime.values import RuffError

        ok, v = _const(self.operand)
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
        ok, v = _const(self.operand)
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
        ok, v = _const(self.operand)
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


# ------------------------------------------------------------------------------ boxing and guards


@irdl_op_definition
class BoxOp(IRDLOperation, HasFolderInterface):
    """`%v = ruff.box %x : i64` — a raw i64/f64/i1 as a boxed Ruff int/float/bool."""

    name = "ruff.box"
    input = operand_def(NativeType)
    result = result_def(ValueType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, value: SSAValue | Operation):
        super().__init__(operands=[value], result_types=[VALUE])

    def fold(self):
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


# ------------------------------------------------------------------- checked raw arithmetic (native tier)


def _wrap_check(r: int) -> int | None:
    return r if I64_MIN <= r <= I64_MAX else None


class _CheckedIntBinary(IRDLOperation, HasFolderInterface):
    """`%r = ruff.iadd %a, %b line 3 : i64` — i64 arithmetic that raises Ruff's error instead of wrapping."""

    SYMBOL: ClassVar[str]

    lhs = operand_def(I64)
    rhs = operand_def(I64)
    state = opt_operand_def(StateType)  # native object code: deoptimize there instead of raising
    result = result_def(I64)
    line = _line_prop()

    traits = traits_def(MayRaise())

    assembly_format = "$lhs `,` $rhs (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0,
                 state: SSAValue | None = None):
        super().__init__(operands=[lhs, rhs, [state] if state is not None else []], result_types=[i64],
                         properties={"line": _line(line)})

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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$operand (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, operand: SSAValue | Operation, line: int = 0, state: SSAValue | None = None):
        super().__init__(operands=[operand, [state] if state is not None else []], result_types=[i64],
                         properties={"line": _line(line)})

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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$lhs `,` $rhs (`line` $line^)? (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, line: int = 0,
                 state: SSAValue | None = None):
        super().__init__(operands=[lhs, rhs, [state] if state is not None else []], result_types=[f64],
                         properties={"line": _line(line)})

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


# ------------------------------------------------------------------------------------ variables


@irdl_op_definition
class LoadGlobalOp(IRDLOperation):
    """`%v = ruff.load_global "fib" line 3` — a module global ("Undefined variable: fib" if absent)."""

    name = "ruff.load_global"
    global_name = prop_def(StringAttr, prop_name="name")
    result = result_def(ValueType)
    line = _line_prop()
    traits = traits_def(MemoryReadEffect())
    assembly_format = "$name (`line` $line^)? attr-dict"

    def __init__(self, name: str, line: int = 0):
        super().__init__(result_types=[VALUE], properties={"name": StringAttr(name), "line": _line(line)})


@irdl_op_definition
class StoreGlobalOp(IRDLOperation):
    """`ruff.store_global "x", %v` — update (or define) a global."""

    name = "ruff.store_global"
    global_name = prop_def(StringAttr, prop_name="name")
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$name `,` $value (`line` $line^)? attr-dict"

    def __init__(self, name: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[value], properties={"name": StringAttr(name), "line": _line(line)})


@irdl_op_definition
class DefineGlobalOp(IRDLOperation):
    """`ruff.define_global "x" "let", %v` — define a global with a binding kind (let, mut, const, var)."""

    name = "ruff.define_global"
    global_name = prop_def(StringAttr, prop_name="name")
    kind = prop_def(StringAttr)
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$name $kind `,` $value (`line` $line^)? attr-dict"

    def __init__(self, name: str, kind: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(
            operands=[value], properties={"name": StringAttr(name), "kind": StringAttr(kind), "line": _line(line)}
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


# ---------------------------------------------------------------------------------------- calls


@irdl_op_definition
class CallOp(IRDLOperation):
    """`%r = ruff.call %f(%a, %b) line 3` — dynamic call of a boxed callee (closure, builtin, ...)."""

    name = "ruff.call"
    callee = operand_def(ValueType)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()
    assembly_format = "$callee `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(self, callee: SSAValue | Operation, args: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(operands=[callee, args], result_types=[VALUE], properties={"line": _line(line)})


@irdl_op_definition
class CallMethodOp(IRDLOperation):
    """`%r = ruff.call_method %obj "push"(%x) line 3` — `obj.push(x)`."""

    name = "ruff.call_method"
    receiver = operand_def(ValueType)
    method = prop_def(StringAttr)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()
    assembly_format = "$receiver $method `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(
        self, receiver: SSAValue | Operation, method: str, args: Sequence[SSAValue | Operation], line: int = 0
    ):
        super().__init__(
            operands=[receiver, args],
            result_types=[VALUE],
            properties={"method": StringAttr(method), "line": _line(line)},
        )


@irdl_op_definition
class CallSpreadOp(IRDLOperation):
    """`%r = ruff.call_spread %f, %args line 3` — call with an argument array built with spreads."""

    name = "ruff.call_spread"
    callee = operand_def(ValueType)
    args = operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()
    assembly_format = "$callee `,` $args (`line` $line^)? attr-dict"

    def __init__(self, callee: SSAValue | Operation, args: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[callee, args], result_types=[VALUE], properties={"line": _line(line)})


@irdl_op_definition
class BuiltinCallOp(IRDLOperation):
    """`%r = ruff.builtin_call "len"(%a) line 3` — a call of a builtin known by name."""

    name = "ruff.builtin_call"
    builtin = prop_def(StringAttr)
    args = var_operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()
    assembly_format = "$builtin `(` $args `)` (`line` $line^)? attr-dict"

    def __init__(self, builtin: str, args: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(
            operands=[args], result_types=[VALUE], properties={"builtin": StringAttr(builtin), "line": _line(line)}
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
    line = _line_prop()
    traits = traits_def(IsTerminator())
    assembly_format = "$value (`line` $line^)? attr-dict"

    def __init__(self, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[value], properties={"line": _line(line)})


# ----------------------------------------------------------------------------------- collections


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
    line = _line_prop()
    # A non-string key may be an error; with constant string/int keys canonicalize removes an unused dict.
    traits = traits_def(MayRaise(), MakeDictCanonicalization())
    assembly_format = "` ` `(` $entries `)` (`line` $line^)? attr-dict"

    def __init__(self, entries: Sequence[SSAValue | Operation], line: int = 0):
        super().__init__(operands=[entries], result_types=[VALUE], properties={"line": _line(line)})

    def verify_(self) -> None:
        if len(self.entries) % 2:
            raise VerifyException(f"ruff.make_dict needs key/value pairs, got {len(self.entries)} operands")


@irdl_op_definition
class SpreadArrayOp(IRDLOperation):
    """`ruff.spread_array %arr, %v line 3` — append every element of %v to %arr (in place)."""

    name = "ruff.spread_array"
    array = operand_def(ValueType)
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$array `,` $value (`line` $line^)? attr-dict"

    def __init__(self, array: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[array, value], properties={"line": _line(line)})


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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$dict `,` $value (`line` $line^)? attr-dict"

    def __init__(self, dict_: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[dict_, value], properties={"line": _line(line)})


@irdl_op_definition
class DictInsertOp(IRDLOperation):
    """`ruff.dict_insert %d, %k, %v line 3` — %d[%k] = %v (in place)."""

    name = "ruff.dict_insert"
    dict = operand_def(ValueType)
    key = operand_def(ValueType)
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$dict `,` $key `,` $value (`line` $line^)? attr-dict"

    def __init__(self, dict_: SSAValue | Operation, key: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[dict_, key, value], properties={"line": _line(line)})


@irdl_op_definition
class IndexGetOp(IRDLOperation):
    """`%v = ruff.index_get %obj[%i] line 3` ("Index out of bounds: <i>", missing key, ...)."""

    name = "ruff.index_get"
    object = operand_def(ValueType)
    index = operand_def(ValueType)
    result = result_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object `[` $index `]` (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, index: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, index], result_types=[VALUE], properties={"line": _line(line)})


@irdl_op_definition
class IndexSetOp(IRDLOperation):
    """`ruff.index_set %obj[%i], %v line 3`"""

    name = "ruff.index_set"
    object = operand_def(ValueType)
    index = operand_def(ValueType)
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object `[` $index `]` `,` $value (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, index: SSAValue | Operation, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, index, value], properties={"line": _line(line)})


@irdl_op_definition
class FieldGetOp(IRDLOperation):
    """`%v = ruff.field_get %obj "x" line 3` — `obj.x` (fields, methods, module members, ...)."""

    name = "ruff.field_get"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    result = result_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, line: int = 0):
        super().__init__(
            operands=[obj], result_types=[VALUE], properties={"field": StringAttr(field), "line": _line(line)}
        )


@irdl_op_definition
class FieldGetOptOp(IRDLOperation):
    """`%v = ruff.field_get_opt %obj "x"` — `obj?.x` (null when obj is null)."""

    name = "ruff.field_get_opt"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    result = result_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, line: int = 0):
        super().__init__(
            operands=[obj], result_types=[VALUE], properties={"field": StringAttr(field), "line": _line(line)}
        )


@irdl_op_definition
class FieldSetOp(IRDLOperation):
    """`ruff.field_set %obj "x", %v line 3` — `obj.x = v`."""

    name = "ruff.field_set"
    object = operand_def(ValueType)
    field = prop_def(StringAttr)
    value = operand_def(ValueType)
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$object $field `,` $value (`line` $line^)? attr-dict"

    def __init__(self, obj: SSAValue | Operation, field: str, value: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[obj, value], properties={"field": StringAttr(field), "line": _line(line)})


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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$struct_type $fields `(` $values `)` (`line` $line^)? attr-dict"

    def __init__(
        self, struct_type: SSAValue | Operation, fields: Sequence[str], values: Sequence[SSAValue | Operation], line: int = 0
    ):
        super().__init__(
            operands=[struct_type, values],
            result_types=[VALUE],
            properties={"fields": ArrayAttr([StringAttr(f) for f in fields]), "line": _line(line)},
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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$operand (`line` $line^)? attr-dict"

    def __init__(self, operand: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[operand], result_types=[VALUE], properties={"line": _line(line)})


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
    line = _line_prop()
    traits = traits_def(MayRaise())
    assembly_format = "$iterable (`line` $line^)? attr-dict"

    def __init__(self, iterable: SSAValue | Operation, line: int = 0):
        super().__init__(operands=[iterable], result_types=[VALUE], properties={"line": _line(line)})


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


# ------------------------------------------------------------------------------------------ dialect

RUFF_OPS: list[type[Operation]] = [
    FuncOp, ReturnOp, CallDirectOp, EnterFrameOp, FrameStateOp, ListLenOp, ListGetOp, ListSetOp, ListAppendOp,
    ConstantOp,
    AddOp, SubOp, MulOp, DivOp, ModOp, NegOp, NotOp,
    EqOp, NeOp, LtOp, LeOp, GtOp, GeOp, TruthyOp, IsNullOp,
    BoxOp, UnboxOp, IsTypeOp, GuardTypeOp, GuardOp,
    IAddOp, ISubOp, IMulOp, IDivOp, IModOp, INegOp, FDivOp, FModOp,
    LoadGlobalOp, StoreGlobalOp, DefineGlobalOp, MakeCellOp, CellGetOp, CellSetOp, LoadUpvalueOp, StoreUpvalueOp,
    CallOp, CallMethodOp, CallSpreadOp, BuiltinCallOp, MakeClosureOp, ThrowOp,
    MakeArrayOp, MakeDictOp, SpreadArrayOp, ArrayPushOp, SpreadDictOp, DictInsertOp,
    IndexGetOp, IndexSetOp, FieldGetOp, FieldGetOptOp, FieldSetOp,
    MakeStructDefOp, MakeStructOp, MakeEnumDefOp,
    MakeOkOp, MakeErrOp, MakeSomeOp, MakeNoneOp, IsFailOp, UnwrapOp, MatchPatternOp,
    MakeIteratorOp, IteratorNextOp, BuildStringOp,
]  # fmt: skip

#: The checked i64 ops and the operator symbol their overflow message uses.
CHECKED_INT_OPS: dict[type[Operation], str] = {IAddOp: "+", ISubOp: "-", IMulOp: "*", IDivOp: "/", IModOp: "%"}

Ruff = Dialect("ruff", RUFF_OPS, [ValueType, StateType], [RuffConstantMaterialization()])

__all__ = [name for name, v in list(globals().items()) if isinstance(v, type) and v.__module__ == __name__] + [
    "Ruff", "RUFF_OPS", "VALUE", "STATE", "NATIVE_TYPES", "CHECKED_INT_OPS", "attr_to_py", "py_to_attr",
]  # fmt: skip
