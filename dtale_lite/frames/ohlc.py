"""Open, high, low and close per group of rows: the figures of a candlestick (issue 16).

For each group (a period of a datetime column, see ``aggregate.encode_key``) and each value
column: the first and last value in time order (ties in row order, as a stable sort by time
gives them: pandas' ``groupby().first()/last()`` after ``sort_values(kind="stable")``), and the
least and greatest value. Missing values are skipped, so a column's first value is its first
present one. One stable radix sort of the small group codes, then O(rows) passes per column
(no sort by time): ~0.4 s at 10M rows. Pure numpy: no Flask, no Dash.
"""
from __future__ import annotations

import numpy as np

from .aggregate import group_order
from .binning import NAT

FIGURES = ("first", "min", "max", "last")
_LATEST = np.iinfo(np.int64).max


def ohlc(codes: np.ndarray, groups: int, ns: np.ndarray,
         columns: list[np.ndarray]) -> list[dict[str, np.ndarray]]:
    """Per column of ``columns`` (float arrays, NaN for missing): ``{"first", "min", "max",
    "last"}``, each an array over the ``groups`` codes (NaN for a group without a value).
    ``ns``: the time of each row (int64 nanoseconds, ``NAT`` for missing); rows without a time
    or a group (code -1) are left out."""
    placed = (codes >= 0) & (ns != NAT)
    rows = np.flatnonzero(placed)
    order = rows[group_order(codes[rows], groups)]
    sorted_codes = codes[order]
    times = ns[order]
    return [_figures(sorted_codes, times, values[order], groups) for values in columns]


def _figures(codes: np.ndarray, times: np.ndarray, values: np.ndarray, groups: int) -> dict:
    out = {name: np.full(groups, np.nan) for name in FIGURES}
    present = ~np.isnan(values)
    if not present.all():
        codes, times, values = codes[present], times[present], values[present]
    if not codes.size:
        return out
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    used = codes[starts]
    out["min"][used] = np.minimum.reduceat(values, starts)
    out["max"][used] = np.maximum.reduceat(values, starts)
    earliest = np.full(groups, _LATEST)
    earliest[used] = np.minimum.reduceat(times, starts)
    latest = np.full(groups, _LATEST)
    latest[used] = np.maximum.reduceat(times, starts)
    # Within a group the rows are in row order (the sort is stable): the first row at the
    # group's earliest time opens it, the last row at its latest time closes it.
    at_first = np.flatnonzero(times == earliest[codes])
    first_of_group = at_first[np.r_[True, codes[at_first][1:] != codes[at_first][:-1]]]
    out["first"][codes[first_of_group]] = values[first_of_group]
    at_last = np.flatnonzero(times == latest[codes])
    last_of_group = at_last[np.r_[codes[at_last][1:] != codes[at_last][:-1], True]]
    out["last"][codes[last_of_group]] = values[last_of_group]
    return out
