"""Regular expressions: regex_match, regex_find_all, regex_replace, regex_split (+ regex_captures).

Patterns run on the reference's own engine, the Rust `regex` crate (through the `rurex` bindings, imported
on first use): its syntax (`(?<name>...)`, `\\z`, Unicode-aware `\\w \\d \\s \\b`, class set operations)
and its linear-time matching, so `^(a+)+$` against 30 `a`s and a `!` answers at once instead of
backtracking for minutes. Replacements use `$1`, `${1}`, `$name`, `${name}` and `$$` as in Rust.
As in the reference an invalid pattern is not an error: regex_match gives false, regex_find_all [],
regex_replace the original text, regex_split [text]. That includes what the Rust crate refuses by design
(look-around, backreferences), exactly the set the reference refuses.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Optional

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, check_arity, str_arg

reg = Registry()


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Optional[Any]:
    """The compiled pattern, or None where the Rust crate refuses it (an invalid pattern)."""
    import rurex  # 2 ms: only programs that use a regex pay for it

    try:
        return rurex.compile(pattern)
    except (rurex.error, OverflowError, ValueError, TypeError):  # Value/TypeError: a lone surrogate, never Rust text
        return None


def _rust_text(fn: Callable[[Any, list], Any]) -> Callable[[Any, list], Any]:
    """A lone surrogate (from a file name, argument or environment variable that is not UTF-8) cannot be
    searched: Rust strings cannot hold it."""

    @functools.wraps(fn)
    def run(rt: Any, args: list) -> Any:
        try:
            return fn(rt, args)
        except UnicodeEncodeError:
            raise RuffError(f"{fn.__name__}() cannot search text holding a lone surrogate character") from None

    return run


_REPL_TOKEN = re.compile(r"\$(?:\$|\{([^}]*)\}|([0-9A-Za-z_]+))")


def _expand(m: Any, repl: str) -> str:
    def group(ref: str) -> str:
        try:
            # No pattern has 10**9 groups: past that a number names none (and int() has a digit limit).
            g = m.group(int(ref)) if ref.isdigit() and len(ref) < 10 else m.group(ref)
        except (IndexError, KeyError):
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
@_rust_text
def regex_match(rt: Any, args: list) -> bool:
    text, pattern = _text_and_pattern("regex_match", args, 2)
    rx = compile_pattern(pattern)
    return rx is not None and rx.search(text) is not None


@reg("regex_find_all")
@_rust_text
def regex_find_all(rt: Any, args: list) -> list:
    text, pattern = _text_and_pattern("regex_find_all", args, 2)
    rx = compile_pattern(pattern)
    if rx is None:
        return []
    return [m.group(0) for m in rx.finditer(text)]


@reg("regex_replace")
@_rust_text
def regex_replace(rt: Any, args: list) -> str:
    text, pattern, repl = _text_and_pattern("regex_replace", args, 3)
    rx = compile_pattern(pattern)
    if rx is None:
        return text
    if "$" not in repl:
        return rx.sub(lambda m: repl, text)
    return rx.sub(lambda m: _expand(m, repl), text)


@reg("regex_split")
@_rust_text
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
@_rust_text
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
