"""The analyses of bytecode grow linearly with the program (issue 19).

Control flow, liveness, typeflow and the fast tier's code generator once recorded the whole operand stack
and every local at every instruction: a 10,000-element array literal took seconds and hundreds of MB, a
100,000-element one ran out of memory. Each program shape below is analysed at two sizes four times
apart; time and peak memory must grow about four-fold (a quadratic analysis would grow sixteen-fold; time
may grow up to ten-fold, as timing on a busy machine is noisy), and stay within absolute bounds.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from typing import Callable

import pytest

from ruff.frontend.bytecode import Chunk
from ruff.frontend.cfg import ControlFlow, Liveness
from ruff.frontend.compiler import compile_source
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.fast.codegen import generate
from ruff.runtime.fast.typeflow import infer

SMALL, LARGE = 1_500, 6_000

SHAPES: dict[str, Callable[[int], str]] = {
    "array literal": lambda n: "  return [" + ", ".join("a" if i % 2 else str(i) for i in range(n)) + "]\n",
    "dict literal": lambda n: "  return {" + ", ".join(f'"k{i}": a' for i in range(n)) + "}\n",
    "interpolated string": lambda n: '  return "' + "${a}," * n + '"\n',
    "many locals": lambda n: "".join(f"  v{i} := a + {i}\n" for i in range(n // 2)) + "  return v0\n",
    "long body": lambda n: "  x := a\n" + "  x = x + 1\n" * (n // 2) + "  return x\n",
    "many branches": lambda n: "  x := 0\n" + "".join(f"  if a > {i} {{ x = x + {i} }}\n" for i in range(n // 4))
    + "  return x\n",
}


def function(shape: str, n: int) -> Chunk:
    src = "func f(a) {\n" + SHAPES[shape](n) + "}\n"
    return next(c for c in compile_source(src, "t.ruff").chunk.all_chunks() if c.name == "f")


def analyse(chunk: Chunk) -> None:
    def run() -> None:
        flow = ControlFlow(chunk)
        Liveness(flow)
        infer(chunk, flow=flow)
        generate(chunk)  # recurses once per block that follows another (as when a program runs)

    run_in_big_stack(run)


def cpu_seconds(chunk: Chunk) -> float:
    best = float("inf")
    for _ in range(3):  # the least disturbed of three runs (the suite runs beside other work)
        gc.collect()
        t = time.process_time()
        analyse(chunk)
        best = min(best, time.process_time() - t)
    return best


def peak_bytes(chunk: Chunk) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        analyse(chunk)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_analyses_grow_linearly(shape: str) -> None:
    small, large = function(shape, SMALL), function(shape, LARGE)
    assert len(large.code) > 3.5 * len(small.code)
    t_small, t_large = cpu_seconds(small), cpu_seconds(large)
    m_small, m_large = peak_bytes(small), peak_bytes(large)
    assert m_large < 6 * m_small, (m_small, m_large)
    assert m_large < 64 * 2**20
    # Four times the size: about four times the time; a quadratic analysis takes sixteen times. A machine
    # busy with other work slows short runs unevenly, hence the margin.
    assert t_large < 10 * max(t_small, 0.01), (t_small, t_large)
    assert t_large < 10.0


def test_a_large_program_runs_on_the_fast_tier_in_bounded_time() -> None:
    """End to end: a 50,000-element literal and a function with 5,000 locals, translated and run."""
    from ruff.runtime.fast.fastvm import FastVM
    from ruff.runtime.values import Module

    n = 50_000
    src = ("xs := [" + ", ".join(str(i) for i in range(n)) + "]\n"
           "func f() {\n" + "".join(f"  v{i} := {i}\n" for i in range(5_000)) + "  return v0 + v4999\n}\n"
           "print(len(xs), f())\n")
    compiled = compile_source(src, "t.ruff")
    out: list[str] = []
    vm = FastVM(write=out.append)
    t = time.process_time()
    run_in_big_stack(lambda: vm.run_chunk(compiled.chunk, Module("__main__", "t.ruff", src)))
    assert "".join(out) == f"{n} 4999\n"
    assert vm.fallbacks == {}
    assert time.process_time() - t < 20.0
