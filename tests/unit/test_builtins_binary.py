"""The bytes value and the binary file builtins: what golden programs cannot show (atomic writes under
failure, permissions, the value model's hashing and debug forms)."""

from __future__ import annotations

import errno
import os

import pytest

from ruff.runtime.builtins import _util
from ruff.runtime.values import display, type_name, values_equal
from kit import call, raises


def test_bytes_is_a_value_type():
    b = call("bytes", [1, 2, 255])
    assert b == b"\x01\x02\xff" and type(b) is bytes
    assert type_name(b) == "bytes" and call("type", b) == "bytes"
    assert values_equal(b, b"\x01\x02\xff") and not values_equal(b, [1, 2, 255])
    assert display(b) == "<unknown>" and display([b]) == "[<unknown>]"
    assert _util.format_debug(b) == "Bytes(3 bytes)" and _util.value_debug(b) == "Bytes(3 bytes)"
    # Sets and unique() see equal bytes as one value.
    assert _util.hash_key(b) == _util.hash_key(bytes([1, 2, 255]))
    assert call("unique", [b, bytes([1, 2, 255]), b"x"]) == [b, b"x"]
    assert call("len", b) == 3 and call("slice", b, -2) == b"\x02\xff"
    # Bytes are not arrays: array builtins refuse them, as in the reference.
    raises("sum", b, match="sum()")


def test_write_binary_file_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    p = tmp_path / "keep.bin"
    p.write_bytes(b"old contents")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    msg = raises("write_binary_file", str(p), b"new", True)
    assert msg == f"Cannot write binary file '{p}': No space left on device (os error 28)"
    assert p.read_bytes() == b"old contents"
    assert os.listdir(tmp_path) == ["keep.bin"]  # the temporary file is gone too
    raises("io_write_bytes", str(p), b"new", match="Cannot write bytes to file")
    raises("write_file", str(p), "new", True, match="No space left on device")
    assert p.read_bytes() == b"old contents" and os.listdir(tmp_path) == ["keep.bin"]


def test_atomic_write_keeps_mode_and_follows_symlinks(tmp_path):
    target = tmp_path / "real.bin"
    target.write_bytes(b"a")
    os.chmod(target, 0o640)
    link = tmp_path / "link.bin"
    link.symlink_to(target)
    assert call("write_binary_file", str(link), b"bc", True) is True
    assert link.is_symlink() and target.read_bytes() == b"bc"
    assert oct(os.stat(target).st_mode & 0o777) == oct(0o640)
    fresh = tmp_path / "fresh.bin"
    call("io_write_bytes", str(fresh), b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(fresh).st_mode & 0o777 == 0o666 & ~umask


def test_binary_errors_name_the_path(tmp_path):
    d = str(tmp_path)
    assert raises("read_binary_file", d) == f"Cannot read binary file '{d}': Is a directory (os error 21)"
    raises("write_binary_file", str(tmp_path / "no" / "x.bin"), b"", match="No such file or directory (os error 2)")
    raises("io_truncate", str(tmp_path / "none"), 1, match="Cannot open file")
    raises("io_copy_range", str(tmp_path / "none"), "x", 0, 1, match="Cannot open source file")
    raises("io_file_metadata", str(tmp_path / "none"), match="Cannot get metadata for")
    raises("io_read_at", "x", 0, float("nan"), match="io_read_at count must be non-negative")
    raises("io_read_bytes", "x", 1, 2, match="io_read_bytes requires two arguments: path and count")
    raises("read_binary_file", match="read_binary_file requires a string path argument")


def test_counts_accept_whole_floats_and_io_truncate_extends(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"abcdef")
    assert call("io_read_at", str(p), 1.9, 2.2) == b"bc"
    assert call("io_truncate", str(p), 8) is True
    assert p.read_bytes() == b"abcdef\x00\x00"
    meta = call("io_file_metadata", str(p))
    assert meta["size"] == 8 and meta["is_file"] is True and meta["readonly"] is False
    assert {"modified", "accessed"} <= set(meta)
    os.chmod(p, 0o444)
    assert call("io_file_metadata", str(p))["readonly"] is True


@pytest.mark.parametrize("text,message", [
    ("!!!!", "Invalid byte 33, offset 0."),
    ("QQ", "Invalid padding"),
    ("QQ=", "Invalid padding"),
    ("Q", "Encoded text cannot have a 6-bit remainder."),
    ("QR==", "Invalid last symbol 82, offset 1."),
])
def test_base64_decoding_errors_are_the_reference_decoders(text, message):
    assert raises("decode_base64", text) == f"Base64 decode error: {message}"
