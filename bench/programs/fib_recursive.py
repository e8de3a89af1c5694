# fib_recursive: naive doubly-recursive Fibonacci, fib(30). Twin of fib_recursive.ruff.
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = fib(15)
bench_t0 = time.perf_counter()
bench_out = fib(30)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
