"""Flags that native code reads from memory, set by the runtime: Ctrl-C, and "stand aside".

Native code holds the GIL, so neither Python's signal handler (main thread only) nor an asynchronous
exception can reach it; it reads these instead. Each is a C integer at a fixed address that native modules
learn when they are loaded (ruff/backend/native.py); they are made only once native code exists, so
start-up pays nothing for them.

- INTERRUPT: Ctrl-C arrived. Every native loop lets go of the GIL once every POLL_INTERVAL back-edges (the
  main thread then runs Python's SIGINT handler, which ends in `request_interrupt()`) and reads it; when it
  is set the loop leaves through the error slot and the Python side raises KeyboardInterrupt.
- STAND_ASIDE: native code met a Ruff error (overflow, division by zero, the depth limit). Its entry points
  then hand every call to the baseline, which reproduces the error with its exact message, line and stack,
  until the baseline has made a Ruff error (`error_made()`, from RuffError's constructor); otherwise each
  level of a recursion would run native code into the same error once more (quadratic, or worse).
"""

from __future__ import annotations

from typing import Any

_flags: dict[str, Any] = {}  # name → ctypes.c_int64, made on first use
INTERRUPT, STAND_ASIDE = "interrupt", "stand_aside"


def address(name: str) -> int:
    """Where native code finds a flag (creates it)."""
    import ctypes

    flag = _flags.get(name)
    if flag is None:
        flag = _flags[name] = ctypes.c_int64(0)
    return ctypes.addressof(flag)


def _set(name: str, value: int) -> None:
    flag = _flags.get(name)
    if flag is not None:
        flag.value = value


def request_interrupt() -> bool:
    """Ctrl-C arrived: native code stops at its next poll. False while no native code is loaded."""
    _set(INTERRUPT, 1)
    return INTERRUPT in _flags


def clear_interrupt() -> None:
    _set(INTERRUPT, 0)


def stand_aside() -> None:
    _set(STAND_ASIDE, 1)


def error_made() -> None:
    flag = _flags.get(STAND_ASIDE)
    if flag is not None and flag.value:
        flag.value = 0


def standing_aside() -> bool:
    flag = _flags.get(STAND_ASIDE)
    return flag is not None and flag.value != 0
