"""describe() of a number column: count, top values, mean, std, quartiles, infinities, the
histogram, and the shape of the distribution (issue 17): ``skew`` and ``kurtosis`` as pandas
computes them (bias-corrected sample skewness and excess kurtosis; null with fewer than 3 or 4
values, for a constant column, or when the column holds an infinity) and ``outliers``, the
values below Q1 - 1.5 IQR or above Q3 + 1.5 IQR (the quartiles are the ones reported).

The engines (``dtale_lite.backends``) reuse the rules here (``shape_scale``, ``central_sums``,
``skew_kurtosis``, ``iqr_fences``) so that every engine answers as pandas does.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .describe_sorted import EMPTY_HISTOGRAM, common, histogram, quantile, runs, top_list
from .serialize import json_safe_scalar

QUANTILES = (("q25", 0.25), ("q50", 0.5), ("q75", 0.75))
NO_FIGURES = dict(mean=None, std=None, min=None, q25=None, q50=None, q75=None, max=None,
                  inf_count=0, skew=None, kurtosis=None, outliers=0)


# ---- the shape of a distribution -------------------------------------------------------------


def shape_scale(low: float, high: float) -> float:
    """A power of two near the largest magnitude of values in [low, high] (1.0 for zeros).

    Moments of ``x / scale`` cannot overflow (|x / scale| < 2, so a fourth power < 16 a value)
    and dividing by a power of two is exact; skewness and kurtosis do not depend on the scale.
    """
    biggest = max(abs(float(low)), abs(float(high)))
    if biggest == 0 or not math.isfinite(biggest):
        return 1.0
    return math.ldexp(1.0, math.frexp(biggest)[1] - 1)


def central_sums(scaled: np.ndarray, mean: float) -> tuple[float, float, float]:
    """Sums of the 2nd, 3rd and 4th powers of ``scaled - mean`` (one pass over float64)."""
    deviation = scaled - mean
    square = deviation * deviation
    return (float(square.sum()), float((square * deviation).sum()),
            float((square * square).sum()))


def skew_kurtosis(count: int, m2, m3, m4) -> tuple[float | None, float | None]:
    """pandas' ``Series.skew()`` and ``Series.kurt()`` from the sums of central powers.

    Null (pandas: NaN) with fewer than 3 (skew) or 4 (kurtosis) values or no spread (m2 == 0),
    as pandas 3 answers; also when a sum is not finite (a column holding an infinity).
    """
    if m2 is None or not all(math.isfinite(x) for x in (m2, m3, m4)) or m2 <= 0:
        return None, None
    n = float(count)
    skew = (m3 / (m2 * math.sqrt(m2))) * (n * math.sqrt(n - 1) / (n - 2)) if n >= 3 else None
    kurtosis = None
    if n >= 4:
        kurtosis = (n - 1) / ((n - 2) * (n - 3)) * (n * (n + 1) * m4 / (m2 * m2) - 3 * (n - 1))
    return skew, kurtosis


def iqr_fences(q25, q75) -> tuple[float, float]:
    """(Q1 - 1.5 IQR, Q3 + 1.5 IQR); NaN sides (a quartile NaN or inf - inf) count nothing."""
    q25, q75 = float("nan") if q25 is None else float(q25), \
        float("nan") if q75 is None else float(q75)
    spread = q75 - q25
    return q25 - 1.5 * spread, q75 + 1.5 * spread


def outside_count(sorted_values: np.ndarray, low: float, high: float) -> int:
    """How many of the sorted values lie below ``low`` or above ``high`` (two binary searches)."""
    below = 0 if math.isnan(low) else int(np.searchsorted(sorted_values, low, side="left"))
    above = 0 if math.isnan(high) else \
        int(sorted_values.size - np.searchsorted(sorted_values, high, side="right"))
    return below + above


def _shape(unsorted: np.ndarray, present: np.ndarray, mean, inf_count: int):
    """(skew, kurtosis) of the values, None where pandas gives NaN (see skew_kurtosis)."""
    if inf_count or present.size < 3 or present[0] == present[-1]:
        return None, None
    scale = shape_scale(present[0], present[-1])
    scaled = unsorted.astype(np.float64) / scale
    center = mean / scale if mean is not None and math.isfinite(mean) else scaled.mean()
    return skew_kurtosis(present.size, *central_sums(scaled, center))


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


def describe_number(series: pd.Series, top: int, bins: int) -> dict:
    unsorted = _present_numbers(series)
    present = np.sort(unsorted)
    out = common(present.size, len(series))
    values, counts = runs(present)
    out["unique"] = int(values.size)
    out["top"] = top_list(values, counts, top)
    if present.size == 0:
        out.update(NO_FIGURES, histogram=dict(EMPTY_HISTOGRAM))
        return out
    # Mean and std in the column's own order, as pandas sums: summing the sorted values would
    # lose small ones next to huge ones of opposite sign.
    mean, std = _mean_std(unsorted)
    out["mean"], out["std"] = json_safe_scalar(mean), json_safe_scalar(std)
    out["min"] = json_safe_scalar(present[0])
    quartiles = {name: quantile(present, q) for name, q in QUANTILES}
    out.update((name, json_safe_scalar(value)) for name, value in quartiles.items())
    out["max"] = json_safe_scalar(present[-1])
    if present.dtype.kind == "f":
        # inf sort to the ends, so the finite values are one contiguous slice.
        first = np.searchsorted(present, -np.inf, side="right")
        last = np.searchsorted(present, np.inf, side="left")
        finite = present[first:last]
    else:
        finite = present
    out["inf_count"] = int(present.size - finite.size)
    out["skew"], out["kurtosis"] = (json_safe_scalar(v) for v in _shape(
        unsorted, present, float(mean), out["inf_count"]))
    out["outliers"] = outside_count(present, *iqr_fences(quartiles["q25"], quartiles["q75"]))
    if finite.size == 0:
        out["histogram"] = dict(EMPTY_HISTOGRAM)
    else:
        edges, hist = histogram(finite, bins)
        out["histogram"] = {"edges": [float(e) for e in edges], "counts": hist.tolist()}
    return out
