"""arg_parser(): the reference's builder-style command-line parser.

    p := arg_parser()                                  an ArgParser struct (type "struct")
    p = p.add_argument("--name", "short", "-n", "type", "string", "required", true,
                       "help", "Your name", "default", "x")
                                                       a NEW parser with the option added; a second
                                                       argument starting with "-" is the short form;
                                                       types: bool, string (default), int, float
    opts := p.parse()                                  parses args(): {"name": ..., "_positional": [...]}
    text := p.help()                                   the usage text

parse() keys are the long names without "--". A missing optional option is its default (converted to its
type; an unparsable int/float default is 0), false for a bool flag, otherwise null. Failures are Ruff
errors: "Unknown argument: -x", "Argument --port requires a value", "Argument --port requires an integer
value, got: abc", "Required argument --name is missing".
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import Builtin, RuffError, StructInstance, StructType, new_struct
from ruff.runtime.builtins._util import Registry, guard

reg = Registry()

_KEYWORDS = ("short", "type", "required", "help", "default")
_INT = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?|inf|infinity|nan)\Z",
                    re.IGNORECASE)


def _parser_type() -> StructType:
    methods = {name: Builtin(name, guard(name, fn))
               for name, fn in (("add_argument", add_argument), ("parse", parse), ("help", help_))}
    return StructType("ArgParser", ("_args", "_app_name", "_description"), {}, methods)



@reg("arg_parser")
def arg_parser(rt: Any, args: list) -> StructInstance:
    if args:
        raise RuffError(f"arg_parser() expects 0 arguments, got {len(args)}")
    return new_struct(ARG_PARSER, {"_args": [], "_app_name": "", "_description": ""})


def _parser(args: list) -> StructInstance:
    if not args or not isinstance(args[0], StructInstance) or args[0].type.name != "ArgParser":
        raise RuffError("Expected ArgParser for arg_parser method call")
    return args[0]


def add_argument(rt: Any, args: list) -> StructInstance:
    parser, rest = _parser(args), args[1:]
    if not rest:
        raise RuffError("add_argument requires at least a long argument name")
    spec: dict[str, Any] = {"long": rest[0] if type(rest[0]) is str else "", "type": "string",
                            "required": False, "help": ""}
    i = 1
    if len(rest) > 1 and type(rest[1]) is str and rest[1].startswith("-") and rest[1] not in _KEYWORDS:
        spec["short"] = rest[1]
        i = 2
    while i + 1 < len(rest):
        key, value = rest[i], rest[i + 1]
        if key in ("short", "type", "help", "default") and type(value) is str:
            spec[key] = value
        elif key == "required" and type(value) is bool:
            spec["required"] = value
        i += 2
    fields = dict(parser.field_items())
    old = fields.get("_args")
    fields["_args"] = (list(old) if type(old) is list else []) + [spec]
    return new_struct(parser.type, fields)


class _Option:
    """One add_argument() entry, read back from the parser's _args list."""

    def __init__(self, spec: dict) -> None:
        def text(key: str, default: Optional[str]) -> Optional[str]:
            v = spec.get(key)
            return v if type(v) is str else default

        self.long = text("long", "") or ""
        self.short = text("short", None)
        self.type = text("type", "string") or "string"
        self.required = spec.get("required") is True
        self.help = text("help", "") or ""
        self.default = text("default", None)
        self.key = text_key(self.long.lstrip("-"))  # parse()'s key for it ("--1" is key "1")


def _options(parser: StructInstance) -> list[_Option]:
    entries = parser.get_field("_args")
    if type(entries) is not list:
        return []
    return [_Option(e) for e in entries if type(e) is dict and type(e.get("long")) is str]


def _value(opt: _Option, text: str) -> Any:
    if opt.type == "int":
        if not _INT.match(text):
            raise RuffError(f"Argument {opt.long} requires an integer value, got: {text}")
        n = int(text)
        if not I64_MIN <= n <= I64_MAX:
            raise RuffError(f"Argument {opt.long} requires an integer value, got: {text}")
        return n
    if opt.type == "float":
        if not _FLOAT.match(text):
            raise RuffError(f"Argument {opt.long} requires a float value, got: {text}")
        return float(text)
    return text


def _default(opt: _Option) -> Any:
    d = opt.default
    if d is None:
        return False if opt.type == "bool" else None
    if opt.type == "bool":
        return d == "true"
    if opt.type == "int":
        return int(d) if _INT.match(d) and I64_MIN <= int(d) <= I64_MAX else 0
    if opt.type == "float":
        return float(d) if _FLOAT.match(d) else 0.0
    return d


def parse(rt: Any, args: list) -> dict:
    options = _options(_parser(args))
    argv = [str(a) for a in getattr(rt, "script_args", None) or []]
    result: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-"):
            opt = next((o for o in options if arg == o.long or arg == o.short), None)
            if opt is None:
                raise RuffError(f"Unknown argument: {arg}")
            if opt.type == "bool":
                result[opt.key] = True
            elif opt.type in ("string", "int", "float"):
                if i + 1 >= len(argv):
                    raise RuffError(f"Argument {opt.long} requires a value")
                i += 1
                result[opt.key] = _value(opt, argv[i])
            else:
                raise RuffError(f"Unknown argument type: {opt.type}")
        else:
            positional.append(arg)
        i += 1
    for opt in options:
        if opt.key in result:
            continue
        if opt.required:
            raise RuffError(f"Required argument {opt.long} is missing")
        result[opt.key] = _default(opt)
    if positional:
        result["_positional"] = positional
    return result


def help_(rt: Any, args: list) -> str:
    parser = _parser(args)
    app = parser.get_field("_app_name")
    description = parser.get_field("_description")
    lines = [f"{app if type(app) is str else 'program'}\n\n{description if type(description) is str else ''}\n\n"
             "Options:\n"]
    for opt in _options(parser):
        line = f"  {opt.short}, {opt.long}" if opt.short is not None else f"      {opt.long}"
        if opt.type != "bool":
            line += f" <{opt.type}>"
        if opt.required:
            line += " (required)"
        if opt.default is not None:
            line += f" [default: {opt.default}]"
        lines.append(line + "\n")
        if opt.help:
            lines.append(f"        {opt.help}\n")
    return "".join(lines)


ARG_PARSER = _parser_type()
