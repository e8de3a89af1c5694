"""The shared texts of small ints (ruff.runtime.int_texts): str(k) for every int, one object per k in
[0, LIMIT), made on first use."""

from __future__ import annotations

import subprocess
import sys

from ruff.runtime.int_texts import LIMIT, int_text, int_texts
from ruff.runtime.dict_keys import key_text


def test_every_int_gets_its_decimal_text() -> None:
    for k in [0, 1, 9, 10, LIMIT - 1, LIMIT, LIMIT + 1, -1, -LIMIT, 2**63 - 1, -(2**63), 10**30, -(10**30)]:
        assert int_text(k) == str(k) and type(int_text(k)) is str


def test_small_ints_share_one_text_and_others_are_made_anew() -> None:
    texts = int_texts()
    assert len(texts) == LIMIT
    assert int_text(LIMIT - 1) is int_text(LIMIT - 1) is texts[LIMIT - 1]
    assert int_text(12345) is key_text(12345)  # what iterating a dict hands out for its int key
    assert int_text(LIMIT) is not int_text(LIMIT) and int_text(-7) is not int_text(-7)


def test_the_cache_is_made_on_first_use_not_at_start_up() -> None:
    code = ("import ruff.runtime.objects as o, ruff.runtime.int_texts as t\n"
            "assert t._texts is None\n"
            "d = {}; o.index_set(d, 'k', 1); o.index_set(d, 3, 1); o.index_get(d, '3')\n"
            "assert t._texts is None\n"
            "assert list(o.make_iterator(d)) == ['k', '3']\n"
            "assert t._texts is not None and t._texts[3] == '3'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
