/* spectral_norm: the Benchmarks Game spectral norm of the infinite matrix A(i, j) =
   1 / ((i + j)(i + j + 1) / 2 + i + 1), by 10 power iterations on 400-element vectors.
   Twin of spectral_norm.ruff. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "bench_time.h"

static volatile int64_t bench_n = 400;

static double eval_a(int64_t i, int64_t j) {
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(const double *v, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        double s = 0.0;
        for (int64_t j = 0; j < n; j++) {
            s = s + eval_a(i, j) * v[j];
        }
        out[i] = s;
    }
}

static void mul_atv(const double *v, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        double s = 0.0;
        for (int64_t j = 0; j < n; j++) {
            s = s + eval_a(j, i) * v[j];
        }
        out[i] = s;
    }
}

static void mul_atav(const double *v, double *out, double *tmp, int64_t n) {
    mul_av(v, tmp, n);
    mul_atv(tmp, out, n);
}

static double spectral_norm(int64_t n) {
    double *u = malloc(n * sizeof(double));
    double *v = malloc(n * sizeof(double));
    double *tmp = malloc(n * sizeof(double));
    for (int64_t i = 0; i < n; i++) {
        u[i] = 1.0;
    }
    for (int k = 0; k < 10; k++) {
        mul_atav(u, v, tmp, n);
        mul_atav(v, u, tmp, n);
    }
    double vbv = 0.0, vv = 0.0;
    for (int64_t i = 0; i < n; i++) {
        vbv = vbv + u[i] * v[i];
        vv = vv + v[i] * v[i];
    }
    free(u);
    free(v);
    free(tmp);
    return sqrt(vbv / vv);
}

int main(void) {
    double t0 = bench_now_ms();
    double out = spectral_norm(bench_n);
    double t1 = bench_now_ms();
    printf("result: %.9f\n", out);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
