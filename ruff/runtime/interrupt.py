"""The interrupt flag native code polls: Ctrl-C while a native loop runs.

Native code holds the GIL, so neither Python's signal handler (main thread only) nor an asynchronous
exception can reach it. Instead, every native loop lets go of the GIL once every POLL_INTERVAL back-edges
(the main thread then runs Python's SIGINT handler, which ends in `request()`) and then reads this flag;
when it is set the loop leaves through the error slot and the Python side raises KeyboardInterrupt
(ruff/backend/native.py). The flag is a C integer at a fixed address that native modules learn when they
are loaded; it is only created once native code exists, so start-up pays nothing for it.
"""

from __future__ import annotations

from typing import Any

_flag: Any = None  # ctypes.c_int64, made on first use


def flag_address() -> int:
    """Where native code finds the flag (creates it)."""
    global _flag
    if _flag is None:
        import ctypes

        _flag = ctypes.c_int64(0)
    import ctypes

    return ctypes.addressof(_flag)


def request() -> None:
    """Ctrl-C arrived: native code stops at its next poll (a no-op while no native code is loaded)."""
    if _flag is not None:
        _flag.value = 1


def clear() -> None:
    if _flag is not None:
        _flag.value = 0
