"""An i64's decimal text as a new Python str, written by native code (a helper of lower-to-llvm, not a pass).

`str(i)` through the C API boxes i (PyLong_FromLongLong), formats it in base 10**9 (long_to_decimal_string)
and frees the box. Native code knows i's digits already: it sizes the text, asks PyUnicode_New for a compact
ASCII string of that length and stores the characters in place (a compact ASCII string's characters follow
its header at ASCII_DATA; the compiler writes this code only when the running interpreter has that layout,
see ascii_layout_holds). The string is the same as str(i): same characters, kind, length; its hash is
computed when first needed, as for any new string.

cached_decimal_text first looks in the runtime's cache of int texts (ruff/runtime/int_texts.py: one shared
str per small non-negative int, which is what makes an int dict key cheap: no allocation, a hash computed
once, and a dict probe that finds its stored key by identity).
"""

from __future__ import annotations

import sys
from typing import Optional

from xdsl.dialects import llvm
from xdsl.dialects.builtin import IntegerType, i32, i64
from xdsl.ir import SSAValue

from ruff.passes.abi import ASCII_DATA, LIST_ITEMS, OB_REFCNT, OB_SIZE, STR_COMPACT_ASCII, STR_LENGTH, STR_STATE
from ruff.passes._cpython import PTR, ObjectCode, _pred

# An i64's magnitude is at most 2**63 < 10**19: at most 19 digits, one more for a minus sign.
_POWERS = [10 ** k for k in range(1, 19)]
_layout_holds: Optional[bool] = None


def ascii_layout_holds() -> bool:
    """ASCII_DATA checked against the running interpreter (once per process): CPython 3.11, whose compact
    ASCII strings are ASCII_DATA bytes of header and then their characters and a NUL, as a string made at
    run time shows."""
    global _layout_holds
    if _layout_holds is None:
        import ctypes

        text = "".join(["-9", "07"])  # (built at run time: a fresh compact ASCII string)
        _layout_holds = (sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)
                         and sys.getsizeof(text) == ASCII_DATA + len(text) + 1
                         and ctypes.string_at(id(text) + ASCII_DATA, len(text) + 1) == b"-907\0")
    return _layout_holds


def decimal_text(code: ObjectCode, value: SSAValue) -> SSAValue:
    """A new reference to the str of `value`'s decimal text, or NULL (out of memory, an exception set)."""
    emit, const = code.emit, code.const
    i8 = IntegerType(8)
    zero = const(0)
    neg = emit(llvm.ICmpOp(value, zero, _pred("slt"))).results[0]
    # |value| as an unsigned word (0 - INT64_MIN wraps to 2**63, which is its magnitude read unsigned)
    magnitude = emit(llvm.SelectOp(neg, emit(llvm.SubOp(zero, value)).results[0], value)).results[0]
    length = emit(llvm.ZExtOp(neg, i64)).results[0]
    length = emit(llvm.AddOp(length, const(1))).results[0]
    for p in _POWERS:  # one more digit for each power of ten the magnitude reaches (branch-free)
        reached = emit(llvm.ICmpOp(magnitude, const(p), _pred("uge"))).results[0]
        length = emit(llvm.AddOp(length, emit(llvm.ZExtOp(reached, i64)).results[0])).results[0]
    text = code.call("PyUnicode_New", length, const(127, i32))
    assert text is not None
    null = emit(llvm.ZeroOp(result_types=[PTR])).results[0]
    fill, done = code.block("decimal_digits"), code.block("decimal_text")
    done.insert_arg(PTR, 0)
    emit(llvm.CondBrOp(code.same(text, null), done, [text], fill, []))
    code.goto(fill)
    data = code.at(text, ASCII_DATA)
    # A minus sign first; without one, the last digit written lands on it.
    emit(llvm.StoreOp(const(ord("-"), i8), data))
    end = emit(llvm.GEPOp(data, [llvm.GEP_USE_SSA_VAL], i8, ssa_indices=[length])).results[0]
    digit_loop = code.block("decimal_digit")
    digit_loop.insert_arg(i64, 0)  # what is left of the magnitude
    digit_loop.insert_arg(PTR, 1)  # one past the place of the next digit
    emit(llvm.BrOp(digit_loop, magnitude, end))
    code.goto(digit_loop)
    left, place = digit_loop.args
    ten = const(10)
    digit = emit(llvm.TruncOp(emit(llvm.URemOp(left, ten)).results[0], i8)).results[0]
    place = emit(llvm.GEPOp(place, [-1], i8)).results[0]
    emit(llvm.StoreOp(emit(llvm.AddOp(digit, const(ord("0"), i8))).results[0], place))
    rest = emit(llvm.UDivOp(left, ten)).results[0]
    more = emit(llvm.ICmpOp(rest, zero, _pred("ne"))).results[0]
    emit(llvm.CondBrOp(more, digit_loop, [rest, place], done, [text]))
    code.goto(done)
    return done.args[0]



def cached_decimal_text(code: ObjectCode, value: SSAValue, texts: SSAValue) -> SSAValue:
    """A new reference to the str of `value`'s decimal text, or NULL (out of memory, an exception set),
    taken from `texts` (the list of ruff.runtime.int_texts, borrowed) when value is one of its indices:
    slot `value` holds the text, or None until native code or the runtime first makes it, and then keeps
    it (the list owns one reference). The bound is the list's length, read here: the code holds no
    constant of the cache's."""
    emit, const = code.emit, code.const
    # (unsigned: a negative value reads as 2**63 or more, beyond any list)
    inside = emit(llvm.ICmpOp(value, code.load(texts, OB_SIZE, i64), _pred("ult"))).results[0]
    none = code.symbol("_Py_NoneStruct")
    look, hit, make, keep = (code.block(n) for n in ("int_text_look", "int_text_hit", "int_text_make",
                                                     "int_text_keep"))
    done = code.block("int_text")
    done.insert_arg(PTR, 0)
    emit(llvm.CondBrOp(inside, look, [], make, []))
    code.goto(look)
    slot = emit(llvm.GEPOp(code.load(texts, LIST_ITEMS, PTR), [llvm.GEP_USE_SSA_VAL], PTR,
                           ssa_indices=[value])).results[0]
    text = emit(llvm.LoadOp(slot, PTR)).results[0]
    emit(llvm.CondBrOp(code.same(text, none), make, [], hit, []))
    code.goto(hit)
    code.incref(text)
    emit(llvm.BrOp(done, text))
    code.goto(make)
    made = decimal_text(code, value)
    null = emit(llvm.ZeroOp(result_types=[PTR])).results[0]
    made_ok = emit(llvm.XOrOp(code.same(made, null), const(1, IntegerType(1)))).results[0]
    emit(llvm.CondBrOp(emit(llvm.AndOp(inside, made_ok)).results[0], keep, [], done, [made]))
    code.goto(keep)
    # Slot `value` still holds None: making the text ran no Python code. The cache takes a reference of
    # its own and lets go of None's (None is never deallocated: a plain decrement).
    code.incref(made)
    slot = emit(llvm.GEPOp(code.load(texts, LIST_ITEMS, PTR), [llvm.GEP_USE_SSA_VAL], PTR,
                           ssa_indices=[value])).results[0]
    emit(llvm.StoreOp(made, slot))
    count = code.at(none, OB_REFCNT)
    emit(llvm.StoreOp(emit(llvm.SubOp(emit(llvm.LoadOp(count, i64)).results[0], const(1))).results[0], count))
    emit(llvm.BrOp(done, made))
    code.goto(done)
    return done.args[0]


def stored_text_key(code: ObjectCode, text: SSAValue, text_key: SSAValue) -> SSAValue:
    """A new reference to the key a dict stores for str `text` (ruff.runtime.dict_keys), or NULL with an
    exception set. A number's text starts with a digit or '-', which all come before ':'; a compact ASCII
    string that starts with anything from ':' on is its own key, without a call. Any other string asks
    `text_key` (the runtime's function, borrowed)."""
    emit, const = code.emit, code.const
    i8, i32 = IntegerType(8), IntegerType(32)
    own, ask, done = code.block("text_key_own"), code.block("text_key_ask"), code.block("text_key")
    done.insert_arg(PTR, 0)
    if ascii_layout_holds():
        look = code.block("text_key_look")
        state = emit(llvm.AndOp(code.load(text, STR_STATE, i32), const(STR_COMPACT_ASCII, i32))).results[0]
        compact_ascii = emit(llvm.ICmpOp(state, const(STR_COMPACT_ASCII, i32), _pred("eq"))).results[0]
        filled = emit(llvm.ICmpOp(code.load(text, STR_LENGTH, i64), const(0), _pred("sgt"))).results[0]
        emit(llvm.CondBrOp(emit(llvm.AndOp(compact_ascii, filled)).results[0], look, [], ask, []))
        code.goto(look)
        first = code.load(text, ASCII_DATA, i8)
        word = emit(llvm.ICmpOp(first, const(ord(":"), i8), _pred("uge"))).results[0]
        emit(llvm.CondBrOp(word, own, [], ask, []))
    else:
        emit(llvm.BrOp(ask))
    code.goto(own)
    code.incref(text)
    emit(llvm.BrOp(done, text))
    code.goto(ask)
    asked = code.call("PyObject_CallOneArg", text_key, text)
    assert asked is not None
    emit(llvm.BrOp(done, asked))
    code.goto(done)
    return done.args[0]
