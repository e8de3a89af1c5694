"""The fast baseline tier (ruff.runtime.fast) against the reference interpreter (ruff.runtime.vm.VM).

Every program runs on both executors; stdout, the runtime error (message, file, line, column, Ruff call
stack, the functions it unwound) and the exit of `exit()` must be identical. The golden corpus
(tests/programs) runs the same way here, plus programs aimed at every opcode and at the corners of the
semantics: checked arithmetic, closures, generators, try/except, operator overloading, loops.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from corpus import compilable_programs

from ruff.frontend.bytecode import Op
from ruff.frontend.compiler import compile_source
from ruff.runtime.fast import codegen
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.fast.fastvm import FastVM
from ruff.runtime.values import Module, RuffError
from ruff.limits import MAX_FRAMES
from ruff.runtime.vm import VM




def execute(cls: type, src: str, filename: str = "t.ruff") -> tuple[str, Any, Any]:
    """(stdout, error summary or None, vm) of running src on a VM of class cls."""
    program = compile_source(src, filename)
    out: list[str] = []
    vm = cls(write=out.append)
    module = Module("__main__", filename, src)
    module.exports = program.exports
    error = None
    try:
        vm.run_chunk(program.chunk, module)
    except RuffError as e:
        error = ("error", e.message, e.filename, e.line, e.col, list(e.stack), list(e.unwound))
    except BaseException as e:  # ExitProgram
        if type(e).__name__ != "ExitProgram":
            raise
        error = ("exit", e.code)
    return "".join(out), error, vm


def both(src: str, filename: str = "t.ruff") -> tuple[str, Any, FastVM]:
    src = textwrap.dedent(src)
    want_out, want_err, _ = run_in_big_stack(lambda: execute(VM, src, filename))
    out, err, vm = run_in_big_stack(lambda: execute(FastVM, src, filename))
    assert out == want_out
    assert err == want_err
    return out, err, vm


def check(src: str, expect_out: str = None, fallback_ok: bool = False) -> tuple[str, Any]:
    out, err, vm = both(src)
    if not fallback_ok:
        assert vm.fallbacks == {}, vm.fallbacks
    if expect_out is not None:
        assert out == textwrap.dedent(expect_out).lstrip("\n")
    return out, err


# ----------------------------------------------------------------------------- the golden corpus


def _corpus() -> list[Path]:
    return compilable_programs()


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem)
def test_golden_program_same_on_both_tiers(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    src = path.read_text(encoding="utf-8")
    _, _, vm = both(src, path.name)
    assert vm.fallbacks == {}, vm.fallbacks


# ----------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("expr", [
    "9223372036854775807 + 1", "-9223372036854775807 - 2", "9223372036854775807 * 2", "-9223372036854775807 * 3",
    "(-9223372036854775807 - 1) / -1", "(-9223372036854775807 - 1) % -1", "-(-9223372036854775807 - 1)",
    "7 / 0", "7 % 0", "7.5 / 0", "7.5 % 0", "1 / 0.0", "\"a\" + 1", "true + 1", "1 + true", "[1] + [2]",
    "\"a\" * 3", "null < 1", "true < 2", "\"a\" < 1", "[1] < [2]", "-\"x\"", "-true", "1 - null",
])
def test_arithmetic_errors(expr: str) -> None:
    _, err = check(f"x := 0\nfunc f() {{ return {expr} }}\nprint(\"before\")\nprint(f())\n")
    assert err is not None and err[0] == "error"


def test_arithmetic_values() -> None:
    check("""
        func show(a, b) {
            print(a + b, a - b, a * b, a / b, a % b, a < b, a <= b, a > b, a >= b, a == b, a != b)
        }
        for p in [[7, 2], [-7, 2], [7, -2], [-7, -2], [7, 2.0], [-7.5, 2], [0, 5], [5, 3], [3, 3],
                  [9223372036854775806, 1], [-9223372036854775807, 1], [2.5, 0.5], [1, 1.0]] {
            show(p[0], p[1])
        }
        mn := -9223372036854775807 - 1
        print(mn, mn + 1, mn / 1, mn % 1, mn / 3, mn % 3, -mn + -1 + 0 * 5)
        x := 5
        x += 3
        x -= 1
        x *= 2
        x /= 3
        x %= 3
        print(x, -x, -(-x), -2.5, !x, !0, !"", ![], !{}, !null, !1.5)
        print("ab" + "cd", "a" < "b", "b" <= "a", "x" == "x", "x" != "y")
        print(1 == 1.0, 1 == true, 0 == false, null == null, null == 0, "1" == 1, [1, 2] == [1, 2],
              {"a": [1]} == {"a": [1]}, [1] != [1, 2], true == true)
        i := 0
        print(i - 1, 1 - i, 0 - i, i + 9223372036854775807, -1 + i)
    """)


def test_int_minus_constants_at_the_edges() -> None:
    check("""
        func sub(a) { return a - 1 }
        func add(a) { return a + 1 }
        func rsub(a) { return 0 - a }
        func rsubm(a) { return -2 - a }
        print(sub(-9223372036854775807), add(9223372036854775806), rsub(-9223372036854775807), rsubm(9223372036854775806))
        try { print(sub(-9223372036854775807 - 1)) } except e { print(e.message) }
        try { print(add(9223372036854775807)) } except e { print(e.message) }
        try { print(rsub(-9223372036854775807 - 1)) } except e { print(e.message) }
        try { print(rsubm(9223372036854775807)) } except e { print(e.message) }
        print(sub(2.5), add(0.5), rsub(1.5))
    """)


def test_truthiness_and_logic() -> None:
    check("""
        vals := [0, 1, -1, 0.0, 2.5, "", "x", [], [0], {}, {"a": 1}, null, true, false, range(0), range(3)]
        for v in vals {
            if v { print("T", v) } else { print("F", v) }
            print(v && 1, v || 0, !v, v ?? "dflt")
        }
        func side(tag, v) { print("side", tag)
            return v }
        print(side(1, false) && side(2, true), side(3, true) || side(4, false), side(5, null) ?? side(6, 7))
        x := 3
        while x { x -= 1 }
        print(x)
        if x < 1 && x > -1 || false { print("zero") }
    """)


# ----------------------------------------------------------------------------- functions and closures


def test_closures() -> None:
    check("""
        func counter() {
            mut n := 0
            return [func() { n += 1
                return n }, func() { return n }]
        }
        c := counter()
        c[0]()
        c[0]()
        print(c[1](), c[0](), c[1]())
        func adder(k) { return func(v) { return v + k } }
        add5 := adder(5)
        print(add5(1), adder(10)(2))
        func outer() {
            a := 1
            func middle() {
                b := 2
                func inner() {
                    a := a + 10
                    b := b + 20
                    return a + b
                }
                return inner
            }
            f := middle()
            r := f()
            return [r, a]
        }
        print(outer())
        fs := []
        for i in range(3) { fs := push(fs, func() { return i * 10 }) }
        print(fs[0](), fs[1](), fs[2]())
        func rec(n) {
            func go(k) { if k == 0 { return 0 }
                return k + go(k - 1) }
            return go(n)
        }
        print(rec(10))
        compose := func(f, g) { return func(x) { return g(f(x)) } }
        print(compose(adder(1), adder(2))(3))
    """)


def test_default_arguments_and_arity() -> None:
    check("""
        func greet(name, greeting = "Hello", mark = "!") { return greeting + ", " + name + mark }
        print(greet("A"), greet("B", "Hi"), greet("C", "Yo", "?"))
        f := func(a, b = 2) { return a * b }
        print(f(3), f(3, 4))
        func later(x) { return x }
        try { later() } except e { print(e.message) }
        try { later(1, 2) } except e { print(e.message) }
        try { greet() } except e { print(e.message) }
        try { greet(1, 2, 3, 4) } except e { print(e.message) }
        m := func(a = 1, b) { return [a, b] }
        print(m(5, 6))
        try { print(m(5)) } except e { print(e.message) }
    """)


def test_arity_error_line_and_stack() -> None:
    _, err = check("""
        func two(a, b) { return a + b }
        func caller() {
            x := 1
            return two(x)
        }
        caller()
    """)
    assert err[1] == "two expects 2 arguments, got 1" and err[3] == 5


def test_calls_of_everything() -> None:
    check("""
        struct P { x: int,
            func get(self) { return self.x }
            func twice(self, k) { return self.x * k } }
        p := P { x: 4 }
        m := p.get
        print(m(), p.twice(3), P.twice(p, 2), p.get())
        enum Shape { Circle, Square }
        c := Shape::Circle(2)
        print(c, Shape::Square)
        print(len([1, 2]), to_string(5), Ok(1), Err("x"), Some(3), None)
        d := {"f": func(v) { return v + 1 }}
        print(d.f(1))
        try { 5() } except e { print(e.message) }
        try { P() } except e { print(e.message) }
        try { null.foo() } except e { print(e.message) }
        try { p.nope() } except e { print(e.message) }
        args := [1, 2]
        func add(a, b) { return a + b }
        print(add(...args), add(...[3], 4), [...args, 3], {...{"a": 1}, "b": 2})
    """)


def test_deep_recursion_ten_thousand() -> None:
    check("""
        func depth(n) { if n == 0 { return 0 }
            return 1 + depth(n - 1) }
        print(depth(10000))
        func even(n) { if n == 0 { return true }
            return odd(n - 1) }
        func odd(n) { if n == 0 { return false }
            return even(n - 1) }
        print(even(20001))
    """)


def test_stack_overflow_matches_the_interpreter() -> None:
    _, err = check("""
        func down(n) { return down(n + 1) + 1 }
        func start() { return down(0) }
        start()
    """)
    assert err[1] == f"Stack overflow: call depth exceeded {MAX_FRAMES} in down"
    assert len(err[5]) == MAX_FRAMES


def test_stack_overflow_is_catchable() -> None:
    check("""
        func down(n) { return down(n + 1) }
        try { down(0) } except e { print(e.message, len(e.stack)) }
        func viaop(n) { return viaop(n + 1) }
        print("after")
    """)


def test_depth_limit_is_exact_around_builtins_and_caught_errors() -> None:
    # The limit is Python's recursion limit (fast/depth.py): a builtin called from the deepest frame still
    # runs, and a limit lifted to retry a refused call is put back (the second overflow is as deep).
    check("""
        func f(n) { if n > 49995 { print(n) }
            f(n + 1) }
        try { f(1) } except e { print(e.message, len(e.stack)) }
        func g(n) { if n == 0 { try { f(49990) } except e { print(len(e.stack)) }
            return 0 }
            return g(n - 1) }
        g(100)
        g(40000)
        struct N { v: int, func go(self, k) { return self.go(k + 1) } }
        try { N { v: 0 }.go(0) } except e { print(e.message, len(e.stack)) }
    """)


def test_deep_recursion_between_helper_frames_is_not_cut_short() -> None:
    # Frames of helpers and builtins between Ruff frames do not count towards the Ruff depth.
    check("""
        struct N { v: int,
            func op_add(self, o) { if self.v == 0 { return o }
                return N { v: self.v - 1 } + N { v: o.v + 1 } } }
        print((N { v: 30000 } + N { v: 0 }).v)
        func via_map(n) { if n == 0 { return [0] }
            return map([n], func(k) { return via_map(k - 1)[0] + 1 }) }
        print(via_map(15000))
    """)


def test_recursion_through_operator_overloading_and_builtins() -> None:
    check("""
        struct N { v: int,
            func op_add(self, o) { if self.v == 0 { return o }
                return N { v: self.v - 1 } + N { v: o.v + 1 } } }
        print((N { v: 300 } + N { v: 0 }).v)
        func via_map(n) { if n == 0 { return [0] }
            return map([n], func(k) { return via_map(k - 1)[0] + 1 }) }
        print(via_map(50))
    """)


# ----------------------------------------------------------------------------- errors


def test_runtime_error_lines_and_stacks() -> None:
    for body in ["return a / 0", "return [1][a]", "return a.nope", "return undefined_thing",
                 "return a + \"s\"", "x := {}\n return x[\"k\"]", "throw(\"boom\")",
                 "return -a - 9223372036854775807 - 5", "return null.x", "return len()"]:
        _, err = check(f"""
            func inner(a) {{
                b := a
                {body}
            }}
            func outer(q) {{
                return inner(q)
            }}
            print("start")
            outer(3)
        """)
        assert err is not None and err[0] == "error"


def test_try_except_forms() -> None:
    check("""
        func risky(n) {
            if n == 0 { throw("zero") }
            if n == 1 { return 10 / (n - 1) }
            if n == 2 { return [1][5] }
            if n == 3 { throw({"code": 3}) }
            return n
        }
        for i in range(5) {
            try {
                print("ok", risky(i))
            } except e {
                print("caught", e.message, e.stack, e)
            }
        }
        func nested() {
            try {
                try { risky(0) } except inner { print("inner", inner.message)
                    risky(2) }
            } except outer { print("outer", outer.message)
                return "from outer" }
            return "unreachable"
        }
        print(nested())
        func in_loop() {
            mut out := []
            for i in range(6) {
                try {
                    if i == 1 { continue }
                    if i == 4 { break }
                    out := push(out, risky(i + 1))
                } except e { out := push(out, e.message) }
            }
            return out
        }
        print(in_loop())
        mut k := 0
        while true {
            try { k += 1
                if k > 3 { break }
                risky(k % 3)
            } except e { print("w", k, e.message)
                continue }
        }
        func ret_in_try() { try { return "r" } except e { return "e" } }
        print(ret_in_try())
        try { try { throw("a") } except e { throw("b: " + e.message) } } except e2 { print(e2.message) }
        x := [1, 2, 3]
        s := 0
        for v in x { try { s += v
            if v == 2 { throw("two") } } except e { s += 100 } }
        print(s)
    """)


def test_error_object_stack_names_unwound_functions() -> None:
    check("""
        func a() { return b() }
        func b() { return c() }
        func c() { return 1 / 0 }
        func top() { try { a() } except e { print(e.stack, e.message, e.line) } }
        top()
        try { map([1], func(v) { return c() }) } except e { print(e.stack) }
        func gen_err() { try { for v in g() { print(v) } } except e { print("gen", e.stack) } }
        func* g() { yield 1
            yield c() }
        gen_err()
    """)


def test_uncaught_error_inside_builtin_callback() -> None:
    _, err = check("""
        func bad(v) {
            return v / 0
        }
        func go() { return map([1, 2], bad) }
        go()
    """)
    assert err[1] == "Division by zero"


def test_let_and_const_rebinding_at_run_time() -> None:
    for src in ["let x := 1\nfunc f() { x = 2 }\nf()", "const y := 1\nfunc f() { y = 2 }\nf()",
                "func f() { z = 2 }\nlet z := 1\nf()"]:
        check(src)


def test_undefined_variable() -> None:
    _, err = check("func f() {\n  return missing + 1\n}\nf()")
    assert err[1] == "Undefined variable: missing" and err[3] == 2


def test_exit_inside_function() -> None:
    _, err = check("func f() { print(\"bye\")\n exit(3) }\nf()\nprint(\"no\")")
    assert err == ("exit", 3)


# ----------------------------------------------------------------------------- generators


def test_generators() -> None:
    check("""
        func* count(n) { mut i := 0
            while i < n { yield i
                i += 1 } }
        for v in count(3) { print(v) }
        g := count(5)
        for v in g { if v == 2 { break } }
        for v in g { print("rest", v) }
        func* nested() { for a in count(2) { for b in count(2) { yield [a, b] } } }
        print(nested())
        for p in nested() { print(p) }
        func* fib() { a := 0
            b := 1
            while true { yield a
                t := a + b
                a := b
                b := t } }
        mut out := []
        for v in fib() { if v > 50 { break }
            out := push(out, v) }
        print(out)
        func* with_try() {
            try { yield 1
                yield 1 / 0 } except e { yield "caught " + e.message }
            yield "end"
        }
        for v in with_try() { print(v) }
        func* empty() { }
        for v in empty() { print("never") }
        print(type(count(1)), count(1))
        func* arg_default(a, b = 10) { yield a + b }
        for v in arg_default(1) { print(v) }
        print(count(4).map(func(x) { return x * x }).collect())
        print(count(10).filter(func(x) { return x % 3 == 0 }).take(2).collect())
    """)


def test_generator_error_escapes() -> None:
    check("""
        func* bad() { yield 1
            yield [][3] }
        func consume() { for v in bad() { print(v) } }
        consume()
    """)


# ----------------------------------------------------------------------------- loops


def test_for_loops_over_everything() -> None:
    check("""
        for v in [1, 2, 3] { print(v) }
        for k in {"b": 1, "a": 2} { print(k) }
        for c in "héllo" { print(c) }
        for i in range(2, 10, 3) { print(i) }
        for i in range(3) { for j in range(3) { if j == 1 { continue }
            if i == 2 { break }
            print(i, j) } }
        for [a, b] in [[1, 2], [3, 4]] { print(a + b) }
        for {x, y} in [{"x": 1, "y": 2}] { print(x, y) }
        total := 0
        for v in range(100) { if v % 2 == 0 { continue }
            total += v }
        print(total)
        func find(xs, t) { for x in xs { if x == t { return "found" } }
            return "missing" }
        print(find([1, 2], 2), find([1, 2], 5))
        mut n := 0
        loop { n += 1
            if n == 5 { break } }
        print(n)
        i := 0
        while i < 10 { i += 1
            if i % 2 == 0 { continue }
            if i > 7 { break }
            print("w", i) }
        arr := [1, 2, 3]
        for v in arr { arr[0] := v * 10 }
        print(arr)
        try { for v in 5 { print(v) } } except e { print(e.message) }
    """)


def test_nested_loops_with_break_in_try_and_outer_continue() -> None:
    check("""
        for i in range(4) {
            for j in range(4) {
                try {
                    if j == 2 { break }
                    if (i + j) % 2 == 0 { continue }
                    print(i, j)
                } except e { print("e") }
            }
            if i == 1 { continue }
            print("end", i)
        }
        func f() {
            mut i := 0
            while i < 3 {
                i += 1
                for v in [1, 2, 3] {
                    if v == i { break }
                    if v > 5 { return "never" }
                }
            }
            return i
        }
        print(f())
    """)


# ----------------------------------------------------------------------------- structs and matching


def test_struct_operator_overloading() -> None:
    check("""
        struct V { x: int, y: int,
            func op_add(self, o) { return V { x: x + o.x, y: y + o.y } }
            func op_sub(self, o) { return V { x: x - o.x, y: y - o.y } }
            func op_mul(self, k) { return V { x: x * k, y: y * k } }
            func op_div(self, k) { return V { x: x / k, y: y / k } }
            func op_mod(self, k) { return V { x: x % k, y: y % k } }
            func op_eq(self, o) { return x == o.x && y == o.y }
            func op_ne(self, o) { return !(self == o) }
            func op_lt(self, o) { return x < o.x }
            func op_gt(self, o) { return x > o.x }
            func op_le(self, o) { return x <= o.x }
            func op_ge(self, o) { return x >= o.x }
            func op_neg(self) { return V { x: -x, y: -y } }
            func op_not(self) { return x == 0 }
        }
        a := V { x: 1, y: 2 }
        b := V { x: 3, y: 5 }
        print(a + b, b - a, a * 3, b / 2, b % 2, a == b, a != b, a < b, a > b, a <= b, a >= b, -a, !a)
        if a < b { print("lt") }
        print(a == V { x: 1, y: 2 }, null == a, a == null)
        struct W { v: int, func op_lt(self, o) { return 0 } }
        w1 := W { v: 1 }
        w2 := W { v: 2 }
        if w1 < w2 { print("yes") } else { print("no") }
        print(w1 < w2, w1 > w2)
        struct E { v: int }
        try { print(E { v: 1 } + E { v: 2 }) } except e { print(e.message) }
        print(E { v: 1 } == E { v: 1 }, E { v: 1 } == E { v: 2 })
    """)


def test_structs_fields_and_methods() -> None:
    check("""
        struct Acc { total: int = 0, items = [],
            func add(self, v) { total := total + v
                items := push(items, v)
                return self }
            func sum(self) { return total } }
        a := Acc {}
        a.add(1).add(2)
        print(a, a.sum(), a.total, a.items)
        a.total := 100
        a.total += 5
        print(a.total)
        b := Acc { items: [9], total: 1 }
        print(b)
        try { Acc { nope: 1 } } except e { print(e.message) }
        try { a.missing := 1 } except e { print(e.message) }
        try { print(a.missing) } except e { print(e.message) }
        d := {"k": 1}
        d.k := 2
        d["n"] := 3
        d[5] := "five"
        print(d, d.k, d["5"], d[5])
        grid := [[1, 2], [3, 4]]
        grid[1][0] := 7
        grid[0][1] += 10
        print(grid)
        try { grid[5] := 1 } except e { print(e.message) }
        try { "abc"[1] := "x" } except e { print(e.message) }
        print("abc"[1], "abc"[-1], [1, 2, 3][-2])
        try { print(d.nothing) } except e { print(e.message) }
        try { print({}["x"]) } except e { print(e.message) }
        try { print({}[1]) } except e { print(e.message) }
        try { print([1][1.5]) } except e { print(e.message) }
        p := null
        print(p?.x, p?.x ?? "none", a?.total)
    """)


def test_match_and_results() -> None:
    check("""
        enum Shape { Circle, Rect, Empty }
        func area(s) {
            match s {
                case Shape::Circle(r): { return 3 * r * r }
                case Shape::Rect(w, h) if w == h: { return "square " + to_string(w * h) }
                case Shape::Rect(w, h): { return w * h }
                case _: { return 0 }
            }
        }
        print(area(Shape::Circle(2)), area(Shape::Rect(2, 3)), area(Shape::Rect(2, 2)), area(Shape::Empty))
        func lit(v) {
            match v {
                case 0: { return "zero" }
                case "s": { return "string" }
                case true: { return "true" }
                case null: { return "null" }
                case [a, b]: { return "pair " + to_string(a + b) }
                case [h, ...t]: { return "list " + to_string(t) }
                case {name}: { return "named " + name }
                case other: { return "other " + to_string(other) }
            }
        }
        for v in [0, "s", true, null, [1, 2], [1, 2, 3], {"name": "n"}, 1.5, 1, false] { print(lit(v)) }
        func half(n) { if n % 2 == 0 { return Ok(n / 2) }
            return Err("odd") }
        func quarter(n) { h := half(n)?
            q := half(h)?
            return Ok(q) }
        print(quarter(8), quarter(6), quarter(3))
        func first(xs) { for x in xs { if x > 1 { return Some(x) } }
            return None }
        func twice_first(xs) { v := first(xs)?
            return Some(v * 2) }
        print(twice_first([1, 5]), twice_first([1]))
        func bad() { v := 5?
            return v }
        try { bad() } except e { print(e.message) }
        let [a, b] := [1, 2]
        print(a, b)
        try { let [c, d] := [1] } except e { print(e.message) }
        match 5 { case 1: { print("one") } }
        print("after")
    """)


def test_strings_interpolation_and_collections() -> None:
    check("""
        n := 3
        f := 2.5
        print("n=${n} f=${f} arr=${[1, "a"]} d=${{"k": null}} b=${true} ${n + 1}${n * 2}")
        print("${1}${2}${3}${4}${5}", "")
        s := ""
        for i in range(5) { s := s + to_string(i) }
        print(s, len(s))
        arr := []
        arr := push(arr, 1)
        arr.push(2)
        print(arr, arr.len(), [1, 2, 3].map(func(x) { return x * 2 }))
        big := {"b": 2, "a": 1, "c": {"z": [1, {"q": 1.0}]}}
        print(big, keys(big), big["c"]["z"][1]["q"])
        print([], {}, [[]], [{}], [null, true, 1.5, "x"])
    """)


def test_globals_and_shadowing() -> None:
    check("""
        g := 1
        func bump() { g = g + 1
            return g }
        bump()
        bump()
        print(g)
        func shadow() { g := 100
            return g }
        print(shadow(), g)
        print := func(x) { return 0 }
    """)


def test_module_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "helper.ruff").write_text("export func double(x) { return x * 2 }\nexport let val := 21\n"
                                          "func boom() { return 1 / 0 }\nexport func fail() { return boom() }\n")
    main = tmp_path / "main.ruff"
    src = ("import helper\nfrom helper import double, val\nprint(double(val), helper.double(2))\n"
           "func go() { return helper.fail() }\ngo()\n")
    main.write_text(src)
    monkeypatch.chdir(tmp_path)
    out, err, _ = both(src, str(main))
    assert out == "42 4\n" and err[1] == "Division by zero"


# ----------------------------------------------------------------------------- the code generator itself


def test_every_opcode_is_covered_by_these_tests() -> None:
    """Every opcode the compiler emits appears in the programs above (so each has a differential test)."""
    seen: set = set()
    sources = [p.read_text(encoding="utf-8") for p in _corpus()]
    for chunk_src in sources:
        for c in compile_source(chunk_src, "x.ruff").chunk.all_chunks():
            seen.update(i.op for i in c.code)
    # Not emitted by the compiler (Ok/Err/Some are builtins; tests register only in test files):
    # test_hand_built_opcodes and test_test_blocks_register cover them.
    missing = {op for op in Op if op not in seen} - {Op.Dup, Op.Swap, Op.Nop, Op.MakeOk, Op.MakeErr,
                                                     Op.MakeSome, Op.MakeNone, Op.RegisterTest}
    assert not missing, missing


def test_test_blocks_register() -> None:
    src = 'test "adds" { assert_equal(1 + 1, 2) }\ntest_group "g" { print("in group") }\nprint("body")\n'
    for cls in (VM, FastVM):
        program = compile_source(src, "t.ruff")
        out: list = []
        vm = cls(write=out.append)
        run_in_big_stack(lambda: vm.run_chunk(program.chunk, Module("__main__", "t.ruff", src)))
        assert [(kind, name) for kind, name, _ in vm.tests] == [("test", "adds"), ("group", "g")]
        assert "".join(out) == "body\n"
        run_in_big_stack(lambda: vm.call(vm.tests[0][2], []))


def test_hand_built_opcodes() -> None:
    """Opcodes the compiler does not emit today still mean what bytecode.py says, on both tiers."""
    from ruff.frontend.bytecode import Chunk, Instr

    def program(*ops: tuple) -> Chunk:
        chunk = Chunk("<script>", [], filename="t.ruff", line=1)
        for op, arg in ops:
            chunk.code.append(Instr(op, arg, 1, 1))
        return chunk

    def k(chunk: Chunk, v: Any) -> int:
        return chunk.add_constant(v)

    c = Chunk("<script>", [], filename="t.ruff", line=1)
    pr, one, two = k(c, "x"), k(c, 1), k(c, 2)
    c.code = [Instr(op, arg, 1, 1) for op, arg in [
        (Op.LoadGlobal, "print"), (Op.LoadConst, one), (Op.MakeOk, None), (Op.LoadConst, two), (Op.MakeErr, None),
        (Op.LoadConst, one), (Op.MakeSome, None), (Op.MakeNone, None), (Op.LoadConst, one), (Op.LoadConst, two),
        (Op.Swap, None), (Op.Dup, None), (Op.Nop, None), (Op.Call, 7), (Op.Pop, None), (Op.LoadConst, pr),
        (Op.Return, None)]]
    outs = []
    for cls in (VM, FastVM):
        out: list = []
        vm = cls(write=out.append)
        assert run_in_big_stack(lambda: vm.run_chunk(c, Module("__main__", "t.ruff"))) == "x"
        outs.append("".join(out))
        if cls is FastVM:
            assert vm.fallbacks == {}
    assert outs[0] == outs[1] == "Ok(1) Err(2) Some(1) None 2 1 1\n"


def test_generated_source_is_structured() -> None:
    """No block dispatcher: loops and branches become Python while/for/if."""
    program = compile_source(textwrap.dedent("""
        func f(xs) {
            total := 0
            for x in xs { if x > 2 { total += x } else { total -= 1 } }
            while total > 100 { total := total / 2 }
            return total
        }
    """), "t.ruff")
    chunk = program.chunk.nested_chunks()[0]
    src = codegen.generate(chunk).source
    assert "for l" in src and "while (" in src and "blk" not in src


def test_unstructured_bytecode_falls_back_to_the_interpreter() -> None:
    """A chunk whose control flow is irreducible runs in the interpreter, with the same results."""
    from ruff.frontend.bytecode import Instr

    program = compile_source("func f(n) { return n }\nprint(f(4))\nprint(f(5))", "t.ruff")
    f = program.chunk.nested_chunks()[0]
    # n := arg; if n > 4 goto B; A: n := n + 1; goto C; B: n := n + 2; C: if n < 9 goto A (into the middle)
    # of a loop: A is entered both from the top and from C, B only from the top → irreducible.
    f.code = [
        Instr(Op.LoadLocal, 0, 1), Instr(Op.LoadConst, f.add_constant(4), 1), Instr(Op.GreaterThan, None, 1),
        Instr(Op.JumpIfTrue, 8, 1),
        Instr(Op.LoadLocal, 0, 2), Instr(Op.LoadConst, f.add_constant(1), 2), Instr(Op.Add, None, 2),
        Instr(Op.StoreLocal, 0, 2),
        Instr(Op.LoadLocal, 0, 3), Instr(Op.LoadConst, f.add_constant(2), 3), Instr(Op.Add, None, 3),
        Instr(Op.StoreLocal, 0, 3),
        Instr(Op.LoadLocal, 0, 4), Instr(Op.LoadConst, f.add_constant(9), 4), Instr(Op.LessThan, None, 4),
        Instr(Op.JumpIfTrue, 4, 4),
        Instr(Op.LoadLocal, 0, 5), Instr(Op.Return, None, 5),
    ]
    with pytest.raises(codegen.Unsupported):
        codegen.generate(f)
    out_i: list = []
    out_f: list = []
    run_in_big_stack(lambda: VM(write=out_i.append).run_chunk(program.chunk, Module("__main__", "t.ruff")))
    vm = FastVM(write=out_f.append)
    run_in_big_stack(lambda: vm.run_chunk(program.chunk, Module("__main__", "t.ruff")))
    assert out_f == out_i and any(k.endswith(":f") for k in vm.fallbacks)


def test_fallback_chunk_errors_have_full_stacks() -> None:
    """A fallback (interpreted) function between fast ones: one Ruff stack, in order."""
    program = compile_source("func inner() { return 1 / 0 }\nfunc mid() { return inner() }\n"
                             "func outer() { return mid() }\nouter()\n", "t.ruff")
    mid = [c for c in program.chunk.all_chunks() if c.name == "mid"][0]
    vm_i = VM()
    with pytest.raises(RuffError) as want:
        run_in_big_stack(lambda: vm_i.run_chunk(program.chunk, Module("__main__", "t.ruff")))
    program2 = compile_source("func inner() { return 1 / 0 }\nfunc mid() { return inner() }\n"
                              "func outer() { return mid() }\nouter()\n", "t.ruff")
    mid2 = [c for c in program2.chunk.all_chunks() if c.name == "mid"][0]
    vm = FastVM()
    vm.prepare(program2.chunk)
    mid2.fx = vm.make_entry(mid2)  # as if the code generator had refused it
    with pytest.raises(RuffError) as got:
        run_in_big_stack(lambda: vm.run_chunk(program2.chunk, Module("__main__", "t.ruff")))
    assert mid is not None
    assert got.value.stack == want.value.stack and got.value.line == want.value.line
    assert got.value.unwound == want.value.unwound


def test_native_tier_hooks_are_called() -> None:
    """With a JIT attached, every closure call counts, reaches hot() at the threshold, and try_call() is
    consulted once the chunk has tier state; a global rebinding is reported."""
    class FakeJit:
        def __init__(self) -> None:
            self.hot_calls, self.tried, self.rebound, self.depths = [], 0, [], set()

        def hot(self, fn: Any, args: list) -> None:
            self.hot_calls.append((fn.chunk.name, list(args)))
            fn.chunk.tier_state = "native"

        def try_call(self, fn: Any, args: list, depth: int) -> tuple:
            self.tried += 1
            self.depths.add(depth)
            return (True, -1) if args == [7] else (False, None)

        def global_rebound(self, module: Any, name: str) -> None:
            self.rebound.append(name)

        def finish(self) -> None:
            pass

    src = "func f(x) { return x * 2 }\nmut total := 0\nfor i in range(10) { total += f(i) }\nprint(total, f(7))\n"
    seen = []
    for cls in (VM, FastVM):
        program = compile_source(src, "t.ruff")
        out: list = []
        vm = cls(write=out.append)
        vm.jit = FakeJit()
        vm.hot_at = 3
        run_in_big_stack(lambda: vm.run_chunk(program.chunk, Module("__main__", "t.ruff")))
        f = program.chunk.nested_chunks()[0]
        seen.append((vm.jit.hot_calls, f.calls, vm.jit.tried, "".join(out), sorted(set(vm.jit.rebound)),
                     vm.jit.depths))
    assert seen[0] == seen[1]
    # f runs one frame above the script (depth 1): the depth native code would start from
    assert seen[1] == ([("f", [2])], 11, 9, "75 -1\n", ["f", "total"], {2})


def test_run_in_big_stack_propagates_exceptions() -> None:
    with pytest.raises(ZeroDivisionError):
        run_in_big_stack(lambda: 1 / 0)
    assert run_in_big_stack(lambda: 42) == 42


def test_sqrt_fast_path_leaves_other_arguments_to_the_builtin() -> None:
    # The fast tier calls math.sqrt itself only for a non-negative float; a negative float, an int, a
    # string and a rebound `sqrt` go where the interpreter sends them.
    check("""
        func root(x) {
            return sqrt(x)
        }
        print(root(2.25), root(9))
        try {
            root(-1.0)
        } except e {
            print(e.message)
        }
        try {
            root("x")
        } except e {
            print(e.message)
        }
    """, """
        1.5 3
        sqrt() domain error: value must be >= 0
        sqrt() expects a number, got string
    """)
    check("""
        sqrt := func(x) { return x + 1 }
        func root(x) {
            return sqrt(x)
        }
        print(root(2.25))
    """, "3.25\n")


def test_appending_to_a_local_string_is_shaped_for_cpythons_in_place_append() -> None:
    # `s := s + x` stores straight into the local (`l1 = l1 + ...`): CPython then appends in place
    # while nothing else holds the string, so building a string is linear.
    program = compile_source(textwrap.dedent("""
        func build(n) {
            s := ""
            i := 0
            while i < n {
                s := s + "x"
                i := i + 1
            }
            return s
        }
    """), "t.ruff")
    src = codegen.generate(program.chunk.nested_chunks()[0]).source
    assert "l1 = l1 + 'x'" in src
    # Other holders of the string, self-appends, ints at the i64 edge, floats and errors keep their meaning.
    check("""
        func f(s, n, x) {
            t := s
            s := s + "b"
            s := s + s
            n := n + 1
            x := x + 0.5
            return [s, t, n, x]
        }
        print(f("a", 1, 1.0))
        print(f(1, 2, 3))
        try {
            f("a", 9223372036854775807, 0.0)
        } except e {
            print(e.message)
        }
        try {
            f("a", 1, null)
        } except e {
            print(e.message)
        }
    """)


def test_inline_builtins_and_push_in_place_keep_their_meaning() -> None:
    # len, substring, get_default computed inline for the plain cases; push appends in place only when
    # the local is the array's sole holder (an alias must keep seeing the old array).
    check("""
        func f(s, d, n) {
            out := []
            alias := out
            i := 0
            while i < n {
                out := push(out, substring(s, i, i + 2))
                d[substring(s, i, i + 1)] := get_default(d, substring(s, i, i + 1), 0) + 1
                i := i + 1
            }
            return [len(out), len(alias), out, d, len(s), substring(s, -1, 2), substring(s, 2, 1),
                    substring(s, 1.5, 3), get_default(d, 1, "none"), len({"a": 1})]
        }
        print(f("abcab", {}, 4))
        xs := [1]
        func g(xs) {
            ys := xs
            xs := push(xs, 2)
            xs := push(xs, 3)
            return [xs, ys]
        }
        print(g(xs), xs)
        try {
            print(f(1, {}, 1))
        } except e {
            print(e.message)
        }
    """)


def _fn_source(src: str, k: int = 0, builtin_names: frozenset = frozenset()) -> str:
    """The generated Python of the k-th function of the program `src`."""
    program = compile_source(textwrap.dedent(src), "t.ruff")
    return codegen.generate(program.chunk.nested_chunks()[k], builtin_names=builtin_names).source


def test_inline_builtins_test_only_what_type_flow_leaves_open() -> None:
    # count_kmers of fasta_knucleotide: `counts` is a dict and `i` an int >= 0 by type flow, so the call
    # sites test only the string, the end index and the key (tests/programs/fast_inline_builtin_kinds).
    src = _fn_source("""
        func count(seq, k) {
            counts := {}
            i := 0
            while i <= len(seq) - k {
                key := substring(seq, i, i + k)
                counts[key] := get_default(counts, key, 0) + 1
                i := i + 1
            }
            return counts
        }
    """, builtin_names=frozenset(("len", "substring", "get_default")))
    subs = [ln.strip() for ln in src.splitlines() if "_h_B_substring and" in ln]
    gets = [ln.strip() for ln in src.splitlines() if "_h_B_get_default and" in ln]
    assert subs and gets
    for line in subs:
        assert "l0.__class__ is _h_str" in line and "l3.__class__" not in line and "l3 >= 0" not in line
    for line in gets:
        assert "l2.__class__" not in line and "l4.__class__ is _h_str" in line


# fasta_knucleotide's k-mer count, as the bench program has it
COUNT_KMERS = """
    func count(seq, k) {
        counts := {}
        last := len(seq) - k
        i := 0
        while i <= last {
            key := substring(seq, i, i + k)
            counts[key] := get_default(counts, key, 0) + 1
            i := i + 1
        }
        return counts
    }
"""


def test_loop_version_assumes_small_ints_to_drop_overflow_checks() -> None:
    # count_kmers again: `last` and `k` are ints of any size, so `i + k` and `i + 1` need checks, unless
    # the loop is entered with both (and i) in 32 bits: one test at the loop's entry, none per iteration.
    src = _fn_source(COUNT_KMERS, builtin_names=frozenset(("len", "substring", "get_default")))
    guard = ("if l0.__class__ is _h_str and -2147483648 <= l1 <= 2147483647 and l3.__class__ is _h_int and "
             "-2147483648 <= l3 <= 2147483647")
    assert guard in src
    fast, slow = src.split(guard)[1].split("\n        else:\n", 1)
    assert "bit_length" not in fast and "_h_ovf('+', l4" not in fast and "l4 = (l4 + (1))" in fast
    assert "if t6.bit_length() > 63: t6 = _h_ovf('+', l4, l1, t6)" in slow
    check("""
        func walk(last, k) {
            i := 0
            s := 0
            while i <= last {
                s := i + k
                i := i + 1
            }
            return s
        }
        print(walk(3, 10), walk(3, 4294967296), walk(2, 9223372036854775805))
        try { walk(3, 9223372036854775805) } except e { print(e.message) }
    """, "13 4294967299 9223372036854775807\nInteger overflow: 3 + 9223372036854775805\n")


def test_loop_version_and_split_take_substring_strings_untested() -> None:
    # count_kmers: `seq` is only substring's string, so the loop version tests it once on entry; the
    # substring's inline result is a string, so the rest of the body gets a copy where get_default and
    # the dict store take `key` untested (the other callees continue in the copy that tests it).
    src = _fn_source(COUNT_KMERS, builtin_names=frozenset(("len", "substring", "get_default")))
    fast = src.split("if l0.__class__ is _h_str and -2147483648 <= l1")[1].split("\n        else:\n", 1)[0]
    assert "l0.__class__" not in fast
    typed, generic = fast.split("if t5 is _h_B_substring and t6 >= 0:")[1:3]
    assert "if t8 is _h_B_get_default:" in typed and "l5.__class__" not in typed
    # The key's stored form (ruff.runtime.dict_keys) is made once, for both get_default and the store by
    # the same key: get_default looks the string up as it is, and only a miss tests for a number's text.
    assert "t9 = l2.get(l5, _h_MISSING)" in typed and "if t9 is _h_MISSING:" in typed
    assert "t9 = l2.get(t10, (0)) if t10 is not l5 else (0)" in typed and "t10 = l5" in typed
    assert "l2[t10] = t11" in typed and typed.count("_h_tk") == 2  # the miss, and a rebound get_default
    assert "l5.__class__ is _h_str" in generic and "_h_iset(l2, l5" in generic
    # `+ 1` on an unknown int tests a one-digit bound before the i64 one.
    assert "if t11 > 1073741823 and t11 > 9223372036854775807:" in typed
    check("""
        func count(seq, k) {
            counts := {}
            i := 0
            while i < k {
                key := substring(seq, i, i + 2)
                counts[key] := get_default(counts, key, 0) + 1
                i := i + 1
            }
            return counts
        }
        print(count("abab", 3))
        print(count("abcabc", 4))
    """, '{"ab": 2, "ba": 1}\n{"ab": 2, "bc": 1, "ca": 1}\n')


def test_and_condition_tests_each_operand_once() -> None:
    # make_sequence's `while k < 3 && r >= c[k]`: the first operand is the loop's test and the second
    # breaks out, with no merge variable set on both paths and tested again.
    src = _fn_source("""
        func pick(r, c) {
            k := 0
            while k < 3 && r >= c[k] {
                k := k + 1
            }
            return k
        }
    """)
    assert "while l2 < (3):" in src and "= False" not in src and "if not (t" in src
    # As a value, `a && b && c` keeps its merges (the constant is the result).
    src = _fn_source("func f(a, b, c) { x := a && b && c\n return x }")
    assert "= False" in src
    check("""
        func pick(r, c) {
            k := 0
            while k < 3 && r >= c[k] {
                k := k + 1
            }
            return k
        }
        print(pick(0.5, [0.25, 0.75, 0.9]), pick(2, [0.25, 1, 1.5]), pick(0.1, [0.2]))
        try { pick(0.5, [0.25, "x"]) } except e { print(e.message) }
        func f(a, b, c) { x := a && b && c\n return x }
        print(f(1, 2, 3), f(1, 0, 3), f(null, 1, 1))
    """, "1 3 0\nInvalid binary operation: float >= string\ntrue false false\n")


def test_float_expression_is_one_guarded_python_expression() -> None:
    # Unknown leaves are tested once each, then the whole tree is one expression; the chain of single
    # operations (with the int and overflow paths) is the else branch.
    src = _fn_source("""
        func norm2(x, y, z) {
            d := x * x + y * y + z * z
            return d
        }
    """)
    assert ("if l0.__class__ is _h_float and l1.__class__ is _h_float and l2.__class__ is _h_float:\n"
            "        l3 = (((l0 * l0) + (l1 * l1)) + (l2 * l2))") in src
    assert "_h_ovf('*'" in src  # the chain keeps Ruff's int semantics
    # A tree that divides is computed in a try: a zero divisor takes the chain, which raises Ruff's error.
    src = _fn_source("func f(a, b, c) { return a * b / c + 1.0 }")
    assert "try: t" in src and "except _h_ZeroDivisionError:" in src
    check("""
        func f(a, b, c) { return a * b / c + 1.0 }
        print(f(1.5, 2.0, 4.0), f(3, 4, 5), f(1, 2.5, 2))
        try { f(1.5, 2.0, 0.0) } except e { print(e.message) }
        try { f(1.5, 2.0, 0) } except e { print(e.message) }
        try { f(1.5, "x", 1.0) } except e { print(e.message) }
    """, "1.75 3 2.25\nDivision by zero\nDivision by zero\nInvalid binary operation: float * string\n")


def test_operations_that_cannot_fail_are_folded_into_their_use() -> None:
    # A loop counter's increment and a float product of known floats need no temporary.
    src = _fn_source("""
        func f(n) {
            x := 0.5
            i := 0
            while i < n {
                x := x * 0.5 + 1.0
                i := i + 1
            }
            return x
        }
    """)
    assert "l2 = (l2 + (1))" in src
    assert "l1 = ((l1 * 0.5) + 1.0)" in src


def test_small_int_version_drops_overflow_checks() -> None:
    src = _fn_source("func tri(i, j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) }")
    first = src.split("if l0.__class__ is _h_int and l1.__class__ is _h_int")[1]
    assert first.startswith(" and not ((l0 | l1) >> 30):\n        return (1.0 / (")
    assert "bit_length" not in first.split("\n    if ")[0]
    assert "\n    if l0.__class__ is _h_int and l1.__class__ is _h_int:\n" in src  # and the any-int version


def test_known_int_operand_is_not_tested_in_float_arithmetic() -> None:
    # `1.0 * n / m` with n an int: only m's class is tested, and the division is a try.
    src = _fn_source("""
        func f(n, m) {
            r := 0.0
            k := 0
            while k < n {
                r := r + 1.0 * k / m
                k := k + 1
            }
            return r
        }
    """)
    assert "(1.0 * l3)" in src and "l3.__class__" not in src
