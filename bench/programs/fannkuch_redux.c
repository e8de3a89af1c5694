/* fannkuch_redux: the Benchmarks Game fannkuch-redux for n = 9 (pancake flips of every
   permutation of 0..8). Twin of fannkuch_redux.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

static volatile int64_t bench_n = 9;

#define MAXN 16

static void fannkuch(int64_t n, int64_t *checksum_out, int64_t *max_flips_out) {
    int64_t perm1[MAXN], count[MAXN], perm[MAXN];
    for (int64_t i = 0; i < n; i++) {
        perm1[i] = i;
        count[i] = 0;
        perm[i] = 0;
    }
    int64_t max_flips = 0, checksum = 0, perm_count = 0;
    int64_t r = n;
    for (;;) {
        while (r != 1) {
            count[r - 1] = r;
            r = r - 1;
        }
        for (int64_t i = 0; i < n; i++) {
            perm[i] = perm1[i];
        }
        int64_t flips = 0;
        int64_t k = perm[0];
        while (k != 0) {
            int64_t lo = 0, hi = k;
            while (lo < hi) {
                int64_t t = perm[lo];
                perm[lo] = perm[hi];
                perm[hi] = t;
                lo = lo + 1;
                hi = hi - 1;
            }
            flips = flips + 1;
            k = perm[0];
        }
        if (flips > max_flips) {
            max_flips = flips;
        }
        checksum = perm_count % 2 == 0 ? checksum + flips : checksum - flips;
        /* next permutation: rotate the first r + 1 elements while their counter runs out */
        for (;;) {
            if (r == n) {
                *checksum_out = checksum;
                *max_flips_out = max_flips;
                return;
            }
            int64_t perm0 = perm1[0];
            for (int64_t i = 0; i < r; i++) {
                perm1[i] = perm1[i + 1];
            }
            perm1[r] = perm0;
            count[r] = count[r] - 1;
            if (count[r] > 0) {
                break;
            }
            r = r + 1;
        }
        perm_count = perm_count + 1;
    }
}

int main(void) {
    int64_t checksum, max_flips;
    int64_t n = bench_n;
    if (n < 1 || n > MAXN) {
        return 2;
    }
    double t0 = bench_now_ms();
    fannkuch(n, &checksum, &max_flips);
    double t1 = bench_now_ms();
    printf("result: %lld %lld\n", (long long)checksum, (long long)max_flips);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
