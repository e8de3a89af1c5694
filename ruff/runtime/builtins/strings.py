"""String builtins (also reachable as methods: `s.upper()`, `s.split(",")`, ...).

Indexes and lengths count characters (code points), as the reference counts Rust chars.
Odd contracts kept: `contains` returns 1/0, not a boolean (so `print(contains("ab", "a"))` prints 1),
while `starts_with` and `ends_with` return booleans, as the reference's strings.rs does (its docs say 1/0
for all three; the source wins); `index_of` returns -1 when absent, `char_at` past the end returns "",
`substring` clamps its bounds, `split(s, "")` yields ["", chars..., ""] like Rust's split.
"""

from __future__ import annotations

from typing import Any

from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import RuffError, display
from ruff.runtime.builtins._util import (
    MAX_BUILT_STRING, Registry, arity_error, as_list, check_arity_range, equal, int_arg, str_arg, type_error,
)
from ruff.runtime.builtins.iterators import RuffRange

reg = Registry()


def _one_str(name: str, args: list) -> str:
    if len(args) != 1:
        raise arity_error(name, "1 argument", len(args))
    s = args[0]
    if type(s) is not str:
        raise type_error(name, "a string", s)
    return s


def _two_str(name: str, args: list) -> tuple[str, str]:
    if len(args) != 2:
        raise arity_error(name, "2 arguments", len(args))
    a, b = args
    if type(a) is not str:
        raise type_error(name, "a string", a)
    if type(b) is not str:
        raise type_error(name, "a string argument", b)
    return a, b


def _index(v: Any) -> int:
    """Rust's `f as usize` on the reference's numeric index: negatives saturate to 0."""
    t = type(v)
    if t is int:
        return v if v > 0 else 0
    if t is float:
        if v != v or v <= 0:
            return 0
        if v == float("inf"):
            return 1 << 62
        return int(v)
    return -1


@reg("to_upper", "upper", fast=True)
def to_upper(rt: Any, args: list) -> str:
    return _one_str("to_upper", args).upper()


@reg("to_lower", "lower", fast=True)
def to_lower(rt: Any, args: list) -> str:
    return _one_str("to_lower", args).lower()


@reg("capitalize", fast=True)
def capitalize(rt: Any, args: list) -> str:
    s = _one_str("capitalize", args)
    return s[:1].upper() + s[1:].lower()


@reg("trim", fast=True)
def trim(rt: Any, args: list) -> str:
    return _one_str("trim", args).strip()


@reg("trim_start", fast=True)
def trim_start(rt: Any, args: list) -> str:
    return _one_str("trim_start", args).lstrip()


@reg("trim_end", fast=True)
def trim_end(rt: Any, args: list) -> str:
    return _one_str("trim_end", args).rstrip()


@reg("char_at", fast=True)
def char_at(rt: Any, args: list) -> str:
    if len(args) != 2:
        raise arity_error("char_at", "2 arguments", len(args))
    s, i = args
    if type(s) is not str:
        raise type_error("char_at", "a string", s)
    idx = _index(i)
    if idx < 0:
        raise type_error("char_at", "a numeric index", i)
    return s[idx] if idx < len(s) else ""


@reg("is_empty", fast=True)
def is_empty(rt: Any, args: list) -> bool:
    if len(args) != 1:
        raise arity_error("is_empty", "1 argument", len(args))
    v = args[0]
    t = type(v)
    if t is str or t is list or t is dict:
        return len(v) == 0
    if t is RuffRange:
        return not v.r
    size = getattr(v, "ruff_len", None)
    if size is not None:
        return size() == 0
    raise type_error("is_empty", "a string, array or dict", v)


@reg("count_chars", fast=True)
def count_chars(rt: Any, args: list) -> int:
    return len(_one_str("count_chars", args))


@reg("chars", fast=True)
def chars(rt: Any, args: list) -> list:
    return list(_one_str("chars", args))


@reg("contains", fast=True)
def contains(rt: Any, args: list) -> int:
    if len(args) != 2:
        raise arity_error("contains", "2 arguments", len(args))
    hay, needle = args
    t = type(hay)
    if t is str:
        if type(needle) is not str:
            raise type_error("contains", "a string to search for", needle)
        return 1 if needle in hay else 0
    if t is list:
        for x in hay:
            if equal(x, needle):
                return 1
        return 0
    if t is dict:
        tn = type(needle)
        if tn is int:
            return 1 if needle in hay else 0
        if tn is str:
            return 1 if text_key(needle) in hay else 0
        raise type_error("contains", "a string key", needle)
    if t is RuffRange:
        return 1 if type(needle) in (int, float) and needle in hay.r else 0
    member = getattr(hay, "ruff_contains", None)
    if member is not None:
        return 1 if member(needle) else 0
    raise type_error("contains", "a string, array or dict", hay)


@reg("substring", "substr", fast=True)
def substring(rt: Any, args: list) -> str:
    if len(args) != 3:
        raise arity_error("substring", "3 arguments", len(args))
    s, a, b = args
    if type(s) is not str:
        raise type_error("substring", "a string", s)
    start, end = _index(a), _index(b)
    if start < 0:
        raise type_error("substring", "numeric start and end", a)
    if end < 0:
        raise type_error("substring", "numeric start and end", b)
    if start >= len(s) or end <= start:
        return ""
    return s[start:end]


@reg("replace", "replace_str", fast=True)
def replace(rt: Any, args: list) -> str:
    if len(args) != 3:
        raise arity_error("replace", "3 arguments", len(args))
    s, old, new = args
    if type(s) is not str or type(old) is not str or type(new) is not str:
        bad = next(x for x in args if type(x) is not str)
        raise type_error("replace", "string arguments", bad)
    return s.replace(old, new)


@reg("starts_with", fast=True)
def starts_with(rt: Any, args: list) -> bool:
    s, p = _two_str("starts_with", args)
    return s.startswith(p)


@reg("ends_with", fast=True)
def ends_with(rt: Any, args: list) -> bool:
    s, p = _two_str("ends_with", args)
    return s.endswith(p)


@reg("index_of", fast=True)
def index_of(rt: Any, args: list) -> int:
    if len(args) != 2:
        raise arity_error("index_of", "2 arguments", len(args))
    hay, needle = args
    t = type(hay)
    if t is str:
        if type(needle) is not str:
            raise type_error("index_of", "a string to search for", needle)
        return hay.find(needle)
    if t is list or t is RuffRange:
        for i, x in enumerate(hay):
            if equal(x, needle):
                return i
        return -1
    raise type_error("index_of", "a string or array", hay)


@reg("repeat", fast=True)
def repeat(rt: Any, args: list) -> str:
    if len(args) != 2:
        raise arity_error("repeat", "2 arguments", len(args))
    s, n = args
    if type(s) is not str:
        raise type_error("repeat", "a string", s)
    count = _index(n)
    if count < 0:
        raise type_error("repeat", "a numeric count", n)
    if count and len(s) * count > MAX_BUILT_STRING:
        raise RuffError(f"repeat(): result too large ({len(s)} x {count} characters)")
    return s * count


@reg("split", fast=True)
def split(rt: Any, args: list) -> list:
    s, sep = _two_str("split", args)
    if sep == "":
        return ["", *s, ""]
    return s.split(sep)


@reg("join", fast=True)
def join(rt: Any, args: list) -> str:
    if len(args) != 2:
        raise arity_error("join", "2 arguments", len(args))
    items, sep = args
    if type(sep) is not str:
        raise type_error("join", "a string separator", sep)
    if type(items) is not list:
        items = as_list("join", items)
    return sep.join([x if type(x) is str else display(x) for x in items])


def _pad(name: str, args: list, left: bool) -> str:
    check_arity_range(name, args, 2, 3)
    s = args[0]
    if type(s) is not str:
        raise type_error(name, "a string", s)
    width = int_arg(name, args[1], "a numeric width")
    fill = " "
    if len(args) == 3:
        f = args[2]
        if type(f) is not str:
            raise type_error(name, "a string pad character", f)
        fill = f[:1] or " "
    missing = width - len(s)
    if missing <= 0:
        return s
    if width > MAX_BUILT_STRING:
        raise RuffError(f"{name}(): width too large ({width} characters, the limit is {MAX_BUILT_STRING})")
    return fill * missing + s if left else s + fill * missing


@reg("pad_left", "pad_start")
def pad_left(rt: Any, args: list) -> str:
    return _pad("pad_left", args, True)


@reg("pad_right", "pad_end")
def pad_right(rt: Any, args: list) -> str:
    return _pad("pad_right", args, False)


@reg("lines")
def lines(rt: Any, args: list) -> list:
    """Rust's str::lines: split on \\n, drop one trailing \\r per line, no final empty line."""
    s = _one_str("lines", args)
    if not s:
        return []
    parts = s.split("\n")
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


@reg("words")
def words(rt: Any, args: list) -> list:
    return _one_str("words", args).split()


@reg("str_reverse")
def str_reverse(rt: Any, args: list) -> str:
    return _one_str("str_reverse", args)[::-1]


@reg("slugify")
def slugify(rt: Any, args: list) -> str:
    s = _one_str("slugify", args).lower()
    mapped = []
    for c in s:
        if c.isalnum():
            mapped.append(c)
        elif c.isspace() or c == "_":
            mapped.append("-")
        else:
            mapped.append(" ")
    joined = "".join("".join(mapped).split())
    return joined.replace("--", "-").strip("-")


@reg("truncate")
def truncate(rt: Any, args: list) -> str:
    check_arity_range("truncate", args, 2, 3)
    s = str_arg("truncate", args[0])
    max_len = int_arg("truncate", args[1], "a numeric length")
    suffix = str_arg("truncate", args[2], "a string suffix") if len(args) == 3 else ""
    if len(s) <= max_len:
        return s
    keep = max(0, max_len - len(suffix))
    return s[:keep] + suffix


def _split_words(s: str) -> list[str]:
    out, cur = [], []
    for c in s:
        if c.isalnum():
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


@reg("to_camel_case")
def to_camel_case(rt: Any, args: list) -> str:
    ws = _split_words(_one_str("to_camel_case", args))
    if not ws:
        return ""
    return ws[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in ws[1:])


def snake_case(s: str) -> str:
    out: list[str] = []
    prev_upper = False
    for i, c in enumerate(s):
        if c.isupper():
            if i > 0 and not prev_upper:
                out.append("_")
            out.append(c.lower()[:1])
            prev_upper = True
        elif c.isalnum():
            out.append(c)
            prev_upper = False
        elif not c.isspace() and c != "_" and c != "-":
            prev_upper = False
        else:
            if i > 0 and (not out or out[-1] != "_"):
                out.append("_")
            prev_upper = False
    return "".join(out).strip("_")


@reg("to_snake_case")
def to_snake_case(rt: Any, args: list) -> str:
    return snake_case(_one_str("to_snake_case", args))


@reg("to_kebab_case")
def to_kebab_case(rt: Any, args: list) -> str:
    return snake_case(_one_str("to_kebab_case", args)).replace("_", "-")

