"""Persistent vectors of one fixed length: what typeflow keeps the facts about a chunk's local slots in.

A version is a tree of tuples, 32 wide; changing one element copies the path to it (O(log n)) and shares
everything else with the old version, and `diff` finds the elements two versions do not share by skipping
shared subtrees. Up to 32 elements the tree is a plain tuple, so small functions pay nothing for this;
a function with 20,000 locals no longer copies all of them at every store.
"""

from __future__ import annotations

from itertools import compress
from operator import is_not
from typing import Any, Callable, Iterable

def _flat_set(v: tuple, i: int, x: Any) -> tuple:
    return v[:i] + (x,) + v[i + 1:]


def _flat_diff(a: tuple, b: tuple) -> list[int]:
    return list(compress(range(len(a)), map(is_not, a, b)))


def _flat_update(v: tuple, changes: Iterable[tuple[int, Any]]) -> tuple:
    out = list(v)
    for i, x in changes:
        out[i] = x
    return tuple(out)


class VectorShape:
    """The operations on persistent vectors of length `n` (every version an analysis makes has the same
    shape, so the shape is kept here rather than in each version). Nodes are 2**bits wide."""

    def __init__(self, n: int, bits: int = 5) -> None:
        self.n = n
        self.bits = bits
        self.width = 1 << bits
        self.mask = self.width - 1
        shift, cap = 0, self.width
        while cap < n:
            shift += bits
            cap <<= bits
        self.shift = shift
        # The operations, chosen once: a flat tuple's are tuple indexing and slicing.
        self.get: Callable[[tuple, int], Any] = tuple.__getitem__ if shift == 0 else self._get
        self.set: Callable[[tuple, int, Any], tuple] = _flat_set if shift == 0 else self._set
        self.diff: Callable[[tuple, tuple], list[int]] = _flat_diff if shift == 0 else self._diff
        self.update: Callable[[tuple, Iterable[tuple[int, Any]]], tuple] = \
            _flat_update if shift == 0 else self._update

    def make(self, items: Iterable[Any]) -> tuple:
        """A vector holding `items` (exactly n of them)."""
        level = tuple(items)
        if len(level) != self.n:
            raise ValueError(f"{len(level)} items for a vector of {self.n}")
        w = self.width
        for _ in range(self.shift // self.bits):
            level = tuple(level[k:k + w] for k in range(0, len(level), w))
        return level

    def items(self, v: tuple) -> list[Any]:
        """Every element, in order."""
        level = [v]
        for _ in range(self.shift // self.bits):
            level = [x for node in level for x in node]
        return [x for node in level for x in node]

    # set(v, i, x): v with element i replaced; update(v, [(i, x), ...]): several at once; diff(a, b): the
    # sorted indexes where a and b hold different objects.

    def _get(self, v: tuple, i: int) -> Any:
        s, bits, mask = self.shift, self.bits, self.mask
        while s:
            v = v[(i >> s) & mask]
            s -= bits
        return v[i & mask]

    def _set(self, v: tuple, i: int, x: Any) -> tuple:
        path = []
        s, bits, mask = self.shift, self.bits, self.mask
        while s:
            k = (i >> s) & mask
            path.append((v, k))
            v = v[k]
            s -= bits
        k = i & mask
        v = v[:k] + (x,) + v[k + 1:]
        for node, k in reversed(path):
            v = node[:k] + (v,) + node[k + 1:]
        return v

    def _update(self, v: tuple, changes: Iterable[tuple[int, Any]]) -> tuple:
        for i, x in changes:
            v = self._set(v, i, x)
        return v

    def _diff(self, a: tuple, b: tuple) -> list[int]:
        out: list[int] = []
        work = [(a, b, self.shift, 0)]
        while work:
            x, y, s, base = work.pop()
            if s == 0:
                out.extend(base + k for k in compress(range(len(x)), map(is_not, x, y)))
                continue
            for k in compress(range(len(x)), map(is_not, x, y)):
                work.append((x[k], y[k], s - self.bits, base + (k << s)))
        out.sort()
        return out
