"""YAML: parse_yaml and to_yaml (PyYAML, with libyaml where it is built in).

The reference uses serde_yaml, which reads plain scalars by YAML 1.2's core schema; so does this module
(PyYAML alone would read YAML 1.1, where `yes`, `on` and `017` are not strings):
- null: `~`, `null`, `Null`, `NULL` or nothing; bool: `true`/`True`/`TRUE`, `false`/...;
- int: decimal (no leading zeros), `0x`, `0o`, `0b`; integers beyond i64 become floats;
- float: decimal with a point and/or an exponent, `.inf`, `-.inf`, `.nan`; everything else is a string.
Non-string keys become their serde_yaml debug text (`Number(1)`, `Bool(true)`, `Null`), tags are
dropped (the tagged value stays), one document only, no `<<` merging, as with serde_yaml.

to_yaml writes block style with sorted keys, quotes a string only where it would read back as something
else, writes multi-line strings as `|` blocks and floats in the shortest round-trip form (`1.0`, `1e20`).
Errors: "YAML parse error: <problem> at line L column C[, <context>]" and "Cannot convert <type> to YAML".
"""

from __future__ import annotations

import math
import re
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import key_text, text_key
from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, type_name_of

reg = Registry()

MAX_DEPTH = 128  # serde_yaml's recursion limit
MAX_NODES = 1_000_000  # aliases may repeat a node; this bounds what a small document can expand to

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+)$")
_FLOAT = re.compile(r"^(?![-+]?0[0-9]+$)(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")

_STR_TAG = "tag:yaml.org,2002:str"
_CLASSES: dict[str, Any] = {}


def _yaml_classes() -> tuple[Any, Any]:
    """A loader and a dumper that resolve plain scalars by the YAML 1.2 core schema (built once)."""
    if _CLASSES:
        return _CLASSES["loader"], _CLASSES["dumper"]
    import yaml

    base_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    base_dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Loader(base_loader):  # type: ignore[misc,valid-type]
        yaml_implicit_resolvers: dict = {}

    class Dumper(base_dumper):  # type: ignore[misc,valid-type]
        yaml_implicit_resolvers: dict = {}

    for cls in (Loader, Dumper):
        cls.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, list("~nN") + [""])
        cls.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
        cls.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
        cls.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))

    Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    for tag in ("timestamp", "binary"):  # YAML 1.1 types: kept as the text they were written as
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", _construct_text)
    Loader.add_multi_constructor("", _construct_untagged)  # any other tag: the value without it

    Dumper.add_representer(str, _represent_str)
    Dumper.add_representer(float, _represent_float)
    _CLASSES.update(loader=Loader, dumper=Dumper)
    return Loader, Dumper


def _construct_map(loader: Any, node: Any) -> Any:
    """A mapping keyed by each key's text (so 1 and true stay apart, as serde_yaml keeps them);
    a repeated key is an error, as in serde_yaml."""
    import yaml

    data: dict = {}
    yield data
    for key_node, value_node in node.value:
        key = _key_text(loader.construct_object(key_node, deep=True))
        if key in data:
            shown = _quoted(key) if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG else key
            raise yaml.constructor.ConstructorError(None, None, f"duplicate entry with key {shown}",
                                                    key_node.start_mark)
        data[key] = loader.construct_object(value_node, deep=True)


def _quoted(s: str) -> str:
    from ruff.runtime.builtins._util import rust_str_debug

    return rust_str_debug(s)


def _bad_scalar(node: Any, text: str, expected: str) -> Exception:
    import yaml

    return yaml.constructor.ConstructorError(None, None, f"invalid value: string {_quoted(text)}, expected {expected}",
                                             node.start_mark)


def _construct_int(loader: Any, node: Any) -> int:
    text = loader.construct_scalar(node)
    if not _INT.match(text):  # an explicit !!int on something else
        raise _bad_scalar(node, text, "an integer")
    unsigned = text.lstrip("+-")
    if unsigned.isdigit() and len(unsigned) > 19:  # beyond i64: a float (Python's int() refuses 4,300+ digits)
        return float(text)
    sign = -1 if text.startswith("-") else 1
    return sign * int(unsigned, 0)


def _construct_float(loader: Any, node: Any) -> float:
    text = loader.construct_scalar(node)
    unsigned = text.lstrip("+-")
    if unsigned.lower() == ".inf":
        return float("-inf") if text.startswith("-") else float("inf")
    if unsigned.lower() == ".nan":
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise _bad_scalar(node, text, "a float") from None


def _construct_text(loader: Any, node: Any) -> str:
    return loader.construct_scalar(node)


def _construct_untagged(loader: Any, suffix: str, node: Any) -> Any:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _represent_str(dumper: Any, s: str) -> Any:
    return dumper.represent_scalar(_STR_TAG, s, style="|" if "\n" in s else None)


def _represent_float(dumper: Any, f: float) -> Any:
    from ruff.runtime.builtins.json import json_float

    if f != f:
        text = ".nan"
    elif f in (float("inf"), float("-inf")):
        text = ".inf" if f > 0 else "-.inf"
    else:
        text = json_float(f)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


# ----------------------------------------------------------------------------- parse


def _key_text(k: Any) -> str:
    """A non-string mapping key as serde_yaml's Debug shows it (the reference keys the dict by that)."""
    from ruff.runtime.builtins.json import json_float

    t = type(k)
    if t is str:
        return k
    if k is None:
        return "Null"
    if t is bool:
        return f"Bool({'true' if k else 'false'})"
    if t is int:
        return f"Number({k})"
    if t is float:
        if k != k:
            return "Number(.nan)"
        if k in (float("inf"), float("-inf")):
            return "Number(.inf)" if k > 0 else "Number(-.inf)"
        return f"Number({json_float(k)})"
    if t is tuple or t is list:
        return "Sequence [" + ", ".join(_key_text(x) for x in k) + "]"
    return str(k)


class _Budget:
    """Counts the nodes converted so far, so an alias bomb stops instead of filling memory."""

    def __init__(self) -> None:
        self.left = MAX_NODES


def _to_ruff(v: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH:
        raise RuffError("YAML parse error: recursion limit exceeded")
    budget.left -= 1
    if budget.left < 0:
        raise RuffError("YAML parse error: repetition limit exceeded")
    t = type(v)
    if t is str or t is bool or t is float or v is None:
        return v
    if t is int:
        if I64_MIN <= v <= I64_MAX:
            return v
        try:
            return float(v)  # as the reference's
        except OverflowError:
            return math.inf if v > 0 else -math.inf
    if t is dict:
        return {text_key(_key_text(k)): _to_ruff(x, depth + 1, budget) for k, x in v.items()}
    if t is list or t is tuple:
        return [_to_ruff(x, depth + 1, budget) for x in v]
    if t is set:
        return {text_key(_key_text(k)): None for k in v}
    return str(v)


def _error_text(e: Any) -> str:
    """serde_yaml's text for a libyaml error: problem, 1-based position, and context."""
    import yaml

    if isinstance(e, yaml.composer.ComposerError) and "single document" in str(e.context or ""):
        return "deserializing from YAML containing more than one document is not supported"
    if not isinstance(e, yaml.MarkedYAMLError):
        return str(e)
    text = e.problem or "error"
    mark, context_mark = e.problem_mark, e.context_mark
    if mark is not None and (mark.line or mark.column):
        text += f" at line {mark.line + 1} column {mark.column + 1}"
    if e.context:
        text += f", {e.context}"
        if context_mark is not None and (context_mark.line or context_mark.column) and (
                mark is None or (context_mark.line, context_mark.column) != (mark.line, mark.column)):
            text += f" at line {context_mark.line + 1} column {context_mark.column + 1}"
    return text


@reg("parse_yaml")
def parse_yaml(rt: Any, args: list) -> Any:
    """parse_yaml(text) -> the document as Ruff values (mappings are dicts in document order)."""
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("parse_yaml requires a string argument")
    import yaml

    loader, _ = _yaml_classes()
    try:
        data = yaml.load(args[0], Loader=loader)
    except RecursionError:
        raise RuffError("YAML parse error: recursion limit exceeded") from None
    except yaml.YAMLError as e:
        raise RuffError(f"YAML parse error: {_error_text(e)}") from None
    return _to_ruff(data, 0, _Budget())


# ----------------------------------------------------------------------------- serialize


def _plain(v: Any, depth: int = 0) -> Any:
    """The value as plain Python data for the dumper, or the reference's refusal."""
    if depth > MAX_DEPTH:
        raise RuffError(f"YAML serialization error: value exceeds maximum nesting depth of {MAX_DEPTH}")
    t = type(v)
    if t is str or t is bool or t is int or t is float or v is None:
        return v
    if t is list:
        return [_plain(x, depth + 1) for x in v]
    if t is dict:
        return {key_text(k): _plain(x, depth + 1) for k, x in v.items()}
    to_list = getattr(v, "ruff_to_list", None)  # ranges are arrays
    if to_list is not None and getattr(v, "ruff_type_name", "") == "array":
        return [_plain(x, depth + 1) for x in to_list()]
    raise RuffError(f"Cannot convert {type_name_of(v)} to YAML")


@reg("to_yaml")
def to_yaml(rt: Any, args: list) -> str:
    """to_yaml(value) -> YAML text ending in a newline."""
    if len(args) != 1:
        raise RuffError("to_yaml requires a value argument")
    import yaml

    _, dumper = _yaml_classes()
    data = _plain(args[0])
    try:
        text = yaml.dump(data, Dumper=dumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                         width=1 << 30)
    except yaml.YAMLError as e:
        raise RuffError(f"YAML serialization error: {e}") from None
    if text.endswith("\n...\n"):  # a lone scalar: the document-end marker PyYAML adds, serde_yaml does not
        text = text[:-4]
    return text
