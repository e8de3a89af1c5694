"""Concurrency builtins: channels, promises and their combinators, a thread-safe shared store.

The machinery (tasks, Promise, Channel, the scheduler state) lives in ruff/runtime/concurrency.py;
these are the Ruff-facing functions, with the reference's names and error messages:

    channel()                      a new channel; methods ch.send(v) -> true, ch.receive() (alias recv),
                                   ch.try_receive() (never blocks), ch.len(), ch.is_empty()
    async_sleep(ms)                a promise that resolves to null after ms milliseconds
    async_timeout(promise, ms)     a promise with the same result, or rejected "Timeout after <ms>ms"
    promise_all(promises [, limit]) / await_all(...)
                                   a promise of the array of results, in order; rejected with the error
                                   of the first (by position) promise that failed
    spawn_task(fn, args...)        run any function on a task; returns its promise
    await_task(promise)            the promise itself (so `await await_task(p)` reads like the reference)
    parallel_map(array, fn [, limit]) / par_map(...)
                                   a promise of [fn(x) for x in array], computed on up to `limit` tasks
    par_each(array, fn [, limit])  the same for the side effects: a promise of null
    Promise.all(promises [, limit]) promise_all under its documented name (a global `Promise` namespace)
    cancel_task(promise)           true when the task was still running: its promise is rejected with
                                   "Task was cancelled" (the body runs on unseen); false once settled
    set_task_pool_size(n) -> previous, get_task_pool_size()
                                   the default `limit` of the builtins above (256)
    shared_set(key, value) shared_get(key) shared_has(key) shared_delete(key) shared_add_int(key, delta)
                                   a process-wide store whose operations are atomic across tasks

`sleep(ms)` (blocking) is in system.py.
"""

from __future__ import annotations

import threading
from typing import Any

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.values import Builtin, RuffError
from ruff.runtime.builtins._util import Registry, is_callable, type_name_of

reg = Registry()


def _conc() -> Any:
    from ruff.runtime import concurrency

    return concurrency


def _is_promise(v: Any) -> bool:
    return isinstance(v, _conc().Promise)


# ----------------------------------------------------------------------------- channels


@reg("channel")
def channel(rt: Any, args: list) -> Any:
    if args:
        raise RuffError(f"channel() expects 0 arguments, got {len(args)}")
    install_methods()
    return _conc().Channel()


def _channel(name: str, v: Any) -> Any:
    if not isinstance(v, _conc().Channel):
        raise RuffError(f"Channel.{name} expects a channel, got {type_name_of(v)}")
    return v


def channel_send(rt: Any, args: list) -> bool:
    if len(args) != 2:
        raise RuffError(f"Channel.send expects 1 arguments, got {max(len(args) - 1, 0)}")
    return _channel("send", args[0]).send(args[1])


def channel_receive(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"Channel.receive expects 0 arguments, got {max(len(args) - 1, 0)}")
    return _channel("receive", args[0]).receive()


def channel_try_receive(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"Channel.try_receive expects 0 arguments, got {max(len(args) - 1, 0)}")
    return _channel("try_receive", args[0]).try_receive()


def channel_len(rt: Any, args: list) -> int:
    if len(args) != 1:
        raise RuffError(f"Channel.len expects 0 arguments, got {max(len(args) - 1, 0)}")
    return len(_channel("len", args[0]))


def channel_is_empty(rt: Any, args: list) -> bool:
    if len(args) != 1:
        raise RuffError(f"Channel.is_empty expects 0 arguments, got {max(len(args) - 1, 0)}")
    return len(_channel("is_empty", args[0])) == 0


# ----------------------------------------------------------------------------- promises


def _millis(name: str, v: Any, what: str) -> float:
    t = type(v)
    if t is not int and t is not float:
        raise RuffError(f"{name}() requires an integer {what} argument")
    return v


@reg("async_sleep")
def async_sleep(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"async_sleep() expects 1 argument (milliseconds), got {len(args)}")
    ms = _millis("async_sleep", args[0], "milliseconds")
    if ms < 0:
        raise RuffError(f"async_sleep() requires non-negative milliseconds, got {args[0]}")
    return _conc().sleep_promise(rt, ms)


@reg("async_timeout")
def async_timeout(rt: Any, args: list) -> Any:
    if len(args) != 2:
        raise RuffError(f"async_timeout() expects 2 arguments (promise, timeout_ms), got {len(args)}")
    promise, ms = args
    ms = _millis("async_timeout", ms, "timeout_ms")
    if ms <= 0:
        raise RuffError(f"async_timeout() requires positive timeout_ms, got {args[1]}")
    if not _is_promise(promise):
        raise RuffError("async_timeout() requires a Promise as first argument")
    shown = args[1]

    def body(fork: Any) -> Any:
        if not promise.wait(ms / 1000.0):
            raise RuffError(f"Timeout after {shown}ms")
        return promise.result()

    return _conc().start_task(rt, body, name="timeout")


def _promise_all(name: str) -> Any:
    def promise_all(rt: Any, args: list) -> Any:
        if len(args) not in (1, 2):
            raise RuffError(f"{name}() expects 1 or 2 arguments (array of promises, optional concurrency_limit), "
                            f"got {len(args)}")
        items = args[0]
        if type(items) is not list:
            raise RuffError(f"{name}() requires an array of promises")
        if len(args) == 2:
            if type(args[1]) is not int:
                raise RuffError(f"{name}() optional concurrency_limit must be an integer")
            if args[1] <= 0:
                raise RuffError(f"{name}() concurrency_limit must be > 0, got {args[1]}")
        items = list(items)

        def body(fork: Any) -> list:
            from ruff.runtime.objects import await_value

            return [await_value(p) for p in items]

        return _conc().start_task(rt, body, name=name)

    return promise_all


reg("promise_all")(_promise_all("promise_all"))
reg("await_all")(_promise_all("await_all"))
reg("Promise.all")(_promise_all("Promise.all"))


@reg("spawn_task")
def spawn_task(rt: Any, args: list) -> Any:
    if not args:
        raise RuffError("spawn_task() expects at least 1 argument (a function), got 0")
    fn = args[0]
    if not is_callable(fn):
        raise RuffError(f"spawn_task() requires a function, got {type_name_of(fn)}")
    return _conc().call_async(rt, fn, args[1:])


@reg("await_task")
def await_task(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"await_task() expects 1 argument (task handle), got {len(args)}")
    if not _is_promise(args[0]):
        raise RuffError(f"await_task() requires a task (promise) argument, got {type_name_of(args[0])}")
    return args[0]


def _parallel_map(name: str) -> Any:
    def parallel_map(rt: Any, args: list) -> Any:
        if len(args) not in (2, 3):
            raise RuffError(f"{name}() expects 2 or 3 arguments (array, function, optional concurrency_limit), "
                            f"got {len(args)}")
        items = args[0]
        to_list = getattr(items, "ruff_to_list", None)
        if to_list is not None:
            items = to_list()
        if type(items) is not list:
            raise RuffError(f"{name}() first argument must be an array")
        fn = args[1]
        if not is_callable(fn):
            raise RuffError(f"{name}() second argument must be a callable function; pass a function, closure, "
                            "or imported callable value instead of a literal")
        limit = _conc().task_pool_size()
        if len(args) == 3:
            if type(args[2]) is not int:
                raise RuffError(f"{name}() concurrency_limit must be an integer")
            if args[2] <= 0:
                raise RuffError(f"{name}() concurrency_limit must be > 0, got {args[2]}")
            limit = args[2]
        items = list(items)
        n = len(items)
        results: list = [None] * n
        errors: dict[int, RuffError] = {}
        next_index = iter(range(n))
        take = threading.Lock()
        c = _conc()

        def worker(fork: Any) -> None:
            from ruff.runtime.objects import await_value

            while True:
                with take:
                    i = next(next_index, None)
                if i is None:
                    return
                try:
                    results[i] = await_value(fork.call(fn, [items[i]]))
                except RuffError as e:
                    errors[i] = e

        workers = [c.start_task(rt, worker, name=name) for _ in range(min(limit, n))]

        def body(fork: Any) -> list:
            for w in workers:
                w.ruff_await()
            if errors:
                raise errors[min(errors)]
            return results

        return c.start_task(rt, body, name=name)

    return parallel_map


reg("parallel_map")(_parallel_map("parallel_map"))
reg("par_map")(_parallel_map("par_map"))


_parallel_map_for_par_each = _parallel_map("parallel_map")


@reg("par_each")
def par_each(rt: Any, args: list) -> Any:
    """parallel_map for the side effects: a promise of null (checks and messages are parallel_map's, as in
    the reference, which delegates)."""
    mapped = _parallel_map_for_par_each(rt, args)

    def body(fork: Any) -> None:
        mapped.ruff_await()
        return None

    return _conc().start_task(rt, body, name="par_each")


@reg("cancel_task")
def cancel_task(rt: Any, args: list) -> bool:
    if len(args) != 1:
        raise RuffError(f"cancel_task() expects 1 argument (task handle), got {len(args)}")
    if not _is_promise(args[0]):
        raise RuffError("cancel_task() requires a TaskHandle argument")
    return args[0].cancel()


@reg("set_task_pool_size")
def set_task_pool_size(rt: Any, args: list) -> int:
    if len(args) != 1:
        raise RuffError(f"set_task_pool_size() expects 1 argument (size), got {len(args)}")
    size = args[0]
    if type(size) is not int:
        raise RuffError("set_task_pool_size() requires an integer size argument")
    if size <= 0:
        raise RuffError(f"set_task_pool_size() size must be > 0, got {size}")
    return _conc().set_task_pool_size(size)


@reg("get_task_pool_size")
def get_task_pool_size(rt: Any, args: list) -> int:
    if args:
        raise RuffError(f"get_task_pool_size() expects 0 arguments, got {len(args)}")
    return _conc().task_pool_size()


# ----------------------------------------------------------------------------- shared store

_shared: dict[str, Any] = {}
_shared_lock = threading.Lock()


def _key(name: str, args: list, n: int, usage: str) -> str:
    if len(args) != n:
        raise RuffError(f"{name} requires {usage}")
    if type(args[0]) is not str:
        raise RuffError(f"{name} key must be a string")
    return args[0]


@reg("shared_set")
def shared_set(rt: Any, args: list) -> bool:
    key = _key("shared_set", args, 2, "(key, value) arguments")
    with _shared_lock:
        _shared[key] = args[1]
    return True


@reg("shared_get")
def shared_get(rt: Any, args: list) -> Any:
    key = _key("shared_get", args, 1, "one key argument")
    with _shared_lock:
        if key not in _shared:
            raise RuffError(f"shared_get key '{key}' not found")
        return _shared[key]


@reg("shared_has")
def shared_has(rt: Any, args: list) -> bool:
    key = _key("shared_has", args, 1, "one key argument")
    with _shared_lock:
        return key in _shared


@reg("shared_delete")
def shared_delete(rt: Any, args: list) -> bool:
    key = _key("shared_delete", args, 1, "one key argument")
    with _shared_lock:
        return _shared.pop(key, _MISSING) is not _MISSING


_MISSING = object()


@reg("shared_add_int")
def shared_add_int(rt: Any, args: list) -> int:
    key = _key("shared_add_int", args, 2, "(key, delta) arguments")
    delta = args[1]
    if type(delta) is not int:
        raise RuffError("shared_add_int delta must be an int")
    with _shared_lock:
        if key not in _shared:
            raise RuffError(f"shared_add_int key '{key}' not found")
        current = _shared[key]
        if type(current) is not int:
            raise RuffError(f"shared_add_int requires key '{key}' to reference an int")
        total = current + delta
        if not I64_MIN <= total <= I64_MAX:
            raise RuffError(f"Integer overflow: {current} + {delta}")
        _shared[key] = total
        return total


# ----------------------------------------------------------------------------- methods on channels


def _method_table() -> dict[str, Builtin]:
    return {
        "send": Builtin("send", channel_send),
        "receive": Builtin("receive", channel_receive),
        "recv": Builtin("recv", channel_receive),
        "try_receive": Builtin("try_receive", channel_try_receive),
        "try_recv": Builtin("try_recv", channel_try_receive),
        "len": Builtin("len", channel_len),
        "size": Builtin("size", channel_len),
        "is_empty": Builtin("is_empty", channel_is_empty),
    }


_methods_installed = False


def install_methods() -> None:
    """Make `ch.send(...)` etc. resolve through the builtins' method lookup."""
    global _methods_installed
    if _methods_installed:
        return
    import ruff.runtime.builtins as B

    table = dict(getattr(B, "_ANY_TABLE", {}))
    table.update(_method_table())
    channel_type = _conc().Channel
    channel_type.ruff_methods = table  # type: ignore[attr-defined]
    by_type = getattr(B, "_BY_TYPE", None)
    if isinstance(by_type, dict):
        by_type.setdefault(channel_type, table)
    _methods_installed = True


__all__ = ["reg", "channel_send", "channel_receive", "channel_try_receive", "channel_len", "channel_is_empty"]
