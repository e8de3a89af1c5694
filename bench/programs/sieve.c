/* sieve: the sieve of Eratosthenes over 0..1,999,999 in an int array of 0/1 flags.
   Twin of sieve.ruff. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "bench_time.h"

static volatile int64_t bench_limit = 2000000;

static void sieve(int64_t limit, int64_t *count_out, int64_t *total_out) {
    int64_t *flags = malloc(limit * sizeof(int64_t));
    if (flags == NULL) {
        perror("malloc");
        exit(1);
    }
    for (int64_t i = 0; i < limit; i++) {
        flags[i] = 1;
    }
    flags[0] = 0;
    flags[1] = 0;
    for (int64_t p = 2; p * p < limit; p++) {
        if (flags[p] == 1) {
            for (int64_t m = p * p; m < limit; m += p) {
                flags[m] = 0;
            }
        }
    }
    int64_t count = 0, total = 0;
    for (int64_t i = 0; i < limit; i++) {
        if (flags[i] == 1) {
            count = count + 1;
            total = total + i;
        }
    }
    free(flags);
    *count_out = count;
    *total_out = total;
}

int main(void) {
    int64_t count, total;
    double t0 = bench_now_ms();
    sieve(bench_limit, &count, &total);
    double t1 = bench_now_ms();
    printf("result: %lld %lld\n", (long long)count, (long long)total);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
