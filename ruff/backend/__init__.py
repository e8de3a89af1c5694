"""Ruff's native backend: llvm-dialect IR → llvmlite → LLVM -O3 → MCJIT → callable native functions.

Import cost matters here: `ruff.backend` and `ruff.backend.abi` import nothing heavy, so the runtime can
`from ruff.backend.abi import NativeError` at start-up.  `ruff.backend.jit` imports llvmlite and xDSL and
is only imported once a function gets hot.
"""
