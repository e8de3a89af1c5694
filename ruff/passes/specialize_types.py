"""specialize-types: boxed `!ruff.value` code → i64 / f64 / i1 code, from recorded argument types.

A `ruff.func` carrying `arg_types = ["int", ...]` (the profile the baseline executor recorded, or what
ruff-opt inferred) gets a typed twin `@<name>__<types>` whose values are raw machine values, and its own
body becomes a guard: `ruff.is_type` on every argument, then either a `ruff.call_direct` of the twin
(unboxing the arguments and boxing the result) or the original boxed code.

Types flow forward from the arguments and the constants: int op int is a checked i64 op, anything with a
float is f64 arithmetic, comparisons and truthiness are i1. A call `load_global "g"` + `ruff.call` becomes a
direct call when `g` names a function of the module (its twin is specialized for the argument types at
the call site). The twin returns a boxed value here; `unbox-returns` makes it return the raw value.
Any value whose type is not int/float/bool (strings, arrays, unknown globals, ...) leaves the function
unspecialized: a function is specialized completely or not at all, so native code never has to box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from xdsl.context import Context
from xdsl.dialects import arith, cf, math
from xdsl.dialects.builtin import ArrayAttr, FloatAttr, FunctionType, ModuleOp, StringAttr, UnitAttr, f64, i1, i64
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from ruff.dialects import ruff as R

INT, FLOAT, BOOL = "int", "float", "bool"
MLIR_TYPE = {INT: i64, FLOAT: f64, BOOL: i1}
SUFFIX = {INT: "i", FLOAT: "f", BOOL: "b"}
CHECKED_INT = {R.AddOp: R.IAddOp, R.SubOp: R.ISubOp, R.MulOp: R.IMulOp, R.DivOp: R.IDivOp, R.ModOp: R.IModOp}
FLOAT_OPS = {R.AddOp: arith.AddfOp, R.SubOp: arith.SubfOp, R.MulOp: arith.MulfOp, R.DivOp: R.FDivOp, R.ModOp: R.FModOp}
COMPARE = {R.LtOp: ("slt", "olt"), R.LeOp: ("sle", "ole"), R.GtOp: ("sgt", "ogt"), R.GeOp: ("sge", "oge"),
           R.EqOp: ("eq", "oeq"), R.NeOp: ("ne", "une")}


class NotSpecializable(Exception):
    pass


def successor_operands(op: Operation, index: int) -> list[SSAValue]:
    """The values a branch passes to its index-th successor's block arguments."""
    if isinstance(op, cf.BranchOp):
        return list(op.arguments)
    if isinstance(op, cf.ConditionalBranchOp):
        return list(op.then_arguments if index == 0 else op.else_arguments)
    return []


def twin_name(name: str, types: tuple[str, ...]) -> str:
    return f"{name}__{''.join(SUFFIX[t] for t in types) or 'v'}"


def arg_types_of(func: R.FuncOp) -> Optional[tuple[str, ...]]:
    attr = func.attributes.get("arg_types")
    if attr is None:
        return None
    return tuple(a.data for a in attr.data)  # type: ignore[attr-defined]


@dataclass
class Specialization:
    source: R.FuncOp
    types: tuple[str, ...]
    name: str
    ret: Optional[str] = None  # inferred return type
    twin: Optional[R.FuncOp] = None


class Specializer:
    def __init__(self, module: ModuleOp) -> None:
        self.module = module
        self.funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, R.FuncOp)}
        self.by_lifted = {}
        for f in self.funcs.values():
            if f.lifted_from is not None:
                self.by_lifted.setdefault(f.lifted_from.data, f)
        self.specs: dict[tuple[str, tuple[str, ...]], Specialization] = {}
        self.f64_of: dict[tuple[SSAValue, Block], SSAValue] = {}  # int value (per block) → its f64
        self.pending: list[Specialization] = []
        self.frame_depth: Optional[SSAValue] = None  # the depth of the twin being built (its enter_frame)

    def callee_func(self, name: str) -> Optional[R.FuncOp]:
        return self.funcs.get(name) or self.by_lifted.get(name)

    def request(self, func: R.FuncOp, types: tuple[str, ...]) -> Specialization:
        key = (func.sym_name.data, types)
        spec = self.specs.get(key)
        if spec is None:
            spec = Specialization(func, types, twin_name(func.sym_name.data, types))
            self.specs[key] = spec
            self.pending.append(spec)
        return spec

    # ------------------------------------------------------------------ type inference

    def infer(self, spec: Specialization, final: bool = True) -> dict[SSAValue, str]:
        """Types of the values of `spec`'s function; `final=False` tolerates calls whose return type
        is not known yet (mutual recursion settles over several rounds)."""
        func = spec.source
        types: dict[SSAValue, str] = {}
        for arg, t in zip(func.args, spec.types):
            types[arg] = t
        if len(func.args) != len(spec.types):
            raise NotSpecializable(f"{func.sym_name.data}: expected {len(func.args)} argument types")
        changed = True
        rets: set[str] = set()
        while changed:
            changed = False
            for block in func.body.blocks:
                for op in block.ops:
                    for res, t in self.op_types(op, types, spec):
                        if t is None:
                            continue
                        if res in types and types[res] != t:
                            raise NotSpecializable(f"{func.sym_name.data}: a value is both {types[res]} and {t}")
                        if res not in types:
                            types[res] = t
                            changed = True
                    if isinstance(op, R.ReturnOp) and op.arguments and op.arguments[0] in types:
                        rets.add(types[op.arguments[0]])
                    for succ_index, succ in enumerate(op.successors):
                        for arg, val in zip(succ.args, successor_operands(op, succ_index)):
                            if val in types:
                                t = types[val]
                                if arg in types and types[arg] != t:
                                    raise NotSpecializable(
                                        f"{func.sym_name.data}: a merged value is both {types[arg]} and {t}")
                                if arg not in types:
                                    types[arg] = t
                                    changed = True
        if len(rets) > 1:
            raise NotSpecializable(f"{func.sym_name.data}: returns both {' and '.join(sorted(rets))}")
        ret = rets.pop() if rets else None
        if spec.ret is not None and ret is not None and spec.ret != ret:
            raise NotSpecializable(f"{func.sym_name.data}: return type changed from {spec.ret} to {ret}")
        if ret is not None and spec.ret is None:
            spec.ret = ret
            return self.infer(spec, final)  # self-calls can now be typed
        if not final:
            return types
        for block in func.body.blocks:
            for op in block.ops:
                if isinstance(op, R.LoadGlobalOp) and all(isinstance(u.operation, R.CallOp) and u.index == 0
                                                          for u in op.results[0].uses):
                    continue  # a callee: the call is typed instead
                for res in op.results:
                    if res not in types and res.uses:
                        raise NotSpecializable(f"{func.sym_name.data}: cannot type the result of {op.name}")
                for arg in block.args:
                    if arg not in types and arg.uses:
                        raise NotSpecializable(f"{func.sym_name.data}: cannot type a block argument")
        return types

    def op_types(self, op: Operation, types: dict[SSAValue, str], spec: Specialization):
        def t(v: SSAValue) -> Optional[str]:
            return types.get(v)

        if isinstance(op, R.ConstantOp):
            v = op.py_value
            if type(v) is bool:
                return [(op.result, BOOL)]
            if type(v) is int:
                return [(op.result, INT)]
            if type(v) is float:
                return [(op.result, FLOAT)]
            return [(op.result, None)]
        if type(op) in CHECKED_INT:
            a, b = t(op.lhs), t(op.rhs)
            if a is None or b is None:
                return [(op.results[0], None)]
            if a == INT and b == INT:
                return [(op.results[0], INT)]
            if a in (INT, FLOAT) and b in (INT, FLOAT):
                return [(op.results[0], FLOAT)]
            raise NotSpecializable(f"{spec.source.sym_name.data}: {op.name} on {a} and {b}")
        if type(op) in COMPARE:
            a, b = t(op.lhs), t(op.rhs)
            if a is None or b is None:
                return [(op.results[0], None)]
            numeric = a in (INT, FLOAT) and b in (INT, FLOAT)
            if numeric or (a == b == BOOL and type(op) in (R.EqOp, R.NeOp)):
                return [(op.results[0], BOOL)]
            raise NotSpecializable(f"{spec.source.sym_name.data}: {op.name} on {a} and {b}")
        if isinstance(op, R.NegOp):
            a = t(op.operand)
            if a is None:
                return [(op.results[0], None)]
            if a not in (INT, FLOAT):
                raise NotSpecializable(f"{spec.source.sym_name.data}: ruff.neg on {a}")
            return [(op.results[0], a)]
        if isinstance(op, R.NotOp):
            return [(op.results[0], BOOL if t(op.operand) else None)]
        if isinstance(op, (R.TruthyOp, R.BoxOp)):
            inner = t(op.operands[0])
            return [(op.results[0], BOOL if isinstance(op, R.TruthyOp) and inner else inner)]
        if isinstance(op, R.LoadGlobalOp):
            return []  # typed through the call that uses it
        if isinstance(op, R.CallOp):
            callee = op.callee.owner
            if not isinstance(callee, R.LoadGlobalOp):
                raise NotSpecializable(f"{spec.source.sym_name.data}: calls a value that is not a global function")
            target = self.callee_func(callee.properties["name"].data)
            if target is None:
                raise NotSpecializable(f"{spec.source.sym_name.data}: calls {callee.properties['name'].data}, "
                                       "which is not a lifted function")
            arg_types = tuple(t(a) for a in op.args)
            if any(x is None for x in arg_types):
                return [(op.results[0], None)]
            sub = self.request(target, arg_types)  # type: ignore[arg-type]
            return [(op.results[0], sub.ret)]
        if isinstance(op, (R.ReturnOp, cf.BranchOp, cf.ConditionalBranchOp)):
            return []
        raise NotSpecializable(f"{spec.source.sym_name.data}: uses {op.name}")

    # ------------------------------------------------------------------ rewriting

    def build_twin(self, spec: Specialization, types: dict[SSAValue, str]) -> R.FuncOp:
        src = spec.source
        ret = spec.ret or INT
        self.f64_of = {}  # conversions belong to one twin: another twin of the same source has its own
        # The twin takes the call depth last and starts its frame before anything else (see EnterFrameOp).
        ftype = FunctionType.from_lists([*(MLIR_TYPE[x] for x in spec.types), i64], [R.VALUE])
        blocks: dict[Block, Block] = {}
        values: dict[SSAValue, SSAValue] = {}
        for block in src.body.blocks:
            nb = Block(arg_types=[MLIR_TYPE[types[a]] if a in types else R.VALUE for a in block.args])
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
        self.frame_depth = enter.result
        entry.add_ops([enter, cf.BranchOp(blocks[first], *entry.args[:-1])])
        for block in src.body.blocks:
            nb = blocks[block]
            for op in block.ops:
                for new_op in self.rewrite(op, types, values, blocks, spec):
                    nb.add_op(new_op)
        twin = R.FuncOp(spec.name, ftype, Region([entry, *(blocks[b] for b in src.body.blocks)]),
                        lifted_from=src.lifted_from.data if src.lifted_from else None,
                        param_names=[*(p.data for p in src.param_names.data), "depth"] if src.param_names else None)
        twin.attributes[R.DEPTH_ARG] = UnitAttr()
        twin.attributes["specialized_for"] = ArrayAttr([StringAttr(x) for x in spec.types])
        twin.attributes["returns"] = StringAttr(ret)
        return twin

    def rewrite(self, op: Operation, types, values, blocks, spec) -> list[Operation]:
        def v(x: SSAValue) -> SSAValue:
            return values[x]

        def done(new: Operation, result_of: Optional[SSAValue] = None) -> list[Operation]:
            if result_of is not None:
                values[result_of] = new.results[0]
            return [new]

        if isinstance(op, R.ConstantOp):
            if op.result not in types:
                return []
            return done(R.ConstantOp(op.py_value, MLIR_TYPE[types[op.result]]), op.result)
        line = op.properties["line"].value.data if "line" in op.properties else 0
        if type(op) in CHECKED_INT:
            res_t = types[op.results[0]]
            if res_t == INT:
                return done(CHECKED_INT[type(op)](v(op.lhs), v(op.rhs), line), op.results[0])
            out: list[Operation] = []
            a, b = self.as_f64(op.lhs, op, types, values, out), self.as_f64(op.rhs, op, types, values, out)
            cls = FLOAT_OPS[type(op)]
            new = cls(a, b, line) if cls in (R.FDivOp, R.FModOp) else cls(a, b)
            values[op.results[0]] = new.results[0]
            return out + [new]
        if type(op) in COMPARE:
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
        if isinstance(op, R.NegOp):
            if types[op.operand] == INT:
                return done(R.INegOp(v(op.operand), line), op.results[0])
            return done(arith.NegfOp(v(op.operand)), op.results[0])
        if isinstance(op, (R.TruthyOp, R.NotOp)):
            inner_t = types[op.operand]
            x = v(op.operand)
            out: list[Operation] = []
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
        if isinstance(op, R.LoadGlobalOp):
            return []
        if isinstance(op, R.CallOp):
            callee = op.callee.owner
            target = self.callee_func(callee.properties["name"].data)
            arg_types = tuple(types[a] for a in op.args)
            sub = self.specs[(target.sym_name.data, arg_types)]
            call = R.CallDirectOp(sub.name, [*(v(a) for a in op.args), self.frame_depth], [R.VALUE])
            unbox = R.UnboxOp(call.results[0], MLIR_TYPE[sub.ret or INT])
            values[op.results[0]] = unbox.results[0]
            return [call, unbox]
        if isinstance(op, R.ReturnOp):
            box = R.BoxOp(v(op.arguments[0]))
            return [box, R.ReturnOp(box.results[0])]
        if isinstance(op, cf.BranchOp):
            return [cf.BranchOp(blocks[op.successor], *[v(a) for a in op.arguments])]
        if isinstance(op, cf.ConditionalBranchOp):
            return [cf.ConditionalBranchOp(v(op.cond), blocks[op.then_block], [v(a) for a in op.then_arguments],
                                           blocks[op.else_block], [v(a) for a in op.else_arguments])]
        raise NotSpecializable(f"{spec.source.sym_name.data}: cannot rewrite {op.name}")

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
            check = R.IsTypeOp(arg, t)
            checks.append(check)
            if cond is None:
                cond = check.results[0]
            else:
                both = arith.AndIOp(cond, check.results[0])
                checks.append(both)
                cond = both.results[0]
        unboxed = [R.UnboxOp(a, MLIR_TYPE[t]) for a, t in zip(guard_block.args, spec.types)]
        depth = R.ConstantOp(0, i64)  # the boxed function is the baseline's view: its depth is not counted here
        call = R.CallDirectOp(spec.name, [*(u.results[0] for u in unboxed), depth.result], [R.VALUE])
        fast.add_ops([*unboxed, depth, call, R.ReturnOp(call.results[0])])
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
            except NotSpecializable as e:
                failures.append(str(e))
                self.specs = saved
                continue
            finished.extend(batch)
            guarded.append(self.specs[(func.sym_name.data, types)])
        for spec, types in finished:
            spec.twin = self.build_twin(spec, types)
            self.module.body.block.add_op(spec.twin)
        for spec in guarded:
            self.guard(spec)
        return failures


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


class SpecializeTypesPass(ModulePass):
    """Specialize every `ruff.func` that has an `arg_types` attribute."""

    name = "specialize-types"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        roots = [(f, arg_types_of(f)) for f in op.ops if isinstance(f, R.FuncOp) and arg_types_of(f) is not None]
        failures = Specializer(op).run(roots)  # type: ignore[arg-type]
        for message in failures:
            op.attributes.setdefault("specialize_failures", ArrayAttr([]))
            op.attributes["specialize_failures"] = ArrayAttr([*op.attributes["specialize_failures"].data,
                                                              StringAttr(message)])
