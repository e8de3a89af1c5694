"""Generated code on objects for the tier fuzzer: what the native tier compiles with guards and deoptimization.

The native tier compiles functions and loops over arrays (of ints, of floats, mixed), strings, dicts and
structs, with `len`/`push`/`sqrt` and other builtins, operator overloads and globals; each operation that
can fail or meet an unexpected type carries a guard that hands the frame over to the interpreter at the exact
bytecode position (a deoptimization). What this module writes aims at those guards:

* kernels: a function of one object and a number `k` with a loop over the object (`for i in range(len(xs))`,
  `for x in xs`, a `while` over an index), accumulating numbers, strings or arrays (`push`), writing elements
  and fields back, calling builtins, methods and overloaded operators, updating a global counter;
* errors raised inside such a loop, caught or not (with their stack traces): an index past the end, a missing
  key, an undefined variable on a rarely taken branch, `Invalid binary operation` when an element has the
  wrong type, integer overflow on i64-edge elements, division by zero on a zero element, runaway recursion
  through a function on an array;
* side effects before the guard fails (a `print`, a global update, a written element): each must happen once;
* hot call sites (`kernel(data, k)` in a loop of up to 150 calls) whose data changes type part-way
  (an int array gets a float, a string or a nested array; a float array gets an int), so code compiled for
  one element kind meets another.

Everything terminates by construction (loops run over the data, which is small, or a constant count) and
stays cheap in the reference interpreter (see WORK_LIMIT in programs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hypothesis import strategies as st

Draw = Callable[[st.SearchStrategy], object]


def _pick(draw: Draw, options):
    return options[draw(st.integers(0, len(options) - 1))]


# Element values by kind, simplest first. Edge ints overflow when summed or multiplied; 0 divides by zero.
ELEMENTS = {
    "int": ["1", "2", "0", "-3", "7", "100"],
    "float": ["0.5", "1.5", "-2.25", "0.0", "3.0", "-0.0"],
    "edge": ["9223372036854775807", "(-9223372036854775807 - 1)", "4611686018427387904", "9007199254740993",
             "(1e308 * 10)", "((1e308 * 10) - (1e308 * 10))"],
    "other": ['"s"', '"ab"', "true", "null", "[1]", "[0.5, 2]", '{"a": 1}'],
}
# What a hot call site's data turns into part-way: the same kind (no deoptimization), another number kind,
# or something the kernel cannot handle.
SWITCHES = ["int", "float", "float", "other", "edge"]
DATA_LENGTHS = [3, 1, 0, 5, 8, 20, 1100]  # 1100: past the default OSR threshold inside one call
HOT_TRIPS = [3, 1, 30, 120, 150]  # calls per hot site; 100 calls make a function hot by default
STRUCT = "P"
STRUCT_DEF = [
    f"struct {STRUCT} {{",
    "    x: float,",
    "    y: float,",
    f"    func op_add(self, o) {{ return {STRUCT} {{ x: self.x + o.x, y: self.y + o.y }} }}",
    "    func op_lt(self, o) { return self.x < o.x }",
    "    func m(self, k) { return self.x * k + self.y }",
    "}",
]


@dataclass
class Kernel:
    """A generated function on objects: what its first argument should be and how costly a call is."""

    name: str
    takes: str  # "array", "string", "dict", "structs"
    prints: bool  # prints inside its loop (call sites keep such kernels cool, to bound the output)
    recursive: bool = False


@dataclass
class ObjectState:
    """What one program's object code shares: the struct definition (written once), globals it writes."""

    struct_needed: bool = False
    counter: str = "gc"  # a global counter kernels may update (a side effect native code must do once)
    counter_used: bool = False


def element_expr(draw: Draw, kinds: list[str]) -> str:
    return _pick(draw, ELEMENTS[_pick(draw, kinds)])


# --------------------------------------------------------------------------------------------- the kernels

def _loop_header(draw: Draw, seq: str, top: bool = False) -> tuple[list[str], str, str, list[str]]:
    """(lines opening the loop, the element expression, the index expression or "", lines closing it).
    At top level (`top`) names are bound with `:=` alone: a second `mut i` there is a duplicate declaration."""
    shape = _pick(draw, ["index", "each", "while"])
    if shape == "index":
        return [f"for i in range(len({seq})) {{"], f"{seq}[i]", "i", ["}"]
    if shape == "each":
        return [f"for x in {seq} {{"], "x", "", ["}"]
    start = "i := 0" if top else "mut i := 0"
    return [start, f"while i < len({seq}) {{", "    i += 1"], f"{seq}[i - 1]", "(i - 1)", ["}"]


def _array_step(draw: Draw, state: ObjectState, elem: str, index: str) -> tuple[list[str], bool]:
    """One statement of an array kernel's loop body; and whether it prints."""
    kind = _pick(draw, ["acc", "acc", "cond", "push", "write", "builtin", "div", "next", "print", "global",
                        "undefined", "call_str", "next", "write", "push"])
    if kind == "acc":
        return [f"s := s {_pick(draw, ['+', '-', '*', '+'])} {elem}"], False
    if kind == "cond":
        return [f"if {elem} {_pick(draw, ['>', '<', '==', '>='])} k {{ s += 1 }} else {{ s := s - {elem} }}"], False
    if kind == "push":
        return [f"r := push(r, {elem} {_pick(draw, ['*', '+', '-'])} k)"], False
    if kind == "write" and index:
        return [f"xs[{index}] := {elem} {_pick(draw, ['+', '*'])} {_pick(draw, ['k', '1', '0.5'])}"], False
    if kind == "builtin":
        call = _pick(draw, ["sqrt(abs({e}))", "len(to_string({e}))", "abs({e})", "min({e}, k)", "max(k, {e})",
                            "floor({e})"]).format(e=elem)
        return [f"s := s + {call}"], False
    if kind == "div":
        return [f"s := s + k {_pick(draw, ['/', '%'])} {elem}"], False
    if kind == "next" and index:  # one past the end on the last iteration: Index out of bounds
        return [f"if {index} + 1 < len(xs) + {_pick(draw, ['0', '0', '1'])} {{ s += xs[{index} + 1] }}"], False
    if kind == "print":
        where = f"{index} == {_pick(draw, ['0', '1', '2'])}" if index else f"s == {_pick(draw, ['0', '1'])}"
        return [f"if {where} {{ print(\"at\", {index or 's'}, s, {elem}) }}"], True
    if kind == "global":
        state.counter_used = True
        return [f"{state.counter} := {state.counter} + 1"], False
    if kind == "undefined" and index:  # a name that only exists on a rarely taken path
        return [f"if {index} == {_pick(draw, ['2', '4', '19', '1000'])} {{ s += undefined_{draw(st.integers(0, 9))} }}"], False
    if kind == "call_str":
        return [f"t := t + to_string({elem})"], False
    return [f"s := s + {elem}"], False


def array_kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    open_, elem, index, close = _loop_header(draw, "xs")
    steps, prints = [], False
    for _ in range(draw(st.integers(1, 3))):
        lines, p = _array_step(draw, state, elem, index)
        steps += lines
        prints |= p
    init = _pick(draw, ["0", "0.0", "k", "1"])
    body = [f"mut s := {init}", "mut r := []", 'mut t := ""', *open_, *["    " + s for s in steps], *close]
    result = _pick(draw, ["s", "s", "r", "len(r) + s", "t", "xs", "len(t)"])
    return Kernel(name, "array", prints), [f"func {name}(xs, k) {{", *["    " + b for b in body],
                                           f"    return {result}", "}"]


def string_kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    open_, elem, index, close = _loop_header(draw, "xs")
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        steps.append(_pick(draw, [
            f"r := r + {elem}",
            f'if {elem} == "a" {{ n += 1 }}',
            f"n += len({elem})",
            f"r := r + upper({elem})",
            f"r := {elem} + to_string(k) + r",
            f'if {elem} < "b" {{ r := r + "<" }} else {{ n := n + k }}',
            f"n := n * 2 + len(r)",  # grows fast: overflow after ~60 characters
        ]))
    body = ['mut r := ""', "mut n := 0", *open_, *["    " + s for s in steps], *close]
    result = _pick(draw, ["r", "n", "len(r) + n"])
    return Kernel(name, "string", False), [f"func {name}(xs, k) {{", *["    " + b for b in body],
                                           f"    return {result}", "}"]


def dict_kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        steps.append(_pick(draw, [
            "s := s + xs[key]",
            "xs[key] := xs[key] + k",
            "s := s + get_default(xs, \"z\", k)",
            "if has_key(xs, \"b\") { s += xs[\"b\"] }",
            f"s := s + xs[\"{_pick(draw, ['a', 'q'])}\"]",  # "q": Missing map key
            "r := push(r, key)",
            # Int keys and numbers' texts: d[1] is d["1"] ("01" is another key), whichever form wrote it.
            "s := s + get_default(xs, k % 3, 0)",
            "xs[k % 3] := k",
            "if has_key(xs, \"1\") { s += xs[1] }",
            "s := s + get_default(xs, to_string(k % 3), 0)",
            "xs[to_string(k % 4 - 2)] := key",
        ]))
    body = ["mut s := 0", "mut r := []", "for key in keys(xs) {", *["    " + s for s in steps], "}"]
    result = _pick(draw, ["s", "r", "xs"])
    return Kernel(name, "dict", False), [f"func {name}(xs, k) {{", *["    " + b for b in body],
                                         f"    return {result}", "}"]


def struct_kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    state.struct_needed = True
    open_, elem, index, close = _loop_header(draw, "xs")
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        steps.append(_pick(draw, [
            f"s := s + {elem}.x",
            f"s := s + {elem}.m(k)",
            f"acc := acc + {elem}",
            f"{elem}.y := {elem}.y + k",
            f"if {elem} < acc {{ s += 1 }}",
            f"s := s * {elem}.y",
        ]))
    body = ["mut s := 0", f"mut acc := {STRUCT} {{ x: 0, y: 0 }}", *open_, *["    " + s for s in steps], *close]
    result = _pick(draw, ["s", "acc", "acc.x + s"])
    return Kernel(name, "structs", False), [f"func {name}(xs, k) {{", *["    " + b for b in body],
                                            f"    return {result}", "}"]


def recursive_kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    """Recursion over an array: bounded by `k`, or (when k is large) past the call-depth limit."""
    step = _pick(draw, ["xs[n % len(xs)]", "len(xs)", "xs[0]"])
    body = ["if n >= k { return 0 }", f"return {step} + {name}(xs, k, n + 1)"]
    return Kernel(name, "array", False, recursive=True), [f"func {name}(xs, k, n) {{", *["    " + b for b in body],
                                                          "}"]


KERNELS = {"array": array_kernel, "string": string_kernel, "dict": dict_kernel, "structs": struct_kernel,
           "recursive": recursive_kernel}
KERNEL_WEIGHTS = ["array", "array", "array", "string", "dict", "structs", "structs", "recursive"]


def kernel(draw: Draw, name: str, state: ObjectState) -> tuple[Kernel, list[str]]:
    return KERNELS[_pick(draw, KERNEL_WEIGHTS)](draw, name, state)


# ----------------------------------------------------------------------------------------------- call sites

def data_expr(draw: Draw, takes: str, length: int, kinds: list[str]) -> list[str]:
    """Lines that bind `data` to a fresh argument of the kind a kernel takes (at top level: no `mut`, which
    would make a second site a duplicate declaration)."""
    if takes == "string":
        text = "".join(_pick(draw, ["a", "b", "c", "é", " "]) for _ in range(min(length, 12)))
        return [f'data := "{text}"']
    if takes == "dict":
        names = _pick(draw, [["a", "b", "c"], ["a", "1", "b"], ["01", "-2", "a"], ["1", "2", "0"]])
        items = [f'"{key}": {element_expr(draw, kinds)}' for key in names[:max(1, min(length, 3))]]
        return [f"data := {{{', '.join(items)}}}"]
    if takes == "structs":
        items = [f"{STRUCT} {{ x: {element_expr(draw, kinds)}, y: {element_expr(draw, kinds)} }}"
                 for _ in range(min(length, 4))]
        return [f"data := [{', '.join(items)}]"]
    if length <= 8:
        return [f"data := [{', '.join(element_expr(draw, kinds) for _ in range(length))}]"]
    # A long array, built by a loop: its elements follow the counter, in one number kind.
    elem = _pick(draw, ["j", "j * 0.5", "j % 7 - 3", "1.5"])
    return ["data := []", f"for j in range({length}) {{ data := push(data, {elem}) }}"]


def switch_stmt(draw: Draw, takes: str, kinds: list[str]) -> str:
    """The data changing under a hot call site (often to another type)."""
    new = element_expr(draw, [_pick(draw, SWITCHES)])
    if takes == "string":
        return _pick(draw, ['data := data + "b"', "data := [\"a\", \"b\"]", "data := 5"])
    if takes == "dict":
        return _pick(draw, [f'data["b"] := {new}', f'data["q"] := {new}', f'data := {{"a": {new}}}',
                            f'data["1"] := {new}', f'data[2] := {new}'])
    if takes == "structs":
        return _pick(draw, [f"data[0].x := {new}", f"data := push(data, {STRUCT} {{ x: {new}, y: 1 }})",
                            f"data := push(data, {new})"])
    return _pick(draw, [f"data := push(data, {new})", f"data[0] := {new}", f"data[len(data) - 1] := {new}"])


def hot_site(draw: Draw, k: Kernel, work_left: int) -> tuple[list[str], int]:
    """`k` called in a loop, the data switching part-way; returns (lines, work spent)."""
    kinds = [_pick(draw, ["int", "float", "int"])]
    if draw(st.integers(0, 3)) == 0:
        kinds.append(_pick(draw, ["edge", "other", "float"]))
    if k.recursive:
        depth = _pick(draw, ["5", "120", "60000"])
        if depth == "60000":
            trips = 1
        else:
            trips = _pick(draw, HOT_TRIPS)
        lines = data_expr(draw, "array", _pick(draw, [3, 1, 5]), kinds)
        lines += [f"for t in range({trips}) {{", f"    r := {k.name}(data, {depth}, 0)",
                  f"    if t == {trips - 1} {{ print(r) }}", "}"]
        return lines, trips * int(depth) if depth != "60000" else 50000
    length = _pick(draw, DATA_LENGTHS)
    trips = _pick(draw, HOT_TRIPS)
    if k.prints:
        trips = min(trips, 3)
    while trips > 1 and trips * max(length, 1) > work_left:
        trips //= 3
    if trips * max(length, 1) > work_left:
        length = 3
    lines = data_expr(draw, k.takes, length, kinds)
    switch_at = _pick(draw, [trips // 2, trips - 1, 0, trips])  # `trips`: never switches
    every = max(1, trips // 3)
    kval = _pick(draw, ["t", "2", "0.5", "(t * 0.5)", "0"])
    lines += [f"for t in range({trips}) {{",
              f"    if t == {switch_at} {{ {switch_stmt(draw, k.takes, kinds)} }}",
              f"    r := {k.name}(data, {kval})",
              f"    if t % {every} == 0 {{ print(t, r) }}",
              "}"]
    if draw(st.booleans()):
        lines.append("print(data)")
    return lines, trips * max(length, 1)


def except_handler(draw: Draw) -> list[str]:
    """What a caught error from object code shows: its message, its stack (where native frames must appear)."""
    return [_pick(draw, ["print(e0.message, e0.stack)", "print(e0.message)", "print(e0)"])]


def top_level_loop(draw: Draw, state: ObjectState) -> list[str]:
    """An array kernel's loop at top level, over globals: on-stack replacement compiles it once it is hot
    (1,000 back-edges by default), and its element kind may change part-way."""
    kinds = [_pick(draw, ["int", "float", "int"])]
    length = _pick(draw, [1100, 5, 1500])
    lines = data_expr(draw, "array", length, kinds)
    if length > 8 and draw(st.booleans()):  # an element of another kind, late in the loop
        lines.append(f"data[{_pick(draw, [length - 1, 1050, 3])}] := {element_expr(draw, [_pick(draw, SWITCHES)])}")
    open_, elem, index, close = _loop_header(draw, "xs", top=True)
    steps, prints = [], False
    for _ in range(draw(st.integers(1, 3))):
        step, p = _array_step(draw, state, elem, index)
        if p:  # once, not once per element
            step = [step[0].replace("print(", "print(\"top\", ")]
        steps += step
    lines += ["xs := data", f"k := {_pick(draw, ['2', '0.5', '0'])}", f"s := {_pick(draw, ['0', '0.0'])}",
              "r := []", 't := ""', *open_, *["    " + s for s in steps], *close,
              f"print(s, len(r), len(t))"]
    return lines
