"""The builders of bar, line, pie, scatter and density charts: the source's summaries -> Plotly
traces and layout (:mod:`.distribution` has histogram, box and heatmap).

Each builder takes a ``result.Context`` and returns a ``ChartResult`` whose figure has its
traces and the layout particular to the type; ``figure.build_chart`` adds the common parts.
Every mark that stands for a group of rows carries, in ``customdata``, the filter-language text
selecting those rows, so the page can offer "Show these rows" without rebuilding it.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..frames.aggregate import encode_key, numbers
from ..frames.binning import downsample_minmax, midpoints
from . import result as F
from .marks import (aggregated, axis_scale, axis_title, combine_notes, continuous_axis,
                    drop_missing, group_filters, label_text, left_out_note, missing_message,
                    nothing, second_axis, table_of, value_title)


# -- bar, line (aggregated), pie ------------------------------------------------------------
def bar(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = aggregated(ctx, F.TOP["bar"])
    if isinstance(agg, F.ChartResult):
        return agg
    data = [{"type": "bar", "name": name, "x": agg.x, "y": F.typed(values),
             "customdata": custom,
             **({"width": F.typed(agg.width)} if agg.width is not None else {})}
            for name, values, custom in agg.series]
    layout = {"barmode": "stack" if spec.barmode == "stack" else "group",
              "title": {"text": f"{value_title(ctx)} by {spec.x}"},
              "xaxis": {**axis_title(ctx, spec.x), "type": agg.x_type},
              "yaxis": axis_title(ctx, value_title(ctx)),
              "legend": {"title": {"text": spec.group or ""}}}
    second_axis(ctx, data, layout, bars=True)
    points = len(agg.groups[0]) * len(agg.series)
    labels = [label_text(g.label) for g in agg.groups[0]]
    return F.ChartResult({"data": data, "layout": layout}, 0, points, agg.reduction, agg.note,
                         table=table_of(spec.x, labels, agg.series))


def pie(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = aggregated(ctx, F.TOP["pie"])
    if isinstance(agg, F.ChartResult):
        return agg
    groups, raw = agg.groups, agg.series[0][1]
    values = np.nan_to_num(raw, nan=0.0)
    labels = [label_text(g.label) for g in groups[0]]
    reduction, note = agg.reduction, agg.note
    if (values < 0).any():
        note = combine_notes(note, "Negative values cannot be drawn as slices and are left out")
    trace = {"type": "pie", "labels": labels, "values": F.typed(np.clip(values, 0, None)),
             "customdata": group_filters(ctx, spec.x, groups[0]), "sort": False,
             "textinfo": "label+percent"}
    layout = {"title": {"text": f"{value_title(ctx)} by {spec.x}"}}
    table = pd.DataFrame({spec.x: labels, value_title(ctx): raw})
    return F.ChartResult({"data": [trace], "layout": layout}, 0, len(labels), reduction, note,
                         table=table)


def line(ctx) -> F.ChartResult:
    spec = ctx.spec
    x_kind = ctx.kind(spec.x)
    if spec.freq or spec.agg or x_kind not in ("int", "float", "datetime") or not spec.y:
        return _aggregated_line(ctx)
    return _raw_line(ctx)


def _aggregated_line(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = aggregated(ctx, F.TOP["line"])
    if isinstance(agg, F.ChartResult):
        return agg
    groups, series, x, x_type = agg.groups, agg.series, agg.x, agg.x_type
    reduction, note = agg.reduction, agg.note
    data, points = [], 0
    budget = max(50, F.LINE_BUCKETS // len(series))
    for name, values, custom in series:
        trace = {"type": "scatter", "mode": "lines+markers" if len(values) <= 200 else "lines",
                 "name": name, "x": x, "y": F.typed(values), "customdata": custom}
        if len(values) > 2 * budget and x_type != "category":
            # Many periods (hours over years): keep each bucket's min and max.
            xs, ys, _ = downsample_minmax(F.decode(x), np.asarray(values, float), budget)
            trace.update(x=F.typed(xs), y=F.typed(ys), customdata=None)
            reduction, note = "downsampled", f"{len(values):,} points per line: min and max " \
                                             f"of {budget:,} buckets shown"
        data.append(trace)
        points += len(F.decode(trace["y"]))
    layout = {"title": {"text": f"{value_title(ctx)} by {spec.x}"},
              "xaxis": {**axis_title(ctx, spec.x), "type": x_type},
              "yaxis": axis_title(ctx, value_title(ctx)),
              "legend": {"title": {"text": spec.group or ""}}}
    second_axis(ctx, data, layout)
    return F.ChartResult({"data": data, "layout": layout}, 0, points, reduction, note,
                         table=table_of(spec.x, [label_text(g.label) for g in groups[0]], series))


def _raw_line(ctx) -> F.ChartResult:
    spec = ctx.spec
    x_col = ctx.col(spec.x)
    key = ctx.key(spec.group, top=F.TOP_GROUPS) if spec.group else None
    lines, names, notes = [], [], []
    ys = spec.y + spec.y2
    budget = max(50, F.LINE_BUCKETS // max(1, len(ys)))
    if key is not None:
        budget = max(50, F.LINE_BUCKETS // (F.TOP_GROUPS + 1))
    ctx.resolved["__buckets__"] = budget
    for y in ys:
        groups, per_group = ctx.source.downsample(ctx.positions, x_col.position,
                                                  ctx.col(y).position, budget, spec.x_range,
                                                  key)
        if spec.x_range is None:  # every row is on a line (its group's), unless it has no x/y
            notes.append(left_out_note(ctx.rows - sum(n for _, _, n in per_group),
                                       [spec.x, y]))
        if groups and groups[-1].is_missing and not ctx.shows_missing(key):
            notes.append(left_out_note(per_group[-1][2], [spec.group]))
            groups, per_group = groups[:-1], per_group[:-1]
        if groups is not None:
            names += [label_text(g.label) for g in groups]
        else:
            names.append(y)
        lines += per_group
    total = sum(n for _, _, n in lines)
    if total == 0:
        return nothing(ctx, missing_message(ctx, [spec.x, *ys]))
    scale = axis_scale(x_col.kind)
    data = [{"type": "scatter", "mode": "lines", "name": name, "x": F.typed(xs / scale),
             "y": F.typed(ys)} for name, (xs, ys, _) in zip(names, lines)]
    points = sum(len(xs) for xs, _, _ in lines)
    reduced = points < total
    note = (f"{total:,} points: each line keeps the min and max of {budget:,} buckets of "
            f"{spec.x} (zoom in for detail)") if reduced else None
    note = combine_notes(note, *notes)
    layout = {"title": {"text": f"{', '.join(spec.y)} over {spec.x}"},
              "xaxis": {**axis_title(ctx, spec.x),
                        "type": "date" if x_col.kind == "datetime" else "linear"},
              "yaxis": axis_title(ctx, ", ".join(spec.y)),
              "legend": {"title": {"text": spec.group or ""}}}
    second_axis(ctx, data, layout, aggregated=False)
    table = pd.concat([pd.DataFrame({"series": name, spec.x: xs / scale, "y": ys})
                       for name, (xs, ys, _) in zip(names, lines)], ignore_index=True)
    return F.ChartResult({"data": data, "layout": layout}, 0, points,
                         "downsampled" if reduced else "none", note, table=table)


# -- scatter, density -----------------------------------------------------------------------
def scatter(ctx) -> F.ChartResult:
    spec = ctx.spec
    y = spec.y[0]
    wanted = [ctx.col(spec.x).position, ctx.col(y).position]
    if spec.group:
        wanted.append(ctx.col(spec.group).position)
    frame, total = ctx.source.sample(ctx.positions, wanted, F.POINT_BOUND)
    # The sample's rows have every column: the others are left out, also from a group.
    left_out = left_out_note(ctx.rows - total, [spec.x, y, spec.group])
    if total > F.POINT_BOUND:
        ctx.resolved["__density__"] = True
        result = density(ctx)
        if result.message is None:
            result.note = combine_notes(
                f"{total:,} points: drawn as a density of rows per cell "
                f"({result.note.split(' in ')[-1]}); zoom in to re-bin", left_out)
        return result
    if total == 0:
        return nothing(ctx, missing_message(ctx, [spec.x, y]))
    x_kind, y_kind = ctx.kind(spec.x), ctx.kind(y)
    xs = numbers(frame.iloc[:, 0], x_kind) / axis_scale(x_kind)
    ys = numbers(frame.iloc[:, 1], y_kind) / axis_scale(y_kind)
    data = []
    if spec.group:
        codes, groups = encode_key(frame.iloc[:, 2], ctx.kind(spec.group),
                                   ctx.key(spec.group, top=F.TOP_GROUPS, missing=False))
        for j, g in enumerate(groups):
            keep = codes == j
            data.append(_markers(label_text(g.label), xs[keep], ys[keep]))
    else:
        data.append(_markers(y, xs, ys))
    layout = {"title": {"text": f"{y} against {spec.x}"}, "dragmode": "select",
              "xaxis": {**axis_title(ctx, spec.x), "type": continuous_axis(x_kind)},
              "yaxis": {**axis_title(ctx, y), "type": continuous_axis(y_kind)},
              "legend": {"title": {"text": spec.group or ""}}}
    table = pd.DataFrame({spec.x: xs, y: ys})
    return F.ChartResult({"data": data, "layout": layout}, 0, int(total), "none", left_out,
                         table=table)


def _markers(name, xs, ys) -> dict:
    # SVG markers, not WebGL: the page's CSP has no 'unsafe-eval', which WebGL traces need.
    return {"type": "scatter", "mode": "markers", "name": name, "x": F.typed(xs),
            "y": F.typed(ys), "marker": {"size": 5, "opacity": 0.7}}




def density(ctx) -> F.ChartResult:
    spec = ctx.spec
    y = spec.y[0]
    x_col, y_col = ctx.col(spec.x), ctx.col(y)
    nx = spec.bins or F.DEFAULT_BINS["density"]
    ny = max(1, nx * 3 // 4)
    ctx.resolved["__bins2d__"] = (nx, ny)
    x_edges, y_edges, counts = ctx.source.bins2d(ctx.positions, x_col.position,
                                                 y_col.position, nx, ny, spec.x_range,
                                                 spec.y_range)
    if counts.size == 0 or counts.sum() == 0:
        return nothing(ctx, missing_message(ctx, [spec.x, y]))
    x_scale, y_scale = axis_scale(x_col.kind), axis_scale(y_col.kind)
    z = np.where(counts > 0, counts, np.nan)  # empty cells stay blank
    trace = {"type": "heatmap", "x": F.typed(midpoints(x_edges) / x_scale),
             "y": F.typed(midpoints(y_edges) / y_scale), "z": F.typed(z),
             "colorscale": "Viridis", "colorbar": {"title": {"text": "rows"}},
             "hovertemplate": f"{spec.x}: %{{x}}<br>{y}: %{{y}}<br>rows: %{{z}}<extra></extra>"}
    layout = {"title": {"text": f"density of {y} against {spec.x}"}, "dragmode": "select",
              "xaxis": {**axis_title(ctx, spec.x), "type": continuous_axis(x_col.kind)},
              "yaxis": {**axis_title(ctx, y), "type": continuous_axis(y_col.kind)}}
    cx = midpoints(x_edges)
    cy = midpoints(y_edges)
    gx, gy = np.meshgrid(cx, cy)
    table = pd.DataFrame({spec.x: gx.ravel(), y: gy.ravel(), "rows": counts.ravel()})
    table = table[table["rows"] > 0]
    left_out = None
    if spec.x_range is None and spec.y_range is None and not ctx.resolved.get("__density__"):
        left_out = left_out_note(ctx.rows - counts.sum(), [spec.x, y])
    return F.ChartResult({"data": [trace], "layout": layout}, 0, int(counts.size), "binned",
                         combine_notes(f"{int(counts.sum()):,} rows in {nx} x {ny} cells",
                                       left_out), table=table)
