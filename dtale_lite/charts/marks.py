"""What every chart type's builder shares: axis labels and scales, the filter text behind each
mark, the aggregated series of a bar or line, notes on what was reduced or left out.

Pure: no Flask, no Dash, no plotly import. The builders are :mod:`.traces` (bar, line, pie,
scatter, density) and :mod:`.distribution` (histogram, box, heatmap).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frames.aggregate import Group
from . import result as F
from .selection import combine, group_filter

MS = 1e6  # nanoseconds per millisecond: Plotly's date axes take milliseconds since 1970
MAX_FILTERED_MARKS = 2_500  # marks that carry their rows' filter text in customdata


# -- shared pieces --------------------------------------------------------------------------
def label_text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)


def axis(groups: list[Group]):
    """(values, axis type, bar widths or None) for groups along an axis."""
    first = groups[0] if groups else None
    if first is not None and first.lo is not None:
        if isinstance(first.lo, pd.Timestamp):
            return F.typed(np.array([g.lo.value for g in groups], float) / MS), "date", None
        lo = np.array([g.lo for g in groups], float)
        hi = np.array([g.hi for g in groups], float)
        return F.typed(lo / 2 + hi / 2), "linear", hi - lo
    return [label_text(g.label) for g in groups], "category", None


def group_filters(ctx, name: str, groups: list[Group]) -> list[str]:
    return [combine(ctx.spec.filter, group_filter(name, g)) for g in groups]


def reduction_of(groups_per_key: list[list[Group]], keys) -> tuple[str, str | None]:
    if any(g.is_other for groups in groups_per_key for g in groups):
        return "top_n", "The most frequent values are shown; all others are summed in 'Other'"
    if any(k.bins or k.freq for k in keys):
        return "binned" if any(k.bins for k in keys) else "aggregated", None
    return "aggregated", None


def nothing(ctx, message: str) -> F.ChartResult:
    return F.ChartResult(figure={"data": [], "layout": {}}, rows=0, message=message)


def missing_message(ctx, names) -> str:
    listed = " and ".join(f"'{n}'" for n in names if n)
    return f"No values to chart: {listed} has no usable value in these rows"


def axis_scale(kind: str) -> float:
    """Nanoseconds per axis unit: Plotly's date axes count milliseconds; durations are drawn
    in seconds on a plain axis."""
    return {"datetime": MS, "timedelta": 1e9}.get(kind, 1.0)


def axis_title(ctx, name: str | None, fallback: str = "") -> dict:
    if name and ctx.columns.get(name) is not None and ctx.kind(name) == "timedelta":
        return {"title": {"text": f"{name} (seconds)"}}
    return {"title": {"text": name or fallback}}


def value_title(ctx) -> str:
    agg = ctx.spec.effective_agg()
    values = ctx.spec.z if ctx.spec.type in ("heatmap", "surface") else ", ".join(ctx.spec.y)
    return f"{agg} of {values}" if values else "count of rows"


def series_of(ctx, groups, results):
    """(name, values over x, customdata) per series: one per group, else one per y."""
    spec, xg = ctx.spec, groups[0]
    x_filters = [group_filter(spec.x, g) for g in xg]
    if spec.group:
        gg = groups[1]
        matrix = results[0].reshape(len(xg), len(gg))
        return [(label_text(g.label), matrix[:, j],
                 [combine(spec.filter, xf, group_filter(spec.group, g)) for xf in x_filters])
                for j, g in enumerate(gg)]
    names = list(spec.y) + list(spec.y2) or ["count"]
    return [(name, values, [combine(spec.filter, xf) for xf in x_filters])
            for name, values in zip(names, results)]


@dataclass
class Aggregated:
    """The series of an aggregated chart over x (and its groups), with x as an axis."""

    groups: list
    series: list
    x: object
    x_type: str
    width: object
    reduction: str
    note: str | None


def aggregated(ctx, top: int) -> Aggregated | F.ChartResult:
    """The spec's aggregate by x (and group); a ChartResult with a message if nothing is left."""
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=top)]
    if spec.group:
        keys.append(ctx.key(spec.group, top=F.TOP_GROUPS))
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    measures = [(ctx.col(y).position, agg) for y in spec.y + spec.y2] or [(None, "count")]
    # Rows per group too, to count the rows of a missing group that is left out.
    groups, results = ctx.source.group_aggregate(ctx.positions, keys,
                                                 measures + [(None, "count")])
    rows = results[-1].sum()
    groups, results, dropped = drop_missing(ctx, keys, [spec.x, spec.group], groups, results)
    left_out = left_out_note(rows - results[-1].sum(), dropped)
    results = results[:-1]
    if not groups[0] or (spec.group and not groups[1]):
        return nothing(ctx, missing_message(ctx, [spec.x, spec.group]))
    x, x_type, width = axis(groups[0])
    reduction, note = reduction_of(groups, keys)
    note = combine_notes(note, left_out)
    return Aggregated(groups, series_of(ctx, groups, results), x, x_type, width, reduction, note)


def second_axis(ctx, data: list[dict], layout: dict, bars: bool = False,
                aggregated: bool = True) -> None:
    """The spec's ``y2`` series on a y axis on the right (issue 16): their traces moved to it,
    its title, the legend moved past its labels. Bars on the two axes stand side by side
    (grouped) or make one stack per axis."""
    spec = ctx.spec
    if not spec.y2:
        return
    for i, trace in enumerate(data):
        right = trace.get("name") in spec.y2
        if right:
            trace["yaxis"] = "y2"
        if bars:
            trace["offsetgroup"] = ("y2" if right else "y") if spec.barmode == "stack" \
                else str(i)
    title = ", ".join(spec.y2)
    if aggregated:
        title = f"{spec.effective_agg()} of {title}"
    layout["yaxis2"] = {"title": {"text": title}, "overlaying": "y", "side": "right",
                        "showgrid": False}
    layout.setdefault("legend", {})["x"] = 1.08


def combine_notes(*notes) -> str | None:
    texts = [n for n in notes if n]
    return "; ".join(texts) if texts else None


def left_out_note(rows: int, names) -> str | None:
    """"988 rows with no region left out" (None when no row is)."""
    unique = list(dict.fromkeys(n for n in names if n))
    listed = " or ".join(unique) if len(unique) < 3 else \
        ", ".join(unique[:-1]) + " or " + unique[-1]
    if rows <= 0 or not listed:
        return None
    return f"{int(rows):,} {'row' if rows == 1 else 'rows'} with no {listed} left out"


def drop_missing(ctx, keys, names, groups, arrays):
    """(groups, arrays, names of the keys that lost rows): each key's missing group that is
    not drawn (``Context.shows_missing``) taken out of ``groups`` and of ``arrays`` (flat over
    the keys' groups, row-major, as ``group_aggregate`` returns them)."""
    kept, dropped = [], []
    for key, name, key_groups in zip(keys, names, groups):
        index = np.arange(len(key_groups))
        if key_groups and key_groups[-1].is_missing and not ctx.shows_missing(key):
            index, dropped = index[:-1], dropped + [name]
        kept.append(index)
    if not dropped:
        return groups, arrays, []
    grid = np.ix_(*kept)
    sizes = [len(g) for g in groups]
    arrays = [np.asarray(a).reshape(sizes)[grid].ravel() for a in arrays]
    return [[g[i] for i in index] for g, index in zip(groups, kept)], arrays, dropped


def table_of(x_name, x_values, series) -> pd.DataFrame:
    table = pd.DataFrame({x_name or "x": x_values})
    for name, values, _ in series:
        table[name] = values
    return table

def continuous_axis(kind: str) -> str:
    return "date" if kind == "datetime" else "linear"
