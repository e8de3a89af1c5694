"""Run lifted IR: an interpreter for the `ruff` dialect built on xDSL's interpreter framework.

It exists to check that a lifted `ruff.func` means the same as the bytecode it came from (see
tests/unit/test_lift_equivalence.py): the lifted function runs here on some arguments, the chunk runs in the
baseline executor on the same ones, and the results (or error messages) must agree.

Nothing here defines Ruff semantics.  Every op delegates to the runtime:

* operators to `ruff.runtime.ops` (with struct operator overloading dispatched as `VM.binary` does),
  truthiness to `values.truthy`, display to `values.display`;
* indexing, fields, structs, iterators, patterns and `throw` to the operations of `ruff.runtime.objects`
  (`index_get`, `index_set`, `field_set`, `make_struct`, `make_iterator`, `match_pattern`, `thrown`) and to
  the VM's own methods (`VM.field_get`, `VM.resolve_method`, `VM.call`, `VM.fit_args`);
* the opcodes whose semantics live only inside the VM's `slow_op` (dict/array building and spreads,
  struct and enum definitions, Ok/Err/Some/None, string building, global stores, closures) run through
  `VM.slow_op` itself, on a scratch `Frame` of the function's chunk whose operand stack holds the op's
  operands;
* calls go through a real `VM` (`vm.call`), so callees run in the baseline executor.

Ops that refer to the constant table (`make_closure`, `make_struct_def`, `make_enum_def`, `match_pattern`)
index the constants of the Chunk the function was lifted from, which the caller passes in.

Value representation: `!ruff.value` values are the runtime's Python values (int, float, bool, str, None,
list, dict, StructInstance, ...); raw `i64`/`f64` are int/float and `i1` is a Python bool.

Public API: `run_lifted(func_op, chunk, args, module, vm)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from xdsl.dialects.builtin import ModuleOp, f64, i1, i64
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    Successor,
    impl,
    impl_callable,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.cf import CfFunctions
from xdsl.ir import Region
from xdsl.utils.exceptions import InterpretationError

from ruff.dialects import ruff as R
from ruff.frontend.bytecode import Chunk, Op, pattern_binding_names
from ruff.runtime import objects, ops, vm as vm_mod
from ruff.runtime.values import (
    Cell,
    Closure,
    EnumValue,
    Module,
    RuffError,
    StructInstance,
    StructType,
    new_closure,
    truthy,
    type_name,
)


class GuardFailure(Exception):
    """A `ruff.unbox` / `ruff.guard_type` whose assumption does not hold (the native tier would deoptimize)."""


class StepLimitExceeded(Exception):
    """The interpreted function ran more operations than `max_ops` allowed."""


# ------------------------------------------------------------------------------------------ context


@dataclass
class _Activation:
    """What one running ruff.func needs besides its SSA values: its chunk (constant table) and closure."""

    chunk: Chunk
    closure: Closure
    frame: Any  # a scratch vm.Frame of `closure`, for the opcodes that run through VM.slow_op


def _activation(chunk: Chunk, module: Module, upvalues: Sequence[Cell], defaults: Optional[list]) -> _Activation:
    closure = new_closure(chunk, list(upvalues), module, defaults)
    return _Activation(chunk, closure, vm_mod.Frame(closure, []))


class RuffInterpreter(Interpreter):
    """xDSL's Interpreter with a flat value scope per function activation.

    `Interpreter.run_ssacfg_region` pushes a new scope for every block it enters and pops them only when the
    region returns, so a loop that runs n times builds a chain of n scopes and every lookup of a value
    defined before the loop walks it (quadratic time).  In SSA form each value has one definition per
    dynamic execution and dominance guarantees a use sees the latest one, so one scope per activation is
    enough.  Block arguments are evaluated by the branch before they are bound, so parallel-copy semantics
    of cf.br / cf.cond_br are kept.
    """

    max_ops: Optional[int] = None
    ops_run: int = 0

    def run_ssacfg_region(self, region: Region, args: PythonValues, name: str = "unknown") -> PythonValues:
        block = region.blocks.first
        if block is None:
            return ()
        results: PythonValues = ()
        initial_scope = self._ctx
        self.push_scope(name)
        try:
            while block is not None:
                self.set_values(zip(block.args, args, strict=True))
                op = block.first_op
                block = None
                while op is not None:
                    if self.max_ops is not None:
                        self.ops_run += 1
                        if self.ops_run > self.max_ops:
                            raise StepLimitExceeded(f"more than {self.max_ops} operations interpreted")
                    result = self._run_op(op, self.get_values(op.operands))
                    self.set_values(zip(op.results, result.values))
                    term = result.terminator_value
                    if term is not None:
                        if isinstance(term, ReturnedValues):
                            results = term.values
                        else:
                            assert isinstance(term, Successor)
                            block, args = term
                        break
                    op = op.next_op
                else:
                    raise InterpretationError(f"block in {name} ends without a terminator")
        finally:
            self._ctx = initial_scope
        return results


# ------------------------------------------------------------------------------------------ the ops


def _binary_impl(op_type: type[R.BoxedBinary]):
    @impl(op_type)
    def run(self: "RuffFunctions", interpreter: Interpreter, op: R.BoxedBinary, args: PythonValues):
        return (self.binary(op.PY_OP, args[0], args[1]),)

    return run


def _runtime_binary_impl(op_type: type[Any], fn: Any):
    @impl(op_type)
    def run(self: "RuffFunctions", interpreter: Interpreter, op: Any, args: PythonValues):
        return (fn(args[0], args[1]),)

    return run


def _slow_op_impl(op_type: type[Any], opcode: Op, arg_of: Any = None, pushes: bool = True):
    """An op whose semantics is the VM's `slow_op` for `opcode` (operands on the stack, result on top)."""

    @impl(op_type)
    def run(self: "RuffFunctions", interpreter: Interpreter, op: Any, args: PythonValues):
        out = self.via_slow_op(opcode, None if arg_of is None else arg_of(self, op), args)
        return (out,) if pushes else ()

    return run


@register_impls
@dataclass
class RuffFunctions(InterpreterFunctions):
    """Implementations of the `ruff` dialect's ops against a live VM and module."""

    vm: Any  # ruff.runtime.vm.VM
    module: Module
    chunks: Mapping[str, Chunk] = field(default_factory=dict)  # ruff.func symbol → the chunk it was lifted from
    stack: list[_Activation] = field(default_factory=list)
    entry: Optional[_Activation] = None  # activation for the next ruff.func call (run_lifted's)

    # ---------------------------------------------------------------- helpers

    @property
    def act(self) -> _Activation:
        return self.stack[-1]

    def via_slow_op(self, opcode: Op, arg: Any, operands: Sequence[Any]) -> Any:
        frame = self.act.frame
        frame.stack = list(operands)
        self.vm.slow_op(frame, int(opcode), arg)
        return frame.stack[-1] if frame.stack else None

    def binary(self, sym: str, a: Any, b: Any) -> Any:
        # As VM.binary: a struct left operand with an op_* method overloads the operator.
        if isinstance(a, StructInstance):
            method = a.type.methods.get(ops.OVERLOAD_METHOD[sym])
            if method is not None:
                return self.vm.call(method, [a, b])
        return ops.BINARY[sym](a, b)

    def const(self, index: int) -> Any:
        return self.act.chunk.constants[index]

    # ---------------------------------------------------------------- functions and control flow

    @impl_callable(R.FuncOp)
    def call_func(self, interpreter: Interpreter, op: R.FuncOp, args: PythonValues) -> PythonValues:
        act = self.entry
        self.entry = None
        if act is None:
            chunk = self.chunks.get(op.sym_name.data)
            if chunk is None:
                raise InterpretationError(f"no chunk known for ruff.func @{op.sym_name.data}")
            act = _activation(chunk, self.module, [], None)
        self.stack.append(act)
        try:
            return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)
        finally:
            self.stack.pop()

    @impl_terminator(R.ReturnOp)
    def run_return(self, interpreter: Interpreter, op: R.ReturnOp, args: PythonValues):
        return ReturnedValues(args), ()

    @impl_terminator(R.ThrowOp)
    def run_throw(self, interpreter: Interpreter, op: R.ThrowOp, args: PythonValues):
        raise objects.thrown(args[0])

    @impl(R.CallDirectOp)
    def run_call_direct(self, interpreter: Interpreter, op: R.CallDirectOp, args: PythonValues):
        return interpreter.call_op(op.callee.string_value(), args)

    # ---------------------------------------------------------------- values

    @impl(R.ConstantOp)
    def run_constant(self, interpreter: Interpreter, op: R.ConstantOp, args: PythonValues):
        return (op.py_value,)

    run_add = _binary_impl(R.AddOp)
    run_sub = _binary_impl(R.SubOp)
    run_mul = _binary_impl(R.MulOp)
    run_div = _binary_impl(R.DivOp)
    run_mod = _binary_impl(R.ModOp)
    run_eq = _binary_impl(R.EqOp)
    run_ne = _binary_impl(R.NeOp)
    run_lt = _binary_impl(R.LtOp)
    run_le = _binary_impl(R.LeOp)
    run_gt = _binary_impl(R.GtOp)
    run_ge = _binary_impl(R.GeOp)

    @impl(R.NegOp)
    def run_neg(self, interpreter: Interpreter, op: R.NegOp, args: PythonValues):
        a = args[0]
        if isinstance(a, StructInstance) and "op_neg" in a.type.methods:
            return (self.vm.call(a.type.methods["op_neg"], [a]),)
        return (ops.neg(a),)

    @impl(R.NotOp)
    def run_not(self, interpreter: Interpreter, op: R.NotOp, args: PythonValues):
        a = args[0]
        if isinstance(a, StructInstance) and "op_not" in a.type.methods:
            return (self.vm.call(a.type.methods["op_not"], [a]),)
        return (not truthy(a),)

    @impl(R.FrameStateOp)
    def run_frame_state(self, interpreter: Interpreter, op: R.FrameStateOp, args: PythonValues):
        # Only native code leaves at a frame state; the interpreted IR goes on where the baseline would.
        return (None,)

    @impl(R.TruthyOp)
    def run_truthy(self, interpreter: Interpreter, op: R.TruthyOp, args: PythonValues):
        return (truthy(args[0]),)

    @impl(R.IsNullOp)
    def run_is_null(self, interpreter: Interpreter, op: R.IsNullOp, args: PythonValues):
        return (args[0] is None,)

    @impl(R.BoxOp)
    def run_box(self, interpreter: Interpreter, op: R.BoxOp, args: PythonValues):
        t, v = op.input.type, args[0]
        if t == i1:
            return (bool(v),)
        if t == f64:
            return (float(v),)
        return (int(v),)

    @impl(R.UnboxOp)
    def run_unbox(self, interpreter: Interpreter, op: R.UnboxOp, args: PythonValues):
        t, v = op.result.type, args[0]
        expected = int if t == i64 else float if t == f64 else bool
        if type(v) is not expected:
            raise GuardFailure(f"ruff.unbox to {t}: got a {type_name(v)}")
        return (v,)

    @impl(R.IsTypeOp)
    def run_is_type(self, interpreter: Interpreter, op: R.IsTypeOp, args: PythonValues):
        return (type_name(args[0]) == op.type_name.data,)

    @impl(R.GuardTypeOp)
    def run_guard_type(self, interpreter: Interpreter, op: R.GuardTypeOp, args: PythonValues):
        if type_name(args[0]) != op.type_name.data:
            raise GuardFailure(f"ruff.guard_type {op.type_name.data}: got a {type_name(args[0])}")
        return ()

    @impl(R.IsInstanceOp)
    def run_is_instance(self, interpreter: Interpreter, op: R.IsInstanceOp, args: PythonValues):
        stype = self.act.closure.module.globals.get(op.global_name.data)
        return (type(stype) is StructType and type(args[0]) is stype.cls,)

    @impl(R.GuardOp)
    def run_guard(self, interpreter: Interpreter, op: R.GuardOp, args: PythonValues):
        if not args[0]:
            raise GuardFailure("ruff.guard: the condition does not hold")
        return ()

    # Checked raw arithmetic: on two ints (two floats) the runtime's operators are exactly these ops.
    run_iadd = _runtime_binary_impl(R.IAddOp, ops.add)
    run_isub = _runtime_binary_impl(R.ISubOp, ops.sub)
    run_imul = _runtime_binary_impl(R.IMulOp, ops.mul)
    run_idiv = _runtime_binary_impl(R.IDivOp, ops.div)
    run_imod = _runtime_binary_impl(R.IModOp, ops.mod)
    run_fdiv = _runtime_binary_impl(R.FDivOp, ops.div)
    run_fmod = _runtime_binary_impl(R.FModOp, ops.mod)

    @impl(R.INegOp)
    def run_ineg(self, interpreter: Interpreter, op: R.INegOp, args: PythonValues):
        return (ops.neg(args[0]),)

    # ---------------------------------------------------------------- variables

    run_load_global = _slow_op_impl(R.LoadGlobalOp, Op.LoadGlobal, lambda s, op: op.global_name.data)
    run_store_global = _slow_op_impl(R.StoreGlobalOp, Op.StoreGlobal, lambda s, op: op.global_name.data, pushes=False)
    run_define_global = _slow_op_impl(
        R.DefineGlobalOp, Op.DefineGlobal, lambda s, op: (op.global_name.data, op.kind.data), pushes=False
    )

    @impl(R.LoadUpvalueOp)
    def run_load_upvalue(self, interpreter: Interpreter, op: R.LoadUpvalueOp, args: PythonValues):
        return (self.act.closure.upvalues[op.index.value.data][0],)

    @impl(R.StoreUpvalueOp)
    def run_store_upvalue(self, interpreter: Interpreter, op: R.StoreUpvalueOp, args: PythonValues):
        self.act.closure.upvalues[op.index.value.data][0] = args[0]
        return ()

    @impl(R.MakeCellOp)
    def run_make_cell(self, interpreter: Interpreter, op: R.MakeCellOp, args: PythonValues):
        return ([None],)  # a Cell

    @impl(R.CellGetOp)
    def run_cell_get(self, interpreter: Interpreter, op: R.CellGetOp, args: PythonValues):
        return (args[0][0],)

    @impl(R.CellSetOp)
    def run_cell_set(self, interpreter: Interpreter, op: R.CellSetOp, args: PythonValues):
        args[0][0] = args[1]
        return ()

    # ---------------------------------------------------------------- calls

    @impl(R.CallOp)
    def run_call(self, interpreter: Interpreter, op: R.CallOp, args: PythonValues):
        return (self.vm.call(args[0], list(args[1:])),)

    @impl(R.CallMethodOp)
    def run_call_method(self, interpreter: Interpreter, op: R.CallMethodOp, args: PythonValues):
        fn, call_args = self.vm.resolve_method(args[0], op.method.data, list(args[1:]))
        return (self.vm.call(fn, call_args),)

    @impl(R.CallSpreadOp)
    def run_call_spread(self, interpreter: Interpreter, op: R.CallSpreadOp, args: PythonValues):
        return (self.vm.call(args[0], list(args[1])),)

    @impl(R.BuiltinCallOp)
    def run_builtin_call(self, interpreter: Interpreter, op: R.BuiltinCallOp, args: PythonValues):
        return (self.vm.call(self.vm.builtins[op.builtin.data], list(args)),)

    @impl(R.MakeClosureOp)
    def run_make_closure(self, interpreter: Interpreter, op: R.MakeClosureOp, args: PythonValues):
        chunk = self.const(op.chunk.value.data)
        if args:
            # Captured cells come as operands (the lifter never emits these; kept for completeness).
            return (new_closure(chunk, list(args), self.act.closure.module, None),)
        return (self.via_slow_op(Op.MakeClosure, op.chunk.value.data, ()),)

    # ---------------------------------------------------------------- collections, fields, structs

    @impl(R.MakeArrayOp)
    def run_make_array(self, interpreter: Interpreter, op: R.MakeArrayOp, args: PythonValues):
        return (self.via_slow_op(Op.MakeArray, len(args), args),)

    @impl(R.MakeDictOp)
    def run_make_dict(self, interpreter: Interpreter, op: R.MakeDictOp, args: PythonValues):
        return (self.via_slow_op(Op.MakeDict, len(args) // 2, args),)

    run_spread_array = _slow_op_impl(R.SpreadArrayOp, Op.SpreadArray, pushes=False)
    run_array_push = _slow_op_impl(R.ArrayPushOp, Op.ArrayPush, pushes=False)
    run_spread_dict = _slow_op_impl(R.SpreadDictOp, Op.SpreadDict, pushes=False)
    run_dict_insert = _slow_op_impl(R.DictInsertOp, Op.DictInsert, pushes=False)

    @impl(R.IndexGetOp)
    def run_index_get(self, interpreter: Interpreter, op: R.IndexGetOp, args: PythonValues):
        return (objects.index_get(args[0], args[1]),)

    @impl(R.IndexSetOp)
    def run_index_set(self, interpreter: Interpreter, op: R.IndexSetOp, args: PythonValues):
        objects.index_set(args[0], args[1], args[2])
        return ()

    @impl(R.FieldGetOp)
    def run_field_get(self, interpreter: Interpreter, op: R.FieldGetOp, args: PythonValues):
        return (self.vm.field_get(args[0], op.field.data),)

    run_field_get_opt = _slow_op_impl(R.FieldGetOptOp, Op.FieldGetOpt, lambda s, op: op.field.data)

    @impl(R.FieldSetOp)
    def run_field_set(self, interpreter: Interpreter, op: R.FieldSetOp, args: PythonValues):
        objects.field_set(args[0], op.field.data, args[1])
        return ()

    run_make_struct_def = _slow_op_impl(R.MakeStructDefOp, Op.MakeStructDef, lambda s, op: op.info.value.data)

    @impl(R.MakeStructOp)
    def run_make_struct(self, interpreter: Interpreter, op: R.MakeStructOp, args: PythonValues):
        names = tuple(f.data for f in op.fields.data)
        return (objects.make_struct(args[0], names, list(args[1:])),)

    run_make_enum_def = _slow_op_impl(R.MakeEnumDefOp, Op.MakeEnumDef, lambda s, op: op.info.value.data)
    run_make_ok = _slow_op_impl(R.MakeOkOp, Op.MakeOk)
    run_make_err = _slow_op_impl(R.MakeErrOp, Op.MakeErr)
    run_make_some = _slow_op_impl(R.MakeSomeOp, Op.MakeSome)
    run_make_none = _slow_op_impl(R.MakeNoneOp, Op.MakeNone)

    @impl(R.IsFailOp)
    def run_is_fail(self, interpreter: Interpreter, op: R.IsFailOp, args: PythonValues):
        v = args[0]
        return (type(v) is EnumValue and v.variant in ("Err", "None"),)

    @impl(R.UnwrapOp)
    def run_unwrap(self, interpreter: Interpreter, op: R.UnwrapOp, args: PythonValues):
        # The success half of the executor's TryUnwrap (the failure half is a return, is_fail's branch).
        v = args[0]
        if type(v) is EnumValue and v.variant in ("Ok", "Some"):
            return (v.values[0] if v.values else None,)
        raise RuffError(f"The '?' operator expects a Result or Option, got {type_name(v)}")

    # ---------------------------------------------------------------- patterns, iteration, strings

    @impl(R.MatchPatternOp)
    def run_match_pattern(self, interpreter: Interpreter, op: R.MatchPatternOp, args: PythonValues):
        pat = self.const(op.pattern.value.data)
        n = len(op.bindings)
        bound: list = []
        if objects.match_pattern(pat, args[0], bound):
            if len(bound) != n or len(pattern_binding_names(pat)) != n:
                raise InterpretationError(f"pattern bound {len(bound)} values, the op has {n} results")
            return (True, *bound)
        return (False, *([None] * n))

    @impl(R.MakeIteratorOp)
    def run_make_iterator(self, interpreter: Interpreter, op: R.MakeIteratorOp, args: PythonValues):
        return (objects.make_iterator(args[0]),)

    @impl(R.IteratorNextOp)
    def run_iterator_next(self, interpreter: Interpreter, op: R.IteratorNextOp, args: PythonValues):
        # As the executor's IteratorNext: next() on the Python iterator, exhausted on StopIteration.
        try:
            return (True, next(args[0]))
        except StopIteration:
            return (False, None)

    @impl(R.BuildStringOp)
    def run_build_string(self, interpreter: Interpreter, op: R.BuildStringOp, args: PythonValues):
        return (self.via_slow_op(Op.BuildString, len(args), args),)


# ------------------------------------------------------------------------------------------ entry point


def make_interpreter(
    func_op: R.FuncOp,
    module: Module,
    vm: Any,
    chunks: Optional[Mapping[str, Chunk]] = None,
    max_ops: Optional[int] = None,
) -> tuple[RuffInterpreter, RuffFunctions]:
    parent = func_op.parent_op()
    interpreter = RuffInterpreter(parent if isinstance(parent, ModuleOp) else ModuleOp([]))
    interpreter.max_ops = max_ops
    functions = RuffFunctions(vm, module, dict(chunks or {}))
    interpreter.register_implementations(functions)
    interpreter.register_implementations(CfFunctions())
    try:
        from xdsl.interpreters.arith import ArithFunctions

        interpreter.register_implementations(ArithFunctions())  # float ops after specialize-types
    except ImportError:  # pragma: no cover - optional
        pass
    return interpreter, functions


def run_lifted(
    func_op: R.FuncOp,
    chunk: Chunk,
    args: list,
    module: Module,
    vm: Any,
    *,
    upvalues: Sequence[Cell] = (),
    defaults: Optional[list] = None,
    chunks: Optional[Mapping[str, Chunk]] = None,
    max_ops: Optional[int] = None,
) -> Any:
    """Run a lifted function on `args` and return its (boxed) result.

    `chunk` is the Chunk `func_op` was lifted from (its constant table), `module` the module whose globals
    the function sees, `vm` the executor that runs every call the function makes.  `upvalues` are the
    closure's captured cells (for `ruff.load_upvalue`), `defaults` its evaluated parameter defaults (used,
    as by the executor, when fewer arguments than parameters are passed).  `chunks` maps other ruff.func
    symbols to their chunks, for `ruff.call_direct`.  A Ruff runtime error propagates as `RuffError`, as it
    does out of `vm.call`.
    """
    closure_args = list(args)
    if len(closure_args) != len(chunk.params):
        closure_args = vm.fit_args(new_closure(chunk, list(upvalues), module, defaults), closure_args)
    interpreter, functions = make_interpreter(func_op, module, vm, chunks, max_ops)
    functions.entry = _activation(chunk, module, upvalues, defaults)
    vm._offset += 1  # the lifted function's own frame: its callees run one deeper, as in the executor
    try:
        results = interpreter.call_op(func_op, tuple(closure_args))
    except (RuffError, GuardFailure, StepLimitExceeded) as err:
        # xDSL's interpreter attaches a dump of the whole IR to any exception raised by an op: not wanted on
        # an error that is part of the program's behaviour.
        if hasattr(err, "__notes__"):
            del err.__notes__
        raise
    finally:
        vm._offset -= 1
    if len(results) != 1:
        raise InterpretationError(f"ruff.func returned {len(results)} values")
    return results[0]


__all__ = ["run_lifted", "make_interpreter", "RuffFunctions", "RuffInterpreter", "GuardFailure", "StepLimitExceeded"]
