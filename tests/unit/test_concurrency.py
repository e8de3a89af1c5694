"""Tasks, promises, spawn and channels (ruff/runtime/concurrency.py, ruff/runtime/builtins/concurrency.py)."""

from __future__ import annotations

import subprocess
import textwrap
import threading
import time
from pathlib import Path

import pytest

from ruff.runtime import concurrency as C
from ruff.runtime.builtins import BUILTINS
from ruff.runtime.values import RuffError
from ruff.runtime.vm import VM
from kit import run_cli, run_source, write_program

def ruff_run(tmp_path: Path, src: str, *flags: str, timeout: float = 60) -> subprocess.CompletedProcess:
    path = write_program(tmp_path / "prog.ruff", textwrap.dedent(src))
    return run_cli("run", *flags, path, timeout=timeout, env={"PYTHONIOENCODING": "utf-8"})


# ----------------------------------------------------------------------------- registration


def test_builtins_are_registered() -> None:
    for name in ("channel", "async_sleep", "async_timeout", "promise_all", "await_all", "spawn_task",
                 "await_task", "parallel_map", "par_map", "shared_set", "shared_get", "shared_add_int"):
        assert name in BUILTINS, name


# ----------------------------------------------------------------------------- channels (Python level)


def test_channel_fifo_and_try_receive() -> None:
    ch = C.Channel()
    assert ch.send(1) is True
    ch.send("two")
    assert len(ch) == 2
    assert ch.receive() == 1
    assert ch.try_receive() == "two"
    assert ch.try_receive() is None
    assert ch.ruff_display() == "Channel"


def test_receive_on_empty_channel_with_no_other_thread_is_null() -> None:
    ch = C.Channel()
    t0 = time.perf_counter()
    assert ch.receive() is None
    assert time.perf_counter() - t0 < 0.5


def test_receive_waits_for_a_sleeping_producer() -> None:
    out = run_source("""
        ch := channel()
        spawn {
            sleep(150)
            ch.send("late value")
        }
        print(ch.receive())
    """)
    assert out == "late value\n"


def test_receive_returns_null_when_every_other_task_is_stuck() -> None:
    # The worker waits on `jobs` forever; main waits on `results`: nobody can send, so null, not a hang.
    out = run_source("""
        jobs := channel()
        results := channel()
        spawn {
            j := jobs.receive()
            results.send(j)
        }
        sleep(50)
        print(results.receive())
    """)
    assert out == "null\n"


def test_channel_methods_and_errors() -> None:
    out = run_source("""
        ch := channel()
        print(type(ch), ch)
        print(ch.send(5), ch.len(), ch.is_empty(), ch.recv(), ch.try_recv())
        try { channel(1) } except e { print(e.message) }
        try { ch.send() } except e { print(e.message) }
        try { ch.receive(1) } except e { print(e.message) }
    """)
    assert out == ("channel Channel\ntrue 1 false 5 null\nchannel() expects 0 arguments, got 1\n"
                   "Channel.send expects 1 arguments, got 0\nChannel.receive expects 0 arguments, got 1\n")


# ----------------------------------------------------------------------------- promises and tasks


def test_promise_result_and_type() -> None:
    out = run_source("""
        async func f(x) { return x * 2 }
        p := f(21)
        print(type(p))
        print(await p, await p)
        print(await 5)
    """)
    assert out == "promise\n42 42\n5\n"


def test_task_error_surfaces_on_await_with_message_and_line() -> None:
    vm = VM(write=lambda s: None)
    src = "async func f() {\n    x := 1\n    return x / 0\n}\np := f()\nawait p\n"
    with pytest.raises(RuffError) as info:
        run_source(src, vm)
    err = info.value
    assert err.message == "Division by zero"
    assert err.line == 3
    assert err.filename == "t.ruff"
    assert err.stack and err.stack[0].startswith("f (t.ruff:3)")


def test_awaiting_a_failed_promise_twice_raises_fresh_errors() -> None:
    p = C.Promise()
    err = RuffError("boom")
    err.traced = True
    err.line = 7
    p._settle(error=err)
    errors = []
    for _ in range(2):
        with pytest.raises(RuffError) as info:
            p.ruff_await()
        errors.append(info.value)
    assert errors[0] is not errors[1] and errors[0] is not err
    assert [e.message for e in errors] == ["boom", "boom"]
    assert all(e.line == 7 for e in errors)
    assert p.ruff_display() == "Promise(Rejected: boom)"


def test_promise_display_states() -> None:
    p = C.Promise()
    assert p.ruff_display() == "Promise(Pending)"
    p._settle(value=3)
    assert p.ruff_display() == "Promise(Resolved)"
    assert p.ruff_await() == 3


def test_internal_crash_in_task_is_reraised_on_await() -> None:
    vm = VM(write=lambda s: None)

    def body(fork):
        raise ZeroDivisionError("python bug")

    p = C.start_task(vm, body)
    with pytest.raises(ZeroDivisionError):
        p.ruff_await()


def test_fork_vm_shares_state_but_not_frames() -> None:
    vm = VM(write=lambda s: None)
    fork = C.fork_vm(vm)
    assert fork is not vm
    assert fork.builtins is vm.builtins
    assert fork.frames == [] and fork.frames is not vm.frames
    assert fork.tests is vm.tests
    assert fork.jit is None and fork.hot_at == -1
    assert fork.loader is not None and fork.loader.vm is fork
    assert fork.loader.cache is vm.loader.cache


def test_fork_vm_never_runs_native_code_but_forwards_rebinding() -> None:
    calls = []

    class FakeJit:
        def global_rebound(self, module, name):
            calls.append(name)

    vm = VM(write=lambda s: None)
    vm.jit = FakeJit()
    vm.hot_at = 1
    fork = C.fork_vm(vm)
    assert isinstance(fork.jit, C.TaskJit)
    assert fork.jit.try_call(None, [], 1) == (False, None)
    fork.jit.hot(None, [])
    fork.jit.global_rebound(None, "fib")
    assert calls == ["fib"]
    assert fork.hot_at == -1
    assert C.fork_vm(fork).jit is fork.jit


def test_globals_are_shared_with_tasks() -> None:
    out = run_source("""
        total := 0
        async func add(n) { total := total + n }
        await add(3)
        await add(4)
        print(total)
        shared := [1]
        async func grow() { shared[0] = 99 }
        await grow()
        print(shared)
    """)
    assert out == "7\n[99]\n"


def test_promise_all_orders_results_and_reports_first_failure_by_position() -> None:
    out = run_source("""
        async func after(ms, v) {
            await async_sleep(ms)
            return v
        }
        print(await promise_all([after(50, "a"), after(0, "b"), after(20, "c")]))
        async func boom(ms, m) {
            await async_sleep(ms)
            throw(m)
        }
        try { await await_all([boom(40, "one"), boom(0, "two")]) } except e { print(e.message) }
        try { promise_all(5) } except e { print(e.message) }
    """)
    assert out == "[a, b, c]\none\npromise_all() requires an array of promises\n"


def test_parallel_map_and_spawn_task() -> None:
    out = run_source("""
        print(await parallel_map(range(6), func(x) { return x * x }, 2))
        print(await spawn_task(func(a) { return a + 1 }, 41))
        try { await parallel_map([1, 2, 3], func(x) { return 10 / (x - 2) }) } except e { print(e.message) }
    """)
    assert out == "[0, 1, 4, 9, 16, 25]\n42\nDivision by zero\n"


def test_shared_store_is_atomic() -> None:
    out = run_source("""
        shared_set("n", 0)
        done := channel()
        for t in range(8) {
            spawn {
                for i in range(200) { shared_add_int("n", 1) }
                done.send(true)
            }
        }
        for t in range(8) { done.receive() }
        print(shared_get("n"))
        try { shared_add_int("nope", 1) } except e { print(e.message) }
        shared_set("s", "x")
        try { shared_add_int("s", 1) } except e { print(e.message) }
    """)
    assert out == "1600\nshared_add_int key 'nope' not found\nshared_add_int requires key 's' to reference an int\n"


# ----------------------------------------------------------------------------- real concurrency


def test_five_sleeping_tasks_overlap() -> None:
    src = """
        async func nap(i) {
            await async_sleep(200)
            return i
        }
        ps := []
        for i in range(5) { ps := push(ps, nap(i)) }
        print(await promise_all(ps))
    """
    t0 = time.perf_counter()
    out = run_source(src)
    elapsed = time.perf_counter() - t0
    assert out == "[0, 1, 2, 3, 4]\n"
    assert elapsed < 0.8, f"5 x 200 ms took {elapsed:.2f} s: tasks did not run concurrently"


def test_five_spawned_sleepers_overlap() -> None:
    src = """
        done := channel()
        for i in range(5) {
            spawn {
                sleep(200)
                done.send(i)
            }
        }
        got := []
        for i in range(5) { got := push(got, done.receive()) }
        print(sort(got))
    """
    t0 = time.perf_counter()
    out = run_source(src)
    elapsed = time.perf_counter() - t0
    assert out == "[0, 1, 2, 3, 4]\n"
    assert elapsed < 0.8, f"took {elapsed:.2f} s"


def test_finished_tasks_are_no_longer_counted() -> None:
    before = C.live_threads()
    vm = VM(write=lambda s: None)
    p = C.start_task(vm, lambda fork: time.sleep(0.05))
    assert C.live_threads() == before + 1
    p.ruff_await()
    deadline = time.time() + 5
    while C.live_threads() != before and time.time() < deadline:
        time.sleep(0.01)
    assert C.live_threads() == before


def test_task_runs_on_its_own_thread() -> None:
    seen = []
    vm = VM(write=lambda s: None)
    p = C.start_task(vm, lambda fork: seen.append(threading.current_thread().name) or 1)
    assert p.ruff_await() == 1
    assert seen and seen[0].startswith("ruff-") and seen[0] != threading.current_thread().name


def test_output_lines_do_not_interleave() -> None:
    lines: list[str] = []
    lock = threading.Lock()
    chunks: list[str] = []

    def slow_write(text: str) -> None:  # a writer that yields the GIL midway, as a pipe write can
        with lock:
            chunks.append(text)
        time.sleep(0)

    out = run_source("""
        done := channel()
        for t in range(6) {
            spawn {
                for i in range(50) {
                    print("task", t, "line", i, "abcdefghijklmnopqrstuvwxyz")
                }
                done.send(t)
            }
        }
        for t in range(6) { done.receive() }
    """, VM(write=slow_write))
    assert out == ""
    lines = "".join(chunks).splitlines()
    assert len(lines) == 300
    for line in lines:
        parts = line.split()
        assert len(parts) == 5 and parts[0] == "task" and parts[2] == "line", line
        assert parts[4] == "abcdefghijklmnopqrstuvwxyz"


# ----------------------------------------------------------------------------- whole programs


def test_uncaught_task_error_exits_4_with_the_task_line(tmp_path: Path) -> None:
    proc = ruff_run(tmp_path, """
        async func f(xs) {
            return xs[3]
        }
        print("start")
        await f([1])
    """, "--no-jit")
    assert proc.returncode == 4, proc.stderr
    assert proc.stdout == "start\n"
    assert "Index out of bounds: 3" in proc.stderr
    assert "prog.ruff:3" in proc.stderr


def test_spawned_error_is_reported_and_does_not_change_exit_code(tmp_path: Path) -> None:
    proc = ruff_run(tmp_path, """
        ch := channel()
        spawn {
            ch.send(1)
            x := [][0]
        }
        print(ch.receive())
        sleep(300)
        print("end")
    """, "--no-jit")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "1\nend\n"
    assert "error in spawned task: Index out of bounds: 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_exit_inside_a_task_ends_the_program(tmp_path: Path) -> None:
    proc = ruff_run(tmp_path, """
        print("before")
        spawn {
            exit(7)
        }
        sleep(5000)
        print("not reached")
    """, "--no-jit")
    assert proc.returncode == 7, proc.stderr
    assert proc.stdout == "before\n"


def test_program_exits_while_detached_tasks_still_print(tmp_path: Path) -> None:
    proc = ruff_run(tmp_path, """
        for t in range(4) {
            spawn {
                loop { print("noise from a detached task, never joined") }
            }
        }
        sleep(50)
        print("main done")
    """, "--no-jit")
    assert proc.returncode == 0, proc.stderr
    assert "Fatal Python error" not in proc.stderr
    assert proc.stdout.endswith("main done\n") or "main done\n" in proc.stdout
    assert all(line in ("noise from a detached task, never joined", "main done")
               for line in proc.stdout.splitlines())


def test_async_functions_stay_async_with_the_native_tier(tmp_path: Path) -> None:
    proc = ruff_run(tmp_path, """
        async func add(a, b) { return a + b }
        func via(n) { return add(n, 1) }
        p := add(1, 2)
        print(type(p), await p)
        q := via(4)
        print(type(q), await q)
    """, "--jit-threshold", "0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "promise 3\npromise 5\n"
