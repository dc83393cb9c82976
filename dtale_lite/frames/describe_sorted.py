"""Figures read off a sorted array (or a table of counts), shared by every kind of describe:
distinct values and their runs, the most frequent values with stable ties, numpy's linear
quantile and ``np.histogram``'s bins found by binary search.
"""
from __future__ import annotations

import numpy as np

from .serialize import json_safe_scalar

EMPTY_HISTOGRAM = {"edges": [], "counts": []}


def common(count: int, length: int) -> dict:
    """The figures every kind has first: ``count`` (non-missing) and ``missing``."""
    return {"count": int(count), "missing": int(length - count)}


def top_positions(counts: np.ndarray | None, top: int, size: int) -> np.ndarray:
    """Positions of the ``top`` largest counts, largest first, ties in position order.

    ``counts`` None means every one of the ``size`` values occurs once.
    """
    if top == 0 or size == 0:
        return np.empty(0, dtype=np.intp)
    if counts is None:
        return np.arange(min(top, size))
    if counts.size > top:
        # Only entries at or above the top-th largest count can make the list; a full sort of
        # millions of distinct values' counts would cost more than the counting itself. Of
        # those tied at that count only the first few (in position order) can make it, and
        # there can be millions of them (mostly distinct values all count 1).
        threshold = np.partition(counts, counts.size - top)[counts.size - top]
        above = np.flatnonzero(counts > threshold)
        tied = np.flatnonzero(counts == threshold)[:top - above.size]
        candidates = np.sort(np.concatenate((above, tied)))
    else:
        candidates = np.arange(counts.size)
    order = np.argsort(-counts[candidates], kind="stable")
    return candidates[order[:top]]


def top_list(values, counts: np.ndarray | None, top: int, to_json=json_safe_scalar) -> list:
    return [
        {"value": to_json(values[i]), "count": 1 if counts is None else int(counts[i])}
        for i in top_positions(counts, top, len(values))
    ]


def runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Distinct values of a sorted array and how often each occurs.

    The counts are None when every value is distinct (ids, continuous measurements): the
    sorted array is then returned as is, without building three more arrays of its size.
    """
    if sorted_values.size == 0:
        return sorted_values, np.empty(0, dtype=np.int64)
    change = np.empty(sorted_values.size, dtype=bool)
    change[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=change[1:])
    if change.all():
        return sorted_values, None
    starts = np.flatnonzero(change)
    counts = np.diff(starts, append=sorted_values.size)
    return sorted_values[starts], counts


def quantile(sorted_values: np.ndarray, q: float) -> float:
    """Linear-interpolated quantile of a sorted non-empty array (numpy's default method)."""
    position = q * (sorted_values.size - 1)
    low = int(np.floor(position))
    fraction = position - low
    below = float(sorted_values[low])
    if fraction == 0:
        return below
    above = float(sorted_values[low + 1])
    if below == above:  # also keeps inf instead of inf - inf = nan
        return below
    with np.errstate(over="ignore"):
        step = above - below
    if np.isfinite(step) or not (np.isfinite(below) and np.isfinite(above)):
        return below + step * fraction
    return below * (1 - fraction) + above * fraction  # the spread overflows; this form cannot


def histogram(sorted_finite: np.ndarray, bins: int, *, ticks: bool = False):
    """``np.histogram`` of an already sorted array, by binary search instead of a full pass.

    With ``ticks`` (dates, durations) the edges are whole int64 ticks, so the counts agree with
    the edges reported and the search never converts the values to float.
    """
    low, high = float(sorted_finite[0]), float(sorted_finite[-1])
    if low == high:
        widen = 1.0 if ticks else 0.5  # np.histogram's choice for a single value is +/-0.5
        low, high = low - widen, high + widen
        if low == high:  # beyond 2**53 +/-0.5 is lost; np.histogram raises, we keep one value
            # Step towards zero on the side that would overflow (a lone +/-1.8e308).
            with np.errstate(over="ignore"):
                below, above = np.nextafter(low, -np.inf), np.nextafter(high, np.inf)
            low = below if np.isfinite(below) else low
            high = above if np.isfinite(above) else high
            if low == high:
                low = float(np.nextafter(low, 0.0))
            low, high = float(low), float(high)
    with np.errstate(over="ignore"):
        spread_overflows = not np.isfinite(high - low)
    if spread_overflows:
        # Values near +/-1.8e308: halve, space, double (exact) instead of producing nan edges.
        edges = np.linspace(low / 2, high / 2, bins + 1) * 2
        edges[0], edges[-1] = low, high
    else:
        edges = np.linspace(low, high, bins + 1)
    if ticks:
        edges = np.round(edges).astype(np.int64)
    # Bins are [a, b) except the last, [a, b], exactly as np.histogram counts them.
    positions = np.searchsorted(sorted_finite, edges, side="left")
    positions[-1] = sorted_finite.size
    return edges, np.diff(positions)
