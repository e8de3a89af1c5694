"""Random numbers: random, random_int, random_choice, random_id, uuid_v4, set_random_seed,
clear_random_seed (+ shuffle, random_float).

All draws go through the runtime's `rt.random` (a random.Random), so `set_random_seed(n)` makes a
run reproducible. The sequences differ from the reference's Rust generator.
"""

from __future__ import annotations

import random as _random
from typing import Any

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import (
    Registry, as_list, check_arity, int_arg, num_arg, strict_int_arg,
)

reg = Registry()

_fallback = _random.Random()


def _rng(rt: Any) -> _random.Random:
    r = getattr(rt, "random", None)
    return r if r is not None else _fallback


@reg("random")
def random_(rt: Any, args: list) -> float:
    check_arity("random", args, 0)
    return _rng(rt).random()


@reg("random_int")
def random_int(rt: Any, args: list) -> int:
    """random_int(min, max): an int in [min, max], both ends included."""
    check_arity("random_int", args, 2)
    lo = int_arg("random_int", args[0], "numeric arguments")
    hi = int_arg("random_int", args[1], "numeric arguments")
    if lo > hi:
        raise RuffError(f"random_int() expects min <= max, got {lo} > {hi}")
    return _rng(rt).randint(lo, hi)


@reg("random_float")
def random_float(rt: Any, args: list) -> float:
    """random_float(min, max): a float in [min, max)."""
    check_arity("random_float", args, 2)
    lo = float(num_arg("random_float", args[0]))
    hi = float(num_arg("random_float", args[1]))
    return lo + (hi - lo) * _rng(rt).random()


@reg("random_choice")
def random_choice(rt: Any, args: list) -> Any:
    """A random element; 0 for an empty array (as the reference)."""
    check_arity("random_choice", args, 1)
    items = as_list("random_choice", args[0])
    if not items:
        return 0
    return items[_rng(rt).randrange(len(items))]


@reg("shuffle")
def shuffle(rt: Any, args: list) -> list:
    """A shuffled copy of the array."""
    check_arity("shuffle", args, 1)
    out = list(as_list("shuffle", args[0]))
    _rng(rt).shuffle(out)
    return out


MAX_RANDOM_ID = 1 << 20  # characters: a quarter of a second to draw


@reg("random_id")
def random_id(rt: Any, args: list) -> str:
    check_arity("random_id", args, 1)
    n = strict_int_arg("random_id", args[0], "an integer length")
    if n < 0:
        raise RuffError("random_id length must be >= 0")
    if n > MAX_RANDOM_ID:  # ours: the reference would try to build it
        raise RuffError(f"random_id length must be at most {MAX_RANDOM_ID}")
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    r = _rng(rt)
    return "".join(alphabet[r.randrange(36)] for _ in range(n))


@reg("uuid_v4")
def uuid_v4(rt: Any, args: list) -> str:
    check_arity("uuid_v4", args, 0)
    import uuid as _uuid

    return str(_uuid.UUID(int=_rng(rt).getrandbits(128), version=4))


@reg("set_random_seed", "random_seed")
def set_random_seed(rt: Any, args: list) -> None:
    check_arity("set_random_seed", args, 1)
    n = int_arg("set_random_seed", args[0], "a numeric seed")
    _rng(rt).seed(n)
    return None


@reg("clear_random_seed")
def clear_random_seed(rt: Any, args: list) -> None:
    check_arity("clear_random_seed", args, 0)
    _rng(rt).seed()
    return None
