/* fib_iterative: iterative Fibonacci of n = 90, computed 100,000 times. Twin of fib_iterative.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

static volatile int64_t bench_reps = 100000;
static volatile int64_t bench_n = 90;

/* noipa: keep one real call per repetition, as in the Ruff and Python versions
   (gcc may not inline it, nor treat it as a pure function whose calls can be merged) */
__attribute__((noipa)) static int64_t fib_iter(int64_t n) {
    int64_t a = 0;
    int64_t b = 1;
    int64_t i = 0;
    while (i < n) {
        int64_t t = a + b;
        a = b;
        b = t;
        i = i + 1;
    }
    return a;
}

static int64_t repeat_fib(int64_t reps, int64_t n) {
    int64_t last = 0;
    int64_t r = 0;
    while (r < reps) {
        int64_t arg = n;
        __asm__ volatile("" : "+r"(arg)); /* opaque argument: the loop-invariant call is not hoisted */
        last = fib_iter(arg);
        r = r + 1;
    }
    return last;
}

int main(void) {
    double t0 = bench_now_ms();
    int64_t out = repeat_fib(bench_reps, bench_n);
    double t1 = bench_now_ms();
    printf("result: %lld\n", (long long)out);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
