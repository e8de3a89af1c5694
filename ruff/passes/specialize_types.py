"""specialize-types: boxed `!ruff.value` code → typed code, from the argument kinds the baseline saw.

A `ruff.func` carrying `arg_types = ["int", "array:float", ...]` (the kinds of the hot call's arguments,
or what ruff-opt inferred) gets a typed twin `@<name>__<kinds>` and its own body becomes a guard: the
arguments' dynamic types are checked (`ruff.is_type`), then either the twin is called (unboxing scalar
arguments, boxing the result) or the original boxed code runs.

Kinds flow forward from the arguments and the constants:
- int, float, bool are raw i64 / f64 / i1 (int op int is a checked i64 op, anything with a float is f64,
  comparisons and truthiness are i1);
- "array", "array:<kind of its elements>", "iter:<kind>", "string", "dict", "none" and "value" (anything)
  stay `!ruff.value` (a PyObject* in native code).
A value two paths give different kinds is a "value". An element of an array (or iterator) of known kind
is speculated to have that kind: the twin reads it (`ruff.list_get`), guards its type and unboxes it; when
the guard fails the twin deoptimizes through the frame state the lifter put before the operation
(`ruff.frame_state`), and the baseline continues the call there. Operations on values of no useful kind
stay boxed: lowered as calls into the runtime, which runs their bytecode instruction. In a twin that
works on objects every operation that can fail (overflow, division by zero, a typed callee's error)
deoptimizes at its frame state, so side effects already made are never made again; without a state for
it, the function is not specialized.

A call `load_global "g"` + `ruff.call` becomes a direct call of g's twin for the argument kinds at the call
site when g is a function of the module; `len`, `sqrt`, `floor`, `ceil`, `abs` and `push` become native
operations when they are the builtins (the module attribute `ruff.global_names`, set by the JIT, lists the
names a program defines: those are not builtins). The twin returns a boxed value here; `unbox-returns` makes it return the raw value
when it has no deoptimization exits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Optional

from xdsl.context import Context
from xdsl.dialects import arith, cf, math
from xdsl.dialects.builtin import (UNKNOWN_LOC, ArrayAttr, DictionaryAttr, FloatAttr, FunctionType, ModuleOp,
                                   StringAttr, UnitAttr, f64, i1, i64)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from ruff.dialects import ruff as R

INT, FLOAT, BOOL = "int", "float", "bool"
VALUE_KIND = "value"
SCALARS = (INT, FLOAT, BOOL)
MLIR_TYPE = {INT: i64, FLOAT: f64, BOOL: i1}
SUFFIX = {INT: "i", FLOAT: "f", BOOL: "b"}
CHECKED_INT = {R.AddOp: R.IAddOp, R.SubOp: R.ISubOp, R.MulOp: R.IMulOp, R.DivOp: R.IDivOp, R.ModOp: R.IModOp}
FLOAT_OPS = {R.AddOp: arith.AddfOp, R.SubOp: arith.SubfOp, R.MulOp: arith.MulfOp, R.DivOp: R.FDivOp, R.ModOp: R.FModOp}
COMPARE = {R.LtOp: ("slt", "olt"), R.LeOp: ("sle", "ole"), R.GtOp: ("sgt", "ogt"), R.GeOp: ("sge", "oge"),
           R.EqOp: ("eq", "oeq"), R.NeOp: ("ne", "une")}
# The runtime's type name (ruff.is_type / ruff.guard_type) of each kind that has one.
TYPE_NAME = {INT: "int", FLOAT: "float", BOOL: "bool", "string": "string", "dict": "dict", "none": "null",
             "array": "array"}
# Pure float builtins native code does as one instruction (floor and ceil of an int are that int as a float;
# abs of an int, which can overflow, stays with the runtime).
FLOAT_BUILTINS = {"floor": math.FloorOp, "ceil": math.CeilOp, "abs": math.AbsFOp}
NUMBER_BUILTINS = ("sqrt", *FLOAT_BUILTINS)  # a number in, a number out
# Builtins native code does itself when the name is not one the program defines.
# (`push(a, v)` makes a new array; `a = push(a, v)` is ruff.array_push, which appends in place.)
# `substring(s, a, b)` on a string and ints, and `get_default(d, k, x)` on a dict and a string key, read
# the objects in place (ruff.str_slice, ruff.dict_get); a dict is written by `d[k] = v` (ruff.dict_set).
# String builtins that are a Python str method of the same meaning on strings (split: with a separator
# that is not empty), done by ruff.str_method; join and to_string of an int have ops of their own.
STR_METHODS = {"upper": "upper", "lower": "lower", "trim": "strip", "replace": "replace", "split": "split"}
NATIVE_BUILTINS = ("len", *NUMBER_BUILTINS, "substring", "get_default", *STR_METHODS, "to_string", "join")
GLOBAL_NAMES = "ruff.global_names"
# Module attribute set by the JIT: method name → the global holding the one struct type of the module that
# defines it (ruff.jit_cache.struct_method); its function is lifted as "<global>.<method>".
STRUCT_METHODS = "ruff.struct_methods"
# On an op whose result only frame states read: native code makes it only when it deoptimizes there.
DEOPT_ONLY = "ruff.deopt_only"


# The kinds an argument can be specialized for (an array's may name its elements': "array:int").
KINDS = (INT, FLOAT, BOOL, "string", "dict", "none", "array", VALUE_KIND)


def valid_kind(kind: str) -> bool:
    head, colon, rest = kind.partition(":")
    if colon:
        return head == "array" and rest in SCALARS
    return kind in KINDS


class NotSpecializable(Exception):
    """One root function (and what it calls) cannot be specialized; the message says why."""

def mlir_type(kind: str):
    return MLIR_TYPE.get(kind, R.VALUE)


def is_scalar(kind: Optional[str]) -> bool:
    return kind in SCALARS


def base(kind: str) -> str:
    return kind.split(":", 1)[0]


def element(kind: str) -> Optional[str]:
    """The kind of an array's (or iterator's) elements, when known."""
    head, _, rest = kind.partition(":")
    return rest if head in ("array", "iter") and rest else None


def join(a: str, b: str) -> str:
    """The kind of a value that is sometimes a, sometimes b."""
    if a == b:
        return a
    if base(a) == base(b) and base(a) in ("array", "iter"):
        return base(a)
    return VALUE_KIND


def successor_operands(op: Operation, index: int) -> list[SSAValue]:
    """The values a branch passes to its index-th successor's block arguments."""
    if isinstance(op, cf.BranchOp):
        return list(op.arguments)
    if isinstance(op, cf.ConditionalBranchOp):
        return list(op.then_arguments if index == 0 else op.else_arguments)
    return []


def twin_name(name: str, types: tuple[str, ...]) -> str:
    letters = "".join(SUFFIX.get(t, base(t)[0]) for t in types) or "v"
    if any(t not in SUFFIX for t in types):
        letters += "_" + hashlib.sha256(repr(types).encode()).hexdigest()[:6]
    return f"{name}__{letters}"


def arg_types_of(func: R.FuncOp) -> Optional[tuple[str, ...]]:
    attr = func.attributes.get("arg_types")
    if attr is None:
        return None
    return tuple(a.data for a in attr.data)  # type: ignore[attr-defined]


def state_before(op: Operation) -> Optional[SSAValue]:
    """The frame state the lifter put right before `op` (for a deoptimization there), if any."""
    prev = op.prev_op
    return prev.result if isinstance(prev, R.FrameStateOp) else None


def state_after(op: Operation) -> Optional[SSAValue]:
    """The frame state the lifter put right after `op` (resuming past it, its results on the stack)."""
    nxt = op.next_op
    if isinstance(nxt, R.FrameStateOp) and "after" in nxt.attributes:
        return nxt.result
    return None


def speculates(kinds: tuple[str, ...]) -> bool:
    """Does a twin for these argument kinds speculate on elements (and may deoptimize and go on)?"""
    return any(element(k) is not None for k in kinds)


def call_result_kind(sub: "Specialization") -> Optional[str]:
    """The kind a direct call of `sub` gives its caller. A twin that speculates on its arguments' elements
    may deoptimize, and the interpreter that finishes the call can return anything (an int array that holds
    a float gives a float sum): its result stays a boxed value."""
    if sub.ret is not None and speculates(sub.types):
        return VALUE_KIND
    return sub.ret


@dataclass
class Specialization:
    source: R.FuncOp
    types: tuple[str, ...]
    name: str
    ret: Optional[str] = None  # inferred return kind
    twin: Optional[R.FuncOp] = None
    objects: bool = False  # works on objects: its failing operations deoptimize


class Specializer:
    def __init__(self, module: ModuleOp) -> None:
        self.module = module
        self.funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, R.FuncOp)}
        self.by_lifted = {}
        for f in self.funcs.values():
            if f.lifted_from is not None:
                self.by_lifted.setdefault(f.lifted_from.data, f)
        names = module.attributes.get(GLOBAL_NAMES)
        self.global_names: Optional[set[str]] = {a.data for a in names.data} if isinstance(names, ArrayAttr) else None
        methods = module.attributes.get(STRUCT_METHODS)
        self.struct_methods: dict[str, str] = ({k: v.data for k, v in methods.data.items()}  # type: ignore[attr-defined]
                                               if isinstance(methods, DictionaryAttr) else {})
        self.specs: dict[tuple[str, tuple[str, ...]], Specialization] = {}
        self.f64_of: dict[tuple[SSAValue, Block], SSAValue] = {}  # int value (per block) → its f64
        self.pending: list[Specialization] = []
        self.frame_depth: Optional[SSAValue] = None  # the depth of the twin being built (its enter_frame)
        self.spec: Optional[Specialization] = None  # the twin being built
        self.field_hints: dict[SSAValue, str] = {}  # field reads of the function being inferred: their guess

    def callee_func(self, name: str) -> Optional[R.FuncOp]:
        return self.funcs.get(name) or self.by_lifted.get(name)

    def method_target(self, op: R.CallMethodOp, types: dict[SSAValue, str]) -> Optional[tuple[str, R.FuncOp]]:
        """(struct type's global, method function) when `obj.m(..)` may be a direct call: one struct type of
        the module defines m (STRUCT_METHODS), its function takes the receiver and these arguments, and a
        frame state before the call lets the receiver's guard deoptimize."""
        holder = self.struct_methods.get(op.method.data)
        if holder is None or types.get(op.receiver) != VALUE_KIND or state_before(op) is None:
            return None
        target = self.callee_func(f"{holder}.{op.method.data}")
        if target is None or len(target.args) != len(op.args) + 1:
            return None  # (a wrong argument count is the runtime's error)
        return holder, target

    def builtin(self, name: str) -> Optional[str]:
        """The native builtin a global name denotes, if the program does not define that name."""
        if name not in NATIVE_BUILTINS or self.callee_func(name) is not None:
            return None
        if self.global_names is not None and name in self.global_names:
            return None
        return name

    def request(self, func: R.FuncOp, types: tuple[str, ...]) -> Specialization:
        key = (func.sym_name.data, types)
        spec = self.specs.get(key)
        if spec is None:
            spec = Specialization(func, types, twin_name(func.sym_name.data, types))
            self.specs[key] = spec
            self.pending.append(spec)
        return spec

    # ------------------------------------------------------------------ kind inference

    def infer(self, spec: Specialization, final: bool = True) -> dict[SSAValue, str]:
        """Kinds of the values of `spec`'s function; `final=False` tolerates calls whose return kind is not
        known yet (mutual recursion settles over several rounds)."""
        func = spec.source
        types: dict[SSAValue, str] = {}
        if len(func.args) != len(spec.types):
            raise NotSpecializable(f"{func.sym_name.data}: expected {len(func.args)} argument types")
        for arg, t in zip(func.args, spec.types):
            types[arg] = t
        self.field_hints = arithmetic_hints(func, spec.types, self.builtin)

        def put(v: SSAValue, t: str) -> bool:
            old = types.get(v)
            new = t if old is None else join(old, t)
            if new != old:
                types[v] = new
                return True
            return False

        changed = True
        rets: set[str] = set()
        while changed:
            changed = False
            for block in func.body.blocks:
                for op in block.ops:
                    for res, t in self.op_types(op, types, spec):
                        if t is not None and put(res, t):
                            changed = True
                    if isinstance(op, R.ReturnOp) and op.arguments and op.arguments[0] in types:
                        rets.add(types[op.arguments[0]])
                    for succ_index, succ in enumerate(op.successors):
                        for arg, val in zip(succ.args, successor_operands(op, succ_index)):
                            if val in types and put(arg, types[val]):
                                changed = True
        ret = None
        for r in rets:
            ret = r if ret is None else join(ret, r)
        if spec.ret is not None and ret is not None and spec.ret != ret:
            ret = join(spec.ret, ret)
        if ret is not None and spec.ret != ret:
            spec.ret = ret
            return self.infer(spec, final)  # self-calls can now be typed
        if not final:
            return types
        for block in func.body.blocks:
            for op in block.ops:
                if isinstance(op, R.LoadGlobalOp) and self.is_callee_only(op):
                    continue  # a callee: the call is typed instead
                for res in op.results:
                    if res not in types and res.uses:
                        types[res] = VALUE_KIND if res.type == R.VALUE else _kind_of_type(res.type)
            for arg in block.args:
                if arg not in types and arg.uses:
                    types[arg] = VALUE_KIND
        spec.objects = any(not is_scalar(t) for t in types.values())
        return types

    def string_hint(self, value: SSAValue, t: Any) -> Optional[str]:
        """An element of an array of unknown element kind that a string builtin takes as its string (`upper(
        parts[k])`) or that is added to a string: speculate that it is one (guarded: a wrong guess
        deoptimizes)."""
        for use in value.uses:
            user = use.operation
            if isinstance(user, R.CallOp) and use.index == 1 and isinstance(user.callee.owner, R.LoadGlobalOp) \
                    and self.builtin(user.callee.owner.properties["name"].data) in STR_METHODS:
                return "string"
            if isinstance(user, R.AddOp) and t(user.operands[1 - use.index]) == "string":
                return "string"
        return None

    @staticmethod
    def is_callee_only(op: R.LoadGlobalOp) -> bool:
        """Loaded only to be called (frame states hold it too, but only a deoptimization reads it there)."""
        return all((isinstance(u.operation, R.CallOp) and u.index == 0) or isinstance(u.operation, R.FrameStateOp)
                   for u in op.results[0].uses)

    def op_types(self, op: Operation, types: dict[SSAValue, str], spec: Specialization):
        def t(v: SSAValue) -> Optional[str]:
            return types.get(v)

        if isinstance(op, R.FrameStateOp):
            return []
        if isinstance(op, R.ConstantOp):
            v = op.py_value
            if type(v) is bool:
                return [(op.result, BOOL)]
            if type(v) is int:
                return [(op.result, INT)]
            if type(v) is float:
                return [(op.result, FLOAT)]
            if type(v) is str:
                return [(op.result, "string")]
            if v is None:
                return [(op.result, "none")]
            return [(op.result, VALUE_KIND)]
        if isinstance(op, R.MakeArrayOp):
            kinds = {t(e) for e in op.elements}
            if None in kinds:
                return [(op.result, None)]
            first = kinds.pop() if len(kinds) == 1 else None
            return [(op.result, f"array:{first}" if first in (INT, FLOAT, BOOL) else "array")]
        if isinstance(op, R.AddOp) and t(op.lhs) == t(op.rhs) == "string":
            return [(op.results[0], "string")]  # (ruff.str_concat)
        if type(op) in CHECKED_INT:
            a, b = t(op.lhs), t(op.rhs)
            if a is None or b is None:
                return [(op.results[0], None)]
            if a == INT and b == INT:
                return [(op.results[0], INT)]
            if a in (INT, FLOAT) and b in (INT, FLOAT):
                return [(op.results[0], FLOAT)]
            return [(op.results[0], VALUE_KIND)]
        if type(op) in COMPARE:
            a, b = t(op.lhs), t(op.rhs)
            if a is None or b is None:
                return [(op.results[0], None)]
            numeric = a in (INT, FLOAT) and b in (INT, FLOAT)
            if numeric or (a == b == BOOL and type(op) in (R.EqOp, R.NeOp)):
                return [(op.results[0], BOOL)]
            return [(op.results[0], VALUE_KIND)]
        if isinstance(op, R.NegOp):
            a = t(op.operand)
            if a is None:
                return [(op.results[0], None)]
            return [(op.results[0], a if a in (INT, FLOAT) else VALUE_KIND)]
        if isinstance(op, R.NotOp):
            a = t(op.operand)
            return [(op.results[0], None if a is None else (BOOL if is_scalar(a) else VALUE_KIND))]
        if isinstance(op, R.TruthyOp):
            return [(op.results[0], BOOL if t(op.operand) is not None else None)]
        if isinstance(op, R.BoxOp):
            return [(op.results[0], t(op.operands[0]))]
        if isinstance(op, R.LoadGlobalOp):
            return [] if self.is_callee_only(op) else [(op.result, VALUE_KIND)]
        if isinstance(op, R.CallOp):
            callee = op.callee.owner
            arg_types = tuple(t(a) for a in op.args)
            if isinstance(callee, R.LoadGlobalOp) and self.is_callee_only(callee):
                name = callee.properties["name"].data
                target = self.callee_func(name)
                if target is not None:
                    if any(x is None for x in arg_types):
                        return [(op.results[0], None)]
                    sub = self.request(target, arg_types)  # type: ignore[arg-type]
                    return [(op.results[0], call_result_kind(sub))]
                builtin = self.builtin(name)
                if builtin is not None:
                    if any(x is None for x in arg_types):
                        return [(op.results[0], None)]
                    kind = _builtin_result(builtin, arg_types)  # type: ignore[arg-type]
                    if kind is not None:
                        return [(op.results[0], _speculated_get(builtin, arg_types, op) or kind)]
            return [(op.results[0], VALUE_KIND)]
        if isinstance(op, R.CallMethodOp):
            found = self.method_target(op, types)
            if found is None:
                return [(op.results[0], VALUE_KIND)]
            arg_types = (t(op.receiver), *(t(a) for a in op.args))
            if any(x is None for x in arg_types):
                return [(op.results[0], None)]
            return [(op.results[0], call_result_kind(self.request(found[1], arg_types)))]  # type: ignore[arg-type]
        if isinstance(op, R.IndexGetOp):
            obj, idx = t(op.object), t(op.index)
            if obj is None or idx is None:
                return [(op.result, None)]
            if base(obj) == "array" and idx == INT and state_before(op) is not None:
                hint = element(obj) or number_hint(op.result, t) or self.string_hint(op.result, t)
                return [(op.result, None if hint == NOT_YET else hint or VALUE_KIND)]
            if obj == "dict" and idx in ("string", INT) and state_before(op) is not None:
                hint = number_hint(op.result, t)  # (ruff.dict_item: guarded like an array's element)
                return [(op.result, None if hint == NOT_YET else hint or VALUE_KIND)]
            return [(op.result, VALUE_KIND)]
        if isinstance(op, R.FieldGetOp):
            if t(op.object) is None:
                return [(op.result, None)]
            if state_before(op) is None:
                return [(op.result, VALUE_KIND)]
            hint = number_hint(op.result, t) or self.field_hints.get(op.result)
            return [(op.result, hint or VALUE_KIND)]
        if isinstance(op, R.MakeDictOp):
            return [(op.result, "dict")]
        if isinstance(op, R.MakeIteratorOp):
            it = t(op.iterable)
            if it is None:
                return [(op.result, None)]
            return [(op.result, f"iter:{element(it)}" if base(it) == "array" and element(it) else VALUE_KIND)]
        if isinstance(op, R.IteratorNextOp):
            it = t(op.iterator)
            if it is None:
                return [(op.has_value, BOOL), (op.value, None)]
            e = element(it)
            return [(op.has_value, BOOL), (op.value, e if e is not None and state_after(op) is not None else VALUE_KIND)]
        if isinstance(op, (R.ReturnOp, cf.BranchOp, cf.ConditionalBranchOp)):
            return []
        return [(r, VALUE_KIND if r.type == R.VALUE else _kind_of_type(r.type)) for r in op.results]

    # ------------------------------------------------------------------ rewriting

    def build_twin(self, spec: Specialization, types: dict[SSAValue, str]) -> R.FuncOp:
        src = spec.source
        ret = spec.ret or INT
        self.f64_of = {}  # conversions belong to one twin: another twin of the same source has its own
        self.spec = spec
        # The twin takes the call depth last and starts its frame before anything else (see EnterFrameOp).
        ftype = FunctionType.from_lists([*(mlir_type(x) for x in spec.types), i64], [R.VALUE])
        blocks: dict[Block, Block] = {}
        values: dict[SSAValue, SSAValue] = {}
        for block in src.body.blocks:
            nb = Block(arg_types=[mlir_type(types[a]) if a in types else R.VALUE for a in block.args])
            blocks[block] = nb
            for a, na in zip(block.args, nb.args):
                values[a] = na
        first = src.body.blocks.first
        assert first is not None
        # A new entry block: the old one may be a loop header (a back-edge must not re-enter the frame).
        entry = Block(arg_types=[*(a.type for a in blocks[first].args), i64])
        entry.args[-1].name_hint = "depth"
        frame_name = src.lifted_from.data if src.lifted_from else src.sym_name.data
        enter = R.EnterFrameOp(entry.args[-1], frame_name)
        enter.location = src.location
        for arg in entry.args:
            arg.location = src.location
        self.frame_depth = enter.result
        entry.add_ops([enter, cf.BranchOp(blocks[first], *entry.args[:-1])])
        for block in src.body.blocks:
            nb = blocks[block]
            for op in block.ops:
                for new_op in self.rewrite(op, types, values, blocks, spec):
                    if new_op.location == UNKNOWN_LOC:  # what an op becomes keeps its source position
                        new_op.location = op.location
                    nb.add_op(new_op)
        twin = R.FuncOp(spec.name, ftype, Region([entry, *(blocks[b] for b in src.body.blocks)]),
                        lifted_from=src.lifted_from.data if src.lifted_from else None,
                        param_names=[*(p.data for p in src.param_names.data), "depth"] if src.param_names else None)
        twin.location = src.location
        twin.attributes[R.DEPTH_ARG] = UnitAttr()
        twin.attributes["specialized_for"] = ArrayAttr([StringAttr(x) for x in spec.types])
        twin.attributes[R.SPECIALIZED_FROM] = StringAttr(src.sym_name.data)
        twin.attributes["returns"] = StringAttr(ret)
        return twin

    def deopt_state(self, op: Operation, values: dict, after: bool = False) -> Optional[SSAValue]:
        """The twin's frame state for a deoptimization at `op` (before it, or after it)."""
        state = state_after(op) if after else state_before(op)
        return None if state is None else values.get(state)

    def failing_state(self, op: Operation, values: dict, spec: Specialization) -> Optional[SSAValue]:
        """Where an operation that can fail deoptimizes to, in a twin that works on objects."""
        if not spec.objects:
            return None
        state = self.deopt_state(op, values)
        if state is None:
            raise NotSpecializable(f"{spec.source.sym_name.data}: {op.name} can fail and has no frame state")
        return state

    def rewrite(self, op: Operation, types, values, blocks, spec) -> list[Operation]:
        def v(x: SSAValue) -> SSAValue:
            return values[x]

        def done(new: Operation, result_of: Optional[SSAValue] = None) -> list[Operation]:
            if result_of is not None:
                values[result_of] = new.results[0]
            return [new]

        line = op.properties["line"].value.data if "line" in op.properties else 0
        if isinstance(op, R.FrameStateOp):
            out: list[Operation] = []
            for x in op.values:
                if x not in values and isinstance(x.owner, R.LoadGlobalOp):
                    # A callee the twin calls directly: loaded again only if the state is used (DEOPT_ONLY).
                    load = x.owner.clone()
                    load.attributes[DEOPT_ONLY] = UnitAttr()
                    out.append(load)
                    values[x] = load.result
            new = R.FrameStateOp(op.ip.value.data, op.slots.get_values(), [v(x) for x in op.values])
            if "after" in op.attributes:
                new.attributes["after"] = UnitAttr()
            values[op.result] = new.result
            return out + [new]
        if isinstance(op, R.ConstantOp):
            if op.result not in types:
                return []
            kind = types[op.result]
            if is_scalar(kind):
                return done(R.ConstantOp(op.py_value, MLIR_TYPE[kind]), op.result)
            return done(R.ConstantOp.boxed(op.py_value), op.result)
        if isinstance(op, R.AddOp) and types[op.results[0]] == "string":
            return done(R.StrConcatOp(v(op.lhs), v(op.rhs)), op.results[0])
        if type(op) in CHECKED_INT and is_scalar(types[op.results[0]]):
            res_t = types[op.results[0]]
            state = self.failing_state(op, values, spec)
            if res_t == INT:
                return done(CHECKED_INT[type(op)](v(op.lhs), v(op.rhs), line, state), op.results[0])
            out: list[Operation] = []
            a, b = self.as_f64(op.lhs, op, types, values, out), self.as_f64(op.rhs, op, types, values, out)
            cls = FLOAT_OPS[type(op)]
            new = cls(a, b, line, state) if cls in (R.FDivOp, R.FModOp) else cls(a, b)
            values[op.results[0]] = new.results[0]
            return out + [new]
        if type(op) in COMPARE and types.get(op.results[0]) == BOOL:
            a_t, b_t = types[op.lhs], types[op.rhs]
            ipred, fpred = COMPARE[type(op)]
            if a_t == FLOAT or b_t == FLOAT:
                out = []
                x, y = self.as_f64(op.lhs, op, types, values, out), self.as_f64(op.rhs, op, types, values, out)
                if isinstance(op, (R.EqOp, R.NeOp)):
                    out += float_equality(x, y, negate=isinstance(op, R.NeOp))
                else:
                    out.append(arith.CmpfOp(x, y, fpred))
                values[op.results[0]] = out[-1].results[0]
                return out
            return done(arith.CmpiOp(v(op.lhs), v(op.rhs), ipred), op.results[0])
        if isinstance(op, R.NegOp) and is_scalar(types[op.results[0]]):
            if types[op.operand] == INT:
                return done(R.INegOp(v(op.operand), line, self.failing_state(op, values, spec)), op.results[0])
            return done(arith.NegfOp(v(op.operand)), op.results[0])
        if isinstance(op, (R.TruthyOp, R.NotOp)) and is_scalar(types.get(op.operand)):
            inner_t = types[op.operand]
            x = v(op.operand)
            out = []
            if inner_t == BOOL:
                truth = x
            elif inner_t == INT:
                zero = arith.ConstantOp.from_int_and_width(0, 64)
                cmp = arith.CmpiOp(x, zero, "ne")
                out += [zero, cmp]
                truth = cmp.result
            else:
                zero = arith.ConstantOp(FloatAttr(0.0, f64))
                cmp = arith.CmpfOp(x, zero, "une")
                out += [zero, cmp]
                truth = cmp.result
            if isinstance(op, R.NotOp):
                one = arith.ConstantOp.from_int_and_width(1, 1)
                flip = arith.XOrIOp(truth, one)
                out += [one, flip]
                truth = flip.result
            values[op.results[0]] = truth
            return out
        if isinstance(op, R.BoxOp):
            values[op.results[0]] = v(op.operands[0])
            return []
        if isinstance(op, R.LoadGlobalOp) and self.is_callee_only(op):
            return []
        if isinstance(op, R.CallOp):
            rewritten = self.rewrite_call(op, types, values, spec, line)
            if rewritten is not None:
                return rewritten
        if isinstance(op, R.CallMethodOp):
            rewritten = self.rewrite_call_method(op, types, values, spec)
            if rewritten is not None:
                return rewritten
        if isinstance(op, R.IndexGetOp) and base(types.get(op.object, "")) == "array" and types.get(op.index) == INT:
            state = self.deopt_state(op, values)
            if state is not None:
                get = R.ListGetOp(v(op.object), v(op.index), state)
                return [get, *self.speculate(get.result, types[op.result], op.result, state, values)]
        if isinstance(op, R.IndexGetOp) and types.get(op.object) == "dict" and types.get(op.index) in ("string", INT):
            state = self.deopt_state(op, values)
            if state is not None:
                key, out = self.dict_key(op.index, types, values)
                get = R.DictItemOp(v(op.object), key, state)
                return [*out, get, *self.speculate(get.result, types[op.result], op.result, state, values)]
        if isinstance(op, R.FieldGetOp) and is_scalar(types.get(op.result)):
            state = self.deopt_state(op, values)
            if state is not None:  # a field guessed to hold a number: read it, guard, unbox
                get = R.FieldGetOp(v(op.object), op.field.data, line)
                get.attributes.update(op.attributes)
                return [get, *self.speculate(get.result, types[op.result], op.result, state, values)]
        if isinstance(op, R.IndexSetOp) and base(types.get(op.object, "")) == "array" and types.get(op.index) == INT:
            state = self.deopt_state(op, values)
            if state is not None:
                out = []
                item = self.boxed(op.value, out, values)
                return [*out, R.ListSetOp(v(op.object), v(op.index), item, state)]
        if isinstance(op, R.IndexSetOp) and types.get(op.object) == "dict" and types.get(op.index) in ("string", INT):
            key, out = self.dict_key(op.index, types, values)
            item = self.boxed(op.value, out, values)
            return [*out, R.DictSetOp(v(op.object), key, item)]
        if isinstance(op, R.IteratorNextOp) and base(types.get(op.iterator, "")) == "iter" and \
                is_scalar(types.get(op.value)):
            state = self.deopt_state(op, values, after=True)
            assert state is not None
            nxt = R.IteratorNextOp(v(op.iterator))
            values[op.has_value] = nxt.has_value
            return [nxt, *self.speculate(nxt.value, types[op.value], op.value, state, values)]
        if isinstance(op, R.ReturnOp):
            out = []
            box = self.boxed(op.arguments[0], out, values)
            return out + [R.ReturnOp(box)]
        if isinstance(op, cf.BranchOp):
            out = []
            args = self.branch_args(op.arguments, blocks[op.successor], out, values)
            return out + [cf.BranchOp(blocks[op.successor], *args)]
        if isinstance(op, cf.ConditionalBranchOp):
            out = []
            then_args = self.branch_args(op.then_arguments, blocks[op.then_block], out, values)
            else_args = self.branch_args(op.else_arguments, blocks[op.else_block], out, values)
            return out + [cf.ConditionalBranchOp(v(op.cond), blocks[op.then_block], then_args,
                                                 blocks[op.else_block], else_args)]
        return self.generic(op, types, values)

    def dict_key(self, index: SSAValue, types, values) -> tuple[SSAValue, list[Operation]]:
        """The key a dict stores for an index of kind string or int (ruff.runtime.dict_keys: an int is kept
        as itself, a string by the rule), and the ops that make it."""
        if types[index] == INT:
            out: list[Operation] = []
            return self.boxed(index, out, values), out
        key = R.TextKeyOp(values[index])
        return key.result, [key]

    def speculate(self, boxed: SSAValue, kind: str, result_of: SSAValue, state: SSAValue, values) -> list[Operation]:
        """An element read as a PyObject*: with a scalar kind, guard its type (deoptimizing at `state`) and
        unbox it."""
        if not is_scalar(kind):
            values[result_of] = boxed
            return [R.GuardTypeOp(boxed, "string", state)] if kind == "string" else []
        guard = R.GuardTypeOp(boxed, TYPE_NAME[kind], state)
        unbox = R.UnboxOp(boxed, MLIR_TYPE[kind])
        values[result_of] = unbox.result
        return [guard, unbox]

    def rewrite_call_method(self, op: R.CallMethodOp, types, values, spec: Specialization) -> Optional[list[Operation]]:
        """`obj.m(a)` with m found by method_target: deoptimize unless obj is an instance of the struct type
        its global holds now (read when the call runs: the code holds no address), then call m's twin
        directly with obj as `self`. Any other receiver (another struct type, not a struct) leaves at the
        frame state before the call, and the baseline makes the call as it would have."""
        found = self.method_target(op, types)
        state = self.deopt_state(op, values)
        if found is None or state is None:
            return None
        holder, target = found
        arg_types = (types[op.receiver], *(types[a] for a in op.args))
        sub = self.specs[(target.sym_name.data, arg_types)]
        out: list[Operation] = []
        receiver = self.boxed(op.receiver, out, values)
        check = R.IsInstanceOp(receiver, holder)
        out += [check, R.GuardOp(check.result, state)]
        return out + self.direct_call(op, sub, [receiver, *(values[a] for a in op.args)], values, spec)

    def direct_call(self, op: Operation, sub: Specialization, args: list[SSAValue], values,
                    spec: Specialization) -> list[Operation]:
        """A direct call of the twin `sub` with `args` in place of op (a call or a method call), its result
        unboxed when the twin's is a scalar."""
        scalar_callee = sub.ret is not None and is_scalar(sub.ret) and not sub.objects
        state = self.failing_state(op, values, spec) if scalar_callee else None
        call = R.CallDirectOp(sub.name, [*args, self.frame_depth], [R.VALUE], state)
        if "ip" in op.attributes:  # where an error leaving the callee finds this frame's line
            call.attributes["ip"] = op.attributes["ip"]
        out: list[Operation] = [call]
        if is_scalar(call_result_kind(sub)):
            if scalar_callee:
                unbox = R.UnboxOp(call.results[0], MLIR_TYPE[sub.ret])
                out.append(unbox)
                values[op.results[0]] = unbox.results[0]
            else:
                # A twin working on objects that deoptimizes finishes the call in the baseline, whose result
                # may be of any kind: guard it, leaving past the call (its side effects are done).
                popped = len(args) + (1 if isinstance(op, R.CallOp) else 0)  # a call's callee is on the stack
                after = self.state_past_call(op, call.results[0], popped, values)
                out += [after, *self.speculate(call.results[0], sub.ret, op.results[0], after.result, values)]
        else:
            values[op.results[0]] = call.results[0]
        return out

    def state_past_call(self, op: Operation, result: SSAValue, popped: int, values: dict) -> R.FrameStateOp:
        """The frame state right after the call `op` (the instruction after it, its `popped` operands off
        the stack and `result` on it), made from the twin's state before it."""
        before = state_before(op)
        state = values.get(before) if before is not None else None
        if state is None or not isinstance(state.owner, R.FrameStateOp) or len(state.owner.stack_values) < popped:
            raise NotSpecializable(f"{op.name}: no frame state to resume after the call")
        old = state.owner
        stack = list(old.stack_values)[:len(old.stack_values) - popped]
        return R.FrameStateOp(old.ip.value.data + 1, old.slots.get_values(), [*old.local_values, *stack, result])

    def rewrite_call(self, op: R.CallOp, types, values, spec: Specialization, line: int) -> Optional[list[Operation]]:
        callee = op.callee.owner
        if not (isinstance(callee, R.LoadGlobalOp) and self.is_callee_only(callee)):
            return None
        name = callee.properties["name"].data
        target = self.callee_func(name)
        arg_types = tuple(types[a] for a in op.args)
        if target is not None:
            sub = self.specs[(target.sym_name.data, arg_types)]
            return self.direct_call(op, sub, [values[a] for a in op.args], values, spec)
        builtin = self.builtin(name)
        if builtin is None or _builtin_result(builtin, arg_types) is None:
            return None
        out = []
        if builtin == "len":
            n = R.ListLenOp(values[op.args[0]])
            values[op.results[0]] = n.result
            return [n]
        if builtin in FLOAT_BUILTINS:
            x = self.as_f64(op.args[0], op, types, values, out)
            new: Operation = FLOAT_BUILTINS[builtin](x)
            out.append(new)
            if builtin != "abs":  # the builtin rounds through a Python int: ceil(-0.5) is 0.0, never -0.0
                zero = arith.ConstantOp(FloatAttr(0.0, f64))
                new = arith.AddfOp(new.results[0], zero.result)
                out += [zero, new]
            values[op.results[0]] = new.results[0]
            return out
        if builtin == "substring":
            s, a, b = (values[x] for x in op.args)
            new = R.StrSliceOp(s, a, b)
            values[op.results[0]] = new.result
            return [new]
        if builtin == "to_string":
            if arg_types[0] == "string":
                values[op.results[0]] = values[op.args[0]]
                return []
            text = R.IntTextOp(values[op.args[0]])
            values[op.results[0]] = text.result
            return [text]
        if builtin in STR_METHODS:
            if builtin == "split":
                sep = op.args[1].owner
                if not (isinstance(sep, R.ConstantOp) and type(sep.py_value) is str and sep.py_value):
                    return None  # (a separator that may be empty: the runtime's split)
            new = R.StrMethodOp(STR_METHODS[builtin], [values[a] for a in op.args])
            values[op.results[0]] = new.result
            return [new]
        if builtin == "join":
            state = self.deopt_state(op, values)
            if state is None:
                return None
            new = R.StrJoinOp(values[op.args[0]], values[op.args[1]], state)
            values[op.results[0]] = new.result
            return [new]
        if builtin == "get_default":
            out = []
            d, text, x = (self.boxed(a, out, values) for a in op.args)
            key = R.TextKeyOp(text)
            out.append(key)
            get = R.DictGetOp(d, key.result, x)
            kind = types[op.results[0]]
            state = self.deopt_state(op, values) if is_scalar(kind) else None
            if is_scalar(kind) and state is None:
                return None
            return [*out, get, *self.speculate(get.result, kind, op.results[0], state, values)]  # type: ignore[arg-type]
        if builtin == "sqrt":
            state = self.deopt_state(op, values)
            if state is None:
                return None
            x = self.as_f64(op.args[0], op, types, values, out)
            zero = arith.ConstantOp(FloatAttr(0.0, f64))
            ok = arith.CmpfOp(x, zero, "oge")  # NaN and negatives: the builtin's domain error or answer
            root = math.SqrtOp(x)
            values[op.results[0]] = root.result
            return out + [zero, ok, R.GuardOp(ok, state), root]
        return None

    def generic(self, op: Operation, types, values) -> list[Operation]:
        """A boxed operation (or one whose operands the twin has raw): the same op on boxed operands, run
        by the runtime in native code (see lower-to-llvm)."""
        out: list[Operation] = []
        for o in op.operands:
            if o not in values and isinstance(o.owner, R.LoadGlobalOp):  # a callee the twin calls generically
                load = o.owner.clone()
                out.append(load)
                values[o] = load.result
            elif o in values and DEOPT_ONLY in getattr(values[o].owner, "attributes", {}):
                del values[o].owner.attributes[DEOPT_ONLY]  # a frame state's lazy load: now needed here too
        operands = [self.boxed(o, out, values) if o.type == R.VALUE else values[o] for o in op.operands]
        new = op.clone()
        for k, o in enumerate(operands):
            new.operands[k] = o
        for old_r, new_r in zip(op.results, new.results):
            values[old_r] = new_r
        return out + [new]

    def boxed(self, x: SSAValue, out: list[Operation], values) -> SSAValue:
        """x as a !ruff.value (boxing a raw value the twin has)."""
        value = values[x]
        if value.type == R.VALUE:
            return value
        box = R.BoxOp(value)
        out.append(box)
        return box.result

    def branch_args(self, args, target: Block, out: list[Operation], values) -> list[SSAValue]:
        mapped = []
        for a, param in zip(args, target.args):
            value = values[a]
            if param.type == R.VALUE and value.type != R.VALUE:
                box = R.BoxOp(value)
                out.append(box)
                value = box.result
            mapped.append(value)
        return mapped

    def as_f64(self, x: SSAValue, user: Operation, types, values, out: list[Operation]) -> SSAValue:
        """`x` as f64 for `user`: an int is converted once per block (a conversion made in one block
        need not dominate another), appending the conversion to `out`."""
        if types[x] != INT:
            return values[x]
        key = (x, user.parent_block())
        if key not in self.f64_of:
            conv = arith.SIToFPOp(values[x], f64)
            out.append(conv)
            self.f64_of[key] = conv.results[0]
        return self.f64_of[key]

    # ------------------------------------------------------------------ the guard

    def guard(self, spec: Specialization) -> None:
        """Replace the boxed function's entry by: type checks → call the twin, else the boxed code."""
        func = spec.source
        body = func.body
        old_entry = body.blocks.first
        guard_block = Block(arg_types=[R.VALUE] * len(func.args))
        fast = Block()
        checks: list[Operation] = []
        cond: Optional[SSAValue] = None
        for arg, t in zip(guard_block.args, spec.types):
            name = TYPE_NAME.get(base(t))
            if name is None:
                continue
            check = R.IsTypeOp(arg, name)
            checks.append(check)
            if cond is None:
                cond = check.results[0]
            else:
                both = arith.AndIOp(cond, check.results[0])
                checks.append(both)
                cond = both.results[0]
        args: list[Operation] = [R.UnboxOp(a, MLIR_TYPE[t]) for a, t in zip(guard_block.args, spec.types) if is_scalar(t)]
        unboxed = iter(args)
        passed = [next(unboxed).results[0] if is_scalar(t) else a for a, t in zip(guard_block.args, spec.types)]
        depth = R.ConstantOp(0, i64)  # the boxed function is the baseline's view: its depth is not counted here
        call = R.CallDirectOp(spec.name, [*passed, depth.result], [R.VALUE])
        fast.add_ops([*args, depth, call, R.ReturnOp(call.results[0])])
        # The old entry becomes the slow path: it receives the arguments as block arguments.
        slow = old_entry
        if cond is None:
            guard_block.add_op(cf.BranchOp(fast))
        else:
            guard_block.add_ops(checks)
            guard_block.add_op(cf.ConditionalBranchOp(cond, fast, [], slow, list(guard_block.args)))
        body.insert_block_before(guard_block, old_entry)
        body.insert_block_after(fast, guard_block)

    # ------------------------------------------------------------------ driver

    def run(self, roots: list[tuple[R.FuncOp, tuple[str, ...]]]) -> list[str]:
        """Specialize each root (and the functions it calls); returns one reason per root left alone."""
        failures: list[str] = []
        finished: list[tuple[Specialization, dict]] = []
        guarded: list[Specialization] = []
        for func, types in roots:
            saved = dict(self.specs)
            self.pending = [self.request(func, types)] if (func.sym_name.data, types) not in saved else []
            batch: list[tuple[Specialization, dict]] = []
            try:
                specs: list[Specialization] = []
                changed = True
                while changed or self.pending:
                    while self.pending:
                        specs.append(self.pending.pop(0))
                    before = [x.ret for x in specs]
                    for spec in list(specs):
                        self.infer(spec, final=False)
                    changed = before != [x.ret for x in specs] or bool(self.pending)
                batch = [(spec, self.infer(spec)) for spec in specs]
                for spec, types_ in batch:  # every twin must be buildable before any is added
                    spec.twin = self.build_twin(spec, types_)
            except NotSpecializable as e:
                failures.append(str(e))
                self.specs = saved
                continue
            finished.extend(batch)
            guarded.append(self.specs[(func.sym_name.data, types)])
        for spec, _ in finished:
            self.module.body.block.add_op(spec.twin)
        for spec in guarded:
            self.guard(spec)
        return failures


def _kind_of_type(t) -> str:
    for kind, mt in MLIR_TYPE.items():
        if mt == t:
            return kind
    return VALUE_KIND


def _builtin_result(name: str, args: tuple[str, ...]) -> Optional[str]:
    """The kind a natively done builtin returns for these argument kinds (None: not done natively)."""
    if name == "len" and len(args) == 1 and base(args[0]) in ("array", "string", "dict"):
        return INT  # (ruff.list_len: a list's size, a str's length and a dict's count share one offset)
    if name == "sqrt" and len(args) == 1 and args[0] in (INT, FLOAT):
        return FLOAT
    if name in ("floor", "ceil") and len(args) == 1 and args[0] in (INT, FLOAT):
        return FLOAT
    if name == "abs" and len(args) == 1 and args[0] == FLOAT:
        return FLOAT
    if name == "substring" and args == ("string", INT, INT):
        return "string"
    if name == "to_string" and args in ((INT,), ("string",)):
        return "string"
    if name in STR_METHODS and args == ("string",) * {"replace": 3, "split": 2}.get(name, 1):
        return "array" if name == "split" else "string"
    if name == "join" and len(args) == 2 and base(args[0]) == "array" and args[1] == "string":
        return "string"
    if name == "get_default" and len(args) == 3 and args[:2] == ("dict", "string"):
        return VALUE_KIND
    return None


def _speculated_get(name: str, args: tuple[str, ...], op: Operation) -> Optional[str]:
    """`get_default(d, k, 0)`: the dict's values are speculated to have the default's kind (counters), a
    guess a type guard checks (deoptimizing at the call, which has done nothing yet)."""
    if name == "get_default" and len(args) == 3 and args[2] in (INT, FLOAT) and state_before(op) is not None:
        return args[2]
    return None


NOT_YET = "not yet"  # number_hint: the answer waits for kinds the inference has not reached


def number_hint(value: SSAValue, t: Any) -> Optional[str]:
    """An element of an array of unknown element kind, used in arithmetic or a comparison with an int (a
    float): speculate that it is one too (guarded: a wrong guess deoptimizes). Compared with another element
    of the same array (`a[i - 1] > a[i]`), it takes the kind another read of that array is speculated to
    have (arrays are mostly of one kind) — NOT_YET while that read's operands are still untyped."""
    hint, _ = _own_number_hint(value, t)
    return hint if hint is not None else _sibling_number_hint(value, t)


def _sibling_number_hint(value: SSAValue, t: Any) -> Optional[str]:
    get = value.owner
    if not isinstance(get, R.IndexGetOp):
        return None
    ordered = False
    for u in value.uses:
        other = u.operation.operands[1 - u.index] if isinstance(u.operation, R.BoxedBinary) else None
        if other is not None and isinstance(other.owner, R.IndexGetOp) and other.owner.object is get.object:
            ordered = ordered or isinstance(u.operation, _ORDERING)
            break
    else:
        return None
    waiting = False
    for use in get.object.uses:
        other = use.operation
        if isinstance(other, R.IndexGetOp) and other is not get and use.index == 0:
            hint, unknown = _own_number_hint(other.result, t, among=get.object)
            if hint is not None:
                return hint
            waiting = waiting or unknown
    if waiting:
        return NOT_YET
    # Nothing else says: elements of one array put in order (a sort) are most often ints. A wrong guess
    # deoptimizes, and native code that deoptimizes too often is thrown away (tiering.MAX_DEOPTS).
    return INT if ordered else None


_ORDERING = (R.LtOp, R.LeOp, R.GtOp, R.GeOp)


def _own_number_hint(value: SSAValue, t: Any, among: Optional[SSAValue] = None) -> tuple[Optional[str], bool]:
    """The kind value's own uses suggest, and whether an operand it met is still untyped (leaving out
    operations with another element of array `among`, which wait on the same question)."""
    todo, seen = [value], {value}
    unknown = False
    while todo:
        cur = todo.pop()
        for use in cur.uses:
            user = use.operation
            if isinstance(user, R.BoxedBinary):
                other = user.operands[1 - use.index]
                owner = other.owner
                if among is not None and isinstance(owner, R.IndexGetOp) and owner.object is among:
                    continue
                if isinstance(owner, R.ConstantOp) and type(owner.py_value) in (int, float):
                    return INT if type(owner.py_value) is int else FLOAT, False  # known before any inference
                kind = t(other)
                if kind in (INT, FLOAT):
                    return kind, False
                unknown = unknown or kind is None
            elif isinstance(user, cf.BranchOp | cf.ConditionalBranchOp):  # on into the block argument
                for k, succ in enumerate(user.successors):
                    for pos, a in enumerate(successor_operands(user, k)):
                        if a is cur and succ.args[pos] not in seen:
                            seen.add(succ.args[pos])
                            todo.append(succ.args[pos])
    return None, unknown


ARITHMETIC = (R.AddOp, R.SubOp, R.MulOp, R.DivOp, R.ModOp, R.NegOp)


def arithmetic_hints(func: R.FuncOp, arg_kinds: tuple[str, ...], builtin: Any) -> dict[SSAValue, str]:
    """The kind each struct field read of `func` is guessed to hold, from the arithmetic it takes part in.

    `bi.x - bj.x` has no number on either side, but its result goes on into `dt / (d2 * sqrt(d2))`: values
    joined by arithmetic, comparisons, `sqrt` and block arguments form one cluster, and a field read in a
    cluster whose known values (constants, the arguments' kinds, sqrt's or floor's result) are numbers is
    guessed to be one: a float if any of them is, else an int. A string or other kind taking part: no guess.
    A cluster with arithmetic in it and nothing known at all (`self.x + o.x`, every operand a field) is
    guessed to hold ints: the guess is guarded where the field is read; a wrong one deoptimizes (and code
    that deoptimizes too often is thrown away, as without the guess it would not have been made).
    """
    parent: dict[SSAValue, SSAValue] = {}

    def find(v: SSAValue) -> SSAValue:
        root = v
        while parent.get(root, root) is not root:
            root = parent[root]
        while v is not root:  # path compression
            parent[v], v = root, parent.get(v, v)
        return root

    def union(a: SSAValue, b: SSAValue) -> None:
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[ra] = rb

    seeds: list[tuple[SSAValue, str]] = [(a, k) for a, k in zip(func.args, arg_kinds)]
    reads: list[SSAValue] = []
    computed: list[SSAValue] = []  # results of arithmetic
    for op in func.walk():
        if isinstance(op, R.FieldGetOp):
            reads.append(op.result)
        elif isinstance(op, R.ConstantOp):
            v = op.py_value
            seeds.append((op.result, INT if type(v) is int else FLOAT if type(v) is float else
                          "string" if type(v) is str else VALUE_KIND))
        elif isinstance(op, ARITHMETIC):
            computed.append(op.results[0])
            for o in op.operands:
                union(o, op.results[0])
        elif isinstance(op, R.BoxedBinary):  # comparisons: both sides are numbers, or neither
            union(op.lhs, op.rhs)
        elif isinstance(op, R.CallOp) and isinstance(op.callee.owner, R.LoadGlobalOp) and len(op.args) == 1 \
                and builtin(op.callee.owner.properties["name"].data) in NUMBER_BUILTINS:
            union(op.args[0], op.results[0])  # a number in, a number out
            if builtin(op.callee.owner.properties["name"].data) != "abs":
                seeds.append((op.results[0], FLOAT))
        elif isinstance(op, cf.BranchOp | cf.ConditionalBranchOp):
            for k, succ in enumerate(op.successors):
                for a, param in zip(successor_operands(op, k), succ.args):
                    union(a, param)
    if not reads:
        return {}
    kinds: dict[SSAValue, set[str]] = {}
    for v, kind in seeds:
        kinds.setdefault(find(v), set()).add(kind)
    with_arithmetic = {find(v) for v in computed}
    hints: dict[SSAValue, str] = {}
    for r in reads:
        root = find(r)
        seen = kinds.get(root, set())
        if seen and seen <= {INT, FLOAT}:
            hints[r] = FLOAT if FLOAT in seen else INT
        elif not seen and root in with_arithmetic:
            hints[r] = INT
    return hints


def float_equality(x: SSAValue, y: SSAValue, negate: bool) -> list[Operation]:
    """Ruff's float `==`: exactly equal, or both finite and closer than 1e-10 (NaN equals nothing).

    A NaN or infinite operand makes the difference NaN or infinite, which is never below the epsilon,
    so the finiteness test comes for free.
    """
    exact = arith.CmpfOp(x, y, "oeq")
    diff = arith.SubfOp(x, y)
    size = math.AbsFOp(diff.results[0])
    eps = arith.ConstantOp(FloatAttr(1e-10, f64))
    close = arith.CmpfOp(size.results[0], eps.results[0], "olt")
    either = arith.OrIOp(exact.results[0], close.results[0])
    ops: list[Operation] = [exact, diff, size, eps, close, either]
    if negate:
        true = arith.ConstantOp.from_int_and_width(1, 1)
        ops += [true, arith.XOrIOp(either.results[0], true.results[0])]
    return ops


@dataclass(frozen=True)
class SpecializeTypesPass(ModulePass):
    """Specialize every `ruff.func` that has argument kinds: its `arg_types` attribute, or the `arg-types`
    option, which wins over the attribute and reproduces what the JIT ran where no literal call site tells
    ruff-opt the types. Each entry is either a kind, together one signature for every lifted function with
    that many parameters (`specialize-types{arg-types=int,float}`), or, quoted, one function's signature
    (`specialize-types{arg-types="sq(int)","norm(array:float)"}`); kinds as the JIT names them (KINDS)."""

    name = "specialize-types"

    arg_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.signatures()  # a malformed option is an error in the pipeline, before any pass runs

    def signatures(self) -> tuple[Optional[tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """(the signature for any function of its arity or None, {function name: its signature})."""
        generic: list[str] = []
        named: dict[str, tuple[str, ...]] = {}
        for entry in self.arg_types:
            entry = entry.strip()
            if "(" in entry:
                name, _, rest = entry.partition("(")
                if not rest.endswith(")") or not name.strip():
                    raise ValueError(f"arg-types: '{entry}' is not a signature like \"f(int,float)\"")
                kinds = tuple(k.strip() for k in rest[:-1].split(",") if k.strip())
                named[name.strip()] = kinds
            else:
                kinds = (entry,)
                generic.append(entry)
            for kind in kinds:
                if not valid_kind(kind):
                    raise ValueError(f"arg-types: unknown kind '{kind}' (kinds: {', '.join(KINDS)}, "
                                     f"array:<int|float|bool>)")
        return (tuple(generic) if generic else None), named

    def types_for(self, func: R.FuncOp) -> Optional[tuple[str, ...]]:
        """The argument kinds `func` is specialized for: from the option, else its `arg_types`; twins have none."""
        if "specialized_for" in func.attributes or func.is_declaration:
            return None
        generic, named = self.signatures()
        names = [func.sym_name.data] + ([func.lifted_from.data] if func.lifted_from is not None else [])
        for name in names:
            if name in named:
                return named[name]
        if generic is not None and len(generic) == len(func.args):
            return generic
        return arg_types_of(func)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        roots = []
        for f in op.ops:
            types = self.types_for(f) if isinstance(f, R.FuncOp) else None
            if types is not None:
                if types != arg_types_of(f):
                    f.attributes["arg_types"] = ArrayAttr([StringAttr(k) for k in types])
                roots.append((f, types))
        failures = Specializer(op).run(roots)  # type: ignore[arg-type]
        for message in failures:
            op.attributes.setdefault("specialize_failures", ArrayAttr([]))
            op.attributes["specialize_failures"] = ArrayAttr([*op.attributes["specialize_failures"].data,
                                                              StringAttr(message)])
