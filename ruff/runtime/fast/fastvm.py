"""FastVM: the reference VM with every Ruff function run as its generated Python function.

Functions. `prepare()` gives every chunk of a compilation unit a trampoline as `chunk.fx`; the first call
generates the chunk's Python source (codegen), compiles it once, and creates the function with the
module's globals dict as its Python globals (Ruff globals are then plain LOAD_GLOBAL/STORE_GLOBAL) and a
builtins dict of Ruff builtins plus the runtime helpers (`build_helpers`). After that, `chunk.fx` is the
generated function itself for plain functions, and an entry (`make_entry`) that does the interpreter's
CALL step by step for generators, async functions and fallbacks.

Calls. A Ruff call is a Python call `chunk.fx(closure, depth, *args)`, one Python frame. Every generated
function takes its frame's Ruff depth and refuses a call deeper than the interpreter's MAX_FRAMES with the
interpreter's error ("Stack overflow: call depth exceeded 50000 in f"); a builtin's callbacks run one frame
above the Ruff frame that called the builtin (`cdepth`). Deep Ruff recursion is deep Python recursion:
programs run through run_in_big_stack().

Errors. Generated code raises RuffError with no bookkeeping on the fast path. The first time an error is
seen — by a generated `except`, by the interpreter's unwinder, or where it leaves a Python→Ruff boundary —
`trace()` rebuilds the interpreter's view from the Python stack: every frame of generated code maps to
its chunk (CodeInfo) and, through the generated line table, to the Ruff line and column of the instruction that was
running; frames of the interpreter's `execute` contribute their slice of `self.frames`. `observe()` also
records the functions an error has left (`err.unwound`, the caught error object's `stack`). So `err.line`,
`err.stack` and `e.stack` are what the interpreter reports.

Fallback. A chunk the code generator refuses (codegen.Unsupported: control flow that is not structured,
a chunk too big to be worth translating, or a function CPython will not compile, e.g. more than 20
nested loops/try blocks or 100 levels of indentation) runs in the reference interpreter: `chunk.fbody` is
None and its entry runs it in an "interpreter section" whose frames count towards the same depth limit.
Calls made by such a chunk stay in the interpreter (its loop calls closures itself); callbacks from
builtins come back here.
`FastVM.fallbacks` says which chunks fell back and why (RUFF_FAST_DUMP=1 prints it, and every generated
function, on stderr).

Native tier. With a JIT attached when a function is first compiled, generated code keeps the hooks of the
interpreter: `chunk.calls += 1`, `jit.hot()` at `vm.hot_at`, `jit.try_call()` once the chunk has tier
state (in the callee's prologue), `jit.global_rebound()` on every global store, and back-edge counting
that hands hot loops to `jit.osr()`. Without one, none of that is generated.
"""

from __future__ import annotations

import linecache
import math
import os
import sys
import types
import warnings
from typing import Any, Callable, Optional

from ruff.frontend.bytecode import Chunk, Op
from ruff.limits import I64_MAX, I64_MIN, MAX_FRAMES
from ruff.runtime import ops
from ruff.runtime.native_frames import with_native_frames
from ruff.runtime.fast.codegen import FULL_PROFILING, Analysis, Profiling, Unsupported, generate, pure_callee_of
from ruff.runtime.fast.expressions import HELPER_OF
from ruff.runtime.fast.factories import closure_factory
from ruff.runtime.fast.inline_calls import HeldPure
from ruff.runtime.fast.virtual_closures import VIRTUAL_CLOSURE
from ruff.runtime.fast.statements import INLINE_BUILTINS
from ruff.runtime.fast.frames import CodeInfo, code_info
from ruff.runtime.dict_keys import text_key
from ruff.runtime.values import (
    FLOAT_EPOCH, NONE_VALUE, BoundMethod, Builtin, Closure, EnumValue, Module, RuffError, StructInstance, StructType,
    display, new_closure, note_nonfloat, note_nonfloats, set_running_runtime, truthy,
)
from ruff.runtime.objects import (
    array_push, await_value, dict_key, error_value, field_set, index_get, index_set, make_iterator, make_struct,
    match_pattern, stack_overflow, thrown,
)
from ruff.runtime.vm import VM, Frame, StubFrame, fold_outlined_loops, frame_entry


_EXECUTE_CODE = VM.execute.__code__
_VM_CALL_CODE = VM.call.__code__
_RETURN = int(Op.Return)
_TRY_UNWRAP = int(Op.TryUnwrap)
DUMP = os.environ.get("RUFF_FAST_DUMP", "") not in ("", "0")


class _Missing:
    """Default of parameters with Ruff defaults in generated functions: the argument was not passed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()
_PY_BUILTINS = {f"@{b.__name__}": b for b in (int, float, bool, str, list, dict, iter, KeyError, IndexError,
                                              LookupError, NameError, TypeError, RecursionError, ZeroDivisionError,
                                              AttributeError, isinstance, getattr, hasattr)}


class FastVM(VM):
    """The reference VM with every Ruff function run as its generated Python function (see the module
    docstring): `prepare` gives each chunk its `fx`, `install` translates it (codegen) on the first call,
    `trace` rebuilds the interpreter's view of an error from the Python stack, and chunks the code
    generator refuses run in the inherited dispatch loop (`fallbacks` says which and why).
    """

    # Builtins let a RecursionError met near the depth limit through: the call site retries (see depth).
    retries_refusals = True

    def __init__(self, write: Optional[Callable[[str], Any]] = None, script_args: Optional[list[str]] = None,
                 loader: Any = None) -> None:
        super().__init__(write=write, script_args=script_args, loader=loader)
        # While the interpreter runs a fallback chunk: the Ruff depth is _offset + len(self.frames).
        self._offset = 0
        # The depth of the Ruff frame that called into Python (a builtin, a helper): its callbacks run one
        # deeper. Generated code sets it before such calls; _enter puts it back after a callback.
        self.cdepth = 0
        self._helpers: Optional[dict] = None
        self._compiled: dict[tuple, Any] = {}  # (id(chunk), Profiling) → (chunk, (Generated, code) | None)
        self._profiling: dict[int, Profiling] = {}  # id(chunk) → the hooks its generated code still has
        self._analysis: dict[int, tuple] = {}  # id(chunk) → (chunk, codegen.Analysis), with a JIT (see compile_chunk)
        self._modules: dict[int, Module] = {}  # id(chunk) → the module it was installed for
        self._native: dict[int, list] = {}  # id(chunk) → the JIT's native entries installed in chunk.fx
        self._factory_of: dict[int, tuple] = {}  # id(chunk) → (chunk, its factories.Factory or None)
        self._leaves: dict[int, tuple] = {}  # id(chunk) → (chunk, [its unit's chunks, their leaves by arity])
        self._pure_of: dict[int, tuple] = {}  # id(chunk) → (chunk, its inline_calls.PureCallee or None)
        self.fallbacks: dict[str, str] = {}  # "file:function" → why it runs in the interpreter

    # ------------------------------------------------------------------ entry points (Python → Ruff)

    def run_chunk(self, chunk: Chunk, module: Module) -> Any:
        self.filename = module.filename
        set_running_runtime(self)
        self.prepare(chunk)
        return self.call_closure(new_closure(chunk, [], module), [])

    def call_closure(self, fn: Closure, args: list) -> Any:
        return self._enter(fn, list(args), False)

    def run_body(self, fn: Closure, args: list) -> Any:
        set_running_runtime(self)
        return self._enter(fn, list(args), True)

    def _enter(self, fn: Closure, args: list, body: bool) -> Any:
        """Ruff code called from Python: a builtin's callback, a helper, the program itself. It runs one
        frame deeper than the Ruff frame that called into Python (`cdepth`), which is put back after."""
        chunk = fn.chunk
        if getattr(chunk, "fvm", None) is not self:
            self.prepare(chunk)
        helpers = self.helpers()
        base = self.cdepth
        try:
            if not body:
                return helpers["@ccall"](fn, args, base)
            # An async function's body, run to completion (VM.run_body).
            if len(args) != len(chunk.params):
                args = self.fit_args(fn, args)
            if not chunk.finstalled:
                self.install(chunk, fn.module)
            if chunk.fbody is None:
                return self._interp_call(fn, args, base + 1, body=True)
            return chunk.fbody(fn, base + 1, *args)
        except RuffError as err:
            self.observe(err, err.__traceback__)
            raise
        finally:
            self.cdepth = base

    def call_from_loop(self, fn: Any, args: list) -> Any:
        """The interpreter (a fallback chunk) calls something that is not a Ruff function: callbacks run
        above the interpreter's own frames."""
        self.cdepth = self._offset + len(self.frames)
        return VM.call(self, fn, args)

    # ------------------------------------------------------------------ preparing and compiling chunks

    def prepare(self, root: Chunk) -> None:
        """Point every chunk of this compilation unit at this VM's (lazily compiled) generated functions.

        chunk.fx(closure, *args) runs a call: the generated function itself for plain functions,
        an entry (see make_entry) for generators, async functions and interpreter fallbacks, and until
        the first call a trampoline that compiles the chunk. chunk.fbody is the generated function.
        """
        chunks = list(root.all_chunks())
        unit = [chunks, None]  # its leaf closures, found when a chunk of it is first compiled (_leaves_of)
        for c in chunks:
            if getattr(c, "fvm", None) is self:
                continue
            self._leaves[id(c)] = (c, unit)
            c.fvm = self
            c.fbody = None
            c.finstalled = False
            c.fx = self._trampoline(c)

    def _trampoline(self, chunk: Chunk) -> Callable:
        def first_call(cl: Closure, d: int, *args: Any) -> Any:
            fx = self.install(chunk, cl.module)
            try:
                return fx(cl, d, *args)
            except TypeError as e:
                if e.__traceback__ is None or e.__traceback__.tb_next is not None:
                    raise
            return self.helpers()["@refit"](cl, list(args), d - 1)

        return first_call

    def install(self, chunk: Chunk, module: Module) -> Callable:
        """Compile `chunk` for `module` (its globals are the function's globals); set and return chunk.fx."""
        chunk.finstalled = True
        self._modules[id(chunk)] = module
        compiled = self.compile_chunk(chunk, self._profiling.get(id(chunk), FULL_PROFILING))
        if compiled is None:
            chunk.fbody = None
            chunk.fx = self.make_entry(chunk)
            return chunk.fx
        gen, code = compiled
        fb = dict(self.helpers())
        fb.update(self.builtins)
        for name, value in gen.consts.items():
            fb["@" + name[1:]] = value
        fb["@HOT"] = self.hot_at
        fb["@OSR"] = getattr(self, "osr_at", 1 << 62)
        fb["@CH"] = chunk
        g = module.globals
        saved = g.get("__builtins__", MISSING)
        g["__builtins__"] = fb  # a function takes its builtins from its globals when it is created
        try:
            fn = types.FunctionType(code, g, gen.name, (MISSING,) * gen.defaults or None)
        finally:
            if saved is MISSING:
                del g["__builtins__"]
            else:
                g["__builtins__"] = saved
        chunk.fbody = fn
        chunk.fx = fn if not (chunk.is_generator or chunk.is_async) else self.make_entry(chunk)
        return chunk.fx

    def install_native(self, chunk: Chunk, entries: list) -> None:
        """Calls of `chunk` go straight into native code: chunk.fx becomes a chain of the native entry points
        (one per argument-type specialization), each handing a call whose types it does not take to the next,
        the last to the generated function, whose prologue still profiles (a new type combination may get
        its own specialization); a Ruff error in native code goes to the generated function too. With no
        entries left (rebinding a global dropped them), chunk.fx is the generated function again."""
        body = chunk.fbody
        if body is None or chunk.is_generator or chunk.is_async or not chunk.finstalled:
            return
        self._native[id(chunk)] = list(entries)
        fx = body
        counting = getattr(getattr(self, "jit", None), "log", False)  # --jit-log counts calls for its summary
        for entry in entries:
            fn = entry.function
            if getattr(fn, "py_address", 0):
                if counting:
                    fx = _counted(fn.python_function(_counted(fx, entry, "handed_back"), _counted(body, entry,
                                                                                           "handed_back")),
                                  entry, "calls")
                else:
                    fx = fn.python_function(fx, body)
        chunk.fx = fx

    def profile_less(self, chunk: Chunk, calls: Optional[bool] = None, native: Optional[bool] = None,
                     quiet_loop: Optional[int] = None) -> None:
        """The JIT has nothing more to learn from some of `chunk`'s profiling hooks (it compiled or refused
        the function, or refused a loop for good): generate the function again without them, so that what
        runs from now on pays nothing for them. Frames already running keep the code they started with."""
        old = self._profiling.get(id(chunk), FULL_PROFILING)
        new = Profiling(old.calls if calls is None else (old.calls and calls),
                        old.native if native is None else (old.native and native),
                        old.quiet_loops | ({quiet_loop} if quiet_loop is not None else set()))
        if new == old:
            return
        self._profiling[id(chunk)] = new
        module = self._modules.get(id(chunk))
        if not getattr(chunk, "finstalled", False) or chunk.fbody is None or module is None or getattr(chunk, "fvm", None) is not self:
            return
        self.install(chunk, module)
        self.install_native(chunk, self._native.get(id(chunk), []))

    def profile_again(self, chunk: Chunk) -> None:
        """The JIT dropped `chunk`'s native code (a global it depended on was rebound): profile it afresh."""
        if self._profiling.pop(id(chunk), None) is not None:
            module = self._modules.get(id(chunk))
            if chunk.finstalled and chunk.fbody is not None and module is not None:
                self.install(chunk, module)
                self.install_native(chunk, self._native.get(id(chunk), []))

    def compile_chunk(self, chunk: Chunk, profiling: Profiling = FULL_PROFILING) -> Optional[tuple]:
        """(Generated, function code object) for `chunk`, or None when it stays in the interpreter."""
        key = (id(chunk), profiling)
        if key in self._compiled and self._compiled[key][0] is chunk:
            return self._compiled[key][1]
        filename = f"<ruff-fast {chunk.filename}:{chunk.name}:{chunk.line}>"
        result = None
        try:
            gen = generate(chunk, jit=self.jit is not None, builtin_names=self._builtin_names(), profiling=profiling,
                           analysis=self._analysis_of(chunk), factories=self._factories(self._modules.get(id(chunk))),
                           leaves=self._leaves_of(chunk),
                           pure_callees=self._pure_callees(self._modules.get(id(chunk))))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. SyntaxWarning for `1 is None` in dead code
                module_code = compile(gen.source, filename, "exec")
        except (Unsupported, SyntaxError, RecursionError, MemoryError, ValueError, OverflowError) as e:
            reason = f"{type(e).__name__}: {e}"
            self.fallbacks[f"{chunk.filename}:{chunk.name}"] = reason
            if DUMP:
                print(f"[fast] {chunk.name} stays in the interpreter: {reason}", file=sys.stderr)
        else:
            if DUMP:
                print(gen.source, file=sys.stderr)
            code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
            info = CodeInfo(chunk.loop_of or chunk.name, chunk.filename, chunk.line, gen.linemap)
            info.loop = chunk.loop_of is not None  # an outlined loop (ruff.osr) stands for its function
            code = code.replace(co_names=tuple(_resolve_name(n, gen) for n in code.co_names),
                                co_consts=code.co_consts + (info,))
            if DUMP:  # Python tracebacks through generated code then show its source
                linecache.cache[filename] = (len(gen.source), None, gen.source.splitlines(True), filename)
            result = (gen, code)
        self._compiled[key] = (chunk, result)
        return result

    def _analysis_of(self, chunk: Chunk) -> Optional[Analysis]:
        """The chunk's placement and type facts, kept from its first generation when a JIT may have it
        generated again (profile_less); not for chunks too big to be worth keeping them for."""
        if self.jit is None or len(chunk.code) > MAX_KEPT_ANALYSIS:
            return None
        hit = self._analysis.get(id(chunk))
        if hit is not None and hit[0] is chunk:
            return hit[1]
        analysis = Analysis(chunk)
        self._analysis[id(chunk)] = (chunk, analysis)
        return analysis

    def _leaves_of(self, chunk: Chunk) -> Optional[dict]:
        """The leaf closures of chunk's compilation unit by parameter count (leaf_closures.py)."""
        hit = self._leaves.get(id(chunk))
        if hit is None or hit[0] is not chunk:
            return None
        unit = hit[1]
        if unit[1] is None:
            unit[1] = {}
            if any(c.upvalues for c in unit[0]):  # no closure, no leaf: spares programs without any the import
                from ruff.runtime.fast.leaf_closures import leaves_by_arity

                unit[1] = leaves_by_arity(unit[0])
        return unit[1]

    @staticmethod
    def _held_closures(module: Optional[Module], cache: dict, analyse) -> list[tuple[str, Closure, Any]]:
        """(name, closure, analyse(its chunk)) for each module global holding a Closure now whose chunk's
        analysis (cached per chunk in `cache`: id → (chunk, result)) is not None."""
        found: list[tuple[str, Closure, Any]] = []
        if module is None:
            return found
        for name, value in module.globals.items():
            if type(value) is Closure:
                hit = cache.get(id(value.chunk), (None, None))
                if hit[0] is not value.chunk:
                    hit = cache[id(value.chunk)] = (value.chunk, analyse(value.chunk))
                if hit[1] is not None:
                    found.append((name, value, hit[1]))
        return found

    def _factories(self, module: Optional[Module]) -> dict:
        """The module's globals that hold a closure factory (factories.py) now, by name."""
        held = self._held_closures(module, self._factory_of, closure_factory)
        return {name: factory for name, _, factory in held}

    def _pure_callees(self, module: Optional[Module]) -> dict:
        """Without a JIT: the module's globals that hold a pure arithmetic function (inline_calls.py) now."""
        if self.jit is not None:
            return {}
        return {name: HeldPure(closure, pure)
                for name, closure, pure in self._held_closures(module, self._pure_of, pure_callee_of)}

    def _builtin_names(self) -> frozenset:
        names = self.__dict__.get("_builtin_name_set")
        if names is None:
            names = self._builtin_name_set = frozenset(k for k, v in self.builtins.items() if type(v) is Builtin)
        return names

    def make_entry(self, chunk: Chunk) -> Callable:
        """chunk.fx for generators, async functions and interpreter fallbacks: VM's CALL, step by step."""
        vm = self
        fit_args = self.fit_args
        interp_call = self._interp_call

        def entry(cl: Closure, d: int, *args: Any) -> Any:
            args = list(args)
            jit = vm.jit
            if jit is not None:
                chunk.calls += 1
                if chunk.calls == vm.hot_at:
                    jit.hot(cl, args)
                if chunk.tier_state is not None:
                    handled, result = jit.try_call(cl, args, d)
                    if handled:
                        return result
            if chunk.is_async:
                vm.cdepth = d - 1
                return vm.start_async(cl, args)
            if len(args) != len(chunk.params):
                args = fit_args(cl, args)
            body = chunk.fbody
            if body is None:
                return interp_call(cl, args, d)
            return body(cl, d, *args)

        return entry

    # ------------------------------------------------------------------ interpreter sections

    def _interp_call(self, fn: Closure, args: list, d: int, body: bool = False) -> Any:
        """Run a fallback chunk (at depth d) in the reference interpreter; its frames count after the
        Ruff frames below it."""
        saved = self._offset
        self._offset = d - 1 - len(self.frames)  # frames of sections below are already counted in d
        try:
            return VM.run_body(self, fn, args) if body else VM.call_closure(self, fn, args)
        finally:
            self._offset = saved

    def note_native_depth(self, depth: int) -> None:
        self.cdepth = depth

    def push_frame(self, frame: Frame) -> None:
        if self._offset + len(self.frames) >= MAX_FRAMES:
            raise stack_overflow(frame.chunk.name)
        frame.depth = self._offset + len(self.frames) + 1
        self.frames.append(frame)

    def unwind(self, err: RuffError, base: int) -> bool:
        if err.__traceback__ is not None:
            self.observe(err, err.__traceback__)
        return super().unwind(err, base)

    # ------------------------------------------------------------------ errors

    def observe(self, err: RuffError, tb: Any) -> None:
        """An error passes a point where Python code sees it: trace it once, and note the functions it left."""
        first = not err.traced
        if first:
            self.trace(err, tb)
        info = err.__dict__
        last = info.get("_fast_seen")
        names = []
        natives = info.get("native_frames") or ()
        resumed = info.get("resumed_depths") or ()
        t = tb.tb_next if tb is not None else None
        while t is not None and t is not last:
            ci = code_info(t.tb_frame.f_code)
            # A frame whose prologue entered native code at its own depth: the native frame the error left
            # is already in `unwound` (place_native_frame), as in trace()'s `entered`; so is the
            # interpreter's frame the native code deoptimized into (VM.unwind).
            d = t.tb_frame.f_locals.get("d") if natives or resumed else None
            if ci is not None and not ci.loop and not (d is not None and (d in natives or d in resumed)):
                names.append(ci.name)
            t = t.tb_next
        if info.get("refused_frame") and not info.get("_fast_dropped") and names:
            names.pop()  # the frame past the depth limit, which the interpreter would not have started
            err._fast_dropped = True
        if names:
            err.unwound.extend(reversed(names))
        err._fast_seen = tb

    def trace(self, err: RuffError, tb: Any) -> None:
        """Where `err` started and the whole Ruff call stack at that moment, as VM.unwind records them."""
        chain: list = []
        f = tb.tb_frame.f_back if tb is not None else None
        while f is not None:
            chain.append((f, f.f_lineno))
            f = f.f_back
        chain.reverse()
        t = tb
        while t is not None:
            chain.append((t.tb_frame, t.tb_lineno))
            t = t.tb_next
        items: list = []  # ("fast", entry) | ("interp", base), outermost first
        for frame, lineno in chain:
            code = frame.f_code
            info = code_info(code)
            if info is not None:
                line, col = info.line, 0
                if lineno is not None and 0 < lineno < len(info.linemap):
                    line, col = info.linemap[lineno]
                d = frame.f_locals.get("d")
                items.append(("fast", ((info.name, info.filename, line, col), d if type(d) is int else None,
                                       info.loop)))
            elif code is _EXECUTE_CODE:
                base = frame.f_locals.get("base")
                if isinstance(base, int):
                    items.append(("interp", base))
        if err.__dict__.get("refused_frame") and items and items[-1][0] == "fast":
            items.pop()  # raised in the frame past the depth limit: the interpreter stops at its caller
        entries: list = []
        depths: list = []  # of each entry
        fast_depths: list = []
        loops: list = []  # per entry: an outlined loop's frame
        frames = self.frames
        for k, (kind, data) in enumerate(items):
            if kind == "fast":
                entry, d, loop = data
                entries.append(entry)
                depths.append(d if d is not None else (depths[-1] + 1 if depths else 1))
                fast_depths.append(depths[-1])
                loops.append(loop)
                continue
            end = len(frames)
            for kind2, data2 in items[k + 1:]:
                if kind2 == "interp":
                    end = data2
                    break
            for fr in frames[data:end]:
                entries.append(frame_entry(fr))
                depths.append(fr.depth)  # set when pushed (push_frame, resume_at), as VM.unwind reads it
                loops.append(fr.chunk.loop_of is not None)
        fold_outlined_loops(entries, depths, loops)
        for k in range(len(entries) - 1, 0, -1):
            if depths[k - 1] == depths[k]:  # the fast function whose prologue entered native code that then
                del entries[k - 1], depths[k - 1]  # deoptimized: the interpreter's frame goes on for it
        if "native_frames" in err.__dict__:
            entered = frozenset(fast_depths)
            entries = with_native_frames(err, entries, depths, entered)
        else:  # native frames the error leaves later are placed by these depths
            err.__dict__["stack_depths"] = list(reversed(depths))
            # A fast function's frame at a depth where native code later places its frame is the one whose
            # prologue entered that code: traced at its prologue's line, the native frame's line replaces it.
            err.__dict__["fast_traced_depths"] = frozenset(fast_depths)
        err.traced = True
        if entries:
            name, filename, line, col = entries[-1]
            err.line, err.col, err.filename = line, col, filename
        err.stack = [f"{n} ({fn}:{ln})" for n, fn, ln, _ in reversed(entries)]
        err.stack_names = [n for n, _, _, _ in reversed(entries)]

    # ------------------------------------------------------------------ what generated code calls

    def helpers(self) -> dict:
        if self._helpers is None:
            self._helpers = build_helpers(self)
        return self._helpers


# Instructions beyond which a chunk's analysis is not kept for its regenerations (its facts take memory
# in proportion; such chunks are mostly top-level code that runs once).
MAX_KEPT_ANALYSIS = 5_000


def _resolve_name(name: str, gen: Any) -> str:
    """The real name behind a placeholder of the generated source (see codegen.Generated)."""
    if name.startswith("_h_"):
        return "@" + name[3:]
    if name[:2] == "_k" and name[2:].isdigit():
        return "@" + name[1:]
    if name[:2] == "_g" and name[2:].isdigit():
        return gen.globals[int(name[2:])]
    return name


def build_helpers(vm: FastVM) -> dict:
    """What generated code calls, under the names it uses for them ("@x" is `_h_x` in the source)."""
    fit_args = vm.fit_args
    resolve_method = vm.resolve_method
    base_call = VM.call
    # Every helper that may run Ruff code takes `d`, the depth of the Ruff frame calling it: a Ruff
    # function it calls runs at d + 1, and a builtin's callbacks do too (through vm.cdepth).

    def _ccall(f: Closure, args: list, d: int) -> Any:
        """Call closure f with a list of arguments."""
        try:
            return f.chunk.fx(f, d + 1, *args)
        except TypeError as e:
            if e.__traceback__ is None or e.__traceback__.tb_next is not None:
                raise
        return _refit(f, args, d)

    def _refit(f: Closure, args: list, d: int) -> Any:
        """The argument count does not fit the generated function: VM.fit_args fills defaults or raises."""
        args = fit_args(f, args)
        return f.chunk.fx(f, d + 1, *args)

    def _arity(e: TypeError, f: Closure, args: list, d: int) -> Any:
        """A generated call site's TypeError: a wrong argument count (raised by the call itself) or a bug."""
        if e.__traceback__ is not None and e.__traceback__.tb_next is not None:
            raise e
        return _refit(f, args, d)

    def _notfn(e: AttributeError, f: Any, args: list, d: int) -> Any:
        """`f.chunk` failed at a call site: f is no Closure (a builtin, a bound method, not callable)."""
        if type(f) is Closure or (e.__traceback__ is not None and e.__traceback__.tb_next is not None):
            raise e
        return _call(f, args, d)

    def _refuse(cl: Closure) -> None:
        """A generated function was entered deeper than MAX_FRAMES: the interpreter's error, raised where
        the caller called (the frame past the limit is not part of the stack)."""
        err = stack_overflow(cl.chunk.name)
        err.refused_frame = True
        raise err

    def _fit(cl: Closure, *args: Any) -> list:
        return fit_args(cl, [a for a in args if a is not MISSING])

    def _ocall(f: Any, args: list, d: int) -> Any:
        """Call anything that is not a Closure."""
        t = type(f)
        if t is Builtin:
            vm.cdepth = d
            return f.fn(vm, args)
        if t is BoundMethod:
            return _call(f.function, [f.receiver, *args], d)
        vm.cdepth = d
        return base_call(vm, f, args)

    def _call(f: Any, args: list, d: int) -> Any:
        if type(f) is Closure:
            return _ccall(f, args, d)
        return _ocall(f, args, d)

    def _mcall(obj: Any, name: str, args: list, d: int) -> Any:
        fn, args = resolve_method(obj, name, args)
        return _call(fn, args, d)

    def binary(sym: str) -> Callable:
        method = ops.OVERLOAD_METHOD[sym]
        op = ops.BINARY[sym]

        def slow(a: Any, b: Any, d: int) -> Any:
            if isinstance(a, StructInstance):
                m = a.type.methods.get(method)
                if m is not None:
                    return _call(m, [a, b], d)  # VM.binary → VM.invoke
            return op(a, b)

        slow.__name__ = f"binary_{method}"
        return slow

    def _neg(a: Any, d: int) -> Any:
        if isinstance(a, StructInstance) and "op_neg" in a.type.methods:
            return _call(a.type.methods["op_neg"], [a], d)
        return ops.neg(a)

    def _not(a: Any, d: int) -> Any:
        if isinstance(a, StructInstance) and "op_not" in a.type.methods:
            return _call(a.type.methods["op_not"], [a], d)
        return not truthy(a)

    def _ovf(sym: str, a: int, b: int, r: int) -> int:
        if I64_MIN <= r <= I64_MAX:
            return r
        raise ops.overflow(sym, a, b)

    def _gmiss(name: str) -> Any:
        raise RuffError(f"Undefined variable: {name}")

    def _catch(e: RuffError) -> Any:
        vm.observe(e, e.__traceback__)
        return error_value(e, e.unwound)

    def _mp(pattern: Any, v: Any) -> Optional[list]:
        bound: list = []
        return bound if match_pattern(pattern, v, bound) else None

    def _mlit(pattern: Any, v: Any) -> bool:
        return match_pattern(pattern, v, [])

    def _slow(op: int, arg: Any, operands: list, cl: Closure) -> list:
        frame = StubFrame(cl, operands)
        vm.slow_op(frame, op, arg)
        return frame.stack

    def _osrframe(cl: Closure, locals_: list, stack: list) -> StubFrame:
        """The frame the JIT's on-stack replacement reads and updates (chunk, module, locals, stack, ip)."""
        frame = StubFrame(cl, stack)
        frame.locals = locals_
        return frame

    def _unwrap_other(v: Any) -> Any:
        """`?` on anything but Ok/Some: Err/None return from the function, the rest is the VM's error."""
        if type(v) is EnumValue and v.variant in ("Err", "None"):
            return v
        vm.slow_op(StubFrame(_NO_CLOSURE, [v]), _TRY_UNWRAP, None)
        raise AssertionError("TryUnwrap did not raise")

    ns = {
        "vm": vm, "Closure": Closure, "new": object.__new__, "Builtin": Builtin, "SI": StructInstance, "ST": StructType,
        "EV": EnumValue, "RE": RuffError, "NONE": NONE_VALUE, "IMMUTABLE": ("let", "const"),
        "OK_SOME": ("Ok", "Some"), "MISSING": MISSING, "truthy": truthy, "disp": display, "thrown": thrown,
        "iget": index_get, "iset": index_set, "fget": vm.field_get, "fset": field_set,
        "mkstruct": make_struct, "mkiter": make_iterator, "dk": dict_key, "tk": text_key, "await": await_value,
        "ccall": _ccall, "refit": _refit, "arity": _arity, "notfn": _notfn, "fit": _fit, "refuse": _refuse,
        "ocall": _ocall, "call": _call, "mcall": _mcall, "neg": _neg, "not": _not, "ovf": _ovf,
        "gmiss": _gmiss, "catch": _catch, "mp": _mp, "mlit": _mlit, "slow": _slow,
        "unwrap_other": _unwrap_other, "osrframe": _osrframe, "apush": array_push,
        "msqrt": math.sqrt, "pylen": len, "refcount": sys.getrefcount,
        "nofloat": note_nonfloat, "nofloats": note_nonfloats,
        "VC": VIRTUAL_CLOSURE, "FE": FLOAT_EPOCH,
    }
    for name in (*INLINE_BUILTINS, "push"):  # what the fast tier's inline builtin paths test against
        ns["B_" + name] = vm.builtins.get(name, MISSING)
    for sym, name in HELPER_OF.items():
        ns[name] = binary(sym)
    out = {"@" + k: v for k, v in ns.items()}
    out.update(_PY_BUILTINS)
    return out


_NO_CLOSURE = new_closure(Chunk("<fast>", []), [], Module("<fast>", "<fast>"))


# ----------------------------------------------------------------------------- running with a deep stack


def _counted(fn: Any, entry: Any, counter: str) -> Any:
    """`fn`, adding one to `entry.<counter>` on each call (only with --jit-log: it costs a Python call)."""

    def call(*args: Any) -> Any:
        setattr(entry, counter, getattr(entry, counter) + 1)
        return fn(*args)

    return call
