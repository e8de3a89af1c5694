/* sum_loop: sum of the integers 0 .. 999,999 in a while loop. Twin of sum_loop.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

static volatile int64_t bench_n = 1000000;

static int64_t sum_to(int64_t n) {
    int64_t total = 0;
    int64_t i = 0;
    while (i < n) {
        total = total + i;
        i = i + 1;
    }
    return total;
}

int main(void) {
    double t0 = bench_now_ms();
    int64_t out = sum_to(bench_n);
    double t1 = bench_now_ms();
    printf("result: %lld\n", (long long)out);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
