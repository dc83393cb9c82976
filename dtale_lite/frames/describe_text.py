"""describe() of text: strings, categories and objects (mixed Python values).

Besides count, missing, unique and top, each has ``length`` {"min", "mean", "max"} of the
values' lengths in characters (objects: of their ``str()``) and ``empty``, how many values are
the empty string "", with ``empty_share``, that number over the non-missing values (null when
there are none). A string of spaces is not empty.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .describe_sorted import common, top_list
from .serialize import json_safe_scalar
from .stringkeys import most_frequent


def empties(count: int, empty: int) -> dict:
    """``empty`` and ``empty_share`` (of the ``count`` non-missing values)."""
    empty = int(empty or 0)
    return {"empty": empty, "empty_share": empty / count if count else None}


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


def describe_string(series: pd.Series, top: int) -> dict:
    try:
        arr = _as_arrow_strings(series)
    except (pa.ArrowException, TypeError, ValueError):
        return describe_object(series, top)
    counted = most_frequent(arr, top)
    if counted is None:
        counted = pc.value_counts(arr)
        values = counted.field("values")
        counts = counted.field("counts").to_numpy(zero_copy_only=False)
        if arr.null_count:
            keep = values.is_valid()
            values = values.filter(keep)
            counts = counts[keep.to_numpy(zero_copy_only=False)]
        unique, top_values = len(values), top_list(values, counts, top,
                                                    lambda v: json_safe_scalar(v.as_py()))
    else:
        unique, firsts = counted
        top_values = [{"value": json_safe_scalar(arr[row].as_py()), "count": count}
                      for row, count in firsts]
    out = common(len(arr) - arr.null_count, len(series))
    out["unique"] = int(unique)
    out["top"] = top_values
    lengths = pc.utf8_length(arr)
    extremes = pc.min_max(lengths)
    out["length"] = _length_summary(out["count"], extremes["min"].as_py(),
                                    pc.sum(lengths).as_py(), extremes["max"].as_py())
    out.update(empties(out["count"], pc.sum(pc.equal(lengths, 0)).as_py()))
    return out


def _text(value) -> str:
    try:
        return value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break the panel
        return f"<{type(value).__name__}>"


def describe_category(series: pd.Series, top: int) -> dict:
    codes = series.cat.codes.to_numpy()
    categories = series.cat.categories
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(categories))
    out = common(present.size, len(series))
    out["unique"] = int(np.count_nonzero(counts))
    # Unused categories have count 0 and are not values of the column, so never "top".
    used = np.flatnonzero(counts)
    out["top"] = top_list(categories[used], counts[used], top)
    # Lengths per category, weighted by how often each occurs: O(categories), not O(rows).
    seen = counts > 0
    lengths = np.array([len(_text(c)) for c in categories], dtype=np.int64)
    if out["count"]:
        out["length"] = _length_summary(out["count"], lengths[seen].min(),
                                        int((lengths * counts).sum()), lengths[seen].max())
    else:
        out["length"] = _length_summary(0, None, None, None)
    out.update(empties(out["count"], counts[lengths == 0].sum()))
    return out


def describe_object(series: pd.Series, top: int) -> dict:
    present = series[series.notna().to_numpy()]
    try:
        counted = present.value_counts(sort=False, dropna=False)
    except TypeError:
        # Unhashable values (lists, dicts): count their string form instead.
        counted = present.map(_text).value_counts(sort=False, dropna=False)
    out = common(len(present), len(series))
    out["unique"] = int(len(counted))
    out["top"] = top_list(counted.index, counted.to_numpy(), top)
    lengths = np.fromiter((len(_text(v)) for v in present.array), dtype=np.int64,
                          count=len(present))
    if lengths.size:
        out["length"] = _length_summary(lengths.size, lengths.min(), lengths.sum(),
                                        lengths.max())
    else:
        out["length"] = _length_summary(0, None, None, None)
    out.update(empties(out["count"], np.count_nonzero(lengths == 0)))
    return out
