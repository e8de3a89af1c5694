"""run_in_big_stack: the program thread's frames stay in one data-stack chunk (no mmap/munmap per call)."""

import resource

import pytest

from ruff.runtime.bigstack import run_in_big_stack


def _big_frames(depth: int) -> int:
    if depth == 0:
        return 0
    return _big_frames(depth - 1) + 1


# A big frame (2.4 KB: CPython reserves co_stacksize slots in each frame), so that 200 nested calls span
# several of CPython's 16 KiB data-stack chunks.
_big_frames.__code__ = _big_frames.__code__.replace(co_stacksize=300)


def _oscillate() -> int:
    """Page faults of this thread while a recursion goes back and forth across chunk boundaries."""
    _big_frames(200)
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(3000):
        for d in range(30, 200, 17):
            _big_frames(d)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


@pytest.mark.skipif(not hasattr(resource, "RUSAGE_THREAD"), reason="needs per-thread rusage (Linux)")
def test_recursion_across_chunk_boundaries_does_not_map_memory_per_call():
    # Without the reserved root chunk, every call that starts a new chunk maps fresh memory (a page fault
    # each: tens of thousands here); with it, the pages are touched once.
    assert run_in_big_stack(_oscillate) < 500


def test_results_and_errors_come_back_to_the_caller():
    assert run_in_big_stack(lambda: _big_frames(5000)) == 5000
    with pytest.raises(ZeroDivisionError):
        run_in_big_stack(lambda: 1 // 0)
