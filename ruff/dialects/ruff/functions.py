"""Functions, returns, direct calls and the call depth; frame states, where native code hands a call to
the interpreter."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    DenseArrayBase,
    I64,
    ArrayAttr,
    DictionaryAttr,
    FlatSymbolRefAttrConstr,
    FunctionType,
    IntegerAttr,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    i64,
)
from xdsl.dialects.utils import parse_func_op_like, print_func_op_like
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    ParsePropInAttrDict,
    IRDLOperation,
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
from xdsl.traits import (
    CallableOpInterface,
    HasParent,
    IsolatedFromAbove,
    IsTerminator,
    Pure,
    ReturnLike,
    SymbolOpInterface,
    SymbolTable,
    SymbolUserOpInterface,
)
from xdsl.utils.exceptions import VerifyException

from ruff.dialects.ruff.types import AnyRuffType, MayRaise, NATIVE_TYPES, STATE, StateType, VALUE


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
    # A callee inlined into native object code: where the caller deoptimizes to when the limit is hit, so
    # that the baseline makes the call again and raises the error with every frame in its stack.
    state = opt_operand_def(StateType)
    result = result_def(I64)
    frame = prop_def(StringAttr)
    traits = traits_def(MayRaise())
    assembly_format = "$depth $frame (`deopt` $state^)? attr-dict `:` type($result)"

    def __init__(self, depth: SSAValue | Operation, frame: str, state: SSAValue | None = None):
        super().__init__(operands=[depth, [state] if state is not None else []], result_types=[i64],
                         properties={"frame": StringAttr(frame)})


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
