"""Method-call resolution (lookup_method) and lazy iterator chains."""

import pytest

from ruff.runtime.builtins import (
    BUILTINS, METHOD_TABLES, RuffIterator, RuffQueue, RuffRange, RuffSet, RuffStack, iterators, lookup_method,
)
from ruff.runtime.values import Builtin, EnumValue, RuffError, StructType, display, new_struct
from kit import FakeRuntime


def fn(f):
    return Builtin("f", lambda rt, a: f(*a))


def m(receiver, name, *args, rt=None):
    b = lookup_method(receiver, name)
    assert b is not None, f"no method {name} on {type(receiver).__name__}"
    return b.fn(rt or FakeRuntime(), [receiver, *args])


def test_string_methods():
    assert m("hello", "upper") == "HELLO"
    assert m("a,b", "split", ",") == ["a", "b"]
    assert m("héllo", "len") == 5
    assert m("abc", "length") == 3
    assert m("  x ", "trim") == "x"
    assert m("abc", "contains", "b") == 1
    assert m("abc", "reverse") == "cba"
    assert m("abc", "chars") == ["a", "b", "c"]
    assert m(",", "join", ["a", "b"]) == "a,b"
    assert m("abc", "find", "c") == 2
    assert m("42", "to_int") == 42
    assert m("x=%d", "format", 3) == "x=3"
    assert m("hi", "to_string") == "hi"
    assert m("a1b2", "regex_find_all", "\\d") == ["1", "2"]


def test_array_methods_are_eager_and_pure():
    arr = [3, 1, 2]
    assert m(arr, "map", fn(lambda x: x * 10)) == [30, 10, 20]
    assert m(arr, "filter", fn(lambda x: x > 1)) == [3, 2]
    assert m(arr, "sort") == [1, 2, 3] and arr == [3, 1, 2]
    assert m(arr, "push", 4) == [3, 1, 2, 4] and arr == [3, 1, 2]
    assert m(arr, "len") == 3 and m(arr, "size") == 3
    assert m(arr, "sum") == 6
    assert m(arr, "reduce", 0, fn(lambda a, b: a + b)) == 6
    assert m(arr, "contains", 2) == 1
    assert m(arr, "join", "-") == "3-1-2"
    assert m(arr, "take", 2) == [3, 1]
    assert m(arr, "collect") == arr and m(arr, "collect") is not arr
    assert m(arr, "first") == 3 and m(arr, "last") == 2
    assert m(arr, "min") == 1 and m(arr, "max") == 3
    assert m(arr, "to_json") == "[3,1,2]"


def test_reference_iterator_chain_on_arrays():
    numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    odds = m(numbers, "filter", fn(lambda n: n % 2 == 1))
    first3 = m(odds, "take", 3)
    result = m(m(first3, "map", fn(lambda n: n + 10)), "collect")
    assert result == [11, 13, 15]


def test_dict_methods():
    d = {"b": 2, "a": 1}
    assert m(d, "keys") == ["a", "b"]
    assert m(d, "values") == [1, 2]
    assert m(d, "items") == [["a", 1], ["b", 2]]
    assert m(d, "has_key", "a") == 1
    assert m(d, "get", "z", 0) == 0
    assert m(d, "merge", {"c": 3}) == {"a": 1, "b": 2, "c": 3}
    assert m(d, "len") == 2
    assert m(d, "set", "c", 3) == {"a": 1, "b": 2, "c": 3} and "c" not in d
    assert m(d, "copy") == d


def test_number_and_misc_methods():
    assert m(-3, "abs") == 3
    assert m(2.5, "floor") == 2.0
    assert m(7, "to_string") == "7"
    assert m(True, "to_string") == "true"
    assert m(None, "type") == "null"
    assert lookup_method(5, "nope") is None
    assert lookup_method(None, "upper") is None


def test_range_methods():
    r = RuffRange(range(6))
    assert m(r, "map", fn(lambda x: x * x)) == [0, 1, 4, 9, 16, 25]
    assert m(r, "filter", fn(lambda x: x % 2)) == [1, 3, 5]
    assert m(r, "len") == 6
    assert m(r, "take", 2) == [0, 1]
    assert m(r, "sum") == 15
    assert m(range(3), "to_array") == [0, 1, 2]


def test_collection_methods():
    s = BUILTINS["Set"].fn(FakeRuntime(), [[1, 2, 2]])
    assert display(m(s, "add", 3)) == "Set{1, 2, 3}"
    assert m(s, "has", 2) is True and m(s, "contains", 9) is False
    assert m(s, "size") == 2 and m(s, "len") == 2
    q = RuffQueue([1, 2])
    out = m(q, "dequeue")
    assert display(out[0]) == "Queue[2]" and out[1] == 1
    assert m(q, "peek") == 1 and m(q, "is_empty") is False
    st = RuffStack([1, 2])
    assert m(st, "pop")[1] == 2 and m(st, "peek") == 2
    assert display(m(st, "push", 3)) == "Stack[1, 2, 3]"
    assert isinstance(m(RuffSet([1]), "to_array"), list)


def naturals():
    n = 0
    while True:
        yield n
        n += 1


def test_lazy_chain_on_infinite_generator():
    rt = FakeRuntime()
    gen = naturals()
    squares = m(m(gen, "filter", fn(lambda n: n % 3 == 0), rt=rt), "map", fn(lambda n: n * n), rt=rt)
    assert type(squares) is RuffIterator
    assert display(squares) == "<iterator>"
    assert m(m(squares, "take", 4), "collect") == [0, 9, 36, 81]


def test_iterator_chain_is_lazy():
    seen = []

    def track(x):
        seen.append(x)
        return x

    it = m(iter([1, 2, 3, 4]), "map", fn(track))
    assert seen == []
    assert m(it, "next") == 1 and seen == [1]
    assert m(m(it, "skip", 1), "collect") == [3, 4]
    assert m(it, "next") is None


def test_iterator_terminals():
    assert m(iter([1, 2, 3]), "sum") == 6
    assert m(iter([1, 2, 3]), "reduce", 10, fn(lambda a, b: a + b)) == 16
    assert m(iter([1, 2, 3]), "count") == 3
    assert m(iter([1, 2, 3]), "count", fn(lambda x: x > 1)) == 2
    assert m(iter([1, 2, 3]), "first") == 1
    assert m(iter([5, 6]), "enumerate").__next__() == [0, 5]
    assert m(m(iter([1, 2]), "zip", [3, 4]), "to_array") == [[1, 3], [2, 4]]
    assert m(m(iter([1, 2, 3]), "chunk", 2), "collect") == [[1, 2], [3]]
    assert m(iter([3, 1]), "sort") == [1, 3]
    assert m(iter(["a", "b"]), "join", "+") == "a+b"
    got = []
    assert m(iter([1, 2]), "for_each", fn(got.append)) is None and got == [1, 2]
    assert m(iter([1, 5]), "find", fn(lambda x: x > 2)) == 5
    assert m(iter([1, 5]), "any", fn(lambda x: x > 2)) is True


def test_iterator_errors():
    with pytest.raises(RuffError, match="next\\(\\) expects an iterator or generator, got array"):
        iterators.it_next(FakeRuntime(), [[1]])
    with pytest.raises(RuffError, match="map\\(\\) expects a function, got int"):
        m(iter([1]), "map", 5)
    with pytest.raises(RuffError, match="take\\(\\) expects 2 arguments, got 1"):
        iterators.it_take(FakeRuntime(), [iter([])])
    with pytest.raises(RuffError, match="iter\\(\\) expects an array or iterator, got string"):
        BUILTINS["iter"].fn(FakeRuntime(), ["abc"])
    with pytest.raises(RuffError, match="filter\\(\\) expects 2 arguments"):
        iterators.it_filter(FakeRuntime(), [iter([])])
    for f, name in [(iterators.it_skip, "skip"), (iterators.it_zip, "zip"), (iterators.it_chunk, "chunk"),
                    (iterators.it_for_each, "for_each")]:
        with pytest.raises(RuffError, match=f"{name}\\(\\) expects 2 arguments"):
            f(FakeRuntime(), [iter([])])
    for f, name in [(iterators.it_enumerate, "enumerate"), (iterators.it_first, "first"),
                    (iterators.it_collect, "collect")]:
        with pytest.raises(RuffError, match=f"{name}\\(\\) expects 1 argument"):
            f(FakeRuntime(), [])


def test_iter_builtin_makes_arrays_lazy():
    it = BUILTINS["iter"].fn(FakeRuntime(), [[1, 2, 3]])
    assert type(it) is RuffIterator
    assert m(m(it, "map", fn(lambda x: -x)), "collect") == [-1, -2, -3]


def test_enum_and_struct_receivers():
    assert m(EnumValue("Result", "Ok", (1,)), "is_ok") is True
    st = new_struct(StructType("P", ("x",), {}, {}), {"x": 1})
    assert lookup_method(st, "len") is None


def test_every_method_target_exists():
    for kind, table in METHOD_TABLES.items():
        for method, target in table.items():
            assert target in BUILTINS or target.startswith("__"), (kind, method, target)


def test_method_error_messages_name_the_builtin():
    with pytest.raises(RuffError) as info:
        m("abc", "split")
    assert info.value.message == "split() expects 2 arguments, got 1"
