"""From a mark on a chart back to rows: the filter-language text that selects them.

A clicked bar, slice or heatmap cell is a group (a value, a time period, a bin, or "Other");
a box-selected region is a range on each axis. Either becomes a filter in the grid's own
language (``s_lo == "cat_03"``, ``f1 >= 0.5 and f1 < 1.2``), joined with the chart's own
filter by ``and``, so "Show these rows" opens the grid on exactly the rows behind the mark.
Pure: the text is built from values, and the filter parser checks it like any other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..aggregate import Group
from ..filter_syntax import Column as FilterColumn
from ..filter_syntax import _column_text, literal_text


def column_text(name: str) -> str:
    """A column name as the filter language writes it (backquoted when it must be)."""
    return _column_text(FilterColumn(name))


def value_text(value: object) -> str:
    """A value as a filter literal: numbers, text, booleans, and datetimes as ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(value)
        return literal_text(stamp.tz_localize(None).isoformat() if stamp.tzinfo
                            else stamp.isoformat())
    if isinstance(value, pd.Timedelta):
        return literal_text(value.isoformat())
    if not isinstance(value, (str, int, float, bool)) and value is not None:
        value = str(value)
    return literal_text(value)


def group_filter(name: str, group: Group) -> str:
    """The rows of one group of column ``name``."""
    col = column_text(name)
    if group.is_other:
        kept = ", ".join(value_text(v) for v in group.others)
        return f"{col} is not null and {col} not in [{kept}]"
    if group.lo is not None:
        upper = "<=" if group.closed else "<"
        return f"{col} >= {value_text(group.lo)} and {col} {upper} {value_text(group.hi)}"
    if group.value is None:
        return f"{col} is null"
    return f"{col} == {value_text(group.value)}"


def range_filter(name: str, kind: str, lo: float, hi: float) -> str:
    """Rows with ``lo <= value <= hi`` (values in the axis' units: nanoseconds for datetimes)."""
    col = column_text(name)
    if kind in ("datetime", "timedelta"):
        make = pd.Timestamp if kind == "datetime" else pd.Timedelta
        lo_text, hi_text = (value_text(make(int(v))) for v in (lo, hi))
    else:
        lo_text, hi_text = value_text(float(lo)), value_text(float(hi))
    return f"{col} >= {lo_text} and {col} <= {hi_text}"


def combine(*parts: str | None) -> str:
    """The parts joined with ``and``; a part with ``or`` at its top is put in parentheses."""
    texts = [p.strip() for p in parts if p and p.strip()]
    if len(texts) == 1:
        return texts[0]
    return " and ".join(f"({t})" for t in texts)


def filter_for_range(spec, kinds: dict[str, str], x_range=None, y_range=None) -> str:
    """The filter for a box selection (ranges in axis units) on ``spec``'s chart, with the
    chart's own filter. ``kinds`` maps column names to their kinds."""
    parts = [spec.filter]
    if x_range is not None and spec.x:
        parts.append(range_filter(spec.x, kinds[spec.x], *x_range))
    y_name = spec.y[0] if spec.y else None
    if y_range is not None and y_name and spec.type in ("scatter", "density"):
        parts.append(range_filter(y_name, kinds[y_name], *y_range))
    return combine(*parts)
