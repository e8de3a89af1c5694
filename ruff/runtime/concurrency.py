"""Concurrency for Ruff: async functions, promises, `spawn` blocks and channels, on Python threads.

The model
- Calling an `async func` starts a *task*: a daemon thread that runs the body on its own VM, a fork
  of the caller's (`fork_vm`): same module globals (closures keep pointing at their Module), same
  builtins, same output function, its own frame stack. The call returns a `Promise` at once.
- `await p` (Op.Await -> `p.ruff_await()`) blocks the awaiting thread until the task is done, then gives
  its result or raises its RuffError again (message, line and call stack of where it failed in the task).
  A promise can be awaited any number of times; `await` on anything that is not a promise returns it.
- `spawn { ... }` runs the block on a task too, detached: it evaluates to null, and, as in the reference
  (an OS thread nobody joins), the program does not wait for spawned blocks before it exits. Use a
  channel or a promise to wait for work. An uncaught error in a spawned block is reported on stderr and
  does not change the exit code.
- Channels are unbounded FIFO queues: `ch.send(v)` (returns true) and `ch.receive()`. `receive` blocks
  while the channel is empty and some other Ruff thread could still send; when every other Ruff thread
  is itself stuck (waiting in receive on an empty channel, or awaiting an unsettled promise) or gone, it
  returns null at once (the reference VM's "empty channel returns null"), so a program never deadlocks
  on a channel.
- Tasks run Python threads, so I/O and sleeping overlap for real (five `await async_sleep(200)` tasks
  take ~0.2 s, not 1 s); CPU-bound Ruff code interleaves under the GIL.

Output: every `print` is one `rt.write` call; once any task exists, the VM's writer (and every fork's)
goes through one lock, so lines from different threads never mix. At interpreter exit the lock is taken
for good before the final flush, so a detached task still printing cannot garble or crash the shutdown.

Native code is not used on tasks: a fork's `jit` is a stand-in that never calls native code and never
compiles, but forwards global rebinding to the parent's JIT so compiled code stays valid.
"""

from __future__ import annotations

import atexit
import copy
import itertools
import os
import sys
import threading
from collections import deque
from typing import Any, Callable, Optional

from ruff.runtime.objects import python_stack_overflow
from ruff.runtime.values import RuffError, disable_float_fields, running_runtime

# One condition variable guards all scheduling state: task completion, channel queues and the count
# of Ruff threads that can make progress (used to turn a hopeless channel receive into null).
_sched = threading.Condition(threading.Lock())


DEFAULT_TASK_POOL_SIZE = 256  # the reference's default concurrency limit for the batch builtins


class _State:
    threads = 1  # live Ruff threads: the main thread and every running task
    # thread id -> "am I still stuck?" for each Ruff thread waiting in receive or await
    waiting: dict[int, Callable[[], bool]] = {}
    # the concurrency limit of parallel_map, promise_all, async_read_files, ... when none is given
    task_pool_size = DEFAULT_TASK_POOL_SIZE


def task_pool_size() -> int:
    return _State.task_pool_size


def set_task_pool_size(size: int) -> int:
    """Set the default concurrency limit; returns the previous one."""
    with _sched:
        previous, _State.task_pool_size = _State.task_pool_size, size
    return previous


_task_ids = itertools.count(1)
_output_lock = threading.RLock()
_setup_done = False


# ----------------------------------------------------------------------------- output and exit


def locked_writer(write: Callable[[str], Any]) -> Callable[[str], Any]:
    if getattr(write, "_ruff_locked", False):
        return write

    def locked_write(text: str) -> Any:
        with _output_lock:
            return write(text)

    locked_write._ruff_locked = True  # type: ignore[attr-defined]
    locked_write.__wrapped__ = write  # type: ignore[attr-defined]
    return locked_write


def _quiesce_output() -> None:
    """At interpreter exit: keep detached tasks from writing while the streams are flushed and closed."""
    if _output_lock.acquire(timeout=2.0):  # never released: tasks that try to print just wait
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass


def _setup_once(vm: Any) -> None:
    global _setup_done
    if not _setup_done:
        _setup_done = True
        atexit.register(_quiesce_output)
    vm.write = locked_writer(vm.write)


def _flush_before_waiting() -> None:
    """This thread is about to block: show what its runtime printed first (VM.flush says why)."""
    flush = getattr(running_runtime(), "flush", None)
    if flush is not None:
        flush()


def report_task_error(text: str) -> None:
    with _output_lock:
        try:
            sys.stdout.flush()
            print(text, file=sys.stderr, flush=True)
        except Exception:
            pass


def _exit_process(code: int) -> None:
    """`exit(code)` inside a task ends the whole program, as `std::process::exit` does in the reference."""
    with _output_lock:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


# ----------------------------------------------------------------------------- forks


class TaskJit:
    """The `jit` of a forked VM: never native, never compiling; rebinding a global still reaches the
    parent's JIT, which drops native code that depended on the old binding."""

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    def hot(self, fn: Any, args: list) -> None:
        pass

    def try_call(self, fn: Any, args: list, depth: int) -> tuple[bool, Any]:
        return False, None

    def global_rebound(self, module: Any, name: str) -> None:
        self.parent.global_rebound(module, name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.parent, name)


def fork_vm(vm: Any) -> Any:
    """A VM for another thread: shares globals (via the closures' modules), builtins, output, arguments,
    random generator, test registry and module cache with `vm`; has its own frames; runs no native code."""
    interpreter = vm.interpreter_class  # the reference interpreter, also when vm is a FastVM
    fork = interpreter.__new__(interpreter)
    fork.__dict__.update(vm.__dict__)
    fork.frames = []
    parent_jit = vm.jit
    if isinstance(parent_jit, TaskJit):
        fork.jit = parent_jit
    else:
        fork.jit = TaskJit(parent_jit) if parent_jit is not None else None
    fork.hot_at = -1
    fork.write = locked_writer(vm.write)
    loader = vm.loader
    if loader is None:
        from ruff.runtime.modules import ModuleLoader

        loader = vm.loader = ModuleLoader(vm)
    # Its own loader object (imports run on the fork), sharing the cache of loaded modules.
    mine = copy.copy(loader)
    mine.vm = fork
    if hasattr(loader, "loading"):
        mine.loading = list(loader.loading)
    if hasattr(loader, "loading_paths"):
        mine.loading_paths = list(loader.loading_paths)
    fork.loader = mine
    return fork


# ----------------------------------------------------------------------------- promises


def clone_error(err: RuffError) -> RuffError:
    """A fresh copy of a task's error to raise in the awaiting thread (a promise may be awaited often)."""
    new = type(err).__new__(type(err))  # the same class, with everything it carries (an assertion's text)
    Exception.__init__(new, err.message)
    new.__dict__.update(err.__dict__)
    new.stack = list(err.stack)
    new.stack_names = list(err.stack_names)
    new.unwound = list(err.unwound)
    return new


class Promise:
    """The eventual result of a task. `await` blocks until it is settled."""

    __slots__ = ("done", "cancelled", "value", "error", "crash")
    ruff_type_name = "promise"

    def __init__(self) -> None:
        self.done = False
        self.cancelled = False
        self.value: Any = None
        self.error: Optional[RuffError] = None
        self.crash: Optional[BaseException] = None  # an internal (Python) failure in the task

    # settled by the task thread, under _sched
    def _settle(self, value: Any = None, error: Optional[RuffError] = None, crash: Optional[BaseException] = None) -> None:
        with _sched:
            if self.done:  # cancelled meanwhile: the late result is dropped
                return
            self.value, self.error, self.crash = value, error, crash
            self.done = True
            _sched.notify_all()

    def cancel(self) -> bool:
        """Reject a pending promise with "Task was cancelled"; False when it had already settled.

        Python cannot stop a running thread, so a cancelled task's body runs on in the background (a
        detached daemon thread) but nobody sees its result; awaiting the promise fails at once."""
        with _sched:
            if self.done:
                return False
            self.error = RuffError("Task was cancelled")
            self.done = self.cancelled = True
            _sched.notify_all()
            return True

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until settled (or the timeout passes); True when settled."""
        if self.done:
            return True
        _flush_before_waiting()
        with _sched:
            if self.done:
                return True
            if timeout is not None:
                return _sched.wait_for(lambda: self.done, timeout)
            _begin_wait(lambda: not self.done)
            try:
                while not self.done:
                    _sched.wait()
            finally:
                _end_wait()
            return True

    def result(self) -> Any:
        if self.error is not None:
            raise clone_error(self.error)
        if self.crash is not None:
            raise self.crash
        return self.value

    def ruff_await(self) -> Any:
        self.wait()
        return self.result()

    def ruff_display(self) -> str:
        if not self.done:
            return "Promise(Pending)"
        if self.error is not None:
            return f"Promise(Rejected: {self.error.message})"
        return "Promise(Resolved)"

    def ruff_debug(self) -> str:
        return self.ruff_display()


def _begin_wait(stuck: Callable[[], bool]) -> None:
    """The calling thread starts waiting until `stuck()` turns false (caller holds _sched)."""
    _State.waiting[threading.get_ident()] = stuck
    _sched.notify_all()  # other waiters may now find that nobody can make progress


def _end_wait() -> None:
    _State.waiting.pop(threading.get_ident(), None)
    _sched.notify_all()


def _hopeless() -> bool:
    """Every live Ruff thread is waiting on something that nobody can provide (caller holds _sched).

    A waiter whose channel has items again, or whose promise settled, counts as running: it has been
    woken and is about to go on. Sleeping and computing threads are not waiting at all."""
    stuck = sum(1 for still in _State.waiting.values() if still())
    return stuck >= _State.threads


# ----------------------------------------------------------------------------- tasks


def start_task(vm: Any, body: Callable[[Any], Any], name: str = "task", detached: bool = False) -> Promise:
    """Run `body(fork)` on a new thread with a forked VM; the returned promise settles with its result."""
    _setup_once(vm)
    disable_float_fields()  # struct fields shared with another thread: no float-only speculation
    fork = fork_vm(vm)
    promise = Promise()

    def run() -> None:
        from ruff.runtime.builtins.core import ExitProgram

        try:
            try:
                value = body(fork)
            except RuffError as e:
                promise._settle(error=e)
                if detached:
                    _report_detached(e)
            except ExitProgram as e:
                _exit_process(e.code)
            except RecursionError:
                err = python_stack_overflow(name)
                promise._settle(error=err)
                if detached:
                    _report_detached(err)
            except BaseException as e:  # an internal error: surfaces on await (or on stderr when detached)
                promise._settle(crash=e)
                if detached:
                    report_task_error(f"internal error in spawned task: {type(e).__name__}: {e}")
            else:
                promise._settle(value=value)
        finally:
            with _sched:
                _State.threads -= 1
                _sched.notify_all()

    with _sched:
        _State.threads += 1  # counted before the thread exists, so no receive can miss it
    thread = threading.Thread(target=run, name=f"ruff-{name}-{next(_task_ids)}", daemon=True)
    try:
        thread.start()
    except RuntimeError as e:  # cannot start a new thread
        with _sched:
            _State.threads -= 1
            _sched.notify_all()
        raise RuffError(f"Cannot start a task: {e}") from None
    return promise


def _report_detached(err: RuffError) -> None:
    from ruff.runtime.report import format_runtime_error

    try:
        text = format_runtime_error(err, {})
    except Exception:
        text = f"error: {err.message}"
    report_task_error("error in spawned task: " + text.removeprefix("error: "))


def start_async(vm: Any, fn: Any, args: list) -> Promise:
    """Calling an `async func`: run its body on a task, return its promise."""
    args = list(args)
    return start_task(vm, lambda fork: fork.run_body(fn, args), name=getattr(fn, "name", "async"))


def call_async(vm: Any, fn: Any, args: list) -> Promise:
    """Call any Ruff callable on a task (spawn_task, parallel_map)."""
    from ruff.runtime.values import Closure

    args = list(args)
    if type(fn) is Closure:
        if fn.chunk.is_async:
            # Its own task would only be awaited here: run the body directly instead.
            return start_task(vm, lambda fork: fork.run_body(fn, args), name=fn.name)
        return start_task(vm, lambda fork: fork.call(fn, args), name=fn.name)
    return start_task(vm, lambda fork: fork.call(fn, args), name="task")


def spawn(vm: Any, closure: Any) -> None:
    """`spawn { ... }`: run the block on a detached task; the expression's value is null."""
    start_task(vm, lambda fork: fork.run_body(closure, []), name="spawn", detached=True)
    return None


def sleep_promise(vm: Any, ms: float) -> Promise:
    """A promise that resolves to null after `ms` milliseconds (a sleeping task: it counts as running)."""
    import time

    def body(fork: Any) -> None:
        time.sleep(ms / 1000.0)
        return None

    return start_task(vm, body, name="sleep")


# ----------------------------------------------------------------------------- channels


class Channel:
    """An unbounded multi-producer multi-consumer FIFO queue shared between tasks."""

    __slots__ = ("items",)
    ruff_type_name = "channel"

    def __init__(self) -> None:
        self.items: deque = deque()

    def send(self, value: Any) -> bool:
        with _sched:
            self.items.append(value)
            _sched.notify_all()
        return True

    def receive(self) -> Any:
        if not self.items:
            _flush_before_waiting()
        with _sched:
            if not self.items:
                _begin_wait(lambda: not self.items)
                try:
                    while not self.items:
                        if _hopeless():  # nobody left who could send
                            return None
                        _sched.wait()
                finally:
                    _end_wait()
            value = self.items.popleft()
            _sched.notify_all()  # a waiter counted as woken by this item may be stuck again
            return value

    def try_receive(self) -> Any:
        with _sched:
            if not self.items:
                return None
            value = self.items.popleft()
            _sched.notify_all()
            return value

    def __len__(self) -> int:
        return len(self.items)

    def ruff_display(self) -> str:
        return "Channel"

    def ruff_debug(self) -> str:
        return "Channel"


def live_threads() -> int:
    """How many Ruff threads exist (the main thread included), for tests."""
    with _sched:
        return _State.threads
