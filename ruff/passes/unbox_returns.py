"""unbox-returns: specialized functions return their raw i64/f64/i1 instead of a boxed value.

A twin made by specialize-types (attribute `returns = "int"|"float"|"bool"`) boxes right before each
`ruff.return`. This pass changes its signature to return the raw type and drops those boxes; every
`ruff.call_direct` of it then yields the raw value: an `ruff.unbox` of the result disappears, and only a
use that needs a boxed value (the guarded entry handing the result back to the baseline tier) gets a
`ruff.box` right after the call. A twin that can deoptimize, or that works on objects, keeps its boxed result.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

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


class UnboxReturnsPass(ModulePass):
    name = "unbox-returns"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raw = {}
        for func in op.ops:
            if isinstance(func, R.FuncOp) and "returns" in func.attributes and func.function_type.outputs.data == (R.VALUE,) \
                    and func.attributes["returns"].data in MLIR_TYPE and not has_deopt_exits(func) \
                    and not works_on_objects(func):
                raw[func.sym_name.data] = MLIR_TYPE[func.attributes["returns"].data]
        if not raw:
            return
        for func in list(op.ops):
            if not isinstance(func, R.FuncOp):
                continue
            name = func.sym_name.data
            if name in raw:
                self.unbox_body(func, raw[name])
            for call in [o for o in func.walk() if isinstance(o, R.CallDirectOp)]:
                target = call.callee.root_reference.data
                if target in raw and call.results[0].type == R.VALUE:
                    self.unbox_call(call, raw[target])

    def unbox_body(self, func: R.FuncOp, ty) -> None:
        for ret in [o for o in func.walk() if isinstance(o, R.ReturnOp)]:
            value = ret.arguments[0]
            box = value.owner
            if isinstance(box, R.BoxOp) and box.input.type == ty:
                Rewriter.replace_op(ret, _at(R.ReturnOp(box.input), ret))
                if not box.results[0].uses:
                    Rewriter.erase_op(box)
            else:
                unbox = _at(R.UnboxOp(value, ty), ret)
                Rewriter.insert_op(unbox, InsertPoint.before(ret))
                Rewriter.replace_op(ret, _at(R.ReturnOp(unbox.results[0]), ret))
        ftype = func.function_type
        func.function_type = FunctionType.from_lists(list(ftype.inputs.data), [ty])

    def unbox_call(self, call: R.CallDirectOp, ty) -> None:
        new = _at(R.CallDirectOp(call.callee, list(call.args), [ty], call.state), call)
        new.attributes.update(call.attributes)
        Rewriter.insert_op(new, InsertPoint.before(call))
        old = call.results[0]
        boxed = None
        for use in list(old.uses):
            user = use.operation
            if isinstance(user, R.UnboxOp) and user.results[0].type == ty:
                user.results[0].replace_all_uses_with(new.results[0])
                Rewriter.erase_op(user)
            else:
                if boxed is None:
                    boxed = _at(R.BoxOp(new.results[0]), call)
                    Rewriter.insert_op(boxed, InsertPoint.after(new))
                use.operation.operands[use.index] = boxed.results[0]
        Rewriter.erase_op(call)


def _at(new, old):
    """`new`, at `old`'s source location (a replacement keeps the position of what it replaces)."""
    new.location = old.location
    return new
