/* nested_loops: two nested while loops of 1000 x 1000 iterations, accumulating i * j.
   Twin of nested_loops.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

static volatile int64_t bench_n = 1000;

static int64_t nested(int64_t n) {
    int64_t total = 0;
    int64_t i = 0;
    while (i < n) {
        int64_t j = 0;
        while (j < n) {
            total = total + i * j;
            j = j + 1;
        }
        i = i + 1;
    }
    return total;
}

int main(void) {
    double t0 = bench_now_ms();
    int64_t out = nested(bench_n);
    double t1 = bench_now_ms();
    printf("result: %lld\n", (long long)out);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
