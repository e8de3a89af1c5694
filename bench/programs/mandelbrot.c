/* mandelbrot: the Benchmarks Game mandelbrot bitmap, 360 x 360 pixels, at most 50 iterations
   per pixel, packed 8 pixels to a byte. Twin of mandelbrot.ruff. */
#include <stdio.h>
#include <stdint.h>
#include "bench_time.h"

static volatile int64_t bench_size = 360;

static void mandelbrot(int64_t size, int64_t *in_set_out, int64_t *checksum_out) {
    int64_t in_set = 0, checksum = 0;
    for (int64_t y = 0; y < size; y++) {
        double ci = 2.0 * y / size - 1.0;
        int64_t byte = 0, bits = 0;
        for (int64_t x = 0; x < size; x++) {
            double cr = 2.0 * x / size - 1.5;
            double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
            int64_t i = 0;
            while (i < 50 && tr + ti <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = tr - ti + cr;
                tr = zr * zr;
                ti = zi * zi;
                i = i + 1;
            }
            byte = byte * 2;
            if (tr + ti <= 4.0) {
                byte = byte + 1;
                in_set = in_set + 1;
            }
            bits = bits + 1;
            if (bits == 8 || x == size - 1) {
                while (bits < 8) {
                    byte = byte * 2;
                    bits = bits + 1;
                }
                checksum = (checksum * 31 + byte) % 1000000007;
                byte = 0;
                bits = 0;
            }
        }
    }
    *in_set_out = in_set;
    *checksum_out = checksum;
}

int main(void) {
    int64_t in_set, checksum;
    double t0 = bench_now_ms();
    mandelbrot(bench_size, &in_set, &checksum);
    double t1 = bench_now_ms();
    printf("result: %lld %lld\n", (long long)in_set, (long long)checksum);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
