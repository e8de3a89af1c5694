"""`did you mean …?` for a name that is not defined: the names bound around a source position, and the
one closest to a misspelling.

The candidates come from the program's syntax, since every Ruff binding is written in it: what the top
level binds (in any block, imports included), and what each function enclosing the position binds
(its parameters and the names its body binds, not those of functions nested in it), plus a struct's
fields inside its methods. The caller adds the builtins.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional

from ruff.frontend import ast


def names_visible_at(program: ast.Program, line: int, col: int) -> list[str]:
    """Names bound around line:col, innermost function first, then the top level (no duplicates)."""
    scopes: list[list[str]] = [_bound_in(program.stmts)]
    for fn, fields in _enclosing_functions(program, (line, col)):
        scopes.append([p.name for p in fn.params] + list(fields) + _bound_in(fn.body.stmts))
    seen: dict[str, None] = {}
    for names in reversed(scopes):
        seen.update(dict.fromkeys(names))
    return list(seen)


def closest_name(name: str, candidates: Iterable[str]) -> Optional[str]:
    """The candidate a typo of `name` most likely meant, or None when none is close.

    As rustc: a candidate differing only in case wins; otherwise the smallest edit distance, at most a
    third of the name's length (at least 1); ties go to the earlier candidate.
    """
    best, best_distance = None, max(1, len(name) // 3) + 1
    lower = name.lower()
    for cand in candidates:
        if cand == name or cand.startswith("$"):
            continue
        if cand.lower() == lower:
            return cand
        if abs(len(cand) - len(name)) >= best_distance:
            continue
        d = _edit_distance(name, cand, best_distance)
        if d < best_distance:
            best, best_distance = cand, d
    return best


def _edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance with adjacent transpositions counted as one edit; stops early at `cap`."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            cur.append(d)
        if min(cur) >= cap:
            return cap
        prev2, prev = prev, cur
    return prev[-1]


def _enclosing_functions(program: ast.Program, pos: tuple[int, int]) -> Iterator[tuple[ast.FuncExpr, tuple]]:
    """The functions whose source contains pos, outermost first, each with the struct fields it sees."""
    stack: list[tuple[Any, tuple]] = [(program.stmts, ())]
    while stack:
        node, fields = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend((n, fields) for n in node)
        elif isinstance(node, ast.Node):
            if isinstance(node, ast.StructDecl):
                fields = tuple(f.name for f in node.fields)
            if isinstance(node, ast.FuncExpr):
                if not _contains(node.span, pos):
                    continue
                yield node, fields
                fields = ()
            for value in vars(node).values():
                if isinstance(value, (ast.Node, list, tuple)):
                    stack.append((value, fields))


def _contains(span: ast.Span, pos: tuple[int, int]) -> bool:
    return (span.line, span.col) <= pos <= (span.end_line, span.end_col)


def _bound_in(stmts: list[ast.Stmt]) -> list[str]:
    """Names the statements bind, in blocks at any depth but not inside the functions they define."""
    out: list[str] = []
    stack: list[Any] = list(reversed(stmts))
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, ast.Node) or isinstance(node, ast.FuncExpr):
            continue
        if isinstance(node, (ast.Let, ast.For)):
            out.extend(_pattern_names(node.target))
        elif isinstance(node, ast.Assign):
            target = node.target
            if isinstance(target, ast.Name):
                out.append(target.name)
            elif isinstance(target, ast.Pattern):
                out.extend(_pattern_names(target))
        elif isinstance(node, (ast.FuncDecl, ast.StructDecl, ast.EnumDecl)):
            out.append(node.name)
        elif isinstance(node, ast.Import):
            out.append(node.alias or node.module.split(".")[-1])
        elif isinstance(node, ast.FromImport):
            out.extend(node.names)
        elif isinstance(node, ast.Try) and node.err_name:
            out.append(node.err_name)
        elif isinstance(node, ast.MatchCase):
            out.extend(_pattern_names(node.pattern))
        stack.extend(reversed([v for v in vars(node).values() if isinstance(v, (ast.Node, list, tuple))]))
    return out


def _pattern_names(p: ast.Pattern) -> list[str]:
    out: list[str] = []
    stack = [p]
    while stack:
        q = stack.pop()
        if isinstance(q, ast.PatBind):
            out.append(q.name)
        elif isinstance(q, (ast.PatArray, ast.PatVariant)):
            stack.extend(reversed(q.elements if isinstance(q, ast.PatArray) else q.args))
        elif isinstance(q, ast.PatDict):
            out.extend(q.keys)
        if isinstance(q, (ast.PatArray, ast.PatDict)) and q.rest:
            out.append(q.rest)
    return out
