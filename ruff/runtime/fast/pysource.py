"""The Python the fast tier generates, as a small statement tree, and its rendering to source text.

Each statement remembers the bytecode instruction it comes from (`ins`), so every line of the rendered
source maps back to a Ruff line and column (Renderer.lines). Rendering picks the flattest equivalent
form: guard clauses instead of nested else branches, `while c:` for `while True: if c: … else: break`,
elif chains, one-line try/except.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ruff.runtime.fast.placement import Unsupported


class Line:
    __slots__ = ("text", "ins", "term")

    def __init__(self, text: str, ins: Optional[int], term: bool = False) -> None:
        self.text, self.ins, self.term = text, ins, term


class If:
    __slots__ = ("cond", "ins", "then", "orelse", "term")

    def __init__(self, cond: str, ins: Optional[int], then: list, orelse: list) -> None:
        self.cond, self.ins, self.then, self.orelse = cond, ins, then, orelse
        self.term: Optional[bool] = None  # terminal(), computed once


class Loop:
    __slots__ = ("head", "ins", "body", "has_break")

    def __init__(self, head: str, ins: Optional[int], body: list) -> None:
        self.head, self.ins, self.body, self.has_break = head, ins, body, False


class Try:
    __slots__ = ("body", "catch", "handler", "ins", "term", "more")

    def __init__(self, body: list, catch: str, handler: list, ins: Optional[int], more: tuple = ()) -> None:
        self.body, self.catch, self.handler, self.ins = body, catch, handler, ins
        self.more = more  # further (catch, handler) clauses
        self.term: Optional[bool] = None


def terminal(stmts: list) -> bool:
    """Control never falls off the end of these statements."""
    if not stmts:
        return False
    s = stmts[-1]
    t = type(s)
    if t is Line:
        return s.term
    if t is Loop:
        return s.head == "while True" and not s.has_break
    if s.term is None:
        s.term = terminal(s.then) and terminal(s.orelse) if t is If else terminal(s.body) and terminal(s.handler) and all(
            terminal(h) for _, h in s.more)
    return s.term


def size(stmts: list, cap: int = 32) -> int:
    """Statements in stmts, nested ones included, counting no further than `cap`."""
    n = 0
    for s in stmts:
        t = type(s)
        n += 1
        if n >= cap:
            return n
        if t is If:
            n += size(s.then, cap - n) + size(s.orelse, cap - n)
        elif t is Loop:
            n += size(s.body, cap - n)
        elif t is Try:
            n += size(s.body, cap - n) + size(s.handler, cap - n) + sum(size(h, cap - n) for _, h in s.more)
    return n


# CPython's tokenizer refuses more levels of indentation than this ("too many levels of indentation").
MAX_INDENT = 100


class Renderer:
    """Statements → (indentation level, text, instruction) lines, in the flattest equivalent form."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str, Optional[int]]] = []

    def add(self, level: int, text: str, ins: Optional[int]) -> None:
        if level >= MAX_INDENT:
            # Stop here: CPython would refuse it, after the source had grown with the square of the depth.
            raise Unsupported(f"nested more than {MAX_INDENT} levels deep")
        self.lines.append((level, text, ins))

    def block(self, stmts: list, level: int) -> None:
        if not stmts:
            self.add(level, "pass", None)
            return
        for s in stmts:
            self.stmt(s, level)

    def stmt(self, s: Any, level: int) -> None:
        t = type(s)
        if t is Line:
            self.add(level, s.text, s.ins)
        elif t is If:
            self.if_(s, level)
        elif t is Loop:
            body = s.body
            first = body[0] if body else None
            if s.head == "while True" and type(first) is If and first.ins is not None:
                # `while True: if c: <body> else: break` is `while c: <body>`
                brk = lambda arm: len(arm) == 1 and type(arm[0]) is Line and arm[0].text == "break"
                if brk(first.orelse):
                    self.add(level, f"while {first.cond}:", first.ins)
                    self.block(first.then + body[1:], level + 1)
                    return
                if brk(first.then):
                    self.add(level, f"while not ({first.cond}):", first.ins)
                    self.block(first.orelse + body[1:], level + 1)
                    return
            self.add(level, s.head + ":", s.ins)
            self.block(body, level + 1)
        else:
            one = lambda b: len(b) == 1 and type(b[0]) is Line
            clauses = ((s.catch, s.handler),) + s.more
            if one(s.body):
                self.add(level, f"try: {s.body[0].text}", s.body[0].ins)
            else:
                self.add(level, "try:", None)
                self.block(s.body, level + 1)
            for catch, handler in clauses:
                if one(handler):
                    self.add(level, f"except {catch}: {handler[0].text}", handler[0].ins)
                else:
                    self.add(level, f"except {catch}:", s.ins)
                    self.block(handler, level + 1)

    def if_(self, s: If, level: int) -> None:
        then, orelse = s.then, s.orelse
        # Guard clauses: `if c: <ends> else: rest` → `if c: <ends>` then rest at the same level, which keeps
        # long chains of early returns and matches from nesting deeper than Python allows.
        if not then and orelse:
            self.add(level, f"if not ({s.cond}):", s.ins)
            self.block(orelse, level + 1)
            return
        if orelse and terminal(then) and not (terminal(orelse) and size(orelse) < size(then)):
            self.add(level, f"if {s.cond}:", s.ins)
            self.block(then, level + 1)
            for x in orelse:
                self.stmt(x, level)
            return
        if orelse and terminal(orelse):
            self.add(level, f"if not ({s.cond}):", s.ins)
            self.block(orelse, level + 1)
            for x in then:
                self.stmt(x, level)
            return
        self.add(level, f"if {s.cond}:", s.ins)
        self.block(then, level + 1)
        while orelse:
            if len(orelse) == 1 and type(orelse[0]) is If and orelse[0].then:
                e = orelse[0]
                self.add(level, f"elif {e.cond}:", e.ins)
                self.block(e.then, level + 1)
                orelse = e.orelse
            else:
                self.add(level, "else:", None)
                self.block(orelse, level + 1)
                break


_TEMP = re.compile(r"\bt\d+\b")
_DEF = re.compile(r"^(try: |except [\w.]+: )?(t\d+) = (?!.* = )")
_COPY = re.compile(r"^(l\d+) = (t\d+)$")


def fold_temp_copies(lines: list[tuple[int, str, Optional[int]]]) -> list[tuple[int, str, Optional[int]]]:
    """`t5 = l0[l3]` then `l4 = t5` → `l4 = l0[l3]` (the same for a one-line try/except assigning t5 in
    each clause), for every temp whose only reads are such copies right after its assignments. Each
    copy then reads exactly the value assigned just before it, so naming the local in the assignment
    instead is the same program with two fewer bytecodes; CPython 3.11 runs nbody's and fannkuch's
    inner loops measurably faster without the extra store and load."""
    uses: dict[str, list[int]] = {}
    for k, (_, text, _) in enumerate(lines):
        for name in _TEMP.findall(text):
            uses.setdefault(name, []).append(k)
    drop: set[int] = set()
    renamed: dict[int, tuple[int, str, str]] = {}  # line → (where the temp starts, temp, local)
    for temp, at in uses.items():
        defs: dict[int, int] = {}  # line → where the temp starts in it
        copies = []
        for k in at:
            text = lines[k][1]
            m = _DEF.match(text)
            if m is not None and m.group(2) == temp and _TEMP.findall(text).count(temp) == 1:
                defs[k] = m.start(2)
                continue
            c = _COPY.match(text)
            if c is not None and c.group(2) == temp:
                copies.append(k)
                continue
            break
        else:
            group_of: dict[int, list[int]] = {}
            for k in copies:
                level, group = lines[k][0], []
                j = k - 1
                while j >= 0 and j in defs and lines[j][0] == level and j not in renamed:
                    group.append(j)
                    if not lines[j][1].startswith("except "):
                        break
                    j -= 1
                first = lines[group[-1]][1] if group else ""
                if not group or first.startswith("except ") or (len(group) > 1 and not first.startswith("try: ")):
                    break
                group_of[k] = group
            else:
                for k, group in group_of.items():
                    drop.add(k)
                    for j in group:
                        renamed[j] = (defs[j], temp, _COPY.match(lines[k][1]).group(1))  # type: ignore[union-attr]
    if not drop:
        return lines
    out = []
    for k, (level, text, ins) in enumerate(lines):
        if k in drop:
            continue
        if k in renamed:
            at, temp, local = renamed[k]
            text = text[:at] + local + text[at + len(temp):]
        out.append((level, text, ins))
    return out
