"""Standard output for the command-line tools: a failing stdout ends the run cleanly instead of crashing.

`guard_stdout()` puts a thin layer under `sys.stdout` (at the buffer level, so it costs one Python call
per flushed block, not per `print`) that turns an OS error writing the program's output into
`OutputError`. The CLI then reports it and exits: quietly with status 141 (128 + SIGPIPE, what a shell
shows for `cat` or `yes`) when the reader of a pipe went away (`ruff run p.ruff | head -1`), otherwise
with a one-line message and exit code 5 (`> /dev/full`, a closed stdout `>&-`).
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any

from ruff.exit_codes import EXIT_CLOSED_PIPE, EXIT_IO



class OutputError(Exception):
    """Writing standard output failed; `closed_pipe` when its reader is gone."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.closed_pipe = isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE
        self.reason = error.strerror or str(error)


class _GuardedStdout(io.FileIO):
    """stdout's file descriptor: an OS error writing it leaves as OutputError; after `discard()` whatever
    is still buffered goes nowhere (so the interpreter's flush at exit cannot fail a second time)."""

    closed_at_start = False
    discarding = False

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(data)
        try:
            return super().write(data)
        except OSError as e:
            if self.closed_at_start and e.errno == errno.EBADF:
                e = OSError(errno.EBADF, "it was closed before the program started")
            raise OutputError(e) from None


OUTPUT_ERRORS = "ruff.output"  # the codec error handler of the guarded stdout, see _unencodable


def _unencodable(e: UnicodeError) -> tuple[bytes, int]:
    """What a program prints that its output encoding cannot hold. A Ruff string is valid Unicode, but a
    Python one may carry lone surrogates: a non-UTF-8 file name, argument or environment variable comes in
    with each bad byte as U+DC80..U+DCFF (surrogateescape), and goes out as that byte again, as `ls` shows
    it; anything else unencodable becomes U+FFFD (else `?`), instead of an internal error."""
    if not isinstance(e, UnicodeEncodeError):
        raise e
    try:
        replacement = "\ufffd".encode(e.encoding)
    except (UnicodeError, LookupError):
        replacement = b"?"
    out = bytearray()
    for ch in e.object[e.start:e.end]:
        code = ord(ch)
        out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else replacement
    return bytes(out), e.end


def guard_stdout() -> None:
    """Replace sys.stdout with an equivalent stream whose write errors are OutputError (idempotent)."""
    current = sys.stdout
    if current is not None and isinstance(getattr(getattr(current, "buffer", None), "raw", None), _GuardedStdout):
        return
    if sys.stderr is None:  # `2>&-`: messages have nowhere to go, but must not crash either
        sys.stderr = open(os.devnull, "w")
    closed = current is None
    if closed:
        _park_devnull(1)
        encoding, errors, line_buffering = "utf-8", "strict", False
    else:
        encoding, errors, line_buffering = current.encoding, current.errors, current.line_buffering
    try:
        if current is not None:
            current.flush()
            if current.fileno() != 1:
                return
        raw = _GuardedStdout(1, "w", closefd=False)
    except (AttributeError, OSError, ValueError):  # not the real stdout (tests, embedding): leave it
        return
    raw.closed_at_start = closed
    if errors in ("strict", "surrogateescape"):
        import codecs

        codecs.register_error(OUTPUT_ERRORS, _unencodable)
        errors = OUTPUT_ERRORS
    # Keep Python's buffering: `python -u` / PYTHONUNBUFFERED give a stdout straight on its file (no buffer).
    unbuffered = current is not None and isinstance(getattr(current, "buffer", None), io.RawIOBase)
    sys.stdout = io.TextIOWrapper(raw if unbuffered else io.BufferedWriter(raw), encoding=encoding, errors=errors,
                                  line_buffering=line_buffering, write_through=unbuffered)


def _park_devnull(fd: int) -> None:
    """A closed stdout: put /dev/null there, read-only, so writes still fail (EBADF) and the next file
    the program opens cannot take descriptor 1 (a child process would take it for its stdout)."""
    try:
        parked = os.open(os.devnull, os.O_RDONLY)
        if parked != fd:
            os.dup2(parked, fd)
            os.close(parked)
    except OSError:
        pass


def discard_stdout() -> None:
    """After an output error: drop what is still buffered."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    if isinstance(raw, _GuardedStdout):
        raw.discarding = True
    try:
        sys.stdout.flush()
    except Exception:
        pass


def report_output_error(err: OutputError, prog: str = "") -> int:
    """The exit code for a failed stdout, with a message on stderr unless a pipe's reader just left."""
    discard_stdout()
    if err.closed_pipe:
        return EXIT_CLOSED_PIPE
    try:
        prefix = f"{prog}: error" if prog else "error"
        print(f"{prefix}: cannot write to standard output: {err.reason}", file=sys.stderr, flush=True)
    except Exception:
        pass
    return EXIT_IO
