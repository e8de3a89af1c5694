"""The shared texts of small ints (ruff.runtime.int_texts): str(k) for every int, one object per k in
[0, LIMIT), made on first use."""

from __future__ import annotations

import subprocess
import sys

from ruff.runtime.int_texts import LIMIT, int_text, int_texts
from ruff.runtime.objects import dict_key, index_get, index_set
from ruff.runtime.values import RuffError


def test_every_int_gets_its_decimal_text() -> None:
    for k in [0, 1, 9, 10, LIMIT - 1, LIMIT, LIMIT + 1, -1, -LIMIT, 2**63 - 1, -(2**63), 10**30, -(10**30)]:
        assert int_text(k) == str(k) and type(int_text(k)) is str


def test_small_ints_share_one_text_and_others_are_made_anew() -> None:
    texts = int_texts()
    assert len(texts) == LIMIT
    assert int_text(LIMIT - 1) is int_text(LIMIT - 1) is texts[LIMIT - 1]
    assert int_text(12345) is dict_key(12345)
    assert int_text(LIMIT) is not int_text(LIMIT) and int_text(-7) is not int_text(-7)


def test_dict_access_by_int_and_by_text_is_one_key() -> None:
    d: dict = {"5": "five"}
    index_set(d, 5, "FIVE")
    index_set(d, LIMIT + 2, "past")
    index_set(d, -3, "neg")
    assert d == {"5": "FIVE", str(LIMIT + 2): "past", "-3": "neg"}
    assert index_get(d, 5) == "FIVE" and index_get(d, "-3") == "neg" and index_get(d, LIMIT + 2) == "past"
    try:
        index_get(d, 6)
    except RuffError as e:
        assert e.message == "Missing map key: 6"
    else:
        raise AssertionError("no error for a missing int key")


def test_the_cache_is_made_on_first_use_not_at_start_up() -> None:
    code = ("import ruff.runtime.objects as o, ruff.runtime.int_texts as t\n"
            "assert t._texts is None\n"
            "o.index_set({}, 'k', 1); o.index_get({'k': 1}, 'k')\n"
            "assert t._texts is None\n"
            "o.index_set({}, 3, 1)\n"
            "assert t._texts is not None and t._texts[3] == '3'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
