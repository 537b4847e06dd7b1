"""Small statistics shared by `kitab bench` and the benchmark scripts (pure Python)."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between the nearest ranks; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
