# quicksort: 200,000 pseudo-random ints (a linear congruential generator, seed 42) sorted in place
# by a recursive quicksort (Lomuto partition around the middle element); result: a checksum of the
# sorted array and its first and last elements. Twin of quicksort.ruff.
import time


def make_data(n, seed):
    data = []
    i = 0
    while i < n:
        seed = (seed * 1103515245 + 12345) % 2147483648
        data.append(seed % 1000000)
        i = i + 1
    return data


def quicksort(a, lo, hi):
    if lo >= hi:
        return
    mid = lo + (hi - lo) // 2
    pivot = a[mid]
    a[mid] = a[hi]
    a[hi] = pivot
    store = lo
    i = lo
    while i < hi:
        if a[i] < pivot:
            t = a[i]
            a[i] = a[store]
            a[store] = t
            store = store + 1
        i = i + 1
    a[hi] = a[store]
    a[store] = pivot
    quicksort(a, lo, store - 1)
    quicksort(a, store + 1, hi)


def sort_and_check(n):
    data = make_data(n, 42)
    quicksort(data, 0, n - 1)
    checksum = 0
    i = 0
    while i < n:
        if i > 0 and data[i - 1] > data[i]:
            return "not sorted at %d" % i
        checksum = (checksum * 31 + data[i]) % 1000000007
        i = i + 1
    return "%d %d %d" % (checksum, data[0], data[n - 1])


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = sort_and_check(1000)
bench_t0 = time.perf_counter()
bench_out = sort_and_check(200000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
