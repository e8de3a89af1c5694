# native_calls: 1,000,000 calls of a two-int function from a loop in a try block. Twin of native_calls.ruff.
import time


def add(a, b):
    return a + b


def drive(n):
    s = 0
    try:
        i = 0
        while i < n:
            s = add(s, i)
            i += 1
    except Exception as e:
        print(e)
    return s


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = drive(1000)
bench_t0 = time.perf_counter()
bench_out = drive(1000000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
