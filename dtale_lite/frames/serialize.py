"""Turn pandas values into JSON-safe values, column by column.

Rules (the API contract): NaN, NaT, None and pd.NA become null; +/-inf become the strings
"inf"/"-inf"; datetimes and timedeltas ISO 8601; Decimal and any other object its string form;
strings longer than MAX_STRING characters are cut and end with TRUNCATION_MARKER, so the page can
show that the value is longer than what it got.

Work is vectorised per column: a page costs O(rows in the page), never O(frame).
"""
from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

MAX_STRING = 10_000
TRUNCATION_MARKER = "\u2026[truncated]"


def _cut(text: str, max_string: int | None = MAX_STRING) -> str:
    if max_string is not None and len(text) > max_string:
        return text[:max_string] + TRUNCATION_MARKER
    return text


def json_safe_scalar(value, *, max_string: int | None = MAX_STRING):
    """One value in its JSON-safe form (see the module docstring).

    ``max_string=None`` keeps strings whole (exports must not cut values).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        # Python ints beyond 2**53 still go out as JSON numbers; the page formats them as text.
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isnan(f):
            return None
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(value, str):
        return _cut(value, max_string)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return pd.Timestamp(value).isoformat()
    if isinstance(value, np.timedelta64):
        if np.isnat(value):
            return None
        return pd.Timedelta(value).isoformat()
    if isinstance(value, (list, tuple, Mapping, np.ndarray, set, frozenset)):
        # Nested containers display as their text; never recursed into (a nested frame could be
        # enormous, and the grid shows one cell per value anyway).
        try:
            text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
        except Exception:  # noqa: BLE001 - a broken __repr__ must not break the page
            text = f"<{type(value).__name__}>"
        return _cut(text, max_string)
    if isinstance(value, complex):
        return str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    try:
        return _cut(str(value), max_string)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break the page
        return f"<{type(value).__name__}>"


def _float_values(values: np.ndarray) -> list:
    out = values.astype(float).tolist()
    if not np.isfinite(values).all():
        for i, f in enumerate(out):
            if f != f:
                out[i] = None
            elif f in (math.inf, -math.inf):
                out[i] = "inf" if f > 0 else "-inf"
    return out


def _naive_datetimes(values: np.ndarray) -> list:
    """ISO 8601 for a datetime64 array, vectorised (a Timestamp per cell costs 1.5 us each).

    Whole seconds print as "2021-03-30T12:06:17" (as Timestamp.isoformat does); a window with
    any fraction prints every value at the column's own resolution.
    """
    unit = np.datetime_data(values.dtype)[0]
    ticks = values.view(np.int64)
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}.get(unit)
    missing = np.isnat(values)
    whole = per_second is not None and not (ticks[~missing] % per_second).any()
    text = np.datetime_as_string(values, unit="s" if whole else unit).tolist()
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            text[i] = None
    return text


def json_safe_values(series: pd.Series, *, max_string: int | None = MAX_STRING) -> list:
    """The values of ``series`` as a list of JSON-safe Python values (``max_string``: as
    json_safe_scalar's)."""
    dtype = series.dtype
    if ptypes.is_bool_dtype(dtype) and not ptypes.is_object_dtype(dtype):
        if series.hasnans:
            return [None if v is pd.NA else bool(v) for v in series.array]
        return series.to_numpy(dtype=bool).tolist()
    if ptypes.is_integer_dtype(dtype):
        if isinstance(dtype, np.dtype):
            return series.to_numpy().tolist()
        return [None if v is pd.NA else int(v) for v in series.array]
    if ptypes.is_float_dtype(dtype) and isinstance(dtype, np.dtype):
        return _float_values(series.to_numpy())
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return _naive_datetimes(series.to_numpy())
    if ptypes.is_datetime64_any_dtype(dtype) or ptypes.is_timedelta64_dtype(dtype):
        return [None if v is pd.NaT else v.isoformat() for v in series]
    if isinstance(dtype, pd.CategoricalDtype):
        # Format each category once, then index by code: a page costs O(rows + categories
        # used), not a Python object per cell.
        labels = json_safe_values(pd.Series(dtype.categories), max_string=max_string)
        return [labels[k] if k >= 0 else None for k in series.cat.codes.to_numpy().tolist()]
    limit = math.inf if max_string is None else max_string
    # Plain short strings (most cells of text columns) pass through without the full check.
    return [v if type(v) is str and len(v) <= limit else json_safe_scalar(v, max_string=max_string)
            for v in series.tolist()]
