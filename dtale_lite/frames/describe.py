"""Summary statistics of one column, for the describe panel.

``describe(series, kind)`` returns a JSON-safe dict; every kind has ``count`` (non-missing),
``missing``, ``unique`` (distinct non-missing values) and ``top`` (the most frequent values,
most frequent first). Then, by kind:

- int/float: ``mean``, ``std`` (ddof=1), ``min``, ``q25``, ``q50``, ``q75``, ``max`` over the
  non-missing values, +/-inf included as pandas does (so a column holding inf has mean "inf"),
  ``inf_count``, ``histogram`` {"edges", "counts"} over the finite values only, and the shape:
  ``skew``, ``kurtosis`` (as pandas' ``skew()``/``kurt()``) and ``outliers`` (the count outside
  Q1 - 1.5 IQR .. Q3 + 1.5 IQR); see :mod:`.describe_numbers`;
- datetime: ``min``, ``max`` and ``histogram`` with ISO 8601 edges (tz-aware columns keep their
  zone);
- timedelta: ``min``, ``max``, ``mean`` and ``histogram`` with ISO 8601 duration edges;
- string/category/object: ``length`` {"min", "mean", "max"} of the values' string lengths,
  ``empty`` (values equal to "") and ``empty_share`` (of the non-missing values); see
  :mod:`.describe_text`;
- bool: ``true`` and ``false`` counts.

Ties in ``top`` are broken in a stable order: ascending value for numbers, dates and booleans
(those are counted by sorting), first appearance for strings and objects, category order for
categories. Objects that cannot be hashed (lists, dicts) are counted by their string form.

Speed comes from doing each expensive step once: numbers, dates and durations are sorted once
(numpy's SIMD sort) and count, unique, top, quantiles and histogram are all read off the sorted
array; strings are counted once by Arrow's hash-based ``value_counts``; categories by a bincount
of their codes. The input series is never modified.
The shared helpers (runs, top values, quantiles, histogram) live in :mod:`.describe_sorted`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .columns import KINDS
from .describe_numbers import describe_number
from .describe_sorted import EMPTY_HISTOGRAM, common, histogram, runs, top_list
from .describe_text import describe_category, describe_object, describe_string
from .errors import BadRequest


def describe(series: pd.Series, kind: str, *, top: int = 10, bins: int = 20) -> dict:
    """Summary of ``series`` as a JSON-safe dict (see the module docstring).

    Raises BadRequest for an unknown ``kind`` or a non-positive ``top``/``bins``.
    """
    if kind not in KINDS:
        raise BadRequest(f"unknown column kind {kind!r}; expected one of {', '.join(KINDS)}")
    if top < 0 or bins < 1:
        raise BadRequest("top must be >= 0 and bins >= 1")
    if kind in ("int", "float") and ptypes.is_complex_dtype(series.dtype):
        # Complex numbers have no order, so no quantiles or histogram: describe them as values.
        kind = "object"
    if kind in ("int", "float"):
        return describe_number(series, top, bins)
    if kind == "bool":
        return _describe_bool(series, top)
    if kind in ("datetime", "timedelta"):
        return _describe_time(series, kind, top, bins)
    if kind == "category" and isinstance(series.dtype, pd.CategoricalDtype):
        return describe_category(series, top)
    if kind == "string":
        return describe_string(series, top)
    return describe_object(series, top)


# ---- booleans --------------------------------------------------------------------------------


def _describe_bool(series: pd.Series, top: int) -> dict:
    if isinstance(series.dtype, np.dtype) and series.dtype.kind == "b":
        present = series.to_numpy()
    else:
        present = series[series.notna().to_numpy()].to_numpy(dtype=bool)
    true = int(np.count_nonzero(present))
    false = int(present.size - true)
    out = common(present.size, len(series))
    values = np.array([False, True])
    counts = np.array([false, true])
    seen = counts > 0
    out["unique"] = int(seen.sum())
    out["top"] = top_list(values[seen], counts[seen], top)
    out.update(true=true, false=false)
    return out


# ---- dates and durations ---------------------------------------------------------------------


def _time_values(series: pd.Series, kind: str):
    """(sorted int64 ticks of the non-missing values, unit, tz) of a datetime/timedelta column."""
    if kind == "datetime":
        dtype = series.dtype
        tz = getattr(dtype, "tz", None)
        if not isinstance(dtype, (np.dtype, pd.DatetimeTZDtype)):  # e.g. Arrow timestamps
            series = pd.Series(pd.DatetimeIndex(series))
            tz = getattr(series.dtype, "tz", None)
        index = pd.DatetimeIndex(series)
        if tz is not None:
            index = index.tz_convert("UTC").tz_localize(None)
        unit = index.unit
        ticks = index.asi8
    else:
        index = pd.TimedeltaIndex(series)
        tz, unit, ticks = None, index.unit, index.asi8
    # NaT is the smallest int64; the index knows its positions.
    present = ticks[~index.isna()]
    return np.sort(present), unit, tz


def _describe_time(series: pd.Series, kind: str, top: int, bins: int) -> dict:
    present, unit, tz = _time_values(series, kind)
    if kind == "datetime":
        def to_json(tick):
            stamp = pd.Timestamp(int(tick), unit=unit, tz="UTC" if tz is not None else None)
            return (stamp.tz_convert(tz) if tz is not None else stamp).isoformat()
    else:
        def to_json(tick):
            return pd.Timedelta(int(tick), unit=unit).isoformat()

    out = common(present.size, len(series))
    values, counts = runs(present)
    out["unique"] = int(values.size)
    out["top"] = top_list(values, counts, top, to_json)
    if present.size == 0:
        out.update(min=None, max=None, histogram=dict(EMPTY_HISTOGRAM))
        if kind == "timedelta":
            out["mean"] = None
        return out
    out["min"] = to_json(present[0])
    out["max"] = to_json(present[-1])
    if kind == "timedelta":
        out["mean"] = to_json(round(present.astype(np.float64).mean()))
    edges, hist = histogram(present, bins, ticks=True)
    out["histogram"] = {"edges": [to_json(e) for e in edges], "counts": hist.tolist()}
    return out
