"""Array builtins (also methods: `arr.map(f)`, `arr.len()`, ...).

Arrays are values: every function returns a new array and leaves its argument unchanged
(`arr := push(arr, x)`). Odd contracts kept from the reference implementation:
- `pop(arr)` returns `[new_array, popped]` (popped is 0 for an empty array);
- `remove_at(arr, i)` returns `[new_array, removed]`; `remove(dict, key)` returns `[new_dict, removed]`
  (removed is 0 when the key is absent); `remove(arr, item)` returns the array without the first
  occurrence;
- `find(arr, f)` returns 0 when nothing matches;
- `chunk(arr, n)` with n <= 0 returns `[arr]`; `windows` larger than the array returns [].
Functions that take arrays also accept ranges, iterators and generators (they are collected).
"""

from __future__ import annotations

import functools
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.values import RuffError, truthy
from ruff.runtime.builtins._util import (
    Registry, arity_error, as_list, check_arity, check_arity_range, compare, dict_key, equal, fn_arg,
    hash_key, int_arg, is_callable, type_error,
)
from ruff.runtime.builtins.iterators import RuffRange

reg = Registry()


def _arr(name: str, v: Any) -> list:
    if type(v) is list:
        return v
    return as_list(name, v)


@reg("push", "append", fast=True)
def push(rt: Any, args: list) -> list:
    if len(args) != 2:
        raise arity_error("push", "2 arguments", len(args))
    a = args[0]
    if type(a) is list:
        out = a.copy()
    else:
        out = list(as_list("push", a))
    out.append(args[1])
    return out


@reg("pop")
def pop(rt: Any, args: list) -> list:
    check_arity("pop", args, 1)
    out = list(_arr("pop", args[0]))
    popped = out.pop() if out else 0
    return [out, popped]


@reg("insert")
def insert(rt: Any, args: list) -> list:
    check_arity("insert", args, 3)
    out = list(_arr("insert", args[0]))
    idx = int_arg("insert", args[1], "a numeric index")
    if idx < 0 or idx > len(out):
        raise RuffError(f"insert() index {idx} out of bounds for array of length {len(out)}")
    out.insert(idx, args[2])
    return out


@reg("remove")
def remove(rt: Any, args: list) -> Any:
    check_arity("remove", args, 2)
    target, item = args
    if type(target) is dict:
        key = dict_key("remove", item)
        out = dict(target)
        removed = out.pop(key, 0)
        return [out, removed]
    out = list(_arr("remove", target))
    for i, x in enumerate(out):
        if equal(x, item):
            del out[i]
            break
    return out


@reg("remove_at")
def remove_at(rt: Any, args: list) -> list:
    check_arity("remove_at", args, 2)
    out = list(_arr("remove_at", args[0]))
    idx = int_arg("remove_at", args[1], "a numeric index")
    if idx < 0 or idx >= len(out):
        raise RuffError(f"remove_at() index {idx} out of bounds for array of length {len(out)}")
    removed = out.pop(idx)
    return [out, removed]


@reg("clear")
def clear(rt: Any, args: list) -> Any:
    check_arity("clear", args, 1)
    v = args[0]
    if type(v) is dict:
        return {}
    if type(v) is list or type(v) is RuffRange:
        return []
    raise type_error("clear", "an array or dict", v)


def _slice_bounds(n: int, start: int, end: int) -> tuple[int, int]:
    if start < 0:
        start += n
    start = min(max(start, 0), n)
    if end < 0:
        end += n
    end = min(max(end, start), n)
    return start, end


@reg("slice")
def slice_(rt: Any, args: list) -> Any:
    check_arity_range("slice", args, 2, 3)
    v = args[0]
    start = int_arg("slice", args[1], "a numeric start")
    if type(v) is str or type(v) is bytes:
        end = int_arg("slice", args[2], "a numeric end") if len(args) == 3 else len(v)
        a, b = _slice_bounds(len(v), start, end)
        return v[a:b]
    items = _arr("slice", v)
    end = int_arg("slice", args[2], "a numeric end") if len(args) == 3 else len(items)
    a, b = _slice_bounds(len(items), start, end)
    return items[a:b]


@reg("concat")
def concat(rt: Any, args: list) -> Any:
    check_arity("concat", args, 2)
    a, b = args
    if type(a) is str and type(b) is str:
        return a + b
    return _arr("concat", a) + _arr("concat", b)


# ----------------------------------------------------------------------------- higher-order


@reg("map")
def map_(rt: Any, args: list) -> list:
    check_arity("map", args, 2)
    items = _arr("map", args[0])
    f = fn_arg("map", args[1])
    call = rt.call
    return [call(f, [x]) for x in items]


@reg("filter")
def filter_(rt: Any, args: list) -> list:
    check_arity("filter", args, 2)
    items = _arr("filter", args[0])
    f = fn_arg("filter", args[1])
    call = rt.call
    return [x for x in items if truthy(call(f, [x]))]


@reg("reduce")
def reduce_(rt: Any, args: list) -> Any:
    check_arity("reduce", args, 3)
    items = _arr("reduce", args[0])
    init, f = args[1], args[2]
    if not is_callable(f) and is_callable(init):
        init, f = f, init  # reduce(arr, f, init), as other languages order it
    f = fn_arg("reduce", f)
    acc = init
    call = rt.call
    for x in items:
        acc = call(f, [acc, x])
    return acc


@reg("find")
def find(rt: Any, args: list) -> Any:
    check_arity("find", args, 2)
    items = _arr("find", args[0])
    f = fn_arg("find", args[1])
    for x in items:
        if truthy(rt.call(f, [x])):
            return x
    return 0


@reg("find_index")
def find_index(rt: Any, args: list) -> int:
    check_arity("find_index", args, 2)
    items = _arr("find_index", args[0])
    f = fn_arg("find_index", args[1])
    for i, x in enumerate(items):
        if truthy(rt.call(f, [x])):
            return i
    return -1


@reg("any")
def any_(rt: Any, args: list) -> bool:
    check_arity("any", args, 2)
    items = _arr("any", args[0])
    f = fn_arg("any", args[1])
    return any(truthy(rt.call(f, [x])) for x in items)


@reg("all")
def all_(rt: Any, args: list) -> bool:
    check_arity("all", args, 2)
    items = _arr("all", args[0])
    f = fn_arg("all", args[1])
    return all(truthy(rt.call(f, [x])) for x in items)


@reg("for_each", "each")
def for_each(rt: Any, args: list) -> None:
    check_arity("for_each", args, 2)
    items = _arr("for_each", args[0])
    f = fn_arg("for_each", args[1])
    for x in items:
        rt.call(f, [x])
    return None


def _comparator_result(v: Any) -> int:
    t = type(v)
    if t is int or t is float:
        return -1 if v < 0 else (1 if v > 0 else 0)
    if t is bool:
        return -1 if v else 1
    raise type_error("sort", "a comparator returning a number or bool", v)


@reg("sort")
def sort(rt: Any, args: list) -> list:
    """sort(arr) orders numbers and strings ascending; sort(arr, cmp) uses cmp(a, b) (<0, 0, >0,
    or a bool meaning "a comes first")."""
    check_arity_range("sort", args, 1, 2)
    out = list(_arr("sort", args[0]))
    if len(args) == 2:
        f = fn_arg("sort", args[1])
        out.sort(key=functools.cmp_to_key(lambda a, b: _comparator_result(rt.call(f, [a, b]))))
        return out
    if all(type(x) is int for x in out) or all(type(x) is str for x in out):
        out.sort()
        return out
    out.sort(key=functools.cmp_to_key(compare))
    return out


@reg("reverse")
def reverse(rt: Any, args: list) -> Any:
    check_arity("reverse", args, 1)
    v = args[0]
    if type(v) is str:
        return v[::-1]
    return _arr("reverse", v)[::-1]


@reg("unique")
def unique(rt: Any, args: list) -> list:
    check_arity("unique", args, 1)
    seen: set = set()
    out = []
    for x in _arr("unique", args[0]):
        k = hash_key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


@reg("sum")
def sum_(rt: Any, args: list) -> Any:
    check_arity("sum", args, 1)
    items = _arr("sum", args[0])
    ints = [x for x in items if type(x) is int]
    floats = [x for x in items if type(x) is float]
    if not floats:
        total = sum(ints)
        if I64_MIN <= total <= I64_MAX:
            return total
        acc = 0
        for x in ints:
            nxt = acc + x
            if not (I64_MIN <= nxt <= I64_MAX):
                raise RuffError(f"Integer overflow: {acc} + {x}")
            acc = nxt
        return acc
    total = 0.0
    for x in items:
        t = type(x)
        if t is int or t is float:
            total += x
    return total


@reg("chunk")
def chunk(rt: Any, args: list) -> list:
    check_arity("chunk", args, 2)
    items = _arr("chunk", args[0])
    n = int_arg("chunk", args[1], "a numeric size")
    if n <= 0:
        return [list(items)]
    return [items[i:i + n] for i in range(0, len(items), n)]


@reg("flatten")
def flatten(rt: Any, args: list) -> list:
    check_arity("flatten", args, 1)
    out: list = []
    for x in _arr("flatten", args[0]):
        if type(x) is list:
            out.extend(x)
        elif type(x) is RuffRange:
            out.extend(x.ruff_to_list())
        else:
            out.append(x)
    return out


@reg("zip")
def zip_(rt: Any, args: list) -> list:
    check_arity("zip", args, 2)
    return [[a, b] for a, b in zip(_arr("zip", args[0]), _arr("zip", args[1]))]


@reg("enumerate")
def enumerate_(rt: Any, args: list) -> list:
    check_arity("enumerate", args, 1)
    return [[i, x] for i, x in enumerate(_arr("enumerate", args[0]))]


@reg("take")
def take(rt: Any, args: list) -> list:
    check_arity("take", args, 2)
    n = int_arg("take", args[1], "a numeric count")
    v = args[0]
    if n <= 0:
        return []
    if type(v) is RuffRange:
        return RuffRange(v.r[:n]).ruff_to_list()
    return _arr("take", v)[:n]


@reg("skip")
def skip(rt: Any, args: list) -> list:
    check_arity("skip", args, 2)
    n = int_arg("skip", args[1], "a numeric count")
    v = args[0]
    if type(v) is RuffRange:
        return list(v.r[max(n, 0):])
    items = _arr("skip", v)
    return items[n:] if n > 0 else list(items)


@reg("windows")
def windows(rt: Any, args: list) -> list:
    check_arity("windows", args, 2)
    items = _arr("windows", args[0])
    n = int_arg("windows", args[1], "a numeric size")
    if n <= 0 or len(items) < n:
        return []
    return [items[i:i + n] for i in range(len(items) - n + 1)]


@reg("first")
def first(rt: Any, args: list) -> Any:
    check_arity("first", args, 1)
    items = _arr("first", args[0])
    return items[0] if items else None


@reg("last")
def last(rt: Any, args: list) -> Any:
    check_arity("last", args, 1)
    items = _arr("last", args[0])
    return items[-1] if items else None


@reg("count")
def count(rt: Any, args: list) -> int:
    """count(arr) is its length; count(arr, f) counts the elements for which f is truthy."""
    check_arity_range("count", args, 1, 2)
    items = _arr("count", args[0])
    if len(args) == 1:
        return len(items)
    f = fn_arg("count", args[1])
    return sum(1 for x in items if truthy(rt.call(f, [x])))


@reg("to_array")
def to_array(rt: Any, args: list) -> list:
    check_arity("to_array", args, 1)
    return list(_arr("to_array", args[0]))
