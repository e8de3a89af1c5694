"""On-stack replacement for hot loops: a loop in top-level code or in a function called once goes native.

When a loop's back-edge has run often enough, the executor hands the loop to `plan_loop`: the bytecode from
the loop header to its back-edge is outlined into synthetic chunks whose parameters are the variables the
loop uses — frame locals and top-level globals, all of which must hold int/float/bool right now — and the
native tier compiles them like any hot function. The executor then calls them with the current values,
writes the results back into the frame and the globals, and continues after the loop.

A native function returns one scalar, so the plan holds one outlined function per variable the loop writes,
each returning that variable's final value. Outlined loops are pure numeric code (anything else is refused
by the lifter and specializer), so running the loop once per result gives exactly the state one run
would; an error in native code leaves the frame untouched and the loop simply continues in the baseline,
which then raises the Ruff error itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.passes.abi import NativeError
from ruff.frontend.bytecode import Chunk, Instr, Op
from ruff.frontend.cfg import JUMPS, ControlFlow, loop_exit_live

# Inside a loop these leave the loop's frame or need the executor: such loops stay in the baseline.
UNSUPPORTED = frozenset({
    Op.Return, Op.Yield, Op.BeginTry, Op.EndTry, Op.Throw, Op.DefineGlobal, Op.MakeCell, Op.LoadDeref,
    Op.StoreDeref, Op.StoreUpvalue, Op.Import, Op.ImportFrom, Op.RegisterTest, Op.MakeIterator, Op.IteratorNext,
    Op.Spawn, Op.Await, Op.TryUnwrap})
# What `outline` does with the other opcodes: frame variables become the outlined function's parameters,
# jumps are retargeted, everything else is copied as it is (the lifter then decides what it can compile).
VARIABLES = frozenset({Op.LoadLocal, Op.StoreLocal, Op.LoadGlobal, Op.StoreGlobal})
RETARGETED = JUMPS - UNSUPPORTED
COPIED = frozenset({
    Op.LoadConst, Op.Pop, Op.Dup, Op.Swap, Op.LoadUpvalue, Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Mod, Op.Negate,
    Op.Not, Op.Truthy, Op.Equal, Op.NotEqual, Op.LessThan, Op.GreaterThan, Op.LessEqual, Op.GreaterEqual,
    Op.Call, Op.CallMethod, Op.CallSpread, Op.MakeClosure, Op.MakeArray, Op.MakeDict, Op.SpreadArray,
    Op.ArrayPush, Op.SpreadDict, Op.DictInsert, Op.IndexGet, Op.IndexSet, Op.FieldGet, Op.FieldGetOpt,
    Op.FieldSet, Op.MakeStructDef, Op.MakeStruct, Op.MakeEnumDef, Op.MakeOk, Op.MakeErr, Op.MakeSome,
    Op.MakeNone, Op.MatchPattern, Op.BuildString, Op.Nop})
# `for x in range(...)`: the loop's own iterator becomes two integer variables, the next value and the end.
CUR, STOP = "$cur", "$stop"
SCALARS = (int, float, bool)


class OSRRefused(Exception):
    pass


@dataclass(frozen=True)
class LoopVar:
    kind: str  # "local" or "global"
    key: Any  # slot number or global name
    name: str


@dataclass
class LoopPlan:
    chunk: Chunk  # the function the loop is in
    header: int
    exit: int
    variables: list[LoopVar]  # parameters of every outlined function, in order
    outputs: list[LoopVar]  # one outlined function per output
    outlined: list[Chunk] = field(default_factory=list)
    natives: list[Any] = field(default_factory=list)  # NativeEntry per output, filled by the JIT
    types: tuple = ()
    range_step: Optional[int] = None  # for a `for` over a range: its step (the iterator is on the stack)


def loop_end(chunk: Chunk, back_edge: int) -> int:
    """The loop's final back-edge: `continue` jumps back to the header too, from inside the body."""
    flow = ControlFlow(chunk)
    return flow.last_back_edge(flow.at[chunk.code[back_edge].arg])


def range_state(it: Any) -> Optional[tuple[int, int, int]]:
    """(next value, stop, step) of a live range iterator, or None for any other iterator."""
    if type(it).__name__ != "range_iterator":
        return None
    _, (rng,), index = it.__reduce__()
    return rng.start + index * rng.step, rng.stop, rng.step


def plan_loop(chunk: Chunk, back_edge: int, frame_locals: list, globals_: dict, frame_stack: list) -> LoopPlan:
    """Outline the loop closed by the JumpBack at `back_edge`; raises OSRRefused with a reason."""
    code = chunk.code
    header = code[back_edge].arg
    exit_ = loop_end(chunk, back_edge) + 1
    step = None
    if code[header].op is Op.IteratorNext:
        state = range_state(frame_stack[-1]) if frame_stack else None
        if state is None:
            raise OSRRefused("the loop iterates over something other than a range")
        step = state[2]
    region = code[header + 1 if step is not None else header:exit_]
    used: dict[tuple[str, Any], LoopVar] = {}
    if step is not None:
        used[("iter", CUR)] = LoopVar("iter", CUR, CUR)
        used[("iter", STOP)] = LoopVar("iter", STOP, STOP)
    written: set[tuple[str, Any]] = set()
    callees: set[str] = set()
    for ins in region:
        op = ins.op
        if op in UNSUPPORTED:
            raise OSRRefused(f"the loop uses {op.name}")
        if op in RETARGETED:
            if not header <= ins.arg <= exit_:
                raise OSRRefused("the loop jumps out to somewhere other than its exit")
        if op in (Op.LoadLocal, Op.StoreLocal):
            key = ("local", ins.arg)
            used.setdefault(key, LoopVar("local", ins.arg, chunk.local_names[ins.arg]))
            if op is Op.StoreLocal:
                written.add(key)
        elif op in (Op.LoadGlobal, Op.StoreGlobal):
            value = globals_.get(ins.arg)
            if op is Op.LoadGlobal and (ins.arg not in globals_ or type(value).__name__ in ("Closure", "Builtin")):
                callees.add(ins.arg)  # a function or builtin stays a global load (the lifter decides on calls)
                continue
            key = ("global", ins.arg)
            used.setdefault(key, LoopVar("global", ins.arg, ins.arg))
            if op is Op.StoreGlobal:
                written.add(key)
    if callees & {key for kind, key in written if kind == "global"}:
        raise OSRRefused("the loop rebinds a global it also calls")
    variables = list(used.values())
    types = []
    range_now = range_state(frame_stack[-1]) if step is not None else None
    for var in variables:
        value = current_value(var, frame_locals, globals_, range_now)
        if type(value) not in SCALARS:
            raise OSRRefused(f"loop variable {var.name} holds {type(value).__name__}, not a number")
        types.append(type(value))
    # A local that is dead where the loop is left needs no function to return it. "Dead" is liveness, not
    # "not read outside the loop": an outer loop may come back into this one and read it there.
    live_out = loop_exit_live(chunk, header, exit_)
    outputs = [v for v in variables if (v.kind, v.key) in written and (v.kind != "local" or v.key in live_out)]
    if not outputs:
        raise OSRRefused("the loop writes no variable")
    plan = LoopPlan(chunk, header, exit_, variables, outputs, types=tuple(types), range_step=step)
    plan.outlined = [outline(chunk, header, exit_, variables, out, step) for out in outputs]
    return plan


def current_value(var: LoopVar, frame_locals: list, globals_: dict, range_now: Optional[tuple]) -> Any:
    """A loop variable's value now; `range_now` is the loop's range iterator state (for `for` loops)."""
    if var.kind == "local":
        return frame_locals[var.key]
    if var.kind == "global":
        return globals_.get(var.key)
    if range_now is None:
        return None
    return range_now[0] if var.key == CUR else range_now[1]


def outline(chunk: Chunk, header: int, exit_: int, variables: list[LoopVar], output: LoopVar,
            step: Optional[int]) -> Chunk:
    """A chunk taking `variables`, running the loop, and returning `output`'s final value."""
    slot_of: dict[tuple[str, Any], int] = {(v.kind, v.key): i for i, v in enumerate(variables)}
    names = [v.name for v in variables]
    line = chunk.code[header].line
    new = Chunk(name=f"{chunk.name}:loop@{line}->{output.name}", params=list(names), filename=chunk.filename,
                line=line)
    new.constants = list(chunk.constants)  # same indices, plus the range step below
    code: list[Instr] = []
    body_start = header
    if step is not None:
        # The range iterator's `IteratorNext exit`: test, push the value, advance.
        cur, stop = slot_of[("iter", CUR)], slot_of[("iter", STOP)]
        step_const = new.add_constant(step)
        code += [Instr(Op.LoadLocal, cur, line), Instr(Op.LoadLocal, stop, line),
                 Instr(Op.LessThan if step > 0 else Op.GreaterThan, None, line),
                 Instr(Op.JumpIfFalse, "exit", line),
                 Instr(Op.LoadLocal, cur, line), Instr(Op.LoadLocal, cur, line), Instr(Op.LoadConst, step_const, line),
                 Instr(Op.Add, None, line), Instr(Op.StoreLocal, cur, line)]
        body_start = header + 1
    shift = len(code) - (body_start - header)
    region = chunk.code[body_start:exit_]
    for k, ins in enumerate(region):
        op, arg = ins.op, ins.arg
        if op in (Op.LoadLocal, Op.StoreLocal):
            arg = slot_of[("local", arg)]
        elif op in (Op.LoadGlobal, Op.StoreGlobal) and ("global", arg) in slot_of:
            op = Op.LoadLocal if op is Op.LoadGlobal else Op.StoreLocal
            arg = slot_of[("global", ins.arg)]
        elif op in RETARGETED:
            arg = "exit" if arg == exit_ else (0 if arg == header else arg - header + shift)
        elif op is Op.Pop and step is not None and k + 1 < len(region) and region[k + 1].op is Op.Jump \
                and region[k + 1].arg == exit_:
            op = Op.Nop  # `break` pops the range iterator, which the outlined loop does not have
        code.append(Instr(op, arg, ins.line, ins.col))
    epilogue = len(code)
    code = [Instr(i.op, epilogue, i.line, i.col) if i.arg == "exit" else i for i in code]
    code.append(Instr(Op.LoadLocal, slot_of[(output.kind, output.key)], line, 0))
    code.append(Instr(Op.Return, None, line, 0))
    new.code = code
    new.num_locals = len(variables)
    new.local_names = names
    new.param_defaults = [False] * len(variables)
    return new


STACK_LIMIT = object()  # run_plan's answer when native code met the depth limit


def run_plan(plan: LoopPlan, frame_locals: list, globals_: dict, frame_stack: list, depth: int) -> Any:
    """Run the native loop on the current values of a frame at `depth`; the new values by variable, or None
    to stay in the baseline (STACK_LIMIT when that is because native code met the depth limit).

    The outlined loop is part of the frame, not a call: its native function enters at the frame's depth."""
    range_now = None
    if plan.range_step is not None:
        range_now = range_state(frame_stack[-1]) if frame_stack else None
        if range_now is None or range_now[2] != plan.range_step:
            return None
    args = []
    for var, t in zip(plan.variables, plan.types):
        value = current_value(var, frame_locals, globals_, range_now)
        if type(value) is not t:
            return None
        args.append(value)
    results = {}
    for var, native in zip(plan.outputs, plan.natives):
        try:
            raw = native.function.call_at(depth - 1, *args)
        except NativeError as e:  # nothing was written back yet; the baseline takes over
            return STACK_LIMIT if e.kind == "stack_overflow" else None
        results[var] = native.box(raw)
    return results
