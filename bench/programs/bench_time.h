/* Shared by the C twins: a monotonic clock in milliseconds. */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H
#include <time.h>

static double bench_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1.0e6;
}
#endif
