"""xDSL dialects of Ruff-on-xDSL.

Importing this package is cheap: the dialect module (which imports xDSL) is only loaded by
`get_ruff_dialect()` or by importing `ruff.dialects.ruff` directly, i.e. once a function gets hot.
"""


def get_ruff_dialect():
    """The `ruff` xDSL Dialect (imports xDSL)."""
    from ruff.dialects.ruff import Ruff

    return Ruff


def get_all_dialects():
    """name → factory of every dialect ruff-opt and the JIT pipeline know: xDSL's own plus `ruff`."""
    from xdsl.dialects import get_all_dialects as xdsl_dialects

    dialects = dict(xdsl_dialects())
    dialects["ruff"] = get_ruff_dialect
    return dialects
