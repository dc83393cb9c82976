"""Filter literals checked and converted exactly as the pandas masks do, for other engines.

The rules (which literal fits which column kind, how dates and durations are read, the error
messages) live in :mod:`dtale_lite.frames.filters`; this module calls them with an empty pandas
Series of the column's kind, so every backend accepts and refuses the same filters, with the
same words, and then hands the value over in the engine's terms.
"""
from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd

from ..frames import filters
from ..frames.errors import FilterError
from ..frames.filter_syntax import Literal

# A stand-in column per kind: _coerce only reads the kind and, for datetimes, the zone.
_EMPTY_DTYPES = {"int": "int64", "float": "float64", "bool": "bool", "string": "object",
                 "category": "object", "datetime": "datetime64[ns]",
                 "timedelta": "timedelta64[ns]", "object": "object"}


def coerce(literal: Literal, kind: str, name: str, tz: str | None = None) -> object:
    """The literal as a plain Python value comparable with a ``kind`` column (datetimes as
    ``datetime.datetime``, aware when the column has zone ``tz``; durations as
    ``datetime.timedelta``). Raises FilterError as the pandas filters do."""
    dtype = f"datetime64[ns, {tz}]" if kind == "datetime" and tz else _EMPTY_DTYPES[kind]
    # Categories are compared by their values: text here (Polars and DuckDB hold text).
    fit_kind = "string" if kind == "category" else kind
    value = filters._coerce(literal, fit_kind, name, pd.Series([], dtype=dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # nanoseconds dropped: engines hold us
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        if isinstance(value, pd.Timedelta):
            return value.to_pytimedelta()
    return value


def string_match_kind(node, kind: str) -> None:
    """FilterError unless contains/startswith/endswith fits a ``kind`` column."""
    if kind not in ("string", "category", "object"):
        raise FilterError(
            f"'{node.op}' needs a text column; '{node.column.name}' holds "
            f"{filters._KIND_WORDS[kind]}",
            node.position,
        )


def unknown_column(ref) -> FilterError:
    return FilterError(f"unknown column '{ref.name}'", ref.position)


def is_temporal(value) -> bool:
    return isinstance(value, (dt.datetime, dt.timedelta))
