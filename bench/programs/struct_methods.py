# struct_methods: 1,000 particles (position and velocity as Vec2 objects) moved for 200 steps
# inside a 0..1000 box, bouncing off the walls. Twin of struct_methods.ruff.
import time


class Vec2:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, o):
        return Vec2(self.x + o.x, self.y + o.y)

    def dot(self, o):
        return self.x * o.x + self.y * o.y


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self):
        np = self.pos.add(self.vel)
        nvx = self.vel.x
        nvy = self.vel.y
        if np.x < 0 or np.x > 1000:
            nvx = 0 - nvx
        if np.y < 0 or np.y > 1000:
            nvy = 0 - nvy
        return Particle(np, Vec2(nvx, nvy))

    def energy(self):
        return self.vel.dot(self.vel)


def simulate(count, steps):
    ps = []
    i = 0
    while i < count:
        p = Particle(
            Vec2((i * 7) % 1000, (i * 13) % 1000),
            Vec2(i % 11 - 5, i % 7 - 3),
        )
        ps.append(p)
        i = i + 1
    s = 0
    while s < steps:
        k = 0
        while k < count:
            ps[k] = ps[k].step()
            k = k + 1
        s = s + 1
    checksum = 0
    k = 0
    while k < count:
        checksum = checksum + ps[k].pos.x + 3 * ps[k].pos.y + ps[k].energy()
        k = k + 1
    return checksum


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = simulate(1000, 2)
bench_t0 = time.perf_counter()
bench_out = simulate(1000, 200)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
