"""The native ABI defined by the lowering (ruff/passes/lower_to_llvm.py) and used by the JIT (ruff/backend/).

It lives with the passes, the lower of its two users, so the backend imports the passes and never the
other way round. Deliberately free of heavy imports: the tiers may import NativeError at start-up.

Summary (the full description is at the top of ruff/passes/lower_to_llvm.py):
  * a native function takes and returns raw values (i64 ↔ int, f64 ↔ float, i1 ↔ bool);
  * a Ruff runtime error is reported through the module's error-slot globals: ERR_KIND (kind below),
    ERR_OP (operator below), ERR_LHS / ERR_RHS (operands), ERR_LINE (source line), ERR_FUNC (func id);
  * the call depth travels as a hidden argument and is checked against DEPTH_LIMIT; STACK_LIMIT is the
    lowest stack address native code may run at (0 = no check).  Both failures are ERR_STACK
    ("Stack overflow").
  * every loop polls: once every POLL_INTERVAL back-edges it releases and retakes the GIL (so the main
    thread can run Python's SIGINT handler) and reads the flag at INTERRUPT_PTR; a set flag is
    ERR_INTERRUPT, which the Python side raises as KeyboardInterrupt.
"""

from __future__ import annotations

ERR_NONE, ERR_OVERFLOW, ERR_DIV_ZERO, ERR_MOD_ZERO, ERR_STACK, ERR_INTERRUPT = 0, 1, 2, 3, 4, 5
OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG = 1, 2, 3, 4, 5, 6
OP_SYMBOLS = {OP_ADD: "+", OP_SUB: "-", OP_MUL: "*", OP_DIV: "/", OP_MOD: "%", OP_NEG: "-"}

ERR_KIND = "__ruff_err_kind"
ERR_OP = "__ruff_err_op"
ERR_LHS = "__ruff_err_lhs"
ERR_RHS = "__ruff_err_rhs"
ERR_LINE = "__ruff_err_line"
ERR_FUNC = "__ruff_err_func"
DEPTH_LIMIT = "__ruff_depth_limit"
STACK_LIMIT = "__ruff_stack_limit"
# Addresses of ruff.runtime.native_flags' flags (0: not set, never read).
INTERRUPT_PTR = "__ruff_interrupt_ptr"
STAND_ASIDE_PTR = "__ruff_stand_aside_ptr"
STATE_GLOBALS = (ERR_KIND, ERR_OP, ERR_LHS, ERR_RHS, ERR_LINE, ERR_FUNC, DEPTH_LIMIT, STACK_LIMIT, INTERRUPT_PTR,
                 STAND_ASIDE_PTR)
# A native loop lets go of the GIL and reads the interrupt flag once every this many back-edges.
POLL_INTERVAL = 1 << 16

DEFAULT_DEPTH_LIMIT = 1_000_000
DEFAULT_SYMBOL_PREFIX = "ruff."
IMPL_SUFFIX = "$impl"  # the internal body of `<prefix>name` is `<prefix>name$impl`
PY_ENTRY_SUFFIX = "$py"  # its METH_FASTCALL entry for CPython is `<prefix>name$py` (passes/_python_entry.py)

KIND_NAMES = {
    ERR_OVERFLOW: "overflow",
    ERR_DIV_ZERO: "division_by_zero",
    ERR_MOD_ZERO: "modulo_by_zero",
    ERR_STACK: "stack_overflow",
    ERR_INTERRUPT: "interrupted",
}


# Object-table key (see ruff/passes/_object_lowering.py) of the module's own NativeModule.raise_slot_error:
# native code on objects turns an error-slot error into the Ruff exception with it.
SLOT_ERROR_KEY = ["module", "raise_slot_error"]


def error_message(kind: int, op: int, lhs: int, rhs: int) -> str:
    """The Ruff runtime-error message for an error-slot state (same text as ruff.runtime.ops)."""
    if kind == ERR_OVERFLOW:
        if op == OP_NEG:
            return f"Integer overflow: -({lhs})"
        return f"Integer overflow: {lhs} {OP_SYMBOLS.get(op, '?')} {rhs}"
    if kind == ERR_DIV_ZERO:
        return "Division by zero"
    if kind == ERR_MOD_ZERO:
        return "Modulo by zero"
    if kind == ERR_STACK:
        return "Stack overflow"
    if kind == ERR_INTERRUPT:
        return "interrupted"
    return f"Native error {kind}"


class NativeError(Exception):
    """A Ruff runtime error raised inside native code.

    kind: "overflow" | "division_by_zero" | "modulo_by_zero" | "stack_overflow"
    message: the Ruff message ("Integer overflow: 9223372036854775807 + 1", "Division by zero", ...)
    line: the source line of the failing operation (0 when unknown)
    function: the Ruff name of the function that raised (for a stack overflow: where the limit was hit)
    """

    def __init__(self, kind: str, message: str, line: int = 0, function: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.function = function

    def __repr__(self) -> str:
        return f"NativeError({self.kind!r}, {self.message!r}, line={self.line}, function={self.function!r})"


# ----------------------------------------------------------------------------- CPython's object layout
# Native code reads CPython 3.11 objects directly where a type is guarded (64-bit builds). Offsets in bytes;
# tests/unit/test_cpython_layout.py checks each against the running interpreter with ctypes, and the cache
# key names the Python version, so code made for one layout never runs on another.
OB_REFCNT = 0  # Py_ssize_t
OB_TYPE = 8  # PyTypeObject*
OB_SIZE = 16  # PyVarObject: Py_ssize_t (an int's sign and digit count)
LONG_DIGITS = 24  # PyLongObject: uint32 digits of 30 bits
LONG_DIGIT_BITS = 30
FLOAT_VALUE = 16  # PyFloatObject: double
TUPLE_ITEMS = 24  # PyTupleObject: PyObject* items[]
LIST_ITEMS = 24  # PyListObject: PyObject** ob_item (its length is OB_SIZE)
ASCII_DATA = 48  # a compact ASCII str (PyUnicode_New(n, 127)): its n characters and a NUL follow the header
STR_LENGTH = 16  # PyASCIIObject: Py_ssize_t length (in characters)
STR_STATE = 32  # PyASCIIObject: the state bitfield (interned:2, kind:3, compact:1, ascii:1, ready:1)
STR_COMPACT_ASCII = 0x60  # state's compact and ascii bits: the characters follow the header at ASCII_DATA
METH_FASTCALL = 0x0080  # PyMethodDef.ml_flags: f(self, PyObject *const *args, Py_ssize_t nargs)
