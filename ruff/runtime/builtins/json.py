"""Data formats: JSON (parse_json, to_json, to_json_pretty), CSV, TOML, base64.

JSON follows the reference (serde_json): integers stay ints (beyond i64 they become floats), floats
stay floats; to_json writes compact text (`{"a":1,"b":[1,2]}`), dict keys sorted, non-ASCII kept,
floats in serde's form (`1.0`, `1e20`, `0.00001`); non-finite floats are an error. Input is limited
to 1 MiB and 64 levels of nesting, as in the reference.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Optional

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import canonical, key_texts, sorted_text_items, text_items, text_key
from ruff.runtime.values import EnumValue, RuffError, StructInstance, format_float
from ruff.runtime.builtins._util import (
    Registry, check_arity, str_arg, type_error, type_name_of,
)

reg = Registry()

MAX_JSON_INPUT_BYTES = 1_048_576
MAX_JSON_DEPTH = 64


# ----------------------------------------------------------------------------- parse


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON value {name}")


def _int_or_float(text: str) -> Any:
    if len(text.lstrip("-")) <= 19:
        n = int(text)
        if I64_MIN <= n <= I64_MAX:
            return n
    return _finite_float(text)


def _finite_float(text: str) -> float:
    """A JSON number beyond f64 is an error in serde_json, not infinity."""
    f = float(text)
    if f in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return f


def _check_depth(v: Any, depth: int = 0) -> None:
    stack = [(v, 0)]
    while stack:
        x, d = stack.pop()
        if d > MAX_JSON_DEPTH:
            raise RuffError(f"JSON input exceeds maximum nesting depth of {MAX_JSON_DEPTH}")
        if type(x) is list:
            stack.extend((y, d + 1) for y in x)
        elif type(x) is dict:
            stack.extend((y, d + 1) for y in x.values())


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)


def _lone_surrogate_escape(text: str) -> Optional[int]:
    """Where the first `\\uD800`-`\\uDFFF` escape that is not half of a pair ends, or None. Python's
    json reads one as a lone surrogate, which no Ruff (Rust) string can hold; serde_json refuses it."""
    pending = None  # a leading surrogate's escape, waiting for its trailing half
    for m in _ESCAPE.finditer(text):
        code = int(m.group(1), 16) if m.group(1) else -1
        if pending is not None:
            if m.start() == pending.end() and 0xDC00 <= code <= 0xDFFF:
                pending = None
                continue
            return pending.end()
        if 0xD800 <= code <= 0xDBFF:
            pending = m
        elif 0xDC00 <= code <= 0xDFFF:
            return m.end()
    return pending.end() if pending is not None else None


def parse_json_text(text: str) -> Any:
    import json as _json

    if len(text.encode("utf-8", "surrogatepass")) > MAX_JSON_INPUT_BYTES:
        raise RuffError(f"JSON input exceeds maximum input size of {MAX_JSON_INPUT_BYTES} bytes")
    try:
        value = _json.loads(text, parse_int=_int_or_float, parse_float=_finite_float,
                            parse_constant=_reject_constant, object_hook=canonical)
    except RecursionError:
        raise RuffError(f"JSON input exceeds maximum nesting depth of {MAX_JSON_DEPTH}") from None
    except ValueError as e:
        raise RuffError(f"JSON parse error: {e}") from None
    if "\\ud" in text or "\\uD" in text:
        end = _lone_surrogate_escape(text)
        if end is not None:
            line = text.count("\n", 0, end) + 1
            raise RuffError(f"JSON parse error: lone leading surrogate in hex escape at line {line} "
                            f"column {end - (text.rfind(chr(10), 0, end) + 1)}")
    _check_depth(value)
    return value


@reg("parse_json", "json_parse")
def parse_json(rt: Any, args: list) -> Any:
    check_arity("parse_json", args, 1)
    return parse_json_text(str_arg("parse_json", args[0]))


# ----------------------------------------------------------------------------- serialize


def json_float(f: float) -> str:
    """serde_json's (ryu's) text for a finite float."""
    if f == 0:
        return "-0.0" if str(f).startswith("-") else "0.0"
    sign = "-" if f < 0 else ""
    tup = Decimal(repr(abs(f))).as_tuple()
    digits = "".join(map(str, tup.digits)).lstrip("0") or "0"
    exp = int(tup.exponent)
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    digits = stripped
    n = len(digits)
    kk = n + exp  # position of the decimal point relative to the digits
    if exp >= 0 and kk <= 16:
        return sign + digits + "0" * exp + ".0"
    if 0 < kk <= 16:
        return sign + digits[:kk] + "." + digits[kk:]
    if -5 < kk <= 0:
        return sign + "0." + "0" * (-kk) + digits
    mant = digits[0] + ("." + digits[1:] if n > 1 else "")
    return sign + mant + "e" + str(kk - 1)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        e = _ESCAPES.get(ch)
        if e is not None:
            out.append(e)
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def to_json_text(v: Any, indent: int = 0, depth: int = 0, level: int = 0) -> str:
    if depth > MAX_JSON_DEPTH:
        raise RuffError(f"JSON value exceeds maximum nesting depth of {MAX_JSON_DEPTH}")
    t = type(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise RuffError(f"Cannot convert non-finite float {format_float(v)} to JSON")
        return json_float(v)
    if t is str:
        return _json_string(v)
    if t is dict:
        return _container("{", "}", [(_json_string(k), x) for k, x in sorted_text_items(v)], indent, depth,
                          level)
    if isinstance(v, StructInstance):
        return _container("{", "}", [(_json_string(k), x) for k, x in sorted(v.field_items())],
                          indent, depth, level)
    if t is list:
        return _container("[", "]", [(None, x) for x in v], indent, depth, level)
    if t is EnumValue and v.enum == "Option" and not v.values:
        return "null"
    items = getattr(v, "items", None)
    to_list = getattr(v, "ruff_to_list", None)
    if to_list is not None:
        return _container("[", "]", [(None, x) for x in to_list()], indent, depth, level)
    if isinstance(items, list) and type_name_of(v) in ("set", "queue", "stack"):
        return _container("[", "]", [(None, x) for x in items], indent, depth, level)
    raise RuffError(f"Cannot convert {type_name_of(v)} to JSON")


def _container(open_: str, close: str, entries: list, indent: int, depth: int, level: int) -> str:
    if not entries:
        return open_ + close
    parts = []
    for key, x in entries:
        text = to_json_text(x, indent, depth + 1, level + 1)
        if key is None:
            parts.append(text)
        else:
            parts.append(key + (": " if indent else ":") + text)
    if not indent:
        return open_ + ",".join(parts) + close
    pad = " " * (indent * (level + 1))
    end_pad = " " * (indent * level)
    return open_ + "\n" + (",\n").join(pad + p for p in parts) + "\n" + end_pad + close


@reg("to_json", "json_stringify")
def to_json(rt: Any, args: list) -> str:
    check_arity("to_json", args, 1)
    return to_json_text(args[0])


@reg("to_json_pretty")
def to_json_pretty(rt: Any, args: list) -> str:
    check_arity("to_json_pretty", args, 1)
    return to_json_text(args[0], indent=2)


# ----------------------------------------------------------------------------- CSV


def _csv_cell(text: str) -> Any:
    from ruff.runtime.builtins.core import parse_float_text, parse_int_text

    n = parse_int_text(text) if text.strip() == text else None
    if n is not None:
        return n
    f = parse_float_text(text) if text.strip() == text and text.lower() not in ("inf", "nan", "infinity") else None
    if f is not None:
        return f
    return text


@reg("parse_csv")
def parse_csv(rt: Any, args: list) -> list:
    """parse_csv(text) -> array of dicts keyed by the header row; numeric cells become numbers."""
    check_arity("parse_csv", args, 1)
    text = str_arg("parse_csv", args[0])
    import csv as _csv
    import io as _io

    try:
        rows = list(_csv.reader(_io.StringIO(text)))
    except _csv.Error as e:
        raise RuffError(f"CSV parse error: {e}") from None
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    keys = [text_key(h) for h in header]
    out = []
    for row in body:
        if not row:
            continue
        if len(row) != len(header):
            raise RuffError(f"CSV parse error: found record with {len(row)} fields, "
                            f"but the header has {len(header)} fields")
        out.append({k: _csv_cell(c) for k, c in zip(keys, row)})
    return out


def _csv_text(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return format_float(v)
    return ""


@reg("to_csv")
def to_csv(rt: Any, args: list) -> str:
    """to_csv(array of dicts) -> CSV text with a header row from the first dict's (sorted) keys."""
    check_arity("to_csv", args, 1)
    rows = args[0]
    if type(rows) is not list:
        raise type_error("to_csv", "an array of dicts", rows)
    if not rows:
        raise RuffError("CSV requires non-empty array")
    if type(rows[0]) is not dict:
        raise RuffError("CSV requires array of dictionaries")
    headers = sorted(key_texts(rows[0]))
    keys = [text_key(h) for h in headers]
    import csv as _csv
    import io as _io

    buf = _io.StringIO()
    w = _csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    for row in rows:
        if type(row) is not dict:
            raise RuffError("CSV requires array of dictionaries")
        w.writerow([_csv_text(row.get(k)) for k in keys])
    return buf.getvalue()


# ----------------------------------------------------------------------------- TOML


def _from_toml(v: Any) -> Any:
    t = type(v)
    if t is dict:
        return {text_key(k): _from_toml(x) for k, x in v.items()}
    if t is list:
        return [_from_toml(x) for x in v]
    if t in (str, int, float, bool):
        return v
    return str(v)  # dates and times as text, as the reference does


@reg("parse_toml")
def parse_toml(rt: Any, args: list) -> Any:
    check_arity("parse_toml", args, 1)
    text = str_arg("parse_toml", args[0])
    import tomllib

    try:
        return _from_toml(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        raise RuffError(f"TOML parse error: {e}") from None


def _toml_key(k: str) -> str:
    if k and all(c.isalnum() or c in "-_" for c in k) and k.isascii():
        return k
    return _json_string(k)


MAX_TOML_DEPTH = 128  # nested tables and arrays written by to_toml (a cyclic dict would nest forever)


def _toml_too_deep(depth: int) -> None:
    if depth > MAX_TOML_DEPTH:
        raise RuffError(f"TOML serialization error: value exceeds maximum nesting depth of {MAX_TOML_DEPTH}")


def _toml_value(v: Any, depth: int) -> str:
    _toml_too_deep(depth)
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return json_float(v)
    if t is str:
        return _json_string(v)
    if v is None:
        return '""'
    if t is list:
        return "[" + ", ".join(_toml_value(x, depth + 1) for x in v) + "]"
    if t is dict:
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x, depth + 1)}" for k, x in text_items(v)) + " }"
    raise RuffError(f"Cannot convert {type_name_of(v)} to TOML")


def _toml_table(d: dict, prefix: str, out: list, depth: int = 0) -> None:
    _toml_too_deep(depth)
    simple = [(k, x) for k, x in text_items(d) if type(x) is not dict]
    tables = [(k, x) for k, x in text_items(d) if type(x) is dict]
    for k, x in simple:
        out.append(f"{_toml_key(k)} = {_toml_value(x, depth + 1)}")
    for k, x in tables:
        name = f"{prefix}.{_toml_key(k)}" if prefix else _toml_key(k)
        if out:
            out.append("")
        out.append(f"[{name}]")
        _toml_table(x, name, out, depth + 1)


@reg("to_toml")
def to_toml(rt: Any, args: list) -> str:
    check_arity("to_toml", args, 1)
    d = args[0]
    if type(d) is not dict:
        raise type_error("to_toml", "a dict", d)
    out: list[str] = []
    _toml_table(d, "", out)
    return "\n".join(out) + ("\n" if out else "")


# ----------------------------------------------------------------------------- base64

_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def b64decode_strict(text: str) -> bytes:
    """Standard base64 with canonical padding, as the reference's decoder (base64 0.21) accepts it.

    Raises ValueError with that decoder's message ("Invalid byte 33, offset 0.", "Invalid padding", ...)."""
    import base64 as _b64

    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate is just another invalid byte here
    body = data.rstrip(b"=")
    pad = len(data) - len(body)
    for i, byte in enumerate(body):
        if byte not in _B64_ALPHABET:
            raise ValueError(f"Invalid byte {byte}, offset {i}.")
    if len(body) % 4 == 1:
        raise ValueError("Encoded text cannot have a 6-bit remainder.")
    if pad != (-len(body)) % 4:
        raise ValueError("Invalid padding")
    raw = _b64.b64decode(data, validate=True)
    if body and _b64.b64encode(raw) != data:  # non-zero bits after the last whole byte
        raise ValueError(f"Invalid last symbol {body[-1]}, offset {len(body) - 1}.")
    return raw


@reg("encode_base64")
def encode_base64(rt: Any, args: list) -> str:
    """encode_base64(bytes or text) -> base64 text (text is encoded as UTF-8 first)."""
    check_arity("encode_base64", args, 1)
    v = args[0]
    if type(v) is str:
        v = v.encode("utf-8")
    elif type(v) is not bytes:
        raise type_error("encode_base64", "bytes or a string", v)
    import base64 as _b64

    return _b64.b64encode(v).decode("ascii")


@reg("decode_base64")
def decode_base64(rt: Any, args: list) -> bytes:
    """decode_base64(text) -> bytes, as the reference returns."""
    check_arity("decode_base64", args, 1)
    s = str_arg("decode_base64", args[0])
    try:
        return b64decode_strict(s)
    except ValueError as e:
        raise RuffError(f"Base64 decode error: {e}") from None
