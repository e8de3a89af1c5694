"""Set, Queue and Stack values and their helpers (set_add, queue_enqueue, stack_push, ...).

As in the reference they are values: every helper returns a new collection. `queue_dequeue` and
`stack_pop` return `[new_collection, item]` (item is null when empty); peeks return null when empty.
A Set keeps insertion order and uses Ruff equality (1 and 1.0 are the same member).
Methods: `s.add(x)`, `q.enqueue(x)`, `st.push(x)`, `.len()`, `.to_array()`, ... (see __init__).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ruff.runtime.builtins._util import (
    Registry, as_list, check_arity, check_arity_range, hash_key, iter_values, type_error,
)


class RuffSet:
    __slots__ = ("items", "keys")
    ruff_type_name = "set"

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items: list = []
        self.keys: set = set()
        for x in items:
            self._add(x)

    def _add(self, x: Any) -> None:
        k = hash_key(x)
        if k not in self.keys:
            self.keys.add(k)
            self.items.append(x)

    def copy(self) -> "RuffSet":
        s = RuffSet()
        s.items = list(self.items)
        s.keys = set(self.keys)
        return s

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def ruff_len(self) -> int:
        return len(self.items)

    def ruff_contains(self, x: Any) -> bool:
        return hash_key(x) in self.keys

    def ruff_display(self) -> str:
        return "Set{" + iter_values(self.items) + "}"

    def ruff_debug(self) -> str:
        return f"Set{{{len(self.items)} items}}"


class RuffQueue:
    __slots__ = ("items",)
    ruff_type_name = "queue"

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items = list(items)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def ruff_len(self) -> int:
        return len(self.items)

    def ruff_contains(self, x: Any) -> bool:
        k = hash_key(x)
        return any(hash_key(y) == k for y in self.items)

    def ruff_display(self) -> str:
        return "Queue[" + iter_values(self.items) + "]"

    def ruff_debug(self) -> str:
        return f"Queue({len(self.items)} items)"


class RuffStack:
    __slots__ = ("items",)
    ruff_type_name = "stack"

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items = list(items)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def ruff_len(self) -> int:
        return len(self.items)

    def ruff_contains(self, x: Any) -> bool:
        k = hash_key(x)
        return any(hash_key(y) == k for y in self.items)

    def ruff_display(self) -> str:
        return "Stack[" + iter_values(self.items) + "]"

    def ruff_debug(self) -> str:
        return f"Stack({len(self.items)} items)"


reg = Registry()


def _ctor_items(name: str, args: list) -> list:
    check_arity_range(name, args, 0, 1)
    if not args or args[0] is None:
        return []
    return as_list(name, args[0])


def _want(name: str, v: Any, cls: type, what: str) -> Any:
    if type(v) is cls:
        return v
    raise type_error(name, what, v)


# ----------------------------------------------------------------------------- Set


@reg("Set")
def set_new(rt: Any, args: list) -> RuffSet:
    return RuffSet(_ctor_items("Set", args))


@reg("set_add")
def set_add(rt: Any, args: list) -> RuffSet:
    check_arity("set_add", args, 2)
    s = _want("set_add", args[0], RuffSet, "a Set").copy()
    s._add(args[1])
    return s


@reg("set_has")
def set_has(rt: Any, args: list) -> bool:
    check_arity("set_has", args, 2)
    return _want("set_has", args[0], RuffSet, "a Set").ruff_contains(args[1])


@reg("set_remove")
def set_remove(rt: Any, args: list) -> RuffSet:
    check_arity("set_remove", args, 2)
    s = _want("set_remove", args[0], RuffSet, "a Set")
    k = hash_key(args[1])
    return RuffSet(x for x in s.items if hash_key(x) != k)


@reg("set_union")
def set_union(rt: Any, args: list) -> RuffSet:
    check_arity("set_union", args, 2)
    a = _want("set_union", args[0], RuffSet, "a Set")
    b = _want("set_union", args[1], RuffSet, "a Set")
    out = a.copy()
    for x in b.items:
        out._add(x)
    return out


@reg("set_intersect", "set_intersection")
def set_intersect(rt: Any, args: list) -> RuffSet:
    check_arity("set_intersect", args, 2)
    a = _want("set_intersect", args[0], RuffSet, "a Set")
    b = _want("set_intersect", args[1], RuffSet, "a Set")
    return RuffSet(x for x in a.items if hash_key(x) in b.keys)


@reg("set_difference")
def set_difference(rt: Any, args: list) -> RuffSet:
    check_arity("set_difference", args, 2)
    a = _want("set_difference", args[0], RuffSet, "a Set")
    b = _want("set_difference", args[1], RuffSet, "a Set")
    return RuffSet(x for x in a.items if hash_key(x) not in b.keys)


@reg("set_to_array")
def set_to_array(rt: Any, args: list) -> list:
    check_arity("set_to_array", args, 1)
    return list(_want("set_to_array", args[0], RuffSet, "a Set").items)


@reg("set_size")
def set_size(rt: Any, args: list) -> int:
    check_arity("set_size", args, 1)
    return len(_want("set_size", args[0], RuffSet, "a Set").items)


# ----------------------------------------------------------------------------- Queue


@reg("Queue")
def queue_new(rt: Any, args: list) -> RuffQueue:
    return RuffQueue(_ctor_items("Queue", args))


@reg("queue_enqueue", "queue_push")
def queue_enqueue(rt: Any, args: list) -> RuffQueue:
    check_arity("queue_enqueue", args, 2)
    q = _want("queue_enqueue", args[0], RuffQueue, "a Queue")
    return RuffQueue([*q.items, args[1]])


@reg("queue_dequeue", "queue_pop")
def queue_dequeue(rt: Any, args: list) -> list:
    check_arity("queue_dequeue", args, 1)
    q = _want("queue_dequeue", args[0], RuffQueue, "a Queue")
    if not q.items:
        return [RuffQueue(), None]
    return [RuffQueue(q.items[1:]), q.items[0]]


@reg("queue_peek")
def queue_peek(rt: Any, args: list) -> Any:
    check_arity("queue_peek", args, 1)
    q = _want("queue_peek", args[0], RuffQueue, "a Queue")
    return q.items[0] if q.items else None


@reg("queue_size")
def queue_size(rt: Any, args: list) -> int:
    check_arity("queue_size", args, 1)
    return len(_want("queue_size", args[0], RuffQueue, "a Queue").items)


@reg("queue_is_empty")
def queue_is_empty(rt: Any, args: list) -> bool:
    check_arity("queue_is_empty", args, 1)
    return not _want("queue_is_empty", args[0], RuffQueue, "a Queue").items


@reg("queue_to_array")
def queue_to_array(rt: Any, args: list) -> list:
    check_arity("queue_to_array", args, 1)
    return list(_want("queue_to_array", args[0], RuffQueue, "a Queue").items)


# ----------------------------------------------------------------------------- Stack


@reg("Stack")
def stack_new(rt: Any, args: list) -> RuffStack:
    return RuffStack(_ctor_items("Stack", args))


@reg("stack_push")
def stack_push(rt: Any, args: list) -> RuffStack:
    check_arity("stack_push", args, 2)
    s = _want("stack_push", args[0], RuffStack, "a Stack")
    return RuffStack([*s.items, args[1]])


@reg("stack_pop")
def stack_pop(rt: Any, args: list) -> list:
    check_arity("stack_pop", args, 1)
    s = _want("stack_pop", args[0], RuffStack, "a Stack")
    if not s.items:
        return [RuffStack(), None]
    return [RuffStack(s.items[:-1]), s.items[-1]]


@reg("stack_peek")
def stack_peek(rt: Any, args: list) -> Any:
    check_arity("stack_peek", args, 1)
    s = _want("stack_peek", args[0], RuffStack, "a Stack")
    return s.items[-1] if s.items else None


@reg("stack_size")
def stack_size(rt: Any, args: list) -> int:
    check_arity("stack_size", args, 1)
    return len(_want("stack_size", args[0], RuffStack, "a Stack").items)


@reg("stack_is_empty")
def stack_is_empty(rt: Any, args: list) -> bool:
    check_arity("stack_is_empty", args, 1)
    return not _want("stack_is_empty", args[0], RuffStack, "a Stack").items


@reg("stack_to_array")
def stack_to_array(rt: Any, args: list) -> list:
    check_arity("stack_to_array", args, 1)
    return list(_want("stack_to_array", args[0], RuffStack, "a Stack").items)

