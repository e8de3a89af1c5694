"""Native code as a shared library, so that a cached function loads with ctypes alone.

Loading an object file needs MCJIT, and importing llvmlite costs ~30 ms — as much as a whole short
program. When a C compiler driver is on the machine, the cache also keeps the code linked into a `.so`
(position-independent object from LLVM, linked by `cc -shared`); a later run opens it with ctypes in well
under a millisecond. Without a C compiler the object file and MCJIT are used, as before.
"""

from __future__ import annotations

import ctypes
import os
from typing import Optional

from ruff.backend.native import NativeModule


class _Library:
    """The two look-ups NativeModule needs, answered from a loaded shared library."""

    def __init__(self, path: str) -> None:
        self.lib = ctypes.CDLL(path)

    def get_function_address(self, symbol: str) -> int:
        return ctypes.cast(getattr(self.lib, symbol), ctypes.c_void_p).value or 0

    def get_global_value_address(self, symbol: str) -> int:
        return ctypes.addressof(ctypes.c_int64.in_dll(self.lib, symbol))


def load_shared_library(path: str, signatures: list) -> NativeModule:
    sigs = [(s[0], s[1], tuple(s[2]), s[3], s[4]) for s in signatures]
    return NativeModule(_Library(path), None, sigs)


def c_compiler() -> Optional[str]:
    import shutil

    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def build_shared_library(ir_text: str, out_path: str) -> bool:
    """Compile LLVM IR (as lower-to-llvm made it) into a shared library at out_path; False if impossible."""
    cc = c_compiler()
    if cc is None or not ir_text:
        return False
    import shutil
    import subprocess
    import tempfile

    import llvmlite.binding as llb

    from ruff.backend.jit import _init, _parse_and_optimize, host_cpu

    _init()
    cpu, features = host_cpu()
    target = llb.Target.from_triple(llb.get_process_triple())
    tm = target.create_target_machine(cpu=cpu, features=features, opt=3, reloc="pic", codemodel="small")
    module = _parse_and_optimize(ir_text, tm, 3)
    # Our own definitions cannot be replaced by another library's: "protected" lets the code reach its
    # globals (the error slot, read after every call) and functions directly instead of through the GOT,
    # while ctypes still finds them by name. (Three times faster on recursive code.)
    for value in (*module.functions, *module.global_variables):
        if not value.is_declaration and value.linkage.name == "external":
            value.visibility = "protected"
    obj = tm.emit_object(module)
    with tempfile.TemporaryDirectory() as tmp:
        obj_path = os.path.join(tmp, "code.o")
        with open(obj_path, "wb") as f:
            f.write(obj)
        so_tmp = os.path.join(tmp, "code.so")
        proc = subprocess.run([cc, "-shared", "-nostdlib", "-o", so_tmp, obj_path], capture_output=True)
        if proc.returncode != 0:
            return False
        shutil.move(so_tmp, out_path)
    return True
