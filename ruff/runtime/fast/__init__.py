"""The fast baseline tier: each Ruff function's bytecode becomes one Python function, compiled by CPython.

`codegen` turns a Chunk into Python source (structured control flow, locals as Python locals, the operand
stack as Python temporaries); `fastvm.FastVM` is the executor that runs every Ruff function through its
generated function, with the reference interpreter (ruff.runtime.vm.VM) as the fallback for any chunk the
generator refuses.
"""

from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.fast.fastvm import FastVM

__all__ = ["FastVM", "run_in_big_stack"]
