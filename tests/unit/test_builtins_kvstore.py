"""kv_set / kv_get: where the store lives, and that a failed write keeps the old store."""

from __future__ import annotations

import errno
import json
import os

from kit import call, raises


def test_default_path_is_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("RUFF_KV_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    assert call("kv_set", "k", "v") is True
    assert json.loads((tmp_path / ".ruff_kv.json").read_text()) == {"k": "v"}
    monkeypatch.setenv("RUFF_KV_PATH", "   ")  # blank: the default again
    assert call("kv_get", "k") == "v"


def test_a_failed_write_keeps_the_old_store(tmp_path, monkeypatch):
    store = tmp_path / "kv.json"
    monkeypatch.setenv("RUFF_KV_PATH", str(store))
    call("kv_set", "a", "1")
    before = store.read_text()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert raises("kv_set", "b", "2") == f"Failed to write kv store '{store}': No space left on device (os error 28)"
    assert store.read_text() == before and os.listdir(tmp_path) == ["kv.json"]
    assert call("kv_get", "b") is None and call("kv_get", "a") == "1"


def test_a_store_of_the_wrong_shape_is_an_error(tmp_path, monkeypatch):
    store = tmp_path / "kv.json"
    monkeypatch.setenv("RUFF_KV_PATH", str(store))
    store.write_text('{"n": 1}')
    raises("kv_get", "n", match="expected an object of strings")
    store.write_text("[1]")
    raises("kv_set", "n", "1", match="Failed to parse kv store")
    raises("kv_set", "k", match="kv_set() expects 2 arguments (key, value), got 1")
