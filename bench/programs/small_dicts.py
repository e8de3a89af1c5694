# small_dicts: create 100,000 small dicts (three string keys each) in a loop and read one
# field of each. Twin of small_dicts.ruff.
import time


def make_many(n):
    total = 0
    i = 0
    while i < n:
        obj = {"id": i, "value": i * 2, "name": "object"}
        total = total + obj["value"] + len(obj)
        i = i + 1
    return total


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = make_many(2000)
bench_t0 = time.perf_counter()
bench_out = make_many(100000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
