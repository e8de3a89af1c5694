# fannkuch_redux: the Benchmarks Game fannkuch-redux for n = 9: every permutation of 0..8 (in
# the benchmark's counting order) is flipped pancake-style until 0 is in front; result: the
# alternating checksum of the flip counts and the maximum flip count. Twin of fannkuch_redux.ruff.
import time


def fannkuch(n):
    perm1 = []
    count = []
    perm = []
    i = 0
    while i < n:
        perm1.append(i)
        count.append(0)
        perm.append(0)
        i = i + 1
    max_flips = 0
    checksum = 0
    perm_count = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r = r - 1
        i = 0
        while i < n:
            perm[i] = perm1[i]
            i = i + 1
        flips = 0
        k = perm[0]
        while k != 0:
            # reverse perm[0..k]
            lo = 0
            hi = k
            while lo < hi:
                t = perm[lo]
                perm[lo] = perm[hi]
                perm[hi] = t
                lo = lo + 1
                hi = hi - 1
            flips = flips + 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        if perm_count % 2 == 0:
            checksum = checksum + flips
        else:
            checksum = checksum - flips
        # next permutation: rotate the first r + 1 elements while their counter runs out
        while True:
            if r == n:
                return "%d %d" % (checksum, max_flips)
            perm0 = perm1[0]
            i = 0
            while i < r:
                perm1[i] = perm1[i + 1]
                i = i + 1
            perm1[r] = perm0
            count[r] = count[r] - 1
            if count[r] > 0:
                break
            r = r + 1
        perm_count = perm_count + 1


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = fannkuch(6)
bench_t0 = time.perf_counter()
bench_out = fannkuch(9)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
