"""Hypothesis strategies that write whole Ruff programs for the tier fuzzer: valid, deterministic, quick.

A program is a few global numbers, a few functions and a list of top-level statements. What it exercises:

* checked i64 and f64 arithmetic at the edges (2^53 and its neighbours, 2^54, the i64 limits, +-0.0, inf,
  NaN) with int/float mixing, and every comparison operator on those values;
* loops (`while`, `for i in range(..)`), nested, carrying values across outer iterations, some of them a few
  thousand iterations long so that on-stack replacement compiles them by default;
* plain, recursive, tail-recursive and mutually recursive functions, called hot (inside loops) first with
  ints and then with floats; leaf functions rebound (`f := g`) after they got hot;
* runaway recursion that hits the 50,000 call-depth limit (rarely: it is slow), sometimes caught;
* try/except around runtime errors (overflow, division and modulo by zero), prints of intermediate values.

Termination is by construction: every loop has a constant trip count (a `while` increments its own counter
first thing, so `continue` cannot skip it), recursion counts a depth argument down to a base case, function
rebinding only swaps leaf functions (which call nothing) of the same arity for one no more expensive, and a
cost model (`Budget`) bounds the total loop iterations and calls so the reference interpreter stays fast.
Nothing depends on time, randomness or dict order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional, Sequence, TypeVar

from hypothesis import strategies as st

from . import objects

Draw = Callable[[st.SearchStrategy], object]
T = TypeVar("T")
BOOLEANS = st.booleans()


# Strategies are cached: building a fresh one for each of a program's thousands of choices doubles the
# generation time.
@lru_cache(maxsize=1024)
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def pick(draw: Draw, options: Sequence[T]) -> T:
    """One of `options`, shrinking towards the first."""
    return options[draw(integers(0, len(options) - 1))]

# Literals, simplest first (hypothesis shrinks an index towards 0).
SMALL_INTS = ["0", "1", "2", "3", "-1", "5", "7", "10", "100", "-3", "1000"]
EDGE_INTS = ["9007199254740992", "9007199254740993", "9007199254740991", "-9007199254740993",
             "18014398509481984", "18014398509481985", "9223372036854775807", "(-9223372036854775807 - 1)",
             "-9223372036854775807", "4611686018427387904", "3037000499", "3037000500", "9223372036854775806"]
SMALL_FLOATS = ["0.5", "1.5", "0.0", "-0.0", "2.0", "-2.25", "0.1", "3.0", "1e-300"]
EDGE_FLOATS = ["9007199254740992.0", "9007199254740994.0", "-9007199254740992.0", "18014398509481984.0",
               "9223372036854775807.0", "-9223372036854775808.0", "4611686018427387904.0", "1e308",
               "(1e308 * 10)", "(-1e308 * 10)", "((1e308 * 10) - (1e308 * 10))", "1.7976931348623157e308"]
POOLS = {"small_int": SMALL_INTS, "small_float": SMALL_FLOATS, "edge_int": EDGE_INTS, "edge_float": EDGE_FLOATS}
# Which literals a function writes: all kinds, or one number type so that its results keep one type
# (the native tier refuses a function that returns both ints and floats).
FLAVOURS = [tuple(POOLS), ("small_int", "edge_int"), ("small_float", "edge_float")]
ARITH = ["+", "-", "*", "/", "%"]
COMPARE = ["<", "<=", ">", ">=", "==", "!="]
# Loop trip counts: mostly small, some past the default OSR threshold (1,000 back-edges).
TRIPS = [0, 1, 2, 3, 5, 10, 40, 150, 1100, 2500, 1100, 2500]
# Recursion depths for bounded recursive calls; past the default call threshold (100) counts as hot.
DEPTHS = [0, 1, 2, 5, 20, 120, 400, 1500]
# Recursion depths around and past the 50,000 call-depth limit: where each tier draws the line matters.
DEPTH_LIMIT_PROBES = [60000, 49998, 49999, 50000, 50001, 50003]
WORK_LIMIT = 40000  # loop iterations + calls one top-level statement may cost
MAX_DEPTH_PROBES = 1  # runaway recursions per program (each costs ~0.2 s in the interpreter)


@dataclass
class Func:
    """A generated function, as the call sites see it."""

    name: str
    arity: int
    kind: str  # "plain" (loops, calls other functions), "leaf" (plain, calls nothing), "rec", "runaway"
    cost: int  # work of one call (per level of depth for "rec")
    pure: bool = True  # numbers only: no print, no try, no globals; what the native tier compiles


@dataclass
class Budget:
    """Work the program may still do, shared by everything generated for one program."""

    probes: int = MAX_DEPTH_PROBES
    counter: int = 0  # fresh-name counter

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


@dataclass
class Scope:
    """What a statement being generated can see and do."""

    readable: list[str]  # every name an expression may read
    assignable: list[str]  # names statements may update (not loop counters, not function names)
    funcs: list[Func]  # functions callable from here
    budget: Budget
    mult: int = 1  # how many times this point runs per execution of the enclosing statement/function
    work: list[int] = field(default_factory=lambda: [0])  # work so far of the enclosing function/statement
    loop_depth: int = 0
    in_function: bool = False
    try_depth: int = 0
    pure: bool = False  # no print, no try, only pure functions: code the native tier can compile
    pools: tuple[str, ...] = tuple(POOLS)  # the kinds of literal written here
    bools: list[str] = field(default_factory=list)  # variables holding a boolean (kept out of arithmetic)

    def child(self, mult: int = 1, loop: bool = False, try_: bool = False, pure: bool = False) -> "Scope":
        return Scope(list(self.readable), list(self.assignable), self.funcs, self.budget, self.mult * mult,
                     self.work, self.loop_depth + int(loop), self.in_function, self.try_depth + int(try_),
                     self.pure or pure, self.pools, list(self.bools))

    def callable(self, kinds: tuple[str, ...]) -> list[Func]:
        return [f for f in self.funcs if f.kind in kinds and (f.pure or not self.pure)]

    def spend(self, amount: int) -> None:
        self.work[0] += amount

    def can_spend(self, amount: int) -> bool:
        return self.work[0] + amount <= WORK_LIMIT


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def repeated(draw: Draw, make: Callable[[Draw], T], min_size: int, max_size: int) -> list[T]:
    """Between min_size and max_size items from `make`, in a shape hypothesis shrinks well.

    Each item, with the choice "one more?" before it, is drawn as one nested strategy, so the shrinker can
    delete any item from the middle (the next one slides into its place) or stop the list early.
    """
    items: list[T] = []
    for k in range(max_size):
        item = draw(_one_more(make, required=k < min_size))
        if item is None:
            break
        items.append(item)
    return items


@st.composite
def _one_more(draw: Draw, make: Callable[[Draw], T], required: bool) -> Optional[T]:
    if not required and draw(integers(0, 3)) == 0:
        return None
    return make(draw)


# ----------------------------------------------------------------------------------------------- expressions

def literal(draw: Draw, kind: Optional[str] = None, pools: tuple[str, ...] = tuple(POOLS)) -> str:
    kind = kind or pick(draw, pools)
    return pick(draw, POOLS[kind])


def call_expr(draw: Draw, scope: Scope, depth: int) -> Optional[str]:
    """A call of a generated function that the remaining budget allows, or None."""
    options = scope.callable(("plain", "leaf", "rec"))
    if not options:
        return None
    f = pick(draw, options)
    if f.kind == "rec":
        # The depth argument stays a small int so that recursion is bounded wherever the call sits.
        depth_arg = pick(draw, ["0", "1", "3", "10", "25"])
        if scope.loop_depth and scope.readable and draw(BOOLEANS):
            counters = [n for n in scope.readable if n.startswith("i")]
            if counters:
                depth_arg = f"({pick(draw, counters)} % {pick(draw, ['3', '7', '20'])})"
        cost = 25 * max(f.cost, 1)
        args = [depth_arg] + [expr(draw, scope, depth - 1) for _ in range(f.arity - 1)]
    else:
        cost = max(f.cost, 1)
        args = [expr(draw, scope, depth - 1) for _ in range(f.arity)]
    if not scope.can_spend(cost * scope.mult):
        return None
    scope.spend(cost * scope.mult)
    return f"{f.name}({', '.join(args)})"


def expr(draw: Draw, scope: Scope, depth: int = 2) -> str:
    """A numeric expression (it may still fail at run time: overflow, division by zero, ...)."""
    kinds = ["literal", "var", "binary", "binary", "neg", "call"] if depth > 0 else ["literal", "var"]
    kind = pick(draw, kinds)
    if kind == "var" and scope.readable:
        if scope.bools and draw(integers(0, 30)) == 0:
            return pick(draw, scope.bools)  # arithmetic on a boolean: the `Invalid binary operation` error
        return pick(draw, scope.readable)
    if kind == "binary":
        left, op, right = expr(draw, scope, depth - 1), pick(draw, ARITH), expr(draw, scope, depth - 1)
        return f"({left} {op} {right})"
    if kind == "neg":
        operand = expr(draw, scope, depth - 1)
        return f"(-({operand}))" if operand.startswith("-") else f"(-{operand})"
    if kind == "call":
        call = call_expr(draw, scope, depth)
        if call is not None:
            return call
    return literal(draw, pools=scope.pools)


def compare(draw: Draw, scope: Scope) -> str:
    left = expr(draw, scope, 1)
    right = expr(draw, scope, 1) if draw(BOOLEANS) else literal(draw, pools=scope.pools)
    return f"{left} {pick(draw, COMPARE)} {right}"


def condition(draw: Draw, scope: Scope) -> str:
    kind = pick(draw, ["cmp", "cmp", "and", "or", "not", "bool"])
    if kind == "cmp":
        return compare(draw, scope)
    if kind == "bool" and scope.bools:
        name = pick(draw, scope.bools)
        return pick(draw, [name, f"!{name}", f"{name} == true", f"{name} != ({compare(draw, scope)})",
                           f"{name} && {compare(draw, scope)}", f"{name} || {compare(draw, scope)}"])
    if kind == "not":
        return f"!({compare(draw, scope)})"
    return f"{compare(draw, scope)} {'&&' if kind == 'and' else '||'} {compare(draw, scope)}"


# ------------------------------------------------------------------------------------------------ statements

def statements(draw: Draw, scope: Scope, depth: int, min_size: int = 1, max_size: int = 4) -> list[list[str]]:
    """A statement list, one list of lines per statement."""
    return repeated(draw, lambda d: statement(d, scope, depth), min_size, max_size)


def block(draw: Draw, scope: Scope, depth: int, min_size: int = 1, max_size: int = 4) -> list[str]:
    return [line for stmt in statements(draw, scope, depth, min_size, max_size) for line in stmt]


def print_item(draw: Draw, scope: Scope) -> str:
    kind = draw(integers(0, 4))
    if kind == 0:
        return f"({compare(draw, scope)})"
    if kind == 1 and scope.bools:
        return pick(draw, scope.bools)
    return expr(draw, scope, 1)


def print_stmt(draw: Draw, scope: Scope) -> list[str]:
    return [f"print({', '.join(repeated(draw, lambda d: print_item(d, scope), 1, 3))})"]


def assign_stmt(draw: Draw, scope: Scope) -> list[str]:
    if draw(integers(0, 5)) == 0:  # a boolean variable, new or updated
        if scope.bools and draw(BOOLEANS):
            return [f"{pick(draw, scope.bools)} := {condition(draw, scope)}"]
        name = scope.budget.fresh("q")
        line = f"{name} := {condition(draw, scope)}"
        scope.bools.append(name)
        return [line]
    if scope.assignable and draw(integers(0, 2)):
        name = pick(draw, scope.assignable)
        op = pick(draw, [":=", "+=", "-=", ":=", "+=", "*=", "/=", "%="])
        return [f"{name} {op} {expr(draw, scope)}"]
    name = scope.budget.fresh("v")
    line = f"{name} := {expr(draw, scope)}"
    scope.readable.append(name)
    scope.assignable.append(name)
    return [line]


def loop_trips(draw: Draw, scope: Scope) -> int:
    trips = pick(draw, TRIPS)
    while trips > 0 and not scope.can_spend(trips * scope.mult):
        trips = max(t for t in TRIPS if t < trips)
    scope.spend(trips * scope.mult)
    return trips


def loop_body(draw: Draw, scope: Scope, depth: int, counter: str, trips: int) -> list[str]:
    body = statements(draw, scope, depth - 1)
    extra = draw(integers(0, 4))
    if extra in (1, 2):
        jump = "break" if extra == 1 else "continue"
        body.insert(draw(integers(0, len(body))), [f"if {condition(draw, scope)} {{ {jump} }}"])
    elif extra == 3 and trips > 0 and not scope.pure:
        # An intermediate value, printed a few times only, whatever the trip count.
        every = max(1, trips // 3)
        body.append([f"if {counter} % {every} == 0 {{ print({counter}, {expr(draw, scope, 1)}) }}"])
    return [line for stmt in body for line in stmt]


def for_stmt(draw: Draw, scope: Scope, depth: int) -> list[str]:
    trips = loop_trips(draw, scope)
    counter = scope.budget.fresh("i")
    inner = scope.child(mult=max(trips, 1), loop=True)
    inner.readable.append(counter)
    start = pick(draw, ["0", "0", "1", "-5", "9007199254740990", "9223372036854770000"])
    rng = f"range({trips})" if start == "0" else f"range({start}, {start} + {trips})"
    body = loop_body(draw, inner, depth, counter, trips)
    return [f"for {counter} in {rng} {{", *indent(body), "}"]


def while_stmt(draw: Draw, scope: Scope, depth: int) -> list[str]:
    trips = loop_trips(draw, scope)
    counter = scope.budget.fresh("i")
    inner = scope.child(mult=max(trips, 1), loop=True)
    inner.readable.append(counter)
    guard = f"{counter} < {trips}"
    if draw(integers(0, 3)) == 0:  # an extra data-dependent exit; the counter still bounds the loop
        guard = f"{guard} && {compare(draw, inner)}"
    body = loop_body(draw, inner, depth, counter, trips)
    # The counter is incremented first, so a `continue` in the body cannot skip it.
    return [f"mut {counter} := 0", f"while {guard} {{", f"    {counter} += 1", *indent(body), "}"]


def if_stmt(draw: Draw, scope: Scope, depth: int) -> list[str]:
    lines = [f"if {condition(draw, scope)} {{", *indent(block(draw, scope.child(), depth - 1, max_size=3))]
    if draw(BOOLEANS):
        lines += ["} else {", *indent(block(draw, scope.child(), depth - 1, max_size=3))]
    return lines + ["}"]


def except_handler(draw: Draw, scope: Scope, name: str) -> list[str]:
    how = pick(draw, ["message", "message", "labelled", "whole"])
    if how == "whole":
        return [f"print({name})"]
    if how == "labelled":
        return [f'print("caught", {name}.message)']
    return [f"print({name}.message)"]


def try_stmt(draw: Draw, scope: Scope, depth: int) -> list[str]:
    name = f"e{scope.try_depth}"
    body = block(draw, scope.child(try_=True), depth - 1)
    return ["try {", *indent(body), f"}} except {name} {{", *indent(except_handler(draw, scope, name)), "}"]


def return_stmt(draw: Draw, scope: Scope) -> list[str]:
    return [f"if {condition(draw, scope)} {{ return {expr(draw, scope)} }}"]


def statement(draw: Draw, scope: Scope, depth: int) -> list[str]:
    kinds = ["assign", "assign"] + ([] if scope.pure else ["print"])
    if depth > 0:
        kinds += ["for", "while", "if"] + ([] if scope.pure else ["try"])
    if scope.in_function and scope.loop_depth:
        kinds.append("return")
    kind = pick(draw, kinds)
    if kind == "assign":
        return assign_stmt(draw, scope)
    if kind == "print":
        return print_stmt(draw, scope)
    if kind == "for":
        return for_stmt(draw, scope, depth)
    if kind == "while":
        return while_stmt(draw, scope, depth)
    if kind == "if":
        return if_stmt(draw, scope, depth)
    if kind == "try":
        return try_stmt(draw, scope, depth)
    return return_stmt(draw, scope)


# ------------------------------------------------------------------------------------------------- functions

def plain_function(draw: Draw, name: str, funcs: list[Func], globals_: list[str], budget: Budget,
                   leaf: bool) -> tuple[Func, list[str]]:
    arity = draw(integers(1, 2 if leaf else 3))  # leaves: few arities, so that they can replace each other
    params = ["a", "b", "c"][:arity]
    pure = draw(integers(0, 3)) > 0
    callable_ = [] if leaf else [f for f in funcs if f.kind in ("leaf", "rec") and (f.pure or not pure)]
    if pure:
        scope = Scope(list(params), list(params), callable_, budget, in_function=True, pure=True,
                      pools=pick(draw, FLAVOURS))
    else:
        writes_globals = draw(BOOLEANS)
        scope = Scope(params + globals_, params + (globals_ if writes_globals else []), callable_, budget,
                      in_function=True)
    body = block(draw, scope, depth=draw(integers(0, 2)), min_size=0, max_size=4)
    body.append(f"return {expr(draw, scope)}")
    return Func(name, arity, "leaf" if leaf else "plain", max(scope.work[0], 1), pure), \
        [f"func {name}({', '.join(params)}) {{", *indent(body), "}"]


def rec_step(draw: Draw, scope: Scope) -> str:
    return expr(draw, scope, 1)


def recursion_scope(draw: Draw, budget: Budget, globals_: list[str]) -> Scope:
    """Recursive functions are mostly pure; the others also read the globals."""
    pure = draw(integers(0, 3)) > 0
    return Scope(["n", "x"] + ([] if pure else globals_), ["x"], [], budget, in_function=True, pure=pure,
                 pools=pick(draw, FLAVOURS))


def recursive_function(draw: Draw, name: str, budget: Budget, globals_: list[str]) -> tuple[Func, list[str]]:
    """Self recursion on a depth argument `n` counted down to a base case; tail or not."""
    scope = recursion_scope(draw, budget, globals_)
    base = f"if n <= 0 {{ return {expr(draw, scope, 1)} }}"
    step = rec_step(draw, scope)
    shape = pick(draw, ["tail", "tail", "sum", "guarded"])
    if shape == "tail":
        body = [base, f"return {name}(n - 1, {step})"]
    elif shape == "sum":
        op = pick(draw, ["+", "-", "*"])
        body = [base, f"return {rec_step(draw, scope)} {op} {name}(n - 1, {step})"]
    else:
        body = [base, f"if {condition(draw, scope)} {{ return {name}(n - 1, {step}) }}",
                f"return {name}(n - 2, {rec_step(draw, scope)})"]
    return Func(name, 2, "rec", 1, scope.pure), [f"func {name}(n, x) {{", *indent(body), "}"]


def mutual_functions(draw: Draw, first: str, second: str, budget: Budget,
                     globals_: list[str]) -> tuple[list[Func], list[str]]:
    scope = recursion_scope(draw, budget, globals_)
    tail = draw(BOOLEANS)
    one = [f"if n <= 0 {{ return {expr(draw, scope, 1)} }}",
           f"return {second}(n - 1, {rec_step(draw, scope)})" if tail else
           f"return {rec_step(draw, scope)} + {second}(n - 1, {rec_step(draw, scope)})"]
    two = [f"if n <= 0 {{ return {expr(draw, scope, 1)} }}", f"return {first}(n - 1, {rec_step(draw, scope)})"]
    lines = [f"func {first}(n, x) {{", *indent(one), "}", f"func {second}(n, x) {{", *indent(two), "}"]
    return [Func(first, 2, "rec", 1, scope.pure), Func(second, 2, "rec", 1, scope.pure)], lines


def compare_function(draw: Draw, name: str) -> tuple[Func, list[str]]:
    """Every comparison operator on the two arguments, as one number: meant to be called hot with an int and
    a float that are (nearly) the same double, where exact and converting comparisons disagree."""
    body = ["mut r := 0"]
    for k, op in enumerate(COMPARE):
        body.append(f"if a {op} b {{ r += {2 ** k} }}")
    return Func(name, 2, "leaf", 1), [f"func {name}(a, b) {{", *indent(body + ["return r"]), "}"]


def nest_function(draw: Draw, name: str, budget: Budget) -> tuple[Func, list[str]]:
    """Two nested loops, the inner one hot, with values carried across the outer iterations; some of them
    only ever read inside the inner loop."""
    scope = Scope(["a", "b"], ["a", "b"], [], budget, in_function=True, pure=True,
                  pools=pick(draw, FLAVOURS))
    outer, inner = pick(draw, [2, 3, 5]), pick(draw, [1100, 2500, 40])
    carried = [budget.fresh("v") for _ in range(draw(integers(1, 3)))]
    body = [f"mut {v} := {expr(draw, scope, 1)}" for v in carried]
    loop_scope = scope.child(mult=outer * inner, loop=True)
    loop_scope.readable += carried
    loop_scope.assignable += carried
    step = [f"{v} := ({v} {pick(draw, ARITH[:3])} {expr(draw, loop_scope, 1)})" for v in carried]
    step += [line for stmt in statements(draw, loop_scope, 0, 0, 2) for line in stmt]
    i, j = budget.fresh("i"), budget.fresh("i")
    if draw(BOOLEANS):
        loops = [f"for {i} in range({outer}) {{", f"    for {j} in range({inner}) {{", *indent(indent(step)),
                 "    }", "}"]
    else:
        loops = [f"mut {i} := 0", f"while {i} < {outer} {{", f"    {i} += 1", f"    mut {j} := 0",
                 f"    while {j} < {inner} {{", f"        {j} += 1", *indent(indent(step)), "    }", "}"]
    result = pick(draw, carried)
    return Func(name, 2, "leaf", outer * inner), \
        [f"func {name}(a, b) {{", *indent(body + loops + [f"return {result}"]), "}"]


def runaway_function(draw: Draw, name: str) -> tuple[Func, list[str]]:
    """Recursion with no base case that a depth argument reaches: it always hits the call-depth limit."""
    shape = pick(draw, ["sum", "tail_int", "tail_float", "loop"])
    if shape == "sum":
        body = [f"return 1 + {name}(n + 1, x)"]
    elif shape == "loop":  # a loop in each frame: hot enough for on-stack replacement deep in the recursion
        body = ["mut s := 0", "for i in range(2) { s += i }", f"return s + {name}(n + 1, x)"]
    else:
        step = "x + 1" if shape == "tail_int" else "x + 0.5"
        body = ["if n < 0 { return x }", f"return {name}(n + 1, {step})"]
    return Func(name, 2, "runaway", 0), [f"func {name}(n, x) {{", *indent(body), "}"]


# ------------------------------------------------------------------------------------------ top-level pieces

def hot_call_stmt(draw: Draw, scope: Scope) -> list[str]:
    """Call one function in a loop (hot), first with int arguments, then (maybe) with floats."""
    options = scope.callable(("plain", "leaf", "rec"))
    if not options:
        return print_stmt(draw, scope)
    f = pick(draw, options)
    per_call = 25 * f.cost if f.kind == "rec" else f.cost
    trips = pick(draw, [1, 3, 30, 150, 400])
    while trips > 1 and not scope.can_spend(2 * trips * per_call):
        trips = max(1, trips // 3)
    scope.spend(2 * trips * per_call)
    acc, counter = scope.budget.fresh("s"), scope.budget.fresh("i")

    def args(kind: str) -> str:
        out = []
        for k in range(f.arity):
            if k == 0 and f.kind == "rec":
                out.append(f"({counter} % {pick(draw, ['5', '20', '25'])})")
            elif draw(BOOLEANS):
                out.append(counter if kind == "int" else f"({counter} * 0.5)")
            elif draw(integers(0, 2)):
                out.append(literal(draw, "small_int" if kind == "int" else "small_float"))
            else:  # an edge value of either type: ints and floats that round to the same double meet
                out.append(literal(draw, pick(draw, ["edge_int", "edge_float"])))
        return ", ".join(out)

    lines = [f"{acc} := 0", f"for {counter} in range({trips}) {{", f"    {acc} := {acc} + {f.name}({args('int')})",
             "}", f"print({acc})"]
    if draw(BOOLEANS):  # the same function again, now with floats
        lines += [f"for {counter} in range({trips}) {{", f"    {acc} := {acc} + {f.name}({args('float')})", "}",
                  f"print({acc})"]
    scope.readable.append(acc)
    scope.assignable.append(acc)
    return lines


def deep_call_stmt(draw: Draw, scope: Scope) -> list[str]:
    """A recursive call, bounded (sometimes past the depth limit) or runaway."""
    recs = [f for f in scope.funcs if f.kind in ("rec", "runaway")]
    if not recs:
        return print_stmt(draw, scope)
    f = pick(draw, recs)
    if f.kind == "runaway" or draw(integers(0, 3)) == 0:
        if scope.budget.probes <= 0:
            return print_stmt(draw, scope)
        scope.budget.probes -= 1
        depth = "0" if f.kind == "runaway" else str(pick(draw, DEPTH_LIMIT_PROBES))
    else:
        depth = str(pick(draw, DEPTHS))
    call = f"{f.name}({depth}, {literal(draw)})"
    return [f"print({call})"]


def rebind_stmt(draw: Draw, scope: Scope, rebound: set[str]) -> list[str]:
    """`f := g` for a leaf f: g is another leaf of the same arity costing no more, or an anonymous function."""
    leaves = [f for f in scope.funcs if f.kind == "leaf" and f.name not in rebound]
    if not leaves:
        return print_stmt(draw, scope)
    f = pick(draw, leaves)
    targets = [g for g in scope.funcs if g.kind == "leaf" and g.arity == f.arity and g.cost <= f.cost
               and g.name != f.name and g.name not in rebound]
    if targets and draw(integers(0, 3)):
        return [f"{f.name} := {pick(draw, targets).name}"]
    params = ["a", "b", "c"][:f.arity]
    anon_scope = Scope(list(params), [], [], scope.budget, in_function=True)
    rebound.add(f.name)  # its new body is not in the table of leaves; never a target again
    return [f"{f.name} := func({', '.join(params)}) {{ return {expr(draw, anon_scope, 1)} }}"]


def top_statement(draw: Draw, scope: Scope, rebound: set[str], kernels: list[objects.Kernel],
                  state: objects.ObjectState) -> list[str]:
    scope.work = [0]  # each top-level statement has its own work budget
    kind = pick(draw, ["stmt", "stmt", "hot_call", "hot_call", "deep_call", "rebind", "block"]
                + ["object_site"] * (4 if kernels else 0) + ["object_loop"])
    if kind == "rebind":
        return rebind_stmt(draw, scope, rebound)
    if kind in ("object_site", "object_loop"):
        if kind == "object_loop":
            lines = objects.top_level_loop(draw, state)
        else:
            lines, _ = objects.hot_site(draw, pick(draw, kernels), WORK_LIMIT)
        if draw(integers(0, 3)) == 0:
            return lines  # uncaught: the error and its stack trace end the program
        return ["try {", *indent(lines), "} except e0 {", *indent(objects.except_handler(draw)), "}"]
    # Most top-level statements sit in a try, so that one runtime error does not end the whole program.
    wrapped = kind == "block" or draw(integers(0, 3)) > 0
    inner = scope.child(try_=True) if wrapped else scope  # names made inside a try stay inside
    if kind == "hot_call":
        lines = hot_call_stmt(draw, inner)
    elif kind == "deep_call":
        lines = deep_call_stmt(draw, inner)
    elif kind == "block":
        lines = block(draw, inner, depth=2, max_size=3)
        if draw(BOOLEANS):
            lines += hot_call_stmt(draw, inner)
    elif draw(BOOLEANS):
        lines = statement(draw, inner, depth=draw(integers(0, 3)))
    else:
        # Numbers only (what on-stack replacement compiles), then a look at some of the variables.
        pure = inner.child(pure=True)
        lines = statement(draw, pure, depth=draw(integers(1, 3)))
        inner.readable[:] = pure.readable  # names the statement made at this level stay visible
        inner.assignable[:] = pure.assignable
        inner.bools[:] = pure.bools
        if inner.readable:
            lines.append(f"print({', '.join(repeated(draw, lambda d: pick(d, inner.readable), 1, 3))})")
    if not wrapped:
        return lines
    return ["try {", *indent(lines), "} except e0 {", *indent(except_handler(draw, scope, "e0")), "}"]


@st.composite
def programs(draw: Draw) -> str:
    """One whole program (source text)."""
    budget = Budget()
    globals_: list[str] = []
    lines: list[str] = []
    for value in repeated(draw, literal, 0, 3):
        name = budget.fresh("g")
        lines.append(f"{name} := {value}")
        globals_.append(name)
    funcs: list[Func] = []
    kernels: list[objects.Kernel] = []
    state = objects.ObjectState()

    def function(draw: Draw) -> list[str]:
        kind = pick(draw, ["leaf", "plain", "rec", "leaf", "mutual", "plain", "rec", "runaway", "compare", "nest",
                           "object", "object", "object", "object", "object", "object", "object"])
        name = budget.fresh("f")
        if kind == "object":
            kernel, text = objects.kernel(draw, name, state)
            kernels.append(kernel)
            return text
        if kind == "compare":
            f, text = compare_function(draw, name)
            new = [f]
        elif kind == "nest":
            f, text = nest_function(draw, name, budget)
            new = [f]
        elif kind in ("leaf", "plain"):
            f, text = plain_function(draw, name, funcs, globals_, budget, leaf=kind == "leaf")
            new = [f]
        elif kind == "rec":
            f, text = recursive_function(draw, name, budget, globals_)
            new = [f]
        elif kind == "mutual":
            new, text = mutual_functions(draw, name, budget.fresh("f"), budget, globals_)
        else:
            f, text = runaway_function(draw, name)
            new = [f]
        funcs.extend(new)
        return text

    for text in repeated(draw, function, 0, 5):
        lines += text
    scope = Scope(list(globals_), list(globals_), funcs, budget)
    rebound: set[str] = set()
    for stmt in repeated(draw, lambda d: top_statement(d, scope, rebound, kernels, state), 1, 8):
        lines += stmt
    if state.counter_used:
        lines = [f"{state.counter} := 0"] + lines + [f"print({state.counter})"]
    if state.struct_needed:
        lines = objects.STRUCT_DEF + lines
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------- coverage

FEATURE_PATTERNS = {
    "int 2^53+1": r"9007199254740993\b",
    "int 2^54": r"18014398509481984\b",
    "i64 max": r"9223372036854775807\b",
    "i64 min": r"\(-9223372036854775807 - 1\)",
    "float 2^53": r"9007199254740992\.0",
    "float 2^63": r"9223372036854775807\.0|9223372036854775808\.0",
    "-0.0": r"-0\.0",
    "inf": r"\(1e308 \* 10\)",
    "NaN": r"\(\(1e308 \* 10\) - \(1e308 \* 10\)\)",
    "division": r" / ",
    "modulo": r" % [^=]",
    "compare <": r" < ",
    "compare <=": r" <= ",
    "compare >": r" > ",
    "compare >=": r" >= ",
    "compare ==": r" == ",
    "compare !=": r" != ",
    "for range": r"\bfor i\d+ in range\(",
    "while": r"\bwhile i\d+ < ",
    "while with a data exit": r"\bwhile i\d+ < \d+ && ",
    "hot loop": r"range\((\S+ \+ )?(1100|2500)\)|while i\d+ < (1100|2500)\b",
    "break": r"\{ break \}",
    "continue": r"\{ continue \}",
    "try/except": r"\} except e\d \{",
    "whole error printed": r"print\(e\d\)",
    "hot call": r"for i\d+ in range\((150|400)\) \{\n\s+s\d+ := s\d+ \+ f\d+\(",
    "float arguments after int ones": r"\(i\d+ \* 0\.5\)",
    "runaway recursion": r"\(n \+ 1, ",
    "call at or past the depth limit": r"\((60000|500\d\d|4999\d), ",
    "rebind to a function": r"^f\d+ := f\d+$",
    "rebind to an anonymous function": r"^f\d+ := func\(",
    "intermediate print in a loop": r"if i\d+ % \d+ == 0 \{ print\(",
    "all comparisons of two arguments": r"if a != b \{ r \+= 32 \}",
    "boolean variables": r"\bq\d+ := .*\n(.*\n)*.*(if|while) .*\bq\d+\b",
    "values carried across nested loops": r"^    mut v\d+ := .*\n(    mut v\d+ := .*\n)*    (for|mut) i\d+",
    "function on an array": r"^func f\d+\(xs, k\) \{\n    mut s := .*\n    mut r := \[\]",
    "function on a string": r"^func f\d+\(xs, k\) \{\n    mut r := \"\"",
    "function on a dict": r"for key in keys\(xs\)",
    "function on structs": r"mut acc := P \{",
    "recursion on an array": r"^func f\d+\(xs, k, n\)",
    "hot call on objects": r"for t in range\((120|150)\) \{\n\s+if t == \d+ \{ data",
    "data changing type under hot code": r"if t == \d+ \{ data(\[[^]]*\])? := (push\(data, )?(\"|\[|true|null|\{)",
    "float element in an int array": r"if t == \d+ \{ data(\[[^]]*\])? := (push\(data, )?-?\d+\.\d",
    "element write": r"xs\[(i|\(i - 1\))\] := ",
    "push": r"r := push\(r, ",
    "index past the end": r"s \+= xs\[(i|\(i - 1\)) \+ 1\]",
    "undefined variable in native code": r"undefined_\d",
    "global written by a function on objects": r"^    +gc := gc \+ 1",
    "print before a deoptimization": r"print\(\"at\", ",
    "uncaught error in a function on objects": r"^data := ",
    "error stack printed": r"\.stack\)",
    "operator overload": r"acc := acc \+ ",
    "method call": r"\.m\(k\)",
    "top-level loop on an array": r"^xs := data\n",
    "long array (OSR)": r"range\((1100|1500)\) \{ data := push",
}


def features(source: str) -> set[str]:
    """Which of FEATURE_PATTERNS (and the structural features below) a generated program contains."""
    found = {name for name, pattern in FEATURE_PATTERNS.items() if re.search(pattern, source, re.MULTILINE)}
    open_blocks: list[bool] = []  # per open `{` line: is it a loop?
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("}"):
            if open_blocks:
                open_blocks.pop()
        is_loop = stripped.startswith(("for ", "while "))
        if is_loop and any(open_blocks):
            found.add("nested loop")
        if stripped.endswith("{"):
            open_blocks.append(is_loop)
    for match in re.finditer(r"^func f\d+\([^)]*\) \{\n((?:    .*\n)*)\}", source, re.MULTILINE):
        if not re.search(r"print\(|\btry\b|\bg\d+\b", match.group(1)):
            found.add("numbers-only function")
    for match in re.finditer(r"^(for|while) .*\{\n((?:    .*\n)*)\}", source, re.MULTILINE):
        if not re.search(r"print\(|\btry\b", match.group(2)):
            found.add("numbers-only top-level loop")
    for match in re.finditer(r"^func (f\d+)\(n, x\) \{\n((?:    .*\n)*)\}", source, re.MULTILINE):
        callees = set(re.findall(r"\b(f\d+)\(n - \d", match.group(2)))
        if match.group(1) in callees:
            found.add("self recursion")
        if callees - {match.group(1)}:
            found.add("mutual recursion")
    return found


ALL_FEATURES = set(FEATURE_PATTERNS) | {"nested loop", "self recursion", "mutual recursion", "numbers-only function",
                                        "numbers-only top-level loop"}
