"""On-stack replacement for hot loops: a loop in top-level code or in a function called once goes native.

When a loop's back-edge has run often enough, the executor hands the loop to `plan_loop`: the bytecode from
the loop header to its back-edge is outlined into a synthetic chunk whose parameters are the variables the
loop uses (frame locals and top-level globals) and which returns, in one array, the final value of every
variable the loop writes that is live after it. The native tier compiles it like any hot function,
specialized for the kinds of the current values; the executor calls it once through its Python entry point,
writes the results back into the frame and the globals, and continues after the loop.

The loop may work on objects: it runs once, so each side effect happens once; a guard that fails inside it
deoptimizes into the outlined chunk (interpreted from there to its end, still returning all outputs). An
error raised inside it propagates with the variables' last values lost — so loops whose variables could be
seen after an error are refused: loops in a function that catches errors (`try`), and loops writing globals
outside a module's top level. A loop that keeps a global in a variable must not call code that reads or
writes that global behind its back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Instr, Op
from ruff.frontend.cfg import JUMPS, ControlFlow, loop_exit_live
from ruff.runtime.values import Closure

# Inside a loop these leave the loop's frame or need the executor: such loops stay in the baseline.
UNSUPPORTED = frozenset({
    Op.Return, Op.Yield, Op.BeginTry, Op.EndTry, Op.Throw, Op.DefineGlobal, Op.MakeCell, Op.LoadDeref,
    Op.StoreDeref, Op.StoreUpvalue, Op.Import, Op.ImportFrom, Op.RegisterTest, Op.Spawn, Op.Await, Op.TryUnwrap})
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
    Op.MakeNone, Op.MatchPattern, Op.BuildString, Op.Nop, Op.MakeIterator})
# `for x in range(...)`: the loop's own iterator becomes two integer variables, the next value and the end.
CUR, STOP = "$cur", "$stop"
# `for x in array`: the loop's own list iterator is a variable of the outlined loop, which pushes it where
# the loop header expects it (the IteratorNext stays: native code calls PyIter_Next).
ITER = "$iter"
REFUSED_ITERATION = "the loop iterates over something other than a range or an array"
# The outlined loop also counts its iterations (returned last), so the JIT sees a loop entered again and
# again for a few iterations each, which costs more to enter natively than to run in the baseline.
COUNT = "$iterations"


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
    variables: list[LoopVar]  # parameters of the outlined function, in order
    outputs: list[LoopVar]  # what it returns, in this order, in one array
    outlined: Optional[Chunk] = None
    native: Any = None  # its NativeEntry, filled by the JIT
    range_step: Optional[int] = None  # for a `for` over a range: its step (the iterator is on the stack)
    over_array: bool = False  # a `for` over an array: its list iterator (on the stack) is a variable
    runs: int = 0  # times the native loop ran, and its iterations in all
    iterations: int = 0


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


def is_list_iterator(it: Any) -> bool:
    return type(it) is _LIST_ITERATOR


_LIST_ITERATOR = type(iter([]))


def plan_loop(chunk: Chunk, back_edge: int, frame_locals: list, globals_: dict, frame_stack: list) -> LoopPlan:
    """Outline the loop closed by the JumpBack at `back_edge`; raises OSRRefused with a reason."""
    code = chunk.code
    header = code[back_edge].arg
    exit_ = loop_end(chunk, back_edge) + 1
    step = None
    over_array = False
    if code[header].op is Op.IteratorNext:
        state = range_state(frame_stack[-1]) if frame_stack else None
        if state is not None:
            step = state[2]
        elif frame_stack and is_list_iterator(frame_stack[-1]):
            over_array = True
        else:
            raise OSRRefused(REFUSED_ITERATION)
    region = code[header + 1 if step is not None else header:exit_]
    used: dict[tuple[str, Any], LoopVar] = {}
    used[("count", COUNT)] = LoopVar("count", COUNT, COUNT)
    if step is not None:
        used[("iter", CUR)] = LoopVar("iter", CUR, CUR)
        used[("iter", STOP)] = LoopVar("iter", STOP, STOP)
    if over_array:
        used[("iter", ITER)] = LoopVar("iter", ITER, ITER)
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
    if any(ins.op is Op.BeginTry for ins in code):
        raise OSRRefused("the function catches errors, which would see the loop's variables as they were")
    global_vars = {v.key for v in variables if v.kind == "global"}
    if any(v.kind == "global" for v in variables if (v.kind, v.key) in written) and chunk.name != TOP_LEVEL:
        raise OSRRefused("the loop writes a global outside the top level")
    if global_vars:
        hidden = globals_touched_by_calls(region, callees, globals_)
        if hidden is None:
            raise OSRRefused("the loop keeps globals in variables and calls code the JIT cannot see into")
        if hidden & global_vars:
            raise OSRRefused(f"the loop keeps global {sorted(hidden & global_vars)[0]} in a variable and calls "
                             "code that uses it")
    # A local that is dead where the loop is left needs no function to return it. "Dead" is liveness, not
    # "not read outside the loop": an outer loop may come back into this one and read it there.
    live_out = loop_exit_live(chunk, header, exit_)
    outputs = [v for v in variables if (v.kind, v.key) in written and (v.kind != "local" or v.key in live_out)]
    plan = LoopPlan(chunk, header, exit_, variables, outputs, range_step=step, over_array=over_array)
    plan.outlined = outline(chunk, header, exit_, variables, outputs, step, over_array)
    return plan


TOP_LEVEL = "<script>"  # the chunk name of a module's top-level code


def globals_touched_by_calls(region: list, callees: set[str], globals_: dict) -> Optional[set[str]]:
    """The globals the functions a loop calls read or write (transitively), or None when the loop makes a
    call the bytecode does not name (a method, a function value in a variable)."""
    if any(ins.op in (Op.CallMethod, Op.CallSpread) for ins in region):
        return None
    touched: set[str] = set()
    seen: set[int] = set()
    todo = [globals_[name].chunk for name in callees if type(globals_.get(name)) is Closure]
    while todo:
        c = todo.pop()
        if id(c) in seen:
            continue
        seen.add(id(c))
        for ins in c.code:
            if ins.op in (Op.LoadGlobal, Op.StoreGlobal):
                touched.add(ins.arg)
                value = globals_.get(ins.arg)
                if type(value) is Closure:
                    todo.append(value.chunk)
            elif ins.op in (Op.CallMethod, Op.CallSpread, Op.MakeClosure):
                return None
    return touched


def current_value(var: LoopVar, frame_locals: list, globals_: dict, range_now: Optional[tuple],
                  frame_stack: list) -> Any:
    """A loop variable's value now; `range_now` is the loop's range iterator state (for `for` loops)."""
    if var.kind == "local":
        return frame_locals[var.key]
    if var.kind == "global":
        return globals_.get(var.key)
    if var.kind == "count":
        return 0
    if var.key == ITER:
        return frame_stack[-1]
    if range_now is None:
        return None
    return range_now[0] if var.key == CUR else range_now[1]


def outline(chunk: Chunk, header: int, exit_: int, variables: list[LoopVar], outputs: list[LoopVar],
            step: Optional[int], over_array: bool = False) -> Chunk:
    """A chunk taking `variables`, running the loop, and returning the outputs' final values in an array."""
    slot_of: dict[tuple[str, Any], int] = {(v.kind, v.key): i for i, v in enumerate(variables)}
    names = [v.name for v in variables]
    line = chunk.code[header].line
    owner = chunk.loop_of or chunk.name  # a loop inside an outlined loop belongs to the same function
    new = Chunk(name=f"{owner}:loop@{line}", params=list(names), filename=chunk.filename, line=line,
                loop_of=owner)
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
    count, one = slot_of[("count", COUNT)], new.add_constant(1)
    code = [Instr(Op.LoadLocal, count, line), Instr(Op.LoadConst, one, line), Instr(Op.Add, None, line),
            Instr(Op.StoreLocal, count, line)] + code
    top = 0  # where the loop's back-edges go
    if over_array:  # the iterator, where the loop's IteratorNext finds it (and pops it at the exit)
        code = [Instr(Op.LoadLocal, slot_of[("iter", ITER)], line)] + code
        top = 1
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
            arg = "exit" if arg == exit_ else (top if arg == header else arg - header + shift)
        elif op is Op.Pop and step is not None and k + 1 < len(region) and region[k + 1].op is Op.Jump \
                and region[k + 1].arg == exit_:
            op = Op.Nop  # `break` pops the range iterator, which the outlined loop does not have
        code.append(Instr(op, arg, ins.line, ins.col))
    epilogue = len(code)
    code = [Instr(i.op, epilogue, i.line, i.col) if i.arg == "exit" else i for i in code]
    for output in outputs:
        code.append(Instr(Op.LoadLocal, slot_of[(output.kind, output.key)], line, 0))
    code.append(Instr(Op.LoadLocal, count, line, 0))
    code.append(Instr(Op.MakeArray, len(outputs) + 1, line, 0))
    code.append(Instr(Op.Return, None, line, 0))
    new.code = code
    new.num_locals = len(variables)
    new.local_names = names
    new.param_defaults = [False] * len(variables)
    return new


MISSED = object()  # run_plan's answer when the native code does not fit the current values


def loop_arguments(plan: LoopPlan, frame_locals: list, globals_: dict, frame_stack: list) -> Optional[list]:
    """The outlined loop's arguments from the frame's current state (None: the range iterator is not the
    one the plan was made for)."""
    range_now = None
    if plan.range_step is not None:
        range_now = range_state(frame_stack[-1]) if frame_stack else None
        if range_now is None or range_now[2] != plan.range_step:
            return None
    if plan.over_array and not (frame_stack and is_list_iterator(frame_stack[-1])):
        return None
    return [current_value(var, frame_locals, globals_, range_now, frame_stack) for var in plan.variables]


def run_plan(plan: LoopPlan, args: list, depth: int, fallbacks: tuple) -> Any:
    """Run the native loop on `args` in a frame at `depth`: (variable, new value) pairs, or MISSED to stay in
    the baseline (`fallbacks`: the entry point's two answers for that). A Ruff error inside it propagates.

    The outlined loop is part of the frame, not a call: its native function enters at the frame's depth."""
    result = plan.native.pyfunc(None, depth, *args)
    if result is fallbacks[0] or result is fallbacks[1]:  # a guard failed (or native code stood aside)
        return MISSED
    plan.runs += 1
    plan.iterations += result[-1]
    return zip(plan.outputs, result)
