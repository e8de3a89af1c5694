"""Ruff's native backend: llvm-dialect IR → llvmlite → LLVM -O3 → MCJIT → callable native functions.

Import cost matters here: `ruff.backend` imports nothing heavy (nor does the native ABI, ruff.passes.abi,
so the tiers can `from ruff.passes.abi import NativeError` at start-up).  `ruff.backend.jit` imports
llvmlite and xDSL and is only imported once a function gets hot.
"""
