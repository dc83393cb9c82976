"""Summary statistics of one column, for the describe panel.

``describe(series, kind)`` returns a JSON-safe dict; every kind has ``count`` (non-missing),
``missing``, ``unique`` (distinct non-missing values) and ``top`` (the most frequent values,
most frequent first). Then, by kind:

- int/float: ``mean``, ``std`` (ddof=1), ``min``, ``q25``, ``q50``, ``q75``, ``max`` over the
  non-missing values, +/-inf included as pandas does (so a column holding inf has mean "inf"),
  ``inf_count``, and ``histogram`` {"edges", "counts"} over the finite values only;
- datetime: ``min``, ``max`` and ``histogram`` with ISO 8601 edges (tz-aware columns keep their
  zone);
- timedelta: ``min``, ``max``, ``mean`` and ``histogram`` with ISO 8601 duration edges;
- string/category/object: ``length`` {"min", "mean", "max"} of the values' string lengths;
- bool: ``true`` and ``false`` counts.

Ties in ``top`` are broken in a stable order: ascending value for numbers, dates and booleans
(those are counted by sorting), first appearance for strings and objects, category order for
categories. Objects that cannot be hashed (lists, dicts) are counted by their string form.

Speed comes from doing each expensive step once: numbers, dates and durations are sorted once
(numpy's SIMD sort) and count, unique, top, quantiles and histogram are all read off the sorted
array; strings are counted once by Arrow's hash-based ``value_counts``; categories by a bincount
of their codes. The input series is never modified.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

from .columns import KINDS
from .errors import BadRequest
from .serialize import json_safe_scalar
from .stringkeys import most_frequent

_QUANTILES = (("q25", 0.25), ("q50", 0.5), ("q75", 0.75))
_EMPTY_HISTOGRAM = {"edges": [], "counts": []}


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
        return _describe_number(series, top, bins)
    if kind == "bool":
        return _describe_bool(series, top)
    if kind in ("datetime", "timedelta"):
        return _describe_time(series, kind, top, bins)
    if kind == "category" and isinstance(series.dtype, pd.CategoricalDtype):
        return _describe_category(series, top)
    if kind == "string":
        return _describe_string(series, top)
    return _describe_object(series, top)


# ---- counting helpers ------------------------------------------------------------------------


def _top_positions(counts: np.ndarray | None, top: int, size: int) -> np.ndarray:
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


def _top_list(values, counts: np.ndarray | None, top: int, to_json=json_safe_scalar) -> list:
    return [
        {"value": to_json(values[i]), "count": 1 if counts is None else int(counts[i])}
        for i in _top_positions(counts, top, len(values))
    ]


def _runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
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


def _quantile(sorted_values: np.ndarray, q: float) -> float:
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


def _histogram(sorted_finite: np.ndarray, bins: int, *, ticks: bool = False):
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


# ---- numbers ---------------------------------------------------------------------------------


def _present_numbers(series: pd.Series) -> np.ndarray:
    """Non-missing values as a new numpy array (float64 for floats, native for ints)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
    else:
        # Nullable and Arrow-backed numbers: drop the missing ones before leaving pandas.
        target = np.float64 if ptypes.is_float_dtype(dtype) else np.int64
        if ptypes.is_unsigned_integer_dtype(dtype):
            target = np.uint64
        values = series[series.notna().to_numpy()].to_numpy(dtype=target)
    if values.dtype.kind == "f":
        values = values[~np.isnan(values)]
    elif values.dtype.kind == "b":
        values = values.astype(np.int64)
    return values


def _mean_std(values: np.ndarray) -> tuple[float, float | None]:
    as_float = values.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore", over="ignore"):
        mean = as_float.mean()
        std = as_float.std(ddof=1) if values.size > 1 else None
        if not np.isfinite(mean) and np.isfinite(as_float).all():
            # Finite values near 1.8e308 whose sum overflows: describe them scaled down.
            scale = float(np.abs(as_float).max())
            scaled = as_float / scale
            mean = scaled.mean() * scale
            std = scaled.std(ddof=1) * scale if values.size > 1 else None
    return mean, std


def _describe_number(series: pd.Series, top: int, bins: int) -> dict:
    unsorted = _present_numbers(series)
    present = np.sort(unsorted)
    out = _common(present.size, len(series))
    values, counts = _runs(present)
    out["unique"] = int(values.size)
    out["top"] = _top_list(values, counts, top)
    if present.size == 0:
        out.update(mean=None, std=None, min=None, q25=None, q50=None, q75=None, max=None,
                   inf_count=0, histogram=dict(_EMPTY_HISTOGRAM))
        return out
    # Mean and std in the column's own order, as pandas sums: summing the sorted values would
    # lose small ones next to huge ones of opposite sign.
    out["mean"], out["std"] = (json_safe_scalar(v) for v in _mean_std(unsorted))
    out["min"] = json_safe_scalar(present[0])
    for name, q in _QUANTILES:
        out[name] = json_safe_scalar(_quantile(present, q))
    out["max"] = json_safe_scalar(present[-1])
    if present.dtype.kind == "f":
        # inf sort to the ends, so the finite values are one contiguous slice.
        first = np.searchsorted(present, -np.inf, side="right")
        last = np.searchsorted(present, np.inf, side="left")
        finite = present[first:last]
    else:
        finite = present
    out["inf_count"] = int(present.size - finite.size)
    if finite.size == 0:
        out["histogram"] = dict(_EMPTY_HISTOGRAM)
    else:
        edges, hist = _histogram(finite, bins)
        out["histogram"] = {"edges": [float(e) for e in edges], "counts": hist.tolist()}
    return out


def _common(count: int, length: int) -> dict:
    return {"count": int(count), "missing": int(length - count)}


# ---- booleans --------------------------------------------------------------------------------


def _describe_bool(series: pd.Series, top: int) -> dict:
    if isinstance(series.dtype, np.dtype) and series.dtype.kind == "b":
        present = series.to_numpy()
    else:
        present = series[series.notna().to_numpy()].to_numpy(dtype=bool)
    true = int(np.count_nonzero(present))
    false = int(present.size - true)
    out = _common(present.size, len(series))
    values = np.array([False, True])
    counts = np.array([false, true])
    seen = counts > 0
    out["unique"] = int(seen.sum())
    out["top"] = _top_list(values[seen], counts[seen], top)
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

    out = _common(present.size, len(series))
    values, counts = _runs(present)
    out["unique"] = int(values.size)
    out["top"] = _top_list(values, counts, top, to_json)
    if present.size == 0:
        out.update(min=None, max=None, histogram=dict(_EMPTY_HISTOGRAM))
        if kind == "timedelta":
            out["mean"] = None
        return out
    out["min"] = to_json(present[0])
    out["max"] = to_json(present[-1])
    if kind == "timedelta":
        out["mean"] = to_json(round(present.astype(np.float64).mean()))
    edges, hist = _histogram(present, bins, ticks=True)
    out["histogram"] = {"edges": [to_json(e) for e in edges], "counts": hist.tolist()}
    return out


# ---- strings, categories, objects ------------------------------------------------------------


def _length_summary(count: int, minimum, total, maximum) -> dict:
    if count == 0:
        return {"min": None, "mean": None, "max": None}
    return {"min": int(minimum), "mean": float(total) / count, "max": int(maximum)}


def _as_arrow_strings(series: pd.Series) -> pa.Array:
    # __arrow_array__ hands over Arrow-backed data without a copy; pa.chunked_array(series.array)
    # would instead iterate and make one chunk per value (25 s on 5M rows).
    arr = pa.array(series.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    return arr


def _describe_string(series: pd.Series, top: int) -> dict:
    try:
        arr = _as_arrow_strings(series)
    except (pa.ArrowException, TypeError, ValueError):
        return _describe_object(series, top)
    counted = most_frequent(arr, top)
    if counted is None:
        counted = pc.value_counts(arr)
        values = counted.field("values")
        counts = counted.field("counts").to_numpy(zero_copy_only=False)
        if arr.null_count:
            keep = values.is_valid()
            values = values.filter(keep)
            counts = counts[keep.to_numpy(zero_copy_only=False)]
        unique, top_list = len(values), _top_list(values, counts, top,
                                                  lambda v: json_safe_scalar(v.as_py()))
    else:
        unique, firsts = counted
        top_list = [{"value": json_safe_scalar(arr[row].as_py()), "count": count}
                    for row, count in firsts]
    out = _common(len(arr) - arr.null_count, len(series))
    out["unique"] = int(unique)
    out["top"] = top_list
    lengths = pc.utf8_length(arr)
    extremes = pc.min_max(lengths)
    out["length"] = _length_summary(out["count"], extremes["min"].as_py(),
                                    pc.sum(lengths).as_py(), extremes["max"].as_py())
    return out


def _text(value) -> str:
    try:
        return value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break the panel
        return f"<{type(value).__name__}>"


def _describe_category(series: pd.Series, top: int) -> dict:
    codes = series.cat.codes.to_numpy()
    categories = series.cat.categories
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(categories))
    out = _common(present.size, len(series))
    out["unique"] = int(np.count_nonzero(counts))
    # Unused categories have count 0 and are not values of the column, so never "top".
    used = np.flatnonzero(counts)
    out["top"] = _top_list(categories[used], counts[used], top)
    # Lengths per category, weighted by how often each occurs: O(categories), not O(rows).
    seen = counts > 0
    lengths = np.array([len(_text(c)) for c in categories], dtype=np.int64)
    if out["count"]:
        out["length"] = _length_summary(out["count"], lengths[seen].min(),
                                        int((lengths * counts).sum()), lengths[seen].max())
    else:
        out["length"] = _length_summary(0, None, None, None)
    return out


def _describe_object(series: pd.Series, top: int) -> dict:
    present = series[series.notna().to_numpy()]
    try:
        counted = present.value_counts(sort=False, dropna=False)
    except TypeError:
        # Unhashable values (lists, dicts): count their string form instead.
        counted = present.map(_text).value_counts(sort=False, dropna=False)
    out = _common(len(present), len(series))
    out["unique"] = int(len(counted))
    out["top"] = _top_list(counted.index, counted.to_numpy(), top)
    lengths = np.fromiter((len(_text(v)) for v in present.array), dtype=np.int64,
                          count=len(present))
    if lengths.size:
        out["length"] = _length_summary(lengths.size, lengths.min(), lengths.sum(),
                                        lengths.max())
    else:
        out["length"] = _length_summary(0, None, None, None)
    return out
