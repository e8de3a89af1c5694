"""The object layout native code reads in place (ruff.passes.abi), checked against the running interpreter:
a wrong offset here would make native code read or write the wrong bytes."""

import ctypes
import sys

from ruff.passes.abi import (
    ASCII_DATA, FLOAT_VALUE, LIST_ITEMS, LONG_DIGITS, OB_REFCNT, OB_SIZE, OB_TYPE, STR_COMPACT_ASCII, STR_LENGTH,
    STR_STATE, TUPLE_ITEMS,
)
from ruff.passes._decimal_text import ascii_layout_holds


def _word(obj: object, offset: int) -> int:
    return ctypes.c_ssize_t.from_address(id(obj) + offset).value


def test_object_header_refcount_type_and_size() -> None:
    x = [1, 2, 3]
    assert _word(x, OB_REFCNT) == sys.getrefcount(x)  # (each counts its own argument)
    assert _word(x, OB_TYPE) == id(list) and _word(2.5, OB_TYPE) == id(float)
    assert _word(x, OB_SIZE) == 3


def test_int_digits_float_value_tuple_and_list_items() -> None:
    n = int("123456")  # not a cached small int
    assert _word(n, OB_SIZE) == 1 and ctypes.c_uint32.from_address(id(n) + LONG_DIGITS).value == 123456
    assert _word(-n, OB_SIZE) == -1 and _word(2**40, OB_SIZE) == 2
    f = float("2.5")
    assert ctypes.c_double.from_address(id(f) + FLOAT_VALUE).value == 2.5
    t = (f, n)
    assert _word(t, TUPLE_ITEMS) == id(f) and _word(t, TUPLE_ITEMS + 8) == id(n)
    lst = [n, f]
    items = _word(lst, LIST_ITEMS)
    assert ctypes.c_ssize_t.from_address(items).value == id(n) and ctypes.c_ssize_t.from_address(items + 8).value == id(f)


def test_a_compact_ascii_string_keeps_its_characters_after_its_header() -> None:
    for text in ("".join(["-", "12"]), str(10**18), "x" * 100):
        assert ctypes.string_at(id(text) + ASCII_DATA, len(text) + 1) == text.encode() + b"\0"
        assert sys.getsizeof(text) == ASCII_DATA + len(text) + 1
    assert ascii_layout_holds()  # so the JIT writes ints' digits natively on this interpreter


def test_a_string_header_tells_its_length_and_whether_it_is_compact_ascii() -> None:
    """What native code reads before it takes a string's first character (dict keys: ruff.text_key)."""
    state = lambda s: ctypes.c_uint32.from_address(id(s) + STR_STATE).value  # noqa: E731
    for text in ("".join(["ab", "c"]), "".join(["", ""]), "x" * 100):
        assert ctypes.c_ssize_t.from_address(id(text) + STR_LENGTH).value == len(text)
        assert state(text) & STR_COMPACT_ASCII == STR_COMPACT_ASCII
    for text in ("".join(["é", "x"]), "".join(["ü", "1"]), "".join(["\u4e2d", "1"])):
        assert ctypes.c_ssize_t.from_address(id(text) + STR_LENGTH).value == len(text)
        assert state(text) & STR_COMPACT_ASCII != STR_COMPACT_ASCII  # not ASCII: the runtime decides
