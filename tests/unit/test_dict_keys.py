"""How a Ruff dict stores its keys (ruff.runtime.dict_keys): the canonical text of an i64 is kept as that int,
every other string as itself, and what Ruff sees is always the text."""

from __future__ import annotations

import pytest

from ruff.runtime.dict_keys import (
    canonical, from_text_pairs, int_of_text, key_text, key_texts, sorted_text_items, stored_key, text_items, text_key,
)
from ruff.runtime.objects import dict_key, index_get, index_set, make_iterator
from ruff.runtime.values import RuffError, display, values_equal

I64_MAX = 2**63 - 1


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("7", 7), ("-7", -7), ("10", 10), ("123456789", 123456789), (str(I64_MAX), I64_MAX),
    (str(-I64_MAX - 1), -I64_MAX - 1),
])
def test_the_text_of_an_i64_is_stored_as_that_int(text: str, value: int) -> None:
    assert int_of_text(text) == value and text_key(text) == value and type(text_key(text)) is int
    assert key_text(text_key(text)) == text


@pytest.mark.parametrize("text", [
    "", "-", "-0", "00", "007", "+1", " 1", "1 ", "1_0", "12a", "0x10", "1e3", "1.0", "²", "١", "٣٤",
    str(I64_MAX + 1), str(-I64_MAX - 2), "9" * 30, "GGT", "name", "é", ":", "/",
])
def test_every_other_string_is_its_own_key(text: str) -> None:
    assert int_of_text(text) is None and text_key(text) is text


def test_ruff_keys_of_either_form_are_one_stored_key() -> None:
    assert dict_key(5) == 5 and dict_key("5") == 5 and dict_key("05") == "05" and dict_key("k") == "k"
    assert stored_key(-3) == -3 and stored_key("-3") == -3
    with pytest.raises(RuffError, match="Dictionary keys must be strings or integers, got float"):
        dict_key(1.5)
    with pytest.raises(RuffError, match="got bool"):
        dict_key(True)  # a bool is not an int key (bool is int's subclass in Python)


def test_index_get_and_set_reach_one_entry_by_int_or_text() -> None:
    d: dict = {}
    index_set(d, "5", "five")
    index_set(d, 5, "FIVE")
    index_set(d, "05", "text")
    index_set(d, -3, "neg")
    index_set(d, 2**20, "past the shared texts")
    assert d == {5: "FIVE", "05": "text", -3: "neg", 2**20: "past the shared texts"}
    assert index_get(d, "5") == index_get(d, 5) == "FIVE" and index_get(d, "-3") == "neg"
    assert index_get(d, str(2**20)) == "past the shared texts"
    with pytest.raises(RuffError, match="^Missing map key: 6$"):
        index_get(d, 6)
    with pytest.raises(RuffError, match='^Missing map key: "6"$'):
        index_get(d, "6")
    with pytest.raises(RuffError, match='^Missing map key: "005"$'):
        index_get(d, "005")


def test_what_leaves_a_dict_is_text_in_the_dict_order() -> None:
    d = {"b": 1, 10: 2, -1: 3, "05": 4}
    assert key_texts(d) == ["b", "10", "-1", "05"] and list(make_iterator(d)) == ["b", "10", "-1", "05"]
    assert all(type(k) is str for k in make_iterator(d))
    assert list(text_items(d)) == [("b", 1), ("10", 2), ("-1", 3), ("05", 4)]
    assert sorted_text_items(d) == [("-1", 3), ("05", 4), ("10", 2), ("b", 1)]  # by text, as the reference
    assert display(d) == '{"-1": 3, "05": 4, "10": 2, "b": 1}'


def test_equal_dicts_hold_equal_stored_keys() -> None:
    assert values_equal({1: "a", "x": 2}, {"x": 2, 1: "a"})
    assert not values_equal({1: "a"}, {"01": "a"})


def test_a_dict_made_outside_is_rekeyed_in_place_keeping_its_order() -> None:
    d = {"x": 1, "2": 2, "02": 3, "-4": 4}
    same = canonical(d)
    assert same is d and list(d.items()) == [("x", 1), (2, 2), ("02", 3), (-4, 4)]
    plain = {"a": 1}
    assert canonical(plain) == {"a": 1}
    assert from_text_pairs([("1", "a"), ("b", 2), ("1", "c")]) == {1: "c", "b": 2}
