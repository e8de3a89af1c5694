"""Pure arithmetic callees, computed in place at their call sites (the fast tier without a JIT).

    func eval_a(i, j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) }

A function whose whole body is one `return` of arithmetic on its parameters and number constants has
nothing observable but its result and its errors (overflow, division by zero, a wrong operand type). For
some argument types it has none of those errors: the code generator, given those parameter types, emits
its body as one bare Python expression, without a check or a helper call (eval_a, with i and j ints in
[0, 2**30): the sum and product stay in i64, the divisor is at least 1). Each such case is a `PureForm`.

A call site whose callee is such a function (tested at run time: `f is <the closure the global held when
the caller was compiled>`), whose frame may go one deeper (the depth limit) and whose arguments pass one
form's tests computes that form's expression with the arguments in place of the parameters: the exact
value the call returns, without a frame. Any other call takes the ordinary call path, so errors (with their line and the
callee's frame in the stack) and the depth limit are the call's own.

A function that starts with a guard clause on its parameters is computed in place when the clause
returns (partial inlining of its base case):

    func fib(n) { if n < 2 { return n } ... }

its int form is `l0` under the condition `l0 < (2)`, and `fib(n - 1)` is `t2` when `t2 < 2`, else the
call. The condition, like the result, is a bare expression for the form's argument types (an int
comparison cannot fail), so computing it in place is unobservable too.

Only without a JIT: there the callee's calls are counted and profiled, which inlined sites would hide.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from ruff.frontend.bytecode import Chunk, Op
from ruff.runtime.fast.pysource import If, Line
from ruff.runtime.fast.typeflow import Ty, int_val

if TYPE_CHECKING:
    from ruff.runtime.fast.statements import InstructionEmitter
    from ruff.runtime.fast.typeflow import Facts

# Longest body (instructions before its return) worth computing in place.
MAX_BODY = 48
# Longest function whose guard clause is (its forms are found by generating the whole function for each
# argument kind tried: a few times per function, for the small recursive ones that gain).
MAX_GUARDED = 400
_BODY_OPS = frozenset({Op.LoadLocal, Op.LoadConst, Op.Add, Op.Sub, Op.Mul, Op.Div, Op.Mod, Op.Negate})
_PARAM = re.compile(r"\bl(\d+)\b")
_GUARD_CMP = frozenset({Op.LessThan, Op.GreaterThan, Op.LessEqual, Op.GreaterEqual, Op.Equal, Op.NotEqual})


@dataclass(frozen=True, slots=True)
class PureForm:
    """The callee's result as one Python expression over its parameters `l0`, `l1`, …, valid (and unable
    to raise) when every argument has Python class `cls` and, with `bits`, lies in [0, 2**bits); with
    `cond`, only where that condition (as bare) holds: the callee's guard clause."""

    cls: str  # "int" or "float"
    bits: Optional[int]
    expr: str
    cond: Optional[str] = None

    def apply(self, args: list[str], text: Optional[str] = None) -> str:
        """The expression (or `text`, the condition) with the argument texts (names or literals) in place
        of the parameters."""
        return _PARAM.sub(lambda m: f"({args[int(m.group(1))]})", self.expr if text is None else text)


@dataclass(frozen=True, slots=True)
class PureCallee:
    """A function computed in place at call sites: its chunk (the call site's guard) and its forms, an
    int form first when there is one, then a float form."""

    chunk: Chunk
    forms: tuple[PureForm, ...]


def body_shape(chunk: Chunk) -> bool:
    """chunk is a plain function whose code, up to its first Return, only reads parameters and number
    constants into arithmetic (what follows that Return is unreachable: nothing before it jumps)."""
    return _plain_function(chunk) and _arith_until(chunk, 0, Op.Return) is not None


def guard_shape(chunk: Chunk) -> bool:
    """chunk is a plain function that starts with a guard clause: a comparison of such arithmetic, a
    conditional jump past the clause, and a Return of such arithmetic (`if n < 2 { return n }`)."""
    if not _plain_function(chunk) or len(chunk.code) > MAX_GUARDED:
        return False
    code = chunk.code
    k = _arith_until(chunk, 0, None)
    if k is None or k + 1 >= len(code) or code[k].op not in _GUARD_CMP or code[k + 1].op is not Op.JumpIfFalse:
        return False
    ret = _arith_until(chunk, k + 2, Op.Return)
    return ret is not None and code[k + 1].arg == ret + 1


def _plain_function(chunk: Chunk) -> bool:
    if chunk.upvalues or chunk.is_generator or chunk.is_async or chunk.cell_slots or not chunk.params:
        return False
    return not any(chunk.param_defaults)


def _arith_until(chunk: Chunk, start: int, stop: Optional[Op]) -> Optional[int]:
    """The index of the first instruction from `start` that is not arithmetic on parameters and number
    constants, when it is `stop` (any, for None) and comes within MAX_BODY instructions; else None."""
    nparams = len(chunk.params)
    code = chunk.code
    for k in range(start, min(len(code), start + MAX_BODY + 1)):
        ins = code[k]
        if ins.op not in _BODY_OPS:
            return k if stop is None or ins.op is stop else None
        if ins.op is Op.LoadLocal and ins.arg >= nparams:
            return None
        if ins.op is Op.LoadConst:
            c = chunk.constants[ins.arg]
            if type(c) is not int and type(c) is not float:
                return None
    return None


def _bare_expression(stmts: list, nparams: int) -> Optional[str]:
    """The expression of `stmts` when they are exactly `return <expr>` and expr is arithmetic on the
    parameters and number literals only (no test, no helper, no name but l0..l<nparams-1>)."""
    if len(stmts) != 1 or type(stmts[0]) is not Line or not stmts[0].text.startswith("return "):
        return None
    return _bare(stmts[0].text[len("return "):], nparams)


def _guard_clause(stmts: list, nparams: int) -> Optional[tuple[str, str]]:
    """(condition, result) of `stmts` when they start with `if <cond>: return <expr>`, both bare (one
    comparison of such arithmetic, such arithmetic)."""
    if not stmts or type(stmts[0]) is not If:
        return None
    cond = _bare(stmts[0].cond, nparams, compare=True)
    expr = _bare_expression(stmts[0].then, nparams)
    return None if cond is None or expr is None else (cond, expr)


_CMP_NODES = (ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq)


def _bare(text: str, nparams: int, compare: bool = False) -> Optional[str]:
    """text, when it is arithmetic on the parameters and number literals only (with `compare`: one
    comparison of two such operands)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    if compare:
        top = tree.body
        if not isinstance(top, ast.Compare) or len(top.ops) != 1 or type(top.ops[0]) not in _CMP_NODES:
            return None
        nodes = [n for side in (top.left, top.comparators[0]) for n in ast.walk(side)]
    else:
        nodes = list(ast.walk(tree.body))
    for node in nodes:
        if isinstance(node, ast.BinOp):
            if type(node.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod):
                return None
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) is not ast.USub:
                return None
        elif isinstance(node, ast.Constant):
            if type(node.value) is not int and type(node.value) is not float:
                return None
        elif isinstance(node, ast.Name):
            m = _PARAM.fullmatch(node.id)
            if m is None or int(m.group(1)) >= nparams:
                return None
        elif not isinstance(node, (ast.operator, ast.unaryop, ast.expr_context)):
            return None
    return text


def pure_callee(chunk: Chunk, body: Callable[[tuple], Optional[list]],
                int_bits: tuple[int, ...]) -> Optional[PureCallee]:
    """chunk's PureCallee, or None when no argument types make it pure. `body(param_types)`: the statements
    the code generator makes of chunk's body with those parameter types (None if it cannot); `int_bits`:
    the widths tried for small non-negative ints, widest first. Call only when `body_shape(chunk)` or
    `guard_shape(chunk)` (then each form has the guard clause's condition)."""
    nparams = len(chunk.params)
    guarded = not body_shape(chunk)

    def form(cls: str, bits: Optional[int], types: tuple) -> Optional[PureForm]:
        out = body(types)
        if out is None:
            return None
        if guarded:
            clause = _guard_clause(out, nparams)
            return None if clause is None else PureForm(cls, bits, clause[1], clause[0])
        expr = _bare_expression(out, nparams)
        return None if expr is None else PureForm(cls, bits, expr)

    forms = []
    found = form("int", None, (Ty.INT,) * nparams)
    if found is not None:
        forms.append(found)
    else:
        for bits in int_bits:
            found = form("int", bits, (int_val(0, 2**bits - 1),) * nparams)
            if found is not None:
                forms.append(found)
                break
    found = form("float", None, (Ty.FLOAT,) * nparams)
    if found is not None:
        forms.append(found)
    return PureCallee(chunk, tuple(forms)) if forms else None


def ranges_proven(code: list, facts: Optional["Facts"], pure_callees: dict) -> int:
    """How many calls `g(a, b, ..)` of a global holding a pure callee, with plain locals and constants for
    arguments, need no range test for its small-int form under `facts` (the code generator weighs this
    when it picks the small-int copy of a function)."""
    n = 0
    if facts is None or not pure_callees:
        return 0
    for i, ins in enumerate(code):
        if ins.op is not Op.Call or i < ins.arg + 1:
            continue
        argc = ins.arg
        g = code[i - argc - 1]
        held = pure_callees.get(g.arg) if g.op is Op.LoadGlobal and type(g.arg) is str else None
        if held is None or any(a.op is not Op.LoadLocal and a.op is not Op.LoadConst for a in code[i - argc:i]):
            continue
        form = held.callee.forms[0]
        if form.cls != "int" or form.bits is None:
            continue
        known = facts.top(i, argc)
        if known is None or known[0] < argc or len(known[1]) != argc:
            continue
        limit = 2**form.bits
        if all(v.ty is Ty.INT and v.bounds()[0] >= 0 and v.bounds()[1] < limit for v in known[1]):
            n += 1
    return n


def _form_guard(em: "InstructionEmitter", form: PureForm, args: list, i: int) -> Optional[list[str]]:
    """The tests the arguments (stack entries) of the call at i must pass for `form`: [] when typeflow
    proves them all, None when one can never pass."""
    tests = []
    for e in args:
        t = em.is_cls(e, form.cls)
        if t == "False":
            return None
        if t is not None:
            tests.append(t)
    if form.bits is not None:
        limit = 2**form.bits
        known = em.facts.top(i, len(args)) if em.facts is not None else None
        vals = known[1] if known is not None and known[0] >= len(args) and len(known[1]) == len(args) else None
        for k, e in enumerate(args):
            if e.kind == "c":
                if not 0 <= e.value < limit:
                    return None
                continue
            v = vals[k] if vals is not None and vals[k].ty is Ty.INT else None
            lo, hi = v.bounds() if v is not None else (-1, limit)
            if lo < 0 or hi >= limit:
                # Only where typeflow proves the range: an int that outgrows it (a running sum) would make
                # every later call pay the failed test on top of the call (native_calls: 20% slower).
                return None
    return tests


@dataclass(frozen=True, slots=True)
class HeldPure:
    """A global's value when the caller was compiled, a Closure of the pure function `callee`: call sites
    test for that very object (one identity test; a later closure of the same function takes the call)."""

    closure: Any
    callee: PureCallee

    def emit_call(self, em: "InstructionEmitter", fobj: str, args: list, r: str, i: int, call: Any) -> If:
        """The call at i of `fobj`, a global that held this closure when the caller was compiled, with its
        result into r: computed in place while fobj is still this closure, its frame would be within the
        depth limit and the arguments (stack entries) pass a form's tests; `call` (the ordinary call)
        otherwise."""
        # The prologue (codegen) binds the local to the closure when a call from this frame stays within
        # the depth limit, else to a marker no Ruff value is: one identity test covers both.
        const = em.const_name(self.closure)
        local = em.held_locals.setdefault(const, f"_p{const[2:]}")
        callee = f"{fobj} is {local}"
        texts = [a.text for a in args]
        branches = []
        for form in self.callee.forms:
            tests = _form_guard(em, form, args, i)
            if tests is None:
                continue
            if form.cond is not None:
                tests.append(form.apply(texts, form.cond))
            branches.append((" and ".join([callee] + tests), form.apply(texts)))
            if not tests:
                break  # the arguments always fit: a later form is never tried
        out: list = [call]
        for guard, expr in reversed(branches):
            out = [If(guard, i, [Line(f"{r} = {expr}", i)], out)]
        return out[0]
