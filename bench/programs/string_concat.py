# string_concat: build a 10,000-character string by appending one character at a time
# (cycling through "a".."j"). Twin of string_concat.ruff.
import time


def build(n):
    letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
    s = ""
    i = 0
    while i < n:
        s = s + letters[i % 10]
        i = i + 1
    return s


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = build(2000)
bench_t0 = time.perf_counter()
bench_s = build(10000)
bench_t1 = time.perf_counter()
print("result:", len(bench_s), bench_s[9990:10000])
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
