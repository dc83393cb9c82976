"""Values typed by a user (an edited cell, a replacement, a fill value) read as a column's kind,
and any value written back as a Python literal for the generated code.

A value that does not fit the column is a BadRequest that names the kind, e.g. "'abc' is not
a whole number (column 'n' holds whole numbers)".
"""
from __future__ import annotations

import datetime
import math

import numpy as np
import pandas as pd

from ..errors import BadRequest
from .params import text_of

KIND_WORDS = {"int": "whole numbers", "float": "numbers", "bool": "true/false values",
              "string": "text", "category": "categories", "datetime": "dates",
              "timedelta": "durations", "object": "mixed values"}
TRUE_WORDS, FALSE_WORDS = ("true", "1", "yes"), ("false", "0", "no")


def _missing_allowed(dtype) -> bool:
    """Whether the dtype can hold a missing value without changing (numpy ints and bools
    cannot)."""
    return not (isinstance(dtype, np.dtype) and dtype.kind in "iub")


def parse_value(value, kind: str, dtype, where: str):
    """``value`` (JSON: null, bool, number or text) as a value of a column of ``kind``.

    ``where`` names the parameter and column for the message. Raises BadRequest naming the kind.
    """
    def refuse(extra: str = ""):
        raise BadRequest(f"{where}: {text_of(value)} does not fit a column of "
                         f"{KIND_WORDS[kind]} ({kind}){extra}")

    if value is None:
        if not _missing_allowed(dtype):
            refuse(f"; a {dtype} column cannot hold a missing value (convert it first)")
        return missing_for(kind, dtype)
    if kind == "object":
        return value
    if kind == "int":
        number = _number(value, refuse)
        if not float(number).is_integer():
            refuse()
        number = int(number)
        info = np.iinfo(dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else dtype)
        if not info.min <= number <= info.max:
            refuse(f"; {dtype} holds {info.min:,} to {info.max:,}")
        return number
    if kind == "float":
        return float(_number(value, refuse))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        refuse()
    if kind == "string":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            refuse()
        return value if isinstance(value, str) else str(value)
    if kind == "category":
        categories = list(dtype.categories)
        for category in categories:
            if category == value or str(category) == str(value):
                return category
        refuse(f"; its categories are {text_of(categories[:10])} (convert it to string first "
               f"to write new values)")
    if kind == "datetime":
        return _timestamp(value, dtype, refuse)
    if kind == "timedelta":
        try:
            result = pd.Timedelta(value) if isinstance(value, str) else None
        except (ValueError, TypeError, OverflowError):
            result = None
        if result is None or result is pd.NaT:
            refuse(' (write a duration like "1 day 02:00:00")')
        return result
    refuse()


def _number(value, refuse):
    if isinstance(value, bool):
        refuse()
    if isinstance(value, str):
        try:
            value = float(value.strip()) if not value.strip().lstrip("-").isdigit() else int(value)
        except ValueError:
            refuse()
    if not isinstance(value, (int, float)):
        refuse()
    if isinstance(value, float) and math.isinf(value):
        return value
    return value


def _timestamp(value, dtype, refuse):
    if not isinstance(value, str):
        refuse(' (write a date like "2021-06-01 12:00")')
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        refuse(' (write a date like "2021-06-01 12:00")')
    if stamp is pd.NaT:
        refuse()
    tz = getattr(dtype, "tz", None)
    if tz is not None:
        return stamp.tz_localize(tz) if stamp.tz is None else stamp.tz_convert(tz)
    if stamp.tz is not None:
        refuse("; the column has no time zone, write the date without one")
    return stamp


def missing_for(kind: str, dtype):
    if kind in ("datetime", "timedelta"):
        return pd.NaT
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return np.nan
    if kind == "object":
        return None
    return np.nan if kind in ("float", "string") and not _is_na_dtype(dtype) else pd.NA


def _is_na_dtype(dtype) -> bool:
    return getattr(dtype, "na_value", None) is pd.NA


def literal(value) -> str:
    """Python source that evaluates to ``value`` (numpy scalars as Python ones)."""
    if value is None:
        return "None"
    if value is pd.NA:
        return "pd.NA"
    if value is pd.NaT:
        return "pd.NaT"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, pd.Timestamp):
        text = f"pd.Timestamp({value.isoformat()!r})"
        return text if value.tz is None else f"{text}.tz_convert({str(value.tz)!r})"
    if isinstance(value, pd.Timedelta):
        return f"pd.Timedelta({value.value}, unit='ns')"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"pd.Timestamp({value.isoformat()!r})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(literal(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise BadRequest(f"a value of type {type(value).__name__} cannot be written as code")


def json_value(value):
    """A parsed value back in the step's JSON form (what ``steps`` lists)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, pd.Timedelta)):
        return value.isoformat()
    return value
