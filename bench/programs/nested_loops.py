# nested_loops: two nested while loops of 1000 x 1000 iterations, accumulating i * j.
# Twin of nested_loops.ruff.
import time


def nested(n):
    total = 0
    i = 0
    while i < n:
        j = 0
        while j < n:
            total = total + i * j
            j = j + 1
        i = i + 1
    return total


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = nested(40)
bench_t0 = time.perf_counter()
bench_out = nested(1000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
