"""Readable listing of compiled bytecode (`ruff disasm FILE`)."""

from __future__ import annotations

from ruff.frontend.bytecode import Chunk, Op
from ruff.frontend.cfg import JUMPS


def _describe_arg(chunk: Chunk, op: Op, arg: object) -> str:
    if arg is None:
        return ""
    if op in (Op.LoadConst, Op.MakeClosure, Op.MakeStructDef, Op.MakeEnumDef, Op.MatchPattern):
        c = chunk.constants[arg]
        if isinstance(c, Chunk):
            return f"{arg} (<fn {c.name}>)"
        if op is not Op.LoadConst:
            return f"{arg} ({type(c).__name__} {getattr(c, 'name', getattr(c, 'kind', ''))})"
        return f"{arg} ({c!r})"
    if op in (Op.LoadLocal, Op.StoreLocal, Op.LoadDeref, Op.StoreDeref, Op.MakeCell):
        name = chunk.local_names[arg] if arg < len(chunk.local_names) else "?"
        return f"{arg} ({name})"
    if op in (Op.LoadUpvalue, Op.StoreUpvalue):
        return f"{arg} ({chunk.upvalues[arg].name})"
    if op in JUMPS:
        return f"-> {arg}"
    return repr(arg)


def disassemble(chunk: Chunk) -> str:
    lines = []
    for c in chunk.all_chunks():
        header = f"== {c.name}({', '.join(c.params)}) =="
        flags = [f for f, on in (("generator", c.is_generator), ("async", c.is_async)) if on]
        if flags:
            header += " [" + ", ".join(flags) + "]"
        lines.append(header)
        lines.append(f"   locals: {c.num_locals}  cells: {sorted(c.cell_slots)}  upvalues: "
                     f"{[u.name for u in c.upvalues]}")
        prev_line = -1
        for i, ins in enumerate(c.code):
            line = f"{ins.line:4d}" if ins.line != prev_line else "   |"
            prev_line = ins.line
            lines.append(f"{i:5d} {line}  {ins.op.name:<16} {_describe_arg(c, ins.op, ins.arg)}".rstrip())
        lines.append("")
    return "\n".join(lines)
