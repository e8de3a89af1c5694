# mandelbrot: the Benchmarks Game mandelbrot bitmap, 360 x 360 pixels of [-1.5, 0.5] x [-1, 1],
# at most 50 iterations per pixel, packed 8 pixels to a byte; result: the number of pixels in the
# set and a checksum of the bitmap bytes. Twin of mandelbrot.ruff.
import time


def mandelbrot(size):
    in_set = 0
    checksum = 0
    y = 0
    while y < size:
        ci = 2.0 * y / size - 1.0
        byte = 0
        bits = 0
        x = 0
        while x < size:
            cr = 2.0 * x / size - 1.5
            zr = 0.0
            zi = 0.0
            tr = 0.0
            ti = 0.0
            i = 0
            while i < 50 and tr + ti <= 4.0:
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                i = i + 1
            byte = byte * 2
            if tr + ti <= 4.0:
                byte = byte + 1
                in_set = in_set + 1
            bits = bits + 1
            if bits == 8 or x == size - 1:
                while bits < 8:
                    byte = byte * 2
                    bits = bits + 1
                checksum = (checksum * 31 + byte) % 1000000007
                byte = 0
                bits = 0
            x = x + 1
        y = y + 1
    return "%d %d" % (in_set, checksum)


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = mandelbrot(20)
bench_t0 = time.perf_counter()
bench_out = mandelbrot(360)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
