"""Operands and operators in the fast tier's generated Python.

The operand stack disappears in generated code: each entry is a `StackEntry`, a Python expression that is
only ever a name or a literal. ExpressionEmitter turns the operators on them into Python with inline fast
paths — checked i64 arithmetic with int (and float, str) fast paths whose slow path is
ruff.runtime.ops, comparisons, Ruff truthiness and equality, list and dict indexing — and drops the class
and overflow tests that typeflow's facts rule out.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ruff.frontend.bytecode import Op
from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.dict_keys import text_key
from ruff.runtime.fast.pysource import If, Line, Try
from ruff.runtime.fast.typeflow import Facts, Ty
from ruff.runtime.values import overload_attr


def exact_float(n: int) -> bool:
    """An int that a float holds exactly (so Python's exact int/float comparison is the converting one)."""
    return -(2**53) <= n <= 2**53


class StackEntry:
    """One operand-stack entry: a Python expression, mostly a name or a literal (evaluating it is free).

    Two kinds are deferred computations that read locals lazily (`reads`: the local slots they read), so
    the emitter realizes them before a store to one of those slots and before anything but arithmetic:
    "x", an arithmetic operation that cannot fail on operands of known classes, folded into the
    expression that uses it (`cls` is its class); "f", a FloatTree of + - * / on values that are probably
    floats, emitted as one expression behind one class test of its leaves when it is realized.
    """

    __slots__ = ("text", "kind", "slot", "isbool", "value", "builtin", "cls", "hint", "reads", "tree", "known")

    def __init__(self, text: str, kind: str, slot: int = -1, isbool: bool = False, value: Any = None,
                 builtin: bool = False, hint: Optional[str] = None) -> None:
        self.text = text
        # "c" constant, "l" local slot (read lazily), "t" temporary, "cond" fused test, "x" folded pure
        # operation, "f" float tree
        self.kind = kind
        self.slot = slot
        self.isbool = isbool
        self.value = value
        self.builtin = builtin  # read from a global named like a builtin (probably a Builtin)
        self.cls: Optional[str] = None  # its Python class where typeflow proves one ("int", "str", ...)
        # "int" or "float": the class the value probably has (only orders the fast paths, proves nothing)
        self.hint = hint
        self.reads: frozenset = frozenset((slot,)) if kind == "l" else frozenset()
        self.tree: Optional[FloatTree] = None
        # The class the code emitted so far proves the value has where typeflow cannot (a float field of
        # a struct behind the float-field guard, a float computed from floats): tag() keeps it.
        self.known: Optional[str] = None

    def copy(self) -> "StackEntry":
        e = StackEntry(self.text, self.kind, self.slot, self.isbool, self.value, self.builtin, self.hint)
        e.cls, e.reads, e.tree, e.known = self.cls, self.reads, self.tree, self.known
        return e


class FloatTree:
    """+ - * / on operands that are probably floats, kept as one Python expression until it is used.

    Realized as `if <every leaf of unknown class is a float>: r = <the expression>` (in a try when it
    divides: a zero divisor takes the chain), else the chain: each operation emitted as ExpressionEmitter
    would have alone. Under the test every operation has a float operand, so Python's float arithmetic
    (converting an int operand) is Ruff's; an int-only subtree is never part of a tree.
    """

    __slots__ = ("op", "a", "b", "ins", "tests", "nops", "divides", "anchored")

    def __init__(self, op: Op, a: StackEntry, b: StackEntry, ins: int) -> None:
        self.op, self.a, self.b, self.ins = op, a, b, ins
        self.tests: list[str] = []  # leaves to test for float, in order, each once
        self.nops = 1
        self.divides = op is Op.Div
        self.anchored = False  # a leaf is a float constant or a known float
        for e in (a, b):
            if e.kind == "f":
                t = e.tree
                self.tests += [x for x in t.tests if x not in self.tests]
                self.nops += t.nops
                self.divides = self.divides or t.divides
                self.anchored = self.anchored or t.anchored
            elif e.kind == "c" or e.cls is not None:
                self.anchored = self.anchored or type(e.value) is float or e.cls == "float"
            elif e.text not in self.tests:
                self.tests.append(e.text)


_ARITH = {Op.Add: "+", Op.Sub: "-", Op.Mul: "*", Op.Div: "/", Op.Mod: "%"}
_CMP = {Op.LessThan: "<", Op.GreaterThan: ">", Op.LessEqual: "<=", Op.GreaterEqual: ">="}
HELPER_OF = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "<": "lt", ">": "gt",
             "<=": "le", ">=": "ge", "==": "eq", "!=": "ne"}
I64_MIN_TEXT, I64_MAX_TEXT = str(I64_MIN), str(I64_MAX)
_DIGIT = 2**30 - 1  # the largest int CPython 3.11 holds in one digit
_CLASS_OF = {Ty.INT: "int", Ty.FLOAT: "float", Ty.BOOL: "bool", Ty.STR: "str", Ty.LIST: "list", Ty.DICT: "dict"}


# Instructions that leave every plain local as it is (a callee cannot assign the caller's plain locals;
# captured ones live in cells): a stored key computed before them still belongs to the local after them.
_KEEPS_LOCALS = frozenset((Op.LoadConst, Op.LoadLocal, Op.LoadGlobal, Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Mod,
                           Op.Negate))


def text_key_of(text: str) -> str:
    """Python for the key a dict stores for the string `text` evaluates to (ruff.runtime.dict_keys): a local
    or temp whose first character comes after '9' is its own key without a call."""
    if text.isidentifier():
        return f"({text} if {text} >= ':' else _h_tk({text}))"
    return f"_h_tk({text})"


def stored_key_text(e: "StackEntry") -> str:
    """Python for the key a dict stores for the string stack entry `e`: a constant's stored form now, else
    text_key_of its text."""
    return repr(text_key(e.value)) if e.kind == "c" and type(e.value) is str else text_key_of(e.text)


def _all(*tests: str) -> str:
    """Python `and` of tests ("True"/"False" folded away)."""
    if "False" in tests:
        return "False"
    rest = [t for t in tests if t != "True"]
    return " and ".join(rest) if rest else "True"


def _any(*tests: str) -> str:
    """Python `or` of tests ("True"/"False" folded away; `and` parts parenthesized)."""
    if "True" in tests:
        return "True"
    rest = [t for t in tests if t != "False"]
    if len(rest) > 1:
        rest = [f"({t})" if " and " in t else t for t in rest]
    return " or ".join(rest) if rest else "False"


class ExpressionEmitter:
    """Stack entries, constants, temporaries, and the operators on them (a part of FunctionEmitter).

    Needs from the emitter: `facts` (typeflow's, or None), `cold` (code that runs once gets one-line
    helper calls instead of fast paths), `consts`, and the counters set up by `init_expressions`.
    """

    facts: Optional[Facts]
    cold: bool
    code: list
    placement: Any  # FunctionEmitter's Placement: `at` maps a block's first instruction to its block

    def init_expressions(self) -> None:
        self.ntemp = 0
        # (local slot, instruction, temp): the temp holds that local's stored dict key, made at that
        # instruction of the block being emitted (stored_key_of; emit_from forgets it at each block).
        self.stored_key: Optional[tuple[int, int, str]] = None
        self.namespace: dict[str, Any] = {}
        self.const_names: dict[int, str] = {}

    def temp(self) -> str:
        self.ntemp += 1
        return f"t{self.ntemp}"

    def const_name(self, value: Any) -> str:
        key = id(value)
        name = self.const_names.get(key)
        if name is None:
            name = f"_k{len(self.const_names)}"
            self.const_names[key] = name
            self.namespace[name] = value
        return name

    def const(self, value: Any) -> StackEntry:
        t = type(value)
        if value is None:
            return StackEntry("None", "c", value=None)
        if t is bool:
            return StackEntry("True" if value else "False", "c", isbool=True, value=value)
        if t is int:
            return StackEntry(f"({value})", "c", value=value)  # parenthesized: `(5).__class__` is valid Python
        if t is float:
            if math.isfinite(value):
                text = repr(value)
                return StackEntry(text if not text.startswith("-") else f"({text})", "c", value=value)
            return StackEntry(self.const_name(value), "c", value=value)
        if t is str:
            return StackEntry(repr(value), "c", value=value)
        return StackEntry(self.const_name(value), "c", value=value)

    def line(self, out: list, text: str, ins: Optional[int], term: bool = False) -> None:
        out.append(Line(text, ins, term))

    def result(self, state: list, out: list, expr: str, i: int, isbool: bool = False) -> None:
        t = self.temp()
        self.line(out, f"{t} = {expr}", i)
        state.append(StackEntry(t, "t", isbool=isbool))

    def tag(self, i: int, state: list) -> None:
        """Give the entries that instruction i reads the classes typeflow proves for them."""
        known = self.facts.top(i, 3) if self.facts is not None else None
        if known is None or known[0] != len(state):
            for e in state[-3:]:
                if e.kind != "x":
                    e.cls = e.known
            return
        for e, v in zip(state[-3:], known[1]):
            if e.kind != "x" and e.kind != "f":  # a folded operation's class is proven where it is made
                e.cls = _CLASS_OF.get(v.ty) or e.known

    def nonnegative(self, i: int, k: int) -> bool:
        """typeflow: the k-th stack entry from the top before instruction i is an int >= 0."""
        known = self.facts.top(i, k) if self.facts is not None else None
        lo = known[1][0].lo if known is not None and known[0] >= k else None
        return lo is not None and lo >= 0

    def positive(self, b: StackEntry, i: int) -> bool:
        """b, the top entry before instruction i, is an int > 0 (a constant, or by typeflow)."""
        if b.kind == "c":
            return type(b.value) is int and b.value > 0
        known = self.facts.top(i, 1) if self.facts is not None else None
        return known is not None and known[0] >= 1 and known[1][0].ty is Ty.INT and known[1][0].bounds()[0] > 0

    def nonzero(self, i: int, k: int) -> bool:
        """typeflow: the k-th stack entry from the top before instruction i is an int other than 0."""
        known = self.facts.top(i, k) if self.facts is not None else None
        if known is None or known[0] < k or known[1][0].ty is not Ty.INT:
            return False
        lo, hi = known[1][0].bounds()
        return lo > 0 or hi < 0

    def no_overflow(self, i: int) -> bool:
        return self.facts is not None and self.facts.no_overflow(i)

    @staticmethod
    def is_cls(e: StackEntry, cls: str) -> Optional[str]:
        """Python test that e's value has exactly Python type `cls` (None when it statically does)."""
        if e.kind == "c":
            return None if type(e.value).__name__ == cls else "False"
        if e.cls is not None:
            return None if e.cls == cls else "False"
        return f"{e.text}.__class__ is _h_{cls}"

    def cls_test(self, e: StackEntry, cls: str) -> str:
        """is_cls as an expression: "True", "False" or the test."""
        c = self.is_cls(e, cls)
        return "True" if c is None else c

    @staticmethod
    def hint(e: StackEntry) -> Optional[str]:
        """The class e probably has: "int", "float", "str" or None."""
        if e.kind == "c":
            t = type(e.value)
            return "int" if t is int else "float" if t is float else "str" if t is str else None
        if e.cls is not None:
            return e.cls if e.cls in ("int", "float", "str") else None
        return e.hint

    def int_checks(self, *ents: StackEntry) -> Optional[str]:
        parts = []
        for e in ents:
            c = self.is_cls(e, "int")
            if c == "False":
                return None
            if c is not None:
                parts.append(c)
        return " and ".join(parts) if parts else "True"

    def type_checks(self, cls: str, *ents: StackEntry) -> Optional[str]:
        """Python test that every entry has class cls: "True" when typeflow proves it, None when one cannot."""
        parts = []
        for e in ents:
            c = self.is_cls(e, cls)
            if c == "False":
                return None
            if c is not None:
                parts.append(c)
        return " and ".join(parts) if parts else "True"

    def truth(self, e: StackEntry) -> str:
        """Python condition for Ruff truthiness of e."""
        if e.kind == "cond" or e.isbool or e.cls == "bool":
            return e.text
        if e.kind == "c":
            v = e.value
            if v is None or v is False:
                return "False"
            if type(v) in (int, float, str):
                return "True" if v else "False"
            return "True"
        x = e.text
        return f"({x} is True or ({x} is not False and {x} is not None and _h_truthy({x})))"

    def compare(self, op: Op, state: list, out: list, i: int, fuse: bool) -> None:
        self.flush(state, out, trees_only=True)
        b = state.pop()
        a = state.pop()
        if (a.kind == "x" or b.kind == "x") and not (a.cls == b.cls and a.cls in ("int", "float")):
            a, b = self.realize(a, out), self.realize(b, out)  # used by more than one test or path
        if op is Op.Equal or op is Op.NotEqual:
            sym = "==" if op is Op.Equal else "!="
            fast = self.eq_fast(a, b, op is Op.Equal)
        else:
            sym = _CMP[op]
            checks = self.int_checks(a, b)
            fast = None if checks is None else (f"{a.text} {sym} {b.text}", checks)
        slow = f"_h_{HELPER_OF[sym]}({a.text}, {b.text}, d)"
        if fuse:
            slow = f"_h_truthy({slow})"
        expr = slow
        if self.cold:
            fast = None
        elif sym not in ("==", "!="):
            fguard = self.float_guard(a, b)
            if fguard == "":  # typeflow: two floats
                expr = f"{a.text} {sym} {b.text}"
            elif fguard is not None:
                expr = f"{a.text} {sym} {b.text} if {fguard} else {expr}"
        if fast is not None:
            expr = fast[0] if fast[1] == "True" else f"({fast[0]} if {fast[1]} else {expr})"
        if fuse:
            state.append(StackEntry(expr, "cond", isbool=True))
            return
        t = self.temp()
        self.line(out, f"{t} = {expr}", i)
        state.append(StackEntry(t, "t"))

    def float_guard(self, a: StackEntry, b: StackEntry) -> Optional[str]:
        """Guard under which Python's comparison is Ruff's: every operand a float, or an int constant that
        converts to a float exactly (Ruff compares an int with a float by converting the int, as the
        reference does; Python compares them exactly, which differs past 2**53)."""
        if a.kind == "c" and b.kind == "c":
            return None
        for e in (a, b):
            if e.kind == "c" and (type(e.value) is not float and not (type(e.value) is int and exact_float(e.value))):
                return None
            if e.kind != "c" and e.cls is not None and e.cls != "float":
                return None
        return " and ".join(f"{e.text}.__class__ is _h_float" for e in (a, b) if e.kind != "c" and e.cls is None)

    def eq_fast(self, a: StackEntry, b: StackEntry, eq: bool) -> Optional[tuple[str, str]]:
        """(expression, guard) computing values_equal(a, b) without a call when the guard holds."""
        if b.kind == "c" and a.kind != "c":
            x, c = a, b
        elif a.kind == "c" and b.kind != "c":
            x, c = b, a
        else:
            x = c = None
        if x is not None:
            v = c.value
            tv = type(v)
            if v is None or tv is bool:
                # Only a struct's op_eq / op_ne makes `==` with null or a bool more than identity.
                marker = overload_attr("op_eq" if eq else "op_ne")
                guard = f"not _h_hasattr({x.text}, {marker!r})"
                if v is None:
                    guard = f"{x.text} is None or {guard}"
                return f"{x.text} {'is' if eq else 'is not'} {c.text}", guard
            if tv is int or tv is str:
                return f"{x.text} {'==' if eq else '!='} {c.text}", self.cls_test(x, tv.__name__)
            return None
        checks = self.int_checks(a, b)
        if checks is None:
            return None
        return f"{a.text} {'==' if eq else '!='} {b.text}", checks

    # ------------------------------------------------------------------ deferred operations

    def realize(self, e: StackEntry, out: list, target: Optional[str] = None, stored: bool = False) -> StackEntry:
        """A name holding e's value (`target` when given): folded operations and float trees are
        computed here, where they still read what they would have read where they were made.
        `stored`: the next instruction stores the value into the local `target` (an operation on that
        local may then update it in place)."""
        if e.kind == "f":
            tree = e.tree
            if tree.nops == 1:  # one operation: exactly what arith emits for it
                state = [tree.a, tree.b]
                self.arith_ops(tree.op, state, out, tree.ins, inplace_ok=stored)
                return self.realize(state[0], out, target) if target is not None and state[0].text != target \
                    else state[0]
            r = target or self.temp()
            self.emit_tree_value(tree, r, out)
            done = StackEntry(r, "t", hint="float")
            if not tree.tests:  # every leaf a known number: no chain, a float (or a Ruff error)
                done.cls = done.known = "float"
            return done
        if e.kind == "x":
            r = target or self.temp()
            out.append(Line(f"{r} = {e.text}", None))
            n = StackEntry(r, "t", hint=e.hint)
            n.cls = n.known = e.cls
            return n
        if target is not None and e.text != target:
            out.append(Line(f"{target} = {e.text}", None))
            n = StackEntry(target, "t", hint=e.hint)
            n.cls = n.known = e.cls if e.cls in ("int", "float") else None
            return n
        return e

    def flush(self, state: list, out: list, trees_only: bool = False) -> None:
        """Realize the deferred entries of `state`, bottom first (a float tree's chain may raise, and its
        error comes before anything the instructions after it do); `trees_only` keeps folded
        operations, which cannot fail."""
        for k, e in enumerate(state):
            if e.kind == "f" or (e.kind == "x" and not trees_only):
                state[k] = self.realize(e, out)

    def emit_tree_value(self, tree: FloatTree, r: str, out: list) -> None:
        """`r = <tree>`: the fused expression behind the class test of its leaves, else the chain."""
        if tree.nops == 1:
            self.emit_chain(tree, r, out)
            return
        fast: list = [Line(f"{r} = {self.tree_text(tree)}", tree.ins)]
        if tree.divides:
            fail: list = []
            self.emit_chain(tree, r, fail)
            fast = [Try(fast, "_h_ZeroDivisionError", fail, tree.ins)]
        slow: list = []
        self.emit_chain(tree, r, slow)
        guard = " and ".join(f"{x}.__class__ is _h_float" for x in tree.tests) or "True"
        out.extend(fast if guard == "True" else [If(guard, tree.ins, fast, slow)])

    def tree_text(self, tree: FloatTree) -> str:
        side = lambda e: self.tree_text(e.tree) if e.kind == "f" else e.text
        return f"({side(tree.a)} {_ARITH[tree.op]} {side(tree.b)})"

    def emit_chain(self, tree: FloatTree, r: str, out: list) -> None:
        """`r = <tree>` with the tree's operations one at a time, as arith emits them when not fused."""
        self.realize(self.chain(tree, out), out, r)

    def chain(self, tree: FloatTree, out: list) -> StackEntry:
        state = [self.chain(e.tree, out) if e.kind == "f" else e for e in (tree.a, tree.b)]
        self.arith_ops(tree.op, state, out, tree.ins, inplace_ok=False)
        return state[0]

    def tree_operand(self, e: StackEntry) -> Optional[str]:
        """How e may take part in a float tree: "tree", "float" (known or constant), "int" (known or
        constant: only next to a float), "leaf" (unknown class, not hinted int); None when it may not."""
        if e.kind == "f":
            return "tree"
        if e.kind == "c":
            t = type(e.value)
            return "float" if t is float else "int" if t is int else None
        if e.cls is not None:
            return e.cls if e.cls in ("int", "float") else None
        if e.kind in ("l", "t", "x") and not e.isbool and e.hint not in ("int", "str"):
            return "leaf"
        return None

    def join_tree(self, op: Op, a: StackEntry, b: StackEntry, i: int) -> Optional[StackEntry]:
        """a op b as a float tree, when it can be one."""
        if op is Op.Mod:
            return None
        ka, kb = self.tree_operand(a), self.tree_operand(b)
        if ka is None or kb is None:
            return None
        if not ({ka, kb} & {"tree", "leaf"}):
            return None  # operands of known classes: arith's own paths (folded when they cannot fail)
        anchored = lambda e, k: k == "float" or (k == "tree" and e.tree.anchored)
        if (ka == "int" and not anchored(b, kb)) or (kb == "int" and not anchored(a, ka)):
            return None  # an int next to what may be an int: probably int arithmetic
        tree = FloatTree(op, a, b, i)
        e = StackEntry("", "f", hint="float")
        e.tree = tree
        e.reads = a.reads | b.reads
        return e

    def pure(self, op: Op, a: StackEntry, b: StackEntry, i: int) -> Optional[StackEntry]:
        """a op b folded into an expression, when it is one line that cannot fail: two ints whose result
        typeflow keeps in i64, a float and a float or int (+ - *), or a non-negative int divided by a
        positive constant."""
        sym = _ARITH[op]
        num = lambda e: e.cls if e.cls in ("int", "float") else (
            type(e.value).__name__ if e.kind == "c" and type(e.value) in (int, float) else None)
        ca, cb = num(a), num(b)
        if ca is None or cb is None or (a.kind == "c" and b.kind == "c"):
            return None
        cls = "float"
        if ca == "int" and cb == "int":
            cls = "int"
            if sym in "+-*":
                if not self.no_overflow(i):
                    return None
            elif not (self.positive(b, i) and a.kind != "c" and self.nonnegative(i, 2)):
                return None
            text = f"({a.text} {'//' if sym == '/' else sym} {b.text})"
        elif sym in "+-*" or (sym == "/" and (b.value != 0 if b.kind == "c" else self.nonzero(i, 1))):
            text = f"({a.text} {sym} {b.text})"
        else:
            return None
        e = StackEntry(text, "x", hint=cls)
        e.cls = cls
        e.reads = a.reads | b.reads
        return e

    def arith(self, op: Op, state: list, out: list, i: int) -> None:
        a, b = state[-2], state[-1]
        if not self.cold:
            e = self.join_tree(op, a, b, i)
            if e is None:
                e = self.pure(op, a, b, i)
            if e is not None:
                state[-2:] = [e]
                return
        # Anything deferred below runs first: this operation may fail.
        self.flush(state, out, trees_only=True)
        self.arith_ops(op, state, out, i)

    def arith_ops(self, op: Op, state: list, out: list, i: int, inplace_ok: bool = True) -> None:
        """The operation's fast paths, tried in order, then the runtime helper."""
        b = state.pop()
        a = state.pop()
        sym = _ARITH[op]
        ha, hb = self.hint(a), self.hint(b)
        known = lambda e: e.kind == "c" or e.cls in ("int", "float")
        floaty = lambda e: (e.kind == "c" and type(e.value) is float) or e.cls == "float"
        if (a.kind == "x" or b.kind == "x") and not self.cold and not (
                known(a) and known(b) and (sym in "+-*" or floaty(a) or floaty(b))):
            # A folded operand would be evaluated by more than one test or path: compute it once.
            a, b = self.realize(a, out), self.realize(b, out)
        r = self.temp()
        slow = self.again(r, f"_h_{HELPER_OF[sym]}", [a.text, b.text], i)
        # Operands of unknown class are taken for floats first: ints are mostly known or hinted (loop
        # counters, constants, what was computed from them).
        float_first = "int" not in (ha, hb) and "str" not in (ha, hb)
        state.append(StackEntry(r, "t", hint="float" if "float" in (ha, hb) or (float_first and sym == "/") else
                                "int" if "int" in (ha, hb) and sym != "/" else
                                "str" if "str" in (ha, hb) and sym == "+" else None))
        num = lambda e: (e.kind == "c" and type(e.value) in (int, float)) or e.cls in ("int", "float")
        if sym in "+-*/" and num(a) and num(b) and (floaty(a) or floaty(b)):
            state[-1].cls = state[-1].known = "float"  # a number and a float: a float, or a Ruff error
        if (a.kind == "c" and b.kind == "c") or self.cold:
            out.append(slow)
            return
        paths: list = []  # (guard, statements): inline fast paths, tried in order, then the helper
        checks = self.int_checks(a, b)
        if checks is not None:
            body = self.int_arith(sym, a, b, r, checks, i)
            if checks == "True":  # typeflow: two ints
                out.extend(body)
                return
            paths.append((checks, body))
        inplace = self.inplace_target(a, i, state[:-1]) if sym == "+" and inplace_ok else None
        if sym == "+":
            str_checks = self.type_checks("str", a, b)
            # `s := s + x` becomes `l3 = l3 + x`: CPython appends in place to a string nothing else holds.
            concat = Line(f"{inplace or r} = {a.text} + {b.text}", i)
            if str_checks == "True":  # typeflow: two strings
                out.append(concat)
                if inplace is not None:
                    state[-1] = StackEntry(inplace, "l", slot=a.slot)
                return
            if str_checks is not None:
                # An operand that probably is a string (a string builtin's result) is tested as one first.
                paths.insert(0 if "str" in (ha, hb) else len(paths), (str_checks, [concat]))
        nfixed = len(paths)
        numeric = lambda e: e.kind != "c" or type(e.value) in (int, float)
        if sym in "+-*/" and numeric(a) and numeric(b):
            # float op float, float op int, int op float: Python converts the int, as ops does. An operand
            # of known class (a constant, or typeflow's int or float) needs no test: only the other one.
            guard = []
            for e, other in ((a, b), (b, a)):
                if known(e):
                    continue
                if floaty(other):
                    guard.append(f"({e.text}.__class__ is _h_float or {e.text}.__class__ is _h_int)")
                else:
                    guard.append(f"{e.text}.__class__ is _h_float")
            if not guard and not (floaty(a) or floaty(b)):
                guard = None  # two ints: the int path above
            body = [Line(f"{r} = {a.text} {sym} {b.text}", i)]
            if sym == "/":
                if b.kind != "c":
                    # A zero divisor raises ZeroDivisionError: the helper then raises Ruff's error.
                    body = [Try(body, "_h_ZeroDivisionError", [slow], i)]
                elif b.value == 0:
                    guard = None
            if guard is not None:
                path = (" and ".join(guard) or "True", body)
                paths.insert(0 if float_first else nfixed, path)
        stmt: list = [slow]
        if inplace is not None:  # every other path stores its result into the local too
            state[-1] = StackEntry(inplace, "l", slot=a.slot)
            stmt.append(Line(f"{inplace} = {r}", i))
            for _, body in paths:
                if body[-1] is not concat:
                    body.append(Line(f"{inplace} = {r}", i))
        for guard, body in reversed(paths):
            stmt = body if guard == "True" else [If(guard, i, body, stmt)]
        out.extend(stmt)

    def inplace_target(self, a: StackEntry, i: int, others: list) -> Optional[str]:
        """The local `l<n>` when instruction i computes from `a`, a read of slot n, and the next
        instruction, in the same block, stores the result back into slot n, none of the `others` stack
        entries reading that slot lazily: the result can go straight into the local."""
        nxt = i + 1
        if a.kind != "l" or nxt >= len(self.code) or nxt in self.placement.at:
            return None
        ins = self.code[nxt]
        if ins.op is not Op.StoreLocal or ins.arg != a.slot:
            return None
        if any(a.slot in e.reads for e in others):
            return None
        return a.text

    def int_arith(self, sym: str, a: StackEntry, b: StackEntry, r: str, checks: str, i: int) -> list:
        """Checked i64 arithmetic on two ints (the fast path of ops.add/sub/mul/div/mod)."""
        then: list = []
        if sym in "+-*":
            then.append(Line(f"{r} = {a.text} {sym} {b.text}", i))
            if self.no_overflow(i):
                return then
            ovf = f"{r} = _h_ovf('{sym}', {a.text}, {b.text}, {r})"
            if sym != "*" and (a.kind == "c" or b.kind == "c"):
                # Adding or subtracting a constant can only leave the range on one side.
                up = (b.value >= 0) == (sym == "+") if b.kind == "c" else a.value >= 0
                test = f"{r} > {I64_MAX_TEXT}" if up else f"{r} < {I64_MIN_TEXT}"
                c = b.value if b.kind == "c" else a.value
                if type(c) is int and abs(c) == 1:
                    # A count stepping by one is mostly small: a one-digit bound first, a compare CPython 3.11
                    # specializes (|v| < 2**30), where the i64 bound alone is a generic compare every time
                    # (count_kmers' `get_default(..) + 1`). Other constants (`seed * a + c`) stay one compare.
                    bound = f"{r} > {_DIGIT}" if up else f"{r} < -{_DIGIT}"
                    test = f"{bound} and {test}"
            else:
                test = f"{r}.bit_length() > 63"  # _h_ovf rechecks: -2**63 itself has 64 bits
            then.append(Line(f"if {test}: {ovf}", i))
            return then
        pyop = "//" if sym == "/" else "%"
        positive = self.positive(b, i)
        if positive and a.cls == "int" and self.nonnegative(i, 2):
            return [Line(f"{r} = {a.text} {pyop} {b.text}", i)]  # typeflow: a non-negative dividend
        if positive and (b.kind == "c" or b.cls == "int"):
            # Truncating division / remainder with the sign of the dividend, for a positive divisor.
            return [Line(f"{r} = {a.text} {pyop} {b.text} if {a.text} >= 0 else -(-{a.text} {pyop} {b.text})", i)]
        return [If(f"{a.text} >= 0 and {b.text} > 0", i, [Line(f"{r} = {a.text} {pyop} {b.text}", i)],
                   [Line(f"{r} = _h_{HELPER_OF[sym]}({a.text}, {b.text}, d)", i)])]

    @staticmethod
    def again(r: str, helper: str, args: list[str], i: int) -> Line:
        """`r = helper(*args, d)` for a helper that may call Ruff code (operator overloading, method calls),
        which then runs one frame deeper than this one."""
        return Line(f"{r} = {helper}({', '.join([*args, 'd'])})", i)

    def stored_key_of(self, k: StackEntry, i: int) -> Optional[str]:
        """The temp holding local k's stored dict key, when a call earlier in this block made it
        (`stored_key`) and nothing between that call and instruction i can store into a local."""
        if self.stored_key is None or k.kind != "l":
            return None
        slot, at, temp = self.stored_key
        if slot != k.slot or at >= i or any(self.code[j].op not in _KEEPS_LOCALS for j in range(at + 1, i)):
            return None
        return temp

    def index_get(self, state: list, out: list, i: int) -> None:
        k = state.pop()
        o = state.pop()
        r = self.temp()
        slow = f"_h_iget({o.text}, {k.text})"
        lst, dct = self.cls_test(o, "list"), self.cls_test(o, "dict")
        # Python's list indexing (negative indexes included) and dict lookup by the key's string are
        # Ruff's; their failures are left to the interpreter's index_get, which raises the Ruff error.
        if self.cold:
            expr = slow
        elif k.kind == "c":
            expr = slow
            arms = ((_any(dct, lst), f"{o.text}[{k.text}]"),) if type(k.value) is int \
                else ((dct, f"{o.text}[{stored_key_text(k)}]"),) if type(k.value) is str else ()
            for cond, get in arms:
                if cond == "True":
                    expr = get
                elif cond != "False":
                    expr = f"{get} if {cond} else {expr}"
        else:
            ki, ks = self.cls_test(k, "int"), self.cls_test(k, "str")
            # A string key as it is: a dict holds a string key only in its stored form, so a hit is the
            # entry; a number's text misses, and index_get looks again by the stored key.
            if (lst == "True" or dct == "True") and ki == "True" or dct == "True" and ks == "True":
                expr = f"{o.text}[{k.text}]"
            else:
                cond = _any(_all(lst, ki), _all(dct, ki), _all(dct, ks))  # never "True": that is the case above
                expr = slow if cond == "False" else f"{o.text}[{k.text}] if {cond} else {slow}"
        if expr == slow:
            self.line(out, f"{r} = {slow}", i)
        else:
            out.append(Try([Line(f"{r} = {expr}", i)], "_h_LookupError", [Line(f"{r} = {slow}", i)], i))
        state.append(StackEntry(r, "t"))

    def index_set(self, state: list, out: list, i: int) -> None:
        v = state.pop()
        k = state.pop()
        o = state.pop()
        slow = Line(f"_h_iset({o.text}, {k.text}, {v.text})", i)
        lst, dct = self.cls_test(o, "list"), self.cls_test(o, "dict")
        key_int, key_str = self.is_cls(k, "int"), self.is_cls(k, "str")
        stmt: list = [slow]
        if self.cold:
            key_int = key_str = "False"

        def case(container: str, key_test: Optional[str], body: list) -> None:
            nonlocal stmt
            if container == "False" or key_test == "False":
                return
            tests = [t for t in (container, key_test) if t not in (None, "True")]
            stmt = [If(" and ".join(tests), i, body, stmt)] if tests else body

        key = self.stored_key_of(k, i) or stored_key_text(k)
        case(dct, key_int, [Line(f"{o.text}[{k.text}] = {v.text}", i)])
        case(dct, key_str, [Line(f"{o.text}[{key}] = {v.text}", i)])
        case(lst, key_int, [Try([Line(f"{o.text}[{k.text}] = {v.text}", i)], "_h_IndexError", [slow], i)])
        out.extend(stmt)
