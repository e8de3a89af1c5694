"""The symbol each lifted function gets in the IR module, kept apart from the lifter (which imports xDSL):
the JIT names the functions of native code it loads from the on-disk cache without importing xDSL."""

from __future__ import annotations

import re


def symbol_for(name: str, taken: set[str]) -> str:
    """A symbol for a function named `name` (characters the IR's symbol names cannot hold become `_`) that
    is not in `taken`; it is added to `taken`."""
    base = re.sub(r"[^A-Za-z0-9_.]", "_", name).strip("_") or "fn"
    sym, n = base, 1
    while sym in taken:
        n += 1
        sym = f"{base}_{n}"
    taken.add(sym)
    return sym
