"""Which Python frames run generated Ruff functions: what the depth limit and error stacks are built from.

A generated function's code object carries a CodeInfo as its last constant (fastvm adds it when it
compiles the chunk), so any frame can be asked which Ruff function it runs, with no registry to keep.
"""

from __future__ import annotations

from typing import Any, Optional


class CodeInfo:
    """Appended to a generated function's co_consts: which Ruff function it is, and its line table."""

    __slots__ = ("name", "filename", "line", "linemap", "loop")

    def __init__(self, name: str, filename: str, line: int, linemap: list) -> None:
        self.name, self.filename, self.line = name, filename, line
        self.linemap = linemap  # python line → (ruff line, ruff col)
        self.loop = False  # a loop outlined by ruff.osr, named for the function it is part of


def code_info(code: Any) -> Optional[CodeInfo]:
    """The CodeInfo of a generated function's code object; None for any other code."""
    consts = code.co_consts
    if consts:
        info = consts[-1]
        if type(info) is CodeInfo:
            return info
    return None


def ruff_name(frame: Any) -> Optional[str]:
    """The Ruff function a Python frame runs, None for any other frame."""
    info = code_info(frame.f_code)
    return None if info is None else info.name


def ruff_frames(frame: Any) -> tuple[int, int]:
    """(Ruff frames from `frame` outwards, Python frames from `frame` to the outermost of them)."""
    ruff = span = python = 0
    while frame is not None:
        python += 1
        consts = frame.f_code.co_consts
        if consts and type(consts[-1]) is CodeInfo:
            ruff, span = ruff + 1, python
        frame = frame.f_back
    return ruff, span


def frames_before_ruff(frame: Any) -> int:
    """Python frames from `frame` outwards before the first Ruff frame (all of them when there is none)."""
    n = 0
    while frame is not None:
        consts = frame.f_code.co_consts
        if consts and type(consts[-1]) is CodeInfo:
            return n
        n, frame = n + 1, frame.f_back
    return n
