"""The fast tier's type and range analysis (ruff.runtime.fast.typeflow).

Facts are checked on real compiled chunks, and soundness is checked dynamically: programs run on the
reference interpreter with every chunk's decoded code replaced by a list that, on each instruction fetch
of the dispatch loop, compares the frame's operand stack and locals with the facts for that instruction.
"""

from __future__ import annotations

import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any, Optional

import pytest
from corpus import PROGRAMS, compilable_programs

from ruff.frontend.bytecode import Chunk, Instr, Op
from ruff.frontend.cfg import BadBytecode, ControlFlow
from ruff.frontend.compiler import compile_source
from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.fast.typeflow import Facts, Ty, Val, infer, int_val
from ruff.runtime.values import Module, RuffError
from ruff.runtime.vm import VM, decode




def chunk_of(src: str, name: str) -> Chunk:
    program = compile_source(textwrap.dedent(src), "t.ruff")
    found = [c for c in program.chunk.all_chunks() if c.name == name]
    assert len(found) == 1, [c.name for c in program.chunk.all_chunks()]
    return found[0]


def at(chunk: Chunk, op: Op, nth: int = 0) -> int:
    """Index of the nth instruction with opcode op."""
    hits = [i for i, ins in enumerate(chunk.code) if ins.op is op]
    return hits[nth]


def slot(chunk: Chunk, name: str) -> int:
    return chunk.local_names.index(name)


def stores(chunk: Chunk, name: str) -> list[int]:
    s = slot(chunk, name)
    return [i for i, ins in enumerate(chunk.code) if ins.op is Op.StoreLocal and ins.arg == s]


LOOP = """
func count(n) {
    i := 0
    s := 0
    while i < n {
        s := s + i
        i := i + 1
    }
    return s
}
"""


# ----------------------------------------------------------------------------- loops and overflow


def test_counted_loop_with_int_bound_cannot_overflow() -> None:
    c = chunk_of(LOOP, "count")
    f = infer(c, (Ty.INT,))
    inc, acc = at(c, Op.Add, 1), at(c, Op.Add, 0)
    assert f.no_overflow(inc)
    assert not f.no_overflow(acc)  # s + i really can overflow
    i = slot(c, "i")
    assert f.local(inc, i).ty is Ty.INT
    assert f.local(inc, i).bounds() == (0, I64_MAX - 1)
    assert f.stack(inc) == (int_val(0, I64_MAX - 1), int_val(1, 1))
    # After the loop: i >= n, i and s still ints.
    ret = at(c, Op.Return)
    assert f.local(ret, i).bounds()[0] == 0 and f.local(ret, slot(c, "s")).ty is Ty.INT


def test_counted_loop_without_param_types() -> None:
    # i is an int from `i := 0`, but n may be anything (a float near 2**63 lets i reach I64_MAX), so the
    # increment keeps its overflow check; the comparison's left operand is an int, so it is a bool.
    c = chunk_of(LOOP, "count")
    f = infer(c)
    inc = at(c, Op.Add, 1)
    assert f.local(inc, slot(c, "i")).ty is Ty.INT
    assert not f.no_overflow(inc)
    assert f.local(inc, slot(c, "n")) == Val(Ty.UNKNOWN)
    assert f.stack(at(c, Op.JumpIfFalse)) == (Val(Ty.BOOL),)


def test_fib_subtractions_cannot_overflow() -> None:
    c = chunk_of("""
    func fib(n) {
        if n < 2 { return n }
        return fib(n - 1) + fib(n - 2)
    }
    """, "fib")
    f = infer(c, (Ty.INT,))
    n = slot(c, "n")
    for k in (0, 1):
        sub = at(c, Op.Sub, k)
        assert f.no_overflow(sub)
        assert f.local(sub, n) == int_val(2, I64_MAX)
    assert not f.no_overflow(at(c, Op.Add))  # call results are unknown
    assert f.local(at(c, Op.Return), n) == int_val(I64_MIN, 1)
    g = infer(c)
    assert not g.no_overflow(at(c, Op.Sub)) and g.local(at(c, Op.Sub), n).ty is Ty.UNKNOWN


def test_square_in_loop_may_overflow() -> None:
    c = chunk_of("""
    func sq(n) {
        x := 2
        while x < n { x := x * x }
        return x
    }
    """, "sq")
    f = infer(c, (Ty.INT,))
    mul = at(c, Op.Mul)
    assert f.local(mul, slot(c, "x")).ty is Ty.INT
    assert not f.no_overflow(mul)


def test_inner_loop_keeps_the_outer_counter_bounded() -> None:
    # The inner header widens only what the inner loop stores, so j keeps j < n across the inner loop.
    c = chunk_of("""
    func f(n) {
        t := 0
        j := 0
        while j < n {
            k := 0
            while k < j { t := t + k; k := k + 1 }
            j := j + 1
        }
        return t
    }
    """, "f")
    f = infer(c, (Ty.INT,))
    t_add, k_inc, j_inc = (at(c, Op.Add, k) for k in range(3))
    assert f.no_overflow(k_inc) and f.no_overflow(j_inc) and not f.no_overflow(t_add)
    assert f.local(j_inc, slot(c, "j")) == int_val(0, I64_MAX - 1)
    assert f.local(k_inc, slot(c, "k")) == int_val(0, I64_MAX - 2)


PARTITION = """
func part(a, n) {
    store := 0
    j := 0
    while j < n {
        if a[j] > 0 {
            t := a[j]
            a[store] := t
            store := store + 1
        }
        j := j + 1
    }
    return store - 1
}
"""


def test_list_index_bounds_the_index_slot() -> None:
    # Past `a[store] := t` store is a valid index of a list (no list has 2**60 items): `store + 1` and,
    # after the loop, `store - 1` cannot overflow, though typeflow knows no other bound on store.
    c = chunk_of(PARTITION, "part")
    f = infer(c, (Ty.LIST, Ty.INT))
    inc, ret_sub = at(c, Op.Add, 0), at(c, Op.Sub, 0)
    assert f.no_overflow(inc) and f.no_overflow(ret_sub)
    assert f.local(inc, slot(c, "store")) == int_val(0, 2**60 - 1)
    # Not a list (a dict's int key may be anything), or no index access: the checks stay.
    assert not infer(c, (Ty.DICT, Ty.INT)).no_overflow(inc)
    assert not infer(c, (Ty.UNKNOWN, Ty.INT)).no_overflow(inc)
    c2 = chunk_of(PARTITION.replace("a[store] := t", "a[j] := t"), "part")
    assert not infer(c2, (Ty.LIST, Ty.INT)).no_overflow(at(c2, Op.Add, 0))


def test_list_index_bound_still_lets_big_sums_overflow() -> None:
    c = chunk_of("""
    func f(a, i) {
        x := a[i]
        return i + 9223372036854775000
    }
    """, "f")
    f = infer(c, (Ty.LIST, Ty.INT))
    assert f.local(at(c, Op.Add), slot(c, "i")) == int_val(-(2**60), 2**60 - 1)
    assert not f.no_overflow(at(c, Op.Add))


def test_small_bounded_arithmetic_and_negate() -> None:
    c = chunk_of("""
    func f(a) {
        if a >= 0 && a < 1000 {
            b := a * a
            d := -a
            return b + d
        }
        return -a
    }
    """, "f")
    f = infer(c, (Ty.INT,))
    a = slot(c, "a")
    mul = at(c, Op.Mul)
    assert f.local(mul, a) == int_val(0, 999)
    assert f.no_overflow(mul)
    assert f.no_overflow(at(c, Op.Negate, 0))
    assert f.no_overflow(at(c, Op.Add))
    assert f.local(at(c, Op.Add), slot(c, "b")) == int_val(0, 999 * 999)
    assert not f.no_overflow(at(c, Op.Negate, 1))  # a may be I64_MIN there


def test_or_condition_refines_both_operands_on_the_false_edge() -> None:
    c = chunk_of("""
    func f(a, b) {
        if a < 3 || b > 4 { return 0 }
        return a - 1 + (b + 1)
    }
    """, "f")
    f = infer(c, (Ty.INT, Ty.INT))
    sub = at(c, Op.Sub)
    assert f.local(sub, slot(c, "a")) == int_val(3, I64_MAX)
    assert f.local(sub, slot(c, "b")) == int_val(I64_MIN, 4)
    assert f.no_overflow(sub) and f.no_overflow(at(c, Op.Add, 0))


def test_negated_condition_and_break_loop() -> None:
    c = chunk_of("""
    func f(n) {
        if !(n > 0) { return 0 }
        k := n
        loop {
            if k <= 1 { break }
            k := k - 1
        }
        return n - 1
    }
    """, "f")
    f = infer(c, (Ty.INT,))
    assert f.local(at(c, Op.Sub, 0), slot(c, "k")) == int_val(2, I64_MAX)
    assert f.no_overflow(at(c, Op.Sub, 0)) and f.no_overflow(at(c, Op.Sub, 1))


def test_division_and_modulo_ranges() -> None:
    c = chunk_of("""
    func f(lo, hi, m) {
        if lo >= 0 && hi < 1000 && lo <= hi && m > 0 {
            mid := (lo + hi) / 2
            r := hi % m
            q := -7 / 2
            return mid + r + q
        }
        return 0
    }
    """, "f")
    f = infer(c, (Ty.INT, Ty.INT, Ty.INT))
    ret = at(c, Op.Return)
    assert f.local(ret, slot(c, "mid")) == int_val(0, 999)
    assert f.local(ret, slot(c, "r")) == int_val(0, 999)
    assert f.local(ret, slot(c, "q")) == int_val(-3, -3)


def hand_chunk(ops: list, constants: list) -> Chunk:
    return Chunk("h", ["x"], [Instr(op, arg) for op, arg in ops], constants, num_locals=1, local_names=["x"],
                 param_defaults=[False])


def test_store_between_compare_and_jump_drops_the_refinement() -> None:
    # The compiler never does this, but a predicate must not outlive a store to the slot it constrains.
    c = hand_chunk([(Op.LoadLocal, 0), (Op.LoadConst, 0), (Op.LessThan, None), (Op.LoadConst, 1),
                    (Op.StoreLocal, 0), (Op.JumpIfFalse, 8), (Op.LoadLocal, 0), (Op.Return, None),
                    (Op.LoadLocal, 0), (Op.Return, None)], [10, 100])
    f = infer(c, (Ty.INT,))
    assert f.reachable(6) and f.local(6, 0) == int_val(100, 100)
    assert f.reachable(8) and f.local(8, 0) == int_val(100, 100)


def test_store_between_load_and_compare_drops_the_source_slot() -> None:
    c = hand_chunk([(Op.LoadLocal, 0), (Op.LoadConst, 1), (Op.StoreLocal, 0), (Op.LoadConst, 0),
                    (Op.LessThan, None), (Op.JumpIfFalse, 8), (Op.LoadLocal, 0), (Op.Return, None),
                    (Op.LoadLocal, 0), (Op.Return, None)], [10, 100])
    f = infer(c, (Ty.INT,))
    assert f.reachable(6) and f.local(6, 0) == int_val(100, 100)
    assert f.reachable(8) and f.local(8, 0) == int_val(100, 100)


def test_true_loop_exit_is_unreachable() -> None:
    c = chunk_of("""
    func f() {
        i := 0
        while true { i := i + 1 }
        return i
    }
    """, "f")
    f = infer(c)
    ret = at(c, Op.Return)
    assert f.stack(ret) is None and not f.reachable(ret)
    assert f.local(ret, slot(c, "i")).ty is Ty.UNKNOWN


# ----------------------------------------------------------------------------- types


def test_captured_variable_stays_unknown() -> None:
    c = chunk_of("""
    func f() {
        c := 0
        bump := func() { c := c + 1 }
        bump()
        d := c + 1
        return d
    }
    """, "f")
    f = infer(c)
    cs = slot(c, "c")
    assert all(f.local(i, cs).ty is Ty.UNKNOWN for i in range(len(c.code)))
    assert f.local(at(c, Op.Return), slot(c, "d")).ty is Ty.UNKNOWN
    add = at(c, Op.Add)
    assert f.stack(add) == (Val(Ty.UNKNOWN), int_val(1, 1))
    assert not f.no_overflow(add)


def test_int_and_string_branches_merge_to_unknown() -> None:
    c = chunk_of("""
    func f(b) {
        x := 0
        if b { x := 1 } else { x := "one" }
        return x
    }
    """, "f")
    f = infer(c)
    x = slot(c, "x")
    s1, s2, s3 = stores(c, "x")
    assert f.local(s1 + 1, x) == int_val(0, 0)
    assert f.stack(s2) == (int_val(1, 1),)
    assert f.stack(s3) == (Val(Ty.STR),)
    assert f.local(at(c, Op.Return), x) == Val(Ty.UNKNOWN)


def test_int_branches_merge_to_interval() -> None:
    c = chunk_of("""
    func f(b) {
        x := 0
        if b { x := 10 }
        return x
    }
    """, "f")
    assert infer(c).local(at(c, Op.Return), slot(c, "x")) == int_val(0, 10)


def test_handler_sees_unknown_locals() -> None:
    c = chunk_of("""
    func f() {
        x := 1
        s := "a"
        try {
            x := x + 1
        } except e {
            print(x, s)
        }
        return x
    }
    """, "f")
    f = infer(c)
    x, s = slot(c, "x"), slot(c, "s")
    add = at(c, Op.Add)
    assert f.local(add, x) == int_val(1, 1) and f.no_overflow(add)
    handler = c.code[at(c, Op.BeginTry)].arg
    assert f.stack(handler) == (Val(Ty.UNKNOWN),)
    assert all(f.local(handler, k).ty is Ty.UNKNOWN for k in range(c.num_locals))
    assert f.local(at(c, Op.Return), s).ty is Ty.UNKNOWN


def test_float_int_mixing_and_scalar_results() -> None:
    c = chunk_of("""
    func f(n) {
        a := n * 1.5
        b := 2 + 0.5
        c := 7 / 2
        d := 7 % 3
        e := "x" + "y"
        g := 1 < 2
        h := !g
        k := 1.0 == 2
        l := [1, 2]
        m := {"a": 1}
        p := "v=${a}"
        q := -1.5
        return a
    }
    """, "f")
    f = infer(c, (Ty.INT,))
    ret = at(c, Op.Return)
    want = {"a": Ty.FLOAT, "b": Ty.FLOAT, "c": Ty.INT, "d": Ty.INT, "e": Ty.STR, "g": Ty.BOOL, "h": Ty.BOOL,
            "k": Ty.BOOL, "l": Ty.LIST, "m": Ty.DICT, "p": Ty.STR, "q": Ty.FLOAT}
    assert {k: f.local(ret, slot(c, k)).ty for k in want} == want
    assert f.local(ret, slot(c, "c")) == int_val(3, 3)
    assert f.local(ret, slot(c, "d")) == int_val(0, 2)  # the hull of |7 % 3| < 3 with the sign of 7
    assert f.local(ret, slot(c, "a")) == Val(Ty.FLOAT)
    # Without param types n * 1.5 may be a struct's op_mul: unknown.
    assert infer(c).local(ret, slot(c, "a")).ty is Ty.UNKNOWN


def test_unknown_left_operand_makes_comparison_unknown() -> None:
    # A struct's op_lt / op_not may return anything; an int on the left always gives a bool.
    c = chunk_of("""
    func f(x) {
        a := x < 1
        b := 1 < x
        c := !x
        d := x == 1
        return a
    }
    """, "f")
    f = infer(c)
    ret = at(c, Op.Return)
    got = {k: f.local(ret, slot(c, k)).ty for k in "abcd"}
    assert got == {"a": Ty.UNKNOWN, "b": Ty.BOOL, "c": Ty.UNKNOWN, "d": Ty.UNKNOWN}


def test_globals_calls_and_indexing_are_unknown_and_locals_start_as_none() -> None:
    c = chunk_of("""
    g := 1
    func f(arr) {
        if arr { y := 1 }
        a := g
        b := len(arr)
        c := arr[0]
        return a
    }
    """, "f")
    f = infer(c, (Ty.LIST,))
    ret = at(c, Op.Return)
    assert f.local(0, slot(c, "arr")) == Val(Ty.LIST)
    assert f.local(0, slot(c, "a")) == Val(Ty.NONE)
    assert all(f.local(ret, slot(c, k)).ty is Ty.UNKNOWN for k in "abc")


def test_stack_depths_match_the_control_flow() -> None:
    src = (PROGRAMS / "core_closures_counter.ruff").read_text(encoding="utf-8")
    for c in compile_source(src, "t.ruff").chunk.all_chunks():
        flow = ControlFlow(c)
        f = infer(c, flow=flow)
        for b in flow.reachable:
            if f.reachable(b.start) and f.stack(b.start) is not None:
                assert len(f.stack(b.start)) == b.depth


def test_param_types_longer_than_params_is_an_error() -> None:
    c = chunk_of(LOOP, "count")
    with pytest.raises(ValueError):
        infer(c, (Ty.INT, Ty.INT))


def test_large_chunk_is_fast() -> None:
    body = "\n".join(f"    x{k} := x{k - 1} + {k}\n    if x{k} > 100 {{ x{k} := 0 }}" for k in range(1, 400))
    src = f"func big(x0) {{\n    i := 0\n    while i < 10 {{\n{body}\n    i := i + 1\n    }}\n    return i\n}}\n"
    c = chunk_of(src, "big")
    assert len(c.code) > 4000
    t = time.perf_counter()
    f = infer(c, (Ty.INT,))
    assert time.perf_counter() - t < 5.0
    inc = at(c, Op.Add, 399)  # i + 1
    assert f.local(inc, slot(c, "x399")).ty is Ty.INT and f.no_overflow(inc)
    # x399 is declared in the loop body: None on the first entry of the header, an int later.
    assert f.local(at(c, Op.Return), slot(c, "x399")).ty is Ty.UNKNOWN


# ----------------------------------------------------------------------------- soundness against the interpreter


def _holds(v: Any, fact: Val) -> bool:
    t = fact.ty
    if t is Ty.UNKNOWN:
        return True
    if t is Ty.INT:
        lo, hi = fact.bounds()
        return type(v) is int and lo <= v <= hi
    if t is Ty.NONE:
        return v is None
    return type(v) is {Ty.FLOAT: float, Ty.BOOL: bool, Ty.STR: str, Ty.LIST: list, Ty.DICT: dict}[t]


def _ty_of(v: Any) -> Ty:
    return {int: Ty.INT, float: Ty.FLOAT, bool: Ty.BOOL, str: Ty.STR, list: Ty.LIST, dict: Ty.DICT,
            type(None): Ty.NONE}.get(type(v), Ty.UNKNOWN)


class Checker:
    """Compares the interpreter's state with the facts at every instruction the dispatch loop fetches.

    Each frame is checked against the facts without parameter types and against the facts for the
    classes its arguments actually had on entry (what the fast tier's entry guard would establish).
    """

    LIMIT = 300_000  # instruction fetches checked per program

    def __init__(self) -> None:
        self.facts: dict = {}
        self.frames: dict = {}
        self.errors: list[str] = []
        self.checked = 0
        self.typed_facts_used = 0
        # Spawned tasks run on threads and fetch instructions of the same chunks: one check at a time (a
        # Facts object answers in order from its cursor; the code generator asks from one thread only).
        self.lock = threading.Lock()

    def install(self, chunk: Chunk) -> None:
        for c in chunk.all_chunks():
            c.decoded = TracedCode(decode(c), c, self)

    def facts_for(self, chunk: Chunk, types: Optional[tuple]) -> Optional[Facts]:
        key = (id(chunk), types)
        if key not in self.facts:
            try:
                self.facts[key] = infer(chunk, types)
            except BadBytecode:
                self.facts[key] = None
        return self.facts[key]

    def check(self, chunk: Chunk, ip: int, frame: Any) -> None:
        with self.lock:
            self._check(chunk, ip, frame)

    def _check(self, chunk: Chunk, ip: int, frame: Any) -> None:
        self.checked += 1
        if self.checked > self.LIMIT or len(self.errors) > 20:
            return
        entry = self.frames.get(id(frame))
        if entry is None or entry[0] is not frame:
            types = tuple(_ty_of(v) for v in frame.locals[:len(chunk.params)])
            entry = [frame, [self.facts_for(chunk, None), self.facts_for(chunk, types)], -1]
            self.frames[id(frame)] = entry
        last, entry[2] = entry[2], ip
        if last >= 0 and chunk.code[last].op is Op.TryUnwrap and ip != last + 1:
            # `?` on Err/None: the interpreter returns by pushing the value and jumping to the chunk's last
            # Return (VM.do_return), which is no control-flow edge of the chunk (generated code returns).
            return
        for facts in entry[1]:
            if facts is not None:
                self.compare(chunk, ip, frame, facts)

    def compare(self, chunk: Chunk, ip: int, frame: Any, f: Facts) -> None:
        where = f"{chunk.name}@{ip} {chunk.code[ip]}"
        if not f.reachable(ip):
            self.errors.append(f"{where}: reached an instruction the facts call unreachable")
            return
        for k, v in enumerate(frame.locals):
            if not _holds(v, f.local(ip, k)):
                self.errors.append(f"{where}: local {chunk.local_names[k]}={v!r} but fact {f.local(ip, k)}")
        st = f.stack(ip)
        if st is not None:
            if len(st) != len(frame.stack):
                self.errors.append(f"{where}: stack depth {len(frame.stack)} but facts {st}")
                return
            for v, fact in zip(frame.stack, st):
                if not _holds(v, fact):
                    self.errors.append(f"{where}: stack value {v!r} but fact {fact}")
            if st and st[-1].ty is not Ty.UNKNOWN:
                self.typed_facts_used += 1
        op = chunk.code[ip].op
        if f.no_overflow(ip):
            args = frame.stack[-2:] if op is not Op.Negate else [0, frame.stack[-1]]
            a, b = args
            r = {Op.Add: lambda: a + b, Op.Sub: lambda: a - b, Op.Mul: lambda: a * b, Op.Negate: lambda: -b}[op]()
            if not (type(a) is int and type(b) is int and I64_MIN <= r <= I64_MAX):
                self.errors.append(f"{where}: no_overflow but {a!r}, {b!r}")


class TracedCode(list):
    """A chunk's decoded code whose fetches by VM._loop report (ip, executing frame) to the checker."""

    LOOP_CODE = VM._loop.__code__

    def __init__(self, items: list, chunk: Chunk, checker: Checker) -> None:
        super().__init__(items)
        self.chunk = chunk
        self.checker = checker

    def __getitem__(self, ip: Any) -> Any:
        caller = sys._getframe(1)
        if caller.f_code is self.LOOP_CODE and type(ip) is int:
            self.checker.check(self.chunk, ip, caller.f_locals["frame"])
        return list.__getitem__(self, ip)


def run_checked(src: str, filename: str = "t.ruff") -> tuple[str, Checker]:
    program = compile_source(src, filename)
    checker = Checker()
    checker.install(program.chunk)
    out: list[str] = []
    vm = VM(write=out.append)
    module = Module("__main__", filename, src)
    module.exports = program.exports

    def go() -> None:
        try:
            vm.run_chunk(program.chunk, module)
        except RuffError:
            pass
        except BaseException as e:  # ExitProgram
            if type(e).__name__ != "ExitProgram":
                raise

    run_in_big_stack(go)
    return "".join(out), checker


SOUNDNESS_PROGRAMS = {
    "loops": """
        func count(n) {
            i := 0
            s := 0
            while i < n { s := s + i; i := i + 1 }
            return s
        }
        func down(n) {
            k := n
            loop { if k <= 1 { break }; k := k - 1 }
            while n > 0 && n != 3 { n := n - 1 }
            return k + n
        }
        func fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }
        func nested(n, m) {
            t := 0
            i := 0
            while i < n {
                j := i
                while j >= 0 || j == -5 {
                    if j % 2 == 0 { t := t + j * i } else { t := t - j }
                    j := j - 1
                }
                i := i + 1
            }
            return t / (m + 1) + t % 7
        }
        func sq(n) { x := 2; while x < n { x := x * x }; return x }
        print(count(100), count(-3), count(2.5), down(10), down(-4), down(7.5), fib(15), nested(12, 2))
        print(sq(1000), sq(3.5), sq(9223372036854775807))
    """,
    "mixed": """
        func f(x, y) {
            a := x + y
            if x < y { a := "less" } else { a := a * 2 }
            b := [x, y]
            b.push(a)
            c := {"x": x}
            d := !(x == y)
            e := -x
            return "${a} ${b} ${len(c)} ${d} ${e}"
        }
        print(f(1, 2), f(2.5, 1), f(3, 3), f("a", "b"))
        func g(n) {
            r := 0
            try {
                r := n * n * n * n
            } except err {
                r := -1
            }
            return r
        }
        print(g(10), g(100000), g(2.0))
        counter := 0
        func h() {
            c := 0
            inc := func() { c := c + 1; return c }
            inc()
            inc()
            while c < 5 { c := c + inc() }
            return c
        }
        print(h())
        func* gen(n) { i := 0; while i < n { yield i; i := i + 1 } }
        for v in gen(4) { print(v) }
        func m(v) {
            match v { case 1: { return "one" } case [a, b]: { return a + b } case _: { return v ?? "null" } }
        }
        print(m(1), m([2, 3]), m(null), m("s"))
        struct P {
            x: int
            func op_lt(self, o) { return "weird" }
            func op_not(self) { return 42 }
        }
        func cmp(p, q) { r := p < q; s := !p; return "${r} ${s}" }
        print(cmp(P { x: 1 }, P { x: 2 }), cmp(1, 2))
    """,
    "overflow": """
        func edge(a, b) {
            out := []
            try { out.push(a + b) } except e { out.push(e.message) }
            try { out.push(a - b) } except e { out.push(e.message) }
            try { out.push(a * b) } except e { out.push(e.message) }
            try { out.push(a / b) } except e { out.push(e.message) }
            try { out.push(a % b) } except e { out.push(e.message) }
            try { out.push(-a) } except e { out.push(e.message) }
            return out
        }
        mn := -9223372036854775807 - 1
        mx := 9223372036854775807
        for p in [[mx, 1], [mn, -1], [mn, 1], [mx, mx], [7, -2], [-7, 2], [0, 0], [5, 0.5]] {
            print(edge(p[0], p[1]))
        }
        func clamp(v) {
            if v > 100 || v < -100 { return 0 }
            return v * v + v / 3 - v % 4
        }
        print(clamp(50), clamp(-100), clamp(mx), clamp(mn), clamp(3.5))
    """,
}


@pytest.mark.parametrize("name", sorted(SOUNDNESS_PROGRAMS))
def test_facts_hold_when_programs_run(name: str) -> None:
    out, checker = run_checked(textwrap.dedent(SOUNDNESS_PROGRAMS[name]))
    assert checker.errors == []
    assert checker.checked > 100 and checker.typed_facts_used > 50, (checker.checked, checker.typed_facts_used)
    assert "Error" not in out or name == "overflow", out


class Fuzz:
    """Random terminating functions over a few int variables: arithmetic that may overflow or divide by
    zero, conditions built from comparisons with && || !, nested counted loops, branches that assign
    floats, strings or null, try/except around statements."""

    VARS = ("a", "b", "c", "d")
    OTHER = ("0.5", '"s"', "null", "true", "2")

    def __init__(self, seed: int) -> None:
        import random

        self.r = random.Random(seed)
        self.loops = 0

    def atom(self) -> str:
        r = self.r
        k = r.random()
        if k < 0.55:
            return r.choice(self.VARS)
        if k < 0.9:
            return str(r.choice([0, 1, 2, 3, 7, 10, 100, -1, -5, 4611686018427387904, 9223372036854775807]))
        return r.choice(["1.5", "(-9223372036854775807 - 1)"])

    def expr(self, depth: int = 0) -> str:
        if depth > 2 or self.r.random() < 0.35:
            return self.atom()
        op = self.r.choice("+-*/%+-")
        if self.r.random() < 0.1:
            return f"-{self.atom()}"
        return f"({self.expr(depth + 1)} {op} {self.expr(depth + 1)})"

    def cond(self, depth: int = 0) -> str:
        r = self.r
        k = r.random()
        if depth < 2 and k < 0.2:
            return f"({self.cond(depth + 1)} {r.choice(['&&', '||'])} {self.cond(depth + 1)})"
        if depth < 2 and k < 0.3:
            return f"!({self.cond(depth + 1)})"
        return f"{self.atom()} {r.choice(['<', '<=', '>', '>=', '==', '!='])} {self.atom()}"

    def stmts(self, indent: int, depth: int) -> list[str]:
        r = self.r
        pad = "    " * indent
        out = []
        for _ in range(r.randint(1, 4)):
            k = r.random()
            v = r.choice(self.VARS)
            if k < 0.45:
                out.append(f"{pad}{v} := {self.expr()}")
            elif k < 0.55:
                out.append(f"{pad}{v} := {r.choice(self.OTHER)}")
            elif k < 0.7 and depth < 3:
                out.append(f"{pad}if {self.cond()} {{")
                out += self.stmts(indent + 1, depth + 1)
                out.append(f"{pad}}} else {{")
                out += self.stmts(indent + 1, depth + 1)
                out.append(f"{pad}}}")
            elif k < 0.85 and depth < 3:
                i = f"i{self.loops}"
                self.loops += 1
                out.append(f"{pad}{i} := 0")
                out.append(f"{pad}while {i} < {r.randint(0, 6)} && ({self.cond()} || {i} < 2) {{")
                out += self.stmts(indent + 1, depth + 1)
                out.append(f"{pad}    {i} := {i} + 1")
                out.append(f"{pad}}}")
            elif depth < 3:
                out.append(f"{pad}try {{")
                out += self.stmts(indent + 1, depth + 1)
                out.append(f"{pad}}} except e {{")
                out += self.stmts(indent + 1, depth + 1)
                out.append(f"{pad}}}")
        return out

    def program(self) -> str:
        body = "\n".join(self.stmts(1, 0))
        calls = "\n".join(f"try {{ print(f({args})) }} except e {{ print(e.message) }}"
                           for args in ["1, 2, 3, 4", "0, -1, 100, 7", "9223372036854775807, 1, 0, -3",
                                        '2.5, 3, "s", null', "-9223372036854775807 - 1, 5, 5, 5"])
        return f"func f(a, b, c, d) {{\n{body}\n    return [a, b, c, d]\n}}\n{calls}\n"


@pytest.mark.parametrize("seed", range(60))
def test_facts_hold_on_random_programs(seed: int) -> None:
    src = Fuzz(seed).program()
    _, checker = run_checked(src)
    assert checker.errors == [], src


def _corpus() -> list[Path]:
    return compilable_programs()


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem)
def test_facts_hold_on_the_golden_corpus(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    _, checker = run_checked(path.read_text(encoding="utf-8"), path.name)
    assert checker.errors == []


def test_float_or_string_on_the_left_fixes_the_result_class() -> None:
    # Only a struct on the left overloads an operator: `s + x` with s a string is a string or fails,
    # `acc + x` with acc a float a float, whatever x is; an int on the left may give an int or a float.
    c = chunk_of("""
    func f(xs) {
        s := ""
        acc := 0.0
        n := 0
        for x in xs {
            s := s + x
            acc := acc + x
            n := n + x
        }
        return s
    }
    """, "f")
    f = infer(c)
    ret = at(c, Op.Return)
    assert f.local(ret, slot(c, "s")) == Val(Ty.STR)
    assert f.local(ret, slot(c, "acc")) == Val(Ty.FLOAT)
    assert f.local(ret, slot(c, "n")) == Val(Ty.UNKNOWN)
