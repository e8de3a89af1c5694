"""Running a program on a thread with a large stack.

The fast tier turns each Ruff call into a Python call, and builtins that call back into Ruff (map, sort,
operator overloading) recurse in Python on both tiers; 50,000 nested Ruff calls (the depth limit, reached
before any `Stack overflow` error) need Python's recursion limit and C stack far above their defaults.
"""

from __future__ import annotations

import _thread
import operator
import sys
import threading
from typing import Any, Callable

BIG_STACK_BYTES = 1 << 30
BIG_RECURSION_LIMIT = 1_000_000
# CPython 3.11 keeps Python frames in 16 KiB "data stack" chunks and frees a chunk as soon as the frame at
# its base returns: a recursion whose depth goes back and forth across a chunk's boundary (quicksort, any
# tree walk) pays an mmap and a munmap per call there, which made generated code with big frames 1.5x
# slower. The thread's first chunk is never freed and is sized for the first frame pushed on the thread:
# that first frame is `_reserve_frames`, whose code claims ROOT_FRAME_WORDS of stack (never touched, so it
# costs address space, not memory), and every frame of the program then lives in that chunk.
ROOT_FRAME_WORDS = (1 << 23) - 1024  # a 64 MiB chunk: 50,000 nested Ruff calls of frames up to ~1,300 bytes


def _reserve_frames() -> None:
    """Returns at once; its frame (ROOT_FRAME_WORDS big) sizes the thread's first data-stack chunk."""


_reserve_frames.__code__ = _reserve_frames.__code__.replace(co_stacksize=ROOT_FRAME_WORDS)
INTERRUPT_GRACE_SECONDS = 0.5  # after Ctrl-C, how long the program's thread gets to unwind
NATIVE_POLL_SECONDS = 0.25  # how long native code gets to see the interrupt flag before Python is interrupted
# How often the main thread wakes while it waits for the program's thread. The kernel may deliver Ctrl-C to
# the program's thread instead; Python's handler then waits for the main thread to run bytecode, which a
# wait without a timeout never does while native code (which reads only its flag) runs.
SIGNAL_CHECK_SECONDS = 0.1


def run_in_big_stack(fn: Callable[[], Any], stack_bytes: int = BIG_STACK_BYTES,
                     recursion_limit: int = BIG_RECURSION_LIMIT) -> Any:
    """Run fn() in a thread with a large C stack and a high Python recursion limit; return its result.

    Generated code turns each Ruff call into a Python call, so 50,000 nested Ruff calls (the depth limit,
    reached before any Stack overflow error) need Python's recursion limit and stack far above their
    defaults. Exceptions (SystemExit included) are re-raised in the calling thread.
    """
    result: list = []
    error: list = []
    done = threading.Event()

    def target() -> None:
        try:
            try:
                result.append(fn())
            except BaseException as e:  # re-raised below, in the caller's thread
                error.append(e)
        except KeyboardInterrupt as e:  # Ctrl-C's asynchronous exception, arriving while the first is kept
            error.append(e)
        finally:
            done.set()

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    size = stack_bytes
    while True:
        try:
            threading.stack_size(size)
            break
        except (ValueError, RuntimeError):
            if size <= 32 << 20:
                size = 0
                break
            size //= 2
    try:
        sys.setrecursionlimit(max(old_limit, recursion_limit))
        # Called from C, one after the other, so that _reserve_frames is the thread's first Python frame.
        ident = _thread.start_new_thread(list, (map(operator.call, (_reserve_frames, target)),))
    finally:
        threading.stack_size(old_size)
    try:
        try:
            while not done.wait(SIGNAL_CHECK_SECONDS):
                pass
        except KeyboardInterrupt:
            # Ctrl-C reaches the main thread: stop the program where it runs, then report as usual. The
            # exception only lands when the thread next runs Python code; one blocked in C (sleep(60000),
            # waiting for input) is left behind, daemonic, rather than holding up the interrupt.
            import ctypes

            from ruff.runtime import native_flags

            if native_flags.request_interrupt() and done.wait(NATIVE_POLL_SECONDS):
                raise  # native code running on the thread saw the flag at its next poll (and raised there)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(KeyboardInterrupt))
            if not done.wait(INTERRUPT_GRACE_SECONDS):
                raise
    finally:
        sys.setrecursionlimit(old_limit)
    if error:
        raise error[0]
    return result[0] if result else None
