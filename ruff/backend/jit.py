"""llvm-dialect ModuleOp → llvmlite → LLVM -O3 (host CPU) → MCJIT → ctypes callables.

    from ruff.backend.jit import compile_module, compile_ruff_module, NativeError
    native = compile_ruff_module(module)          # ruff dialect in: runs lower-to-llvm first
    native = compile_module(llvm_module)          # llvm dialect in
    native["fib"](30)                             # → 832040, or raises NativeError(kind, message)
    native.functions["fib"].address               # the raw entry point (C ABI, see abi.py)

Each NativeModule owns its own MCJIT engine and its own copy of the error slot and limit globals.
Native functions are called through ctypes PYFUNCTYPE prototypes, i.e. *with the GIL held*: native code
never calls back into Python, holding the GIL keeps two Python threads from racing on a module's error
slot, and it makes calls cheaper.  A native call therefore blocks other Python threads while it runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import llvmlite.binding as llb

from ruff.passes import abi
from ruff.passes.abi import NativeError
from ruff.backend.native import _TYPE_TO_CTYPE, NativeFunction, NativeModule, thread_stack_limit  # noqa: F401

# ------------------------------------------------------------------------------------- LLVM set-up

_initialized = False


def _init() -> None:
    global _initialized
    if not _initialized:
        llb.initialize_native_target()
        llb.initialize_native_asmprinter()
        _initialized = True


def host_cpu() -> tuple[str, str]:
    _init()
    return llb.get_host_cpu_name(), llb.get_host_cpu_features().flatten()


def create_target_machine(opt_level: int = 3, jit: bool = True) -> llb.TargetMachine:
    """A TargetMachine for the host CPU (a fresh one: an MCJIT engine takes ownership of its own)."""
    _init()
    cpu, features = host_cpu()
    target = llb.Target.from_triple(llb.get_process_triple())
    return target.create_target_machine(cpu=cpu, features=features, opt=opt_level, codemodel="jitdefault", jit=jit)




# ------------------------------------------------------------------------------ xDSL → LLVM IR text


def _llvm_ir_text(module: Any, tm: llb.TargetMachine | None = None) -> str:
    from xdsl.backend.llvm.convert import convert_module

    from llvmlite import ir
    from xdsl.dialects import llvm as xllvm

    tm = tm or create_target_machine()
    ir_module = convert_module(module, fallback_target_triple=tm.triple, data_layout=str(tm.target_data))
    linkage = {op.sym_name.data: op.linkage.linkage.data for op in module.ops if isinstance(op, xllvm.FuncOp)}
    for g in ir_module.global_values:
        # xDSL's converter ignores llvm.func linkage: internal bodies must stay internal so that LLVM may
        # change their calling convention, specialize and drop them.
        if isinstance(g, ir.Function) and linkage.get(g.name) in ("internal", "private") and g.blocks:
            g.linkage = linkage[g.name]
        # xDSL prints an initialized global with external linkage as `external global i64 0`, which
        # LLVM rejects (`external` means a declaration); an exported definition has no linkage keyword.
        if isinstance(g, ir.GlobalVariable) and g.linkage == "external" and g.initializer is not None:
            g.linkage = ""
    return str(ir_module)


def _parse_and_optimize(text: str, tm: llb.TargetMachine, opt_level: int) -> llb.ModuleRef:
    mod = llb.parse_assembly(text)
    mod.verify()
    if opt_level > 0:
        pto = llb.create_pipeline_tuning_options(speed_level=opt_level)
        pb = llb.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)
    return mod


def emit_llvm_ir(module: Any, optimize: bool = False, opt_level: int = 3) -> str:
    """LLVM IR text of an llvm-dialect ModuleOp (after LLVM's -O<opt_level> pipeline when `optimize`)."""
    tm = create_target_machine(opt_level, jit=False)
    text = _llvm_ir_text(module, tm)
    if not optimize:
        llb.parse_assembly(text).verify()
        return text
    return str(_parse_and_optimize(text, tm, opt_level))


def emit_asm(module: Any, opt_level: int = 3) -> str:
    """Host assembly of an llvm-dialect ModuleOp after LLVM -O<opt_level>."""
    tm = create_target_machine(opt_level, jit=False)
    mod = _parse_and_optimize(_llvm_ir_text(module, tm), tm, opt_level)
    return tm.emit_assembly(mod)


def emit_object(module: Any, opt_level: int = 3) -> bytes:
    """A host object file of an llvm-dialect ModuleOp after LLVM -O<opt_level>, loadable by load_object.

    (compile_module already keeps the object it loaded in `NativeModule.object_code`.)"""
    tm = create_target_machine(opt_level, jit=True)
    mod = _parse_and_optimize(_llvm_ir_text(module, tm), tm, opt_level)
    return tm.emit_object(mod)


def _signatures(module: Any) -> list[tuple[str, str, tuple[str, ...], str | None, int]]:
    from xdsl.dialects import llvm
    from xdsl.dialects.builtin import IntegerAttr, StringAttr

    out = []
    for i, op in enumerate(o for o in module.ops if isinstance(o, llvm.FuncOp) and o.body.blocks):
        if op.linkage.linkage.data in ("internal", "private"):
            continue  # not reachable from outside (e.g. the `$impl` bodies)
        if op.sym_name.data.endswith(abi.PY_ENTRY_SUFFIX):
            continue  # a function's Python entry point: found by its NativeFunction (python_function)
        ft = op.function_type
        args = tuple(str(t) for t in ft.inputs.data)
        res = None if isinstance(ft.output, llvm.LLVMVoidType) else str(ft.output)
        if any(t not in _TYPE_TO_CTYPE for t in (*args, *([res] if res else []))):
            continue  # not callable from Python with scalars
        ruff_name = op.attributes.get("ruff.name")
        func_id = op.attributes.get("ruff.func_id")
        name = ruff_name.data if isinstance(ruff_name, StringAttr) else op.sym_name.data
        out.append((name, op.sym_name.data, args, res, func_id.value.data if isinstance(func_id, IntegerAttr) else -1 - i))
    return out


@dataclass
class CompileStats:
    convert_s: float = 0.0
    optimize_s: float = 0.0
    codegen_s: float = 0.0


last_stats = CompileStats()


def compile_module(module: Any, opt_level: int = 3, depth_limit: int | None = None) -> NativeModule:
    """JIT-compile an llvm-dialect ModuleOp (as produced by lower-to-llvm) into a NativeModule.

    Code is generated once, as an object file; the NativeModule keeps it in `.object_code` (with
    `.signatures`), so a cache can store it and `load_object` can bring it back without xDSL.
    """
    from xdsl.dialects import llvm

    if not any(isinstance(o, llvm.GlobalOp) and o.sym_name.data == abi.ERR_KIND for o in module.ops):
        raise ValueError("compile_module needs the runtime-state globals that lower-to-llvm adds")
    t0 = time.perf_counter()
    tm = create_target_machine(opt_level, jit=True)
    text = _llvm_ir_text(module, tm)
    t1 = time.perf_counter()
    mod = _parse_and_optimize(text, tm, opt_level)
    t2 = time.perf_counter()
    obj = tm.emit_object(mod)
    native = load_object(obj, _signatures(module), ir_text=text)
    t3 = time.perf_counter()
    last_stats.convert_s, last_stats.optimize_s, last_stats.codegen_s = t1 - t0, t2 - t1, t3 - t2
    if depth_limit is not None:
        native.depth_limit = depth_limit
    return native


def load_object(obj: bytes, signatures: list, ir_text: str = "") -> NativeModule:
    """A NativeModule from an object file made by compile_module / emit_object (needs llvmlite only).

    `signatures` are the tuples of `_signatures(module)` / `NativeModule.signatures`:
    (ruff name, symbol, arg types, result type or None, func id); lists (e.g. from JSON) are accepted.
    """
    sigs = [(s[0], s[1], tuple(s[2]), s[3], s[4]) for s in signatures]
    engine = llb.create_mcjit_compiler(llb.parse_assembly(""), create_target_machine(3, jit=True))
    engine.add_object_file(llb.ObjectFileRef.from_data(obj))
    engine.finalize_object()
    native = NativeModule(engine, None, sigs, ir_text)
    native.object_code = obj
    return native


def compile_ruff_module(module: Any, pipeline: str = "lower-to-llvm", opt_level: int = 3, depth_limit: int | None = None) -> NativeModule:
    """Run `pipeline` (which must end in the llvm dialect) on a ruff-dialect module, then compile it."""
    from ruff.passes import run_pipeline

    run_pipeline(module, pipeline)
    return compile_module(module, opt_level, depth_limit)


def compile_ruff_text(text: str, pipeline: str = "lower-to-llvm", opt_level: int = 3) -> NativeModule:
    """Parse ruff-dialect (or llvm-dialect) MLIR text and compile it."""
    from ruff.dialects.context import parse_module

    return compile_ruff_module(parse_module(text), pipeline, opt_level)


__all__ = [
    "NativeError", "NativeFunction", "NativeModule", "compile_module", "load_object", "compile_ruff_module", "compile_ruff_text",
    "emit_llvm_ir", "emit_asm", "emit_object", "create_target_machine", "thread_stack_limit",
]  # fmt: skip
