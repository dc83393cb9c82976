"""The builders of distribution charts: histogram, box plot and heatmap (binned or grouped
counts and statistics -> Plotly traces), in the manner of :mod:`.traces`.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..frames.aggregate import OTHER, Group
from ..frames.binning import midpoints
from . import result as F
from .selection import combine, group_filter
from .marks import (MAX_FILTERED_MARKS, axis, axis_scale, axis_title, combine_notes,
                    continuous_axis, drop_missing, group_filters, label_text, left_out_note,
                    missing_message, nothing, reduction_of, value_title)


# -- histogram, box, heatmap ----------------------------------------------------------------
def histogram(ctx) -> F.ChartResult:
    spec = ctx.spec
    column = ctx.col(spec.x)
    bins = spec.bins or F.DEFAULT_BINS["histogram"]
    key = ctx.key(spec.group, top=10) if spec.group else None
    edges, counts, groups = ctx.source.histogram(ctx.positions, column.position, bins,
                                                 spec.x_range, key)
    # Every row is in a group (its missing one too): the rows not counted have no x (unless
    # a zoom left them out).
    notes = [left_out_note(ctx.rows - counts.sum(), [spec.x]) if spec.x_range is None
             else None]
    if groups and groups[-1].is_missing and not ctx.shows_missing(key):
        notes.append(left_out_note(counts[-1].sum(), [spec.group]))
        groups, counts = groups[:-1], counts[:-1]
    if counts.size == 0 or counts.sum() == 0:
        return nothing(ctx, missing_message(ctx, [spec.x]))
    scale = axis_scale(column.kind)
    centers, widths = midpoints(edges) / scale, np.diff(edges) / scale
    names = [label_text(g.label) for g in groups] if groups else [spec.x]
    bin_groups = [Group(label=None, lo=_edge(e, column.kind), hi=_edge(edges[i + 1], column.kind),
                        closed=i == bins - 1) for i, e in enumerate(edges[:-1])]
    filters = group_filters(ctx, spec.x, bin_groups)
    data = []
    # A filter per bar, unless there are so many that their text would outweigh the figure
    # (box-selecting a range gives the filter then).
    with_filters = len(names) * bins <= MAX_FILTERED_MARKS
    for j, name in enumerate(names):
        custom = None if not with_filters else filters if not groups else [
            combine(f, group_filter(spec.group, groups[j])) for f in filters]
        data.append({"type": "bar", "name": name, "x": F.typed(centers),
                     "y": F.typed(counts[j]), "width": F.typed(widths), "customdata": custom,
                     **({"opacity": 0.6} if groups and spec.barmode != "stack" else {})})
    layout = {"title": {"text": f"histogram of {spec.x}"}, "dragmode": "select",
              "barmode": "stack" if spec.barmode == "stack" else "overlay",
              "bargap": 0, "xaxis": {**axis_title(ctx, spec.x),
                                     "type": continuous_axis(column.kind)},
              "yaxis": axis_title(ctx, "rows"), "legend": {"title": {"text": spec.group or ""}}}
    table = pd.DataFrame({"bin_start": edges[:-1] / scale, "bin_end": edges[1:] / scale})
    for j, name in enumerate(names):
        table[name] = counts[j]
    return F.ChartResult({"data": data, "layout": layout}, 0, int(counts.size), "binned",
                         combine_notes(*notes), table=table)


def _edge(value: float, kind: str):
    if kind == "datetime":
        return pd.Timestamp(int(round(value)))
    if kind == "timedelta":
        return pd.Timedelta(int(round(value)))
    return float(value)


def box(ctx) -> F.ChartResult:
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=F.TOP["box"])] if spec.x else []
    data, rows, notes = [], [], []
    for y in spec.y:
        groups, stats = ctx.source.box_stats(ctx.positions, keys, ctx.col(y).position)
        # Every row with a y is in a group (its missing one too).
        notes.append(left_out_note(ctx.rows - stats["count"].sum(), [y]))
        if keys and groups[0] and groups[0][-1].is_missing and not ctx.shows_missing(keys[0]):
            groups = [groups[0][:-1]]
            stats = {name: values[:-1] for name, values in stats.items()}
            notes.append(_rows_without(ctx, keys[0], spec.x))
        present = stats["count"] > 0
        if not present.any():
            continue
        trace = {"type": "box", "name": y, "boxmean": True,
                 **{k: F.typed(stats[k][present]) for k in
                    ("q1", "median", "q3", "mean", "lowerfence", "upperfence")}}
        labels = ([label_text(g.label) for g, p in zip(groups[0], present) if p]
                  if keys else [y])
        trace["x"] = labels
        data.append(trace)
        rows.append(pd.DataFrame({"x": labels, "y": y, **{k: stats[k][present] for k in (
            "count", "q1", "median", "q3", "mean", "lowerfence", "upperfence")}}))
    if not data:
        return nothing(ctx, missing_message(ctx, list(spec.y)))
    layout = {"title": {"text": f"{', '.join(spec.y)}" + (f" by {spec.x}" if spec.x else "")},
              "boxmode": "group", "xaxis": {**axis_title(ctx, spec.x), "type": "category"},
              "yaxis": axis_title(ctx, ", ".join(spec.y))}
    points = sum(len(t["x"]) for t in data)
    reduction = "top_n" if keys and any(t["x"] and OTHER in t["x"] for t in data) \
        else "aggregated"
    return F.ChartResult({"data": data, "layout": layout}, 0, points, reduction,
                         combine_notes(*dict.fromkeys(notes)),
                         table=pd.concat(rows, ignore_index=True))


def _rows_without(ctx, key, name: str) -> str | None:
    """The note on the rows of ``key``'s missing group (left out)."""
    groups, (counts,) = ctx.source.group_aggregate(ctx.positions, [key], [(None, "count")])
    missing = counts[-1] if groups[0] and groups[0][-1].is_missing else 0
    return left_out_note(missing, [name])


def heatmap(ctx) -> F.ChartResult:
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=F.TOP["heatmap"]), ctx.key(spec.y[0], top=F.TOP["heatmap"])]
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    measure = (ctx.col(spec.z).position, agg) if spec.z else (None, "count")
    groups, (values, rows) = ctx.source.group_aggregate(ctx.positions, keys,
                                                        [measure, (None, "count")])
    groups, (values, kept), dropped = drop_missing(ctx, keys, [spec.x, spec.y[0]], groups,
                                                   [values, rows])
    left_out = left_out_note(rows.sum() - kept.sum(), dropped)
    xg, yg = groups
    if not xg or not yg:
        return nothing(ctx, missing_message(ctx, [spec.x, spec.y[0]]))
    z = values.reshape(len(xg), len(yg)).T.copy()
    if measure[0] is None or agg in ("count", "distinct"):
        z[z == 0] = np.nan  # no rows in the cell: blank, not a zero
    x, x_type, _ = axis(xg)
    y, y_type, _ = axis(yg)
    x_filters = [group_filter(spec.x, g) for g in xg]
    custom = [[combine(spec.filter, xf, group_filter(spec.y[0], g)) for xf in x_filters]
              for g in yg]
    trace = {"type": "heatmap", "x": x, "y": y, "z": F.typed(z), "customdata": custom,
             "colorscale": "Viridis", "colorbar": {"title": {"text": value_title(ctx)}}}
    layout = {"title": {"text": f"{value_title(ctx)} by {spec.x} and {spec.y[0]}"},
              "xaxis": {**axis_title(ctx, spec.x), "type": x_type},
              "yaxis": {**axis_title(ctx, spec.y[0]), "type": y_type}}
    reduction, note = reduction_of(groups, keys)
    note = combine_notes(note, left_out)
    table = pd.DataFrame(z, index=[label_text(g.label) for g in yg],
                         columns=[label_text(g.label) for g in xg])
    table.index.name = spec.y[0]
    return F.ChartResult({"data": [trace], "layout": layout}, 0, int(z.size), reduction, note,
                         table=table.reset_index())
