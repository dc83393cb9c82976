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

from ..frames.aggregate import Group
from ..frames.filter_syntax import Column as FilterColumn
from ..frames.filter_tree import column_text as node_text, literal_text


def column_text(name: str) -> str:
    """A column name as the filter language writes it (backquoted when it must be)."""
    return node_text(FilterColumn(name))


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
    """The non-empty parts joined with ``and``, each in parentheses when there are several
    (so a part with ``or`` at its top keeps its meaning)."""
    texts = [p.strip() for p in parts if p and p.strip()]
    if len(texts) == 1:
        return texts[0]
    return " and ".join(f"({t})" for t in texts)


def filter_for_point(spec, point: dict) -> str | None:
    """The filter for a clicked bar, slice, bin or heatmap cell: the figure builder put each
    mark's filter in its ``customdata``. None for a mark that has none (a point of a line)."""
    custom = point.get("customdata")
    return custom if isinstance(custom, str) and custom else None


def axis_value(value, kind: str) -> float:
    """A value as Plotly reports it on an axis (a date text, milliseconds, seconds of a
    duration, a number) in the units ranges use here (nanoseconds for datetimes/durations)."""
    if kind == "datetime":
        stamp = pd.Timestamp(value, unit="ms") if isinstance(value, (int, float)) \
            else pd.Timestamp(value)
        return float(stamp.tz_localize(None).value if stamp.tzinfo else stamp.value)
    if kind == "timedelta":
        return float(value) * 1e9
    return float(value)


def filter_for_range(spec, x_range, y_range, kinds: dict[str, str]) -> str | None:
    """The filter for a box selection on ``spec``'s chart (ranges as Plotly reports them),
    joined with the chart's own filter (None for small multiples). ``kinds`` maps column
    names to their kinds."""
    parts = [spec.filter]
    if spec.facet:
        # Small multiples: Plotly reports the box's axes, not its facet; a click on a mark
        # (which carries its facet's filter) shows rows instead.
        return None
    if x_range is not None and spec.x:
        lo, hi = sorted(axis_value(v, kinds[spec.x]) for v in x_range)
        parts.append(range_filter(spec.x, kinds[spec.x], lo, hi))
    y_name = spec.y[0] if spec.y else None
    if y_range is not None and y_name and spec.type in ("scatter", "density"):
        lo, hi = sorted(axis_value(v, kinds[y_name]) for v in y_range)
        parts.append(range_filter(y_name, kinds[y_name], lo, hi))
    return combine(*parts)
