"""describe.py's answer assembled from figures an engine computed (Polars, DuckDB, ...).

An engine computes a handful of aggregates in one or two queries (``Figures``); this module
turns them into exactly the dict :func:`dtale_lite.frames.describe.describe` returns, so the page
cannot tell backends apart, plus ``approximate``: the figures that are estimates.

Histogram edges come from describe.py itself (its ``_histogram`` over just the finite minimum
and maximum gives the edges, which depend on nothing else), and the engine counts values
between them with the same rule: bins are [a, b) except the last, [a, b].
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..frames import describe_sorted as reference
from ..frames.describe_numbers import iqr_fences, skew_kurtosis
from ..frames.describe_text import empties
from ..frames.serialize import json_safe_scalar


@dataclass
class Figures:
    """What an engine measured for one column over a view (None where not applicable)."""

    count: int  # non-missing values
    length: int  # rows in the view
    unique: int
    top: list  # [(value, count)], already in describe's order, at most `top` long
    numbers: dict | None = None  # mean, std, min, q25, q50, q75, max, inf_count
    finite: tuple | None = None  # (min, max) of the finite values / ticks, or None
    lengths: tuple | None = None  # (min, total, max) string lengths
    bools: tuple | None = None  # (true, false)
    time_mean: float | None = None  # timedelta mean in ticks
    # (m2, m3, m4): sums of the central powers of x / describe_numbers.shape_scale(min, max)
    moments: tuple | None = None
    empty: int | None = None  # text values equal to ""
    approximate: list = field(default_factory=list)


CountBetween = Callable[[list], list]  # edges -> counts per bin (threshold rule above)
CountOutside = Callable[[float, float], int]  # (low, high) -> #(v < low) + #(v > high)


def histogram_edges(low, high, bins: int, ticks: bool) -> np.ndarray:
    """The edges describe.py uses for finite values spanning [low, high]."""
    dtype = np.int64 if ticks else np.float64
    edges, _ = reference.histogram(np.array([low, high], dtype=dtype), bins, ticks=ticks)
    return edges


def counts_from_thresholds(at_least: list[int], above_last: int) -> list[int]:
    """Bin counts from ``at_least[k]`` = #(v >= edge k) for k < bins and #(v > last edge)."""
    ends = list(at_least[1:]) + [above_last]
    return [int(a - b) for a, b in zip(at_least, ends)]


def assemble(kind: str, figures: Figures, bins: int, count_between: CountBetween,
             unit: str = "us", tz: str | None = None, order_stat=None,
             count_outside: CountOutside | None = None) -> dict:
    """describe()'s dict (see describe.py) from ``figures``.

    ``outliers`` is ``figures.numbers["outliers"]`` when the engine counted it, else
    ``count_outside`` over the IQR fences of the quartiles reported (a side that is NaN is
    never passed on: engines order NaN above every number).

    ``order_stat(k)``, the k-th smallest non-missing value, is asked for only when the column
    holds infinities: engines interpolate quantiles between inf and a number as inf, where
    numpy (and so describe.py) gives NaN; the two neighbours are then interpolated here."""
    out = {"count": int(figures.count), "missing": int(figures.length - figures.count),
           "unique": int(figures.unique)}
    to_json = _time_json(kind, unit, tz) if kind in ("datetime", "timedelta") else \
        json_safe_scalar
    out["top"] = [{"value": to_json(v), "count": int(c)} for v, c in figures.top]
    if kind in ("int", "float"):
        n = figures.numbers or {}
        if figures.count == 0:
            out.update(mean=None, std=None, min=None, q25=None, q50=None, q75=None, max=None,
                       inf_count=0, skew=None, kurtosis=None, outliers=0,
                       histogram={"edges": [], "counts": []})
        else:
            if n.get("inf_count") and order_stat is not None:
                n = dict(n, **_quantiles(figures.count, order_stat))
            for name in ("mean", "std", "min", "q25", "q50", "q75", "max"):
                out[name] = json_safe_scalar(n.get(name))
            out["inf_count"] = int(n.get("inf_count") or 0)
            out["skew"], out["kurtosis"] = _shape(figures, n)
            out["outliers"] = _outliers(n, count_outside)
            out["histogram"] = _histogram(figures, bins, count_between, float, False)
    elif kind == "bool":
        out["true"], out["false"] = (int(x) for x in figures.bools)
    elif kind in ("datetime", "timedelta"):
        if figures.count == 0:
            out.update(min=None, max=None, histogram={"edges": [], "counts": []})
            if kind == "timedelta":
                out["mean"] = None
        else:
            out["min"], out["max"] = to_json(figures.finite[0]), to_json(figures.finite[1])
            if kind == "timedelta":
                out["mean"] = to_json(round(figures.time_mean))
            out["histogram"] = _histogram(figures, bins, count_between, to_json, True)
    else:
        low, total, high = figures.lengths or (None, None, None)
        out["length"] = ({"min": None, "mean": None, "max": None} if not figures.count else
                         {"min": int(low), "mean": float(total) / figures.count,
                          "max": int(high)})
        out.update(empties(figures.count, figures.empty))
    out["approximate"] = list(figures.approximate)
    return out


def _shape(figures: Figures, n: dict) -> tuple:
    """(skew, kurtosis) as describe_numbers answers: null with an infinity or no spread."""
    if figures.moments is None or n.get("inf_count") or n.get("min") == n.get("max"):
        return None, None
    return tuple(json_safe_scalar(v) for v in skew_kurtosis(figures.count, *figures.moments))


def _outliers(n: dict, count_outside: CountOutside | None) -> int | None:
    if n.get("outliers") is not None:
        return int(n["outliers"])
    if count_outside is None:
        return None
    low, high = outlier_fences(n)
    return int(count_outside(low, high)) if (low, high) != (None, None) else 0


def outlier_fences(n: dict) -> tuple:
    """The IQR fences of ``n``'s quartiles, each None where it is NaN (it counts nothing)."""
    low, high = iqr_fences(n.get("q25"), n.get("q75"))
    return (None if np.isnan(low) else low), (None if np.isnan(high) else high)


QUARTILES = (("q25", 0.25), ("q50", 0.5), ("q75", 0.75))


def _neighbours(count: int, q: float) -> tuple[int, float]:
    """(the rank below quantile ``q`` of ``count`` values, the fraction past it)."""
    position = q * (count - 1)
    low = int(np.floor(position))
    return low, position - low


def quartile_ranks(count: int) -> set[int]:
    """The ranks (0-based) ``_quantiles`` asks ``order_stat`` for, for ``count`` values."""
    ranks = set()
    for _, q in QUARTILES:
        low, fraction = _neighbours(count, q)
        ranks.update((low, low + 1) if fraction else (low,))
    return ranks


def _quantiles(count: int, order_stat) -> dict:
    out = {}
    for name, q in QUARTILES:
        low, fraction = _neighbours(count, q)
        below = order_stat(low)
        above = order_stat(low + 1) if fraction else below
        # describe's own interpolation over the two neighbours (position `fraction` of 2).
        out[name] = reference.quantile(np.array([below, above], dtype=np.float64), fraction)
    return out


def _histogram(figures: Figures, bins: int, count_between, to_json, ticks: bool) -> dict:
    if figures.finite is None:
        return {"edges": [], "counts": []}
    edges = histogram_edges(figures.finite[0], figures.finite[1], bins, ticks)
    counts = count_between([int(e) if ticks else float(e) for e in edges])
    return {"edges": [to_json(e) for e in edges], "counts": [int(c) for c in counts]}


def _time_json(kind: str, unit: str, tz: str | None):
    if kind == "datetime":
        def to_json(tick):
            if tick is None:
                return None
            stamp = pd.Timestamp(int(tick), unit=unit, tz="UTC" if tz is not None else None)
            return (stamp.tz_convert(tz) if tz is not None else stamp).isoformat()
    else:
        def to_json(tick):
            return None if tick is None else pd.Timedelta(int(tick), unit=unit).isoformat()
    return to_json
