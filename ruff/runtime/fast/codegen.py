"""Ruff bytecode → Python source for the fast baseline tier: the entry point, `generate(chunk)`.

One Chunk becomes one Python function `def ruff_<name>(cl, d, l0, l1, ...)`:

- `cl` is the Closure being run and `d` its frame's Ruff depth (the script is 1; the prologue refuses a
  depth beyond the interpreter's MAX_FRAMES exactly as the interpreter does), then one Python parameter
  per Ruff parameter (trailing ones with Ruff defaults default to fastvm.MISSING and are filled by
  VM.fit_args in the prologue). Every local slot is the Python local `l<slot>` (a captured slot holds its
  Cell, as in the interpreter); upvalue cells are read once into `u<i>`.
- Ruff globals are the function's Python globals: fastvm creates the function with the module's globals
  dict, so a global read is a cached LOAD_GLOBAL and a missing one (NameError) is the Ruff error
  "Undefined variable". Ruff builtins, the runtime helpers and this chunk's constants live in the
  function's builtins, the helpers and constants under names no Ruff program can bind ("@add", "@k0"):
  the source spells them `_h_add` and `_k0`, and Ruff globals `_g<i>`; fastvm renames them in co_names.
- The operand stack disappears: its depth is static at every instruction (ruff.frontend.cfg), so each
  stack entry is a Python expression that is only ever a name or a literal — a lazy local, a constant,
  or the temporary `t<n>` that received an operation's result. At control-flow merges the entry at depth
  i is the canonical temporary `s<i>`.
- Control flow is rebuilt as structured Python (if/elif/else, `while`, `for`, try/except); placement.py
  decides where each block goes, this module walks that placement and emits the branches.
- Every Ruff semantic is inline or one helper call away (expressions.py: operators with inline fast
  paths; statements.py: everything else), try regions are Python try/except around exactly the
  protected code, generators are Python generators.
- Static facts (typeflow.py) remove what cannot happen: an operand proven to be an int, a list or a dict
  needs no class test, and int arithmetic whose interval stays inside i64 (a loop counter below its
  bound, `n - 1` after `n < 2` failed) needs no overflow test. Small functions whose parameters feed
  arithmetic get a second copy of their body behind one entry test (`l0.__class__ is int`), generated
  with those parameters known to be ints.
- Without a JIT, the rest of a loop body that reads struct fields into arithmetic gets a second copy
  behind one test of the structs' float-only flags (`split`; values.FLOAT_FIELD_BITS): there the fields
  are known floats until something that may run Ruff code (a call, an operator on unknown operands).
  Likewise the rest of a loop body after an inline string builtin whose result it stores and reads
  again (`key := substring(..)`, split_call): behind the builtin's own inline test, that local is a
  known string.
- A call `f(x)` is `f.chunk.fx(f, d + 1, x)` when f is a Closure: the callee checks its depth and does the
  native tier's bookkeeping in its prologue; a TypeError from the call itself means the argument count
  does not fit (fastvm's `arity` helper then lets VM.fit_args raise the Ruff error).
- Runtime errors get Ruff lines for free: every Python line of the generated source belongs to one
  bytecode instruction, and `linemap[python_line] = (ruff_line, ruff_col)` (see fastvm.FastVM.trace).
- A chunk of more than MAX_INSTRUCTIONS runs in the interpreter: CPython's compiler needs seconds and
  gigabytes for the Python function it would become (mostly straight-line top-level code that runs once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ruff.frontend.bytecode import Chunk, MatchPat, Op, pattern_binding_names
from ruff.frontend.cfg import CONDITIONAL, EXIT, FALL, HANDLER, JUMP, BadBytecode, Block, ControlFlow, Edge, stack_effect
from ruff.limits import MAX_FRAMES
from ruff.runtime.fast.expressions import _ARITH, _CMP, StackEntry
from ruff.runtime.fast.inline_calls import PureCallee, body_shape, guard_shape, pure_callee, ranges_proven
from ruff.runtime.fast.placement import Placement, Unsupported
from ruff.runtime.fast.pysource import If, Line, Loop, Renderer, Try, fold_temp_copies, terminal
from ruff.runtime.fast.shortcircuit import threaded
from ruff.runtime.fast.statements import INLINE_BUILTINS, STATEMENTS, InstructionEmitter
from ruff.runtime.fast.typeflow import INT as INT_VAL
from ruff.runtime.fast.typeflow import LIST as LIST_VAL
from ruff.runtime.fast.typeflow import STR as STR_VAL
from ruff.runtime.fast.typeflow import _OVERFLOW_OPS, Facts, Ty, Val, infer, infer_loop, int_val
from ruff.runtime.fast.virtual_closures import VirtualLocals
from ruff.runtime.values import float_field_bit

__all__ = ["FULL_PROFILING", "Analysis", "Generated", "Profiling", "Unsupported", "generate"]

# What FunctionEmitter translates itself: branches (emit_node, match, emit_for) and comparisons (fused
# into the branch that tests them where they can be). With STATEMENTS: every opcode.
BRANCHES = frozenset({Op.Jump, Op.JumpBack, Op.JumpIfFalse, Op.JumpIfTrue, Op.JumpIfNotNull, Op.BeginTry,
                      Op.Return, Op.Throw, Op.IteratorNext, Op.MatchPattern})
COMPARISONS = frozenset(_CMP) | {Op.Equal, Op.NotEqual}
TRANSLATED = BRANCHES | COMPARISONS | STATEMENTS


class LoopCtx:
    """A loop being emitted: its header, where `break` goes, the Python loop statement, and (with a JIT)
    the local counting its back-edges for on-stack replacement."""

    __slots__ = ("header", "break_to", "stmt", "counter", "last_edge")

    def __init__(self, header: Block, break_to: Optional[Block]) -> None:
        self.header, self.break_to, self.stmt = header, break_to, None
        self.counter: Optional[str] = None  # with a JIT: the local counting back-edges (OSR)
        self.last_edge = -1


class Generated:
    """The result of generating one chunk.

    Names in `source` follow three conventions, resolved by fastvm when it builds the function:
    `_h_<x>` is the runtime helper `@<x>` and `_k<i>` the constant `@k<i>` (both looked up in the
    function's builtins, under names no Ruff program can bind), `_g<i>` is the Ruff global `globals[i]`
    (the function's globals are the module's globals, so Ruff globals are real Python globals).
    """

    def __init__(self, name: str, source: str, linemap: list, consts: dict, globals_: list, params: int,
                 defaults: int) -> None:
        self.name = name  # the Python function's name in the executed source
        self.source = source
        self.linemap = linemap  # python line → (ruff line, ruff col)
        self.consts = consts  # "_k<i>" → constant
        self.globals = globals_  # i → Ruff global name of "_g<i>"
        self.params = params  # Ruff parameters (after cl)
        self.defaults = defaults  # trailing parameters that take a default (filled by the prologue)


def py_name(name: str) -> str:
    out = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return "ruff_" + (out or "fn")


@dataclass(frozen=True)
class Profiling:
    """What a generated function still reports to the native tier; the JIT narrows it as it decides, and
    the function is generated again without the rest (fastvm.FastVM.profile_less).

    calls: count calls and hand the function to the JIT at the threshold; native: offer each call to the
    JIT's native code (try_call), which also counts argument types that have none yet; quiet_loops: loops,
    by their final back-edge, that count no back-edges any more (compiled or refused for good)."""

    calls: bool = True
    native: bool = True
    quiet_loops: frozenset = frozenset()


FULL_PROFILING = Profiling()


class Analysis:
    """What the code generator knows of a chunk whatever hooks it emits: the placement of its blocks and
    typeflow's facts (generic, or with some parameters known to be ints). The JIT has a function generated
    again as it drops hooks (`Profiling`); fastvm keeps a chunk's Analysis for that, so that only the
    emitting is done again. Raises Unsupported (from Placement) like `generate`."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = threaded(chunk)  # the code the generator reads: short-circuit jumps threaded
        self.placement = Placement(self.chunk)
        self._facts: dict[Optional[tuple], Optional[Facts]] = {}

    def facts(self, param_types: Optional[tuple] = None) -> Optional[Facts]:
        """typeflow's facts with these parameter types (Ty kinds or int ranges), computed once."""
        if param_types not in self._facts:
            try:
                self._facts[param_types] = infer(self.chunk, param_types, flow=self.placement.flow)
            except BadBytecode:
                self._facts[param_types] = None
        return self._facts[param_types]


class FunctionEmitter(InstructionEmitter):
    """Generates the Python function for one chunk: the placement of its blocks (placement.py) walked as
    a tree, each block's instructions (statements.py, expressions.py) with the operand stack as Python
    expressions, the branches between blocks as if/while/for/try, break and continue, and the prologue.

    Entry: `generate()`. State while generating: `facts` (typeflow's, swapped for the int-specialized
    copy of the body), `incoming`/`frozen` (what merge blocks know about their stack entries, and which
    ones were emitted already), and what the prologue must set up (`uses`, `upvals`, `stored_globals`).
    """

    def __init__(self, chunk: Chunk, jit: bool, builtin_names: frozenset = frozenset(),
                 profiling: Profiling = FULL_PROFILING, analysis: Optional[Analysis] = None) -> None:
        self.analysis = analysis if analysis is not None else Analysis(chunk)
        chunk = self.analysis.chunk
        self.chunk = chunk
        self.builtin_names = builtin_names
        self.factories: dict = {}  # global name → factories.Factory (see generate)
        self.leaves: dict = {}  # parameter count → leaf_closures.Leaf candidates (see generate)
        self.pure_callees: dict = {}  # global name → inline_calls.HeldPure (see generate)
        self.held_locals: dict[str, str] = {}  # constant name of a HeldPure's closure → the local testing it
        self.code = chunk.code
        self.consts = chunk.constants
        self.jit = jit
        self.profiling = profiling
        # Generators and async functions are entered through fastvm's entries, which do the per-call
        # work (call counting, the native tier, argument fitting); plain functions do it themselves.
        self.plain = not (chunk.is_generator or chunk.is_async)
        self.placement = self.analysis.placement
        self.facts: Optional[Facts] = self.analysis.facts()
        self.init_expressions()
        self.global_names: dict[str, str] = {}
        self.stored_globals: set[str] = set()
        self.uses: set[str] = set()
        self.upvals: set[int] = set()
        self.has_yield = False
        self.incoming: dict[int, list[bool]] = {}  # merge block → per-slot "every arrival is a bool"
        self.frozen: set[int] = set()
        self.slot_hint: dict[int, str] = {}  # local slot -> the hint of what was last stored there
        # Top-level code outside loops runs once: it gets one-line helper calls instead of fast paths,
        # which keeps big scripts quick to compile. Everything else is hot until proven otherwise.
        self.runs_once = chunk.name == "<script>" and not chunk.params
        self.cold = False
        # Float-field speculation (split): without a JIT (native code stores fields without keeping the
        # classes' float-only flags), loop bodies get a copy behind one test of their structs' flags.
        self.speculate = not jit and self.facts is not None
        self.spec_fields: Optional[dict[int, set]] = None  # in a guarded copy: local slot -> float fields
        self.spec_floats: set[int] = set()  # in a guarded copy: local slots holding a float
        self.spec_strs: set[int] = set()  # in a guarded copy: local slots holding a string
        self.spec_splits = 0  # guards on the path to the code being emitted
        self.spec_off = False  # emitting the unguarded copy of a split: no further splits
        self.cell_slots = frozenset(chunk.cell_slots) | {ins.arg for ins in chunk.code
                                                         if ins.op in (Op.MakeCell, Op.LoadDeref, Op.StoreDeref)}
        self.cells = {ins.arg for ins in self.code if ins.op in (Op.MakeCell, Op.LoadDeref, Op.StoreDeref)} \
            | set(chunk.cell_slots)
        self.versioned = 0  # loops given a second copy (loop_version)
        self.version_tries = 0
        self.guarded: set[int] = set()  # local slots a loop version's guard reads
        self.float_caches: list[str] = []  # the locals of split_plan's tests (class, mark), None at entry
        self.virtual = VirtualLocals(self)  # closures of inlined factories not built (virtual_closures.py)

    def gname(self, name: str) -> str:
        g = self.global_names.get(name)
        if g is None:
            g = f"_g{len(self.global_names)}"
            self.global_names[name] = g
        return g

    def canon(self, b: Block, use_incoming: bool = True) -> list:
        bools = self.incoming.get(b.start) if use_incoming else None
        self.frozen.add(b.start)
        return [StackEntry(f"s{i}", "t", isbool=bool(bools and bools[i])) for i in range(b.depth)]

    def materialize(self, state: list, target: Block, out: list) -> None:
        """Move the entries into the canonical temporaries s0..sn that `target` expects (parallel assignment)."""
        if len(state) != target.depth:
            raise Unsupported("stack depth mismatch at a merge")
        bools = [e.isbool or (e.kind == "c" and type(e.value) is bool) for e in state]
        if not target.is_header:
            prev = self.incoming.get(target.start)
            if target.start in self.frozen:
                if prev is None or any(p and not b for p, b in zip(prev, bools)):
                    raise Unsupported("merge reached after it was emitted")
            else:
                self.incoming[target.start] = bools if prev is None else [p and b for p, b in zip(prev, bools)]
        lhs, rhs = [], []
        for i, e in enumerate(state):
            if e.text != f"s{i}":
                lhs.append(f"s{i}")
                rhs.append(e.text)
        if lhs:
            self.line(out, f"{', '.join(lhs)} = {', '.join(rhs)}", None)

    def spill_local(self, state: list, slot: int, out: list) -> None:
        """Before local `slot` is written: stack entries still reading it lazily get its current value."""
        if any(e.kind == "f" and slot in e.reads for e in state):
            self.flush(state, out, trees_only=True)  # in order: a tree's chain may raise
        for k, e in enumerate(state):
            if e.kind == "x" and slot in e.reads:
                state[k] = self.realize(e, out)
        t = None
        for k, e in enumerate(state):
            if e.kind == "l" and e.slot == slot:
                if t is None:
                    t = self.temp()
                    self.line(out, f"{t} = l{slot}", None)
                state[k] = StackEntry(t, "t")

    def maybe_unassigned(self) -> set[int]:
        """Local slots some path may read before storing them (the prologue sets those to None, as the
        interpreter's frame does; the rest need not be: a call initializes fewer locals). Every slot when
        something reads all the locals (OSR's snapshot with a JIT) or cells are involved."""
        chunk = self.chunk
        n = chunk.num_locals
        if self.jit or not self.plain or self.cells:
            return set(range(n))
        flow = self.placement.flow
        everything = frozenset(range(n))
        assigned: dict[int, frozenset] = {id(b): everything for b in flow.order}  # at each block's end
        entry = flow.order[0]
        need: set[int] = set()

        def walk(b: Block, record: bool) -> frozenset:
            if b is entry:
                have = set(range(len(chunk.params)))
            else:
                have = set(everything)
                for e in b.pred:
                    have &= assigned[id(e.src)]
            for ins in self.code[b.start:b.end]:
                if ins.op is Op.LoadLocal:
                    if record and ins.arg not in have:
                        need.add(ins.arg)
                elif ins.op is Op.StoreLocal:
                    have.add(ins.arg)
            return frozenset(have)

        changed = True
        while changed:
            changed = False
            for b in flow.order:
                new = walk(b, False)
                if new != assigned[id(b)]:
                    assigned[id(b)] = new
                    changed = True
        for b in flow.order:
            walk(b, True)
        return need

    def int_params(self) -> set[int]:
        """Parameters read straight into arithmetic or a comparison (small plain functions only)."""
        chunk, code = self.chunk, self.code
        if not self.plain or not chunk.params or len(code) > _SPECIALIZE_MAX or self.facts is None:
            return set()
        cells = {ins.arg for ins in code if ins.op in (Op.MakeCell, Op.LoadDeref, Op.StoreDeref)}
        out = set()
        for k, ins in enumerate(code[:-2]):
            if ins.op is Op.LoadLocal and ins.arg < len(chunk.params) and ins.arg not in cells:
                nxt = code[k + 1].op if code[k + 1].op is not Op.LoadLocal and code[k + 1].op is not Op.LoadConst \
                    else code[k + 2].op
                if nxt in _ARITH or nxt in _CMP:
                    out.add(ins.arg)
        return out

    def list_params(self, ints: set[int], facts: Facts) -> set[int]:
        """Parameters, never stored, that the body indexes with an int (by `facts`): taken for lists."""
        code = self.code
        stored = {ins.arg for ins in code if ins.op in (Op.StoreLocal, Op.MakeCell, Op.LoadDeref, Op.StoreDeref)}
        out = set()
        for k in range(2, len(code)):
            c, key = code[k - 2], code[k - 1]
            if code[k].op is Op.IndexGet and c.op is Op.LoadLocal and c.arg < len(self.chunk.params) \
                    and c.arg not in ints and c.arg not in stored and key.op in (Op.LoadLocal, Op.LoadConst):
                top = facts.top(k, 1)
                if top is not None and top[1][-1].ty is Ty.INT:
                    out.add(c.arg)
        return out

    def small_int_version(self, types: list) -> tuple[int, Optional[Facts]]:
        """(k, typeflow's facts with the INT parameters of `types` in [0, 2**k - 1]) for the widest k that
        rules out the most overflow checks (small indexes and counts are the common arguments)."""
        best: tuple[int, Optional[Facts]] = (0, None)
        for bits in _SMALL_INT_BITS:
            small = int_val(0, 2**bits - 1)
            facts = self.analysis.facts(tuple(small if t is Ty.INT else t for t in types))
            if facts is not None and (best[1] is None or self.saved(facts) > self.saved(best[1])):
                best = (bits, facts)
        return best

    def saved(self, facts: Facts) -> int:
        """What a copy of the body with these facts spares: overflow checks, and the range tests of calls
        computed in place (inline_calls.py)."""
        return facts.checks_saved() + ranges_proven(self.code, facts, self.pure_callees)

    def generate(self) -> Generated:
        chunk = self.chunk
        body: list = []
        entry = self.placement.blocks[0]
        ints = self.int_params()
        if ints:
            # Parameters that feed arithmetic: a second copy of the body for when they are ints, where
            # typeflow drops their class checks and the overflow checks their ranges rule out, and a
            # third before it for small non-negative ints when that rules out more overflow checks.
            generic = self.facts
            types = [Ty.INT if k in ints else Ty.UNKNOWN for k in range(len(chunk.params))]
            as_int = self.analysis.facts(tuple(types))
            # Lists the body indexes with those ints (quicksort's array): typed too, in both versions.
            lists = self.list_params(ints, as_int) if as_int is not None else set()
            if lists:
                types = [Ty.LIST if k in lists else t for k, t in enumerate(types)]
                as_int = self.analysis.facts(tuple(types))
            is_int = " and ".join([f"l{k}.__class__ is _h_int" for k in sorted(ints)] +
                                  [f"l{k}.__class__ is _h_list" for k in sorted(lists)])
            versions = [(as_int, is_int)]
            bits, ranged = self.small_int_version(types)
            if ranged is not None and as_int is not None and self.saved(ranged) > self.saved(as_int):
                names = " | ".join(f"l{k}" for k in sorted(ints))
                versions.insert(0, (ranged, f"{is_int} and not (({names}) >> {bits})"))
            most = 0
            for facts, guard in versions:
                self.facts = facts
                # The copies never meet (each ends in a return): they share temporaries, which keeps the
                # Python frame small (a call initializes and clears every local).
                self.ntemp = 0
                special: list = []
                try:
                    self.emit_tree(entry, [], None, [], special)
                except Unsupported:
                    special = []
                self.incoming, self.frozen = {}, set()
                if special and terminal(special):
                    body.append(If(guard, None, special, []))
                most = max(most, self.ntemp)
            self.facts = generic
            self.ntemp = 0
        self.emit_tree(entry, [], None, [], body)
        if ints:
            self.ntemp = max(self.ntemp, most)
        if not terminal(body):
            raise Unsupported("control can fall off the end of the function")
        nparams = len(chunk.params)
        if nparams > chunk.num_locals:
            raise Unsupported("more parameters than locals")
        flags = list(chunk.param_defaults) if chunk.param_defaults else [False] * nparams
        ndefaults = 0
        if self.plain and len(flags) == nparams:
            while ndefaults < nparams and flags[nparams - 1 - ndefaults]:
                ndefaults += 1
            if any(flags[: nparams - ndefaults]):
                ndefaults = 0  # defaults before required parameters: every short call goes through fit_args
        params = ["cl", "d"] + [f"l{i}" for i in range(nparams)]
        for k in range(nparams - ndefaults, nparams):
            params[2 + k] = f"l{k}=None"  # the real default is fastvm's MISSING marker (FunctionType argdefs)
        prologue: list = []
        held = list(self.held_locals.items())  # what inline_calls.HeldPure.emit_call tests
        if self.plain and held:
            # One test of the depth on the way in: a call from this frame that stays within the limit
            # binds them to the closures, else to a marker no Ruff value is.
            deep = [If(f"d > {MAX_FRAMES}", None, [Line("_h_refuse(cl)", None)], []),
                    Line(" = ".join(local for _, local in held) + " = _h_MISSING", None)]
            prologue.append(If(f"d < {MAX_FRAMES}", None,
                               [Line(f"{local} = {const}", None) for const, local in held], deep))
            held = []
        elif self.plain:
            # `d` is this frame's Ruff depth (the script is 1): the interpreter's limit, exactly.
            prologue.append(Line(f"if d > {MAX_FRAMES}: _h_refuse(cl)", None))
        if self.stored_globals:
            prologue.append(Line("global " + ", ".join(sorted(self.global_names[n] for n in self.stored_globals)), None))
        if self.plain and ndefaults:
            # Missing arguments are a suffix: when the last parameter has none, fit them all.
            every = ", ".join(f"l{i}" for i in range(nparams))
            prologue.append(Line(f"if l{nparams - 1} is _h_MISSING: {every}{',' if nparams == 1 else ''} = "
                                 f"_h_fit(cl, {every})", None))
        if self.plain:
            if self.jit:
                args = ", ".join(f"l{i}" for i in range(nparams))
                if self.profiling.calls:
                    prologue.append(Line("_h_CH.calls += 1", None))
                    prologue.append(Line(f"if _h_CH.calls == _h_HOT: _h_vm.jit.hot(cl, [{args}])", None))
                if self.profiling.native:
                    prologue.append(If("_h_CH.tier_state is not None", None, [
                        Line(f"_hd, _rv = _h_vm.jit.try_call(cl, [{args}], d)", None),
                        Line("if _hd: return _rv", None)], []))
        unset = self.maybe_unassigned() | self.guarded
        rest = [f"l{i}" for i in range(nparams, chunk.num_locals) if i in unset] + self.float_caches
        if rest:
            prologue.append(Line(" = ".join(rest) + " = None", None))
        for const, local in held:
            prologue.append(Line(f"{local} = {const} if d < {MAX_FRAMES} else _h_MISSING", None))
        if "M" in self.uses or "K" in self.uses:
            prologue.append(Line("_M = cl.module", None))
        if "K" in self.uses:
            prologue.append(Line("K = _M.kinds", None))
        if self.upvals and len(self.upvals) == len(chunk.upvalues):
            # Every cell used: one unpacking (a specialized instruction) instead of a subscript per cell.
            names = ", ".join(f"u{i}" for i in range(len(chunk.upvalues)))
            prologue.append(Line(f"{names}{',' if len(chunk.upvalues) == 1 else ''} = cl.upvalues", None))
        elif self.upvals:
            prologue.append(Line("U = cl.upvalues", None))
            for i in sorted(self.upvals):
                prologue.append(Line(f"u{i} = U[{i}]", None))
        if chunk.is_generator and not self.has_yield:
            prologue.append(Line("if False: yield", None))
        name = py_name(chunk.name)
        r = Renderer()
        r.add(0, f"def {name}({', '.join(params)}):", None)
        r.block(prologue + body, 1)
        src_lines = []
        linemap: list = [(chunk.line, 0)]  # python lines are 1-based
        code = self.code
        for level, text, ins in fold_temp_copies(r.lines):
            src_lines.append("    " * level + text)
            if ins is None:
                linemap.append((chunk.line, 0))
            else:
                linemap.append((code[ins].line, code[ins].col))
        source = "\n".join(src_lines) + "\n"
        globals_ = [None] * len(self.global_names)
        for n, g in self.global_names.items():
            globals_[int(g[2:])] = n
        return Generated(name, source, linemap, self.namespace, globals_, nparams, ndefaults)

    def emit_tree(self, node: Block, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        """Emit `node` (entered with `state`), then the blocks placed after it, into `out`; `follow` is what
        comes after all of them (a branch to it falls through), `loops` the enclosing loops, innermost last."""
        while True:
            after = node.outer[0] if node.outer else follow
            if node.is_header:
                self.materialize(state, node, out)
                version = self.loop_version(node)
                if version is None:
                    self.emit_loop(node, after, loops, out)
                else:
                    self.emit_versioned_loop(node, after, loops, out, *version)
            else:
                self.emit_node(node, state, after, loops, out)
            outer = node.outer
            if not outer:
                return
            for k, c in enumerate(outer[:-1]):
                self.emit_tree(c, self.canon(c), outer[k + 1], loops, out)
            # The last block placed after this one is followed by `follow` too: continue with it here
            # rather than one Python frame deeper (a long function is a long chain of such blocks).
            node = outer[-1]
            state = self.canon(node)

    def emit_loop(self, node: Block, after: Optional[Block], loops: list, out: list) -> None:
        """The loop statement of header `node` (its stack already in the canonical temporaries)."""
        state = self.canon(node, use_incoming=False)
        ctx = LoopCtx(node, after)
        inner_loops = loops + [ctx]
        if self.jit:
            # On-stack replacement (ruff.osr): count back-edges; when the loop is hot, offer it to the
            # JIT with the frame's state, as the interpreter's JumpBack does. The JIT resumes after
            # the loop's final JumpBack, which must be where `break` goes.
            last = ControlFlow.last_back_edge(node)
            if after is not None and after.start == last + 1 and last not in self.profiling.quiet_loops:
                ctx.counter, ctx.last_edge = f"_n{node.start}", last
                self.line(out, f"{ctx.counter} = _h_CH.loop_counts.get({last}, 0)", None)
        body: list = []
        first_follow = node.inner[0] if node.inner else node
        if self.code[node.start].op is Op.IteratorNext:
            stmt = self.emit_for(node, state, first_follow, inner_loops, body, ctx)
        else:
            stmt = Loop("while True", None, body)
            ctx.stmt = stmt
            self.emit_node(node, state, first_follow, inner_loops, body)
        for k, c in enumerate(node.inner):
            nxt = node.inner[k + 1] if k + 1 < len(node.inner) else node
            self.emit_tree(c, self.canon(c), nxt, inner_loops, body)
        out.append(stmt)
        if ctx.counter is not None:
            # Keep the count across entries (as the interpreter does): an inner loop entered again
            # and again goes native at its first back-edge once it is hot.
            self.line(out, f"_h_CH.loop_counts[{ctx.last_edge}] = {ctx.counter}", None)

    def loop_version(self, node: Block) -> Optional[tuple[str, Facts]]:
        """(guard, facts) for a second copy of the loop at `node`, or None.

        Locals the loop uses as indexes or compares (or indexes into) whose class typeflow does not know
        where the loop starts — a value read from an array (fannkuch's `hi := perm[0]`), a pivot, an array
        returned by a call — are guessed to be ints (lists, see _guess), when the loop's own stores keep
        them so. Under
        a guard testing them once per entry into the loop, the copy is generated with typeflow's facts
        for that case (typeflow.infer_loop): their class tests and the overflow tests their ranges rule
        out disappear from every iteration. The guard may also test that the ints the loop reads are
        small (ranged_version). The other copy is the loop as it was."""
        facts = self.facts
        if facts is None or self.versioned >= _VERSIONED_LOOPS_MAX or self.version_tries >= _VERSION_TRIES_MAX:
            return None
        body = self.placement.flow.loop_bodies.get(node)
        if not body or sum(b.end - b.start for b in body) > _VERSION_LOOP_MAX:
            return None
        uses: dict[int, set] = {}  # slot -> what the loop uses it as (_use_of)
        code, consts = self.code, self.consts
        for b in body:
            for k in range(b.start, b.end):
                ins = code[k]
                if ins.op is not Op.LoadLocal or ins.arg in self.cells:
                    continue
                # Unknown where it is used and where the loop starts (a local the loop sets before it
                # reads it is known at the read, or its class comes from that store, not from the entry).
                if facts.local(k, ins.arg).ty is not Ty.UNKNOWN or facts.local(node.start, ins.arg).ty is not Ty.UNKNOWN:
                    continue
                uses.setdefault(ins.arg, set()).add(_use_of(code, consts, k, b.end))
        assume = {slot: v for slot, v in ((s, _guess(u)) for s, u in uses.items()) if v is not None}
        special = None
        for _ in range(2):
            if not assume:
                break
            self.version_tries += 1  # each one a typeflow run from the loop's header on
            special = infer_loop(facts, node, assume)
            if special is None:
                return None
            kept = {slot: v for slot, v in assume.items() if special.local(node.start, slot).ty is v.ty}
            if kept == assume:
                break
            assume, special = kept, None
        if special is None:
            assume = {}
        ranged = self.ranged_version(node, body, assume, special)
        if ranged is not None:
            assume, special = ranged
        if special is None:
            return None
        self.versioned += 1
        self.guarded.update(s for s, v in assume.items() if facts.local(node.start, s).ty is not v.ty)
        guard = []
        for slot, v in sorted(assume.items()):
            if facts.local(node.start, slot).ty is not v.ty:
                guard.append(f"l{slot}.__class__ is _h_{v.ty.value}")
            if v.ty is Ty.INT and (v.lo is not None or v.hi is not None):
                lo, hi = v.bounds()
                guard.append(f"{lo} <= l{slot} <= {hi}")
        return " and ".join(guard), special

    def ranged_version(self, node: Block, body: list, assume: dict,
                       special: Optional[Facts]) -> Optional[tuple[dict, Facts]]:
        """(assumptions, facts) for the loop at `node` when, besides `assume`, the ints it reads lie in
        _LOOP_INT_RANGE on entry, if that rules out more of the loop's overflow checks than `special`
        (the facts for `assume` alone, or None): count_kmers' `i + k` and `i + 1` below `last`."""
        facts = self.facts
        if self.version_tries >= _VERSION_TRIES_MAX:
            return None
        code = self.code
        inside = [k for b in body for k in range(b.start, b.end)]
        checked = [k for k in inside if code[k].op in _OVERFLOW_OPS and not facts.no_overflow(k)
                   and (special is None or not special.no_overflow(k))]
        if not checked:
            return None
        lo, hi = _LOOP_INT_RANGE
        ranged = {}
        for k in inside:
            ins = code[k]
            if ins.op is not Op.LoadLocal or ins.arg in self.cells or ins.arg in ranged:
                continue
            v = assume.get(ins.arg) or facts.local(node.start, ins.arg)
            if v.ty is Ty.INT:
                a, b = v.bounds()
                if a < lo or b > hi:
                    ranged[ins.arg] = int_val(max(a, lo), min(b, hi))
        if not ranged:
            return None
        self.version_tries += 1
        both = {**assume, **ranged}
        narrow = infer_loop(facts, node, both)
        if narrow is None or any(narrow.local(node.start, s).ty is not v.ty for s, v in both.items()):
            return None
        if sum(narrow.no_overflow(k) for k in checked) == 0:
            return None
        return both, narrow

    def emit_versioned_loop(self, node: Block, after: Optional[Block], loops: list, out: list, guard: str,
                            special: Facts) -> None:
        """`if <guard>: <the loop with special's facts> else: <the loop>` (see loop_version)."""
        incoming, frozen = dict(self.incoming), set(self.frozen)
        generic = self.facts
        ntemp = self.ntemp  # no temporary lives across a loop statement: the copies share theirs
        self.facts = special
        fast: list = []
        try:
            self.emit_loop(node, after, loops, fast)
        except Unsupported:
            fast = []
        finally:
            self.facts = generic
        # Both copies branch to the same blocks after the loop: those blocks take what either brings.
        arrived = {k: v for k, v in self.incoming.items() if k not in incoming or incoming[k] != v}
        self.incoming, self.frozen = incoming, frozen
        fast_ntemp, self.ntemp = self.ntemp, ntemp
        slow: list = []
        self.emit_loop(node, after, loops, slow)
        self.ntemp = max(self.ntemp, fast_ntemp)
        for k, bools in arrived.items():
            prev = self.incoming.get(k)
            self.incoming[k] = bools if prev is None else [p and b for p, b in zip(prev, bools)]
        if fast:
            out.append(If(guard, None, fast, slow))
        else:
            out.extend(slow)

    def branch(self, e: Edge, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        t = e.dst
        if e.back:
            if loops and loops[-1].header is t:
                self.materialize(state, t, out)
                ctx = loops[-1]
                if ctx.counter is not None:
                    n = ctx.counter
                    edge = e.src.end - 1
                    every = [f"l{k}" for k in range(self.chunk.num_locals)]
                    stack = ", ".join(f"s{k}" for k in range(t.depth))
                    hot = [Line(f"_fr = _h_osrframe(cl, [{', '.join(every)}], [{stack}])", edge),
                           If(f"_h_vm.jit.osr(_fr, {edge}, d)", edge,
                              ([Line(f"{', '.join(every)}{',' if len(every) == 1 else ''} = _fr.locals", edge)]
                               if every else []) + [Line("break", edge, term=True)], []),
                           # Let go of the snapshot: a local it holds (a string being built) must have one
                           # owner again for CPython to append to it in place.
                           Line("_fr = None", edge),
                           Line(f"{n} = _h_CH.loop_counts.get({ctx.last_edge}, {n})", edge)]
                    ctx.stmt.has_break = True
                    self.line(out, f"{n} += 1", edge)
                    out.append(If(f"{n} >= _h_OSR", edge, hot, []))
                self.line(out, "continue", None, term=True)
                return
            raise Unsupported("jump back to an outer loop")
        if t.inline_edge is e:
            self.emit_tree(t, state, follow, loops, out)
            return
        self.materialize(state, t, out)
        if t is follow:
            return
        if loops and loops[-1].break_to is t:
            self.line(out, "break", None, term=True)
            loops[-1].stmt.has_break = True
            return
        raise Unsupported(f"unstructured jump to {t.start}")

    def emit_for(self, header: Block, state: list, follow: Optional[Block], loops: list, body: list,
                 ctx: LoopCtx) -> Loop:
        if header.end != header.start + 1:
            raise Unsupported("loop header with more than IteratorNext")
        exit_edge = self.placement.edge(header, EXIT)
        if exit_edge.dst is not ctx.break_to:
            raise Unsupported("for-loop exit is not where the loop statement ends")
        fall = self.placement.edge(header, FALL)
        it = state[-1].text
        first = self.code[fall.dst.start]
        if fall.dst.inline_edge is fall and first.op is Op.StoreLocal:
            var = StackEntry(f"l{first.arg}", "l", slot=first.arg)  # `for l3 in ...` binds the local directly
        else:
            var = StackEntry(self.temp(), "t")
        stmt = Loop(f"for {var.text} in {it}", header.start, body)
        ctx.stmt = stmt
        self.branch(fall, state + [var], follow, loops, body)
        return stmt

    def emit_node(self, b: Block, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        self.cold = self.runs_once and b.loop is None
        self.emit_from(b, b.start, list(state), follow, loops, out)

    def emit_from(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        """Emit block b from instruction i (entered with `state`) to its end, its branches included."""
        self.stored_key = None
        code = self.code
        last = b.end - 1
        while i < last:
            ins = code[i]
            op = ins.op
            if op is Op.MatchPattern:
                break
            if self.virtual.shapes or self.virtual.pending is not None:
                self.virtual.before(ins, i, state, out)
            if op is Op.LoadLocal and code[i + 1].op is Op.FieldGet and self.may_split(b):
                plan = self.split_plan(b, i)
                if plan is not None:
                    self.split(b, i, state, follow, loops, out, plan)
                    return
            if op is Op.Call and self.may_split(b) and self.split_call(b, i, state, follow, loops, out):
                return
            if op is Op.MakeCell and i + 1 < last and code[i + 1].op is Op.StoreDeref and code[i + 1].arg == ins.arg:
                # A captured variable's first value: one new cell holding it.
                self.flush(state, out)
                self.spill_local(state, ins.arg, out)
                v = state.pop()
                self.line(out, f"l{ins.arg} = [{v.text}]", i)  # a Cell
                i += 2
                continue
            self.tag(i, state)
            if self.spec_fields and not self.typed_safe(op, state):
                self.spec_fields = {}  # it may run Ruff code, which may store anything into any field
            if op is Op.StoreLocal and state[-1].kind == "f":
                # A float tree stored into a local: computed straight into it.
                v = state.pop()
                self.note_store(ins.arg, v)
                self.spill_local(state, ins.arg, out)
                self.slot_hint[ins.arg] = "float"
                self.realize(v, out, f"l{ins.arg}", stored=True)
                i += 1
                continue
            if op not in _DEFERRING and not (op is Op.FieldGet and self.spec_field(state[-1], ins.arg)) \
                    and not (op is Op.FieldSet and self.typed_store(state, ins.arg)):
                self.flush(state, out)
            if op in _CMP or op is Op.Equal or op is Op.NotEqual:
                nxt = code[i + 1].op
                if nxt is Op.Truthy and i + 1 < last:  # `a < b || ...`: only the comparison's truth is kept
                    self.compare(op, state, out, i, True)
                    cond = state.pop()
                    self.result(state, out, cond.text, i, isbool=True)
                    i += 2
                    continue
                self.compare(op, state, out, i, i + 1 == last and nxt in CONDITIONAL)
            elif not (op is Op.Call and self.virtual.enabled(b) and self.virtual.call(b, ins, i, state, out)):
                self.instr(ins, i, state, out)
            i += 1
        if self.virtual.shapes:
            self.virtual.block_end(b, state, out, last)
        term = code[last]
        op = term.op
        if op is Op.Return:
            self.flush(state, out, trees_only=True)
        elif op not in CONDITIONAL or not state or state[-1].kind != "cond":
            self.flush(state, out)
        if op is Op.Jump or op is Op.JumpBack:
            self.branch(b.succ[0], state, follow, loops, out)
        elif op in CONDITIONAL:
            if i < last and code[i].op is Op.MatchPattern:
                self.match(b, i, state, follow, loops, out)
                return
            fall, jump = self.placement.edge(b, FALL), self.placement.edge(b, JUMP)
            self.tag(last, state)
            cond = state.pop()
            test = self.truth(cond)
            cond_ins = i - 1 if cond.kind == "cond" else last
            first, second = (fall, jump) if op is Op.JumpIfFalse else (jump, fall)
            then: list = []
            orelse: list = []
            self.branch(first, list(state), follow, loops, then)
            self.branch(second, list(state), follow, loops, orelse)
            out.append(If(test, cond_ins, then, orelse))
        elif op is Op.JumpIfNotNull:
            v = state.pop()
            then = []
            orelse = []
            self.branch(self.placement.edge(b, JUMP), state + [v], follow, loops, then)
            self.branch(self.placement.edge(b, FALL), list(state), follow, loops, orelse)
            test = ("True" if v.value is not None else "False") if v.kind == "c" else f"{v.text} is not None"
            out.append(If(test, last, then, orelse))
        elif op is Op.BeginTry:
            fall, handler = self.placement.edge(b, FALL), self.placement.edge(b, HANDLER)
            # The try region starts with every stack entry in its canonical temporary.
            for k, e in enumerate(state):
                if e.text != f"s{k}":
                    self.line(out, f"s{k} = {e.text}", None)
                    state[k] = StackEntry(f"s{k}", "t", isbool=e.isbool)
            depth = len(state)
            body: list = []
            self.branch(fall, list(state), follow, loops, body)
            hstate = state[:depth] + [StackEntry(f"s{depth}", "t")]
            hbody: list = [Line(f"s{depth} = _h_catch(_e)", last)]
            self.branch(handler, hstate, follow, loops, hbody)
            out.append(Try(body, "_h_RE as _e", hbody, last))
        elif op is Op.Return:
            v = state.pop()
            self.line(out, f"return {v.text}", last, term=True)
        elif op is Op.Throw:
            v = state.pop()
            self.line(out, f"raise _h_thrown({v.text})", last, term=True)
        elif op is Op.IteratorNext:
            raise Unsupported("IteratorNext outside a loop header")
        else:
            self.tag(last, state)
            if op in _CMP or op is Op.Equal or op is Op.NotEqual:
                self.compare(op, state, out, last, False)
            else:
                self.instr(term, last, state, out)
            self.flush(state, out)
            self.branch(self.placement.edge(b, FALL), state, follow, loops, out)

    # ------------------------------------------------------------------ float-field speculation

    def may_split(self, b: Block) -> bool:
        """Whether the rest of block b may get a guarded copy here: a loop body's last block (it ends in
        its back-edge, so both copies end in `continue`), outside code that runs once, within the budget."""
        return (self.speculate and not self.cold and not self.spec_off and self.spec_splits < _MAX_SPLITS
                and not self.virtual.shapes
                and self.code[b.end - 1].op is Op.JumpBack)

    def split_plan(self, b: Block, i: int) -> Optional[tuple]:
        """The guard for the code from i (a field read) on, up to what may run Ruff code: (fields of the
        structs in local slots, local slots that hold floats, the statements and the condition testing
        them); None when it would cover fewer than _MIN_SPLIT_READS reads."""
        code, cells = self.code, self.cell_slots
        first = code[i].arg
        if first in cells or (self.spec_fields is not None and code[i + 1].arg in self.spec_fields.get(first, ())):
            return None
        stored: set = set()
        alias: dict = {}
        k = i - 1
        while k > b.start:  # copies made just before i (`b.x += ..` reads and writes through a copy of b)
            if code[k].op is Op.LoadLocal:
                k -= 1
            elif code[k].op is Op.StoreLocal and code[k - 1].op is Op.LoadLocal and code[k].arg not in cells \
                    and code[k - 1].arg not in cells:
                alias.setdefault(code[k].arg, code[k - 1].arg)
                k -= 2
            else:
                break
        seeds = dict(alias)
        reads: dict = {}
        floats: set = set()
        nreads = 0
        callee = None
        end = b.end - 1
        for k in range(i, end):
            ins = code[k]
            op = ins.op
            if op is Op.LoadLocal:
                s = ins.arg
                if s in cells:
                    continue
                if code[k + 1].op is Op.FieldGet:
                    root = alias[s] if s in alias else None if s in stored else s
                    if root is not None:
                        reads.setdefault(root, set()).add(code[k + 1].arg)
                        nreads += 1
                elif s not in stored and s not in alias and self.facts.local(k, s).ty is Ty.UNKNOWN \
                        and self.slot_hint.get(s) != "int" and self.spec_floats.isdisjoint((s,)) \
                        and self.consumer(k, end) in _ARITH:
                    floats.add(s)  # a parameter or outer local taking part in the arithmetic (`dt`)
            elif op is Op.StoreLocal:
                s, prev = ins.arg, code[k - 1]
                if k > i and prev.op is Op.LoadLocal and prev.arg not in cells and (prev.arg in alias or prev.arg not in stored):
                    alias[s] = alias.get(prev.arg, prev.arg)  # `bi.vx -= ..` reads and writes through a copy
                else:
                    alias.pop(s, None)
                    stored.add(s)
            elif op is Op.LoadGlobal:
                callee = ins.arg
            elif op is Op.Call:
                spec = INLINE_BUILTINS.get(callee)
                if spec is None or spec.argc != ins.arg or spec.hint not in ("int", "float"):
                    break
            elif op not in _SCAN_OK:
                break
        floats -= reads.keys()
        if nreads < _MIN_SPLIT_READS:
            return None
        # One mask for all the structs (the same type, mostly): `l4._fm & l6._fm & M == M`. Reading `_fm`
        # is slow (see values.FloatFactsEpoch): a test that passed with every struct of one class keeps
        # that class and the epoch's mark in locals of its own, and the next round tests those by identity.
        mask = sum(float_field_bit(f) for f in set().union(*reads.values()))
        structs = [f"l{s}" for s in sorted(reads)]
        test = " & ".join([f"{v}._fm" for v in structs] + [f"{mask} == {mask}"])
        n = len(self.float_caches) // 2
        cls, mark = f"_fc{n}", f"_fe{n}"
        self.float_caches += [cls, mark]
        same = " and ".join(f"{v}.__class__ is {structs[0]}.__class__" for v in structs[1:])
        keep = [Line(f"{cls} = {structs[0]}.__class__", i), Line(f"{mark} = _h_FE.mark", i)]
        lines = [If(" and ".join([f"{v}.__class__ is {cls}" for v in structs] + [f"_h_FE.mark is {mark}"]), i,
                    [Line("_ok = True", i)],
                    [Try([Line(f"_ok = {test}", i)], "_h_AttributeError", [Line("_ok = False", i)], i),
                     If(" and ".join(["_ok"] + ([same] if same else [])), i, keep, [])])]
        cond = " and ".join(["_ok"] + [f"l{s}.__class__ is _h_float" for s in sorted(floats)])
        copies = {s: r for s, r in seeds.items() if r in reads}
        return reads, copies, floats, lines, cond

    def consumer(self, k: int, end: int) -> Optional[Op]:
        """The instruction (before `end`) that pops the value instruction k pushes."""
        depth = 1
        for c in self.code[k + 1:end]:
            pops, pushes = stack_effect(c, self.consts)
            if pops >= depth:
                return c.op
            depth += pushes - pops
        return None

    def split(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, out: list,
              plan: tuple) -> None:
        """The rest of block b twice: behind the plan's guard with its structs' fields and locals known to
        be floats, and as it is."""
        reads, copies, floats, lines, cond = plan
        self.flush(state, out)
        fields = dict(self.spec_fields or {})
        for s, fs in reads.items():
            fields[s] = set(fs)
        for s, r in copies.items():
            fields[s] = fields[r]
        typed: list = []
        self.emit_versions(b, i, state, follow, loops, typed, fields, self.spec_floats | floats)
        out.extend(lines)
        out.append(If(cond, i, typed, self.generic))

    def split_call(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, out: list) -> bool:
        """Behind a guard, a call of an inline builtin (`sqrt(d2)`): its inline path continues guarded (it
        runs no Ruff code), any other callee continues in an unguarded copy. Behind float-field guards for
        a number; anywhere in a loop body for a string the block stores and reads again (count_kmers'
        `key := substring(..)`: get_default and the dict store then take it for a string untested)."""
        argc = self.code[i].arg
        f = state[-1 - argc]
        spec = INLINE_BUILTINS.get(f.value) if f.builtin else None
        if spec is None or spec.argc != argc:
            return False
        if not (spec.hint in ("int", "float") and self.spec_fields is not None
                or spec.hint == "str" and b.end - i <= _STR_SPLIT_MAX and self.stored_and_read(b, i + 1)):
            return False
        self.flush(state, out)
        self.tag(i, state)
        args = state[len(state) - argc:]
        guard = self.inline_guard(spec, args, i)
        if guard is None:
            return False
        r = self.temp()
        typed = [Line(f"{r} = {spec.expr.format(*spec.texts(args))}", i)]
        after = state[:len(state) - argc - 1]
        e = StackEntry(r, "t", hint=spec.hint)
        e.cls = e.known = spec.hint
        self.emit_versions(b, i + 1, after + [e], follow, loops, typed, self.spec_fields or {}, self.spec_floats,
                           generic_from=(i, state))
        out.append(If(f"{f.text} is _h_B_{f.value}{guard}", i, typed, self.generic))
        return True

    def emit_versions(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, typed: list,
                      fields: dict, floats: set, generic_from: Optional[tuple] = None) -> None:
        """Block b from i into `typed` with these speculation facts, then (into self.generic) from
        `generic_from` (instruction, state; default: i and `state`) without any."""
        saved = (self.spec_fields, self.spec_floats, self.spec_splits, self.spec_off, dict(self.slot_hint),
                 self.spec_strs)
        shared: dict = {}  # copies of one struct share one set (a store through either clears both)
        self.spec_fields = {s: shared.setdefault(id(fs), set(fs)) for s, fs in fields.items()}
        self.spec_floats = set(floats)
        self.spec_strs = set(self.spec_strs)
        self.spec_splits += 1
        self.emit_from(b, i, [e.copy() for e in state], follow, loops, typed)
        self.spec_fields, self.spec_floats, self.spec_off, self.spec_strs = None, set(), True, set()
        self.slot_hint = dict(saved[4])
        gi, gstate = generic_from or (i, state)
        generic: list = []
        self.emit_from(b, gi, [e.copy() for e in gstate], follow, loops, generic)
        self.spec_fields, self.spec_floats, self.spec_splits, self.spec_off = saved[:4]
        self.spec_strs = saved[5]
        self.generic = generic

    def stored_and_read(self, b: Block, i: int) -> bool:
        """Instruction i stores the top of the stack into a local (not a cell) that block b reads again
        before it stores it again."""
        code = self.code
        if i >= b.end - 1 or code[i].op is not Op.StoreLocal or code[i].arg in self.cells:
            return False
        slot = code[i].arg
        for ins in code[i + 1:b.end]:
            if ins.arg == slot and ins.op is Op.LoadLocal:
                return True
            if ins.arg == slot and ins.op is Op.StoreLocal:
                return False
        return False

    def typed_store(self, state: list, field: str) -> bool:
        """Behind the guard, `o.field = <folded float expression>` with nothing else deferred: the store
        takes the expression itself (Python computes it before storing)."""
        v = state[-1]
        return v.kind == "x" and v.cls == "float" and self.spec_field(state[-2], field) and all(
            e.kind != "x" and e.kind != "f" for e in state[:-1])

    def typed_safe(self, op: Op, state: list) -> bool:
        """Whether instruction `op` on these operands runs no Ruff code (so no field store but the ones
        this code does itself): an operator only when its operands are known numbers (no overloading)."""
        if op in _SPEC_SAFE:
            return True
        if op in _ARITH or op in _CMP or op is Op.Equal or op is Op.NotEqual:
            num = lambda e: (e.kind == "c" and type(e.value) in (int, float)) or e.cls in ("int", "float") or (
                e.kind == "f" and not e.tree.tests)
            return len(state) >= 2 and num(state[-1]) and num(state[-2])
        if op is Op.IndexGet:
            return len(state) >= 2 and state[-2].cls == "list" and state[-1].cls == "int"
        return False

    def match(self, b: Block, i: int, state: list, follow: Optional[Block], loops: list, out: list) -> None:
        pat: MatchPat = self.consts[self.code[i].arg]
        v = state.pop()
        k = len(pattern_binding_names(pat))
        fall, jump = self.placement.edge(b, FALL), self.placement.edge(b, JUMP)
        ok_edge, fail_edge = (fall, jump) if self.code[i + 1].op is Op.JumpIfFalse else (jump, fall)
        ok_state = list(state)
        ok_body: list = []
        if pat.kind == "wild":
            cond = "True"
        elif pat.kind == "bind":
            cond = "True"
            ok_state.append(v)
        elif pat.kind == "lit" and k == 0:
            cond = f"_h_mlit({self.const_name(pat)}, {v.text})"
        else:
            cond = f"(_b := _h_mp({self.const_name(pat)}, {v.text})) is not None"
            temps = [self.temp() for _ in range(k)]
            if k == 1:
                ok_body.append(Line(f"{temps[0]} = _b[0]", i))
            elif k > 1:
                ok_body.append(Line(f"{', '.join(temps)} = _b", i))
            ok_state.extend(StackEntry(t, "t") for t in temps)
        self.branch(ok_edge, ok_state, follow, loops, ok_body)
        fail_body: list = []
        self.branch(fail_edge, list(state), follow, loops, fail_body)
        out.append(If(cond, i, ok_body, fail_body))


# Float-field speculation: guards on one path at most, reads a guard must cover to be worth its test,
# what a guard's segment may contain (reads after anything else are not covered), and what runs no Ruff
# code whatever its operands.
_MAX_SPLITS = 3
_MIN_SPLIT_READS = 3
_STR_SPLIT_MAX = 64  # instructions after a string-returning inline call worth a copy (split_call)
_SCAN_OK = frozenset(_ARITH) | frozenset(_CMP) | {Op.LoadLocal, Op.LoadConst, Op.StoreLocal, Op.FieldGet, Op.FieldSet,
                                                  Op.Pop, Op.Dup, Op.Swap, Op.Nop, Op.LoadGlobal, Op.IndexGet,
                                                  Op.Equal, Op.NotEqual}
_SPEC_SAFE = frozenset({Op.LoadLocal, Op.LoadConst, Op.StoreLocal, Op.Pop, Op.Dup, Op.Swap, Op.Nop, Op.LoadGlobal,
                        Op.FieldGet, Op.FieldSet, Op.Jump, Op.JumpBack})
# Loop versioning (FunctionEmitter.loop_version): loops of at most this many instructions, at most this
# many versioned loops per generated function (nested loops multiply the copies), at most this many tries.
_VERSION_LOOP_MAX = 400
_VERSIONED_LOOPS_MAX = 8
# The ints a loop reads are tried in this range on entry (ranged_version): sums and products of two
# stay far inside i64.
_LOOP_INT_RANGE = (-(2**31), 2**31 - 1)
_VERSION_TRIES_MAX = 16  # typeflow runs for it per function (a big function's many loops stay quick to compile)
# What a local's value is guessed to be from the instruction that consumes it (see _use_of).
_COMPARES = frozenset(_CMP) | {Op.Equal, Op.NotEqual}


def _use_of(code: list, consts: list, k: int, end: int) -> Optional[str]:
    """What the value that instruction k pushes is used as, within its block: "list" (what is indexed),
    "index", "compare" (an operand of a comparison), "arith" (of arithmetic), "str" (the first argument of
    an inline builtin taking only a string there: `substring(seq, i, j)`); None for anything else."""
    depth = 1  # entries from ours up to the top of the stack
    for j in range(k + 1, end):
        ins = code[j]
        pops, pushes = stack_effect(ins, consts)
        if pops >= depth:
            pos = pops - depth  # our operand's position, 0 the first
            if ins.op in _COMPARES:
                return "compare"
            if ins.op in _ARITH:
                return "arith"
            if ins.op is Op.IndexGet or ins.op is Op.IndexSet:
                return "list" if pos == 0 else "index" if pos == 1 else None
            if ins.op is Op.Call and pos == 1 and code[k - 1].op is Op.LoadGlobal:
                # The global pushed just below our value is the callee.
                spec = INLINE_BUILTINS.get(code[k - 1].arg)
                if spec is not None and spec.argc == ins.arg and spec.classes[0] == ("str",):
                    return "str"
            return None
        depth += pushes - pops
    return None


def _guess(uses: set) -> Optional[Val]:
    """The class loop_version guesses for a local from its uses: a list if it is only indexed; a string if
    it is only what an inline builtin takes a string as (the loop then tests it once per entry, not at
    every call); an int if it is an index or compared, and otherwise only in arithmetic (arithmetic alone
    is as often float)."""
    if uses == {"list"}:
        return LIST_VAL
    if uses == {"str"}:
        return STR_VAL
    if uses <= {"index", "compare", "arith"} and uses & {"index", "compare"}:
        return INT_VAL
    return None


# Instructions before which folded operations and float trees may stay deferred (all others see only
# names and literals on the stack): what reads them does so itself (arith, comparisons, StoreLocal).
_DEFERRING = frozenset(_ARITH) | frozenset(_CMP) | {Op.Equal, Op.NotEqual, Op.LoadLocal, Op.LoadConst,
                                                    Op.StoreLocal}
_SPECIALIZE_MAX = 400
# Widths tried for the small-int version of a function (widest first: it is taken unless a narrower
# one rules out more overflow checks), e.g. 30 bits keep (i + j) * (i + j + 1) within i64.
_SMALL_INT_BITS = (31, 30, 26, 20, 15)  # instructions: bigger functions are compiled once, generic
# Instructions beyond which a chunk runs in the interpreter. CPython compiles the Python of a 100,000
# instruction chunk in about 3 s and several hundred MB, and a chunk that big is nearly always straight-line
# top-level code (data, generated statements) that runs once, which the interpreter does in a fraction of it.
MAX_INSTRUCTIONS = 150_000


def pure_callee_of(chunk: Chunk) -> Optional[PureCallee]:
    """chunk's inline_calls.PureCallee: the forms in which its calls can be computed in place, if any."""
    if not body_shape(chunk) and not guard_shape(chunk):
        return None
    try:
        analysis = Analysis(chunk)
    except Unsupported:
        return None

    def body(param_types: tuple) -> Optional[list]:
        facts = analysis.facts(param_types)
        if facts is None:
            return None
        emitter = FunctionEmitter(chunk, False, analysis=analysis)
        emitter.facts = facts
        out: list = []
        try:
            emitter.emit_tree(analysis.placement.blocks[0], [], None, [], out)
        except Unsupported:
            return None
        return out

    return pure_callee(chunk, body, _SMALL_INT_BITS)


def generate(chunk: Chunk, jit: bool = False, builtin_names: frozenset = frozenset(),
             profiling: Profiling = FULL_PROFILING, analysis: Optional[Analysis] = None,
             factories: Optional[dict] = None, leaves: Optional[dict] = None,
             pure_callees: Optional[dict] = None) -> Generated:
    """Python source for one chunk; raises Unsupported when it must stay in the interpreter.

    jit: emit the native tier's hooks (call counting, hot/try_call, global rebinding, loop OSR), as far as
    `profiling` still asks for them.
    builtin_names: the executor's builtins (only used to order type tests at call sites).
    analysis: the chunk's Analysis from an earlier generation, if kept.
    factories: global name → the closure factory (factories.Factory) it held when the chunk was compiled:
    calls of that name build the closure in place while the name still holds that factory.
    leaves: parameter count → the leaf closures of the chunk's compilation unit (leaf_closures.leaves_by_arity),
    which calls of values that are not globals compute in place while the callee is one of them.
    pure_callees: global name → the pure arithmetic function (inline_calls.HeldPure) it held then: calls
    of that name compute its result in place while the name still holds that function (no JIT only).
    """
    if len(chunk.code) > MAX_INSTRUCTIONS:
        raise Unsupported(f"{len(chunk.code)} instructions: too big to be worth translating")
    emitter = FunctionEmitter(chunk, jit, builtin_names, profiling, analysis)
    emitter.factories = factories or {}
    emitter.leaves = leaves or {}
    emitter.pure_callees = pure_callees or {}
    return emitter.generate()
