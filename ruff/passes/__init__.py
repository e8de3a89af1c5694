"""Ruff's xDSL passes and the pass registry used by ruff-opt and the JIT pipeline.

Every pass is a `ModulePass` in its own module under ruff/passes/, and the module is named after the
pass: `lower_to_llvm.py` defines the pass whose `name` is "lower-to-llvm".  Registering a pass is
therefore a one-line change to `RUFF_PASSES` below (command-line name → class name in that module).
Helper modules that are not passes simply are not listed (name them with a leading underscore); `abi.py`
is the native ABI the lowering defines (shared with ruff/backend/).

Nothing here imports xDSL until a pass is actually requested, so importing `ruff.passes` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xdsl.passes import ModulePass

#: command-line name → class name in ruff/passes/<name with '-' → '_'>.py, in the order a pipeline runs
#: them (ruff-opt --help lists them so)
RUFF_PASSES: dict[str, str] = {
    "specialize-types": "SpecializeTypesPass",
    "unbox-returns": "UnboxReturnsPass",
    "tailrec-to-loop": "TailRecToLoopPass",
    "inline": "InlinePass",
    "extract-native": "ExtractNativePass",
    "lower-to-llvm": "LowerToLLVMPass",
}


def _loader(pass_name: str, class_name: str) -> Callable[[], type[ModulePass]]:
    def load() -> type[ModulePass]:
        module = import_module(f"{__name__}.{pass_name.replace('-', '_')}")
        cls = getattr(module, class_name)
        if getattr(cls, "name", None) != pass_name:
            raise RuntimeError(f"{module.__name__}.{class_name}.name is {cls.name!r}, expected {pass_name!r}")
        return cls

    load.__name__ = f"get_{pass_name.replace('-', '_')}"
    return load


def get_ruff_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Ruff's own passes: name → factory returning the pass class (imported on first call)."""
    return {name: _loader(name, cls) for name, cls in RUFF_PASSES.items()}


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """xDSL's passes (canonicalize, cse, dce, ...) merged with Ruff's; Ruff's win on a name clash."""
    from xdsl.transforms import get_all_passes as xdsl_passes

    passes = dict(xdsl_passes())
    passes.update(get_ruff_passes())
    return passes


def get_pass(name: str) -> type[ModulePass]:
    """The pass class registered under `name` (KeyError if there is none)."""
    return get_all_passes()[name]()


def run_pipeline(module, spec: str, ctx=None, callback=None) -> None:
    """Apply a pass pipeline such as "canonicalize,lower-to-llvm" (or "p1{opt=v},p2") to a module in place;
    `callback(pass_that_ran, module, next_pass)` runs around every pass (xDSL's PassPipeline callback)."""
    from xdsl.passes import PassPipeline

    if ctx is None:
        from ruff.dialects.context import make_context

        ctx = make_context()
    PassPipeline.parse_spec(get_all_passes(), spec, callback).apply(ctx, module)
