# dict_fill_read: fill a dict with 100,000 int keys (k -> 2k), then read every key back and sum.
# Twin of dict_fill_read.ruff.
import time


def fill_read(n):
    d = {}
    i = 0
    while i < n:
        d[i] = i * 2
        i = i + 1
    total = 0
    i = 0
    while i < n:
        total = total + d[i]
        i = i + 1
    return total


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = fill_read(2000)
bench_t0 = time.perf_counter()
bench_out = fill_read(100000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
