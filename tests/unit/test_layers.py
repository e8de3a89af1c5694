"""Imports point one way: each module imports only from its own layer or the layers below it.

The order (README, "How it works"), lowest first:

    base      ruff.diagnostics, ruff.exit_codes,      diagnostics rendering, exit codes and the language's
              ruff.limits                             limits (i64, call depth), for every layer
    frontend  ruff.frontend.*                         source → bytecode, and the bytecode's control flow
    runtime   ruff.runtime.*                          values, the interpreter, the fast tier, builtins
    dialects  ruff.dialects.*                         the `ruff` xDSL dialect, lifting bytecode into it
    passes    ruff.passes.*                           the xDSL passes and the native ABI they lower to
    backend   ruff.backend.*                          llvmlite: native code from the llvm dialect
    tiering   ruff.tiering, ruff.osr, ruff.jit_cache, ruff.jit_dump  when and what to compile, and running it
    driver    ruff, ruff.runner, ruff.cli, …          the commands, the REPL, test-run, embedding, tools

Every import counts, those inside functions too (they keep start-up fast, but they are still
dependencies), and no module may import itself back through others, within a layer either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "ruff"

# A module named here, or every module of a package named with ".*".
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("ruff.diagnostics", "ruff.exit_codes", "ruff.limits")),
    ("frontend", ("ruff.frontend.*",)),
    ("runtime", ("ruff.runtime.*",)),
    ("dialects", ("ruff.dialects.*",)),
    ("passes", ("ruff.passes.*",)),
    ("backend", ("ruff.backend.*",)),
    ("tiering", ("ruff.tiering", "ruff.osr", "ruff.jit_cache", "ruff.jit_dump")),
    ("driver", ("ruff", "ruff.__main__", "ruff.runner", "ruff.cli", "ruff.repl", "ruff.testing", "ruff.embed",
                "ruff.output", "ruff.tools.*")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The layer of a module; a module in no layer fails (every new module needs a place in the order)."""
    for rank, (_, names) in enumerate(LAYERS):
        for name in names:
            if module == name.removesuffix(".*") or (name.endswith(".*") and module.startswith(name[:-1])):
                return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to the README)")


def imports_of(module: str) -> set[tuple[str, int]]:
    """(imported ruff module, line) for every import in `module`, at any depth of its code."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update((a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "ruff")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "ruff":
                continue
            for alias in node.names:  # `from ruff.x import y` imports the module ruff.x.y when there is one
                sub = f"{target}.{alias.name}"
                out.add((sub if sub in MODULES else target, node.lineno))
    return out


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("ruff.somewhere_new")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    mine = layer_of(module)
    wrong = []
    for target, line in sorted(imports_of(module)):
        theirs = layer_of(target)
        if theirs > mine:
            wrong.append(f"{MODULES[module].relative_to(ROOT.parent)}:{line} imports {target} "
                         f"({LAYERS[theirs][0]}, above {LAYERS[mine][0]})")
    assert not wrong, "\n".join(wrong)


def cycles(modules: list[str]) -> list[list[str]]:
    """The import cycles among `modules` (strongly connected components of more than one module)."""
    graph = {m: {t for t, _ in imports_of(m) if t in modules and t != m} for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan, iteratively
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        found.append(sorted(comp))

    for m in modules:
        if m not in index:
            visit(m)
    return found


def test_no_module_imports_itself_back() -> None:
    """Within a layer too, modules build on each other in one direction: no import cycle, however long and
    however hidden inside functions (the code generator and typeflow, the interpreter and concurrency once
    imported each other)."""
    assert cycles(sorted(MODULES)) == []


def test_function_level_imports_count() -> None:
    """The checker itself: tiering imports the OSR inside a method, and that import is seen."""
    tree = ast.parse(MODULES["ruff.tiering"].read_text(encoding="utf-8"))
    top_level = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert "ruff.osr" not in top_level
    assert "ruff.osr" in {t for t, _ in imports_of("ruff.tiering")}
