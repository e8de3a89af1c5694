"""The reference interpreter: runs Ruff bytecode one instruction at a time.

This module is the dispatch loop and the frames it runs; what every tier does with values (indexing,
fields, structs, iteration, patterns, the errors they raise) is ruff.runtime.objects.

A Ruff call pushes a Frame on the VM's own frame list; it is not a Python recursion, so Ruff
recursion depth is limited by MAX_FRAMES, not by Python's stack. Python recursion happens only
when a builtin calls back into Ruff (map, filter, sort, ...) and when a generator is resumed.

This executor is the reference semantics of the project; the other tiers are checked against it.
"""

from __future__ import annotations

import random as _random
import sys
from typing import Any, Callable, Optional

from ruff.frontend.bytecode import Chunk, EnumInfo, MatchPat, Op, StructInfo
from ruff.limits import MAX_FRAMES
from ruff.runtime import ops
from ruff.runtime.native_frames import with_native_frames
from ruff.runtime.objects import (
    array_push, await_value, dict_key, error_value, field_set, index_get, index_set, make_iterator, make_struct,
    match_pattern, non_callable_message, python_stack_overflow, stack_overflow, thrown,
)
from ruff.runtime.values import (
    NONE_VALUE, BoundMethod, Builtin, Closure, EnumType, EnumValue, ErrorObject, Module, RuffError,
    StructInstance, StructType, VariantConstructor, display, new_closure, set_running_runtime, truthy, type_name,
)


_OP_OF = {int(o): o for o in Op}  # slow_op gets the int; Op(int) is an enum call each time

class Frame:
    # depth: the frame's Ruff depth, set when it is pushed (frames below native code that runs Ruff code
    # through the runtime keep theirs while _offset counts from the native frame: see unwind). resumed: set
    # (True) only on a frame native code deoptimized into (resume_at).
    __slots__ = ("closure", "chunk", "code", "consts", "ip", "locals", "stack", "handlers", "module", "generator",
                 "depth", "resumed")

    def __init__(self, closure: Closure, args: list) -> None:
        chunk = closure.chunk
        self.closure = closure
        self.chunk = chunk
        self.code = chunk.decoded
        self.consts = chunk.constants
        self.ip = 0
        n = len(args)
        if n < chunk.num_locals:
            args = args + [None] * (chunk.num_locals - n)
        self.locals = args
        self.stack: list = []
        self.handlers: list = []  # (handler ip, stack depth)
        self.module = closure.module
        self.generator = None


class StubFrame:
    """What VM.slow_op reads of a frame, for the few operations other tiers hand to it (the fast tier's
    generated code, native code's boxed operations): the function and the operands, nothing else."""

    __slots__ = Frame.__slots__

    def __init__(self, closure: Closure, stack: list) -> None:
        self.closure = closure
        self.chunk = closure.chunk
        self.code = [(int(Op.Return), None)]
        self.consts = closure.chunk.constants
        self.ip = 0
        self.locals = []
        self.stack = stack
        self.handlers = []
        self.module = closure.module
        self.generator = None


def decode(chunk: Chunk) -> list:
    """(opcode int, arg) pairs: faster to dispatch on than Instr objects."""
    return [(int(i.op), i.arg) for i in chunk.code]


class Generator:
    """A suspended generator frame; a Python iterator, so `for` and builtins can drive it."""

    __slots__ = ("vm", "frame")
    ruff_type_name = "generator"

    def __init__(self, vm: "VM", frame: Frame) -> None:
        self.vm = vm
        self.frame: Optional[Frame] = frame
        frame.generator = self

    def __iter__(self) -> "Generator":
        return self

    def __next__(self) -> Any:
        if self.frame is None:
            raise StopIteration
        kind, value = self.vm.resume(self.frame)
        if kind == "return":
            self.frame = None
            raise StopIteration
        return value

    def ruff_display(self) -> str:
        return "<generator>"


class RuffModuleValue:
    """An imported module bound by `import name`: its exported globals are its fields."""

    __slots__ = ("module",)
    ruff_type_name = "module"

    def __init__(self, module: Module) -> None:
        self.module = module

    def ruff_display(self) -> str:
        return f"<module {self.module.name}>"


class VM:
    """The reference interpreter: one dispatch loop over pre-decoded bytecode, its own frame stack
    (MAX_FRAMES deep), and the operations every tier shares (calls, fields, indexing, iteration, errors).

    It is the project's reference semantics; FastVM (runtime/fast/) subclasses it and runs generated
    Python instead, falling back to this loop for chunks it cannot translate."""

    _offset = 0  # Ruff frames below this interpreter's own (FastVM: below a fallback chunk's section)
    interpreter_class: type  # the reference interpreter (VM itself, set below): what a thread's fork runs

    def __init__(self, write: Optional[Callable[[str], Any]] = None, script_args: Optional[list[str]] = None,
                 loader: Any = None) -> None:
        from ruff.runtime.builtins import BUILTINS, CONSTANTS, lookup_method

        self.builtins: dict[str, Any] = {**CONSTANTS, **BUILTINS}
        self.builtins.update({
            "Ok": Builtin("Ok", lambda rt, a: EnumValue("Result", "Ok", tuple(a[:1]))),
            "Err": Builtin("Err", lambda rt, a: EnumValue("Result", "Err", tuple(a[:1]))),
            "Some": Builtin("Some", lambda rt, a: EnumValue("Option", "Some", tuple(a[:1]))),
            "None": NONE_VALUE,
        })
        self.lookup_method = lookup_method
        self.write = write or sys.stdout.write
        self.script_args = script_args or []
        self.random = _random.Random()
        self.frames: list[Frame] = []
        self.loader = loader
        self.filename = "<input>"
        self.tests: list[tuple[str, Optional[str], Any]] = []
        self.jit = None  # set by ruff.tiering.attach_jit when the native tier is on
        self.hot_at = -1  # call count at which a function is handed to the JIT
        self.osr_at = 1 << 62  # back-edge count at which a loop is handed to the JIT (never, without one)

    def flush(self) -> None:
        """Push out what `print` left buffered. The reference's stdout flushes every line; ours stays
        block-buffered when it is not a terminal (line-buffering a pipe makes a million prints ~4x slower),
        so builtins call this where the difference would show: before the program waits (sleep, input,
        await, a child process, the network) and before another writer takes the same stream (stderr,
        a child). Only the stream behind `write` is flushed; a plain callable (an embedder's) has none."""
        target = self.write
        while hasattr(target, "__wrapped__"):  # concurrency's locked writer
            target = target.__wrapped__
        flush = getattr(getattr(target, "__self__", None), "flush", None)
        if flush is not None:
            flush()

    # ------------------------------------------------------------------ entry points

    def run_chunk(self, chunk: Chunk, module: Module) -> Any:
        self.filename = module.filename
        set_running_runtime(self)
        closure = new_closure(chunk, [], module)
        return self.call_closure(closure, [])

    def call(self, fn: Any, args: list) -> Any:
        """Call any Ruff callable from Python (builtins' callbacks); runs a nested dispatch loop."""
        t = type(fn)
        if t is Closure:
            return self.call_closure(fn, list(args))
        if t is Builtin:
            return fn.fn(self, list(args))
        if t is BoundMethod:
            return self.call(fn.function, [fn.receiver, *args])
        if t is VariantConstructor:
            return EnumValue(fn.enum, fn.variant, tuple(args))
        if t is StructType:
            raise RuffError(f"Cannot call struct type {fn.name}; use {fn.name} {{ ... }} to create an instance")
        raise RuffError(non_callable_message(fn))

    # The dispatch loop's call of anything that is not a plain closure (FastVM notes the depth first).
    call_from_loop = call

    def resume_at(self, fn: Closure, ip: int, locals_: list, stack: list, depth: int) -> Any:
        """Deoptimization: native code ran a call of `fn` up to bytecode position `ip`; the interpreter
        continues it from that frame state (the frame at Ruff depth `depth`) and returns its result."""
        chunk = fn.chunk
        if chunk.decoded is None:
            chunk.decoded = decode(chunk)
        frame = Frame(fn, locals_)
        frame.ip, frame.stack = ip, stack
        saved = self._offset
        self._offset = depth - 1 - len(self.frames)
        try:
            base = len(self.frames)
            frame.depth, frame.resumed = depth, True
            self.frames.append(frame)  # the frame native code already entered (within the limit)
            return self.execute(base)
        finally:
            self._offset = saved

    def note_native_depth(self, depth: int) -> None:
        """Native code at Ruff depth `depth` is about to run Ruff code through the runtime: it runs above."""
        self._offset = depth - len(self.frames)

    def install_native(self, chunk: Chunk, entries: list) -> None:
        """The JIT's native code for `chunk` changed (the interpreter asks it on every call: nothing to do)."""

    def profile_less(self, chunk: Chunk, calls: Optional[bool] = None, native: Optional[bool] = None,
                     quiet_loop: Optional[int] = None) -> None:
        """The JIT needs fewer of `chunk`'s profiling hooks (the interpreter's cost nothing when unused)."""

    def profile_again(self, chunk: Chunk) -> None:
        """The JIT wants `chunk` profiled afresh."""

    def call_closure(self, fn: Closure, args: list) -> Any:
        if fn.chunk.is_async:
            return self.start_async(fn, args)
        frame = self.new_frame(fn, args)
        if fn.chunk.is_generator:
            return Generator(self, frame)
        base = len(self.frames)
        self.push_frame(frame)
        return self.execute(base)

    def start_async(self, fn: Closure, args: list) -> Any:
        """Calling an `async func` starts it concurrently and gives back an awaitable handle."""
        from ruff.runtime.concurrency import start_async

        return start_async(self, fn, args)

    def run_body(self, fn: Closure, args: list) -> Any:
        """Run an async function's body to completion on this VM (what a task does on its own VM)."""
        set_running_runtime(self)
        frame = self.new_frame(fn, args)
        base = len(self.frames)
        self.push_frame(frame)
        return self.execute(base)

    def resume(self, frame: Frame) -> tuple[str, Any]:
        base = len(self.frames)
        self.push_frame(frame)
        result = self.execute(base)
        if isinstance(result, _Yielded):
            return "yield", result.value
        return "return", result

    # ------------------------------------------------------------------ frames

    def new_frame(self, fn: Closure, args: list) -> Frame:
        chunk = fn.chunk
        if chunk.decoded is None:
            chunk.decoded = decode(chunk)
        params = chunk.params
        n, np_ = len(args), len(params)
        if n != np_:
            args = self.fit_args(fn, args)
        return Frame(fn, args)

    def fit_args(self, fn: Closure, args: list) -> list:
        chunk = fn.chunk
        np_ = len(chunk.params)
        flags = chunk.param_defaults or [False] * np_
        required = np_ - sum(1 for f in flags if f)
        if len(args) < required or len(args) > np_:
            expected = str(np_) if required == np_ else f"{required} to {np_}"
            raise RuffError(f"{chunk.name} expects {expected} arguments, got {len(args)}")
        defaults = fn.defaults or []
        out = list(args)
        di = sum(1 for f in flags[: len(args)] if f)
        for i in range(len(args), np_):
            out.append(defaults[di] if di < len(defaults) else None)
            di += 1
        return out

    def push_frame(self, frame: Frame) -> None:
        if self._offset + len(self.frames) >= MAX_FRAMES:
            raise stack_overflow(frame.chunk.name)
        frame.depth = self._offset + len(self.frames) + 1
        self.frames.append(frame)

    # ------------------------------------------------------------------ the dispatch loop

    def execute(self, base: int) -> Any:
        """Run frames above `base` until the one at `base` returns (or yields); return its value."""
        frames = self.frames
        while True:
            try:
                return self._loop(base)
            except RuffError as err:
                if not self.unwind(err, base):
                    raise
            except RecursionError:
                frame = frames[-1]
                err = python_stack_overflow(frame.chunk.name)
                if not self.unwind(err, base):
                    raise err from None

    def _loop(self, base: int) -> Any:
        frames = self.frames
        frame = frames[-1]
        code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
        ip = frame.ip
        push, pop = stack.append, stack.pop
        try:
            while True:
                op, arg = code[ip]
                ip += 1
                if op == LOAD_LOCAL:
                    push(locals_[arg])
                elif op == LOAD_CONST:
                    push(consts[arg])
                elif op == STORE_LOCAL:
                    locals_[arg] = pop()
                elif op == ADD:
                    b = pop()
                    a = stack[-1]
                    if type(a) is int and type(b) is int:
                        r = a + b
                        # ruff.limits' I64_MIN/I64_MAX, spelled as constants: cheaper than two global loads
                        if -9223372036854775808 <= r <= 9223372036854775807:
                            stack[-1] = r
                            continue
                    stack[-1] = self.binary("+", a, b, frame, ip)
                    if stack[-1] is _CALLED:
                        stack.pop()
                        frame.ip = ip
                        frame = frames[-1]
                        code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
                        push, pop = stack.append, stack.pop
                        ip = frame.ip
                elif op == LESS_THAN or op == GREATER_THAN or op == LESS_EQUAL or op == GREATER_EQUAL \
                        or op == EQUAL or op == NOT_EQUAL or op == SUB or op == MUL or op == DIV or op == MOD:
                    b = pop()
                    a = stack[-1]
                    r = self.binary(OP_SYMBOL[op], a, b, frame, ip)
                    if r is _CALLED:
                        stack.pop()
                        frame.ip = ip
                        frame = frames[-1]
                        code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
                        push, pop = stack.append, stack.pop
                        ip = frame.ip
                    else:
                        stack[-1] = r
                elif op == JUMP_IF_FALSE:
                    v = pop()
                    if v is False or v is None or (v is not True and not truthy(v)):
                        ip = arg
                elif op == JUMP:
                    ip = arg
                elif op == JUMP_BACK:
                    if self.jit is not None:
                        counts = frame.chunk.loop_counts
                        n = counts.get(ip - 1, 0) + 1
                        counts[ip - 1] = n
                        if n >= self.osr_at:
                            frame.ip = ip
                            if self.jit.osr(frame, ip - 1, self._offset + len(frames)):
                                ip = frame.ip  # the loop ran natively: continue after it
                                continue
                    ip = arg
                elif op == LOAD_GLOBAL:
                    g = frame.module.globals
                    push(g[arg] if arg in g else self.global_value(frame.module, arg))
                elif op == CALL or op == CALL_METHOD or op == CALL_SPREAD:
                    if op == CALL:
                        argc = arg
                        args = stack[len(stack) - argc:] if argc else []
                        del stack[len(stack) - argc:]
                        fn = pop()
                    elif op == CALL_SPREAD:
                        args = list(pop())
                        fn = pop()
                    else:
                        name, argc = arg
                        args = stack[len(stack) - argc:] if argc else []
                        del stack[len(stack) - argc:]
                        obj = pop()
                        fn, args = self.resolve_method(obj, name, args)
                    if type(fn) is Closure:
                        chunk = fn.chunk
                        chunk.calls += 1
                        if chunk.calls == self.hot_at:
                            frame.ip = ip
                            self.jit.hot(fn, args)
                        if chunk.tier_state is not None:
                            frame.ip = ip
                            handled, result = self.jit.try_call(fn, args, self._offset + len(frames) + 1)
                            if handled:
                                push(result)
                                continue
                        if chunk.is_async:
                            push(self.start_async(fn, args))
                            continue
                        new = self.new_frame(fn, args)
                        if chunk.is_generator:
                            push(Generator(self, new))
                            continue
                        frame.ip = ip
                        self.push_frame(new)
                        frame = new
                        code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
                        push, pop = stack.append, stack.pop
                        ip = 0
                    else:
                        frame.ip = ip
                        push(self.call_from_loop(fn, args))
                elif op == RETURN:
                    result = pop()
                    frames.pop()
                    if len(frames) == base:
                        if frame.generator is not None:
                            frame.ip = ip
                        return result
                    frame = frames[-1]
                    code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
                    push, pop = stack.append, stack.pop
                    ip = frame.ip
                    push(result)
                elif op == LOAD_DEREF:
                    push(locals_[arg][0])
                elif op == STORE_DEREF:
                    locals_[arg][0] = pop()
                elif op == LOAD_UPVALUE:
                    push(frame.closure.upvalues[arg][0])
                elif op == STORE_UPVALUE:
                    frame.closure.upvalues[arg][0] = pop()
                elif op == INDEX_GET:
                    idx = pop()
                    stack[-1] = index_get(stack[-1], idx)
                elif op == POP:
                    pop()
                elif op == ITERATOR_NEXT:
                    try:
                        push(next(stack[-1]))
                    except StopIteration:
                        pop()
                        ip = arg
                elif op == YIELD:
                    value = pop()
                    frame.ip = ip
                    frames.pop()
                    push(None)  # what the yield expression evaluates to when resumed
                    return _Yielded(value)
                else:
                    frame.ip = ip
                    self.slow_op(frame, op, arg)
                    frame = frames[-1]
                    code, consts, locals_, stack = frame.code, frame.consts, frame.locals, frame.stack
                    push, pop = stack.append, stack.pop
                    ip = frame.ip
        finally:
            frame.ip = ip

    def binary(self, sym: str, a: Any, b: Any, frame: Frame, ip: int) -> Any:
        """Binary operators off the fast path, including struct operator overloading."""
        if isinstance(a, StructInstance):
            method = a.type.methods.get(ops.OVERLOAD_METHOD[sym])
            if method is not None:
                frame.ip = ip
                self.invoke(method, [a, b])
                return _CALLED
        return ops.BINARY[sym](a, b)

    def invoke(self, fn: Any, args: list) -> None:
        """Call from within the loop: a closure gets a new frame, anything else runs to completion."""
        frame = self.frames[-1]
        if type(fn) is Closure and not fn.chunk.is_generator:
            fn.chunk.calls += 1
            if fn.chunk.calls == self.hot_at:
                self.jit.hot(fn, args)
            if fn.chunk.tier_state is not None:
                handled, result = self.jit.try_call(fn, args, self._offset + len(self.frames) + 1)
                if handled:
                    frame.stack.append(result)
                    return
            self.push_frame(self.new_frame(fn, args))
        else:
            frame.stack.append(self.call_from_loop(fn, args))

    # ------------------------------------------------------------------ less frequent opcodes

    def global_value(self, module: Module, name: str) -> Any:
        """A global, else a builtin, else the Ruff error for an undefined name."""
        g = module.globals
        if name in g:
            return g[name]
        if name in self.builtins:
            return self.builtins[name]
        raise RuffError(f"Undefined variable: {name}")

    def slow_op(self, frame: Frame, op: int, arg: Any) -> None:
        stack = frame.stack
        pop, push = stack.pop, stack.append
        o = _OP_OF[op]
        if o is Op.Dup:
            push(stack[-1])
        elif o is Op.Swap:
            stack[-1], stack[-2] = stack[-2], stack[-1]
        elif o is Op.MakeCell:
            frame.locals[arg] = [None]  # a Cell
        elif o is Op.LoadGlobal:  # native code's runtime calls come here; the loop above inlines the hit
            push(self.global_value(frame.module, arg))
        elif o is Op.StoreGlobal:
            module = frame.module
            if module.kinds.get(arg) in ("let", "const"):
                word = "immutable let binding" if module.kinds[arg] == "let" else "const binding"
                raise RuffError(f"Cannot reassign {word}: {arg}")
            module.globals[arg] = pop()
            if self.jit is not None:
                self.jit.global_rebound(module, arg)
        elif o is Op.DefineGlobal:
            name, kind = arg
            frame.module.globals[name] = pop()
            frame.module.kinds[name] = kind
            if self.jit is not None:
                self.jit.global_rebound(frame.module, name)
        elif o is Op.Negate:
            a = stack[-1]
            if isinstance(a, StructInstance) and "op_neg" in a.type.methods:
                pop()
                self.invoke(a.type.methods["op_neg"], [a])
            else:
                stack[-1] = ops.neg(a)
        elif o is Op.Not:
            a = stack[-1]
            if isinstance(a, StructInstance) and "op_not" in a.type.methods:
                pop()
                self.invoke(a.type.methods["op_not"], [a])
            else:
                stack[-1] = not truthy(a)
        elif o is Op.Truthy:
            stack[-1] = truthy(stack[-1])
        elif o is Op.JumpIfTrue:
            if truthy(pop()):
                frame.ip = arg
        elif o is Op.JumpIfNotNull:
            if stack[-1] is not None:
                frame.ip = arg
            else:
                pop()
        elif o is Op.MakeClosure:
            chunk: Chunk = frame.consts[arg]
            k = sum(1 for f in chunk.param_defaults if f)
            defaults = None
            if k:
                defaults = stack[len(stack) - k:]
                del stack[len(stack) - k:]
            upvalues = [frame.locals[u.index] if u.from_parent_local else frame.closure.upvalues[u.index]
                        for u in chunk.upvalues]
            push(new_closure(chunk, upvalues, frame.module, defaults))
        elif o is Op.MakeArray:
            items = stack[len(stack) - arg:] if arg else []
            del stack[len(stack) - arg:]
            push(items)
        elif o is Op.MakeDict:
            items = stack[len(stack) - 2 * arg:] if arg else []
            del stack[len(stack) - 2 * arg:]
            d = {}
            for i in range(0, len(items), 2):
                d[dict_key(items[i])] = items[i + 1]
            push(d)
        elif o is Op.SpreadArray:
            value = pop()
            if not isinstance(value, (list, str)) and not hasattr(value, "__next__") \
                    and not hasattr(value, "ruff_to_list"):
                raise RuffError(f"Cannot spread {type_name(value)} into an array")
            to_list = getattr(value, "ruff_to_list", None)  # a range: built within its size limit
            stack[-1].extend(value if to_list is None else to_list())
        elif o is Op.ArrayPush:
            value = pop()
            stack[-1] = array_push(self, stack[-1], value)
        elif o is Op.SpreadDict:
            value = pop()
            if type(value) is not dict:
                raise RuffError(f"Cannot spread {type_name(value)} into a dict")
            stack[-1].update(value)
        elif o is Op.DictInsert:
            value = pop()
            key = pop()
            stack[-1][dict_key(key)] = value
        elif o is Op.IndexSet:
            value = pop()
            idx = pop()
            index_set(pop(), idx, value)
        elif o is Op.FieldGet:
            push(self.field_get(pop(), arg))
        elif o is Op.FieldGetOpt:
            obj = pop()
            push(None if obj is None else self.field_get(obj, arg))
        elif o is Op.FieldSet:
            value = pop()
            obj = pop()
            field_set(obj, arg, value)
        elif o is Op.MakeStructDef:
            info: StructInfo = frame.consts[arg]
            nm = len(info.method_names)
            methods = stack[len(stack) - nm:] if nm else []
            del stack[len(stack) - nm:]
            nd = sum(1 for f in info.has_default if f)
            dvals = stack[len(stack) - nd:] if nd else []
            del stack[len(stack) - nd:]
            it = iter(dvals)
            defaults = {f: next(it) for f, has in zip(info.fields, info.has_default) if has}
            push(StructType(info.name, info.fields, defaults, dict(zip(info.method_names, methods))))
        elif o is Op.MakeStruct:
            n = len(arg)
            vals = stack[len(stack) - n:] if n else []
            del stack[len(stack) - n:]
            stype = pop()
            push(make_struct(stype, arg, vals))
        elif o is Op.MakeEnumDef:
            info: EnumInfo = frame.consts[arg]
            push(EnumType(info.name, dict(info.variants)))
        elif o is Op.MakeOk:
            stack[-1] = EnumValue("Result", "Ok", (stack[-1],))
        elif o is Op.MakeErr:
            stack[-1] = EnumValue("Result", "Err", (stack[-1],))
        elif o is Op.MakeSome:
            stack[-1] = EnumValue("Option", "Some", (stack[-1],))
        elif o is Op.MakeNone:
            push(NONE_VALUE)
        elif o is Op.TryUnwrap:
            v = stack[-1]
            if type(v) is EnumValue and v.variant in ("Ok", "Some"):
                stack[-1] = v.values[0] if v.values else None
            elif type(v) is EnumValue and v.variant in ("Err", "None"):
                self.do_return(frame, pop())
            else:
                raise RuffError(f"The '?' operator expects a Result or Option, got {type_name(v)}")
        elif o is Op.MatchPattern:
            pat: MatchPat = frame.consts[arg]
            value = pop()
            bound: list = []
            if match_pattern(pat, value, bound):
                stack.extend(bound)
                push(True)
            else:
                push(False)
        elif o is Op.MakeIterator:
            stack[-1] = make_iterator(stack[-1])
        elif o is Op.BuildString:
            parts = stack[len(stack) - arg:]
            del stack[len(stack) - arg:]
            push("".join(display(p) for p in parts))
        elif o is Op.BeginTry:
            frame.handlers.append((arg, len(stack)))
        elif o is Op.EndTry:
            frame.handlers.pop()
        elif o is Op.Throw:
            value = pop()
            raise thrown(value)
        elif o is Op.Await:
            stack[-1] = await_value(stack[-1])
        elif o is Op.Spawn:
            from ruff.runtime.concurrency import spawn

            stack[-1] = spawn(self, stack[-1])
        elif o is Op.Import:
            module_name, alias = arg
            module = self.import_module(module_name, frame)
            # As in the reference, `import m` also binds m's exported names directly.
            for name in (module.exports if module.exports is not None else ()):
                if name in module.globals:
                    frame.module.globals.setdefault(name, module.globals[name])
            push(RuffModuleValue(module))
        elif o is Op.ImportFrom:
            module_name, names = arg
            module = self.import_module(module_name, frame)
            for name in names:
                if name not in module.globals or (module.exports is not None and name not in module.exports):
                    raise RuffError(f"Module '{module_name}' has no exported symbol '{name}'")
                push(module.globals[name])
        elif o is Op.RegisterTest:
            fn = pop()
            name = pop()
            self.tests.append((arg, name, fn))
        elif o is Op.Nop:
            pass
        else:
            raise RuffError(f"Internal error: unknown opcode {o.name}")

    def do_return(self, frame: Frame, value: Any) -> None:
        """Return `value` from `frame` outside the fast loop (used by `?`)."""
        code = frame.code
        # Reuse the loop's Return: push the value and point ip at a Return instruction.
        frame.stack.append(value)
        for i in range(len(code) - 1, -1, -1):
            if code[i][0] == RETURN:
                frame.ip = i
                return
        raise AssertionError("chunk without Return")

    def import_module(self, name: str, frame: Frame) -> Module:
        if self.loader is None:
            from ruff.runtime.modules import ModuleLoader

            self.loader = ModuleLoader(self)
        return self.loader.load(name, frame.module)

    # ------------------------------------------------------------------ fields and methods

    def field_get(self, obj: Any, name: str) -> Any:
        t = type(obj)
        if isinstance(obj, StructInstance):
            slot = obj.type.slots.get(name)
            if slot is not None:
                return getattr(obj, slot)
            method = obj.type.methods.get(name)
            if method is not None:
                return BoundMethod(obj, method)
            raise RuffError(f"Struct {obj.type.name} has no field '{name}'")
        if t is ErrorObject:
            if name == "message":
                return obj.message
            if name == "line":
                return obj.line
            if name == "stack":
                return list(obj.stack)
            if name == "cause":
                return obj.cause
            raise RuffError(f"Error has no field '{name}'")
        if t is EnumType:
            if name not in obj.variants:
                raise RuffError(f"Enum {obj.name} has no variant '{name}'")
            return VariantConstructor(obj.name, name, obj.variants[name])
        if t is StructType:
            method = obj.methods.get(name)
            if method is None:
                raise RuffError(f"Struct {obj.name} has no method '{name}'")
            return BoundMethod(None, method)
        if t is RuffModuleValue:
            module = obj.module
            if name in module.globals and (module.exports is None or name in module.exports):
                return module.globals[name]
            raise RuffError(f"Module '{module.name}' has no exported symbol '{name}'")
        if t is dict:
            # The reference reads `d.key` (and `d?.key`) as the value under "key", null when absent.
            return obj.get(name)
        builtin = self.lookup_method(obj, name)
        if builtin is not None:
            return BoundMethod(obj, builtin)
        field = getattr(t, "ruff_field", None)  # value types of the stdlib with fields (an image's width)
        if field is not None:
            return field(obj, name)
        raise RuffError(f"Cannot access field '{name}' on {type_name(obj)}")

    def resolve_method(self, obj: Any, name: str, args: list) -> tuple[Any, list]:
        t = type(obj)
        if isinstance(obj, StructInstance):
            method = obj.type.methods.get(name)
            if method is not None:
                return method, [obj, *args]
            slot = obj.type.slots.get(name)
            if slot is not None:
                return getattr(obj, slot), args
            raise RuffError(f"Struct {obj.type.name} has no method '{name}'")
        if t is StructType:
            method = obj.methods.get(name)
            if method is None:
                raise RuffError(f"Struct {obj.name} has no method '{name}'")
            return method, [None, *args]
        if t in (RuffModuleValue, EnumType, ErrorObject):
            return self.field_get(obj, name), args
        if t is dict and name in obj and type(obj[name]) in (Closure, Builtin, BoundMethod):
            return obj[name], args
        builtin = self.lookup_method(obj, name)
        if builtin is not None:
            return builtin, [obj, *args]
        raise RuffError(f"Cannot call method '{name}' on {type_name(obj)}")

    # ------------------------------------------------------------------ errors

    def unwind(self, err: RuffError, base: int) -> bool:
        """Find a try handler between the top frame and `base` and resume there; False when there is none."""
        frames = self.frames
        if not err.traced:
            # Where the error started, and the whole Ruff call stack at that moment.
            err.traced = True
            entries = [frame_entry(f) for f in frames]
            depths = [f.depth for f in frames]
            fold_outlined_loops(entries, depths, [f.chunk.loop_of is not None for f in frames])
            if "native_frames" in err.__dict__:
                entries = with_native_frames(err, entries, depths)
            else:  # native frames the error leaves later are placed by these depths
                err.__dict__["stack_depths"] = list(reversed(depths))
            _name, err.filename, err.line, err.col = entries[-1]
            err.stack = [f"{n} ({fn}:{ln})" for n, fn, ln, _ in reversed(entries)]
            err.stack_names = [n for n, _, _, _ in reversed(entries)]
        while len(frames) > base:
            frame = frames[-1]
            if frame.handlers:
                handler_ip, depth = frame.handlers.pop()
                del frame.stack[depth:]
                frame.stack.append(error_value(err, err.unwound))
                frame.ip = handler_ip
                return True
            frames.pop()
            if frame.chunk.loop_of is None:  # an outlined loop's frame: its function's is left next
                natives = err.__dict__.get("native_frames")
                if not (natives and frame.depth in natives):  # else native code of its loop named it already
                    err.unwound.append(frame.chunk.name)
                if getattr(frame, "resumed", False):
                    # The fast tier's frame at this depth, if any, entered the native code that deoptimized
                    # into this one: the same Ruff frame (FastVM.observe leaves it out).
                    err.__dict__.setdefault("resumed_depths", set()).add(frame.depth)
            if frame.generator is not None:
                frame.generator.frame = None
        return False


# ----------------------------------------------------------------------------- the dispatch loop's own helpers


VM.interpreter_class = VM  # FastVM's threads run the reference interpreter too (ruff.runtime.concurrency)


class _Yielded:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


_CALLED = object()  # binary() pushed a frame for an overloaded operator: the loop must switch frames


def frame_entry(frame: Frame) -> tuple[str, str, int, int]:
    """(function, file, line, column) of a frame in an error's stack: a loop that ruff.osr outlined and the
    interpreter resumed after a deoptimization shows as the function it is part of."""
    chunk = frame.chunk
    return chunk.loop_of or chunk.name, chunk.filename, current_line(frame), current_col(frame)


def fold_outlined_loops(entries: list, depths: list, loops: list[bool]) -> None:
    """An outlined loop resumed by the interpreter runs above the frame it belongs to: drop that frame's
    entry (traced at the loop's back-edge), the loop's entry stands for it."""
    for k in range(len(entries) - 1, 0, -1):
        if loops[k] and entries[k - 1][0] == entries[k][0]:
            del entries[k - 1]
            del depths[k - 1]
            del loops[k - 1]


def current_line(frame: Frame) -> int:
    ip = max(frame.ip - 1, 0)
    code = frame.chunk.code
    return code[ip].line if ip < len(code) else frame.chunk.line


def current_col(frame: Frame) -> int:
    ip = max(frame.ip - 1, 0)
    code = frame.chunk.code
    return code[ip].col if ip < len(code) else 0



LOAD_LOCAL, LOAD_CONST, STORE_LOCAL = int(Op.LoadLocal), int(Op.LoadConst), int(Op.StoreLocal)
ADD, SUB, MUL, DIV, MOD = int(Op.Add), int(Op.Sub), int(Op.Mul), int(Op.Div), int(Op.Mod)
LESS_THAN, GREATER_THAN, LESS_EQUAL, GREATER_EQUAL = int(Op.LessThan), int(Op.GreaterThan), int(Op.LessEqual), int(Op.GreaterEqual)
EQUAL, NOT_EQUAL = int(Op.Equal), int(Op.NotEqual)
JUMP, JUMP_BACK, JUMP_IF_FALSE = int(Op.Jump), int(Op.JumpBack), int(Op.JumpIfFalse)
LOAD_GLOBAL, CALL, CALL_METHOD, CALL_SPREAD, RETURN = int(Op.LoadGlobal), int(Op.Call), int(Op.CallMethod), int(Op.CallSpread), int(Op.Return)
LOAD_DEREF, STORE_DEREF, LOAD_UPVALUE, STORE_UPVALUE = int(Op.LoadDeref), int(Op.StoreDeref), int(Op.LoadUpvalue), int(Op.StoreUpvalue)
INDEX_GET, POP, ITERATOR_NEXT, YIELD = int(Op.IndexGet), int(Op.Pop), int(Op.IteratorNext), int(Op.Yield)
OP_SYMBOL = {ADD: "+", SUB: "-", MUL: "*", DIV: "/", MOD: "%", LESS_THAN: "<", GREATER_THAN: ">", LESS_EQUAL: "<=",
             GREATER_EQUAL: ">=", EQUAL: "==", NOT_EQUAL: "!="}
