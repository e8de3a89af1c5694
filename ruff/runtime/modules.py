"""Module loading for `import name` and `from a.b import x`.

A module name resolves against the importing file's package root (the directory of the program
that started the run, so nested modules import siblings by the same names), then the directories of
RUFF_PATH. For each root, `<a.b>.ruff` is tried before `a/b.ruff`. Paths with `..` or absolute paths
are rejected, and a resolved file must stay inside its root.
"""

from __future__ import annotations

import os
from typing import Any

from ruff.diagnostics import RuffSyntaxError
from ruff.runtime.values import Module, RuffError


class ModuleCompileError(RuffError):
    """An imported module that does not lex, parse or compile.

    It travels as a runtime error from the import (a Ruff `try` can catch it), but is reported at the
    module's own file:line:col, and a lex/parse error exits with 3 as in the main program.
    """

    def __init__(self, name: str, path: str, source: str, cause: Exception) -> None:
        super().__init__(f"Error in module '{name}' ({path}:{cause.line}:{cause.col}): {cause.message}")
        self.module_path = path
        self.module_source = source
        self.cause = cause  # RuffSyntaxError or CompileError

    @property
    def is_syntax_error(self) -> bool:
        return isinstance(self.cause, RuffSyntaxError)


class ModuleLoader:
    def __init__(self, vm: Any) -> None:
        self.vm = vm
        self.cache: dict[str, tuple[tuple[float, int], Module]] = {}
        # Modules being executed, outermost first, for cycle reports; the main program is the first.
        main = vm.filename or "<input>"
        self.main_dir = os.path.dirname(os.path.abspath(main))
        self.loading: list[str] = [os.path.splitext(os.path.basename(main))[0]]
        self.loading_paths: list[str] = [os.path.realpath(main)]

    def roots(self, importer: Module) -> list[str]:
        roots = []
        main_dir = self.main_dir
        importer_dir = os.path.dirname(os.path.abspath(importer.filename)) if importer.filename else main_dir
        for d in (main_dir, importer_dir, *[p for p in os.environ.get("RUFF_PATH", "").split(os.pathsep) if p]):
            if d not in roots:
                roots.append(d)
        return roots

    def resolve(self, name: str, importer: Module) -> str:
        if not name or name.startswith("/") or "\\" in name or ":" in name:
            raise RuffError(f"Invalid module name '{name}': absolute paths are not allowed")
        parts = name.split(".")
        if any(p in ("", "..") for p in parts) or ".." in name.split("/"):
            raise RuffError(f"Invalid module name '{name}': parent traversal ('..') is not allowed")
        candidates = [name + ".ruff"]
        if len(parts) > 1:
            candidates.append(os.path.join(*parts) + ".ruff")
        for root in self.roots(importer):
            inside = os.path.join(os.path.realpath(root), "")  # ends with one separator, also for "/"
            for cand in candidates:
                path = os.path.join(root, cand)
                if os.path.isfile(path):
                    real = os.path.realpath(path)
                    if not real.startswith(inside):
                        raise RuffError(f"Module '{name}' resolves outside its search root")
                    return real
        raise RuffError(f"Module not found: {name}")

    def load(self, name: str, importer: Module) -> Module:
        path = self.resolve(name, importer)
        if path in self.loading_paths:
            chain = self.loading[self.loading_paths.index(path):] + [name]
            raise RuffError("Circular import detected: " + " -> ".join(chain))
        st = os.stat(path)
        stamp = (st.st_mtime, st.st_size)
        cached = self.cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        module = self.execute(name, path)
        self.cache[path] = (stamp, module)
        return module

    def execute(self, name: str, path: str) -> Module:
        from ruff.frontend.compiler import CompileError, compile_program
        from ruff.frontend.parser import parse
        from ruff.frontend.source import SourceReadError, read_source_file

        try:
            source = read_source_file(path)
        except SourceReadError as e:  # not UTF-8, too large: the same kind of error as a syntax error in it
            raise RuffError(f"Error in module '{name}' ({path}): cannot read it: {e.reason}") from None
        except OSError as e:
            raise RuffError(f"Error in module '{name}' ({path}): cannot read it: {e.strerror or e}") from None
        try:
            program = compile_program(parse(source, path), path)
        except (RuffSyntaxError, CompileError) as e:
            raise ModuleCompileError(name, path, source, e) from None
        module = Module(name, path, source)
        module.exports = program.exports
        self.loading.append(name)
        self.loading_paths.append(path)
        saved = self.vm.filename
        try:
            self.vm.run_chunk(program.chunk, module)
        finally:
            self.vm.filename = saved
            self.loading.pop()
            self.loading_paths.pop()
        return module
