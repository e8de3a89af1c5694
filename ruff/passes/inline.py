"""inline: calls to small known functions are replaced by a copy of the callee's body.

Only `ruff.call_direct` is inlined: its target is fixed at compile time (a global call became direct in
specialize-types, and rebinding that global throws the native code away), so inlining keeps the
invalidation rule. The callee's operations keep their `line` properties, so an error inside inlined code
names the same source line as it would in the callee.

Options: `budget` — callees with at most this many operations are inlined (default 40);
`depth` — a recursive call is inlined at most this many times into one function (default 1), which
unrolls recursion a little without growing the code without bound.

The call's block is split (xDSL's Block.split_before): the operations after the call move to a
continuation block whose argument is the call's result; every `ruff.return` of the copy becomes a branch
to that continuation. The pass walks the twins itself rather than through a RewritePattern: which calls
to inline is decided once per round over a snapshot of the callees (the `depth` option), not per call as
a pattern would see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import cf
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import OptOperandDef, VarOperandDef, VarResultDef
from xdsl.passes import ModulePass
from xdsl.rewriter import BlockInsertPoint, InsertPoint, Rewriter

from ruff.dialects import ruff as R


def size(func: R.FuncOp) -> int:
    return sum(1 for _ in func.walk()) - 1


def works_on_objects(func: R.FuncOp) -> bool:
    """Whether func touches boxed values or frame states. Such a body is never inlined: its deoptimization
    exits and runtime calls name its own bytecode positions, which mean nothing in another function."""
    for op in func.walk():
        if isinstance(op, R.FrameStateOp):
            return True
        if any(isinstance(v.type, R.ValueType) for v in (*op.operands, *op.results)):
            return True
    return False


@dataclass(frozen=True)
class InlinePass(ModulePass):
    name = "inline"

    budget: int = 40
    depth: int = 1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        funcs = {f.sym_name.data: f for f in op.ops if isinstance(f, R.FuncOp)}
        # Snapshot the callees first, so that inlining into a function does not feed on its own result.
        originals = {name: f.clone() for name, f in funcs.items()
                     if not f.is_declaration and size(f) <= self.budget and not works_on_objects(f)}
        for func in funcs.values():
            if "specialized_for" not in func.attributes:
                continue  # only typed twins: the boxed functions are what the baseline sees
            for _ in range(self.depth):
                calls = [c for c in func.walk() if isinstance(c, R.CallDirectOp)
                         and c.callee.root_reference.data in originals]
                if not calls:
                    break
                for call in calls:
                    inline_call(call, originals[call.callee.root_reference.data])


def inline_call(call: R.CallDirectOp, callee: R.FuncOp) -> None:
    block = call.parent_block()
    assert block is not None and call.next_op is not None  # a call is never a block's terminator
    # Continuation: everything after the call, receiving the results as block arguments.
    cont = block.split_before(call.next_op, arg_types=[r.type for r in call.results])
    for res, arg in zip(call.results, cont.args):
        res.replace_all_uses_with(arg)
    # A fresh copy of the callee's blocks between the two, its arguments bound to the call's operands.
    body = callee.clone().body
    copies = list(body.blocks)
    Rewriter.inline_region(body, BlockInsertPoint.before(cont))
    for b in copies:
        ret = b.last_op
        if isinstance(ret, R.ReturnOp):
            jump = cf.BranchOp(cont, *ret.arguments)
            jump.location = ret.location
            Rewriter.replace_op(ret, jump)
    if call.state is not None:
        for b in copies:
            for op in list(b.ops):
                deopt_to(op, call.state)
    enter = cf.BranchOp(copies[0], *call.args)
    enter.location = call.location
    Rewriter.insert_op(enter, InsertPoint.after(call))
    Rewriter.erase_op(call)


def deopt_to(op: Operation, state: SSAValue) -> None:
    """Give op, if it can fail and has room for a frame state but none, the inlined call's state.

    The call carried that state because its caller works on objects: where the callee (typed, so without
    side effects) fails, the caller deoptimizes and the baseline makes the whole call again, raising the
    error with the callee's frames in its stack. Inlined, the callee's failing ops must leave the same way:
    raised in place, the error would name only the caller's frame (and tail calls turned into loops would
    have no frames at all)."""
    defs = type(op).get_irdl_definition().operands
    if not any(name == "state" for name, _ in defs) or getattr(op, "state") is not None:
        return
    groups: list = []
    for name, d in defs:
        if name == "state":
            groups.append([state])
        elif isinstance(d, OptOperandDef):
            value = getattr(op, name)
            groups.append([value] if value is not None else [])
        elif isinstance(d, VarOperandDef):
            groups.append(list(getattr(op, name)))
        else:
            groups.append(getattr(op, name))
    results: list = []
    for name, d in type(op).get_irdl_definition().results:
        value = getattr(op, name)
        results.append([r.type for r in value] if isinstance(d, VarResultDef) else value.type)
    new = type(op).build(operands=groups, result_types=results, properties=dict(op.properties),
                         attributes=dict(op.attributes))
    new.location = op.location
    Rewriter.replace_op(op, new)
