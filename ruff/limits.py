"""Limits the language sets, for every layer: the range of a Ruff int and the depth of Ruff calls."""

I64_MIN = -(2**63)  # Ruff ints are i64: arithmetic that leaves this range is "Integer overflow"
I64_MAX = 2**63 - 1
MAX_FRAMES = 50_000  # Ruff calls nest this deep before "Stack overflow" (every tier counts the same frames)
