"""Conversions that take more than one pandas call. Steps apply these very functions, and the
generated code carries their source (``inspect.getsource``), so what the code computes is what
the grid shows, by construction. Plain pandas: they must run in a user's notebook as they are.
"""
from __future__ import annotations

import inspect

import pandas as pd


def to_float(column):
    """Numbers (text read as numbers); what is not a number becomes NaN."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return pd.to_numeric(column, errors="coerce").astype("float64")


def to_int(column):
    """Whole numbers as the nullable Int64; what is not a whole number becomes <NA>."""
    numbers = to_float(column)
    whole = numbers.where(numbers.mod(1).eq(0) & numbers.abs().lt(2.0**63))
    return whole.astype("Int64")


def to_bool(column):
    """True/false as the nullable boolean: true/yes/1 and false/no/0 (any case), the numbers
    1 and 0, and booleans; anything else becomes <NA>."""
    words = {"true": True, "yes": True, "1": True, "1.0": True,
             "false": False, "no": False, "0": False, "0.0": False}
    text = column.astype(object).map(
        lambda v: None if v is None or v != v else str(v).strip().lower())
    return text.map(words).astype("boolean")


def to_datetime(column, format=None, unit=None):
    """Dates (text read with ``format``, numbers in ``unit``); what fails becomes NaT."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return pd.to_datetime(column, errors="coerce", format=format, unit=unit)


def to_timedelta(column, unit=None):
    """Durations (text like "1 day", numbers in ``unit``); what fails becomes NaT."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return pd.to_timedelta(column, errors="coerce", unit=unit)


def winsorize(column, lower, upper):
    """Values below the ``lower`` quantile set to it, above the ``upper`` one to it."""
    return column.clip(column.quantile(lower), column.quantile(upper))


FUNCTIONS = {f.__name__: f for f in (to_float, to_int, to_bool, to_datetime, to_timedelta,
                                     winsorize)}
# A helper's code needs the helpers it calls written before it.
NEEDS = {"to_int": ("to_float",)}


def source_of(names) -> list[str]:
    """The source of these helpers (and those they call), in a fixed order."""
    wanted = set(names)
    for name in list(wanted):
        wanted.update(NEEDS.get(name, ()))
    return [inspect.getsource(f).rstrip() + "\n" for n, f in FUNCTIONS.items() if n in wanted]
