"""Dict builtins (also methods: `d.keys()`, `d.get("k", 0)`, ...).

Keys are strings (an int key means its decimal text). A number's text is stored as the int it spells
(ruff.runtime.dict_keys): keys given by the program are looked up and stored in that form (`text_key`,
`dict_key`) and handed out as text. keys/values/items come in the order of the key texts, as the
reference returns them. `has_key` returns 1/0 (the reference documents this); `get` returns null (or the
given default) for a missing key. merge/update/invert return new dicts.
"""

from __future__ import annotations

from typing import Any

from ruff.runtime.dict_keys import key_text, sorted_text_items, text_key
from ruff.runtime.values import display
from ruff.runtime.builtins._util import (
    Registry, arity_error, check_arity, dict_arg, dict_key, type_error,
)

reg = Registry()


def _the_dict(name: str, args: list, n: int) -> dict:
    if len(args) != n:
        raise arity_error(name, f"{n} argument" + ("s" if n != 1 else ""), len(args))
    d = args[0]
    if type(d) is not dict:
        raise type_error(name, "a dict", d)
    return d


@reg("keys", fast=True)
def keys(rt: Any, args: list) -> list:
    return [k for k, _ in sorted_text_items(_the_dict("keys", args, 1))]


@reg("values", fast=True)
def values(rt: Any, args: list) -> list:
    return [v for _, v in sorted_text_items(_the_dict("values", args, 1))]


@reg("items", "entries", fast=True)
def items(rt: Any, args: list) -> list:
    return [[k, v] for k, v in sorted_text_items(_the_dict("items", args, 1))]


@reg("has_key", fast=True)
def has_key(rt: Any, args: list) -> int:
    d = _the_dict("has_key", args, 2)
    k = args[1]
    tk = type(k)
    if tk is str:
        return 1 if text_key(k) in d else 0
    if tk is int:
        return 1 if k in d else 0
    return 0


@reg("get", fast=True)
def get(rt: Any, args: list) -> Any:
    n = len(args)
    if n != 2 and n != 3:
        raise arity_error("get", "2 or 3 arguments", n)
    d = args[0]
    k = args[1]
    default = args[2] if n == 3 else None
    td = type(d)
    if td is dict:
        tk = type(k)
        if tk is str:
            return d.get(text_key(k), default)
        if tk is int:
            return d.get(k, default)
        return default
    if td is list and type(k) is int:
        # get(array, i, default): the element, or the default when out of bounds.
        return d[k] if -len(d) <= k < len(d) else default
    raise type_error("get", "a dict", d)


@reg("get_default")
def get_default(rt: Any, args: list) -> Any:
    d = _the_dict("get_default", args, 3)
    k = args[1]
    tk = type(k)
    if tk is str:
        k = text_key(k)
    elif tk is not int:
        return args[2]
    return d.get(k, args[2])


@reg("merge")
def merge(rt: Any, args: list) -> dict:
    check_arity("merge", args, 2)
    a = dict_arg("merge", args[0])
    b = dict_arg("merge", args[1])
    out = dict(a)
    out.update(b)
    return out


@reg("update")
def update(rt: Any, args: list) -> dict:
    check_arity("update", args, 2)
    a = dict_arg("update", args[0])
    b = dict_arg("update", args[1])
    out = dict(a)
    out.update(b)
    return out


@reg("invert")
def invert(rt: Any, args: list) -> dict:
    """Swap keys and values; values that are not strings, numbers or bools are skipped."""
    d = _the_dict("invert", args, 1)
    out: dict = {}
    for k, v in d.items():
        t = type(v)
        if t is str or t is int or t is float or t is bool:
            out[text_key(v if t is str else display(v))] = key_text(k)
    return out


@reg("set_key", "dict_set")
def set_key(rt: Any, args: list) -> dict:
    """set_key(d, k, v): a new dict with k set to v (the value-style counterpart of `d[k] = v`)."""
    d = _the_dict("set_key", args, 3)
    out = dict(d)
    out[dict_key("set_key", args[1])] = args[2]
    return out


@reg("from_items", "from_entries")
def from_items(rt: Any, args: list) -> dict:
    """from_items([[k, v], ...]) -> dict."""
    check_arity("from_items", args, 1)
    pairs = args[0]
    if type(pairs) is not list:
        raise type_error("from_items", "an array of [key, value] pairs", pairs)
    out: dict = {}
    for p in pairs:
        if type(p) is not list or len(p) != 2:
            raise type_error("from_items", "an array of [key, value] pairs", p)
        out[dict_key("from_items", p[0])] = p[1]
    return out

