"""The native tier's manager: decides what gets compiled, compiles it, and calls it.

The executor counts calls per chunk. When a function reaches the threshold, `hot()` lifts it (and the
global functions it calls), specializes it for the argument types of that call, lowers it to LLVM and
JIT-compiles it. Later calls whose arguments have those types go straight to native code; argument types
that keep missing get their own specialization. Hot loops go native through `osr()` (ruff/osr.py).

Native code never gives a different answer than the baseline: compiled functions are pure numeric code
(no output, no globals written), so when native code reports any error (overflow, division by zero,
stack depth) the call simply runs again in the baseline executor, which raises the Ruff error with its
exact message, line and call stack. Rebinding a global that compiled code called directly (`fib := g`)
drops that code.

xDSL and llvmlite are imported here only when the first function gets hot.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from ruff.limits import MAX_FRAMES
from ruff.runtime.values import Closure, Module, new_closure
from ruff.runtime import native_flags

_SIMPLE_KINDS = {int: "int", float: "float", bool: "bool", str: "string", dict: "dict", type(None): "none"}


def kind_of(value: Any) -> str:
    """The kind a value is specialized for (ruff/passes/specialize_types.py): int, float and bool become raw
    machine values; an array's kind names its first element's, which native code then speculates (and
    guards) every element has."""
    t = type(value)
    kind = _SIMPLE_KINDS.get(t)
    if kind is not None:
        return kind
    if t is list:
        first = _SIMPLE_KINDS.get(type(value[0])) if value else None
        return f"array:{first}" if first in ("int", "float", "bool") else "array"
    return "value"


def kinds_of(args: list) -> tuple[str, ...]:
    return tuple(kind_of(a) for a in args)
# The default pipeline; RUFF_JIT_DISABLE=inline,tailrec-to-loop,... drops passes (for the ablation in bench/).
PIPELINE = ("specialize-types", "unbox-returns", "canonicalize", "tailrec-to-loop", "inline{depth=4 budget=60}",
            "canonicalize", "cse", "dce")
OPTIONAL_PASSES = {"unbox-returns", "tailrec-to-loop", "inline", "canonicalize", "cse", "dce"}
# Then, on a copy of the optimized module: keep only the typed twins and lower them (never disabled).
NATIVE_PIPELINE = ("extract-native", "lower-to-llvm")


def pipeline() -> str:
    disabled = {p.strip() for p in os.environ.get("RUFF_JIT_DISABLE", "").split(",") if p.strip()}
    return ",".join(p for p in PIPELINE if p.split("{")[0] not in (disabled & OPTIONAL_PASSES))


@dataclass
class NativeEntry:
    types: tuple[type, ...]
    function: Any  # backend NativeFunction
    box: Any  # raw result → Ruff value
    deps: frozenset[str]
    module: Module
    name: str
    chunk: Any
    from_cache: bool = False
    pyfunc: Any = None  # its Python entry point, falling back to the MISS/FAILED markers (see try_call)
    # Counted for --jit-log's summary: calls from the baseline that entered this code, and those of them it
    # handed back (argument types it does not take, or an error the baseline then raised).
    calls: int = 0
    handed_back: int = 0


MISS, FAILED = object(), object()  # what a native entry point's fallbacks answer when the JIT calls it


def _missed(*args: Any) -> Any:
    return MISS


def _failed(*args: Any) -> Any:
    return FAILED


@dataclass
class Specializations:
    """A chunk's native code: one entry per argument-type combination seen often enough (`tier_state`)."""

    entries: dict[tuple, NativeEntry] = field(default_factory=dict)
    misses: dict[tuple, int] = field(default_factory=dict)  # calls whose argument types had no entry
    refused: set[tuple] = field(default_factory=set)


MAX_SPECIALIZATIONS = 4
MAX_DEOPTS = 20  # deoptimizations after which a function's native code is thrown away
# A native loop that averages fewer iterations than this per entry over its first runs goes back to the
# baseline (entering it, ~3 µs, is more than a few iterations cost there).
OSR_TRIAL_RUNS, OSR_MIN_ITERATIONS = 100, 40
# Where the back-edge count of a loop left to the baseline restarts: so far below the OSR threshold that
# the loop practically never asks again (and `osr` answers at once if it does), yet a one-digit int, which
# CPython adds to as cheaply as any loop counter (-(1 << 62) cost more on every back-edge).
QUIET_COUNT = -(1 << 29)


def quiet(chunk: Any, *edges: int) -> None:
    """The loop counts of these back-edges restart from QUIET_COUNT."""
    for edge in edges:
        chunk.loop_counts[edge] = QUIET_COUNT


@dataclass
class JIT:
    vm: Any
    threshold: int = 100
    log: bool = False
    entries: dict[tuple, NativeEntry] = field(default_factory=dict)  # (id(chunk), argument types) → entry
    refused: set[int] = field(default_factory=set)
    loops: dict = field(default_factory=dict)  # (id(chunk), back-edge ip) → LoopPlan
    refused_loops: set[tuple] = field(default_factory=set)  # (id(chunk), back-edge ip) of loops refused
    # Functions that reached the threshold only through compile_next_call (a loop of theirs was hot, the
    # function itself may run a handful of times): compiling or refusing them does not regenerate their
    # Python code, which would cost more than the profiling hooks it drops.
    nudged: set[int] = field(default_factory=set)
    # Every global some native code depends on (a superset once code is invalidated): a store to any other
    # global, which the baseline reports on every store, needs no scan.
    watched: set[str] = field(default_factory=set)
    support: Any = None  # ruff.runtime.native_support.NativeSupport, made when object code first loads
    deopts: dict[int, int] = field(default_factory=dict)  # id(chunk) → deoptimizations of its native code
    # What --jit-log's summary at exit reports (kept only with logging on): each specialization and loop
    # made native, every refusal, and deoptimizations by (function, file, line, reason).
    compiled: list = field(default_factory=list)  # NativeEntry or LoopPlan, in the order they were made
    refusals: list[str] = field(default_factory=list)
    deopt_sites: dict[tuple[str, str, int, str], int] = field(default_factory=dict)

    def say(self, text: str) -> None:
        if self.log:
            print(f"[jit] {text}", file=sys.stderr)

    def summary(self) -> list[str]:
        """--jit-log's report at exit: what ran native and how often, deoptimizations, refusals."""
        lines = []
        for item in self.compiled:
            if isinstance(item, NativeEntry):
                ran = item.calls - item.handed_back
                back = f", {item.handed_back} handed back to the baseline" if item.handed_back else ""
                lines.append(f"native {item.name}({', '.join(item.types)}): {_times(ran, 'call')} from the "
                             f"baseline ran native{back}")
            else:
                lines.append(f"native loop at {item.chunk.filename}:{item.chunk.code[item.header].line} in "
                             f"{item.chunk.name}: entered {_times(item.runs, 'time')}, "
                             f"{_times(item.iterations, 'iteration')}")
        for (name, filename, line, reason), n in self.deopt_sites.items():
            lines.append(f"deoptimized {name} at {filename}:{line} ({reason}): {_times(n, 'time')}")
        lines += [f"not compiled {reason}" for reason in self.refusals]
        return ["summary: " + ("nothing was compiled" if not lines else f"{len(self.compiled)} native, "
                               f"{_times(sum(self.deopt_sites.values()), 'deoptimization')}, "
                               f"{len(self.refusals)} refused")] + \
            ["  " + line for line in lines]

    def print_summary(self) -> None:
        for line in self.summary():
            self.say(line)

    # ------------------------------------------------------------------ called by the executor

    def hot(self, fn: Closure, args: list) -> None:
        """`fn` just reached the threshold; compile it for these argument types (or remember why not)."""
        chunk = fn.chunk
        if id(chunk) in self.refused:
            if chunk.tier_state is None and id(chunk) not in self.nudged:
                # Refused with its loop (`osr`) and called often after all: now drop its profiling hooks.
                self.vm.profile_less(chunk, calls=False, native=False)
            return
        if len(args) != len(fn.chunk.params):
            self.refuse(fn.chunk, "called with a different number of arguments than it declares")
            return
        self.specialize(fn, kinds_of(args))

    def specialize(self, fn: Closure, types: tuple) -> Optional[NativeEntry]:
        chunk = fn.chunk
        state = chunk.tier_state if chunk.tier_state is not None else Specializations()
        if types in state.entries or types in state.refused:
            return state.entries.get(types)
        sig = ", ".join(types)
        t0 = time.perf_counter()
        try:
            entry = self.compile(fn, types)
        except Refusal as e:
            if state.entries:
                state.refused.add(types)
                self.say(f"not compiled {chunk.name}({sig}): {e}")
                if self.log:
                    self.refusals.append(f"{chunk.name}({sig}): {e}")
            else:
                self.refuse(chunk, str(e))
            return None
        ms = (time.perf_counter() - t0) * 1000
        state.entries[types] = entry
        self.entries[(id(chunk), types)] = entry
        chunk.tier_state = state
        self.vm.install_native(chunk, list(state.entries.values()))
        # Compiled: calls need no counting any more; calls with other argument types still reach try_call,
        # which counts them towards a specialization of their own (up to MAX_SPECIALIZATIONS).
        if id(chunk) not in self.nudged or len(state.entries) >= MAX_SPECIALIZATIONS:
            self.vm.profile_less(chunk, calls=False, native=len(state.entries) < MAX_SPECIALIZATIONS)
        if self.log:
            self.compiled.append(entry)
        if entry.from_cache:
            self.say(f"cache hit {chunk.name}({sig}): loaded in {ms:.1f} ms")
        else:
            self.say(f"compiled {chunk.name}({sig}) in {ms:.1f} ms")
        return entry

    def try_call(self, fn: Closure, args: list, depth: int) -> tuple[bool, Any]:
        """Run a call natively if there is native code for these argument types; `depth` is the Ruff depth
        the callee's frame would have in the baseline. (False, None): the baseline runs the call."""
        if native_flags.standing_aside():
            return False, None  # the baseline is reproducing an error native code met (see native_flags)
        state: Specializations = fn.chunk.tier_state
        types = kinds_of(args)
        entry = state.entries.get(types)
        if entry is None:
            # Arguments of types this function has no native code for: after as many such calls as the
            # threshold, compile a specialization for them too (a few at most); till then, the baseline.
            n = state.misses.get(types, 0) + 1
            state.misses[types] = n
            if n < self.threshold or len(state.entries) >= MAX_SPECIALIZATIONS:
                return False, None
            entry = self.specialize(fn, types)
            if entry is None:
                return False, None
        # The native entry point guards the arguments, runs the call, and answers MISS (a guard failed) or
        # FAILED (a Ruff error in native code: it stands aside, and the baseline runs the call and raises the
        # exact error); the closure argument is not read.
        result = entry.pyfunc(None, depth, *args)
        entry.calls += 1
        if result is MISS or result is FAILED:
            entry.handed_back += 1
            return False, None
        return True, result

    def compile_next_call(self, chunk: Any) -> None:
        """A hot loop of `chunk` does not go native by itself: compile the whole function at its next call
        (a function called a few times, each running a long loop, is worth it)."""
        if chunk.name != "<script>" and chunk.tier_state is None and id(chunk) not in self.refused \
                and chunk.calls < self.threshold:
            chunk.calls = self.threshold - 1
            self.nudged.add(id(chunk))

    def deoptimized(self, chunk: Any, ip: int, reason: str = "") -> None:
        """Native code for `chunk` handed a call to the baseline at `ip` (`reason`: the guard or check that
        failed there). Code that keeps doing so is thrown away, with every native function and loop that
        calls it directly, and stays in the baseline. With --jit-log, each place is counted for the summary."""
        n = self.deopts.get(id(chunk), 0) + 1
        self.deopts[id(chunk)] = n
        line = chunk.code[ip].line if 0 <= ip < len(chunk.code) else chunk.line
        if self.log:
            site = (chunk.loop_of or chunk.name, chunk.filename, line, reason or "deoptimized")
            self.deopt_sites[site] = self.deopt_sites.get(site, 0) + 1
        if n == 1 or n == MAX_DEOPTS:
            self.say(f"deoptimized {chunk.loop_of or chunk.name} at {chunk.filename}:{line}"
                     + (f": {reason}" if reason else "")
                     + (f" ({n} times: left to the baseline)" if n == MAX_DEOPTS else ""))
        if n != MAX_DEOPTS:
            return
        name = chunk.name
        for key, entry in list(self.entries.items()):
            if entry.chunk is chunk or name in entry.deps:
                del self.entries[key]
                self.invalidate(entry, "deoptimizes too often")
                self.refuse(entry.chunk, "deoptimizes too often")
        for key, plan in list(self.loops.items()):
            native = plan.native
            if native is not None and (plan.outlined is chunk or name in native.deps):
                plan.native = None
                self.loops[key] = plan  # kept: its loop is never offered again
                quiet(plan.chunk, plan.exit - 1)
                self.vm.profile_less(plan.chunk, quiet_loop=plan.exit - 1)
                self.say(f"left loop at {plan.chunk.filename}:{plan.chunk.code[plan.header].line} to the baseline")

    def global_rebound(self, module: Module, name: str) -> None:
        if name not in self.watched:
            return
        for key, entry in list(self.entries.items()):
            if entry.module is module and name in entry.deps:
                del self.entries[key]
                self.invalidate(entry, f"global '{name}' was rebound")
        for key, plan in list(self.loops.items()):
            if plan.native is not None and plan.native.module is module and name in plan.native.deps:
                del self.loops[key]
                plan.chunk.loop_counts.clear()  # the loop may get hot again, against the new binding
                self.say(f"invalidated loop in {plan.chunk.name}: global '{name}' was rebound")

    # ------------------------------------------------------------------ compiling

    def refuse(self, chunk: Any, reason: str, regenerate: bool = True) -> None:
        """`chunk` is not compiled again. With nothing native at all it stops profiling for good: its
        Python code is generated again without the hooks, unless `regenerate` is False or only
        compile_next_call made it hot (see `nudged`)."""
        self.refused.add(id(chunk))
        self.say(f"not compiled {chunk.name}: {reason}")
        if self.log:
            self.refusals.append(f"{chunk.name}: {reason}")
        if chunk.tier_state is None and regenerate and id(chunk) not in self.nudged:
            self.vm.profile_less(chunk, calls=False, native=False)

    def invalidate(self, entry: NativeEntry, reason: str) -> None:
        state = entry.chunk.tier_state
        if state is not None:
            state.entries.pop(entry.types, None)
            self.vm.install_native(entry.chunk, list(state.entries.values()))
            if not state.entries:
                entry.chunk.tier_state = None
                entry.chunk.calls = 0  # it may get hot again, and compile against the new binding
                self.vm.profile_again(entry.chunk)
        self.say(f"invalidated {entry.name}: {reason}")

    def osr(self, frame: Any, back_edge: int, depth: int) -> bool:
        """The loop closed at `back_edge` is hot: run it natively from the frame's current state.

        True: the loop has run to its exit and `frame.ip` points after it. False: keep interpreting.
        """
        from ruff.osr import MISSED, REFUSED_ITERATION, OSRRefused, loop_arguments, loop_end, plan_loop, run_plan

        chunk, module = frame.chunk, frame.module
        plan = self.loops.get((id(chunk), back_edge))  # the fast path: an inner loop entered again and again
        if plan is None and (id(chunk), back_edge) in self.refused_loops:
            # Counted up from QUIET_COUNT all the way (a frame that was running it when it was refused):
            # not again for as long. Generated code reloads the count of the loop's final back-edge.
            quiet(chunk, back_edge, loop_end(chunk, back_edge))
            return False
        if plan is None:
            hot_edge, back_edge = back_edge, loop_end(chunk, back_edge)  # one plan per loop, any edge
            key = (id(chunk), back_edge)
            plan = self.loops.get(key)
        if plan is None:
            t0 = time.perf_counter()
            try:
                plan = plan_loop(chunk, back_edge, frame.locals, module.globals, frame.stack)
                args = loop_arguments(plan, frame.locals, module.globals, frame.stack)
                if args is None:
                    raise OSRRefused(REFUSED_ITERATION)
                kinds = kinds_of(args)
                plan.native = self.compile(new_closure(plan.outlined, [], module), kinds)
            except (OSRRefused, Refusal) as e:
                quiet(chunk, back_edge, hot_edge)  # never ask again
                self.refused_loops.update(((id(chunk), back_edge), (id(chunk), hot_edge)))
                self.vm.profile_less(chunk, quiet_loop=back_edge)  # and stop counting its back-edges
                line = chunk.code[back_edge].line
                self.say(f"not compiled loop at {chunk.filename}:{line} in {chunk.name}: {e}")
                if self.log:
                    self.refusals.append(f"loop at {chunk.filename}:{line} in {chunk.name}: {e}")
                if isinstance(e, OSRRefused):
                    # Only the loop's shape kept it out (it is not a loop OSR can enter): the whole function,
                    # compiled at its next call, may still go native.
                    self.compile_next_call(chunk)
                elif chunk.name != "<script>" and chunk.tier_state is None and id(chunk) not in self.refused:
                    # What kept the loop out (its operations, the lifter, the specializer) keeps the function
                    # that contains it out too: compiling it at its next call would only be refused again.
                    # Its hooks cost little and stay (no regeneration here) till it gets hot by its calls.
                    self.refuse(chunk, f"its loop at {chunk.filename}:{line} was not compiled", regenerate=False)
                return False
            self.loops[key] = self.loops[(id(chunk), hot_edge)] = plan
            if self.log:
                self.compiled.append(plan)
            ms = (time.perf_counter() - t0) * 1000
            sig = ", ".join(f"{v.name}: {k}" for v, k in zip(plan.variables, kinds) if v.kind in ("local", "global"))
            where = f"loop at {chunk.filename}:{chunk.code[plan.header].line} in {chunk.name} ({sig})"
            if plan.native.from_cache:
                self.say(f"cache hit {where}: loaded in {ms:.1f} ms")
            else:
                self.say(f"compiled {where} in {ms:.1f} ms")
        else:
            if plan.native is None:  # left to the baseline (see below, and deoptimized): likewise
                quiet(chunk, back_edge, plan.exit - 1)
                return False
            args = loop_arguments(plan, frame.locals, module.globals, frame.stack)
            if args is None:
                return False
        if native_flags.standing_aside() or plan.native is None:
            return False
        results = run_plan(plan, args, depth, (MISS, FAILED))
        if results is MISSED:
            return False
        if plan.range_step is not None or plan.over_array:
            frame.stack.pop()  # the loop's iterator, as the loop's exit would pop it
        if plan.runs == OSR_TRIAL_RUNS and plan.iterations < OSR_MIN_ITERATIONS * plan.runs:
            # Entered again and again for a few iterations: entering costs more than it saves.
            plan.native = None
            quiet(chunk, plan.exit - 1)
            self.vm.profile_less(chunk, quiet_loop=plan.exit - 1)
            self.say(f"left loop at {chunk.filename}:{chunk.code[plan.header].line} in {chunk.name} to the "
                     f"baseline: {plan.iterations // plan.runs} iterations per entry")
            self.compile_next_call(chunk)
        for var, value in results:
            if var.kind == "local":
                frame.locals[var.key] = value
            elif var.kind == "global":
                module.globals[var.key] = value
                self.global_rebound(module, var.key)
        frame.ip = plan.exit
        return True

    def compile(self, fn: Closure, types: tuple[type, ...]) -> NativeEntry:
        """Native code for `fn` at these argument types: from the disk cache, else lifted and lowered."""
        reason = native_candidate(fn.chunk, fn.module)
        if reason is not None:
            raise Refusal(reason)
        from ruff import jit_cache, jit_dump

        type_names = tuple(types)
        key = jit_cache.cache_key(fn.chunk, fn.module, type_names, host_id() + "|" + pipeline())
        cached = jit_cache.load(key) if jit_dump.dump_dir() is None else None  # dumping: compile everything
        if cached is not None:
            try:
                if cached.shared_library is not None:
                    from ruff.backend.shared_lib import load_shared_library

                    native = load_shared_library(cached.shared_library, cached.meta["signatures"])
                else:
                    from ruff.backend import jit as backend

                    native = backend.load_object(cached.obj, cached.meta["signatures"])
                entry = self.entry(fn, types, native, cached.meta["root"], cached.meta["returns"], cached.meta["deps"],
                                   cached.meta.get("objects", []))
                entry.from_cache = True
                return entry
            except Exception:  # a damaged entry: compile again
                jit_cache.discard(key)
        refused = jit_cache.load_refusal(key)
        if refused is not None:
            raise Refusal(refused)
        try:
            native, root, ret, deps, obj, signatures, objects = self.compile_fresh(fn, types)
        except Refusal as e:
            jit_cache.store_refusal(key, str(e))
            raise
        jit_cache.store(key, obj, {"root": root, "returns": ret, "deps": sorted(deps), "signatures": signatures,
                                   "objects": objects}, native.ir_text)
        return self.entry(fn, types, native, root, ret, deps, objects)

    def entry(self, fn: Closure, types: tuple[type, ...], native: Any, root: str, ret: str, deps: Any,
              objects: list[str]) -> NativeEntry:
        function = native[root]
        function.module.depth_limit = MAX_FRAMES
        chunks = {symbol: chunk for chunk, symbol in function_chunks(fn)}
        native.symbol_names.update((symbol, chunk.name) for symbol, chunk in chunks.items())
        if objects:
            from ruff.runtime.native_support import NativeSupport, ObjectResolver

            if self.support is None:
                self.support = NativeSupport(self.vm)
            native.bind_objects(objects, ObjectResolver(self.support, chunks, fn.module).resolve)
        box = {"int": int, "float": float, "bool": bool}.get(ret, _identity)  # other kinds come boxed
        self.watched.update(deps)
        entry = NativeEntry(types, function, box, frozenset(deps), fn.module, fn.chunk.name, fn.chunk)
        entry.pyfunc = function.python_function(_missed, _failed)
        return entry

    def compile_fresh(self, fn: Closure, types: tuple[type, ...]) -> tuple:
        from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, StringAttr

        from ruff.backend.jit import compile_module
        from ruff.dialects import ruff as R
        from ruff.dialects.lift import LiftRefused, lift_chunk
        from ruff.jit_cache import struct_method
        from ruff.passes.specialize_types import NATIVE_BUILTINS, STRUCT_METHODS
        from ruff.passes import run_pipeline
        from ruff.jit_dump import for_compilation

        dump = for_compilation(fn.chunk.name, tuple(types))
        after_pass = dump.after_pass if dump is not None else None
        funcs, deps = [], set()
        methods: dict[str, str] = {}  # method name → the global holding the struct type that defines it
        chunks = function_chunks(fn)
        root_symbol = chunks[0][1]
        for chunk, symbol in chunks:
            try:
                funcs.append(lift_chunk(chunk, symbol))
            except LiftRefused as e:
                raise Refusal(str(e)) from None
            # Every global the code calls directly (the function itself included), and every builtin it may do
            # natively: rebinding one drops the code.
            deps.update(ins.arg for ins in chunk.code if ins.op.name == "LoadGlobal"
                        and (type(fn.module.globals.get(ins.arg)) is Closure or ins.arg in NATIVE_BUILTINS))
            for ins in chunk.code:  # the struct types whose methods it may call directly (struct_method)
                found = struct_method(fn.module, ins.arg[0]) if ins.op.name == "CallMethod" else None
                if found is not None:
                    deps.add(found[0])
                    methods[ins.arg[0]] = found[0]
        root = funcs[0]
        root.attributes["arg_types"] = ArrayAttr([StringAttr(t) for t in types])
        ir = ModuleOp(funcs)
        if methods:
            ir.attributes[STRUCT_METHODS] = DictionaryAttr({m: StringAttr(g) for m, g in sorted(methods.items())})
        # Names the program defines: those are not the builtins native code may do itself.
        ir.attributes["ruff.global_names"] = ArrayAttr([StringAttr(n) for n in sorted(fn.module.globals)
                                                        if isinstance(n, str) and not n.startswith("__")])
        if dump is not None:
            dump.module("lifted", ir)
        try:
            run_pipeline(ir, pipeline(), callback=after_pass)
        except Exception as e:  # a pass failing on odd input must not take the program down
            raise Refusal(f"pipeline failed: {e}") from None
        failures = ir.attributes.get("specialize_failures")
        if failures is not None:
            raise Refusal(failures.data[0].data.split(": ", 1)[-1])
        twins = [f for f in ir.ops if isinstance(f, R.FuncOp) and "specialized_for" in f.attributes]
        unprofitable = runtime_bound(twins)
        if unprofitable is not None:
            raise Refusal(unprofitable)
        native_ir = ir.clone()
        from ruff.passes.specialize_types import twin_name

        root_name = twin_name(root_symbol, tuple(types))
        root_twin = next(f for f in twins if f.sym_name.data == root_name)
        root, ret = root_twin.sym_name.data, root_twin.attributes["returns"].data
        try:
            run_pipeline(native_ir, ",".join(NATIVE_PIPELINE), callback=after_pass)
            native = compile_module(native_ir)
            if dump is not None:
                dump.write("llvm", "ll", native.ir_text)
            obj, signatures = native.object_code, native.signatures
        except Exception as e:
            if os.environ.get("RUFF_DEBUG"):
                raise
            raise Refusal(f"lowering failed: {type(e).__name__}: {e}") from None
        keys = native_ir.attributes.get("ruff.objects")
        objects = [k.data for k in keys.data] if isinstance(keys, ArrayAttr) else []
        return native, root, ret, deps, obj, signatures, objects


class Refusal(Exception):
    pass


# Native code that hands more than this share of its operations to the runtime (a Python call each, ~1 µs),
# or any operation inside a loop, is slower than the baseline tier's generated Python doing the same: it
# stays in the baseline. A function without loops pays its runtime calls on every call, with nothing to
# amortize them: it may make none (struct_methods' Particle.step, native with two struct allocations and a
# method call through the runtime, ran 20x slower than the baseline).
MAX_RUNTIME_SHARE = 0.15


def runtime_bound(twins: list) -> Optional[str]:
    """Why the typed twins would not pay as native code, or None."""
    from ruff.passes._object_lowering import runtime_calls

    from ruff.dialects import ruff as R
    from ruff.passes._object_lowering import blocks_in_loops

    calls: list[str] = []
    in_loops: list[str] = []
    per_call: list[str] = []  # runtime operations of twins without loops
    work = 0
    # A twin that recurses, or that a loop calls, runs all its operations again and again too.
    repeated: set[str] = set()
    loops = {twin.sym_name.data: blocks_in_loops(twin) for twin in twins}
    for twin in twins:
        looping = loops[twin.sym_name.data]
        for op in twin.walk():
            if isinstance(op, R.CallDirectOp):
                callee = op.callee.root_reference.data
                if callee == twin.sym_name.data or op.parent_block() in looping:
                    repeated.add(callee)
    for twin in twins:
        c, w, lc = runtime_calls(twin)
        calls += c
        work += w
        if twin.sym_name.data in repeated:
            in_loops += c
        elif not loops[twin.sym_name.data]:
            per_call += c
        else:
            in_loops += lc
    if in_loops:
        names = ", ".join(sorted({c.removeprefix("ruff.") for c in in_loops}))
        return (f"its loops would run {_operations(len(in_loops))} through the runtime on every iteration "
                f"({names})")
    if per_call:
        names = ", ".join(sorted({c.removeprefix("ruff.") for c in per_call}))
        return f"every call would run {_operations(len(per_call))} through the runtime ({names})"
    if work and len(calls) > MAX_RUNTIME_SHARE * work:
        names = ", ".join(sorted({c.removeprefix("ruff.") for c in calls}))
        return f"{len(calls)} of its {work} operations would run through the runtime ({names})"
    return None


def _identity(value: Any) -> Any:
    return value


def _operations(n: int) -> str:
    return f"{n} operation" if n == 1 else f"{n} operations"


def function_chunks(fn: Closure) -> list[tuple[Any, str]]:
    """(chunk, symbol) of `fn` and of every function of its module it calls, transitively, that native code
    for fn is made of (native_callees). Callees are lifted under their global names, which is how the
    specializer finds them; the root gets its own name unless that global no longer denotes it (called
    through another binding)."""
    from ruff.dialects.symbols import symbol_for

    module = fn.module
    root_symbol = symbol_for(fn.chunk.name, set())
    if module.globals.get(fn.chunk.name) is not fn:
        root_symbol += ".self"
    out, queue, seen = [], [(fn.chunk, root_symbol)], set()
    while queue:
        chunk, symbol = queue.pop()
        if id(chunk) in seen:
            continue
        seen.add(id(chunk))
        out.append((chunk, symbol))
        for name, callee in native_callees(chunk, module):
            queue.append((callee.chunk, name))
    return out


def native_callees(chunk: Any, module: Module) -> list[tuple[str, Closure]]:
    """jit_cache.callees(chunk) that native code for chunk is made of: all but the global functions that
    cannot be native code (not_native), which it calls through the runtime. A struct method (`"Global.m"`)
    stays, and refuses the whole if it cannot be native."""
    from ruff.jit_cache import callees

    return [(name, callee) for name, callee in callees(chunk, module)
            if "." in name or not_native(callee.chunk) is None]


def not_native(chunk: Any) -> Optional[str]:
    """Why `chunk` itself cannot be native code (its callees aside), or None. A global function called
    from native code for such a reason is called through the runtime instead, as any value is."""
    from ruff.dialects.lift_refusals import REFUSED

    if chunk.is_generator or chunk.is_async or chunk.upvalues or chunk.cell_slots:
        return f"{chunk.name} is a generator, async or a closure"
    for ins in chunk.code:
        reason = REFUSED.get(ins.op)
        if reason is not None:
            return f"{chunk.name} {reason}"
        if ins.op.name == "MakeClosure":
            return f"{chunk.name} creates a closure"
    return None


def native_candidate(chunk: Any, module: Module) -> Optional[str]:
    """Why `chunk` (and the global functions it calls) cannot become native code, or None if it may.

    This look at the bytecode answers the common "no" before anything imports xDSL, so programs that have
    nothing to compile never pay for the compiler: generators, async functions and closures stay in the
    baseline, and so do functions using what the lifter refuses (try/except, cells, imports, ...). A global
    function it calls that is one of those is called through the runtime (native_callees leaves it out).
    """
    seen, todo = {id(chunk)}, [chunk]
    while todo:
        c = todo.pop()
        reason = not_native(c)
        if reason is not None:
            return reason
        for _, callee in native_callees(c, module):
            if id(callee.chunk) not in seen:
                seen.add(id(callee.chunk))
                todo.append(callee.chunk)
    return None


_host_id: Optional[str] = None


def host_id() -> str:
    """The machine the code is for, without importing llvmlite: the CPU model and flags the kernel reports
    (read once per process)."""
    global _host_id
    if _host_id is None:
        _host_id = _read_host_id()
    return _host_id


def _read_host_id() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith(("model name", "flags")):
                    cpu += line.strip() + ";"
                if line.strip() == "":
                    break
    except OSError:
        pass
    return f"{os.uname().machine}|{sys.platform}|{cpu}"




# A loop goes native after this many back-edges per call threshold (10 x 100 = 1000 by default).
LOOP_FACTOR = 10


def _times(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def attach_jit(vm: Any, options: Any) -> JIT:
    jit = JIT(vm, threshold=options.jit_threshold, log=options.jit_log)
    if jit.log:
        import atexit

        atexit.register(jit.print_summary)
    vm.jit = jit
    vm.hot_at = max(options.jit_threshold, 1)  # threshold 0: compile on the first call
    vm.osr_at = max(options.jit_threshold * LOOP_FACTOR, 1)
    return jit
