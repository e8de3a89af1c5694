"""Building blocks for llvm-dialect code that works on CPython objects (a helper of lower-to-llvm, not a pass).

Native code runs holding the GIL and reads objects at their fixed layout (ruff.passes.abi: refcount, type,
an int's digits, a float's value, a tuple's items) where the type is guarded, and calls CPython's C API for
everything else (boxing, calls). C API functions and type objects are external symbols, resolved in the
process when the code is loaded (MCJIT) or linked (the cached shared library): cached code holds no
process-specific address.
"""

from __future__ import annotations

from typing import Callable

from xdsl.dialects import llvm
from xdsl.dialects.builtin import IntegerAttr, IntegerType, f64, i1, i32, i64
from xdsl.ir import Attribute, Block, Operation, SSAValue

from ruff.passes.abi import FLOAT_VALUE, LONG_DIGITS, OB_REFCNT, OB_SIZE, OB_TYPE, TUPLE_ITEMS

PTR = llvm.LLVMPointerType()


def _i8() -> Attribute:
    return IntegerType(8)


# C API functions native code calls: name → (argument types, result type or None).
C_API: dict[str, tuple[tuple[Attribute, ...], Attribute | None]] = {
    "PyLong_FromLongLong": ((i64,), PTR),
    "PyFloat_FromDouble": ((f64,), PTR),
    "PyLong_AsLongLongAndOverflow": ((PTR, PTR), i64),
    "PyLong_AsLongLong": ((PTR,), i64),
    "PyObject_Vectorcall": ((PTR, PTR, i64, PTR), PTR),
    "PyErr_SetNone": ((PTR,), None),
    "PyEval_SaveThread": ((), PTR),
    "PyEval_RestoreThread": ((PTR,), None),
    "PyList_Append": ((PTR, PTR), i32),
    "PyErr_Fetch": ((PTR, PTR, PTR), None),
    "PyErr_NormalizeException": ((PTR, PTR, PTR), None),
    "PyErr_Restore": ((PTR, PTR, PTR), None),
    "PyErr_Clear": ((), None),
    "PyErr_Occurred": ((), PTR),
    "PyIter_Next": ((PTR,), PTR),
    "PyObject_GetIter": ((PTR,), PTR),
    "PyList_New": ((i64,), PTR),
    "PyUnicode_Substring": ((PTR, i64, i64), PTR),
    "PyDict_GetItemWithError": ((PTR, PTR), PTR),
    "PyDict_SetItem": ((PTR, PTR, PTR), i32),
    "_PyDict_NewPresized": ((i64,), PTR),
    "PyObject_Str": ((PTR,), PTR),
    "PyObject_CallOneArg": ((PTR, PTR), PTR),
    "PyUnicode_New": ((i64, i32), PTR),
    "PyUnicode_Concat": ((PTR, PTR), PTR),
    "PyUnicode_Append": ((PTR, PTR), None),
    "PyUnicode_Join": ((PTR, PTR), PTR),
    "PyObject_VectorcallMethod": ((PTR, PTR, i64, PTR), PTR),
    "PyType_IsSubtype": ((PTR, PTR), i32),
    "_PyType_Lookup": ((PTR, PTR), PTR),
    "_Py_Dealloc": ((PTR,), None),
    "PyDict_GetItem": ((PTR, PTR), PTR),
    "PyType_GenericAlloc": ((PTR, i64), PTR),
}
# Data symbols: type objects and singletons (only their addresses are used).
C_DATA = ("PyLong_Type", "PyFloat_Type", "PyBool_Type", "PyList_Type", "PyUnicode_Type", "PyDict_Type",
          "_Py_TrueStruct", "_Py_FalseStruct", "_Py_NoneStruct", "PyExc_KeyboardInterrupt")


def declarations(used_functions: set[str], used_data: set[str]) -> list[Operation]:
    """External declarations for the C API symbols a module uses."""
    out: list[Operation] = []
    for name in sorted(used_data):
        out.append(llvm.GlobalOp(_i8(), name, "external"))
    for name in sorted(used_functions):
        args, result = C_API[name]
        out.append(llvm.FuncOp(name, llvm.LLVMFunctionType(list(args), result), linkage=llvm.LinkageAttr("external")))
    return out


class ObjectCode:
    """Emits object operations through an emitter: `emit(op) -> op`, `const(value, type)`, `block(name)`
    (a new block), and `goto(block)` (continue emitting there); records the C symbols it needs."""

    def __init__(self, emit: Callable[[Operation], Operation], const: Callable[..., SSAValue],
                 block: Callable[[str], Block], goto: Callable[[Block], None]) -> None:
        self.emit, self.const, self.block, self.goto = emit, const, block, goto
        self.functions: set[str] = set()
        self.data: set[str] = set()

    # -- memory at an object's layout
    def at(self, obj: SSAValue, offset: int) -> SSAValue:
        return self.emit(llvm.GEPOp(obj, [offset], _i8())).results[0]

    def load(self, obj: SSAValue, offset: int, t: Attribute) -> SSAValue:
        return self.emit(llvm.LoadOp(self.at(obj, offset), t)).results[0]

    def symbol(self, name: str) -> SSAValue:
        """The address of a C data symbol, as an untyped pointer (llvmlite types a global's address by the
        declared type, i8, which a later store of an i64 through it would not match)."""
        self.data.add(name)
        address = self.emit(llvm.AddressOfOp(name, PTR)).results[0]
        return self.emit(llvm.IntToPtrOp(self.emit(llvm.PtrToIntOp(address, i64)).results[0])).results[0]

    def call(self, name: str, *args: SSAValue) -> SSAValue | None:
        self.functions.add(name)
        result = C_API[name][1]
        op = self.emit(llvm.CallOp(name, *args, return_type=result))
        return op.results[0] if result is not None else None

    # -- types
    def type_of(self, obj: SSAValue) -> SSAValue:
        return self.load(obj, OB_TYPE, PTR)

    def same(self, a: SSAValue, b: SSAValue) -> SSAValue:
        """a == b for two pointers (xDSL's icmp takes integers: compare the addresses)."""
        x = self.emit(llvm.PtrToIntOp(a, i64)).results[0]
        y = self.emit(llvm.PtrToIntOp(b, i64)).results[0]
        return self.emit(llvm.ICmpOp(x, y, _pred("eq"))).results[0]

    def is_exactly(self, obj: SSAValue, type_symbol: str) -> SSAValue:
        return self.same(self.type_of(obj), self.symbol(type_symbol))

    # -- unboxing (the type already guarded)
    def float_value(self, obj: SSAValue) -> SSAValue:
        return self.load(obj, FLOAT_VALUE, f64)

    def bool_value(self, obj: SSAValue) -> SSAValue:
        return self.same(obj, self.symbol("_Py_TrueStruct"))

    def int_value(self, obj: SSAValue, overflow_slot: SSAValue, too_big: Block) -> SSAValue:
        """An exact int's value: read in place when it has at most one digit (every |n| < 2**30), else
        through the C API; an int beyond i64 (which Ruff never makes) branches to `too_big`."""
        size = self.load(obj, OB_SIZE, i64)
        small = self.emit(llvm.ICmpOp(self.emit(llvm.AddOp(size, self.const(1))).results[0], self.const(3),
                                      _pred("ult"))).results[0]
        fast, slow, join = self.block("int_small"), self.block("int_big"), self.block("int_value")
        join.insert_arg(i64, 0)
        self.emit(llvm.CondBrOp(small, fast, [], slow, []))
        self.goto(fast)
        digit = self.emit(llvm.ZExtOp(self.load(obj, LONG_DIGITS, i32), i64)).results[0]
        self.emit(llvm.BrOp(join, self.emit(llvm.MulOp(digit, size)).results[0]))
        self.goto(slow)
        value = self.call("PyLong_AsLongLongAndOverflow", obj, overflow_slot)
        assert value is not None
        flag = self.emit(llvm.LoadOp(overflow_slot, i32)).results[0]
        ok = self.block("int_fits")
        self.emit(llvm.CondBrOp(self.emit(llvm.ICmpOp(flag, self.const(0, i32), _pred("eq"))).results[0],
                                ok, [], too_big, []))
        self.goto(ok)
        self.emit(llvm.BrOp(join, value))
        self.goto(join)
        return join.args[0]

    # -- boxing (new references)
    def incref(self, obj: SSAValue) -> None:
        slot = self.at(obj, OB_REFCNT)
        count = self.emit(llvm.LoadOp(slot, i64)).results[0]
        self.emit(llvm.StoreOp(self.emit(llvm.AddOp(count, self.const(1))).results[0], slot))

    def box(self, value: SSAValue, t: Attribute) -> SSAValue:
        if t == i64:
            out = self.call("PyLong_FromLongLong", value)
        elif t == f64:
            out = self.call("PyFloat_FromDouble", value)
        elif t == i1:
            out = self.emit(llvm.SelectOp(value, self.symbol("_Py_TrueStruct"), self.symbol("_Py_FalseStruct"))).results[0]
            self.incref(out)
        else:
            raise ValueError(f"cannot box {t}")
        assert out is not None
        return out

    def tuple_item(self, tup: SSAValue, index: int) -> SSAValue:
        return self.load(tup, TUPLE_ITEMS + 8 * index, PTR)

    def vectorcall(self, callable_: SSAValue, args: SSAValue, nargs: SSAValue) -> SSAValue:
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]
        out = self.call("PyObject_Vectorcall", callable_, args, nargs, null)
        assert out is not None
        return out


def _pred(name: str) -> IntegerAttr:
    return IntegerAttr(llvm.ICmpPredicateFlag(name).to_int(), i64)


class Builder:
    """A function body under construction: blocks, the current insertion block, constants."""

    def __init__(self, arg_types: list[Attribute]) -> None:
        from xdsl.ir import Region

        self.region = Region()
        self.current = self.block("entry", arg_types)

    def block(self, name: str | None = None, arg_types: list[Attribute] | None = None) -> Block:
        b = Block(arg_types=arg_types or [])
        b.name_hint = name
        self.region.add_block(b)
        return b

    def goto(self, b: Block) -> None:
        self.current = b

    def emit(self, op: Operation) -> Operation:
        self.current.add_op(op)
        return op

    def const(self, value: int | float, t: Attribute = i64) -> SSAValue:
        from xdsl.dialects.builtin import FloatAttr

        attr = FloatAttr(value, f64) if t == f64 else IntegerAttr(int(value), t)  # type: ignore[arg-type]
        return self.emit(llvm.ConstantOp(attr, t)).results[0]

    def objects(self) -> ObjectCode:
        return ObjectCode(self.emit, self.const, self.block, self.goto)
