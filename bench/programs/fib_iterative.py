# fib_iterative: iterative Fibonacci of n = 90, computed 100,000 times. Twin of fib_iterative.ruff.
import time


def fib_iter(n):
    a = 0
    b = 1
    i = 0
    while i < n:
        t = a + b
        a = b
        b = t
        i = i + 1
    return a


def repeat_fib(reps, n):
    last = 0
    r = 0
    while r < reps:
        last = fib_iter(n)
        r = r + 1
    return last


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = repeat_fib(200, 90)
bench_t0 = time.perf_counter()
bench_out = repeat_fib(100000, 90)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
