/* fib_recursive: naive doubly-recursive Fibonacci, fib(30). Twin of fib_recursive.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

/* volatile: the argument is not a compile-time constant, so gcc cannot fold the whole computation */
static volatile int64_t bench_n = 30;

static int64_t fib(int64_t n) {
    if (n < 2) {
        return n;
    }
    return fib(n - 1) + fib(n - 2);
}

int main(void) {
    double t0 = bench_now_ms();
    int64_t out = fib(bench_n);
    double t1 = bench_now_ms();
    printf("result: %lld\n", (long long)out);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
