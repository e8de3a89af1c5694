# string_processing: 20,000 rounds of text handling on a short comma-separated record —
# split, upper-case, replace, length, join. Twin of string_processing.ruff.
import time


def process(rounds):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    base = ",".join(words)
    total = 0
    last = ""
    r = 0
    while r < rounds:
        line = base + "," + str(r)
        parts = line.split(",")
        out = []
        k = 0
        while k < len(parts):
            w = parts[k].upper().replace("E", "3")
            total = total + len(w)
            out.append(w)
            k = k + 1
        last = "-".join(out)
        total = total + len(last)
        r = r + 1
    return str(total) + " " + last


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = process(1500)
bench_t0 = time.perf_counter()
bench_out = process(20000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
