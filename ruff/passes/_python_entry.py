"""The entry point CPython calls: a METH_FASTCALL C function in front of each native function (a helper of
lower-to-llvm, not a pass).

    PyObject *<symbol>$py(PyObject *self, PyObject *const *args, Py_ssize_t nargs)

The runtime wraps it in a builtin function object (PyCFunction) and installs it as the Ruff function's
`chunk.fx`, so the baseline tier calls native code exactly as it calls a generated Python function —
`f.chunk.fx(f, depth, a, b)` — with no Python in between. The arguments are CPython's own: args[0] the
closure (unused), args[1] the callee's Ruff depth, then the Ruff arguments. Inside:

- the guards: the argument count, every argument's exact type (int, float or bool, as specialized), and the
  "stand aside" flag (ruff.runtime.native_flags); arguments are read in place (an int's digit, a float's
  value, a bool's identity);
- the call of the typed body at the caller's depth (depth - 1), and the result boxed as a new reference;
- two ways back to the baseline, through the tuple `self` = (on_miss, on_error): a guard that fails calls
  `on_miss(*args)` (the baseline function with its profiling hooks, which may compile another
  specialization); a Ruff error inside native code (overflow, division by zero, the depth limit) clears the
  error slot, sets the "stand aside" flag and calls `on_error(*args)`: the baseline runs the call, native code
  standing aside until the baseline has raised the error, so it comes with the baseline's exact message,
  line and stack. The typed body has no side effects, so running the call again is exact. Ctrl-C (the
  interrupt flag) sets KeyboardInterrupt and returns NULL.
"""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.builtin import IntegerAttr, f64, i1, i32, i64
from xdsl.ir import Attribute

from ruff.passes.abi import (
    ERR_FUNC, ERR_INTERRUPT, ERR_KIND, ERR_LHS, ERR_LINE, ERR_OP, ERR_RHS, PY_ENTRY_SUFFIX, STAND_ASIDE_PTR,
)
from ruff.passes._cpython import PTR, Builder, ObjectCode
from ruff.passes.specialize_types import base as base_kind

ARG_TYPE_SYMBOL = {i64: "PyLong_Type", f64: "PyFloat_Type", i1: "PyBool_Type"}
# The exact Python type of a boxed argument of each specialized kind ("value": any, not guarded).
KIND_TYPE_SYMBOL = {"array": "PyList_Type", "string": "PyUnicode_Type", "dict": "PyDict_Type"}
FIRST_RUFF_ARG = 2  # args[0] is the closure, args[1] the depth


def _pred(name: str) -> IntegerAttr:
    return IntegerAttr(llvm.ICmpPredicateFlag(name).to_int(), i64)


def python_entry(symbol: str, impl_symbol: str, params: list[Attribute], result: Attribute | None,
                 kinds: list[str] | None = None) -> tuple[llvm.FuncOp, ObjectCode]:
    """The METH_FASTCALL entry `symbol$py` of the native function whose typed body is `impl_symbol`.

    A PyObject* parameter is passed on as it is (borrowed: the caller's arguments live through the call),
    after a guard on its exact type when its specialized kind (`kinds`) names one. A PyObject* result is
    a new reference, or NULL with the Python exception native code left in flight."""
    b = Builder([PTR, PTR, i64])
    self_, args, nargs = b.current.args
    self_.name_hint, args.name_hint, nargs.name_hint = "self", "args", "nargs"
    o = b.objects()
    overflow = b.emit(llvm.AllocaOp(b.const(1), i32, alignment=4)).results[0]
    miss, failed = b.block("miss"), b.block("failed")

    def guard(cond, name: str, otherwise=miss) -> None:
        ok = b.block(name)
        b.emit(llvm.CondBrOp(cond, ok, [], otherwise, []))
        b.goto(ok)

    def icmp(pred: str, x, y):
        return b.emit(llvm.ICmpOp(x, y, _pred(pred))).results[0]

    guard(icmp("eq", nargs, b.const(FIRST_RUFF_ARG + len(params))), "arity_ok")
    aside = b.emit(llvm.LoadOp(b.emit(llvm.AddressOfOp(STAND_ASIDE_PTR, PTR)).results[0], i64)).results[0]
    flag_where = b.emit(llvm.IntToPtrOp(aside)).results[0]
    read_flag, not_aside = b.block("read_stand_aside"), b.block("not_standing_aside")
    b.emit(llvm.CondBrOp(icmp("ne", aside, b.const(0)), read_flag, [], not_aside, []))
    b.goto(read_flag)
    flag = b.emit(llvm.LoadOp(flag_where, i64)).results[0]
    b.emit(llvm.CondBrOp(icmp("ne", flag, b.const(0)), failed, [], not_aside, []))
    b.goto(not_aside)

    def arg(k: int):
        return b.emit(llvm.LoadOp(o.at(args, 8 * k), PTR)).results[0]

    depth_obj = arg(1)
    guard(o.is_exactly(depth_obj, "PyLong_Type"), "depth_is_int")
    depth = o.int_value(depth_obj, overflow, miss)
    values = []
    for k, t in enumerate(params):
        a = arg(FIRST_RUFF_ARG + k)
        if t == PTR:
            kind = kinds[k] if kinds and k < len(kinds) else "value"
            container = base_kind(kind)  # "array:int" is an array first (its elements are guarded where read)
            if container in KIND_TYPE_SYMBOL:
                guard(o.is_exactly(a, KIND_TYPE_SYMBOL[container]), f"arg{k}_kind_ok")
            values.append(a)
            continue
        guard(o.is_exactly(a, ARG_TYPE_SYMBOL[t]), f"arg{k}_type_ok")
        if t == i64:
            values.append(o.int_value(a, overflow, miss))
        elif t == f64:
            values.append(o.float_value(a))
        else:
            values.append(o.bool_value(a))
    caller_depth = b.emit(llvm.SubOp(depth, b.const(1))).results[0]
    r = b.emit(llvm.CallOp(impl_symbol, *values, caller_depth, return_type=result))
    kind = b.emit(llvm.LoadOp(b.emit(llvm.AddressOfOp(ERR_KIND, PTR)).results[0], i64)).results[0]
    done, errored = b.block("done"), b.block("native_error")
    b.emit(llvm.CondBrOp(icmp("ne", kind, b.const(0)), errored, [], done, []))
    b.goto(done)
    if result == PTR:
        b.emit(llvm.ReturnOp(r.results[0]))  # a new reference, or NULL with the error in flight
    elif result is None:
        none = o.symbol("_Py_NoneStruct")
        o.incref(none)
        b.emit(llvm.ReturnOp(none))
    else:
        b.emit(llvm.ReturnOp(o.box(r.results[0], result)))
    # A Ruff error in native code: the slot is cleared and the baseline runs the call again.
    b.goto(errored)
    for g in (ERR_KIND, ERR_OP, ERR_LHS, ERR_RHS, ERR_LINE, ERR_FUNC):
        b.emit(llvm.StoreOp(b.const(0), b.emit(llvm.AddressOfOp(g, PTR)).results[0]))
    interrupted, other = b.block("interrupted"), b.block("other_error")
    b.emit(llvm.CondBrOp(icmp("eq", kind, b.const(ERR_INTERRUPT)), interrupted, [], other, []))
    b.goto(interrupted)
    exc = b.emit(llvm.LoadOp(o.symbol("PyExc_KeyboardInterrupt"), PTR)).results[0]
    o.call("PyErr_SetNone", exc)
    b.emit(llvm.ReturnOp(b.emit(llvm.ZeroOp(result_types=[PTR])).results[0]))
    b.goto(other)
    # Stand aside until the baseline has raised the error (see native_flags): each level of a recursion
    # would otherwise run native code into the same error once more.
    b.emit(llvm.StoreOp(b.const(1), flag_where))
    b.emit(llvm.BrOp(failed))
    for block, index in ((miss, 0), (failed, 1)):
        b.goto(block)
        b.emit(llvm.ReturnOp(o.vectorcall(o.tuple_item(self_, index), args, nargs)))
    func = llvm.FuncOp(symbol + PY_ENTRY_SUFFIX, llvm.LLVMFunctionType([PTR, PTR, i64], PTR),
                       linkage=llvm.LinkageAttr("external"), body=b.region)
    return func, o
