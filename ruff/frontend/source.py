"""Reading program text: UTF-8, and bounded, so a path such as /dev/zero is an error instead of a process
that reads until the kernel kills it. Used for the main program, imported modules and ruff-opt's input."""

from __future__ import annotations

from typing import BinaryIO

MAX_SOURCE_BYTES = 64 << 20  # far beyond any real program; the bound is about /dev/zero, not style


class SourceReadError(Exception):
    """A program's text cannot be had; `reason` completes "cannot read 'FILE': ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_bounded(stream: BinaryIO, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """All of `stream`, or SourceReadError when it holds more than `limit` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceReadError(f"larger than {limit >> 20} MiB")
    return data


def decode_source(data: bytes) -> str:
    """UTF-8 bytes as text, line ends made `\\n` (as Python's text mode reads them)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceReadError("not valid UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_source_file(path: str) -> str:
    """The text of a program file. OSError when it cannot be opened or read, SourceReadError when it is too
    large or not UTF-8."""
    with open(path, "rb") as f:
        return decode_source(read_bounded(f))
