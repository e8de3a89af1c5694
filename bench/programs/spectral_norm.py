# spectral_norm: the Benchmarks Game spectral norm of the infinite matrix A(i, j) =
# 1 / ((i + j)(i + j + 1) / 2 + i + 1), by 10 power iterations on 400-element vectors.
# Twin of spectral_norm.ruff.
import math
import time


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v, n):
    out = []
    i = 0
    while i < n:
        s = 0.0
        j = 0
        while j < n:
            s = s + eval_a(i, j) * v[j]
            j = j + 1
        out.append(s)
        i = i + 1
    return out


def mul_atv(v, n):
    out = []
    i = 0
    while i < n:
        s = 0.0
        j = 0
        while j < n:
            s = s + eval_a(j, i) * v[j]
            j = j + 1
        out.append(s)
        i = i + 1
    return out


def mul_atav(v, n):
    return mul_atv(mul_av(v, n), n)


def spectral_norm(n):
    u = []
    i = 0
    while i < n:
        u.append(1.0)
        i = i + 1
    v = u
    k = 0
    while k < 10:
        v = mul_atav(u, n)
        u = mul_atav(v, n)
        k = k + 1
    vbv = 0.0
    vv = 0.0
    i = 0
    while i < n:
        vbv = vbv + u[i] * v[i]
        vv = vv + v[i] * v[i]
        i = i + 1
    return "%.9f" % math.sqrt(vbv / vv)


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = spectral_norm(20)
bench_t0 = time.perf_counter()
bench_out = spectral_norm(400)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
