"""The module loader: resolution order, path safety, cycles, caching and exports."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ruff.runtime.values import Module, RuffError
from ruff.runtime.vm import VM
from kit import run_file, write_program


def test_flat_and_dotted_imports_resolve_from_the_program_root(tmp_path: Path) -> None:
    write_program(tmp_path / "util.ruff", "export func double(x) { return x * 2 }\n")
    write_program(tmp_path / "pkg" / "math.ruff", "from util import double\nexport func quad(x) { return double(double(x)) }\n")
    main = write_program(tmp_path / "main.ruff", "import util\nfrom pkg.math import quad\nprint(util.double(3), quad(3))\n")
    assert run_file(main) == "6 12\n"


def test_flat_name_wins_over_directory_form(tmp_path: Path) -> None:
    write_program(tmp_path / "a.b.ruff", "export let which := \"flat\"\n")
    write_program(tmp_path / "a" / "b.ruff", "export let which := \"nested\"\n")
    main = write_program(tmp_path / "main.ruff", "from a.b import which\nprint(which)\n")
    assert run_file(main) == "flat\n"


@pytest.mark.parametrize("name, message", [
    ("..secret", "parent traversal"),
    ("a...b", "parent traversal"),
    ("/etc/passwd", "absolute paths"),
])
def test_unsafe_module_names_are_rejected(tmp_path: Path, name: str, message: str) -> None:
    from ruff.runtime.modules import ModuleLoader

    main = write_program(tmp_path / "main.ruff", "x := 1\n")
    vm = VM(write=lambda s: None)
    vm.filename = str(main)
    with pytest.raises(RuffError) as info:
        ModuleLoader(vm).resolve(name, Module("__main__", str(main)))
    assert message in info.value.message


def test_missing_module_is_a_runtime_error(tmp_path: Path) -> None:
    main = write_program(tmp_path / "main.ruff", "from missing_module import x\n")
    with pytest.raises(RuffError) as info:
        run_file(main)
    assert info.value.message == "Module not found: missing_module"


def test_import_cycle_names_the_whole_chain(tmp_path: Path) -> None:
    write_program(tmp_path / "a.ruff", "from b import y\nexport let x := 1\n")
    write_program(tmp_path / "b.ruff", "from a import x\nexport let y := 2\n")
    main = write_program(tmp_path / "main.ruff", "from a import x\nprint(x)\n")
    with pytest.raises(RuffError) as info:
        run_file(main)
    assert info.value.message == "Circular import detected: a -> b -> a"


def test_only_exported_names_are_visible(tmp_path: Path) -> None:
    write_program(tmp_path / "lib.ruff", "export func shown() { return 1 }\nfunc hidden() { return 2 }\n")
    main = write_program(tmp_path / "main.ruff", "from lib import hidden\n")
    with pytest.raises(RuffError) as info:
        run_file(main)
    assert "no exported symbol 'hidden'" in info.value.message


def test_module_runs_once_and_is_reloaded_when_it_changes(tmp_path: Path) -> None:
    from ruff.runtime.modules import ModuleLoader

    lib = write_program(tmp_path / "lib.ruff", 'print("loading")\nexport let v := 1\n')
    main = write_program(tmp_path / "main.ruff", "x := 0\n")
    out: list[str] = []
    vm = VM(write=out.append)
    vm.filename = str(main)
    loader = ModuleLoader(vm)
    importer = Module("__main__", str(main))
    first = loader.load("lib", importer)
    assert loader.load("lib", importer) is first and out == ["loading\n"]
    lib.write_text('print("loading again")\nexport let v := 22\n')
    stamp = time.time() + 5
    os.utime(lib, (stamp, stamp))
    second = loader.load("lib", importer)
    assert second is not first and second.globals["v"] == 22 and out[-1] == "loading again\n"
