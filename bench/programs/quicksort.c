/* quicksort: 200,000 pseudo-random ints (a linear congruential generator, seed 42) sorted in
   place by a recursive quicksort (Lomuto partition around the middle element).
   Twin of quicksort.ruff. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "bench_time.h"

static volatile int64_t bench_n = 200000;

static void make_data(int64_t *data, int64_t n, int64_t seed) {
    for (int64_t i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        data[i] = seed % 1000000;
    }
}

static void quicksort(int64_t *a, int64_t lo, int64_t hi) {
    if (lo >= hi) {
        return;
    }
    int64_t mid = lo + (hi - lo) / 2;
    int64_t pivot = a[mid];
    a[mid] = a[hi];
    a[hi] = pivot;
    int64_t store = lo;
    for (int64_t i = lo; i < hi; i++) {
        if (a[i] < pivot) {
            int64_t t = a[i];
            a[i] = a[store];
            a[store] = t;
            store = store + 1;
        }
    }
    a[hi] = a[store];
    a[store] = pivot;
    quicksort(a, lo, store - 1);
    quicksort(a, store + 1, hi);
}

int main(void) {
    int64_t n = bench_n;
    int64_t *data = malloc(n * sizeof(int64_t));
    if (data == NULL) {
        perror("malloc");
        return 1;
    }
    double t0 = bench_now_ms();
    make_data(data, n, 42);
    quicksort(data, 0, n - 1);
    int64_t checksum = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && data[i - 1] > data[i]) {
            printf("result: not sorted at %lld\n", (long long)i);
            return 1;
        }
        checksum = (checksum * 31 + data[i]) % 1000000007;
    }
    double t1 = bench_now_ms();
    printf("result: %lld %lld %lld\n", (long long)checksum, (long long)data[0], (long long)data[n - 1]);
    printf("work_ms: %.6f\n", t1 - t0);
    free(data);
    return 0;
}
