"""Benchmark suite of Ruff-on-xDSL: Ruff (JIT, no JIT, opcode interpreter) against CPython, PyPy
and gcc -O2, side by side in one run.  Entry point: ``python -m bench`` (see bench/README.md).

Every benchmark program prints exactly two lines on stdout::

    result: <value>
    work_ms: <float>

``result:`` must be identical across contenders; ``work_ms`` is the program's own timing of its work
(Ruff ``performance_now()``, Python ``time.perf_counter()``, C ``clock_gettime(CLOCK_MONOTONIC)``).
"""

RESULT_PREFIX = "result:"
WORK_PREFIX = "work_ms:"
