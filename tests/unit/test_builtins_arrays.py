"""Array builtins: value semantics (new arrays), higher-order functions with rt.call, odd contracts."""

from ruff.limits import I64_MAX
from ruff.runtime.builtins import RuffRange, arrays
from ruff.runtime.values import RuffError
from kit import FakeRuntime, as_builtin, call, raises


def test_push_returns_new_array_and_leaves_argument():
    arr = [1, 2, 3]
    out = call("push", arr, 4)
    assert out == [1, 2, 3, 4] and arr == [1, 2, 3] and out is not arr
    assert call("append", [1, 2], 3) == [1, 2, 3]
    assert call("push", call("range", 2), 9) == [0, 1, 9]
    assert raises("push", [1]) == "push() expects 2 arguments, got 1"
    assert raises("push", "abc", 1) == "push() expects an array, got string"


def test_pop_returns_pair():
    arr = [1, 2, 3]
    assert call("pop", arr) == [[1, 2], 3] and arr == [1, 2, 3]
    assert call("pop", []) == [[], 0]
    raises("pop", match="pop() expects 1 argument, got 0")
    raises("pop", {}, match="pop() expects an array, got dict")


def test_insert_remove_remove_at_clear():
    assert call("insert", [1, 2, 4], 2, 3) == [1, 2, 3, 4]
    assert call("insert", [1], 1, 2) == [1, 2]
    assert raises("insert", [1], 5, 0) == "insert() index 5 out of bounds for array of length 1"
    raises("insert", [1], "x", 0, match="insert() expects a numeric index, got string")
    assert call("remove", [1, 2, 3, 2, 4], 2) == [1, 3, 2, 4]
    assert call("remove", [1, 2], 9) == [1, 2]
    assert call("remove", {"a": 1, "b": 2}, "b") == [{"a": 1}, 2]
    assert call("remove", {"a": 1}, "z") == [{"a": 1}, 0]
    raises("remove", [1], match="remove() expects 2 arguments, got 1")
    raises("remove", 5, 1, match="remove() expects an array, got int")
    assert call("remove_at", [1, 2, 3], 1) == [[1, 3], 2]
    assert raises("remove_at", [1], 3) == "remove_at() index 3 out of bounds for array of length 1"
    assert call("clear", [1, 2]) == [] and call("clear", {"a": 1}) == {}
    raises("clear", "x", match="clear() expects an array or dict, got string")


def test_slice_concat():
    assert call("slice", [1, 2, 3, 4], 1, 3) == [2, 3]
    assert call("slice", [1, 2, 3, 4], -2, 10) == [3, 4]
    assert call("slice", [1, 2, 3, 4], 3, 1) == []
    assert call("slice", [1, 2, 3], 1) == [2, 3]
    assert call("slice", "hello", 1, 3) == "el"
    assert call("slice", call("range", 10), 8, 20) == [8, 9]
    raises("slice", [1], "a", 2, match="slice() expects a numeric start, got string")
    raises("slice", [1], match="slice() expects 2 or 3 arguments, got 1")
    assert call("concat", [1], [2, 3]) == [1, 2, 3]
    assert call("concat", "ab", "cd") == "abcd"
    raises("concat", [1], 2, match="concat() expects an array, got int")


def test_map_filter_reduce_find():
    double = as_builtin(lambda x: x * 2)
    assert call("map", [1, 2, 3], double) == [2, 4, 6]
    assert call("map", call("range", 3), double) == [0, 2, 4]
    assert call("filter", [1, 2, 3, 4], as_builtin(lambda x: x % 2 == 0)) == [2, 4]
    assert call("filter", [0, 1, "", "a", None], as_builtin(lambda x: x)) == [1, "a"]
    assert call("reduce", [1, 2, 3], 0, as_builtin(lambda a, b: a + b)) == 6
    assert call("reduce", [1, 2, 3], as_builtin(lambda a, b: a * b), 1) == 6
    assert call("find", [1, 5, 7], as_builtin(lambda x: x > 4)) == 5
    assert call("find", [1, 2], as_builtin(lambda x: x > 4)) == 0
    assert call("find_index", [1, 5, 7], as_builtin(lambda x: x > 4)) == 1
    assert call("find_index", [1], as_builtin(lambda x: False)) == -1
    raises("map", [1], 5, match="map() expects a function, got int")
    raises("map", [1], match="map() expects 2 arguments, got 1")
    raises("filter", 3, double, match="filter() expects an array, got int")
    raises("reduce", [1], 0, match="reduce() expects 3 arguments, got 2")
    raises("reduce", [1], 0, 1, match="reduce() expects a function, got int")
    raises("find", [1], "f", match="find() expects a function, got string")
    raises("find_index", [1], match="expects 2 arguments")


def test_callback_errors_propagate_and_python_errors_become_ruff_errors():
    def boom(x):
        raise RuffError("inner failure")

    raises("map", [1], as_builtin(boom), match="inner failure")
    assert raises("map", [1], as_builtin(lambda x: 1 / 0)) == "map(): division by zero"


def test_any_all_for_each_count():
    assert call("any", [1, 2, 3], as_builtin(lambda x: x > 2)) is True
    assert call("any", [], as_builtin(lambda x: True)) is False
    assert call("all", [1, 2, 3], as_builtin(lambda x: x > 0)) is True
    assert call("all", [1, 2, 3], as_builtin(lambda x: x > 1)) is False
    seen = []
    assert call("for_each", [1, 2], as_builtin(lambda x: seen.append(x))) is None
    assert call("each", [3], as_builtin(lambda x: seen.append(x))) is None
    assert seen == [1, 2, 3]
    assert call("count", [1, 2, 3]) == 3
    assert call("count", [1, 2, 3], as_builtin(lambda x: x > 1)) == 2
    raises("any", [1], match="any() expects 2 arguments, got 1")
    raises("all", [1], 2, match="all() expects a function, got int")
    raises("for_each", 1, as_builtin(len), match="for_each() expects an array, got int")
    raises("count", match="count() expects 1 or 2 arguments, got 0")


def test_any_stops_early():
    rt = FakeRuntime()
    call("any", [1, 2, 3, 4], as_builtin(lambda x: x == 2), rt=rt)
    assert rt.calls == 2


def test_sort_reverse_unique_sum():
    assert call("sort", [3, 1, 2]) == [1, 2, 3]
    assert call("sort", ["b", "a", "c"]) == ["a", "b", "c"]
    assert call("sort", [3, 1.5, 2]) == [1.5, 2, 3]
    assert call("sort", [3, 1, 2], as_builtin(lambda a, b: b - a)) == [3, 2, 1]
    assert call("sort", [3, 1, 2], as_builtin(lambda a, b: a > b)) == [3, 2, 1]
    arr = [2, 1]
    call("sort", arr)
    assert arr == [2, 1]
    raises("sort", 5, match="sort() expects an array, got int")
    raises("sort", [2, 1], as_builtin(lambda a, b: "x"), match="sort() expects a comparator returning a number or bool")
    assert call("reverse", [1, 2, 3]) == [3, 2, 1]
    assert call("reverse", "abc") == "cba"
    raises("reverse", match="reverse() expects 1 argument, got 0")
    assert call("unique", [1, 2, 2, 3, 1]) == [1, 2, 3]
    assert call("unique", [[1], [1], [2]]) == [[1], [2]]
    assert call("unique", ["a", "a", 1, 1.0, True]) == ["a", 1, True]
    raises("unique", 1, match="unique() expects an array, got int")
    assert call("sum", [1, 2, 3]) == 6 and type(call("sum", [1, 2])) is int
    assert call("sum", [1, 2.5]) == 3.5
    assert call("sum", [1, "x", 2]) == 3
    assert call("sum", []) == 0
    assert call("sum", call("range", 101)) == 5050
    assert raises("sum", [I64_MAX, 1]).startswith("Integer overflow")
    raises("sum", "abc", match="sum() expects an array, got string")


def test_chunk_flatten_zip_enumerate_take_skip_windows():
    assert call("chunk", [1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert call("chunk", [1, 2], 0) == [[1, 2]]
    raises("chunk", [1], "x", match="chunk() expects a numeric size, got string")
    assert call("flatten", [[1, 2], 3, [4, [5]]]) == [1, 2, 3, 4, [5]]
    raises("flatten", 1, match="flatten() expects an array, got int")
    assert call("zip", [1, 2], ["a", "b", "c"]) == [[1, "a"], [2, "b"]]
    raises("zip", [1], match="zip() expects 2 arguments, got 1")
    assert call("enumerate", ["a", "b"]) == [[0, "a"], [1, "b"]]
    raises("enumerate", 1, match="enumerate() expects an array, got int")
    assert call("take", [10, 20, 30], 2) == [10, 20]
    assert call("take", [10, 20], 10) == [10, 20]
    assert call("take", [10], 0) == []
    assert call("take", call("range", 10**9), 3) == [0, 1, 2]
    raises("take", [1], "x", match="take() expects a numeric count, got string")
    assert call("skip", [1, 2, 3], 1) == [2, 3]
    assert call("skip", [1, 2, 3], 10) == []
    assert call("skip", call("range", 5), 3) == [3, 4]
    raises("skip", [1], match="skip() expects 2 arguments, got 1")
    assert call("windows", [1, 2, 3, 4], 2) == [[1, 2], [2, 3], [3, 4]]
    assert call("windows", [1, 2], 5) == []
    raises("windows", [1], None, match="windows() expects a numeric size, got null")


def test_first_last_to_array():
    assert call("first", [4, 5]) == 4 and call("first", []) is None
    assert call("last", [4, 5]) == 5 and call("last", []) is None
    assert call("to_array", call("range", 3)) == [0, 1, 2]
    assert call("to_array", iter([1, 2])) == [1, 2]
    raises("first", 1, match="first() expects an array, got int")
    raises("last", match="last() expects 1 argument, got 0")
    raises("to_array", "ab", match="to_array() expects an array, got string")


def test_ranges_are_accepted_everywhere():
    r = RuffRange(range(4))
    assert call("reverse", r) == [3, 2, 1, 0]
    assert call("zip", r, r) == [[0, 0], [1, 1], [2, 2], [3, 3]]
    assert call("windows", r, 3) == [[0, 1, 2], [1, 2, 3]]


def test_every_array_builtin_is_tested():
    tested = {"push", "append", "pop", "insert", "remove", "remove_at", "clear", "slice", "concat",
              "map", "filter", "reduce", "find", "find_index", "any", "all", "for_each", "each", "sort",
              "reverse", "unique", "sum", "chunk", "flatten", "zip", "enumerate", "take", "skip",
              "windows", "first", "last", "count", "to_array"}
    assert set(arrays.reg.functions) == tested
