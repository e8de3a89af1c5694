"""Dict builtins: sorted keys/values/items, has_key 1/0, get/get_default, merge/update/invert."""

from ruff.runtime.builtins import dicts
from kit import call, raises


D = {"c": 3, "a": 1, "b": 2}


def test_keys_values_items_are_sorted():
    assert call("keys", D) == ["a", "b", "c"]
    assert call("values", D) == [1, 2, 3]
    assert call("items", D) == [["a", 1], ["b", 2], ["c", 3]]
    assert call("entries", {"x": None}) == [["x", None]]
    raises("keys", [1], match="keys() expects a dict, got array")
    raises("values", match="values() expects 1 argument, got 0")
    raises("items", 1, match="items() expects a dict, got int")
    raises("entries", match="expects 1 argument, got 0")


def test_has_key_returns_one_or_zero():
    assert call("has_key", D, "a") == 1 and type(call("has_key", D, "a")) is int
    assert call("has_key", D, "z") == 0
    assert call("has_key", {1: True}, 1) == 1
    assert call("has_key", D, None) == 0
    raises("has_key", D, match="has_key() expects 2 arguments, got 1")
    raises("has_key", "abc", "a", match="has_key() expects a dict, got string")


def test_get_and_get_default():
    assert call("get", D, "a") == 1
    assert call("get", D, "z") is None
    assert call("get", D, "z", 99) == 99
    assert call("get", {1: "one"}, 1) == "one"
    assert call("get", [10, 20], 1) == 20 and call("get", [10], 5, "d") == "d"
    raises("get", D, match="get() expects 2 or 3 arguments, got 1")
    raises("get", 5, "a", match="get() expects a dict, got int")
    assert call("get_default", D, "b", 0) == 2
    assert call("get_default", D, "q", 0) == 0
    assert call("get_default", D, None, "d") == "d"
    raises("get_default", D, "a", match="get_default() expects 3 arguments, got 2")


def test_merge_update_invert_are_pure():
    a = {"a": 1, "b": 2}
    assert call("merge", a, {"b": 3, "c": 4}) == {"a": 1, "b": 3, "c": 4}
    assert a == {"a": 1, "b": 2}
    assert call("update", {"a": 1}, {"a": 2}) == {"a": 2}
    assert call("invert", {"a": 1, "b": "x", "c": [1], "d": True}) == {1: "a", "x": "b", "true": "d"}
    raises("merge", a, [1], match="merge() expects a dict, got array")
    raises("update", a, match="update() expects 2 arguments, got 1")
    raises("invert", [1], match="invert() expects a dict, got array")


def test_set_key_and_from_items():
    d = {"a": 1}
    assert call("set_key", d, "b", 2) == {"a": 1, "b": 2} and d == {"a": 1}
    assert call("dict_set", d, 7, 0) == {"a": 1, 7: 0}
    raises("set_key", d, [1], 2, match="set_key() expects a string key, got array")
    assert call("from_items", [["a", 1], ["b", 2]]) == {"a": 1, "b": 2}
    assert call("from_entries", []) == {}
    raises("from_items", [["a"]], match="from_items() expects an array of [key, value] pairs, got array")
    raises("from_entries", 5, match="expects an array of [key, value] pairs, got int")


def test_remove_on_dict_returns_pair_and_contains():
    assert call("remove", {"a": 1, "b": 2}, "a") == [{"b": 2}, 1]
    assert call("contains", {"a": 1}, "a") == 1


def test_every_dict_builtin_is_tested():
    assert set(dicts.reg.functions) == {"keys", "values", "items", "entries", "has_key", "get",
                                        "get_default", "merge", "update", "invert", "set_key",
                                        "dict_set", "from_items", "from_entries"}
