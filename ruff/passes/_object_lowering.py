"""lower-to-llvm for native code on Ruff objects (a helper of lower-to-llvm, not a pass).

A `!ruff.value` is a `PyObject*`. Native code reads the runtime's own objects in place where their type is
known (an array's length and items, a float's value, an int's digit), calls CPython's C API to make new ones
(boxing, appending), and calls back into the runtime (ruff.runtime.native_support) for everything else:

- deoptimization: an op that cannot go on natively (a failed guard, an index out of range, an integer
  overflow) leaves through its frame state (`ruff.frame_state`): the values are boxed and handed to
  `NativeSupport.deopt`, whose interpreter continues the call from that bytecode position; its result is
  the function's result. Nothing that already happened happens again.
- generic ops: a boxed op with no native lowering runs bytecode instruction `ip` of its function on its
  operands (`NativeSupport.op`), exactly as the baseline would.
- errors: a NULL from the runtime is a Python exception in flight; native code releases what it owns,
  records its own frame on the error (`NativeSupport.frame`, so the Ruff stack is the baseline's), and
  returns NULL.

Objects native code needs — the support functions, constants, deoptimization sites — come from the module's
object table: globals `__ruff_obj_<k>` that the loader fills with the addresses of the objects named by the
table's keys (the module's `ruff.objects` attribute, kept in the native-code cache), so cached code holds no
process-specific address. References are counted exactly (see _ownership.py).
"""

from __future__ import annotations

from typing import Any, Callable

from xdsl.dialects import cf, llvm
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, StringAttr, f64, i1, i32, i64
from xdsl.ir import Attribute, Block, Operation, SSAValue

from ruff.passes.abi import LIST_ITEMS, OB_SIZE, SLOT_ERROR_KEY
from ruff.dialects import ruff
from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import StructType, field_offsets, method_attr, slot_offset
from ruff.passes._cpython import PTR, ObjectCode
from ruff.passes._decimal_text import ascii_layout_holds, cached_decimal_text, stored_text_key
from ruff.passes._ownership import EdgeActions, Ownership, is_boxed

OBJECT_GLOBAL = "__ruff_obj_{}"
# A field access's inline cache: the struct class last seen there and the field's byte offset in it
# (process-specific, so filled at run time, never stored in the cache of native code).
CACHE_CLASS, CACHE_OFFSET = "__ruff_ic_class_{}", "__ruff_ic_offset_{}"
OBJECTS_ATTR = "ruff.objects"  # the module's object table keys, in slot order (an ArrayAttr of strings)


def llvm_type(t: Attribute) -> Attribute:
    """The LLVM type of a ruff-level value: a boxed value is a PyObject*."""
    return PTR if t == ruff.VALUE else t


class ObjectTable:
    """The module's table of objects native code uses, by key (JSON text, e.g. '["support", "deopt"]')."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._slot: dict[str, int] = {}
        self.caches = 0  # field inline caches: two zero-initialized words each (see field_address)

    def cache(self) -> int:
        """A new field inline cache: its globals hold a struct class and the field's offset in it."""
        self.caches += 1
        return self.caches - 1

    def slot(self, key: list) -> int:
        import json

        text = json.dumps(key)
        k = self._slot.get(text)
        if k is None:
            k = self._slot[text] = len(self.keys)
            self.keys.append(text)
        return k

    def globals(self) -> list[llvm.GlobalOp]:
        return [llvm.GlobalOp(i64, OBJECT_GLOBAL.format(k), "external", value=IntegerAttr(0, i64), alignment=8)
                for k in range(len(self.keys))] + \
            [llvm.GlobalOp(i64, name.format(k), "internal", value=IntegerAttr(0, i64), alignment=8)
             for k in range(self.caches) for name in (CACHE_CLASS, CACHE_OFFSET)]

    def attribute(self) -> ArrayAttr:
        return ArrayAttr([StringAttr(k) for k in self.keys])


_FAILS_WITH = {"ruff.iadd": "integer overflow", "ruff.isub": "integer overflow", "ruff.imul": "integer overflow",
               "ruff.ineg": "integer overflow", "ruff.idiv": "division by zero or overflow",
               "ruff.imod": "modulo by zero or overflow", "ruff.fdiv": "division by zero",
               "ruff.fmod": "modulo by zero", "ruff.list_get": "index out of range",
               "ruff.list_set": "index out of range"}


def deopt_reason(op: Operation) -> str:
    """What made native code leave at `op`, in words for `--jit-log`."""
    if isinstance(op, ruff.GuardTypeOp):
        return f"type guard failed: a value is not {op.type_name.data}"
    if isinstance(op, ruff.CallDirectOp):
        return f"the call of {op.callee.root_reference.data} met an error"
    if isinstance(op, ruff.GuardOp) and isinstance(op.cond.owner, ruff.IsInstanceOp):
        return f"a method's receiver is not a {op.cond.owner.global_name.data}"
    return _FAILS_WITH.get(op.name, f"{op.name} failed")


def source_symbol(func: ruff.FuncOp) -> str:
    """The lifted function a twin came from: the symbol its chunk is known by in object keys."""
    origin = func.attributes.get(ruff.SPECIALIZED_FROM)
    return origin.data if isinstance(origin, StringAttr) else func.sym_name.data


class ObjectLowering:
    """Mixed into lower_to_llvm's _FuncLowering: the parts that handle objects."""

    # set by _FuncLowering
    func: ruff.FuncOp
    table: ObjectTable
    own: Ownership | None
    frame_depth: SSAValue | None
    values: dict
    current: Block | None
    moved: dict  # op → the operand whose reference it took over (see str_concat)

    # -- plumbing ------------------------------------------------------------------------------------
    def objects(self) -> ObjectCode:
        code = ObjectCode(self.emit, self.const, lambda name: self.new_block(name=name), self.goto)  # type: ignore[attr-defined]
        return code

    def goto(self, b: Block) -> None:
        self.current = b

    def note_c(self, code: ObjectCode) -> None:
        self.c_functions |= code.functions  # type: ignore[attr-defined]
        self.c_data |= code.data  # type: ignore[attr-defined]

    def table_object(self, key: list) -> SSAValue:
        """The object under `key` in the table (a borrowed reference the table keeps alive)."""
        k = self.table.slot(key)
        word = self.emit(llvm.LoadOp(self.emit(llvm.AddressOfOp(OBJECT_GLOBAL.format(k), PTR)).results[0], i64))  # type: ignore[attr-defined]
        return self.emit(llvm.IntToPtrOp(word.results[0])).results[0]  # type: ignore[attr-defined]

    def incref(self, obj: SSAValue) -> None:
        code = self.objects()
        code.incref(obj)
        self.note_c(code)

    def decref(self, obj: SSAValue) -> None:
        """Py_DECREF: one reference less; the last one deallocates."""
        code = self.objects()
        slot = code.at(obj, 0)
        count = self.emit(llvm.LoadOp(slot, i64)).results[0]  # type: ignore[attr-defined]
        left = self.emit(llvm.SubOp(count, self.const(1))).results[0]  # type: ignore[attr-defined]
        self.emit(llvm.StoreOp(left, slot))  # type: ignore[attr-defined]
        dead = self.emit(llvm.ICmpOp(left, self.const(0), _pred("eq"))).results[0]  # type: ignore[attr-defined]
        free, cont = self.new_block(name="dealloc"), self.new_block(name="released", after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(dead, free, [], cont, []))  # type: ignore[attr-defined]
        self.current = free
        self.emit(llvm.CallOp("_Py_Dealloc", obj))  # type: ignore[attr-defined]
        self.c_functions.add("_Py_Dealloc")  # type: ignore[attr-defined]
        self.emit(llvm.BrOp(cont))  # type: ignore[attr-defined]
        self.current = cont

    def release(self, values: list[SSAValue]) -> None:
        for v in values:
            if v in self.values:
                self.decref(self.values[v])

    def call_object(self, key: list, args: list[SSAValue]) -> SSAValue:
        """Call the table's object under `key` with these PyObject* arguments (vectorcall): a new reference,
        or NULL with a Python exception set."""
        callee = self.table_object(key)
        buffer = self.arg_buffer(len(args))
        for k, a in enumerate(args):
            slot = self.emit(llvm.GEPOp(buffer, [8 * k], _i8())).results[0]  # type: ignore[attr-defined]
            self.emit(llvm.StoreOp(a, slot))  # type: ignore[attr-defined]
        code = self.objects()
        out = code.vectorcall(callee, buffer, self.const(len(args)))  # type: ignore[attr-defined]
        self.note_c(code)
        return out

    def arg_buffer(self, n: int) -> SSAValue:
        """A stack array of n PyObject* for one call."""
        return self.entry_alloca(max(n, 1), PTR)

    def entry_alloca(self, count: int, t: Attribute) -> SSAValue:
        """Stack room for `count` values of type t, allocated at the start of the function (where LLVM
        turns a scalar slot into a register)."""
        entry = self.entry_block  # type: ignore[attr-defined]
        n = llvm.ConstantOp(IntegerAttr(count, i64), i64)
        slot = llvm.AllocaOp(n.results[0], t, alignment=8)
        first = entry.first_op
        if first is None:
            entry.add_ops([n, slot])
        else:
            entry.insert_ops_before([n, slot], first)
        return slot.results[0]

    def boxed_copy(self, v: SSAValue) -> tuple[SSAValue, bool]:
        """v as a PyObject* (boxing a raw value: then the second item is True and the caller releases it)."""
        lowered = self.values[v]
        if is_boxed(v):
            return lowered, False
        code = self.objects()
        out = code.box(lowered, v.type)
        self.note_c(code)
        return out, True

    def depth_object(self) -> SSAValue:
        if self.frame_depth is None:
            raise ValueError("an object function without its enter_frame")
        code = self.objects()
        out = code.call("PyLong_FromLongLong", self.frame_depth)
        self.note_c(code)
        assert out is not None
        return out

    def return_null(self) -> None:
        self.emit(llvm.ReturnOp(self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]))  # type: ignore[attr-defined]

    # -- leaving native code -----------------------------------------------------------------------------
    def deopt_block(self, state: SSAValue, at: Operation) -> Block:
        """A block that hands the call to the baseline at `state`'s position (see NativeSupport.deopt), frees
        what the function owns there, and returns what the baseline returns."""
        saved = self.current
        block = self.new_block(name="deopt")  # type: ignore[attr-defined]
        self.current = block
        fs = state.owner
        assert isinstance(fs, ruff.FrameStateOp)
        site = ["deopt", source_symbol(self.func), fs.ip.value.data, list(fs.slots.get_values()),
                len(fs.values) - len(fs.slots.get_values()), deopt_reason(at)]
        temps: list[SSAValue] = []
        args = [self.table_object(site)]
        depth = self.depth_object()
        temps.append(depth)
        args.append(depth)
        for v in fs.values:
            if isinstance(v.owner, Operation) and "ruff.deopt_only" in v.owner.attributes:
                obj = self.generic_call(v.owner, [])  # type: ignore[arg-type]
                self.check_null_in_exit(obj, temps)
                args.append(obj)
                temps.append(obj)
                continue
            obj, fresh = self.boxed_copy(v)
            args.append(obj)
            if fresh:
                temps.append(obj)
        result = self.call_object(["support", "deopt"], args)
        for t in temps:
            self.decref(t)
        assert self.own is not None
        self.release(sorted(self.own.alive_before(at.parent_block(), at), key=self.own.order.__getitem__))
        self.emit(llvm.ReturnOp(result))  # type: ignore[attr-defined]
        self.current = saved
        return block

    def deopt_if(self, cond: SSAValue, state: SSAValue, at: Operation) -> None:
        """Continue in a new block; leave through `state` when cond holds."""
        out = self.deopt_block(state, at)
        cont = self.new_block(after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(cond, out, [], cont, []))  # type: ignore[attr-defined]
        self.current = cont

    def check_null(self, value: SSAValue, at: Operation) -> None:
        """A NULL from the runtime is an error in flight: free what the function owns, add this frame to
        the error's Ruff stack, return NULL."""
        code = self.objects()
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        failed = code.same(value, null)
        self.note_c(code)
        self.error_if(failed, at)

    def error_if(self, failed: SSAValue, at: Operation) -> None:
        """Where `failed` holds, an error is in flight: free what the function owns, add this frame to the
        error's Ruff stack, return NULL; continue in a new block otherwise."""
        err = self.new_block(name="error")  # type: ignore[attr-defined]
        cont = self.new_block(after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(failed, err, [], cont, []))  # type: ignore[attr-defined]
        self.current = err
        assert self.own is not None
        self.release(sorted(self.own.alive_before(at.parent_block(), at) - set(at.results) - self.taken(at),
                            key=self.own.order.__getitem__))
        self.record_frame(at)
        self.return_null()
        self.current = cont

    def taken(self, op: Operation) -> set[SSAValue]:
        """The operand whose reference `op` took over (PyUnicode_Append's left side): op released it."""
        v = self.moved.get(op)
        return set() if v is None else {v}

    def slot_error_exit(self, at: Operation | None, own_frame: bool) -> None:
        """Leave with the error in the error slot as a Python exception (the module's raise_slot_error makes
        it, and clears the slot): free what the function owns at `at`, add this frame to the error's
        stack when own_frame, return NULL."""
        self.call_object(SLOT_ERROR_KEY, [])  # always NULL, the exception set
        if at is not None:
            assert self.own is not None
            self.release(sorted(self.own.alive_before(at.parent_block(), at) - set(at.results),
                                key=self.own.order.__getitem__))
            if own_frame:
                self.record_frame(at)
        self.return_null()

    def refuse_call(self) -> None:
        """The call is past the depth limit: the baseline's stack overflow error for this function (whose
        frame, never entered, is not in the error's stack), returning NULL."""
        self.call_object(["refuse", source_symbol(self.func)], [])
        self.return_null()

    def record_frame(self, at: Operation) -> None:
        """NativeSupport.frame(error, depth, site) with the error taken out of flight and put back after."""
        ip = at.attributes.get("ip")
        slots = [self.entry_alloca(1, PTR) for _ in range(3)]
        code = self.objects()
        code.call("PyErr_Fetch", *slots)
        code.call("PyErr_NormalizeException", *slots)
        self.note_c(code)
        exc = self.emit(llvm.LoadOp(slots[1], PTR)).results[0]  # type: ignore[attr-defined]
        depth = self.depth_object()
        site = self.table_object(["frame", source_symbol(self.func), ip.value.data if isinstance(ip, IntegerAttr) else -1,
                                  _line(at)])
        done = self.call_object(["support", "frame"], [exc, depth, site])
        self.decref(depth)
        code = self.objects()
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        ok = code.same(done, null)
        self.note_c(code)
        cleared, kept = self.new_block(name="frame_failed"), self.new_block(name="frame_recorded")  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(ok, cleared, [], kept, []))  # type: ignore[attr-defined]
        self.current = cleared
        code = self.objects()
        code.call("PyErr_Clear")
        self.note_c(code)
        self.emit(llvm.BrOp(kept))  # type: ignore[attr-defined]
        self.current = kept
        code = self.objects()
        code.call("PyErr_Restore", *(self.emit(llvm.LoadOp(s, PTR)).results[0] for s in slots))  # type: ignore[attr-defined]
        self.note_c(code)

    # -- ops -------------------------------------------------------------------------------------------
    def lower_object_op(self, op: Operation) -> bool:
        """Lower op if it is one of the object ops; False when it is not."""
        code = self.objects()
        if isinstance(op, ruff.FrameStateOp):
            return True  # only read by the exits that take it
        if isinstance(op, ruff.ConstantOp) and op.result.type == ruff.VALUE:
            self.values[op.result] = self.table_object(["literal", _literal(op.py_value)])
            return True
        if isinstance(op, ruff.BoxOp):
            self.values[op.result] = code.box(self.values[op.input], op.input.type)
        elif isinstance(op, ruff.GuardTypeOp):
            if op.state is None:
                raise ValueError("ruff.guard_type without a deopt state cannot be lowered")
            self.deopt_if(self.not_of_type(self.values[op.input], op.type_name.data), op.state, op)
        elif isinstance(op, ruff.GuardOp):
            failed = self.emit(llvm.XOrOp(self.values[op.cond], self.const(1, i1))).results[0]  # type: ignore[attr-defined]
            self.deopt_if(failed, op.state, op)
        elif isinstance(op, ruff.UnboxOp):
            obj, t = self.values[op.input], op.result.type
            if t == f64:
                self.values[op.result] = code.float_value(obj)
            elif t == i1:
                self.values[op.result] = code.bool_value(obj)
            else:
                self.values[op.result] = self.int_value(obj, op)
        elif isinstance(op, ruff.ListLenOp):
            self.values[op.result] = code.load(self.values[op.array], OB_SIZE, i64)
        elif isinstance(op, ruff.ListGetOp | ruff.ListSetOp):
            lst, idx = self.values[op.array], self.values[op.index]
            n = code.load(lst, OB_SIZE, i64)
            neg = self.emit(llvm.ICmpOp(idx, self.const(0), _pred("slt"))).results[0]  # type: ignore[attr-defined]
            wrapped = self.emit(llvm.SelectOp(neg, self.emit(llvm.AddOp(idx, n)).results[0], idx)).results[0]  # type: ignore[attr-defined]
            low = self.emit(llvm.ICmpOp(wrapped, self.const(0), _pred("slt"))).results[0]  # type: ignore[attr-defined]
            high = self.emit(llvm.ICmpOp(wrapped, n, _pred("sge"))).results[0]  # type: ignore[attr-defined]
            self.deopt_if(self.emit(llvm.OrOp(low, high)).results[0], op.state, op)  # type: ignore[attr-defined]
            items = code.load(lst, LIST_ITEMS, PTR)
            slot = self.emit(llvm.GEPOp(items, [llvm.GEP_USE_SSA_VAL], PTR, ssa_indices=[wrapped])).results[0]  # type: ignore[attr-defined]
            if isinstance(op, ruff.ListGetOp):
                item = self.emit(llvm.LoadOp(slot, PTR)).results[0]  # type: ignore[attr-defined]
                code.incref(item)
                self.values[op.result] = item
            else:
                value = self.values[op.value]
                code.incref(value)
                old = self.emit(llvm.LoadOp(slot, PTR)).results[0]  # type: ignore[attr-defined]
                self.emit(llvm.StoreOp(value, slot))  # type: ignore[attr-defined]
                self.note_c(code)
                self.decref(old)
        elif isinstance(op, ruff.StrSliceOp):
            self.str_slice(op)
        elif isinstance(op, ruff.DictGetOp):
            self.dict_get(op)
        elif isinstance(op, ruff.IntTextOp):
            if ascii_layout_holds():
                key = cached_decimal_text(code, self.values[op.index], self.table_object(["int_texts"]))
                self.note_c(code)
            else:  # (another interpreter: str() of the boxed int)
                number = code.box(self.values[op.index], i64)
                key = code.call("PyObject_Str", number)  # type: ignore[assignment]
                self.note_c(code)
                self.decref(number)
            self.check_null(key, op)
            self.values[op.result] = key
        elif isinstance(op, ruff.TextKeyOp):
            key = stored_text_key(code, self.values[op.text], self.table_object(["text_key"]))
            self.note_c(code)
            self.check_null(key, op)
            self.values[op.result] = key
        elif isinstance(op, ruff.StrConcatOp):
            self.str_concat(op)
        elif isinstance(op, ruff.StrMethodOp):
            args = [self.values[a] for a in op.args]
            buffer = self.arg_buffer(len(args))
            for k, a in enumerate(args):
                self.emit(llvm.StoreOp(a, self.emit(llvm.GEPOp(buffer, [8 * k], _i8())).results[0]))  # type: ignore[attr-defined]
            null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
            r = code.call("PyObject_VectorcallMethod", self.table_object(["literal", op.method.data]), buffer,
                          self.const(len(args)), null)
            assert r is not None
            self.note_c(code)
            self.check_null(r, op)
            self.values[op.result] = r
        elif isinstance(op, ruff.StrJoinOp):
            self.str_join(op)
        elif isinstance(op, ruff.DictItemOp):
            self.dict_item(op)
        elif isinstance(op, ruff.MakeDictOp) and _string_keys(op):
            self.make_dict(op)
        elif isinstance(op, ruff.DictSetOp):
            status = code.call("PyDict_SetItem", self.values[op.dict], self.values[op.key], self.values[op.value])
            assert status is not None
            self.note_c(code)
            self.fail_on_status(status, op)
        elif isinstance(op, ruff.ListAppendOp):
            status = code.call("PyList_Append", self.values[op.array], self.values[op.value])
            assert status is not None
            self.note_c(code)
            self.fail_on_status(status, op)
        elif isinstance(op, ruff.EqOp | ruff.NeOp) and _null_compared(op) is not None:
            self.compare_with_null(op, _null_compared(op))  # type: ignore[arg-type]
        elif isinstance(op, ruff.FieldGetOp):
            self.field_get(op)
        elif isinstance(op, ruff.FieldSetOp) and not op.results:
            self.field_set(op)
        elif isinstance(op, ruff.MakeArrayOp):
            self.make_array(op)
        elif isinstance(op, ruff.LoadGlobalOp) and "ruff.deopt_only" not in op.attributes:
            self.load_global(op)
        elif isinstance(op, ruff.MakeStructOp):
            self.make_struct(op)
        elif isinstance(op, ruff.IsInstanceOp):
            self.is_instance(op)
        elif isinstance(op, ruff.ArrayPushOp):
            self.array_push(op)
        elif isinstance(op, ruff.MakeIteratorOp):
            self.make_iterator(op)
        elif isinstance(op, ruff.IteratorNextOp):
            self.iterator_next(op)
        elif isinstance(op, ruff.TruthyOp) and is_boxed(op.operand):
            self.truthy(op)
        elif _is_generic(op):
            self.generic(op)
        else:
            return False
        self.note_c(code)
        return True

    def str_concat(self, op: ruff.StrConcatOp) -> None:
        """s + t. When native code's own reference to s dies here (s is not an argument or a constant, is not
        read again, and is not t too), PyUnicode_Append takes that reference over: CPython appends t in place
        when it is the string's only reference (refcount 1, not interned, no hash cached) and t's characters
        fit s's kind, and makes a new string otherwise — what the baseline's `s = s + t` gets from CPython's
        own in-place concatenation, so a loop building a string is linear. No one can observe the change: the
        one reference is native code's, and it dies here. Anywhere else, PyUnicode_Concat."""
        code = self.objects()
        lhs, rhs = self.values[op.lhs], self.values[op.rhs]
        assert self.own is not None
        block = op.parent_block()
        if op.lhs != op.rhs and block is not None and op.lhs in self.own.releases_after(block).get(op, ()):
            slot = self.entry_alloca(1, PTR)
            self.emit(llvm.StoreOp(lhs, slot))  # type: ignore[attr-defined]
            code.call("PyUnicode_Append", slot, rhs)  # on failure: the reference released, NULL in the slot
            r = self.emit(llvm.LoadOp(slot, PTR)).results[0]  # type: ignore[attr-defined]
            self.moved[op] = op.lhs
        else:
            r = code.call("PyUnicode_Concat", lhs, rhs)  # type: ignore[assignment]
            assert r is not None
        self.note_c(code)
        self.check_null(r, op)
        self.values[op.result] = r

    def compare_with_null(self, op: Operation, other: SSAValue) -> None:
        """`x == null` / `x != null`: null itself, a value of a built-in type (never equal to null), or a
        struct instance whose struct has no op_eq / op_ne (its Ruff methods are class attributes, see
        StructInstance) is answered in place; anything else (an overloaded operator) asks the runtime."""
        code = self.objects()
        obj = self.values[other]
        is_none = code.same(obj, code.symbol("_Py_NoneStruct"))
        known = is_none
        for t in ("PyLong_Type", "PyFloat_Type", "PyBool_Type", "PyUnicode_Type", "PyList_Type", "PyDict_Type"):
            known = self.emit(llvm.OrOp(known, code.is_exactly(obj, t))).results[0]  # type: ignore[attr-defined]
        cls = code.type_of(obj)
        is_struct = code.call("PyType_IsSubtype", cls, self.table_object(["class", "StructInstance"]))
        overload = method_attr("op_eq" if isinstance(op, ruff.EqOp) else "op_ne")
        method = code.call("_PyType_Lookup", cls, self.table_object(["literal", overload]))  # borrowed or NULL
        assert is_struct is not None and method is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        plain = self.emit(llvm.AndOp(  # type: ignore[attr-defined]
            self.emit(llvm.ICmpOp(is_struct, self.const(0, i32), _pred("ne"))).results[0],  # type: ignore[attr-defined]
            code.same(method, null))).results[0]
        known = self.emit(llvm.OrOp(known, plain)).results[0]  # type: ignore[attr-defined]
        self.note_c(code)

        def answer() -> SSAValue:
            code = self.objects()
            yes, no = code.symbol("_Py_TrueStruct"), code.symbol("_Py_FalseStruct")
            if isinstance(op, ruff.NeOp):
                yes, no = no, yes
            out = self.emit(llvm.SelectOp(is_none, yes, no)).results[0]  # type: ignore[attr-defined]
            code.incref(out)
            self.note_c(code)
            return out

        self.or_runtime(op, known, answer)

    def field_address(self, obj: SSAValue, field: str) -> tuple[SSAValue, SSAValue]:
        """(i1 found, the address of the field's PyObject* in obj): a struct instance keeps a field at a
        fixed offset of its class (StructType.field_offset). Each access site caches the last class it met
        and that offset; on another class NativeSupport.field_offset answers (-1: not a struct with that
        field) and a struct's class is cached. Not found: the address is meaningless."""
        k = self.table.cache()
        code = self.objects()
        cls = self.emit(llvm.PtrToIntOp(code.type_of(obj), i64)).results[0]  # type: ignore[attr-defined]
        class_slot = self.emit(llvm.AddressOfOp(CACHE_CLASS.format(k), PTR)).results[0]  # type: ignore[attr-defined]
        offset_slot = self.emit(llvm.AddressOfOp(CACHE_OFFSET.format(k), PTR)).results[0]  # type: ignore[attr-defined]
        cached = self.emit(llvm.LoadOp(class_slot, i64)).results[0]  # type: ignore[attr-defined]
        hit = self.emit(llvm.ICmpOp(cls, cached, _pred("eq"))).results[0]  # type: ignore[attr-defined]
        self.note_c(code)
        hit_b, miss_b = self.new_block(name="field_cached"), self.new_block(name="field_lookup")  # type: ignore[attr-defined]
        join = self.new_block(name="field_offset")  # type: ignore[attr-defined]
        join.insert_arg(i64, 0)
        self.emit(llvm.CondBrOp(hit, hit_b, [], miss_b, []))  # type: ignore[attr-defined]
        self.current = hit_b
        self.emit(llvm.BrOp(join, self.emit(llvm.LoadOp(offset_slot, i64)).results[0]))  # type: ignore[attr-defined]
        self.current = miss_b
        answer = self.call_object(["support", "field_offset"], [obj, self.table_object(["literal", field])])
        code = self.objects()
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        failed = code.same(answer, null)
        self.note_c(code)
        got, lost = self.new_block(name="field_answer"), self.new_block(name="field_no_answer")  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(failed, lost, [], got, []))  # type: ignore[attr-defined]
        self.current = lost  # (it does not raise; if it ever did, the runtime's path says what is wrong)
        code = self.objects()
        code.call("PyErr_Clear")
        self.note_c(code)
        self.emit(llvm.BrOp(join, self.const(-1)))  # type: ignore[attr-defined]
        self.current = got
        code = self.objects()
        offset = code.call("PyLong_AsLongLong", answer)
        assert offset is not None
        self.note_c(code)
        self.decref(answer)
        is_struct = self.emit(llvm.ICmpOp(offset, self.const(0), _pred("sge"))).results[0]  # type: ignore[attr-defined]
        fill, done = self.new_block(name="field_cache_fill"), self.new_block(name="field_cache_done")  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(is_struct, fill, [], done, []))  # type: ignore[attr-defined]
        self.current = fill
        self.emit(llvm.StoreOp(offset, offset_slot))  # type: ignore[attr-defined]
        self.emit(llvm.StoreOp(cls, class_slot))  # type: ignore[attr-defined]
        self.emit(llvm.BrOp(done))  # type: ignore[attr-defined]
        self.current = done
        self.emit(llvm.BrOp(join, offset))  # type: ignore[attr-defined]
        self.current = join
        off = join.args[0]
        found = self.emit(llvm.ICmpOp(off, self.const(0), _pred("sge"))).results[0]  # type: ignore[attr-defined]
        address = self.emit(llvm.GEPOp(obj, [llvm.GEP_USE_SSA_VAL], _i8(), ssa_indices=[off])).results[0]  # type: ignore[attr-defined]
        return found, address

    def field_get(self, op: ruff.FieldGetOp) -> None:
        """A struct's field: its PyObject* read at the field's offset (field_address); on anything else (a
        dict, a method, no such field) the runtime does what the baseline does."""
        found, address = self.field_address(self.values[op.object], op.field.data)

        def read() -> SSAValue:
            item = self.emit(llvm.LoadOp(address, PTR)).results[0]  # type: ignore[attr-defined]
            self.incref(item)  # every field of a struct is always set
            return item

        self.or_runtime(op, found, read)

    def field_set(self, op: ruff.FieldSetOp) -> None:
        """A struct's field: the new value (a float computed natively is boxed once, by the ruff.box before
        this op) stored at the field's offset (field_address), the old one let go. Anything else goes to
        the runtime."""
        found, address = self.field_address(self.values[op.object], op.field.data)
        fast, slow = self.new_block(name="field_set"), self.new_block(name="field_set_other")  # type: ignore[attr-defined]
        join = self.new_block(name="field_done")  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(found, fast, [], slow, []))  # type: ignore[attr-defined]
        self.current = fast
        old = self.emit(llvm.LoadOp(address, PTR)).results[0]  # type: ignore[attr-defined]
        value, fresh = self.boxed_copy(op.value)
        if not fresh:
            self.incref(value)  # the struct's own reference
        self.emit(llvm.StoreOp(value, address))  # type: ignore[attr-defined]
        self.decref(old)
        self.emit(llvm.BrOp(join))  # type: ignore[attr-defined]
        self.current = slow
        self.generic(op)
        self.emit(llvm.BrOp(join))  # type: ignore[attr-defined]
        self.current = join

    def str_slice(self, op: ruff.StrSliceOp) -> None:
        """PyUnicode_Substring with the bounds substring() uses: a negative bound counts as 0 (the end is
        clamped to the length, an empty range gives "" by CPython itself)."""
        code = self.objects()
        zero = self.const(0)
        bounds = []
        for b in (self.values[op.start], self.values[op.end]):
            neg = self.emit(llvm.ICmpOp(b, zero, _pred("slt"))).results[0]  # type: ignore[attr-defined]
            bounds.append(self.emit(llvm.SelectOp(neg, zero, b)).results[0])  # type: ignore[attr-defined]
        r = code.call("PyUnicode_Substring", self.values[op.string], *bounds)
        assert r is not None
        self.note_c(code)
        self.check_null(r, op)
        self.values[op.result] = r

    def dict_lookup(self, op: ruff.DictGetOp | ruff.DictItemOp) -> tuple[SSAValue, Block]:
        """PyDict_GetItemWithError(d, k), continuing where the key was found with its value (borrowed); the
        block returned, still open, is where the key is absent; an error (it asks PyErr_Occurred only when
        the answer is NULL) leaves the function."""
        code = self.objects()
        found = code.call("PyDict_GetItemWithError", self.values[op.dict], self.values[op.key])
        assert found is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        missing = self.new_block(name="dict_missing")  # type: ignore[attr-defined]
        there = self.new_block(name="dict_found", after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(code.same(found, null), missing, [], there, []))  # type: ignore[attr-defined]
        self.current = missing
        pending = code.call("PyErr_Occurred")
        assert pending is not None
        self.note_c(code)
        self.error_if(self.emit(llvm.XOrOp(code.same(pending, null), self.const(1, i1))).results[0], op)  # type: ignore[attr-defined]
        absent = self.current
        self.current = there
        return found, absent

    def dict_get(self, op: ruff.DictGetOp) -> None:
        """The value (dict_lookup) or the default, with a reference of its own."""
        found, missing = self.dict_lookup(op)
        join = self.new_block(name="dict_value")  # type: ignore[attr-defined]
        join.insert_arg(PTR, 0)
        self.emit(llvm.BrOp(join, found))  # type: ignore[attr-defined]
        self.current = missing
        self.emit(llvm.BrOp(join, self.values[op.default]))  # type: ignore[attr-defined]
        self.current = join
        value = join.args[0]
        self.incref(value)
        self.values[op.result] = value

    def dict_item(self, op: ruff.DictItemOp) -> None:
        """The value (dict_lookup) with a reference of its own; an absent key deoptimizes (the baseline
        raises "Missing map key")."""
        found, missing = self.dict_lookup(op)
        there = self.current
        self.current = missing
        self.emit(llvm.BrOp(self.deopt_block(op.state, op)))  # type: ignore[attr-defined]
        self.current = there
        self.incref(found)
        self.values[op.result] = found

    def str_join(self, op: ruff.StrJoinOp) -> None:
        """PyUnicode_Join; it fails only on an item that is not a string (or out of memory): the error is
        dropped and the call deoptimizes, the baseline's join then does what it does with such items."""
        code = self.objects()
        r = code.call("PyUnicode_Join", self.values[op.sep], self.values[op.items])
        assert r is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        failed = code.same(r, null)
        self.note_c(code)
        out = self.deopt_block(op.state, op)
        clear = self.new_block(name="join_failed")  # type: ignore[attr-defined]
        cont = self.new_block(after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(failed, clear, [], cont, []))  # type: ignore[attr-defined]
        self.current = clear
        code = self.objects()
        code.call("PyErr_Clear")
        self.note_c(code)
        self.emit(llvm.BrOp(out))  # type: ignore[attr-defined]
        self.current = cont
        self.values[op.result] = r

    def make_dict(self, op: ruff.MakeDictOp) -> None:
        """A dict literal with constant string keys: _PyDict_NewPresized, then each entry in order (the
        dict takes references of its own)."""
        code = self.objects()
        d = code.call("_PyDict_NewPresized", self.const(len(op.entries) // 2))
        assert d is not None
        self.note_c(code)
        self.check_null(d, op)
        entries = list(op.entries)
        for k in range(0, len(entries), 2):
            value, fresh = self.boxed_copy(entries[k + 1])
            code = self.objects()
            status = code.call("PyDict_SetItem", d, self.values[entries[k]], value)
            assert status is not None
            self.note_c(code)
            if fresh:
                self.decref(value)
            self.fail_on_status(status, op)
        self.values[op.result] = d

    def array_push(self, op: ruff.ArrayPushOp) -> None:
        """On a list: PyList_Append in place; on anything else, the runtime's push (which says what is
        wrong)."""
        code = self.objects()
        arr = self.values[op.array]
        is_list = code.is_exactly(arr, "PyList_Type")
        self.note_c(code)

        def append() -> None:
            item, fresh = self.boxed_copy(op.value)
            code = self.objects()
            status = code.call("PyList_Append", arr, item)
            assert status is not None
            self.note_c(code)
            if fresh:
                self.decref(item)
            self.fail_on_status(status, op)

        self.or_runtime(op, is_list, append)

    def make_array(self, op: ruff.MakeArrayOp) -> None:
        """PyList_New(n), each element stored in place (the list takes a reference of its own)."""
        code = self.objects()
        lst = code.call("PyList_New", self.const(len(op.elements)))
        assert lst is not None
        self.note_c(code)
        self.check_null(lst, op)
        code = self.objects()
        items = code.load(lst, LIST_ITEMS, PTR)
        for k, element in enumerate(op.elements):
            obj, fresh = self.boxed_copy(element)
            if not fresh:
                code.incref(obj)
            self.emit(llvm.StoreOp(obj, self.emit(llvm.GEPOp(items, [8 * k], _i8())).results[0]))  # type: ignore[attr-defined]
        self.note_c(code)
        self.values[op.result] = lst

    def load_global(self, op: ruff.LoadGlobalOp) -> None:
        """A global of the module: looked up in its globals dict (the table's, so the code holds no address)
        by the interned name; a name that is not there (a builtin, or undefined) asks the runtime."""
        code = self.objects()
        found = code.call("PyDict_GetItem", self.table_object(["globals"]),
                          self.table_object(["literal", op.global_name.data]))  # borrowed, or NULL
        assert found is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        there = self.emit(llvm.XOrOp(code.same(found, null), self.const(1, i1))).results[0]  # type: ignore[attr-defined]
        self.note_c(code)

        def read() -> SSAValue:
            self.incref(found)
            return found

        self.or_runtime(op, there, read)

    def make_struct(self, op: ruff.MakeStructOp) -> None:
        """`T { f: v, .. }` naming every field of T in declaration order (T's `fields` is the table's tuple
        of these names): a new instance of T's class, each field stored at its offset (field_offsets), as
        the fast tier builds one. Any other T (defaults to fill, another order, not a struct type) goes to
        the runtime, which also says what is wrong."""
        names = tuple(f.data for f in op.fields.data)
        if len(set(names)) != len(names):  # (a field named twice: the runtime keeps the last)
            self.generic(op)
            return
        offsets = field_offsets(names)
        code = self.objects()
        stype = self.values[op.struct_type]
        is_type = code.same(code.type_of(stype), self.table_object(["class", "StructType"]))
        self.note_c(code)
        typed, other = self.new_block(name="struct_type"), self.new_block(name="runtime")  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(is_type, typed, [], other, []))  # type: ignore[attr-defined]
        self.current = typed
        code = self.objects()
        fields = code.load(stype, slot_offset(StructType, "fields"), PTR)
        same_fields = code.same(fields, self.table_object(["fields", list(names)]))
        self.note_c(code)
        fast, join = self.new_block(name="struct_new"), self.new_block(name="joined")  # type: ignore[attr-defined]
        join.insert_arg(PTR, 0)
        self.emit(llvm.CondBrOp(same_fields, fast, [], other, []))  # type: ignore[attr-defined]
        self.current = fast
        code = self.objects()
        cls = code.load(stype, slot_offset(StructType, "cls"), PTR)
        obj = code.call("PyType_GenericAlloc", cls, self.const(0))  # zeroed, GC-tracked, holds its class
        assert obj is not None
        self.note_c(code)
        self.check_null(obj, op)
        for name, value in zip(names, op.values):
            item, fresh = self.boxed_copy(value)
            if not fresh:
                self.incref(item)  # the instance's own reference
            code = self.objects()
            self.emit(llvm.StoreOp(item, code.at(obj, offsets[name])))  # type: ignore[attr-defined]
        self.emit(llvm.BrOp(join, obj))  # type: ignore[attr-defined]
        self.current = other
        self.generic(op)
        self.emit(llvm.BrOp(join, self.values[op.result]))  # type: ignore[attr-defined]
        self.current = join
        self.values[op.result] = join.args[0]

    def is_instance(self, op: ruff.IsInstanceOp) -> None:
        """obj's class is the `cls` of the struct type the global holds now: the global looked up in the
        module's globals dict and the class read from the struct type, as load_global and make_struct do (the
        code holds no address); a global that is not there, or holds no struct type, is false."""
        code = self.objects()
        found = code.call("PyDict_GetItem", self.table_object(["globals"]),
                          self.table_object(["literal", op.global_name.data]))  # borrowed, or NULL
        assert found is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        missing = code.same(found, null)
        self.note_c(code)
        there, typed = self.new_block(name="global_there"), self.new_block(name="is_struct_type")  # type: ignore[attr-defined]
        join = self.new_block(name="is_instance")  # type: ignore[attr-defined]
        join.insert_arg(i1, 0)
        self.emit(llvm.CondBrOp(missing, join, [self.const(0, i1)], there, []))  # type: ignore[attr-defined]
        self.current = there
        code = self.objects()
        is_type = code.same(code.type_of(found), self.table_object(["class", "StructType"]))
        self.note_c(code)
        self.emit(llvm.CondBrOp(is_type, typed, [], join, [self.const(0, i1)]))  # type: ignore[attr-defined]
        self.current = typed
        code = self.objects()
        obj = self.values[op.object]
        same = code.same(code.type_of(obj), code.load(found, slot_offset(StructType, "cls"), PTR))
        self.note_c(code)
        self.emit(llvm.BrOp(join, same))  # type: ignore[attr-defined]
        self.current = join
        self.values[op.result] = join.args[0]

    def make_iterator(self, op: ruff.MakeIteratorOp) -> None:
        """An array's iterator is CPython's list iterator (as the runtime's make_iterator makes it):
        PyObject_GetIter on an exact list; anything else asks the runtime."""
        code = self.objects()
        obj = self.values[op.iterable]
        is_list = code.is_exactly(obj, "PyList_Type")
        self.note_c(code)

        def iterate() -> SSAValue:
            code = self.objects()
            it = code.call("PyObject_GetIter", obj)
            assert it is not None
            self.note_c(code)
            self.check_null(it, op)
            return it

        self.or_runtime(op, is_list, iterate)

    def iterator_next(self, op: ruff.IteratorNextOp) -> None:
        """PyIter_Next: the next value (a new reference), or NULL when the iterator is done — or failed, when
        an exception is set. Done, the value is None (a reference of its own, so it is let go like any)."""
        code = self.objects()
        item = code.call("PyIter_Next", self.values[op.iterator])
        assert item is not None
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        done = code.same(item, null)
        self.note_c(code)
        finished, cont = self.new_block(name="iter_done"), self.new_block(name="iter_next")  # type: ignore[attr-defined]
        cont.insert_arg(PTR, 0)
        self.emit(llvm.CondBrOp(done, finished, [], cont, [item]))  # type: ignore[attr-defined]
        self.current = finished
        code = self.objects()
        raised = code.call("PyErr_Occurred")
        assert raised is not None
        none = code.symbol("_Py_NoneStruct")
        self.note_c(code)
        code = self.objects()
        self.check_null(self.emit(llvm.SelectOp(code.same(raised, null), none, null)).results[0], op)  # type: ignore[attr-defined]
        self.note_c(code)
        self.incref(none)
        self.emit(llvm.BrOp(cont, none))  # type: ignore[attr-defined]
        self.current = cont
        ok = self.emit(llvm.ICmpOp(self.emit(llvm.PtrToIntOp(item, i64)).results[0],  # type: ignore[attr-defined]
                                   self.const(0), _pred("ne"))).results[0]
        self.values[op.has_value] = ok
        self.values[op.value] = cont.args[0]

    def truthy(self, op: ruff.TruthyOp) -> None:
        """A bool is its own truth value (read in place); anything else asks the runtime."""
        code = self.objects()
        obj = self.values[op.operand]
        is_bool = code.is_exactly(obj, "PyBool_Type")
        self.note_c(code)

        def read() -> SSAValue:
            code = self.objects()
            out = code.bool_value(obj)
            self.note_c(code)
            return out

        self.or_runtime(op, is_bool, read)

    def fail_on_status(self, status: SSAValue, op: Operation) -> None:
        """A C API call's int status: non-zero is an error in flight — free what the function owns, return
        NULL; continue in a new block otherwise."""
        failed = self.emit(llvm.ICmpOp(status, self.const(0, i32), _pred("ne"))).results[0]  # type: ignore[attr-defined]
        err = self.new_block(name="error")  # type: ignore[attr-defined]
        cont = self.new_block(after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(failed, err, [], cont, []))  # type: ignore[attr-defined]
        self.current = err
        assert self.own is not None
        self.release(sorted(self.own.alive_before(op.parent_block(), op), key=self.own.order.__getitem__))
        self.return_null()
        self.current = cont

    def or_runtime(self, op: Operation, fast_when: SSAValue, fast: Callable[[], SSAValue | None],
                   clear_error: bool = False) -> None:
        """op's own lowering `fast()` (emitting its code, giving op's result, if any) where `fast_when`
        holds; elsewhere the runtime runs op (after dropping the Python error the fast attempt left, when
        clear_error). Both meet in a block that continues with op's result."""
        fast_b, slow_b = self.new_block(name="fast"), self.new_block(name="runtime")  # type: ignore[attr-defined]
        join = self.new_block(name="joined")  # type: ignore[attr-defined]
        result = op.results[0] if op.results else None
        if result is not None:
            join.insert_arg(PTR if result.type == ruff.VALUE else result.type, 0)
        self.emit(llvm.CondBrOp(fast_when, fast_b, [], slow_b, []))  # type: ignore[attr-defined]
        self.current = fast_b
        value = fast()
        self.emit(llvm.BrOp(join, *([value] if result is not None else [])))  # type: ignore[attr-defined]
        self.current = slow_b
        if clear_error:
            code = self.objects()
            code.call("PyErr_Clear")
            self.note_c(code)
        self.generic(op)
        self.emit(llvm.BrOp(join, *([self.values[result]] if result is not None else [])))  # type: ignore[attr-defined]
        self.current = join
        if result is not None:
            self.values[result] = join.args[0]

    def generic(self, op: Operation) -> None:
        """A boxed op with no native lowering: the runtime runs its bytecode instruction on the operands."""
        if "ruff.deopt_only" in op.attributes:
            return  # made by the deoptimization exits that read it
        temps: list[SSAValue] = []
        operands = []
        for o in op.operands:
            obj, fresh = self.boxed_copy(o)
            operands.append(obj)
            if fresh:
                temps.append(obj)
        result = self.generic_call(op, operands)
        for t in temps:
            self.decref(t)
        self.check_null(result, op)
        if not op.results:
            self.decref(result)  # None
            return
        r = op.results[0]
        if r.type == ruff.VALUE:
            self.values[r] = result
            return
        # A raw result (a truth value, say): the runtime's answer unboxed, then let go.
        code = self.objects()
        if r.type == i1:
            self.values[r] = code.bool_value(result)
        elif r.type == f64:
            self.values[r] = code.float_value(result)
        else:
            self.values[r] = self.int_value(result, op)
        self.note_c(code)
        self.decref(result)

    def generic_call(self, op: Operation, operands: list[SSAValue]) -> SSAValue:
        """NativeSupport.op(site, depth, *operands) for op's bytecode instruction: a new reference or NULL."""
        ip = op.attributes.get("ip")
        if not isinstance(ip, IntegerAttr):
            raise ValueError(f"'{op.name}' has no native lowering and no bytecode position to run it at")
        depth = self.depth_object()
        result = self.call_object(["support", "op"],
                                  [self.table_object(["op", source_symbol(self.func), ip.value.data]), depth, *operands])
        self.decref(depth)
        return result

    def check_null_in_exit(self, value: SSAValue, temps: list[SSAValue]) -> None:
        """In an exit: a NULL from the runtime there ends the call with that error (after freeing temps)."""
        code = self.objects()
        null = self.emit(llvm.ZeroOp(result_types=[PTR])).results[0]  # type: ignore[attr-defined]
        failed = code.same(value, null)
        self.note_c(code)
        err = self.new_block(name="error")  # type: ignore[attr-defined]
        cont = self.new_block(after=self.current)  # type: ignore[attr-defined]
        self.emit(llvm.CondBrOp(failed, err, [], cont, []))  # type: ignore[attr-defined]
        self.current = err
        for t in temps:
            self.decref(t)
        self.return_null()
        self.current = cont

    def not_of_type(self, obj: SSAValue, type_name: str) -> SSAValue:
        """i1: obj's dynamic type is not `type_name` (exactly, as the runtime's type_name says)."""
        symbol = {"int": "PyLong_Type", "float": "PyFloat_Type", "bool": "PyBool_Type", "array": "PyList_Type",
                  "string": "PyUnicode_Type", "dict": "PyDict_Type"}.get(type_name)
        if symbol is None:
            raise ValueError(f"no native guard for type {type_name}")
        code = self.objects()
        same = code.is_exactly(obj, symbol)
        self.note_c(code)
        return self.emit(llvm.XOrOp(same, self.const(1, i1))).results[0]  # type: ignore[attr-defined]

    def int_value(self, obj: SSAValue, at: Operation) -> SSAValue:
        code = self.objects()
        slot = self.entry_alloca(1, i32)
        too_big = self.new_block(name="int_too_big")  # type: ignore[attr-defined]
        value = code.int_value(obj, slot, too_big)
        self.note_c(code)
        saved = self.current
        self.current = too_big
        self.emit(llvm.UnreachableOp())  # type: ignore[attr-defined]  # Ruff never makes an int beyond i64
        self.current = saved
        return value

    # -- control flow with references ----------------------------------------------------------------------
    def edge_block(self, source: Block, index: int, target: Block, args: list[SSAValue]) -> tuple[Block, list]:
        """Where a branch goes: the target, or a block in front of it taking and releasing references."""
        assert self.own is not None
        actions: EdgeActions = self.own.edge(source, index)
        if not actions:
            return target, args
        saved = self.current
        b = self.new_block(arg_types=[a.type for a in args], name="edge")  # type: ignore[attr-defined]
        self.current = b
        for v in actions.increfs:
            self.incref(self.values[v])
        self.release(actions.releases)
        self.emit(llvm.BrOp(target, *b.args))  # type: ignore[attr-defined]
        self.current = saved
        return b, args


def _is_generic(op: Operation) -> bool:
    """A lifted boxed op (operands or results !ruff.value) with no dedicated native lowering."""
    return any(is_boxed(v) for v in (*op.operands, *op.results)) and not isinstance(
        op, ruff.ReturnOp | ruff.CallDirectOp | cf.BranchOp | cf.ConditionalBranchOp)


# Ops on objects with a lowering of their own (everything else boxed goes through NativeSupport.op).
_DEDICATED = (ruff.FrameStateOp, ruff.ConstantOp, ruff.BoxOp, ruff.GuardTypeOp, ruff.UnboxOp, ruff.ListLenOp,
              ruff.ListGetOp, ruff.ListSetOp, ruff.ListAppendOp, ruff.IteratorNextOp, ruff.TruthyOp, ruff.MakeArrayOp,
              ruff.ArrayPushOp, ruff.FieldGetOp, ruff.FieldSetOp, ruff.MakeIteratorOp, ruff.StrSliceOp, ruff.DictGetOp,
              ruff.DictSetOp, ruff.DictItemOp, ruff.IntTextOp, ruff.TextKeyOp, ruff.StrConcatOp, ruff.StrMethodOp, ruff.StrJoinOp,
              ruff.LoadGlobalOp, ruff.MakeStructOp, ruff.IsInstanceOp)


def _string_keys(op: Operation) -> bool:
    """A dict literal whose keys are all constant strings that are their own stored keys (no conversion, no
    key error; ruff.runtime.dict_keys)."""
    keys = list(op.operands)[0::2]
    return all(isinstance(k.owner, ruff.ConstantOp) and type(k.owner.py_value) is str
               and type(text_key(k.owner.py_value)) is str for k in keys)


def runtime_calls(func: ruff.FuncOp) -> tuple[list[str], int, list[str]]:
    """The ops of func that its native code would hand to the runtime one by one (a Python call each), the
    number of ops that do work, and the runtime ops inside loops (what the JIT weighs to decide whether
    native code pays)."""
    calls: list[str] = []
    in_loops: list[str] = []
    work = 0
    looping = blocks_in_loops(func)
    for op in func.walk():
        if isinstance(op, ruff.FuncOp | ruff.FrameStateOp | ruff.ConstantOp | cf.BranchOp) or \
                "ruff.deopt_only" in op.attributes:
            continue
        work += 1
        dedicated = isinstance(op, _DEDICATED) or (isinstance(op, ruff.MakeDictOp) and _string_keys(op)) or (isinstance(op, ruff.EqOp | ruff.NeOp) and _null_compared(op) is not None)
        if _is_generic(op) and not dedicated:  # (== null asks the runtime only on an overloading struct)
            calls.append(op.name)
            if op.parent_block() in looping:
                in_loops.append(op.name)
    return calls, work, in_loops


def blocks_in_loops(func: ruff.FuncOp) -> set[Block]:
    """The blocks of func that can reach themselves."""
    blocks = list(func.body.blocks)
    succs = {b: list(b.last_op.successors) if b.last_op is not None else [] for b in blocks}
    out: set[Block] = set()
    for b in blocks:
        seen: set[Block] = set()
        todo = list(succs[b])
        while todo:
            x = todo.pop()
            if x is b:
                out.add(b)
                break
            if x not in seen:
                seen.add(x)
                todo.extend(succs.get(x, ()))
    return out


def _null_compared(op: Operation) -> SSAValue | None:
    """The operand an == or != compares with a null constant (None when neither side is one)."""
    for side, other in ((op.operands[1], op.operands[0]), (op.operands[0], op.operands[1])):
        owner = side.owner
        if isinstance(owner, ruff.ConstantOp) and owner.result.type == ruff.VALUE and owner.py_value is None:
            return other
    return None


def _literal(value: Any) -> Any:
    """A constant's value as JSON (floats by repr: NaN and infinities are not JSON)."""
    if type(value) is float:
        return {"float": repr(value)}
    return value


def _line(op: Operation) -> int:
    line = op.properties.get("line")
    return line.value.data if isinstance(line, IntegerAttr) else 0


def _pred(name: str) -> IntegerAttr:
    return IntegerAttr(llvm.ICmpPredicateFlag(name).to_int(), i64)


def _i8() -> Attribute:
    from xdsl.dialects.builtin import IntegerType

    return IntegerType(8)
