# closures: 100,000 rounds of closure creation and calls — an adder factory, function
# composition, and a counter closure that mutates its captured variable. Twin of closures.ruff.
import time


def make_adder(k):
    def adder(v):
        return v + k
    return adder


def compose(f, g):
    def composed(v):
        return g(f(v))
    return composed


def make_counter():
    count = 0

    def counter():
        nonlocal count
        count = count + 1
        return count
    return counter


def run_closures(n):
    counter = make_counter()
    plus_one = make_adder(1)
    total = 0
    i = 0
    while i < n:
        add_i = make_adder(i % 100)
        both = compose(add_i, plus_one)
        total = total + both(i) + counter()
        i = i + 1
    return total + counter()


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = run_closures(2000)
bench_t0 = time.perf_counter()
bench_out = run_closures(100000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
