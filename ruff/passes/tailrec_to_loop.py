"""tailrec-to-loop: a function's calls to itself in tail position become a jump back to its start.

    %r = ruff.call_direct @f(%a, %b) : (i64, i64) -> i64
    ruff.return %r : i64
becomes
    cf.br ^loop(%a, %b : i64, i64)

where ^loop is the old entry block (now reached from a new, empty entry block), so the parameters turn
into the loop's block arguments. A call whose result is used for anything but being returned (fib's two
calls, `n * fact(n - 1)`) is not a tail call and is left alone. Only typed twins (made by specialize-types)
are rewritten: the boxed functions stay as the baseline executor sees them.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects import cf
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern, op_type_rewrite_pattern
from xdsl.rewriter import BlockInsertPoint

from ruff.dialects import ruff as R


def tail_calls(func: R.FuncOp) -> list[R.CallDirectOp]:
    name = func.sym_name.data
    found = []
    for block in func.body.blocks:
        ret = block.last_op
        if not isinstance(ret, R.ReturnOp) or len(ret.arguments) != 1:
            continue
        call = ret.prev_op
        if (isinstance(call, R.CallDirectOp) and call.callee.root_reference.data == name
                and ret.arguments[0] is call.results[0] and call.results[0].has_one_use()):
            found.append(call)
    return found


class TailCallsToJumps(RewritePattern):
    """A typed twin's self tail calls become jumps to its old entry block, behind a new entry block (an
    entry block can have no predecessors). The pattern matches the function: the new entry is made once
    for all of its tail calls."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, func: R.FuncOp, rewriter: PatternRewriter) -> None:
        if "specialized_for" not in func.attributes:
            return  # only typed twins: the boxed functions stay as the baseline executor sees them
        calls = tail_calls(func)
        if not calls:
            return
        header = func.body.blocks.first
        entry = rewriter.create_block(BlockInsertPoint.before(header), [a.type for a in header.args])
        rewriter.insert(cf.BranchOp(header, *entry.args))
        for call in calls:
            jump = cf.BranchOp(header, *call.args)
            jump.location = call.location
            rewriter.replace(call.next_op, jump)
            rewriter.erase(call)


class TailRecToLoopPass(ModulePass):
    name = "tailrec-to-loop"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(TailCallsToJumps(), apply_recursively=False).rewrite_module(op)
