"""extract-native: keep only the functions native code is made of.

After specialize-types (and unbox-returns) a module holds both the boxed functions the baseline executor
knows and their typed twins (`specialized_for = [...]`). Only the twins can go to the `llvm` dialect; this
pass drops everything else, so `lower-to-llvm` sees a module it can lower completely. The boxed guard
functions are not lost: the runtime does their job (type checks on entry, boxing the result) itself.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern, op_type_rewrite_pattern

from ruff.dialects import ruff as R


class DropBoxedFunction(RewritePattern):
    """A `ruff.func` that is not a typed twin goes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: R.FuncOp, rewriter: PatternRewriter) -> None:
        if "specialized_for" not in op.attributes:
            rewriter.erase(op, safe_erase=False)


class ExtractNativePass(ModulePass):
    name = "extract-native"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(DropBoxedFunction(), apply_recursively=False).rewrite_module(op)
