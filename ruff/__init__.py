"""Ruff on xDSL: the Ruff scripting language, with hot functions compiled through xDSL and LLVM.

Embedding it in Python (see `ruff.embed` for the details):

    import ruff

    program = ruff.run('func add(a, b) { return a + b }')   # or ruff.run_file("prog.ruff")
    program.call("add", 2, 3)      # 5, a Python int
    program.get("some_global")     # arrays come back as lists, dicts as dicts

    try:
        ruff.run("print(1 / 0)")
    except ruff.Error as e:        # str(e): the diagnostic `ruff run` prints; e.exit_code: 4
        ...

`ruff.run`, `ruff.run_file`, `ruff.Program`, `ruff.Error`, `ruff.Exit`, `ruff.display` and
`ruff.__version__` are loaded on first use, so `import ruff` (and the `ruff` command's start-up) stays
cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time

if TYPE_CHECKING:
    from typing import Any

_EMBED_NAMES = ("run", "run_file", "Program", "Error", "Exit", "display")

__all__ = [*_EMBED_NAMES, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EMBED_NAMES:
        from ruff import embed

        return getattr(embed, name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("rufflang")  # pyproject.toml is the one place the version is written
        except PackageNotFoundError:
            return "unknown"
    raise AttributeError(f"module 'ruff' has no attribute {name!r}")
