"""Outlier fences of a numeric column: Tukey's IQR fences or z-scores.

IQR: ``Q1 - 1.5 IQR`` and ``Q3 + 1.5 IQR`` with pandas' default quantiles (linear
interpolation, ``Series.quantile``); z-score: ``mean -/+ 3 std`` (pandas' ``std``, ddof 1), so
a value is an outlier when ``|x - mean| / std > 3``. A value is counted when it is below
``low`` or above ``high``; the count is that of the filter ``column < low or column > high``
(:func:`outside_filter`), the same text "Show these rows" opens, so the two always agree.
"""
from __future__ import annotations

import math

from ..errors import BadRequest
from ..filter_syntax import Column as FilterColumn
from ..filter_tree import column_text, literal_text

METHODS = ("iqr", "zscore")
NUMERIC_KINDS = ("int", "float")
IQR_FACTOR = 1.5
Z_LIMIT = 3.0


def check_method(method: str) -> str:
    if method not in METHODS:
        raise BadRequest(f"unknown method '{str(method)[:20]}' for parameter 'method'; use "
                         f"iqr or zscore")
    return method


def check_column(columns, name: str | None):
    """The Column ``name`` names; BadRequest naming ``column`` for an unknown or non-numeric
    one."""
    if not name:
        raise BadRequest("parameter 'column' is required: a numeric column")
    for column in columns:
        if column.name == name:
            if column.kind not in NUMERIC_KINDS:
                raise BadRequest(f"parameter 'column': '{name}' holds {column.kind} values, "
                                 f"not numbers")
            return column
    raise BadRequest(f"parameter 'column': no column named '{name[:100]}'")


def fences(method: str, q1=None, q3=None, mean=None, std=None) -> tuple[float | None,
                                                                         float | None]:
    """(low, high), None for both when the column has no values to judge."""
    low, high = _raw_fences(method, q1, q3, mean, std)
    if low is None or not (math.isfinite(low) and math.isfinite(high)):
        return None, None  # an infinite value among the quartiles: no fence to draw
    return low, high


def _raw_fences(method, q1, q3, mean, std):
    if method == "iqr":
        if q1 is None or q3 is None or math.isnan(q1) or math.isnan(q3):
            return None, None
        iqr = q3 - q1
        return q1 - IQR_FACTOR * iqr, q3 + IQR_FACTOR * iqr
    if mean is None or std is None or math.isnan(mean) or math.isnan(std):
        return None, None
    return mean - Z_LIMIT * std, mean + Z_LIMIT * std


def outside_filter(name: str, low: float | None, high: float | None) -> str | None:
    """The filter-language text of the rows outside [low, high] (None without fences). Floats
    are written with ``repr``, which the tokenizer reads back exactly."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    col = column_text(FilterColumn(name))
    return f"{col} < {literal_text(float(low))} or {col} > {literal_text(float(high))}"
