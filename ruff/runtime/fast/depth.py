"""The Ruff call-depth limit in the fast tier, enforced by Python's own recursion limit.

Generated functions do not count calls: a direct Ruff call is exactly one Python frame, so Python's
recursion check — which CPython makes on every frame anyway — is the depth check, and a call costs no
more than the Python call itself. `enter()` sets the limit (TARGET[0]) so that in a direct recursion the
frame of Ruff function MAX_FRAMES + 1 is the last one Python starts: it is refused at its first call or
at its first check inside CPython (comparing big ints, say), and frame MAX_FRAMES keeps room for those.

Python counts every frame, Ruff only its own. Frames that sit between Ruff frames are added to the limit
while they are there: a builtin's callback (`enter(between)`), a function's first call through its
trampoline (`lift`). Where Python still refuses a frame, the generated `except RecursionError` lifts the
limit by HEADROOM with C calls alone (at the limit no Python frame can start) and `retry()` decides:
it counts the Ruff frames really on the stack (generated frames plus the interpreter's). Past MAX_FRAMES
it is the interpreter's `Stack overflow` error, word for word, named and placed as the interpreter does;
short of it — met early, inside a builtin's or helper's own frames, before any Ruff code of the call ran —
the limit rises for the duration of the call and the call runs again.

Python will not set the limit below the depth it is asked from, so a frame deep in the stack cannot
always put it back: `settle()` (when an error is caught, when Ruff code returns to Python) and the
generated handler (`setlimit(TARGET[0])` once the call is back) do it from where they can.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any, Callable, Optional

from ruff.runtime.fast.frames import ruff_frames, ruff_name
from ruff.runtime.values import RuffError
from ruff.runtime.vm import MAX_FRAMES, stack_overflow

HEADROOM = 64
# Frames from the depth reading in enter() to the first Ruff frame: calibrated so that the interpreter's
# limit holds exactly (tests/unit/test_fasttier.py: test_stack_overflow_matches_the_interpreter).
_ENTRY_FRAMES = 2
_DEPTH = re.compile(r"depth (\d+)")
_lock = threading.Lock()  # for the first entry and last exit only: the hot updates below are single
# bytecode-level read-modify-writes of ints, which CPython's GIL does not interleave
_active = 0
_saved_limit = 0
TARGET = [0]  # the limit as it should be; read by generated code without a call


def python_depth() -> int:
    """This thread's Python recursion depth, in O(1): CPython names it when refusing a limit below it."""
    try:
        sys.setrecursionlimit(1)
    except RecursionError as e:
        m = _DEPTH.search(str(e))
        if m is not None:
            return int(m.group(1))
    depth, f = 0, sys._getframe()
    while f is not None:
        depth, f = depth + 1, f.f_back
    return depth


def settle() -> None:
    """Put the limit back to TARGET[0] unless this frame is too deep for that (a later settle() will)."""
    try:
        sys.setrecursionlimit(TARGET[0])
    except RecursionError:
        pass


def enter(between: int) -> None:
    """Ruff code starts running from Python: the program itself (which sets the limit), or a builtin's
    callback, which puts `between` Python frames between Ruff frames while it runs. Call leave() after."""
    global _active, _saved_limit
    if _active:
        _active += 1
        lift(between)
        return
    with _lock:
        _active += 1
        if _active == 1:
            _saved_limit = sys.getrecursionlimit()
            TARGET[0] = python_depth() + _ENTRY_FRAMES + MAX_FRAMES
            settle()
            return
    lift(between)


def leave(between: int) -> None:
    global _active
    if _active > 1:
        _active -= 1
        lift(-between)
        return
    with _lock:
        _active -= 1
        if _active == 0:
            sys.setrecursionlimit(_saved_limit)
            return
    lift(-between)


def lift(frames: int) -> None:
    """`frames` more (or, negative, fewer) Python frames sit between Ruff frames from now on."""
    TARGET[0] += frames
    settle()


def retry(exc: RecursionError, caller: Any, ruff_callee: Optional[str], interp_frames: int,
          call: Callable[[], Any]) -> Any:
    """Python refused a frame during a call made by `caller` (a Python frame); the limit is HEADROOM higher.

    ruff_callee: the Ruff function being called (None when not known to be one: a builtin or a helper).
    """
    try:
        started = None  # the outermost Ruff function that started inside the call
        t = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
        while t is not None and started is None:
            started = ruff_name(t.tb_frame)
            t = t.tb_next
        ruff, span = ruff_frames(caller)
        depth = ruff + interp_frames
        if depth > MAX_FRAMES:
            # The caller is the frame the interpreter would have refused (the limit lets one more start,
            # so that frame MAX_FRAMES has room for CPython's own checks): its error, without it.
            err = stack_overflow(ruff_name(caller) or "<script>")
            err.refused_frame = True
            raise err from None
        if started is not None:
            # A Ruff function started and was refused by a check inside CPython: it is the one past the
            # limit, or the limit was met early and what it did cannot be undone.
            raise stack_overflow(started) from None
        if ruff_callee is not None and depth >= MAX_FRAMES:
            raise stack_overflow(ruff_callee) from None
    except RuffError:
        settle()
        raise
    # Met early before any Ruff code of the call ran: room for the Ruff frames still allowed, at the Python
    # frames per Ruff frame seen so far, then the call again.
    per = span / ruff if ruff else 1.0
    extra = max(0, python_depth() + int((MAX_FRAMES - depth) * per) + HEADROOM - TARGET[0])
    lift(extra)
    try:
        return call()
    finally:
        lift(-extra)
