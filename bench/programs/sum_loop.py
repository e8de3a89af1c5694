# sum_loop: sum of the integers 0 .. 999,999 in a while loop. Twin of sum_loop.ruff.
import time


def sum_to(n):
    total = 0
    i = 0
    while i < n:
        total = total + i
        i = i + 1
    return total


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = sum_to(5000)
bench_t0 = time.perf_counter()
bench_out = sum_to(1000000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
