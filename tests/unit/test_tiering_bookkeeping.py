"""The native tier's bookkeeping around what it does not compile: a refused loop does not send its function
to be compiled (and refused) again, a function made hot only by its loop is not generated again for
nothing, refused loops count back-edges with a small int, and the cache key's inputs are read once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kit import run_source
from ruff.runner import RunOptions
from ruff.runtime.fast import FastVM
from ruff import jit_cache, tiering
from ruff.tiering import QUIET_COUNT, attach_jit

# Threshold 5: a function is hot at its 5th call, a loop at its 50th back-edge. Every loop below runs 60
# times or more per call, and every function is called twice. The for-in loops iterate over strings, which
# on-stack replacement does not enter (it does arrays and ranges): a refusal for the loop's shape.
ARRAY = "ab" * 30
WORDS = "ab" * 60
PROGRAM = f"""func build(n) {{
    mut s := ""
    mut i := 0
    while i < n {{
        s := s + repeat("ab", 1)
        i := i + 1
    }}
    return len(s)
}}
func words(xs) {{
    mut s := ""
    for x in xs {{ s := s + x }}
    return len(s)
}}
func count(xs) {{
    mut s := 0
    for x in xs {{ s := s + 2 }}
    return s
}}
xs := "{ARRAY}"
ws := "{WORDS}"
print(build(60), build(60))
print(words(ws), words(ws))
print(count(xs), count(xs))
"""


class Run:
    """PROGRAM (or another) run on the fast tier with a JIT at threshold 5 that logs, counting every
    compile attempt and every time a function's Python code is generated."""

    def __init__(self, src: str, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RUFF_CACHE_DIR", str(cache))
        out: list[str] = []
        self.vm = FastVM(write=out.append)
        self.jit = attach_jit(self.vm, RunOptions(jit=True, jit_threshold=5))
        self.jit.log = True  # the summary's records, without the atexit report
        self.installs: Counter = Counter()
        self.chunks: dict[str, Any] = {}
        self.compiles: list[str] = []
        install, compile_ = self.vm.install, self.jit.compile

        def counted_install(chunk: Any, module: Any) -> Any:
            self.installs[chunk.name] += 1
            self.chunks[chunk.name] = chunk
            return install(chunk, module)

        def counted_compile(fn: Any, types: tuple) -> Any:
            self.compiles.append(fn.chunk.loop_of or fn.chunk.name)
            return compile_(fn, types)

        self.vm.install = counted_install
        self.jit.compile = counted_compile
        self.output = run_source(src, self.vm, filename="p.ruff", dedent=False) + "".join(out)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    with pytest.MonkeyPatch.context() as mp:
        return Run(PROGRAM, tmp_path_factory.mktemp("cache"), mp)


def test_the_program_prints_what_the_baseline_does(run: Run) -> None:
    assert run.output == "120 120\n120 120\n120 120\n"


def test_a_loop_refused_for_what_it_does_refuses_its_function_without_a_second_attempt(run: Run) -> None:
    # build's loop would run `repeat("ab", 1)` through the runtime: the function would too. It is not compiled
    # at its next call (that attempt was refused for the same reason, and regenerated build for nothing).
    assert run.compiles.count("build") == 1  # the loop's attempt only
    assert "build: its loop at p.ruff:6 was not compiled" in run.jit.refusals
    assert not any(r.startswith("build: its loops") for r in run.jit.refusals)
    # Generated at its first call, and once more without the refused loop's counter: never for the refusal.
    assert run.installs["build"] == 2
    assert "  not compiled build: its loop at p.ruff:6 was not compiled" in run.jit.summary()


def test_a_loop_refused_for_its_shape_still_compiles_its_function_at_the_next_call(run: Run) -> None:
    # A for-in over a string is no loop on-stack replacement enters; the whole function may still go native.
    assert "loop at p.ruff:17 in count: the loop iterates over something other than a range or an array" in run.jit.refusals
    assert [e.name for e in run.jit.compiled] == ["count"]
    # Neither for-in loop is offered to the compiler (its shape is refused first); their functions are.
    assert run.compiles == ["build", "words", "count"]  # build: its loop's attempt
    assert "loop at p.ruff:12 in words: the loop iterates over something other than a range or an array" in run.jit.refusals
    assert any(r.startswith("words: its loops would run") for r in run.jit.refusals)


def test_a_function_hot_only_through_its_loop_is_not_generated_again(run: Run) -> None:
    # count compiled and words refused at the call after their loops were refused: neither is generated a
    # third time to drop call counting (they run a few long calls, not many short ones).
    assert run.installs["count"] == 2
    assert run.installs["words"] == 2


def test_a_naturally_hot_refused_function_still_drops_its_hooks(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    src = PROGRAM + "mut k := 0\nwhile k < 8 {\n    words(ws)\n    k := k + 1\n}\n"
    run = Run(src, tmp_path / "cache", monkeypatch)
    assert run.installs["words"] == 2  # as above: refused at the call after its loop
    # A function refused with its loop (no regeneration then) that then reaches the threshold by its calls.
    src = PROGRAM + "mut k := 0\nwhile k < 8 {\n    build(3)\n    k := k + 1\n}\n"
    run = Run(src, tmp_path / "cache", monkeypatch)
    assert run.installs["build"] == 3
    assert run.compiles.count("build") == 1


def test_refused_loops_restart_their_count_from_a_small_int(run: Run) -> None:
    assert -(1 << 30) < QUIET_COUNT < 0  # a one-digit int for CPython's arithmetic
    # The frame that was running the loop counted on from there (its code is not regenerated under it).
    counts = run.chunks["build"].loop_counts
    assert counts and all(QUIET_COUNT <= n < QUIET_COUNT + 60 for n in counts.values())


def test_a_refused_loop_asking_again_is_answered_at_once(run: Run) -> None:
    chunk = run.chunks["build"]
    edge = max(chunk.loop_counts)
    chunk.loop_counts[edge] = 10 ** 6  # as if it had counted all the way up from QUIET_COUNT

    class Frame:
        pass

    frame = Frame()
    frame.chunk, frame.module = chunk, None
    attempts = len(run.compiles)
    assert run.jit.osr(frame, edge, 1) is False
    assert len(run.compiles) == attempts and chunk.loop_counts[edge] == QUIET_COUNT


def test_the_host_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    monkeypatch.setattr(tiering, "_host_id", None)
    monkeypatch.setattr(tiering, "_read_host_id", lambda: reads.append(1) or "host")
    assert tiering.host_id() == tiering.host_id() == "host"
    assert len(reads) == 1


def test_the_cache_key_follows_a_rebound_callee() -> None:
    from ruff.frontend.compiler import compile_source
    from ruff.runtime.values import Module, new_closure

    src = "func f(n) { return g(n) }\nfunc g(n) { return n }\nfunc h(n) { return n + 1 }\n"
    program = compile_source(src, "k.ruff")
    module = Module("__main__", "k.ruff", src)
    fns = {c.name: c for c in program.chunk.constants if hasattr(c, "code")}
    module.globals.update({name: new_closure(chunk, [], module) for name, chunk in fns.items()})
    first = jit_cache.cache_key(fns["f"], module, ("int",), "host")
    assert jit_cache.cache_key(fns["f"], module, ("int",), "host") == first
    module.globals["g"] = module.globals["h"]
    assert jit_cache.cache_key(fns["f"], module, ("int",), "host") != first


def test_a_function_generated_again_reuses_its_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    # Dropping hooks (profile_less) generates the function again: its placement and type facts, which do
    # not depend on the hooks, are not computed again, and the code is what a fresh analysis gives.
    from ruff.frontend.compiler import compile_source
    from ruff.runtime.fast import codegen
    from ruff.runtime.fast.codegen import FULL_PROFILING, Profiling, generate

    src = "func f(n) {\n    mut t := 0\n    for i in range(n) { t := t + i * 2 }\n    return t\n}\nprint(f(10))\n"
    f = next(c for c in compile_source(src, "a.ruff").chunk.all_chunks() if c.name == "f")
    vm = FastVM()
    attach_jit(vm, RunOptions(jit=True))
    placements = []
    real = codegen.Placement
    monkeypatch.setattr(codegen, "Placement", lambda chunk: placements.append(chunk) or real(chunk))
    first = vm.compile_chunk(f, FULL_PROFILING)
    back_edge = max(i for i, ins in enumerate(f.code) if ins.op.name == "JumpBack")
    quieter = Profiling(calls=False, native=False, quiet_loops=frozenset({back_edge}))
    again = vm.compile_chunk(f, quieter)
    assert first is not None and again is not None and first[0].source != again[0].source
    assert placements == [f]
    assert again[0].source == generate(f, jit=True, builtin_names=vm._builtin_names(), profiling=quieter).source


def test_a_native_loop_left_for_short_trips_counts_from_a_small_int(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The inner loop goes native, then runs 2 iterations per entry: after its trial runs it is left to the
    # baseline, and asking again (a frame counted all the way up) is answered at once.
    items = "1" * 300  # a string: the outer for-in is no loop on-stack replacement enters
    src = (f"func f(xs) {{\n    mut t := 0\n    for x in xs {{\n        mut i := 0\n        while i < 2 {{\n"
           f"            t := t + i\n            i := i + 1\n        }}\n    }}\n    return t\n}}\nprint(f(\"{items}\"))\n")
    run = Run(src, tmp_path / "cache", monkeypatch)
    assert run.output == "300\n"
    (plan,) = {id(p): p for p in run.jit.loops.values()}.values()
    assert plan.native is None and plan.runs == tiering.OSR_TRIAL_RUNS
    chunk = run.chunks["f"]
    assert all(QUIET_COUNT <= n < 0 for n in chunk.loop_counts.values())
    edge = plan.exit - 1
    chunk.loop_counts[edge] = 10 ** 6

    class Frame:
        pass

    frame = Frame()
    frame.chunk, frame.module = chunk, None
    assert run.jit.osr(frame, edge, 1) is False and chunk.loop_counts[edge] == QUIET_COUNT
