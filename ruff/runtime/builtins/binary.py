"""Bytes values and binary file I/O: bytes, read_binary_file, write_binary_file, and the io_* family
(io_read_bytes, io_write_bytes, io_append_bytes, io_read_at, io_write_at, io_seek_read,
io_file_metadata, io_truncate, io_copy_range).

A Ruff bytes value is a Python `bytes` (see ruff.runtime.values). Names, argument orders, results and
error messages follow the reference's filesystem.rs and io.rs ("Cannot open file 'x': No such file or
directory (os error 2)"); counts and offsets are non-negative ints (a float is truncated, as there).
Writes that replace a whole file (write_binary_file, io_write_bytes, io_copy_range's destination) are
atomic: a failed write leaves the old file as it was.
"""

from __future__ import annotations

import os
from typing import Any

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text
from ruff.runtime.builtins.io import MAX_FILE_BYTES, atomic_write

reg = Registry()


def _count(v: Any, message: str) -> int:
    """A non-negative int (a finite float truncated toward zero), else the reference's message."""
    t = type(v)
    if t is int and v >= 0:
        return v
    if t is float and v >= 0.0 and v != float("inf"):
        return int(v)
    raise RuffError(message)


def _open_error(path: str, e: OSError) -> RuffError:
    return RuffError(f"Cannot open file '{path}': {rust_error_text(e)}")


# ----------------------------------------------------------------------------- values


@reg("bytes")
def bytes_(rt: Any, args: list) -> bytes:
    """bytes([72, 105]) -> a bytes value; each element an int in 0..255."""
    if len(args) != 1 or type(args[0]) is not list:
        raise RuffError("bytes() requires an array argument")
    out = bytearray()
    for v in args[0]:
        if type(v) is not int:
            raise RuffError("bytes() requires an array of integers")
        if v < 0 or v > 255:
            raise RuffError(f"bytes() requires integers in range 0-255, got {v}")
        out.append(v)
    return bytes(out)


# ----------------------------------------------------------------------------- whole files


@reg("read_binary_file")
def read_binary_file(rt: Any, args: list) -> bytes:
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("read_binary_file requires a string path argument")
    path = args[0]
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise RuffError(f"Cannot read file '{path}': {rust_error_text(e)}") from None
    if size > MAX_FILE_BYTES:
        raise RuffError(f"Cannot read file '{path}': exceeds maximum read size "
                        f"({size} bytes > {MAX_FILE_BYTES} bytes)")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise RuffError(f"Cannot read binary file '{path}': {rust_error_text(e)}") from None


@reg("write_binary_file")
def write_binary_file(rt: Any, args: list) -> bool:
    """write_binary_file(path, bytes, overwrite?) -> true. Like write_file, it refuses to replace an
    existing file unless the third argument is true."""
    if len(args) not in (2, 3):
        raise RuffError("write_binary_file requires 2 or 3 arguments: path, content/bytes, [overwrite]")
    if len(args) == 3 and type(args[2]) is not bool:
        raise RuffError("write_binary_file optional overwrite flag must be a bool")
    overwrite = len(args) == 3 and args[2]
    path, data = args[0], args[1]
    if type(path) is not str or type(data) is not bytes:
        raise RuffError("write_binary_file requires path (string) and bytes arguments")
    if len(data) > MAX_FILE_BYTES:
        raise RuffError(f"Cannot write file '{path}': payload exceeds maximum write size "
                        f"({len(data)} bytes > {MAX_FILE_BYTES} bytes)")
    if not overwrite and os.path.exists(path):
        raise RuffError(f"Cannot write file '{path}': file already exists (pass overwrite=true to replace it)")
    try:
        atomic_write(path, data)
    except OSError as e:
        raise RuffError(f"Cannot write binary file '{path}': {rust_error_text(e)}") from None
    return True


@reg("io_write_bytes")
def io_write_bytes(rt: Any, args: list) -> bool:
    """io_write_bytes(path, bytes) -> true: creates or replaces the file."""
    if len(args) != 2:
        raise RuffError("io_write_bytes requires two arguments: path and bytes")
    path, data = args
    if type(path) is not str or type(data) is not bytes:
        raise RuffError("io_write_bytes requires path (string) and bytes arguments")
    try:
        atomic_write(path, data)
    except OSError as e:
        raise RuffError(f"Cannot write bytes to file '{path}': {rust_error_text(e)}") from None
    return True


@reg("io_append_bytes")
def io_append_bytes(rt: Any, args: list) -> bool:
    if len(args) != 2:
        raise RuffError("io_append_bytes requires two arguments: path and bytes")
    path, data = args
    if type(path) is not str or type(data) is not bytes:
        raise RuffError("io_append_bytes requires path (string) and bytes arguments")
    try:
        f = open(path, "ab")
    except OSError as e:
        raise _open_error(path, e) from None
    with f:
        try:
            f.write(data)
            f.flush()
        except OSError as e:
            raise RuffError(f"Cannot append bytes to file '{path}': {rust_error_text(e)}") from None
    return True


# ----------------------------------------------------------------------------- positioned reads and writes


def _read_from(name: str, path: str, offset: int, count: int | None) -> bytes:
    """Up to `count` bytes (all of them for None) of `path` from `offset`, with the reference's messages."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise _open_error(path, e) from None
    with f:
        try:
            f.seek(offset)
        except (OSError, OverflowError) as e:
            raise RuffError(f"Cannot seek to offset {offset} in '{path}': {rust_error_text(e)}") from None
        try:
            return f.read() if count is None else f.read(count)
        except OSError as e:
            if count is None:
                raise RuffError(f"Cannot read from offset {offset} in '{path}': {rust_error_text(e)}") from None
            if name == "io_read_bytes":
                raise RuffError(f"Cannot read {count} bytes from '{path}': {rust_error_text(e)}") from None
            raise RuffError(f"Cannot read {count} bytes at offset {offset} from '{path}': "
                            f"{rust_error_text(e)}") from None


@reg("io_read_bytes")
def io_read_bytes(rt: Any, args: list) -> bytes:
    """io_read_bytes(path, count) -> the first `count` bytes of the file (fewer at its end)."""
    if len(args) != 2:
        raise RuffError("io_read_bytes requires two arguments: path and count")
    if type(args[0]) is not str:
        raise RuffError("io_read_bytes requires path (string) and count (int) arguments")
    count = _count(args[1], "io_read_bytes count must be non-negative")
    return _read_from("io_read_bytes", args[0], 0, count)


@reg("io_read_at")
def io_read_at(rt: Any, args: list) -> bytes:
    """io_read_at(path, offset, count) -> up to `count` bytes from `offset`."""
    if len(args) != 3:
        raise RuffError("io_read_at requires three arguments: path, offset, and count")
    if type(args[0]) is not str:
        raise RuffError("io_read_at requires path (string), offset (int), and count (int) arguments")
    offset = _count(args[1], "io_read_at offset must be non-negative")
    count = _count(args[2], "io_read_at count must be non-negative")
    return _read_from("io_read_at", args[0], offset, count)


@reg("io_seek_read")
def io_seek_read(rt: Any, args: list) -> bytes:
    """io_seek_read(path, offset) -> everything from `offset` to the end."""
    if len(args) != 2:
        raise RuffError("io_seek_read requires two arguments: path and offset")
    if type(args[0]) is not str:
        raise RuffError("io_seek_read requires path (string) and offset (int) arguments")
    offset = _count(args[1], "io_seek_read offset must be non-negative")
    return _read_from("io_seek_read", args[0], offset, None)


@reg("io_write_at")
def io_write_at(rt: Any, args: list) -> bool:
    """io_write_at(path, bytes, offset) -> true: overwrites in place (the file must exist; writing past
    its end extends it, the gap reading as zero bytes)."""
    if len(args) != 3:
        raise RuffError("io_write_at requires three arguments: path, bytes, and offset")
    path, data = args[0], args[1]
    if type(path) is not str or type(data) is not bytes:
        raise RuffError("io_write_at requires path (string), bytes, and offset (int) arguments")
    offset = _count(args[2], "io_write_at offset must be non-negative")
    try:
        f = open(path, "r+b")
    except OSError as e:
        raise _open_error(path, e) from None
    with f:
        try:
            f.seek(offset)
        except (OSError, OverflowError) as e:
            raise RuffError(f"Cannot seek to offset {offset} in '{path}': {rust_error_text(e)}") from None
        try:
            f.write(data)
            f.flush()
        except OSError as e:
            raise RuffError(f"Cannot write bytes at offset {offset} to '{path}': {rust_error_text(e)}") from None
    return True


@reg("io_truncate")
def io_truncate(rt: Any, args: list) -> bool:
    """io_truncate(path, size) -> true: cuts the file to `size` bytes, or extends it with zero bytes."""
    if len(args) != 2:
        raise RuffError("io_truncate requires two arguments: path and size")
    if type(args[0]) is not str:
        raise RuffError("io_truncate requires path (string) and size (int) arguments")
    path = args[0]
    size = _count(args[1], "io_truncate size must be non-negative")
    try:
        f = open(path, "r+b")
    except OSError as e:
        raise _open_error(path, e) from None
    with f:
        try:
            f.truncate(size)
        except (OSError, OverflowError) as e:
            raise RuffError(f"Cannot truncate file '{path}' to {size} bytes: {rust_error_text(e)}") from None
    return True


@reg("io_copy_range")
def io_copy_range(rt: Any, args: list) -> bool:
    """io_copy_range(source, dest, offset, count) -> true: dest becomes up to `count` bytes of source
    from `offset`."""
    if len(args) != 4:
        raise RuffError("io_copy_range requires four arguments: source, dest, offset, and count")
    source, dest = args[0], args[1]
    if type(source) is not str or type(dest) is not str:
        raise RuffError("io_copy_range requires source (string), dest (string), offset (int), and count (int) "
                        "arguments")
    offset = _count(args[2], "io_copy_range offset must be non-negative")
    count = _count(args[3], "io_copy_range count must be non-negative")
    try:
        f = open(source, "rb")
    except OSError as e:
        raise RuffError(f"Cannot open source file '{source}': {rust_error_text(e)}") from None
    with f:
        try:
            f.seek(offset)
        except (OSError, OverflowError) as e:
            raise RuffError(f"Cannot seek to offset {offset} in '{source}': {rust_error_text(e)}") from None
        try:
            data = f.read(count)
        except OSError as e:
            raise RuffError(f"Cannot read from '{source}': {rust_error_text(e)}") from None
    try:
        atomic_write(dest, data)
    except OSError as e:
        raise RuffError(f"Cannot write to '{dest}': {rust_error_text(e)}") from None
    return True


# ----------------------------------------------------------------------------- metadata


@reg("io_file_metadata")
def io_file_metadata(rt: Any, args: list) -> dict:
    """io_file_metadata(path) -> {size, is_file, is_dir, readonly, modified, accessed[, created]}; times
    in whole seconds since the Unix epoch ("created" only where the system records a birth time)."""
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("io_file_metadata requires a string path argument")
    path = args[0]
    import stat

    try:
        st = os.stat(path)
    except OSError as e:
        raise RuffError(f"Cannot get metadata for '{path}': {rust_error_text(e)}") from None
    meta: dict[str, Any] = {
        "size": st.st_size,
        "is_file": stat.S_ISREG(st.st_mode),
        "is_dir": stat.S_ISDIR(st.st_mode),
        "readonly": st.st_mode & 0o222 == 0,  # Rust's Permissions::readonly: no write bit at all
        "modified": int(st.st_mtime),
    }
    birth = getattr(st, "st_birthtime", None)
    if birth is not None:
        meta["created"] = int(birth)
    meta["accessed"] = int(st.st_atime)
    return meta
