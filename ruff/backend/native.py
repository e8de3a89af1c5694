"""Native functions and their module's runtime state, as Python sees them: ctypes only, no llvmlite.

A NativeModule is built from anything that can give the address of a function and of a global by name:
an MCJIT engine (ruff/backend/jit.py) or a shared library loaded from the native-code cache
(ruff/backend/shared_lib.py) — the latter needs neither xDSL nor llvmlite.
"""

from __future__ import annotations

import ctypes
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from ruff.passes import abi
from ruff.passes.abi import METH_FASTCALL, PY_ENTRY_SUFFIX, NativeError

# "!llvm.ptr" is a PyObject* of native object code: such a function is entered through its Python entry
# point (python_function), never through ctypes.
_TYPE_TO_CTYPE = {"i64": ctypes.c_int64, "f64": ctypes.c_double, "i1": ctypes.c_bool, "!llvm.ptr": ctypes.c_void_p}


# ----------------------------------------------------------------------------------- stack bounds

_STACK_MARGIN = 256 * 1024  # bytes kept free below the stack limit for the last frame, signals, Python


def _current_thread_stack_limit() -> int:
    """Lowest safe stack address for native code on the calling thread (0 if unknown: no sp check)."""
    try:
        libc = ctypes.CDLL(None)
        pthread_self = libc.pthread_self
        pthread_self.restype = ctypes.c_ulong
        attr = ctypes.create_string_buffer(256)  # pthread_attr_t: 56 bytes on x86-64, 64 on arm64
        if libc.pthread_getattr_np(ctypes.c_ulong(pthread_self()), attr) != 0:
            return 0
        addr, size = ctypes.c_void_p(), ctypes.c_size_t()
        ok = libc.pthread_attr_getstack(attr, ctypes.byref(addr), ctypes.byref(size)) == 0
        libc.pthread_attr_destroy(attr)
        if not ok or not addr.value or size.value <= 2 * _STACK_MARGIN:
            return 0
        return addr.value + _STACK_MARGIN
    except (AttributeError, OSError):
        return 0


_stack_limits: dict[int, int] = {}


def thread_stack_limit() -> int:
    tid = threading.get_ident()
    limit = _stack_limits.get(tid)
    if limit is None:
        limit = _stack_limits[tid] = _current_thread_stack_limit()
    return limit


# ------------------------------------------------------------------------------------ native module


@dataclass
class NativeFunction:
    """One compiled function: call it like a Python function with int/float/bool arguments (the entry point
    takes the caller's Ruff depth as a last, hidden argument: see call_at)."""

    name: str  # the Ruff name
    symbol: str  # the LLVM symbol
    arg_types: tuple[str, ...]  # "i64" | "f64" | "i1", the caller's depth (i64) last
    result_type: str | None
    address: int
    module: "NativeModule" = field(repr=False)
    cfunc: Any = field(repr=False, default=None)
    py_address: int = 0  # the METH_FASTCALL entry `<symbol>$py` (0 when the module has none)

    def __post_init__(self) -> None:
        restype = _TYPE_TO_CTYPE[self.result_type] if self.result_type else None
        proto = ctypes.PYFUNCTYPE(restype, *(_TYPE_TO_CTYPE[t] for t in self.arg_types))  # keeps the GIL
        self.cfunc = proto(self.address)

    def __call__(self, *args: Any) -> Any:
        """Call from Python code that is not a Ruff frame (tests, tools): as if from depth 0."""
        return self.call_at(0, *args)

    def python_function(self, on_miss: Any, on_error: Any) -> Any:
        """A builtin function object CPython calls straight into native code: f(closure, depth, *args).

        A guard that fails calls on_miss(closure, depth, *args), a Ruff error in native code on_error(...)
        (see ruff/passes/_python_entry.py); both are the baseline's own functions."""
        if not self.py_address:
            raise ValueError(f"{self.name} has no Python entry point")
        mod = self.module
        if threading.get_ident() != mod._thread:
            mod._enter_thread()
        definition = _PyMethodDef(self.name.encode(), self.py_address, METH_FASTCALL, None)
        fn = _new_cfunction(ctypes.addressof(definition), (on_miss, on_error), None)
        mod._method_defs.append(definition)  # must outlive every function object made from it
        return fn

    def call_at(self, depth: int, *args: Any) -> Any:
        """Call from a Ruff frame at `depth` (the function's own frame is depth + 1); scalar functions only."""
        if "!llvm.ptr" in self.arg_types or self.result_type == "!llvm.ptr":
            raise TypeError(f"{self.name} works on objects: call it through its Python entry point")
        mod = self.module
        if threading.get_ident() != mod._thread:
            mod._enter_thread()
        try:
            result = self.cfunc(*args, depth)
        except BaseException:
            mod._clear()
            raise
        if mod._kind.value:
            mod._raise()
        return result


class _PyMethodDef(ctypes.Structure):
    _fields_ = [("ml_name", ctypes.c_char_p), ("ml_meth", ctypes.c_void_p), ("ml_flags", ctypes.c_int),
                ("ml_doc", ctypes.c_char_p)]


def _cfunction_maker() -> Any:
    new = ctypes.pythonapi.PyCFunction_NewEx
    new.restype = ctypes.py_object
    new.argtypes = [ctypes.c_void_p, ctypes.py_object, ctypes.py_object]
    return new


_new_cfunction = _cfunction_maker()


class NativeModule:
    """The compiled form of one llvm-dialect module (its MCJIT engine, functions and error slot)."""

    def __init__(self, engine: Any, llvm_module: Any, signatures: list[tuple[str, str, tuple[str, ...], str | None, int]], ir_text: str = ""):
        self.engine = engine
        self.llvm_module = llvm_module  # owned by the engine (may be an empty module when loaded from an object)
        self.ir_text = ir_text  # the unoptimized LLVM IR, when known
        self.signatures = list(signatures)
        self.object_code: bytes | None = None
        addr = {g: engine.get_global_value_address(g) for g in abi.STATE_GLOBALS}
        self._slots = {g: ctypes.c_int64.from_address(a) for g, a in addr.items()}
        self._kind = self._slots[abi.ERR_KIND]
        from ruff.runtime import native_flags

        self._slots[abi.INTERRUPT_PTR].value = native_flags.address(native_flags.INTERRUPT)
        self._slots[abi.STAND_ASIDE_PTR].value = native_flags.address(native_flags.STAND_ASIDE)
        self._thread: int | None = None
        self.function_ids: dict[int, str] = {}
        self.symbol_names: dict[str, str] = {}  # IR symbol -> Ruff function name (filled by the tier)
        self.functions: dict[str, NativeFunction] = {}
        self._method_defs: list = []
        for name, symbol, args, result, func_id in signatures:
            fn = NativeFunction(name, symbol, args, result, engine.get_function_address(symbol), self)
            try:
                fn.py_address = engine.get_function_address(symbol + PY_ENTRY_SUFFIX) or 0
            except (AttributeError, ValueError):  # code made before Python entry points existed
                fn.py_address = 0
            self.functions[name] = fn
            self.function_ids[func_id] = name

    def __getitem__(self, name: str) -> NativeFunction:
        return self.functions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.functions

    @property
    def depth_limit(self) -> int:
        return self._slots[abi.DEPTH_LIMIT].value

    @depth_limit.setter
    def depth_limit(self, value: int) -> None:
        self._slots[abi.DEPTH_LIMIT].value = value

    def _enter_thread(self) -> None:
        self._thread = threading.get_ident()
        self._slots[abi.STACK_LIMIT].value = thread_stack_limit()

    def error_state(self) -> dict[str, int]:
        return {g: s.value for g, s in self._slots.items()}

    def bind_objects(self, keys: list[str], resolve: Any) -> None:
        """Fill the module's object table (globals __ruff_obj_<k>) with the objects its keys name; the
        module keeps them alive for as long as its code can run."""
        own = {json.dumps(abi.SLOT_ERROR_KEY): self.raise_slot_error}
        self._objects = [own[k] if k in own else resolve(k) for k in keys]
        for k, obj in enumerate(self._objects):
            address = self.engine.get_global_value_address(f"__ruff_obj_{k}")
            ctypes.c_int64.from_address(address).value = id(obj)

    def raise_slot_error(self) -> None:
        """Raise the error in the error slot as the Ruff error the baseline raises (native code on objects
        calls this where a check fails, then returns NULL; the slot is clear again)."""
        from ruff.runtime.values import RuffError

        try:
            self._raise()
        except NativeError as e:
            name = self.ruff_name(e.function)
            if e.kind == abi.KIND_NAMES[abi.ERR_STACK] and name:
                # the depth check runs in the callee's prologue, where the baseline names the callee too
                from ruff.runtime.objects import stack_overflow

                raise stack_overflow(name) from None
            raise RuffError(e.message) from None

    def ruff_name(self, function: str | None) -> str | None:
        """The Ruff name of one of the module's functions (a twin `f__ii` of symbol `f`), as far as the
        tier that loaded the module told `symbol_names`."""
        if not function:
            return None
        symbol = function
        while symbol not in self.symbol_names and "__" in symbol:
            symbol = symbol.rsplit("__", 1)[0]
        return self.symbol_names.get(symbol)

    def _clear(self) -> None:
        for g in (abi.ERR_KIND, abi.ERR_OP, abi.ERR_LHS, abi.ERR_RHS, abi.ERR_LINE, abi.ERR_FUNC):
            self._slots[g].value = 0

    def _raise(self) -> None:
        s = self._slots
        kind, op, lhs, rhs = s[abi.ERR_KIND].value, s[abi.ERR_OP].value, s[abi.ERR_LHS].value, s[abi.ERR_RHS].value
        line, func = s[abi.ERR_LINE].value, s[abi.ERR_FUNC].value
        self._clear()
        if kind == abi.ERR_INTERRUPT:
            from ruff.runtime import native_flags

            native_flags.clear_interrupt()
            raise KeyboardInterrupt
        raise NativeError(
            abi.KIND_NAMES.get(kind, str(kind)), abi.error_message(kind, op, lhs, rhs), line, self.function_ids.get(func)
        )


