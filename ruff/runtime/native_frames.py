"""Native frames in an error's Ruff stack.

Native code's frames are not Python frames, nor interpreter frames: when an error leaves one, native code
calls back (ruff.runtime.native_support.NativeSupport.frame) and the error records the frame by its call
depth (`place_native_frame`). The interpreter's and the fast tier's traces then merge those frames into
the stack they build from their own frames (`with_native_frames`), so a Ruff stack names every function
the error left, whichever tier ran it.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import neg as _negated

from ruff.runtime.values import RuffError


def with_native_frames(err: RuffError, entries: list, depths: list, entered: frozenset = frozenset()) -> list:
    """entries (outermost first, one per frame the tier traced, at `depths`) with the native frames the
    error left (see `place_native_frame`) put in at their depths: the whole Ruff stack, outermost first.

    A traced frame at a native frame's depth is the interpreter's after a deoptimization and stays, unless
    its depth is in `entered`: the fast tier's function that entered the native code (its prologue
    called it), which the native frame replaces."""
    natives = err.__dict__.get("native_frames")
    if natives:
        entered = entered | err.__dict__.get("native_in_frame", frozenset())
        keep = [(dp, e) for dp, e in zip(depths, entries) if not (dp in natives and dp in entered)]
        have = {dp for dp, _ in keep}
        merged = [(dp, k, e) for k, (dp, e) in enumerate(keep)]
        merged += [(dp, -1, e) for dp, e in natives.items() if dp not in have]
        merged.sort(key=lambda t: (t[0], t[1]))
        entries = [e for _, _, e in merged]
        depths[:] = [dp for dp, _, _ in merged]
    err.__dict__["stack_depths"] = list(reversed(depths))  # innermost first, as err.stack
    return entries


def place_native_frame(err: RuffError, depth: int, name: str, filename: str, line: int, col: int = 0,
                       in_frame: bool = False) -> None:
    """Put a native frame into an error's Ruff stack at its depth (see the module docstring)."""
    frames = err.__dict__.setdefault("native_frames", {})
    frames.setdefault(depth, (name, filename, line, col))
    if in_frame:
        err.__dict__.setdefault("native_in_frame", set()).add(depth)
    err.unwound.append(name)
    if not err.traced:
        return
    depths = err.__dict__.get("stack_depths")
    if depths is None:
        return
    # err.stack is innermost first; its depths decrease along it. A binary search: an error leaving
    # 50,000 native frames (runaway recursion) passes here once per frame.
    k = bisect_left(depths, -depth, key=_negated)
    if k < len(depths) and depths[k] == depth:
        # in_frame: a loop of that frame, which was traced at the loop's back-edge; or the fast function
        # whose prologue entered this native code, traced (by an error raised deeper, in a callee that
        # deoptimized) at its prologue
        if in_frame or depth in err.__dict__.get("fast_traced_depths", ()):
            err.stack[k] = f"{name} ({filename}:{line})"
            if k == 0:
                err.line, err.col, err.filename = line, col, filename
        return  # already there (the frame was traced as an interpreter frame after a deoptimization)
    err.stack.insert(k, f"{name} ({filename}:{line})")
    err.stack_names.insert(k, name)
    depths.insert(k, depth)
    if k == 0:
        err.line, err.col, err.filename = line, col, filename
