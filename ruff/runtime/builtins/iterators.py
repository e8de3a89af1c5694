"""Lazy sequence values: RuffRange (what `range()` returns) and RuffIterator (lazy method chains).

RuffRange stands for an array of ints without building it: it iterates natively (a Python
`range`), reports `type()` "array", displays as `[0, 1, 2]`, indexes through `ruff_index` and
turns into a real list through `ruff_to_list()` wherever an array is needed.

RuffIterator wraps a Python iterator. `.filter .map .take .skip .enumerate .zip` on an iterator or a
generator return a new RuffIterator without running anything; `.collect()`/`.to_array()` (and the
terminal methods reduce, sum, find, any, all, count, for_each, first) drive it. Generators come from
the VM as Python iterators; they get the same methods through `lookup_method`.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

from ruff.runtime.dict_keys import key_texts
from ruff.runtime.values import NONE_VALUE, EnumValue, RuffError, count_upto, truthy
from ruff.runtime.builtins._util import (
    Registry, as_list, check_arity, check_arity_range, fn_arg, guard, int_arg, type_name_of,
)


# A range becomes a real list (or the text `print` shows) only up to this many elements: about 4 GB as
# a Python list. A longer one is an error at once, instead of minutes of swapping towards a crash (the
# reference, which always builds the array, fails to allocate it).
MAX_RANGE_ARRAY = 100_000_000


def range_length(r: range) -> int:
    """len(r) without Python's limit: a range over the whole i64 line has 2**64 - 1 elements."""
    step = r.step
    if step > 0:
        return max(0, (r.stop - r.start + step - 1) // step)
    return max(0, (r.start - r.stop - step - 1) // -step)


def range_list(r: range) -> list:
    n = range_length(r)
    if n > MAX_RANGE_ARRAY:
        raise RuffError(f"Range too large to make into an array: {n} elements (the limit is {MAX_RANGE_ARRAY})")
    return list(r)


class RuffRange:
    """The lazy array of ints returned by `range(...)`."""

    __slots__ = ("r",)
    ruff_type_name = "array"

    def __init__(self, r: range) -> None:
        self.r = r

    def __iter__(self) -> Iterator[int]:
        return iter(self.r)

    def __len__(self) -> int:
        return len(self.r)

    def __bool__(self) -> bool:
        return bool(self.r)

    def __getitem__(self, i: int) -> int:
        return self.r[i]

    def __repr__(self) -> str:
        return f"RuffRange({self.r!r})"

    def length(self) -> int:
        return range_length(self.r)

    def ruff_to_list(self) -> list:
        return range_list(self.r)

    def ruff_index(self, idx: Any) -> int:
        if type(idx) is not int:
            raise RuffError(f"Cannot index array with {type_name_of(idx)}")
        n = range_length(self.r)
        if -n <= idx < n:
            return self.r[idx]
        raise RuffError(f"Index out of bounds: {idx}")

    def ruff_display(self) -> str:
        return "[" + ", ".join(map(str, range_list(self.r))) + "]"

    def ruff_debug(self) -> str:
        return f"Array[{range_length(self.r)}]"


class RuffIterator:
    """A lazy, single-pass sequence (result of `.map/.filter/.take/...` on an iterator or generator)."""

    __slots__ = ("it",)
    ruff_type_name = "iterator"

    def __init__(self, source: Any) -> None:
        self.it = iter(source)

    def __iter__(self) -> "RuffIterator":
        return self

    def __next__(self) -> Any:
        return next(self.it)

    def ruff_display(self) -> str:
        return "<iterator>"

    def ruff_debug(self) -> str:
        return "Iterator"


def source_iter(name: str, v: Any) -> Iterator[Any]:
    """A Python iterator over an array-like or iterator value (not strings or dicts)."""
    t = type(v)
    if t is list:
        return iter(v)
    if t is RuffRange:
        return iter(v.r)
    if hasattr(v, "__next__"):
        return v
    return iter(as_list(name, v, "an array or iterator"))


# ----------------------------------------------------------------------------- lazy stages


def _map_gen(rt: Any, src: Iterator[Any], f: Any) -> Iterator[Any]:
    call = rt.call
    for x in src:
        yield call(f, [x])


def _filter_gen(rt: Any, src: Iterator[Any], f: Any) -> Iterator[Any]:
    call = rt.call
    for x in src:
        if truthy(call(f, [x])):
            yield x


def _enumerate_gen(src: Iterator[Any]) -> Iterator[Any]:
    i = 0
    for x in src:
        yield [i, x]
        i += 1


def _zip_gen(a: Iterator[Any], b: Iterator[Any]) -> Iterator[Any]:
    for x, y in zip(a, b):
        yield [x, y]


def _chunk_gen(src: Iterator[Any], n: int) -> Iterator[Any]:
    while True:
        block = list(itertools.islice(src, n))
        if not block:
            return
        yield block


reg = Registry()


@reg("__vm_for_iterable")
def vm_for_iterable(rt: Any, args: list) -> Any:
    """What the reference's `for` loops over, as an array: 0..n-1 for a number n, a dict's keys, a
    string's characters; arrays and anything else as they are."""
    if len(args) != 1:
        raise RuffError(f"__vm_for_iterable expects 1 argument, got {len(args)}")
    v = args[0]
    t = type(v)
    if t is int or t is float:
        return range_list(range(count_upto(v)))
    if t is dict:
        return key_texts(v)  # as text: a number's text is stored as an int (ruff.runtime.dict_keys)
    if t is str:
        return list(v)
    return v


@reg("iter")
def iter_(rt: Any, args: list) -> Any:
    """iter(array_or_generator) -> a lazy iterator over it."""
    check_arity("iter", args, 1)
    return RuffIterator(source_iter("iter", args[0]))


def it_map(rt: Any, args: list) -> Any:
    check_arity("map", args, 2)
    return RuffIterator(_map_gen(rt, source_iter("map", args[0]), fn_arg("map", args[1])))


def it_filter(rt: Any, args: list) -> Any:
    check_arity("filter", args, 2)
    return RuffIterator(_filter_gen(rt, source_iter("filter", args[0]), fn_arg("filter", args[1])))


def it_take(rt: Any, args: list) -> Any:
    check_arity("take", args, 2)
    n = max(0, int_arg("take", args[1]))
    return RuffIterator(itertools.islice(source_iter("take", args[0]), n))


def it_skip(rt: Any, args: list) -> Any:
    check_arity("skip", args, 2)
    n = max(0, int_arg("skip", args[1]))
    return RuffIterator(itertools.islice(source_iter("skip", args[0]), n, None))


def it_enumerate(rt: Any, args: list) -> Any:
    check_arity("enumerate", args, 1)
    return RuffIterator(_enumerate_gen(source_iter("enumerate", args[0])))


def it_zip(rt: Any, args: list) -> Any:
    check_arity("zip", args, 2)
    return RuffIterator(_zip_gen(source_iter("zip", args[0]), source_iter("zip", args[1])))


def it_chunk(rt: Any, args: list) -> Any:
    check_arity("chunk", args, 2)
    n = int_arg("chunk", args[1])
    if n <= 0:
        return RuffIterator(iter([list(source_iter("chunk", args[0]))]))
    return RuffIterator(_chunk_gen(source_iter("chunk", args[0]), n))


def it_collect(rt: Any, args: list) -> Any:
    check_arity("collect", args, 1)
    if type(args[0]) is RuffRange:
        return range_list(args[0].r)
    return list(source_iter("collect", args[0]))


def it_next(rt: Any, args: list) -> Any:
    """`.next()`: the next value, or null when the iterator is exhausted (as the reference docs show)."""
    check_arity("next", args, 1)
    src = args[0]
    if not hasattr(src, "__next__"):
        raise RuffError(f"next() expects an iterator or generator, got {type_name_of(src)}")
    for x in src:
        return x
    return None


def it_first(rt: Any, args: list) -> Any:
    check_arity("first", args, 1)
    for x in source_iter("first", args[0]):
        return x
    return None


def it_count(rt: Any, args: list) -> Any:
    check_arity_range("count", args, 1, 2)
    src = source_iter("count", args[0])
    if len(args) == 1:
        return sum(1 for _ in src)
    f = fn_arg("count", args[1])
    return sum(1 for x in src if truthy(rt.call(f, [x])))


def it_for_each(rt: Any, args: list) -> Any:
    check_arity("for_each", args, 2)
    f = fn_arg("for_each", args[1])
    for x in source_iter("for_each", args[0]):
        rt.call(f, [x])
    return None


def some(v: Any) -> EnumValue:
    return EnumValue("Option", "Some", (v,))


NONE = NONE_VALUE

reg.functions["collect"] = guard("collect", it_collect)  # out of memory is an error too
