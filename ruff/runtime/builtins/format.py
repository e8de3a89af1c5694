"""`format(template, args...)`: printf-style and `{}` placeholders.

- `%s` shows any value as print does; `%d` an integer (floats truncate, bools are 1/0);
  `%f` a float in its shortest round-trip form (as the reference) unless a precision is given;
  `%%` is a literal percent. Flags, width and precision work as in C: `%-8s`, `%05d`, `%.2f`, `%+d`.
  Only these three conversions exist (as in the reference), so "50%off" stays literal.
- `{}` takes the next argument, shown as print does (the reference documents
  `format("{}-{}", ["a", 1])`: a single array argument is spread over two or more placeholders).
- A `%` not followed by a conversion stays literal; extra arguments are ignored; a missing one is
  the error "format() missing argument for placeholder %d".
- Widths and precisions are ours (the reference has neither), so their bound is ours too: at most
  MAX_FIELD (a million), so that a typo like `%999999999d` is an error rather than a gigabyte string.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ruff.runtime.values import RuffError, display, format_float
from ruff.runtime.builtins._util import Registry, check_min_arity, type_error, type_name_of

reg = Registry()

MAX_FIELD = 1_000_000  # characters of width or precision; far beyond any real layout

_SPEC = re.compile(r"%([-+0]*)(\d*)(?:\.(\d+))?([sdf%])|\{\}")


def _as_int(v: Any, conv: str) -> int:
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return 1 if v else 0
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise RuffError(f"format() %{conv} requires a finite number, got {format_float(v)}")
        return int(v)
    raise RuffError(f"format() %{conv} requires numeric argument, got {type_name_of(v)}")


def _as_float(v: Any, conv: str) -> float:
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    raise RuffError(f"format() %{conv} requires numeric argument, got {type_name_of(v)}")


def _field(digits: str, what: str, spec: str) -> int:
    """A width or precision, checked against MAX_FIELD before Python converts the digits (a few thousand
    digits would hit Python's own int-conversion limit)."""
    if len(digits) > len(str(MAX_FIELD)) or int(digits) > MAX_FIELD:
        if len(spec) > 24:
            spec = f"{spec[:12]}...{spec[-4:]}"
        raise RuffError(f"format() {what} in {spec} is too large (the maximum is {MAX_FIELD})")
    return int(digits)


def _pad(text: str, flags: str, width: int, numeric: bool) -> str:
    w = width
    if len(text) >= w:
        return text
    if "-" in flags:
        return text.ljust(w)
    if "0" in flags and numeric:
        sign = text[:1] if text[:1] in "+- " else ""
        body = text[len(sign):]
        return sign + body.rjust(w - len(sign), "0")
    return text.rjust(w)


def _sign(flags: str, negative: bool) -> str:
    if negative:
        return "-"
    if "+" in flags:
        return "+"
    if " " in flags:
        return " "
    return ""


def format_one(flags: str, width: int, prec: int | None, conv: str, v: Any) -> str:
    if conv == "s":
        text = v if type(v) is str else display(v)
        if prec is not None:
            text = text[:prec]
        return _pad(text, flags, width, False)
    if conv == "d":
        n = _as_int(v, conv)
        return _pad(_sign(flags, n < 0) + str(abs(n)), flags, width, True)
    if conv == "f":
        x = _as_float(v, conv)
        if x != x or x in (float("inf"), float("-inf")):
            body = format_float(abs(x)) if x == x else "NaN"
            return _pad(_sign(flags, x < 0) + body, flags, width, False)
        if prec is not None:
            body = f"{abs(x):.{prec}f}"
        else:
            body = format_float(abs(x))
        negative = math.copysign(1.0, x) < 0
        return _pad(_sign(flags, negative) + body, flags, width, True)
    raise RuffError(f"format() unknown placeholder %{conv}")


def format_string(template: str, args: list) -> str:
    out: list[str] = []
    pos = 0
    next_arg = 0
    for m in _SPEC.finditer(template):
        out.append(template[pos:m.start()])
        pos = m.end()
        if m.group(0) == "{}":
            if next_arg >= len(args):
                raise RuffError("format() missing argument for placeholder {}")
            v = args[next_arg]
            next_arg += 1
            out.append(v if type(v) is str else display(v))
            continue
        flags, width, prec, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        if next_arg >= len(args):
            raise RuffError(f"format() missing argument for placeholder %{conv}")
        spec = m.group(0)
        out.append(format_one(flags, _field(width, "width", spec) if width else 0,
                              _field(prec, "precision", spec) if prec is not None else None, conv, args[next_arg]))
        next_arg += 1
    out.append(template[pos:])
    return "".join(out)


def count_placeholders(template: str) -> int:
    return sum(1 for m in _SPEC.finditer(template) if not m.group(0).endswith("%"))


@reg("format")
def format_(rt: Any, args: list) -> str:
    check_min_arity("format", args, 1)
    template = args[0]
    if type(template) is not str:
        raise type_error("format", "a string template", template)
    rest = args[1:]
    if len(rest) == 1 and type(rest[0]) is list and count_placeholders(template) >= 2:
        rest = rest[0]
    return format_string(template, rest)
