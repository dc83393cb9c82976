"""Values the engines' steps share (issue 15): the words ``convert`` reads as booleans, the
units of numbers as times, the pandas dtype a typed value is read for, the 400 for dates as
text, and pivot cells as pandas. A leaf: the engines' step modules import it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames.errors import BadRequest
from ..frames.steps import model

# convert to bool: the words pandas' helpers.to_bool reads (after strip and lower).
BOOL_WORDS = {"true": True, "yes": True, "1": True, "1.0": True,
              "false": False, "no": False, "0": False, "0.0": False}
UNIT_NS = {"D": 86_400 * 10**9, "h": 3_600 * 10**9, "m": 60 * 10**9, "s": 10**9,
           "ms": 10**6, "us": 10**3, "ns": 1}


def pandas_dtype(kind: str, tz=None, categories=None):
    """The pandas dtype whose values ``values.parse_value`` reads for a column of ``kind`` in
    another engine (its columns all hold missing values). ``categories()``: a category
    column's categories, asked for only then."""
    if kind == "int":
        return pd.Int64Dtype()
    if kind == "float":
        return np.dtype("float64")
    if kind == "bool":
        return pd.BooleanDtype()
    if kind == "string":
        return pd.StringDtype()
    if kind == "category":
        return pd.CategoricalDtype(categories())
    if kind == "datetime":
        return pd.DatetimeTZDtype(tz=tz) if tz else np.dtype("datetime64[ns]")
    if kind == "timedelta":
        return np.dtype("timedelta64[ns]")
    return np.dtype(object)


def refuse_text_of(engine: str, what: str, column: str, kind: str) -> BadRequest:
    """Dates and durations as text follow pandas' formatting, which depends on the data."""
    return model.not_on_engine(engine, what, f" for column '{column}' of kind {kind}")


def cells_frame(table):
    """Pivot cells (an Arrow table) as pandas, the keys as Python values: an int key stays
    an int where "Other" made some missing (pandas names the columns by their text)."""
    frame = table.drop_columns(["__key"]).to_pandas()
    frame["__key"] = pd.Series(table.column("__key").to_pylist(), dtype=object)
    return frame


def plain_value(value):
    """A parsed value (pandas Timestamp or Timedelta, NaN) as the Python value an engine
    binds (a missing one as None)."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "to_pytimedelta"):
        return value.to_pytimedelta()
    return None if value is not None and value != value else value


def checked_names(frame: pd.DataFrame, engine: str, columns: str) -> pd.DataFrame:
    """A pivot laid out by pandas, whose column names (the values of ``columns``) the engine
    can hold: a NUL character in a name is a 400 (Polars panics on it in Arrow's C schema,
    DuckDB's identifiers cannot hold it)."""
    if any("\x00" in str(name) for name in frame.columns):
        raise BadRequest(f"pivot: a value of '{columns}' holds a NUL character, which a "
                         f"{engine} column name cannot hold; replace it first")
    return frame


def new_name(p, param: str, engine: str, replacing: str | None = None) -> str:
    """``Params.new_name`` for an engine: a NUL character in a column name is a 400 there
    (Polars panics on it in Arrow's C schema; DuckDB's identifiers cannot hold it)."""
    name = p.new_name(param, replacing=replacing)
    if "\x00" in name:
        p.fail(param, f"cannot hold a NUL character on a {engine} frame")
    return name
