# sieve: the sieve of Eratosthenes over 0..1,999,999 in an int array of 0/1 flags; result: how
# many primes there are below 2,000,000 and their sum. Twin of sieve.ruff.
import time


def sieve(limit):
    flags = []
    i = 0
    while i < limit:
        flags.append(1)
        i = i + 1
    flags[0] = 0
    flags[1] = 0
    p = 2
    while p * p < limit:
        if flags[p] == 1:
            m = p * p
            while m < limit:
                flags[m] = 0
                m = m + p
        p = p + 1
    count = 0
    total = 0
    i = 0
    while i < limit:
        if flags[i] == 1:
            count = count + 1
            total = total + i
        i = i + 1
    return "%d %d" % (count, total)


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = sieve(1000)
bench_t0 = time.perf_counter()
bench_out = sieve(2000000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
