"""One shared str per small non-negative int: the text an int stands for when it is shown or handed out as
a dict key (`to_string(5)`, iterating a dict whose key 5 the runtime keeps as an int, ruff.runtime.dict_keys).

Made anew each time, the text is allocated and freed on every use; taken from this cache, the same int gives
the same object (V8 keeps a number-to-string cache for the same reason; CPython keeps one str per Latin-1
character).

The cache is a plain list of LIMIT slots, None until an int's text is first asked for, created on first use
(start-up does not pay for it). Native code (ruff/passes/_decimal_text.py) reads and fills the same list
in place: it finds the list through its object table at run time and takes its length from the list, so
the compiled code holds neither the list's address nor LIMIT. The list owns one reference to each text;
texts live as long as the process (at most LIMIT of them).
"""

from __future__ import annotations

from typing import Optional

# Ints in [0, LIMIT) have a cached text: the keys of a dict of a few hundred thousand int keys (the common
# case) reuse them; the list itself is 8 bytes a slot.
LIMIT = 1 << 17

_texts: Optional[list] = None


def int_texts() -> list:
    """The cache: LIMIT slots, slot k None or the str of k (made on the first call)."""
    global _texts
    if _texts is None:
        _texts = [None] * LIMIT
    return _texts


def int_text(k: int) -> str:
    """str(k), the cached object when 0 <= k < LIMIT (k is an exact int)."""
    if 0 <= k < LIMIT:
        texts = _texts if _texts is not None else int_texts()
        text = texts[k]
        if text is None:
            text = texts[k] = str(k)
        return text
    return str(k)
