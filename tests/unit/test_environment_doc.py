"""docs/environment.md describes every RUFF_* environment variable the code reads, and only those."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "environment.md"
NAME = re.compile(r"RUFF_[A-Z0-9_]+")


def variables_in_code(source: str) -> set[str]:
    """Names like RUFF_JIT that appear as a whole string literal (`os.environ.get("RUFF_JIT")`, an env dict
    key); an f-string that builds such a name cannot be checked and counts as its own text."""
    found: set[str] = set()
    tree = ast.parse(source)
    exported = {id(c) for node in ast.walk(tree)  # `__all__ = ["RUFF_OPS", ...]` names Python objects
                if isinstance(node, (ast.Assign, ast.AugAssign)) and "__all__" in ast.unparse(node).split("=")[0]
                for c in ast.walk(node.value)}
    for node in ast.walk(tree):
        if id(node) in exported:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value):
            found.add(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
                and str(node.values[0].value).startswith("RUFF_"):
            found.add(str(node.values[0].value) + "…")
    return found


def variables_read(source: str) -> set[str]:
    """Names the code reads from the environment: `os.environ.get("RUFF_X")`, `os.getenv("RUFF_X")`,
    `os.environ["RUFF_X"]` (read, not assigned) and `"RUFF_X" in os.environ`. The tests use this narrower
    scan, since they also set made-up variables for the builtins they test."""
    found: set[str] = set()

    def environ(node: ast.AST) -> bool:
        return ast.unparse(node) in ("os.environ", "environ")

    for node in ast.walk(ast.parse(source)):
        key = None
        if isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "get" and environ(node.func.value))
                or ast.unparse(node.func) in ("os.getenv", "getenv")):
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and environ(node.value):
            key = node.slice
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In) \
                and environ(node.comparators[0]):
            key = node.left
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and NAME.fullmatch(key.value):
            found.add(key.value)
    return found


def code_variables() -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    scans = [("ruff", variables_in_code), ("bench", variables_in_code), ("tests", variables_read)]
    for folder, scan in scans:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for name in scan(path.read_text(encoding="utf-8")):
                where.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return where


def documented_variables() -> set[str]:
    """The variables of the tables: a row's first cell, in backquotes."""
    return {m.group(1) for m in re.finditer(r"^\| `(RUFF_[A-Z0-9_]+)` \|", DOC.read_text(encoding="utf-8"), re.M)}


def test_the_scan_finds_a_variable_read_in_any_of_the_usual_ways() -> None:
    source = ('import os\nos.environ.get("RUFF_A")\nos.getenv("RUFF_B")\nos.environ["RUFF_C"]\n'
              'env = {"RUFF_D": "1"}\nx = "RUFF_E" in os.environ\n"""mentions RUFF_F in prose"""\n'
              '__all__ = ["RUFF_G"]\n')
    assert variables_in_code(source) == {"RUFF_A", "RUFF_B", "RUFF_C", "RUFF_D", "RUFF_E"}
    assert variables_in_code('import os\nos.environ.get(f"RUFF_{kind}")\n') == {"RUFF_…"}


def test_the_scan_of_tests_counts_reads_only() -> None:
    source = ('import os\nos.environ.get("RUFF_A", "1")\nos.getenv("RUFF_B")\nx = os.environ["RUFF_C"]\n'
              '"RUFF_D" in os.environ\nos.environ["RUFF_E"] = "1"\nmonkeypatch.setenv("RUFF_F", "1")\n'
              'env = {"RUFF_G": "1"}\ncall("env", "RUFF_H")\n')
    assert variables_read(source) == {"RUFF_A", "RUFF_B", "RUFF_C", "RUFF_D"}


def test_every_variable_the_code_reads_is_documented() -> None:
    undocumented = {name: files for name, files in code_variables().items() if name not in documented_variables()}
    assert not undocumented, f"describe these in docs/environment.md: {undocumented}"


def test_every_documented_variable_is_still_read() -> None:
    stale = documented_variables() - set(code_variables())
    assert not stale, f"docs/environment.md describes variables nothing reads any more: {sorted(stale)}"


def test_the_readme_links_the_page() -> None:
    assert "docs/environment.md" in (ROOT / "README.md").read_text(encoding="utf-8")
