# array_build: build a 100,000-element list with append (element k is 3k), then index every
# element to sum them. Twin of array_build.ruff (Ruff's `arr := push(arr, x)` is list.append).
import time


def build_and_sum(n):
    arr = []
    i = 0
    while i < n:
        arr.append(i * 3)
        i = i + 1
    total = 0
    i = 0
    while i < len(arr):
        total = total + arr[i]
        i = i + 1
    return [len(arr), total]


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = build_and_sum(2000)
bench_t0 = time.perf_counter()
bench_out = build_and_sum(100000)
bench_t1 = time.perf_counter()
print("result:", bench_out[0], bench_out[1])
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
