"""How a Ruff dict keeps its keys: a number's text is kept as the int it spells.

A Ruff dict's keys are strings, and an int index stands for its decimal text (`d[5]` is `d["5"]`). Kept as
str objects, a loop filling a dict with int keys makes a new string per key and hashes it with siphash,
and every probe of the table reads the hash from a colliding key's own object (a cache miss each). Kept as
Python ints, such keys hash to themselves, fill the table in order and are compared without touching
another object — CPython's own int-keyed dicts. V8 does the same for JavaScript's array-index property
names, which have the same semantics (`o[5]` is `o["5"]`).

The rule, which every tier and builtin keeps so a key has exactly one stored form:

- a key that is the canonical decimal text of an i64 (`"0"`, `"42"`, `"-7"`; not `"007"`, `"-0"`, `"+1"`,
  `" 1"` or `"1_0"`) is stored as that int; an int key is stored as itself;
- every other string is stored as the string.

So the Python dict behind a Ruff dict may hold int keys. What Ruff code sees is always text: anything
that hands keys out (iteration, `keys`, `items`, display, JSON...) goes through `key_text`, and anything
that takes keys in from outside (a parsed document, a request's headers, rows) goes through `stored_key`
or `canonical`.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Union

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.int_texts import int_text

StoredKey = Union[int, str]

# The longest i64 text: 19 digits and a minus sign.
_MAX_TEXT = 20


def int_of_text(s: str) -> Any:
    """The i64 whose canonical decimal text `s` is, or None."""
    n = len(s)
    if n == 0 or n > _MAX_TEXT or not s.isascii():
        return None
    digits = s[1:] if s[0] == "-" else s
    if not digits.isdigit() or (digits[0] == "0" and (len(digits) > 1 or digits is not s)):
        return None  # not digits, a leading zero, or "-0"
    v = int(s)
    return v if I64_MIN <= v <= I64_MAX else None


def text_key(s: str) -> StoredKey:
    """The stored form of string key `s`."""
    # A number's text starts with a digit or '-', all of which sort before ':': one comparison settles
    # nearly every other key.
    if s >= ":":
        return s
    v = int_of_text(s)
    return s if v is None else v


def stored_key(k: Any) -> StoredKey:
    """The stored form of a key that is a str or an int (the caller has checked which)."""
    return text_key(k) if type(k) is str else k


def key_text(k: StoredKey) -> str:
    """What Ruff code sees for stored key `k`: its text."""
    return int_text(k) if type(k) is int else k  # type: ignore[arg-type]


def key_texts(d: dict) -> list[str]:
    """The keys of `d` as Ruff sees them, in the dict's order."""
    return [int_text(k) if type(k) is int else k for k in d]


def text_items(d: dict) -> Iterator[tuple[str, Any]]:
    """(key text, value) for each entry of `d`, in the dict's order."""
    for k, v in d.items():
        yield (int_text(k) if type(k) is int else k), v


def sorted_text_items(d: dict) -> list[tuple[str, Any]]:
    """(key text, value) for each entry of `d`, ordered by key text (how a dict is displayed)."""
    return sorted(text_items(d), key=_first)


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def canonical(d: dict) -> dict:
    """`d` (a dict with str keys made outside the runtime: a parsed document, headers, rows) with its
    number-text keys stored as ints, in place and in the same order; returns `d`."""
    if any(type(k) is str and k < ":" and int_of_text(k) is not None for k in d):
        items = [(stored_key(k), v) for k, v in d.items()]
        d.clear()
        d.update(items)
    return d


def from_text_pairs(pairs: Iterable[tuple[str, Any]]) -> dict:
    """A Ruff dict of (str key, value) pairs made outside the runtime, keys stored by the rule."""
    return {text_key(k): v for k, v in pairs}
