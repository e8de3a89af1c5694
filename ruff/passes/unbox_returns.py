"""unbox-returns: specialized functions return their raw i64/f64/i1 instead of a boxed value.

A twin made by specialize-types (attribute `returns = "int"|"float"|"bool"`) boxes right before each
`ruff.return`. This pass changes its signature to return the raw type and drops those boxes; every
`ruff.call_direct` of it then yields the raw value: an `ruff.unbox` of the result disappears, and only a
use that needs a boxed value (the guarded entry handing the result back to the baseline tier) gets a
`ruff.box` right after the call. A twin that can deoptimize, or that works on objects, keeps its boxed result.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.ir import Attribute
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier, PatternRewriter, PatternRewriteWalker, RewritePattern, op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from ruff.dialects import ruff as R
from ruff.passes.specialize_types import MLIR_TYPE


def has_deopt_exits(func: R.FuncOp) -> bool:
    """A function that can deoptimize returns whatever the baseline's interpreter returns from there: a boxed
    value, whatever its inferred kind."""
    return any(isinstance(o, R.FrameStateOp) and o.result.uses for o in func.walk())


# Ops on boxed values that raw code also has (the boxing at a twin's return, constants, calls of twins, the
# lazily loaded callees only frame states read): they do not make a function one that works on objects.
_RAW_CODE_OPS = (R.BoxOp, R.UnboxOp, R.ConstantOp, R.CallDirectOp, R.ReturnOp, R.FrameStateOp)


def works_on_objects(func: R.FuncOp) -> bool:
    """Whether func runs operations on objects: its errors leave as Python exceptions, which only a boxed
    result (NULL) can carry, so it keeps returning a boxed value."""
    for o in func.walk():
        if isinstance(o, _RAW_CODE_OPS) or "ruff.deopt_only" in o.attributes:
            continue
        if any(v.type == R.VALUE for v in (*o.operands, *o.results)):
            return True
    return False


def raw_returns(module: ModuleOp) -> dict[str, Attribute]:
    """The twins that can return a raw value: name → the raw type (MLIR_TYPE of its `returns` kind)."""
    raw = {}
    for func in module.ops:
        if isinstance(func, R.FuncOp) and "returns" in func.attributes and func.function_type.outputs.data == (R.VALUE,) \
                and func.attributes["returns"].data in MLIR_TYPE and not has_deopt_exits(func) \
                and not works_on_objects(func):
            raw[func.sym_name.data] = MLIR_TYPE[func.attributes["returns"].data]
    return raw


@dataclass
class ReturnRaw(RewritePattern):
    """A `ruff.return` of a boxed value in a function that returns raw: the box it returns is dropped (or,
    for a value not boxed right there, an unbox is added)."""

    raw: dict[str, Attribute]

    @op_type_rewrite_pattern
    def match_and_rewrite(self, ret: R.ReturnOp, rewriter: PatternRewriter) -> None:
        func = ret.parent_op()
        ty = self.raw.get(func.sym_name.data) if isinstance(func, R.FuncOp) else None
        if ty is None or ret.arguments[0].type != R.VALUE:
            return
        value = ret.arguments[0]
        box = value.owner
        if isinstance(box, R.BoxOp) and box.input.type == ty:
            rewriter.replace(ret, _at(R.ReturnOp(box.input), ret))
            if not box.results[0].uses:
                rewriter.erase(box)
        else:
            unbox = _at(R.UnboxOp(value, ty), ret)
            rewriter.insert(unbox, InsertPoint.before(ret))
            rewriter.replace(ret, _at(R.ReturnOp(unbox.results[0]), ret))


@dataclass
class CallRaw(RewritePattern):
    """A `ruff.call_direct` of a function that returns raw yields the raw value: an unbox of its result
    goes, any other use gets a box made right after the call."""

    raw: dict[str, Attribute]

    @op_type_rewrite_pattern
    def match_and_rewrite(self, call: R.CallDirectOp, rewriter: PatternRewriter) -> None:
        ty = self.raw.get(call.callee.root_reference.data)
        if ty is None or call.results[0].type != R.VALUE:
            return
        new = _at(R.CallDirectOp(call.callee, list(call.args), [ty], call.state), call)
        new.attributes.update(call.attributes)
        rewriter.insert(new, InsertPoint.before(call))
        old = call.results[0]
        for use in list(old.uses):
            user = use.operation
            if isinstance(user, R.UnboxOp) and user.results[0].type == ty:
                rewriter.replace_all_uses_with(user.results[0], new.results[0])
                rewriter.erase(user)
        if old.uses:
            boxed = _at(R.BoxOp(new.results[0]), call)
            rewriter.insert(boxed, InsertPoint.after(new))
            rewriter.replace_all_uses_with(old, boxed.results[0])
        rewriter.erase(call)


class UnboxReturnsPass(ModulePass):
    name = "unbox-returns"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raw = raw_returns(op)
        if not raw:
            return
        PatternRewriteWalker(GreedyRewritePatternApplier([ReturnRaw(raw), CallRaw(raw)]),
                             apply_recursively=False).rewrite_module(op)
        for func in op.ops:
            if isinstance(func, R.FuncOp) and func.sym_name.data in raw:
                ftype = func.function_type
                func.function_type = FunctionType.from_lists(list(ftype.inputs.data), [raw[func.sym_name.data]])


def _at(new, old):
    """`new`, at `old`'s source location (a replacement keeps the position of what it replaces)."""
    new.location = old.location
    return new
