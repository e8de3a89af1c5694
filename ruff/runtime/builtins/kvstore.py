"""A small persistent key/value store: kv_set(key, value) and kv_get(key), strings only.

As in the reference, the store is a JSON object in the file named by $RUFF_KV_PATH, else
`.ruff_kv.json` in the working directory; a missing or blank file is an empty store. Each kv_set
rewrites the whole file atomically (a failed write leaves the old store as it was), with keys sorted.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ruff.runtime.dict_keys import canonical, text_key
from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()

DEFAULT_FILE = ".ruff_kv.json"


def store_path() -> str:
    configured = os.environ.get("RUFF_KV_PATH", "").strip()
    if configured:
        return configured
    try:
        return os.path.join(os.getcwd(), DEFAULT_FILE)
    except OSError as e:
        raise RuffError(f"Failed to determine current directory for kv store: {rust_error_text(e)}") from None


def _load(path: str) -> dict:
    from ruff.runtime.builtins.json import parse_json_text

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeError) as e:
        raise RuffError(f"Failed to read kv store '{path}': {rust_error_text(e)}") from None
    if not text.strip():
        return {}
    try:
        data = parse_json_text(text)
    except RuffError as e:
        raise RuffError(f"Failed to parse kv store '{path}': {e.message}") from None
    if type(data) is not dict or any(type(v) is not str for v in data.values()):
        raise RuffError(f"Failed to parse kv store '{path}': expected an object of strings")
    return canonical(data)  # keys stored by the rule of ruff.runtime.dict_keys, as kv_get/kv_set look them up


def _save(path: str, data: dict) -> None:
    from ruff.runtime.builtins.io import atomic_write
    from ruff.runtime.builtins.json import to_json_text

    parent = os.path.dirname(path)
    if parent:
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise RuffError(f"Failed to prepare kv store directory '{parent}': {rust_error_text(e)}") from None
    try:
        atomic_write(path, to_json_text(data, indent=2).encode("utf-8"))
    except OSError as e:
        raise RuffError(f"Failed to write kv store '{path}': {rust_error_text(e)}") from None


@reg("kv_set")
def kv_set(rt: Any, args: list) -> bool:
    """kv_set(key, value) -> true once the pair is on disk."""
    if len(args) != 2:
        raise RuffError(f"kv_set() expects 2 arguments (key, value), got {len(args)}")
    key, value = args
    if type(key) is not str or type(value) is not str:
        raise RuffError("kv_set requires key and value string arguments")
    path = store_path()
    data = _load(path)
    data[text_key(key)] = value
    _save(path, data)
    return True


@reg("kv_get")
def kv_get(rt: Any, args: list) -> Optional[str]:
    """kv_get(key) -> the stored string, or null."""
    if len(args) != 1:
        raise RuffError(f"kv_get() expects 1 argument (key), got {len(args)}")
    if type(args[0]) is not str:
        raise RuffError("kv_get requires a key string argument")
    return _load(store_path()).get(text_key(args[0]))
