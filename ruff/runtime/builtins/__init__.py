"""The Ruff standard library: the global builtin namespace and method lookup.

- BUILTINS: name -> values.Builtin for every global builtin function.
- CONSTANTS: PI and E (plain floats), and the `Promise` namespace (`Promise.all(...)`).
- lookup_method(receiver, name): the Builtin that `receiver.name(args...)` calls as
  `builtin(receiver, *args)`, or None. Used for strings, arrays, dicts, numbers, ranges,
  Set/Queue/Stack values, iterators and generators (any Python iterator); never for structs.
- METHOD_TABLES: the per-receiver method tables (method name -> builtin name), for docs and tests.

Each area lives in its own module (core, math, strings, format, arrays, dicts, collections, iterators,
json, io, system, regex, random, binary, crypto, archive, yaml, database, kvstore, concurrency, async_io,
http_client, http_server, oauth2, sockets, images, arg_parser, ssg); each registers `fn(rt, args)`
functions in a Registry. All but the first eight are imported on the first call of one of their builtins
(LAZY_MODULES); until then their Builtin objects hold a loader that swaps in the real function. Their
third-party libraries (Pillow, PyJWT, urllib3, bcrypt, cryptography, PyYAML) are imported later still,
inside the functions that use them.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Optional

from ruff.runtime.values import Builtin, EnumValue
from ruff.runtime.builtins import arrays, collections, core, dicts, format, iterators, math, strings
from ruff.runtime.builtins._util import arity_error
from ruff.runtime.builtins.collections import RuffQueue, RuffSet, RuffStack
from ruff.runtime.builtins.core import ExitProgram
from ruff.runtime.builtins.iterators import RuffIterator, RuffRange

_MODULES = (core, math, strings, format, arrays, dicts, collections, iterators)

# Modules loaded on the first call of one of their builtins (keeps interpreter start-up short).
# The names must match each module's registry exactly (tests/unit/test_builtins_core.py checks).
LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "json": ("parse_json", "json_parse", "to_json", "json_stringify", "to_json_pretty", "parse_csv",
             "to_csv", "parse_toml", "to_toml", "encode_base64", "decode_base64"),
    "io": ("read_file", "read_file_sync", "read_file_lossy", "read_lines", "write_file", "write_file_sync",
           "append_file", "file_exists", "list_dir", "create_dir", "file_size", "delete_file",
           "rename_file", "copy_file", "join_path", "path_join", "dirname", "basename", "path_extension",
           "path_exists", "path_absolute", "path_is_dir", "path_is_file", "path_is_symlink", "os_getcwd",
           "cwd", "os_chdir", "os_rmdir"),
    "system": ("env", "env_or", "env_int", "env_float", "env_bool", "env_required", "env_set", "env_list",
               "os_environ", "args", "now", "now_unix", "now_utc_seconds", "now_utc", "current_timestamp",
               "time", "performance_now", "time_us", "time_ns", "sleep", "format_duration", "elapsed",
               "format_date", "parse_date", "execute", "execute_status", "spawn_process", "pipe_commands"),
    "regex": ("regex_match", "regex_test", "regex_find_all", "regex_replace", "regex_split",
              "regex_captures"),
    "random": ("random", "random_int", "random_float", "random_choice", "shuffle", "random_id", "uuid_v4",
               "set_random_seed", "random_seed", "clear_random_seed"),
    "binary": ("bytes", "read_binary_file", "write_binary_file", "io_read_bytes", "io_write_bytes",
               "io_append_bytes", "io_read_at", "io_write_at", "io_seek_read", "io_file_metadata", "io_truncate",
               "io_copy_range"),
    "crypto": ("sha256", "md5", "sha256_file", "md5_file", "hash_password", "verify_password", "aes_encrypt",
               "aes_decrypt", "aes_encrypt_bytes", "aes_decrypt_bytes", "rsa_generate_keypair", "rsa_encrypt",
               "rsa_decrypt", "rsa_sign", "rsa_verify", "jwt_encode", "jwt_decode", "jwt_verify"),
    "archive": ("zip_create", "zip_add_file", "zip_add_dir", "zip_close", "unzip"),
    "yaml": ("parse_yaml", "to_yaml"),
    "database": ("db_connect", "db_execute", "db_query", "db_close", "db_begin", "db_commit", "db_rollback",
                 "db_last_insert_id", "db_pool", "db_pool_acquire", "db_pool_release", "db_pool_stats",
                 "db_pool_close"),
    "kvstore": ("kv_set", "kv_get"),
    "concurrency": ("channel", "async_sleep", "async_timeout", "promise_all", "await_all", "Promise.all",
                    "spawn_task", "await_task", "cancel_task", "parallel_map", "par_map", "par_each",
                    "set_task_pool_size", "get_task_pool_size", "shared_set", "shared_get", "shared_has",
                    "shared_delete", "shared_add_int"),
    "async_io": ("async_read_file", "async_read_files", "async_write_file", "async_write_files"),
    "http_client": ("http_get", "http_post", "http_put", "http_delete", "http_request", "http_get_binary",
                    "http_get_stream", "parallel_http", "async_http_get", "async_http_post"),
    "http_server": ("http_server", "http_listen", "http_response", "json_response", "html_response",
                    "redirect_response", "set_header", "set_headers"),
    "oauth2": ("oauth2_auth_url", "oauth2_get_token"),
    "sockets": ("tcp_listen", "tcp_accept", "tcp_connect", "tcp_send", "tcp_receive", "tcp_close",
                "tcp_set_nonblocking", "udp_bind", "udp_send_to", "udp_receive_from", "udp_close"),
    "images": ("load_image", "gif_to_webp"),
    "arg_parser": ("arg_parser",),
    "ssg": ("ssg_render_pages", "ssg_build_output_paths", "ssg_render_and_write_pages",
            "ssg_read_render_and_write_pages"),
}

_FUNCTIONS: dict[str, Callable[[Any, list], Any]] = {}
for _m in _MODULES:
    _FUNCTIONS.update(_m.reg.functions)

BUILTINS: dict[str, Builtin] = {name: Builtin(name, fn) for name, fn in _FUNCTIONS.items()}
CONSTANTS: dict[str, Any] = dict(math.CONSTANTS)


def load_module(modname: str) -> Any:
    """Import a lazily loaded area and point its Builtin objects at the real functions."""
    mod = importlib.import_module(f"ruff.runtime.builtins.{modname}")
    for name, fn in mod.reg.functions.items():
        b = BUILTINS.get(name)
        if b is None:
            BUILTINS[name] = Builtin(name, fn)
        else:
            b.fn = fn
        _FUNCTIONS[name] = fn
    return mod


def _lazy(modname: str, name: str) -> Callable[[Any, list], Any]:
    def first_call(rt: Any, args: list) -> Any:
        load_module(modname)
        return BUILTINS[name].fn(rt, args)

    return first_call


for _modname, _names in LAZY_MODULES.items():
    for _name in _names:
        BUILTINS[_name] = Builtin(_name, _lazy(_modname, _name))


class PromiseNamespace:
    """The global `Promise`, so that the documented `Promise.all(promises [, limit])` calls the builtin
    named "Promise.all" (the receiver is dropped)."""

    __slots__ = ()
    ruff_type_name = "namespace"

    def ruff_display(self) -> str:
        return "Promise"


def _promise_all(rt: Any, args: list) -> Any:
    return BUILTINS["Promise.all"].fn(rt, args[1:])


PromiseNamespace.ruff_methods = {"all": Builtin("all", _promise_all)}  # type: ignore[attr-defined]
CONSTANTS["Promise"] = PromiseNamespace()


# ----------------------------------------------------------------------------- method-only helpers


def _str_join(rt: Any, args: list) -> str:
    """`sep.join(arr)` (Python order) as well as the reference's join(arr, sep)."""
    if len(args) != 2:
        raise arity_error("join", "1 argument", len(args) - 1)
    sep, items = args
    if type(items) is str and type(sep) is not str:
        sep, items = items, sep
    return strings.join(rt, [items, sep])


def _format_method(rt: Any, args: list) -> str:
    return format.format_(rt, args)


def _copy(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise arity_error("collect", "0 arguments", len(args) - 1)
    v = args[0]
    if type(v) is list:
        return list(v)
    if type(v) is dict:
        return dict(v)
    return arrays.to_array(rt, [v])


_EXTRA: dict[str, Callable[[Any, list], Any]] = {
    "__str_join": _str_join,
    "__format": _format_method,
    "__collect": _copy,
    "__it_map": iterators.it_map,
    "__it_filter": iterators.it_filter,
    "__it_take": iterators.it_take,
    "__it_skip": iterators.it_skip,
    "__it_enumerate": iterators.it_enumerate,
    "__it_zip": iterators.it_zip,
    "__it_chunk": iterators.it_chunk,
    "__it_next": iterators.it_next,
    "__it_first": iterators.it_first,
    "__it_count": iterators.it_count,
    "__it_for_each": iterators.it_for_each,
    "__is_ok": core.result_is_ok,
    "__is_err": core.result_is_err,
    "__is_some": core.option_is_some,
    "__is_none": core.option_is_none,
    "__unwrap": core.tagged_unwrap,
    "__unwrap_or": core.tagged_unwrap_or,
}


def _method_builtin(name: str) -> Builtin:
    if name in BUILTINS:
        return BUILTINS[name]
    fn = _EXTRA[name]
    shown = name.lstrip("_")
    for prefix in ("it_", "str_"):
        if shown.startswith(prefix):
            shown = shown[len(prefix):]
    return Builtin(shown, fn)


# ----------------------------------------------------------------------------- method tables
# method name -> builtin (or helper) name

_UNIVERSAL = {
    "to_string": "to_string", "str": "to_string", "to_json": "to_json", "type": "type",
    "is_truthy": "is_truthy",
}

_STRING = {
    "len": "len", "length": "len", "count_chars": "count_chars", "chars": "chars",
    "upper": "upper", "lower": "lower", "to_upper": "to_upper", "to_lower": "to_lower",
    "capitalize": "capitalize", "trim": "trim", "trim_start": "trim_start", "trim_end": "trim_end",
    "strip": "trim", "char_at": "char_at", "is_empty": "is_empty", "contains": "contains",
    "substring": "substring", "substr": "substr", "slice": "slice", "replace": "replace",
    "replace_str": "replace_str", "starts_with": "starts_with", "ends_with": "ends_with",
    "index_of": "index_of", "find": "index_of", "repeat": "repeat", "split": "split",
    "join": "__str_join", "pad_left": "pad_left", "pad_right": "pad_right", "pad_start": "pad_start",
    "pad_end": "pad_end", "lines": "lines", "words": "words", "reverse": "str_reverse",
    "str_reverse": "str_reverse", "slugify": "slugify", "truncate": "truncate",
    "to_camel_case": "to_camel_case", "to_snake_case": "to_snake_case", "to_kebab_case": "to_kebab_case",
    "concat": "concat", "parse_int": "parse_int", "parse_float": "parse_float", "to_int": "to_int",
    "to_float": "to_float", "to_bool": "to_bool", "format": "__format", "parse_json": "parse_json",
    "regex_match": "regex_match", "regex_find_all": "regex_find_all", "regex_replace": "regex_replace",
    "regex_split": "regex_split",
}

_ARRAY = {
    "len": "len", "length": "len", "size": "len", "is_empty": "is_empty", "push": "push",
    "append": "append", "pop": "pop", "insert": "insert", "remove": "remove", "remove_at": "remove_at",
    "clear": "clear", "slice": "slice", "concat": "concat", "map": "map", "filter": "filter",
    "reduce": "reduce", "find": "find", "find_index": "find_index", "any": "any", "all": "all",
    "for_each": "for_each", "each": "for_each", "sort": "sort", "reverse": "reverse",
    "unique": "unique", "sum": "sum", "chunk": "chunk", "flatten": "flatten", "zip": "zip",
    "enumerate": "enumerate", "take": "take", "skip": "skip", "windows": "windows", "first": "first",
    "last": "last", "count": "count", "contains": "contains", "includes": "contains",
    "index_of": "index_of", "join": "join", "collect": "__collect", "to_array": "to_array",
    "iter": "iter", "min": "min", "max": "max", "shuffle": "shuffle", "random_choice": "random_choice",
}

_DICT = {
    "len": "len", "length": "len", "size": "len", "is_empty": "is_empty", "keys": "keys",
    "values": "values", "items": "items", "entries": "entries", "has_key": "has_key",
    "contains": "contains", "get": "get", "get_default": "get_default", "merge": "merge",
    "update": "update", "invert": "invert", "remove": "remove", "clear": "clear",
    "set": "set_key", "set_key": "set_key", "copy": "__collect",
}

_NUMBER = {
    "abs": "abs", "floor": "floor", "ceil": "ceil", "round": "round", "sqrt": "sqrt", "pow": "pow",
    "min": "min", "max": "max", "to_int": "to_int", "to_float": "to_float", "sin": "sin",
    "cos": "cos", "tan": "tan", "log": "log", "exp": "exp",
}

_SET = {
    "add": "set_add", "insert": "set_add", "has": "set_has", "contains": "set_has",
    "remove": "set_remove", "union": "set_union", "intersect": "set_intersect",
    "intersection": "set_intersect", "difference": "set_difference", "to_array": "set_to_array",
    "len": "len", "size": "set_size", "is_empty": "is_empty",
}

_QUEUE = {
    "enqueue": "queue_enqueue", "push": "queue_enqueue", "dequeue": "queue_dequeue",
    "pop": "queue_dequeue", "peek": "queue_peek", "size": "queue_size", "len": "len",
    "is_empty": "queue_is_empty", "to_array": "queue_to_array", "contains": "contains",
}

_STACK = {
    "push": "stack_push", "pop": "stack_pop", "peek": "stack_peek", "size": "stack_size",
    "len": "len", "is_empty": "stack_is_empty", "to_array": "stack_to_array", "contains": "contains",
}

_ITERATOR = {
    "map": "__it_map", "filter": "__it_filter", "take": "__it_take", "skip": "__it_skip",
    "enumerate": "__it_enumerate", "zip": "__it_zip", "chunk": "__it_chunk", "collect": "collect",
    "to_array": "collect", "next": "__it_next", "first": "__it_first", "count": "__it_count",
    "for_each": "__it_for_each", "each": "__it_for_each", "reduce": "reduce", "sum": "sum",
    "find": "find", "any": "any", "all": "all", "join": "join", "sort": "sort", "unique": "unique",
    "min": "min", "max": "max", "iter": "iter",
}

_RANGE = dict(_ARRAY)

_TAGGED = {
    "is_ok": "__is_ok", "is_err": "__is_err", "is_some": "__is_some", "is_none": "__is_none",
    "unwrap": "__unwrap", "unwrap_or": "__unwrap_or",
}

METHOD_TABLES: dict[str, dict[str, str]] = {
    "string": _STRING, "array": _ARRAY, "range": _RANGE, "dict": _DICT, "number": _NUMBER,
    "set": _SET, "queue": _QUEUE, "stack": _STACK, "iterator": _ITERATOR, "result/option": _TAGGED,
    "any": _UNIVERSAL,
}


def _build(table: dict[str, str]) -> dict[str, Builtin]:
    out = {name: _method_builtin(target) for name, target in _UNIVERSAL.items()}
    out.update({name: _method_builtin(target) for name, target in table.items()})
    return out


_BY_TYPE: dict[type, dict[str, Builtin]] = {
    str: _build(_STRING),
    list: _build(_ARRAY),
    RuffRange: _build(_RANGE),
    range: _build(_RANGE),
    dict: _build(_DICT),
    int: _build(_NUMBER),
    float: _build(_NUMBER),
    bool: _build({}),
    type(None): _build({}),
    RuffSet: _build(_SET),
    RuffQueue: _build(_QUEUE),
    RuffStack: _build(_STACK),
    RuffIterator: _build(_ITERATOR),
    EnumValue: _build(_TAGGED),
}
_ITER_TABLE = _BY_TYPE[RuffIterator]
_ANY_TABLE = _build({})


def lookup_method(receiver: Any, name: str) -> Optional[Builtin]:
    """The builtin that `receiver.name(...)` calls with the receiver as first argument, or None."""
    table = _BY_TYPE.get(type(receiver))
    if table is None:
        own = getattr(type(receiver), "ruff_methods", None)  # value types defined elsewhere (channels, ...)
        if own is not None:
            return own.get(name)
        table = _ITER_TABLE if hasattr(receiver, "__next__") else _ANY_TABLE
    return table.get(name)


__all__ = [
    "BUILTINS", "CONSTANTS", "METHOD_TABLES", "ExitProgram", "RuffIterator", "RuffQueue", "RuffRange",
    "RuffSet", "RuffStack", "lookup_method",
]
