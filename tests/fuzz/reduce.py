"""Reduce a failing program by its text: delete statements and unwrap blocks while the failure persists.

Hypothesis shrinks the generator's choices, which is thorough but slow when every test is several process
launches; this finishes the job on the program text, in the delta-debugging style: first try deleting
large runs of sibling statements, then smaller runs, then single statements, at every nesting level, and
replace a block (`try`, `if`, a loop) by its body. A statement is a line plus everything indented under it
and the lines that close or continue it (`}`, `} else {`, `} except e {`).
"""

from __future__ import annotations

from typing import Callable

Lines = list[str]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def statement_end(lines: Lines, start: int) -> int:
    """Index just past the statement that begins at `start`."""
    level = _indent(lines[start])
    end = start + 1
    if not lines[start].rstrip().endswith("{"):
        return end
    while end < len(lines):
        line = lines[end]
        if _indent(line) > level:
            end += 1
        elif _indent(line) == level and line.strip().startswith("}"):
            end += 1
            if not line.rstrip().endswith("{"):
                break  # the closing brace, not `} else {`
        else:
            break
    return end


def siblings(lines: Lines, start: int, stop: int) -> list[tuple[int, int]]:
    """The statements between `start` and `stop` at the nesting level of `lines[start]`, as (begin, end)."""
    out = []
    k = start
    while k < stop:
        end = statement_end(lines, k)
        out.append((k, end))
        k = end
    return out


def bodies(lines: Lines) -> list[tuple[int, int]]:
    """Every statement list in the program: the top level and the inside of each block, as (begin, end)."""
    out = [(0, len(lines))]
    for k, line in enumerate(lines):
        if line.rstrip().endswith("{"):
            end = k + 1
            while end < len(lines) and _indent(lines[end]) > _indent(line):
                end += 1
            if end > k + 1:
                out.append((k + 1, end))
    return out


def unwrapped(lines: Lines, start: int) -> Lines:
    """The statement at `start` replaced by the statements of its first block, dedented."""
    level = _indent(lines[start])
    end = statement_end(lines, start)
    body_end = start + 1
    while body_end < end and _indent(lines[body_end]) > level:
        body_end += 1
    body = [line[4:] if line.startswith("    ") else line for line in lines[start + 1:body_end]]
    return lines[:start] + body + lines[end:]


def reduce_program(source: str, still_fails: Callable[[str], bool], max_tests: int = 400) -> str:
    """A smaller program for which `still_fails` still holds (`source` itself must satisfy it)."""
    lines = source.rstrip("\n").split("\n")
    tests = 0

    def attempt(candidate: Lines) -> bool:
        nonlocal tests
        if tests >= max_tests or not candidate:
            return False
        tests += 1
        return still_fails("\n".join(candidate) + "\n")

    progress = True
    while progress and tests < max_tests:
        progress = False
        # Deletion, delta-debugging style: halves of each statement list first, then smaller runs.
        for begin, end in sorted(bodies(lines), key=lambda b: b[0]):
            if end > len(lines):
                break  # the program changed under us; the next round recomputes
            stmts = siblings(lines, begin, end)
            size = max(1, len(stmts) // 2)
            while size >= 1 and stmts:
                k = 0
                while k < len(stmts):
                    group = stmts[k:k + size]
                    candidate = lines[:group[0][0]] + lines[group[-1][1]:]
                    if attempt(candidate):
                        lines, progress = candidate, True
                        removed = group[-1][1] - group[0][0]
                        end -= removed
                        stmts = siblings(lines, begin, end) if begin < end else []
                    else:
                        k += size
                size //= 2
        # Unwrapping: a block replaced by its body.
        k = 0
        while k < len(lines):
            if lines[k].rstrip().endswith("{") and not lines[k].lstrip().startswith("func "):
                candidate = unwrapped(lines, k)
                if candidate != lines and attempt(candidate):
                    lines, progress = candidate, True
                    continue
            k += 1
    return "\n".join(lines) + "\n"
