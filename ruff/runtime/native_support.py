"""What native object code calls back into: deoptimization, generic operations, and error frames.

Native code (ruff/passes/_object_lowering.py) calls these through CPython's vectorcall, finding them and
the sites they take in its module's object table. Every one runs exactly what the baseline would:

- `deopt(site, depth, *values)`: native code cannot go on (a guard failed, an index is out of range, an
  integer overflowed). The interpreter takes the call over at the site's bytecode position, with the
  frame state native code had there (locals by slot, then the operand stack), and runs it to its end; its
  result is the call's result. Nothing native code did is done again.
- `op(site, depth, *operands)`: a boxed operation native code has no lowering for: bytecode instruction
  `site.ip` of the function, run on these operands exactly as the interpreter runs it.
- `frame(error, depth, site)`: an error is leaving a native frame. Native frames are not Python frames,
  so the error records them (by depth); the tiers' traces put them in the Ruff stack where they belong,
  and a stack already traced gets them inserted (ruff/runtime/native_frames.py).

Keys of the object table name these and their sites (the lowering makes them, `resolve` turns them into
objects when the code is loaded; see ObjectResolver).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from ruff.frontend.bytecode import Chunk, Op
from ruff.runtime import ops
from ruff.runtime.native_frames import place_native_frame
from ruff.runtime.dict_keys import text_key
from ruff.runtime.int_texts import int_texts
from ruff.runtime.objects import index_get, stack_overflow
from ruff.runtime.values import Closure, Module, new_closure, RuffError, StructInstance, StructType, field_names, truthy
from ruff.runtime.vm import StubFrame


@dataclass(frozen=True)
class DeoptSite:
    """Where a native function hands over to the interpreter: a bytecode position and the frame layout."""

    closure: Closure
    ip: int
    slots: tuple[int, ...]  # local slots of the first values; the rest is the operand stack
    stack: int
    reason: str = ""  # what fails there, for --jit-log ("type guard failed: ...", "integer overflow")


@dataclass(frozen=True)
class OpSite:
    """A bytecode instruction native code runs through the runtime."""

    closure: Closure
    ip: int


@dataclass(frozen=True)
class FrameSite:
    """A native frame an error leaves: the function and the line of the operation that failed."""

    name: str
    filename: str
    line: int
    col: int
    in_frame: bool = False  # a loop outlined by ruff.osr: it stands for the frame it was running in


_BINARY = {Op.Add: "+", Op.Sub: "-", Op.Mul: "*", Op.Div: "/", Op.Mod: "%", Op.Equal: "==", Op.NotEqual: "!=",
           Op.LessThan: "<", Op.GreaterThan: ">", Op.LessEqual: "<=", Op.GreaterEqual: ">="}


class NativeSupport:
    """The runtime's side of native object code, for one VM (the tier running the program)."""

    def __init__(self, vm: Any) -> None:
        self.vm = vm
        self.cached_classes: set[type] = set()  # struct classes native field accesses have cached

    def deopt(self, site: DeoptSite, depth: int, *values: Any) -> Any:
        jit = getattr(self.vm, "jit", None)
        if jit is not None:
            jit.deoptimized(site.closure.chunk, site.ip, site.reason)
        n = len(site.slots)
        chunk = site.closure.chunk
        locals_: list = [None] * chunk.num_locals
        for slot, value in zip(site.slots, values[:n]):
            locals_[slot] = value
        return self.vm.resume_at(site.closure, site.ip, locals_, list(values[n:]), depth)

    def op(self, site: OpSite, depth: int, *operands: Any) -> Any:
        vm = self.vm
        saved = vm._offset
        vm.note_native_depth(depth)  # Ruff code this runs (an overloaded operator, a callee) runs above it
        try:
            return self._op(vm, site, operands)
        finally:
            vm._offset = saved

    @staticmethod
    def _op(vm: Any, site: OpSite, operands: tuple) -> Any:
        ins = site.closure.chunk.code[site.ip]
        op, arg = ins.op, ins.arg
        sym = _BINARY.get(op)
        if sym is not None:
            a, b = operands
            if isinstance(a, StructInstance):
                method = a.type.methods.get(ops.OVERLOAD_METHOD[sym])
                if method is not None:
                    return vm.call(method, [a, b])
            return ops.BINARY[sym](a, b)
        if op is Op.Call:
            return vm.call(operands[0], list(operands[1:]))
        if op is Op.CallMethod:
            fn, args = vm.resolve_method(operands[0], arg[0], list(operands[1:]))
            return vm.call(fn, args)
        if op is Op.IndexGet:
            return index_get(*operands)
        if op is Op.Truthy or op is Op.JumpIfFalse or op is Op.JumpIfTrue:  # a branch's condition
            return truthy(operands[0])
        frame = StubFrame(site.closure, list(operands))
        vm.slow_op(frame, int(op), arg)
        return frame.stack[-1] if frame.stack else None

    def field_offset(self, obj: Any, field: str) -> int:
        """Where native code finds `field` in obj: its byte offset when obj is a struct instance with that
        field (the same for every instance of obj's class), else -1. Native code caches the class by its
        address, so the class is kept alive: another class at the same address would have another layout."""
        if isinstance(obj, StructInstance) and field in obj.type.slots:
            self.cached_classes.add(type(obj))
            return obj.type.field_offset(field)
        return -1

    def frame(self, error: BaseException, depth: int, site: FrameSite) -> None:
        if isinstance(error, RuffError):
            place_native_frame(error, depth, site.name, site.filename, site.line, site.col, site.in_frame)


class ObjectResolver:
    """Turns the keys of a native module's object table into the objects they name.

    chunks: the lifted functions by symbol (the root and every function it calls directly)."""

    def __init__(self, support: NativeSupport, chunks: dict[str, Chunk], module: Module) -> None:
        self.support, self.chunks, self.module = support, chunks, module

    def closure(self, symbol: str) -> Closure:
        return new_closure(self.chunks[symbol], [], self.module)

    def resolve(self, text: str) -> Any:
        key = json.loads(text)
        kind = key[0]
        if kind == "support":
            return getattr(self.support, key[1])
        if kind == "literal":
            value = key[1]
            if isinstance(value, str):
                return sys.intern(value)  # an attribute name: CPython's type attribute cache takes only interned ones
            return float(value["float"]) if isinstance(value, dict) else value
        if kind == "deopt":
            return DeoptSite(self.closure(key[1]), key[2], tuple(key[3]), key[4], key[5] if len(key) > 5 else "")
        if kind == "op":
            return OpSite(self.closure(key[1]), key[2])
        if kind == "class":  # a runtime class native code checks instances against
            return {"StructInstance": StructInstance, "StructType": StructType}[key[1]]
        if kind == "int_texts":  # the shared texts of small ints (to_string)
            return int_texts()
        if kind == "text_key":  # the stored form of a string dict key
            return text_key
        if kind == "globals":  # the module's globals dict, which native global reads look in
            return self.module.globals
        if kind == "fields":  # the one tuple of these field names (a struct type with them holds it)
            return field_names(key[1])
        if kind == "refuse":
            return partial(_refuse, self.chunks[key[1]].name)
        if kind == "frame":
            chunk, ip, line = self.chunks[key[1]], key[2], key[3]
            name, in_frame = chunk.loop_of or chunk.name, chunk.loop_of is not None
            if 0 <= ip < len(chunk.code):  # the instruction knows its line and column
                return FrameSite(name, chunk.filename, chunk.code[ip].line, chunk.code[ip].col, in_frame)
            return FrameSite(name, chunk.filename, line or chunk.line, 0, in_frame)
        raise ValueError(f"unknown object key {text}")


def _refuse(name: str) -> None:
    raise stack_overflow(name)


ResolveFn = Callable[[str], Any]
