"""Small statistics helpers: median, ratio, geometric mean (no numpy)."""

from __future__ import annotations

import math
from typing import Iterable, Optional, Sequence


def median(values: Sequence[float]) -> Optional[float]:
    """Median of the values (mean of the two middle ones for an even count); None when empty."""
    xs = sorted(v for v in values if v is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    if len(xs) % 2:
        return float(xs[mid])
    return (xs[mid - 1] + xs[mid]) / 2.0


def ratio(value: Optional[float], base: Optional[float]) -> Optional[float]:
    """value / base (time relative to the baseline: < 1 is faster); None when either is missing
    or the base is not positive."""
    if value is None or base is None or base <= 0:
        return None
    return value / base


def geomean(values: Iterable[Optional[float]]) -> Optional[float]:
    """Geometric mean of the positive values; None when there are none."""
    xs = [v for v in values if v is not None and v > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(v) for v in xs) / len(xs))
