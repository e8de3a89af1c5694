"""Regular expressions: regex_match, regex_find_all, regex_replace, regex_split (+ regex_captures).

Patterns use Rust regex syntax where it differs from Python's: `(?<name>...)` groups and `\\z`
are translated; replacements use `$1`, `${1}`, `$name`, `${name}` and `$$` as in Rust.
As in the reference an invalid pattern is not an error: regex_match gives false, regex_find_all
[], regex_replace the original text, regex_split [text].
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from ruff.runtime.builtins._util import Registry, check_arity, str_arg

reg = Registry()

_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?![=!])")


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Optional[re.Pattern]:
    translated = _NAMED_GROUP.sub("(?P<", pattern).replace("\\z", "\\Z")
    try:
        return re.compile(translated)
    except (re.error, OverflowError, RecursionError):
        return None


_REPL_TOKEN = re.compile(r"\$(?:\$|\{([^}]*)\}|([0-9A-Za-z_]+))")


def _expand(m: re.Match, repl: str) -> str:
    def group(ref: str) -> str:
        try:
            g = m.group(int(ref)) if ref.isdigit() else m.group(ref)
        except IndexError:
            return ""
        return g or ""

    def sub(t: re.Match) -> str:
        if t.group(0) == "$$":
            return "$"
        return group(t.group(1) if t.group(1) is not None else t.group(2))

    return _REPL_TOKEN.sub(sub, repl)



def _text_and_pattern(name: str, args: list, n: int) -> list:
    check_arity(name, args, n)
    return [str_arg(name, a, "string arguments") for a in args]


@reg("regex_match", "regex_test")
def regex_match(rt: Any, args: list) -> bool:
    text, pattern = _text_and_pattern("regex_match", args, 2)
    rx = compile_pattern(pattern)
    return rx is not None and rx.search(text) is not None


@reg("regex_find_all")
def regex_find_all(rt: Any, args: list) -> list:
    text, pattern = _text_and_pattern("regex_find_all", args, 2)
    rx = compile_pattern(pattern)
    if rx is None:
        return []
    return [m.group(0) for m in rx.finditer(text)]


@reg("regex_replace")
def regex_replace(rt: Any, args: list) -> str:
    text, pattern, repl = _text_and_pattern("regex_replace", args, 3)
    rx = compile_pattern(pattern)
    if rx is None:
        return text
    if "$" not in repl:
        return rx.sub(lambda m: repl, text)
    return rx.sub(lambda m: _expand(m, repl), text)


@reg("regex_split")
def regex_split(rt: Any, args: list) -> list:
    text, pattern = _text_and_pattern("regex_split", args, 2)
    rx = compile_pattern(pattern)
    if rx is None:
        return [text]
    out = []
    pos = 0
    for m in rx.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
    out.append(text[pos:])
    return out


@reg("regex_captures")
def regex_captures(rt: Any, args: list) -> Any:
    """regex_captures(text, pattern) -> [whole match, group 1, ...] of the first match, or null."""
    text, pattern = _text_and_pattern("regex_captures", args, 2)
    rx = compile_pattern(pattern)
    if rx is None:
        return None
    m = rx.search(text)
    if m is None:
        return None
    return [m.group(0), *[g if g is not None else "" for g in m.groups()]]
