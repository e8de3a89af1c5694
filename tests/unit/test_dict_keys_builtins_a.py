"""The builtins keep the rule of ruff.runtime.dict_keys: a Ruff dict stores a number's text ("5", "-7") as the
int it spells and every other key as the string, and Ruff code only ever sees text.

The dicts here are built the way the runtime stores them ({5: ...} for the key "5"); every key a builtin
hands out must be a str, every key it takes in must be looked up and stored in the stored form, and no
dict it makes may hold both 5 and "5".
"""

from __future__ import annotations

import json

import pytest

from kit import FakeRuntime, call, raises
from ruff.runtime.builtins import kvstore
from ruff.runtime.builtins._util import dict_key, hash_key


def mixed() -> dict:
    return {5: "five", "a": 1, 10: "ten", -7: "minus", "007": "bond"}


def all_str(xs: list) -> bool:
    return all(type(x) is str for x in xs)


# ----------------------------------------------------------------------------- handing keys out


def test_keys_values_items_are_text_in_text_order():
    d = mixed()
    assert call("keys", d) == ["-7", "007", "10", "5", "a"]
    assert all_str(call("keys", d))
    assert call("values", d) == ["minus", "bond", "ten", "five", 1]
    assert call("items", d) == [["-7", "minus"], ["007", "bond"], ["10", "ten"], ["5", "five"], ["a", 1]]
    assert call("entries", {3: None}) == [["3", None]]
    assert all_str([k for k, _ in call("entries", d)])


def test_for_loop_over_a_dict_gives_text_keys_in_insertion_order():
    keys = call("__vm_for_iterable", {5: 1, "a": 2, -3: 3})
    assert keys == ["5", "a", "-3"] and all_str(keys)


def test_debug_shows_int_stored_keys_as_text_sorted_by_text():
    rt = FakeRuntime()
    call("debug", {10: 1, "a": "x", 5: True}, rt=rt)
    assert rt.output == '[DEBUG] Dict{10: Int(1), 5: Bool(true), a: String("x")}\n'


def test_invert_hands_keys_out_as_text_and_stores_values_by_the_rule():
    out = call("invert", {"a": 5, "b": "7", 3: "c", "d": "07", "e": 2.0, "f": True})
    assert out == {5: "a", 7: "b", "c": "3", "07": "d", 2: "e", "true": "f"}
    assert all_str(list(out.values()))


# ----------------------------------------------------------------------------- taking keys in


@pytest.mark.parametrize("key", ["5", 5])
def test_lookups_find_an_int_stored_key_by_its_text_and_by_the_int(key):
    d = mixed()
    assert call("has_key", d, key) == 1
    assert call("get", d, key) == "five"
    assert call("get", d, key, "dflt") == "five"
    assert call("get_default", d, key, "dflt") == "five"
    assert call("contains", d, key) == 1
    assert call("assert_contains", d, key) is True
    assert call("remove", d, key) == [{"a": 1, 10: "ten", -7: "minus", "007": "bond"}, "five"]
    assert 5 in d  # remove made a new dict


def test_lookups_of_texts_that_are_not_canonical_numbers_stay_strings():
    d = mixed()
    assert call("has_key", d, "-7") == 1 and call("has_key", d, -7) == 1
    assert call("has_key", d, "007") == 1 and call("has_key", d, 7) == 0
    assert call("has_key", d, "05") == 0 and call("has_key", d, "+5") == 0 and call("has_key", d, " 5") == 0
    assert call("get", d, "10") == "ten" and call("get", d, "010") is None
    assert call("get_default", {"-0": 1}, "-0", 9) == 1 and call("get_default", {0: 1}, "-0", 9) == 9
    assert call("contains", d, "1_0") == 0
    raises("assert_contains", {5: 1}, "6", match="does not contain")


def test_set_key_stores_by_the_rule_and_never_duplicates():
    d = {5: "x", "a": 1}
    out = call("set_key", d, "5", "y")
    assert out == {5: "y", "a": 1} and len(out) == 2
    assert d == {5: "x", "a": 1}
    assert call("dict_set", d, 5, "z") == {5: "z", "a": 1}
    assert call("set_key", {}, "-12", 0) == {-12: 0}
    assert call("set_key", {}, "012", 0) == {"012": 0}
    big = str(1 << 63)  # past i64: stays a string
    assert call("set_key", {}, big, 0) == {big: 0}
    raises("set_key", d, 1.5, 2, match="set_key() expects a string key, got float")


def test_from_items_stores_by_the_rule():
    assert call("from_items", [[5, 1]]) == {5: 1}
    out = call("from_entries", [["5", 1], [5, 2], ["x", 3], ["-1", 4]])
    assert out == {5: 2, "x": 3, -1: 4} and list(out) == [5, "x", -1]
    raises("from_items", [[True, 1]], match="from_items() expects a string key, got bool")


def test_merge_and_update_keep_one_key_per_text():
    a = {5: "a", "x": 1}
    b = call("from_items", [["5", "b"]])
    assert call("merge", a, b) == {5: "b", "x": 1}
    assert call("update", a, {5: "c"}) == {5: "c", "x": 1}
    assert call("keys", call("merge", a, b)) == ["5", "x"]


def test_dict_key_gives_the_stored_form():
    assert dict_key("f", "5") == 5 and type(dict_key("f", "5")) is int
    assert dict_key("f", 5) == 5
    assert dict_key("f", "-5") == -5
    assert dict_key("f", "05") == "05" and dict_key("f", "x") == "x"
    with pytest.raises(Exception, match="f\\(\\) expects a string key, got null"):
        dict_key("f", None)


# ----------------------------------------------------------------------------- comparing dicts by value


def test_unique_and_sets_of_dicts_with_mixed_keys():
    a = {5: 1, "a": [1, 2]}
    b = {"a": [1, 2], 5: 1}
    assert call("unique", [a, b, {5: 2, "a": [1, 2]}]) == [a, {5: 2, "a": [1, 2]}]
    s = call("Set", [a, b])
    assert call("set_size", s) == 1 and call("set_has", s, {"a": [1, 2], 5: 1})
    assert hash_key(a) == hash_key(b)
    assert hash_key({10: 1, 9: 2}) == ("d", (("10", ("n", 1)), ("9", ("n", 2))))


def test_display_of_a_set_and_format_of_dicts_with_int_keys():
    s = call("Set", [{5: 1, "a": 2}])
    assert call("to_string", s) == 'Set{{"5": 1, "a": 2}}'
    assert call("format", "%s {}", {10: 1, 9: 2}, {"b": 1, 3: 2}) == '{"10": 1, "9": 2} {"3": 2, "b": 1}'


# ----------------------------------------------------------------------------- the kv store


def test_kv_store_keys_that_spell_numbers(tmp_path, monkeypatch):
    path = tmp_path / "kv.json"
    monkeypatch.setenv("RUFF_KV_PATH", str(path))
    path.write_text(json.dumps({"5": "five", "b": "bee", "05": "oh-five"}))
    assert kvstore._load(str(path)) == {5: "five", "b": "bee", "05": "oh-five"}
    assert call("kv_get", "5") == "five" and call("kv_get", "05") == "oh-five"
    assert call("kv_set", "5", "FIVE") is True
    assert call("kv_set", "7", "seven") is True
    assert call("kv_get", "5") == "FIVE" and call("kv_get", "7") == "seven"
    assert json.loads(path.read_text()) == {"05": "oh-five", "5": "FIVE", "7": "seven", "b": "bee"}
    assert list(json.loads(path.read_text())) == ["05", "5", "7", "b"]
