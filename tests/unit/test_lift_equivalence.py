"""The lifted IR means the same as the bytecode it was lifted from.

For every golden program (tests/programs/*.ruff) and for the small programs below:

1. compile it and lift every function chunk (LiftRefused is fine: it is counted);
2. run it on the baseline VM, recording for each lifted chunk the arguments of its first calls (copied when
   the call starts) and what the call returned or the error it raised (copied when it ends);
3. after the run, interpret each lifted function (ruff.dialects.interpret.run_lifted) on the cheapest
   recorded calls, against the program's final module globals, and compare with the recorded outcome:
   same value (values_equal, or structurally equal where identity cannot match) or same error message.

Recording wraps calls in the test only (a VM subclass and the VM's tier hook), vm.py is untouched: every
call of a lifted chunk made by the executor's CALL opcode (and operator overloading) goes through
`vm.jit.try_call`, which the recorder answers by running the call itself through `call_closure`, where it
is recorded; calls from builtins (map, filter, ...) reach `call_closure` directly.

A recorded outcome can be stale: the call may have read a global, or a global object, that the program
changed later.  When the lifted function disagrees with the recording, the call is run again on the
baseline VM from the same fresh copy of the final state as the lifted run; the lifted function must agree
with that run (if two baseline runs disagree with each other, the call is nondeterministic and skipped).
Output is discarded: only return values and errors are compared.
"""

from __future__ import annotations

import contextlib
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pytest

from ruff.frontend.bytecode import Chunk
from ruff.frontend.compiler import compile_source
from ruff.runtime.values import (
    BoundMethod, Closure, EnumType, EnumValue, Module, RuffError, StructInstance, StructType, display,
    new_closure, values_equal,
)
from ruff.runtime.vm import VM

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"

CALLS_RECORDED_PER_FUNCTION = 20  # calls intercepted per chunk (the first ones)
CALLS_CHECKED_PER_FUNCTION = 3  # of those, the cheapest ones are replayed on the lifted IR
MAX_OPS = 300_000  # interpreted ops per lifted run (longer runs are skipped, not failed)
MIN_FUNCTIONS_CHECKED = 40  # over all programs: the test cannot pass vacuously


# ----------------------------------------------------------------------------- small programs of our own

INLINE_PROGRAMS: dict[str, str] = {
    "control_flow": r"""
func sum_to(n) {
    s := 0
    i := 0
    while i < n {
        s += i
        i += 1
    }
    return s
}
func collatz(n) {
    steps := 0
    loop {
        if n == 1 { break }
        if n % 2 == 0 { n = n / 2 } else { n = 3 * n + 1 }
        steps += 1
    }
    return steps
}
func first_neg(xs) {
    for x in xs {
        if x < 0 { return x }
    }
    return null
}
func table(n) {
    out := []
    for i in range(n) {
        row := 0
        j := 0
        while j < n {
            if j == i { j += 1; continue }
            row += i * j
            j += 1
        }
        out = out.push(row)
    }
    return out
}
func count_pairs(n) {
    c := 0
    for i in range(n) {
        for j in range(i) {
            if (i + j) % 3 == 0 { c += 1 }
        }
    }
    return c
}
func grade(x) {
    if x >= 90 { return "A" } else if x >= 80 { return "B" } else { return "C" }
}
func no_return(x) { y := x * 2 }
print(sum_to(10), sum_to(100), collatz(27), collatz(7))
print(first_neg([1, 2, -3, 4]), first_neg([1]), table(4), count_pairs(10))
print(grade(95), grade(85), grade(10), no_return(3))
""",
    "recursion_and_errors": r"""
func fact(n) { if n <= 1 { return 1 } return n * fact(n - 1) }
func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
func ack(m, n) {
    if m == 0 { return n + 1 }
    if n == 0 { return ack(m - 1, 1) }
    return ack(m - 1, ack(m, n - 1))
}
func safe_div(a, b) { return a / b }
func rem(a, b) { return a % b }
func bad_add(a, b) { return a + b }
func boom(x) { if x > 2 { throw("too big: ${x}") } return x }
func at(xs, i) { return xs[i] }
func neg(x) { return -x }
func undefined_name(x) { return x + not_defined_anywhere }
func caller(x) { return boom(x) + 1 }
print(fact(10), fact(20), fib(15), ack(2, 3))
print(safe_div(7, 2), safe_div(7.0, 2), safe_div(-7, 2), rem(-7, 2), rem(7.5, 2))
print(bad_add(1, 2.5), bad_add("a", "b"), boom(1), at([1, 2, 3], -1), neg(5), neg(2.5), caller(0))
try { print(fact(25)) } except e { print(e.message) }
try { print(safe_div(1, 0)) } except e { print(e.message) }
try { print(rem(1, 0)) } except e { print(e.message) }
try { print(bad_add(1, "x")) } except e { print(e.message) }
try { print(boom(5)) } except e { print(e.message) }
try { print(at([1], 3)) } except e { print(e.message) }
try { print(neg("s")) } except e { print(e.message) }
try { print(undefined_name(1)) } except e { print(e.message) }
try { print(caller(9)) } except e { print(e.message) }
try { print(neg(-9223372036854775807 - 1)) } except e { print(e.message) }
""",
    "logic": r"""
func logic(a, b) { return [a && b, a || b, a ?? b, !a] }
func first_truthy(a, b, c) { return a || b || c }
func default(x) { return x ?? "none" }
func both(a, b) { if a > 0 && b > 0 { return "both" } return "not both" }
func either(a, b) { if a > 0 || b > 0 { return "either" } return "neither" }
func chain(x) { return x ?? x ?? 7 }
func cmp(a, b) { return [a == b, a != b, a < b, a <= b, a > b, a >= b] }
print(logic(0, 1), logic(null, 2), logic("x", false), logic([], {}))
print(first_truthy(0, "", 3), first_truthy(0, 0, 0), default(null), default(0))
print(both(1, 2), both(1, -2), either(-1, 2), either(-1, -2), chain(null), chain(false))
print(cmp(1, 2), cmp(2, 2.0), cmp("a", "b"), cmp([1], [1]))
try { print(cmp(1, "a")) } except e { print(e.message) }
""",
    "globals": r"""
counter := 0
limit := 10
names := ["a", "b"]
func bump() { counter += 1; return counter }
func read_limit(x) { return x < limit }
func set_limit(v) { limit = v; return limit }
func add_name(n) { names = names.push(n); return len(names) }
func define_later(x) { return later_fn(x) * 2 }
print(bump(), bump(), read_limit(5), read_limit(50), set_limit(100), read_limit(50), add_name("c"))
func later_fn(x) { return x + 1 }
print(define_later(4), bump(), add_name("d"))
""",
    "collections": r"""
func squares(n) {
    out := []
    for i in range(n) { out = out.push(i * i) }
    return out
}
func fill(n) {
    a := [0, 0, 0, 0, 0]
    i := 0
    while i < n { a[i] = i * 10; i += 1 }
    return a
}
func total(xs) { s := 0; for x in xs { s += x } return s }
func spread(a, b) { return [0, ...a, 9, ...b] }
func merge(d, k, v) { return {...d, "extra": k, "v": v} }
func word_count(words) {
    counts := {}
    for w in words {
        if counts.has_key(w) { counts[w] = counts[w] + 1 } else { counts[w] = 1 }
    }
    return counts
}
func keys_of(d) { out := []; for k in d { out = out.push(k) } return out }
func nested(n) { g := [[0, 0], [0, 0]]; g[1][0] = n; return g }
func lookup(d, k) { return d[k] }
func args_spread(xs) { return max(...xs) }
func pairs(xs) { out := []; for [a, b] in xs { out = out.push(a * b) } return out }
print(squares(5), fill(3), total([1, 2, 3, 4]), spread([1, 2], [3]), merge({"a": 1}, "k", 2))
print(word_count(["a", "b", "a", "c", "a"]), keys_of({"x": 1, "y": 2}), nested(7), lookup({"a": 5}, "a"))
print(args_spread([3, 9, 2]), pairs([[1, 2], [3, 4]]))
try { print(lookup({"a": 5}, "b")) } except e { print(e.message) }
try { print(fill(9)) } except e { print(e.message) }
try { print(pairs([[1, 2], [3]])) } except e { print(e.message) }
""",
    "strings": r"""
func greet(name, n) { return "Hello, ${name}! You are ${n + 1} (${[n, name]})" }
func shout(s) { return s.upper() + "!" }
func join_all(xs) { out := ""; for x in xs { out = out + x + "," } return out }
func chars(s) { n := 0; for c in s { if c == "a" { n += 1 } } return n }
func describe(x) { return "${x} is ${type(x)}" }
print(greet("Ann", 41), shout("hey"), join_all(["a", "b"]), chars("banana"), describe(1.5), describe(null))
""",
    "structs": r"""
struct Point {
    x: int,
    y: int,
    func norm2(self) { return self.x * self.x + self.y * self.y }
    func shifted(self, dx) { return Point { x: self.x + dx, y: self.y } }
    func op_add(self, other) { return Point { x: self.x + other.x, y: self.y + other.y } }
    func op_eq(self, other) { return self.x == other.x && self.y == other.y }
}
struct Counter { n: int = 0, step: int = 1 }
func make(x, y) { return Point { x: x, y: y } }
func add_points(a, b) { return a + b }
func same(a, b) { return a == b }
func move(p, dx) { p.x = p.x + dx; return p.norm2() }
func counter_of(k) { c := Counter { step: k }; c.n = c.n + c.step; return c }
func field_or_null(p) { return p?.x }
func method_or_null(p) { return p?.norm2() }
func bad_field(p) { return p.z }
func local_struct(v) {
    struct Box { v: int }
    b := Box { v: v }
    return b.v * 2
}
p := make(3, 4)
print(p.norm2(), add_points(p, make(1, 1)), same(p, make(3, 4)), same(p, make(0, 0)), move(make(1, 2), 2))
print(counter_of(5), field_or_null(p), field_or_null(null), method_or_null(p), method_or_null(null))
print(local_struct(21), p.shifted(10))
try { print(bad_field(p)) } except e { print(e.message) }
""",
    "match_and_enums": r"""
enum Shape { Circle(r), Rect(w, h), Empty }
func area(s) {
    match s {
        case Shape::Circle(r): { return 3 * r * r }
        case Shape::Rect(w, h): { return w * h }
        case _: { return 0 }
    }
}
func classify(v) {
    match v {
        case 0: { return "zero" }
        case "hi": { return "greeting" }
        case [a, b]: { return a + b }
        case [first, ...rest]: { return len(rest) }
        case {k}: { return k }
        case Some(x) if x > 10: { return "big some" }
        case Some(x): { return x }
        case None: { return "none" }
        case Ok(x): { return x }
        case Err(e): { return "err ${e}" }
        case _: { return "other" }
    }
}
func wrap(x) { if x > 0 { return Ok(x) } return Err("neg") }
func opt(x) { if x == null { return None } return Some(x) }
print(area(Shape::Circle(2)), area(Shape::Rect(2, 3)), area(Shape::Empty))
print(classify(0), classify("hi"), classify([1, 2]), classify([1, 2, 3]), classify({"k": 9}))
print(classify(Some(20)), classify(Some(2)), classify(None), classify(Ok(5)), classify(Err(1)), classify(2.5))
print(wrap(3), wrap(-1), opt(null), opt(4))
""",
    "closures": r"""
func adder(n) { return func(x) { return x + n } }
func apply(f, x) { return f(x) }
func twice(f, x) { return f(f(x)) }
func compose(f, g) { return func(x) { return f(g(x)) } }
func make_list(n) { return range(n).map(func(x) { return x * 3 }) }
func keep_even(xs) { return xs.filter(func(x) { return x % 2 == 0 }) }
func inc(x) { return x + 1 }
func dbl(x) { return x * 2 }
add5 := adder(5)
print(apply(add5, 1), twice(inc, 3), compose(inc, dbl)(5), make_list(4), keep_even([1, 2, 3, 4]))
print(apply(func(s) { return s + "!" }, "hi"), twice(adder(10), 1))
""",
    "iterators": r"""
func evens(n) { out := []; for i in range(0, n, 2) { out = out.push(i) } return out }
func sum_iter(it) { s := 0; for x in it { s += x } return s }
func early(xs) { for x in xs { if x > 2 { return x } } return -1 }
func index_of(xs, v) {
    i := 0
    for x in xs {
        if x == v { return i }
        i += 1
    }
    return -1
}
func nested_iter(a, b) {
    out := []
    for x in a { for y in b { if x != y { out = out.push([x, y]) } } }
    return out
}
print(evens(10), sum_iter(range(5)), sum_iter([1.5, 2.5]), early([1, 2, 3, 4]), early([]))
print(index_of(["a", "b", "c"], "c"), index_of([], 1), nested_iter([1, 2], [2, 3]))
try { print(sum_iter(5)) } except e { print(e.message) }
""",
    "refusals": r"""
func* gen(n) { i := 0; while i < n { yield i; i += 1 } }
func guarded(x) { try { return 1 / x } except e { return e.message } }
func make_counter() { c := 0; return func() { c += 1; return c } }
func plain(x) { return x + 1 }
for v in gen(3) { print(v) }
print(guarded(0), guarded(2), make_counter()(), plain(1))
""",
}


# ----------------------------------------------------------------------------- copying and comparing values


def rcopy(v: Any, memo: Optional[dict] = None) -> Any:
    """A copy of the mutable Ruff data in `v` (arrays, dicts, struct instances, tagged values); functions,
    types, builtins, cells, iterators and modules are shared, so identities the runtime relies on hold."""
    if memo is None:
        memo = {}
    t = type(v)
    if t in (int, float, str, bool) or v is None:
        return v
    key = id(v)
    if key in memo:
        return memo[key]
    if t is list:
        out: Any = []
        memo[key] = out
        out.extend(rcopy(x, memo) for x in v)
        return out
    if t is dict:
        out = {}
        memo[key] = out
        for k, x in v.items():
            out[k] = rcopy(x, memo)
        return out
    if isinstance(v, StructInstance):
        out = object.__new__(t)
        memo[key] = out
        for slot in v.type.slots.values():
            setattr(out, slot, rcopy(getattr(v, slot), memo))
        return out
    if t is EnumValue:
        out = EnumValue(v.enum, v.variant, tuple(rcopy(x, memo) for x in v.values))
        memo[key] = out
        return out
    return v


def equivalent(a: Any, b: Any) -> bool:
    """values_equal, plus structural equality where a replay cannot reproduce identities (struct types
    defined inside the function, closures over fresh cells, bound methods, iterators)."""
    if values_equal(a, b):
        return True
    ta, tb = type(a), type(b)
    if isinstance(a, StructInstance) and isinstance(b, StructInstance):  # each struct type has its class
        return equivalent(a.type, b.type) and equivalent(dict(a.field_items()), dict(b.field_items()))
    if ta is not tb:
        return False
    if ta is list:
        return len(a) == len(b) and all(equivalent(x, y) for x, y in zip(a, b))
    if ta is dict:
        return a.keys() == b.keys() and all(equivalent(x, b[k]) for k, x in a.items())
    if ta is StructType:
        return (a.name, a.fields, list(a.methods)) == (b.name, b.fields, list(b.methods))
    if ta is EnumType:
        return (a.name, a.variants) == (b.name, b.variants)
    if ta is EnumValue:
        return a.enum == b.enum and a.variant == b.variant and equivalent(list(a.values), list(b.values))
    if ta is Closure:
        return a.chunk is b.chunk and len(a.upvalues) == len(b.upvalues) and all(
            equivalent(x[0], y[0]) for x, y in zip(a.upvalues, b.upvalues))
    if ta is BoundMethod:
        return equivalent(a.receiver, b.receiver) and equivalent(a.function, b.function)
    if hasattr(a, "__next__"):  # iterators: what is left in them
        return equivalent(list(a), list(b))
    return display(a) == display(b)


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok" | "error" | "limit" | "crash"
    value: Any = None

    def same_as(self, other: "Outcome") -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "ok":
            return equivalent(self.value, other.value)
        return self.value == other.value

    def __str__(self) -> str:
        if self.kind == "ok":
            try:
                return f"ok {display(self.value)}"
            except Exception:  # noqa: BLE001 - a description only
                return f"ok {self.value!r}"
        return f"{self.kind} {self.value}"


def outcome_of(thunk) -> Outcome:
    from ruff.dialects.interpret import StepLimitExceeded

    try:
        return Outcome("ok", thunk())
    except RuffError as e:
        return Outcome("error", e.message)
    except StepLimitExceeded as e:
        return Outcome("limit", str(e))
    except RecursionError as e:
        return Outcome("crash", f"RecursionError: {e}")
    except Exception as e:  # noqa: BLE001 - e.g. exit() inside the function: compared by type and text
        return Outcome("crash", f"{type(e).__name__}: {e}")


# ----------------------------------------------------------------------------- recording calls


@dataclass
class Call:
    closure: Closure
    args: list
    upvalues: list  # values of the captured cells when the call started
    defaults: Optional[list]
    outcome: Optional[Outcome] = None
    nested_calls: int = 0  # Ruff calls made while it ran: how expensive replaying it is (deterministic)


class Recorder:
    """Stands in for the VM's tier hook (`vm.jit`): calls of recorded chunks are run (and recorded) here."""

    def __init__(self, vm: "RecordingVM", chunks: list[Chunk], all_chunks: list[Chunk]) -> None:
        self.vm = vm
        self.wanted = {id(c) for c in chunks}
        self.chunks = all_chunks
        self.calls: dict[int, list[Call]] = {id(c): [] for c in chunks}
        for c in chunks:
            c.tier_state = "recording"

    def wants(self, fn: Closure) -> bool:
        key = id(fn.chunk)
        if key not in self.wanted:
            return False
        if len(self.calls[key]) >= CALLS_RECORDED_PER_FUNCTION:
            fn.chunk.tier_state = None  # enough: let the executor run it inline again
            return False
        return True

    # --- the tier-hook protocol of ruff.runtime.vm.VM
    def try_call(self, fn: Closure, args: list, depth: int) -> tuple[bool, Any]:
        if not self.wants(fn):
            return False, None
        return True, self.vm.call_closure(fn, args)

    def total_calls(self) -> int:
        return sum(c.calls for c in self.chunks)

    def global_rebound(self, module: Module, name: str) -> None:
        pass

    def finish(self) -> None:
        pass


class RecordingVM(VM):
    recorder: Optional[Recorder] = None

    def call_closure(self, fn: Closure, args: list) -> Any:
        rec = self.recorder
        if rec is None or not rec.wants(fn):
            return super().call_closure(fn, args)
        call = Call(fn, rcopy(list(args)), [rcopy(c[0]) for c in fn.upvalues], rcopy(fn.defaults))
        rec.calls[id(fn.chunk)].append(call)
        before = rec.total_calls()
        try:
            result = super().call_closure(fn, args)
        except RuffError as e:
            call.outcome = Outcome("error", e.message)
            raise
        finally:
            call.nested_calls = rec.total_calls() - before
        call.outcome = Outcome("ok", rcopy(result))
        return result


# ----------------------------------------------------------------------------- one program


@dataclass
class Report:
    name: str
    skipped: Optional[str] = None  # why the whole program was not checked
    lifted: int = 0
    refused: list[str] = field(default_factory=list)
    functions_checked: int = 0
    calls_checked: int = 0
    calls_replayed: int = 0  # the recording was stale; compared with a baseline run on the same state
    calls_skipped: list[str] = field(default_factory=list)
    not_called: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.name}: lifted {self.lifted}, refused {len(self.refused)}, functions checked "
                f"{self.functions_checked}, calls checked {self.calls_checked} ({self.calls_replayed} against "
                f"a replay), calls skipped {len(self.calls_skipped)}, not called {len(self.not_called)}")


def check_program(name: str, source: str, filename: str, cwd: Optional[Path] = None) -> Report:
    from ruff.dialects.interpret import run_lifted
    from ruff.dialects.lift import LiftRefused, Lifter
    from ruff.dialects.symbols import symbol_for

    report = Report(name)
    try:
        program = compile_source(source, filename)
    except Exception as e:  # noqa: BLE001 - parse/compile errors skip the program
        report.skipped = f"does not compile: {type(e).__name__}: {e}".splitlines()[0]
        return report

    chunks = [c for c in program.chunk.all_chunks() if c.name != "<script>"]
    lifted: dict[int, Any] = {}
    taken: set[str] = set()
    for chunk in chunks:
        try:
            lifted[id(chunk)] = Lifter(chunk, symbol_for(chunk.name, taken)).lift()
        except LiftRefused as e:
            report.refused.append(str(e))
    report.lifted = len(lifted)
    by_id = {id(c): c for c in chunks}

    # Run the program on the baseline executor, recording calls of the lifted chunks.
    out = io.StringIO()
    vm = RecordingVM(write=out.write)
    recorder = Recorder(vm, [by_id[k] for k in lifted], chunks)
    vm.recorder = recorder
    vm.jit = recorder
    vm.random.seed(12345)
    module = Module("__main__", filename, source)
    module.exports = program.exports
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        try:
            vm.run_chunk(program.chunk, module)
        except RuffError:
            pass  # programs that end in a runtime error are fine: calls recorded so far stand
        except Exception as e:  # noqa: BLE001 - exit() ends a program; anything else is an executor crash
            if type(e).__name__ != "ExitProgram":
                report.failures.append(f"the executor crashed: {type(e).__name__}: {e}")
                return report
        finally:
            vm.recorder = None
            vm.jit = None
            for c in chunks:
                c.tier_state = None

        # Replay on the lifted IR, from fresh copies of the final state.
        final_globals = rcopy(module.globals)
        final_kinds = dict(module.kinds)
        replay_vm = VM(write=lambda s: None)

        def fresh_state() -> None:
            module.globals = rcopy(final_globals)
            module.kinds = dict(final_kinds)
            replay_vm.random.seed(12345)

        def lifted_run(call: Call, func: Any, chunk: Chunk) -> Outcome:
            fresh_state()
            return outcome_of(lambda: run_lifted(
                func, chunk, rcopy(call.args), module, replay_vm, upvalues=[[rcopy(v)] for v in call.upvalues],
                defaults=rcopy(call.defaults), max_ops=MAX_OPS))

        def baseline_run(call: Call, chunk: Chunk) -> Outcome:
            fresh_state()
            closure = new_closure(chunk, [[rcopy(v)] for v in call.upvalues], module, rcopy(call.defaults))
            return outcome_of(lambda: replay_vm.call(closure, rcopy(call.args)))

        for key, func in lifted.items():
            chunk = by_id[key]
            calls = [c for c in recorder.calls[key] if c.outcome is not None]
            if not calls:
                report.not_called.append(chunk.name)
                continue
            calls.sort(key=lambda c: c.nested_calls)  # stable: the cheapest, then the first recorded
            checked_here = 0
            for call in calls[:CALLS_CHECKED_PER_FUNCTION]:
                what = f"{chunk.name}({', '.join(_show(a) for a in call.args)})"
                got = lifted_run(call, func, chunk)
                if got.kind == "limit":
                    report.calls_skipped.append(f"{what}: {got.value}")
                    continue
                if got.same_as(call.outcome):
                    report.calls_checked += 1
                    checked_here += 1
                    continue
                # The recording may be stale (state changed later): compare with a baseline run on the same
                # fresh state as the lifted run.
                again = baseline_run(call, chunk)
                if got.same_as(again):
                    report.calls_checked += 1
                    report.calls_replayed += 1
                    checked_here += 1
                    continue
                if not again.same_as(baseline_run(call, chunk)):
                    report.calls_skipped.append(f"{what}: nondeterministic")
                    continue
                report.failures.append(
                    f"{what}: lifted IR gave [{got}], the executor gave [{again}] (recorded during the run: "
                    f"[{call.outcome}])\n{func}")
            if checked_here:
                report.functions_checked += 1
        module.globals = final_globals
    return report


def _show(v: Any) -> str:
    try:
        text = display(v) if type(v) is not str else repr(v)
    except Exception:  # noqa: BLE001 - a description only
        text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------- run_lifted itself


def _program(source: str) -> tuple[Any, Module, VM]:
    program = compile_source(source, "<t>")
    vm = VM(write=lambda s: None)
    module = Module("__main__", "<t>", source)
    vm.run_chunk(program.chunk, module)
    return program, module, vm


def _lifted(program: Any, name: str) -> tuple[Any, Chunk]:
    from ruff.dialects.lift import lift_chunk

    chunk = next(c for c in program.chunk.all_chunks() if c.name == name)
    return lift_chunk(chunk), chunk


def test_run_lifted_reads_upvalues() -> None:
    from ruff.dialects.interpret import run_lifted

    program, module, vm = _program("func adder(n) { return func(x) { return x + n } }")
    func, chunk = _lifted(program, "<anonymous>")
    assert run_lifted(func, chunk, [1], module, vm, upvalues=[[41]]) == 42
    closure = vm.call(module.globals["adder"], [5])
    assert run_lifted(func, chunk, [1], module, vm, upvalues=closure.upvalues) == vm.call(closure, [1]) == 6


def test_run_lifted_fits_arguments_like_the_executor() -> None:
    from ruff.dialects.interpret import run_lifted

    program, module, vm = _program("func d(a, b = 10) { return a + b }")
    func, chunk = _lifted(program, "d")
    closure = module.globals["d"]
    assert run_lifted(func, chunk, [1], module, vm, defaults=closure.defaults) == vm.call(closure, [1]) == 11
    assert run_lifted(func, chunk, [1, 2], module, vm, defaults=closure.defaults) == 3
    with pytest.raises(RuffError) as lifted_err:
        run_lifted(func, chunk, [], module, vm, defaults=closure.defaults)
    with pytest.raises(RuffError) as vm_err:
        vm.call(closure, [])
    assert lifted_err.value.message == vm_err.value.message


def test_run_lifted_raises_the_runtime_error() -> None:
    from ruff.dialects.interpret import run_lifted

    program, module, vm = _program('func f(x) { if x > 1 { throw("big ${x}") } return 10 / x }')
    func, chunk = _lifted(program, "f")
    assert run_lifted(func, chunk, [1], module, vm) == 10
    for arg, message in ((5, "big 5"), (0, "Division by zero"), ("s", "Invalid binary operation: string > int")):
        with pytest.raises(RuffError) as info:
            run_lifted(func, chunk, [arg], module, vm)
        assert info.value.message == message
        assert not getattr(info.value, "__notes__", None)  # no IR dump attached by xDSL


def test_run_lifted_step_limit() -> None:
    from ruff.dialects.interpret import StepLimitExceeded, run_lifted

    program, module, vm = _program("func spin(n) { while true { n += 1 } }")
    func, chunk = _lifted(program, "spin")
    with pytest.raises(StepLimitExceeded):
        run_lifted(func, chunk, [0], module, vm, max_ops=1000)


def test_run_lifted_on_specialized_ops() -> None:
    from xdsl.context import Context
    from xdsl.dialects import cf
    from xdsl.dialects.builtin import Builtin
    from xdsl.parser import Parser

    from ruff.dialects import ruff as R
    from ruff.dialects.interpret import GuardFailure, run_lifted

    text = """
    ruff.func @inc(%x: !ruff.value) -> !ruff.value {
      %i = ruff.unbox %x : i64
      %one = ruff.constant 1 : i64
      %r = ruff.iadd %i, %one : i64
      %b = ruff.box %r : i64
      ruff.return %b : !ruff.value
    }
    ruff.func @twice(%x: !ruff.value) -> !ruff.value {
      %a = ruff.call_direct @inc(%x) : (!ruff.value) -> !ruff.value
      %b = ruff.call_direct @inc(%a) : (!ruff.value) -> !ruff.value
      ruff.return %b : !ruff.value
    }
    """
    ctx = Context()
    for d in (Builtin, cf.Cf, R.Ruff):
        ctx.load_dialect(d)
    module_op = Parser(ctx, text).parse_module()
    inc, twice = list(module_op.ops)
    chunks = {"inc": Chunk("inc", ["x"]), "twice": Chunk("twice", ["x"])}
    module, vm = Module("m", "<t>"), VM(write=lambda s: None)
    assert run_lifted(twice, chunks["twice"], [40], module, vm, chunks=chunks) == 42
    with pytest.raises(RuffError) as info:
        run_lifted(inc, chunks["inc"], [2**63 - 1], module, vm)
    assert info.value.message == "Integer overflow: 9223372036854775807 + 1"
    with pytest.raises(GuardFailure):
        run_lifted(inc, chunks["inc"], [1.5], module, vm)


# ----------------------------------------------------------------------------- the tests


def _compile_error(path: Path) -> Optional[str]:
    try:
        compile_source(path.read_text(encoding="utf-8"), str(path))
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return None


# Programs that stop at a lex/parse error (exit code 3) have no functions to lift.
GOLDEN = [p for p in sorted(PROGRAMS.glob("*.ruff"))
          if not (p.with_suffix(".code").exists() and p.with_suffix(".code").read_text().strip() == "3")]
GOLDEN_IDS = [p.stem if (err := _compile_error(p)) is None else f"{p.stem}-SKIP-{err}" for p in GOLDEN]


@functools.lru_cache(maxsize=None)
def golden_report(path: Path) -> Report:
    return check_program(path.stem, path.read_text(encoding="utf-8"), str(path), cwd=path.parent)


@functools.lru_cache(maxsize=None)
def inline_report(name: str) -> Report:
    return check_program(name, INLINE_PROGRAMS[name], f"<{name}>")


def _assert_report(report: Report) -> None:
    if report.skipped:
        pytest.skip(f"{report.name} {report.skipped}")
    assert not report.failures, report.summary() + "\n\n" + "\n\n".join(report.failures)


@pytest.mark.parametrize("path", GOLDEN, ids=GOLDEN_IDS)
def test_golden_program_lifts_equivalently(path: Path) -> None:
    _assert_report(golden_report(path))


@pytest.mark.parametrize("name", list(INLINE_PROGRAMS))
def test_inline_program_lifts_equivalently(name: str) -> None:
    report = inline_report(name)
    _assert_report(report)
    if name != "refusals":
        assert report.calls_checked > 0, report.summary()


def test_refused_functions_are_counted() -> None:
    report = inline_report("refusals")
    reasons = "\n".join(report.refused)
    assert "gen: not lifted: is a generator (yield)" in reasons
    assert "guarded: not lifted: uses try/except" in reasons
    assert "make_counter: not lifted: has variables captured by a closure (cells)" in reasons
    assert report.lifted == 1 and report.calls_checked >= 1  # only `plain` lifts


def test_enough_functions_were_checked() -> None:
    reports = [inline_report(n) for n in INLINE_PROGRAMS] + [golden_report(p) for p in GOLDEN]
    ran = [r for r in reports if not r.skipped]
    functions = sum(r.functions_checked for r in ran)
    text = "\n".join(r.summary() if not r.skipped else f"{r.name}: skipped ({r.skipped})" for r in reports)
    totals = (f"programs {len(ran)}/{len(reports)}, lifted {sum(r.lifted for r in ran)}, refused "
              f"{sum(len(r.refused) for r in ran)}, functions checked {functions}, calls checked "
              f"{sum(r.calls_checked for r in ran)}")
    print(text + "\n" + totals)
    assert functions >= MIN_FUNCTIONS_CHECKED, totals + "\n" + text
    golden_ran = [r for r in ran if r.name in {p.stem for p in GOLDEN}]
    if golden_ran:
        assert sum(r.functions_checked for r in golden_ran) > 0, text
