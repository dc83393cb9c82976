"""One builder per chart type: the source's summaries -> Plotly traces and layout.

Each builder takes a ``figure.Context`` and returns a ``ChartResult`` whose figure has its
traces and the layout particular to the type; ``figure.build_chart`` adds the common parts.
Every mark that stands for a group of rows carries, in ``customdata``, the filter-language text
selecting those rows, so the page can offer "Show these rows" without rebuilding it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..aggregate import OTHER, Group, downsample_minmax, encode_key, midpoints, numbers
from . import figure as F
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
    values = ctx.spec.z if ctx.spec.type == "heatmap" else ", ".join(ctx.spec.y)
    return f"{agg} of {values}" if values else "count of rows"


def _series(ctx, groups, results):
    """(name, values over x, customdata) per series: one per group, else one per y."""
    spec, xg = ctx.spec, groups[0]
    x_filters = [group_filter(spec.x, g) for g in xg]
    if spec.group:
        gg = groups[1]
        matrix = results[0].reshape(len(xg), len(gg))
        return [(label_text(g.label), matrix[:, j],
                 [combine(spec.filter, xf, group_filter(spec.group, g)) for xf in x_filters])
                for j, g in enumerate(gg)]
    names = list(spec.y) or ["count"]
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


def _aggregated(ctx, top: int) -> Aggregated | F.ChartResult:
    """The spec's aggregate by x (and group); a ChartResult with a message if nothing is left."""
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=top)]
    if spec.group:
        keys.append(ctx.key(spec.group, top=F.TOP_GROUPS))
    agg = spec.effective_agg()
    measures = [(ctx.col(y).position, agg) for y in spec.y] or [(None, "count")]
    groups, results = ctx.source.group_aggregate(ctx.positions, keys, measures)
    if not groups[0] or (spec.group and not groups[1]):
        return nothing(ctx, missing_message(ctx, [spec.x, spec.group]))
    x, x_type, width = axis(groups[0])
    reduction, note = reduction_of(groups, keys)
    return Aggregated(groups, _series(ctx, groups, results), x, x_type, width, reduction, note)


def _table(x_name, x_values, series) -> pd.DataFrame:
    table = pd.DataFrame({x_name or "x": x_values})
    for name, values, _ in series:
        table[name] = values
    return table


# -- bar, line (aggregated), pie ------------------------------------------------------------
def bar(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = _aggregated(ctx, F.TOP["bar"])
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
    points = len(agg.groups[0]) * len(agg.series)
    labels = [label_text(g.label) for g in agg.groups[0]]
    return F.ChartResult({"data": data, "layout": layout}, 0, points, agg.reduction, agg.note,
                         table=_table(spec.x, labels, agg.series))


def pie(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = _aggregated(ctx, F.TOP["pie"])
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


def combine_notes(*notes) -> str | None:
    texts = [n for n in notes if n]
    return "; ".join(texts) if texts else None


def line(ctx) -> F.ChartResult:
    spec = ctx.spec
    x_kind = ctx.kind(spec.x)
    if spec.freq or spec.agg or x_kind not in ("int", "float", "datetime") or not spec.y:
        return _aggregated_line(ctx)
    return _raw_line(ctx)


def _aggregated_line(ctx) -> F.ChartResult:
    spec = ctx.spec
    agg = _aggregated(ctx, F.TOP["line"])
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
    return F.ChartResult({"data": data, "layout": layout}, 0, points, reduction, note,
                         table=_table(spec.x, [label_text(g.label) for g in groups[0]], series))


def _raw_line(ctx) -> F.ChartResult:
    spec = ctx.spec
    x_col = ctx.col(spec.x)
    key = ctx.key(spec.group, top=F.TOP_GROUPS) if spec.group else None
    lines, names = [], []
    budget = max(50, F.LINE_BUCKETS // max(1, len(spec.y)))
    if key is not None:
        budget = max(50, F.LINE_BUCKETS // (F.TOP_GROUPS + 1))
    ctx.resolved["__buckets__"] = budget
    for y in spec.y:
        groups, per_group = ctx.source.downsample(ctx.positions, x_col.position,
                                                  ctx.col(y).position, budget, spec.x_range,
                                                  key)
        if groups is not None:
            names += [label_text(g.label) for g in groups]
        else:
            names.append(y)
        lines += per_group
    total = sum(n for _, _, n in lines)
    if total == 0:
        return nothing(ctx, missing_message(ctx, [spec.x, *spec.y]))
    scale = axis_scale(x_col.kind)
    data = [{"type": "scatter", "mode": "lines", "name": name, "x": F.typed(xs / scale),
             "y": F.typed(ys)} for name, (xs, ys, _) in zip(names, lines)]
    points = sum(len(xs) for xs, _, _ in lines)
    reduced = points < total
    note = (f"{total:,} points: each line keeps the min and max of {budget:,} buckets of "
            f"{spec.x} (zoom in for detail)") if reduced else None
    layout = {"title": {"text": f"{', '.join(spec.y)} over {spec.x}"},
              "xaxis": {**axis_title(ctx, spec.x),
                        "type": "date" if x_col.kind == "datetime" else "linear"},
              "yaxis": axis_title(ctx, ", ".join(spec.y)),
              "legend": {"title": {"text": spec.group or ""}}}
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
    if total > F.POINT_BOUND:
        ctx.resolved["__density__"] = True
        result = density(ctx)
        if result.message is None:
            result.note = (f"{total:,} points: drawn as a density of rows per cell "
                           f"({result.note.split(' in ')[-1]}); zoom in to re-bin")
        return result
    if total == 0:
        return nothing(ctx, missing_message(ctx, [spec.x, y]))
    x_kind, y_kind = ctx.kind(spec.x), ctx.kind(y)
    xs = numbers(frame.iloc[:, 0], x_kind) / axis_scale(x_kind)
    ys = numbers(frame.iloc[:, 1], y_kind) / axis_scale(y_kind)
    data = []
    if spec.group:
        codes, groups = encode_key(frame.iloc[:, 2], ctx.kind(spec.group),
                                   ctx.key(spec.group, top=F.TOP_GROUPS))
        for j, g in enumerate(groups):
            keep = codes == j
            data.append(_markers(label_text(g.label), xs[keep], ys[keep]))
    else:
        data.append(_markers(y, xs, ys))
    layout = {"title": {"text": f"{y} against {spec.x}"}, "dragmode": "select",
              "xaxis": {**axis_title(ctx, spec.x), "type": _continuous_axis(x_kind)},
              "yaxis": {**axis_title(ctx, y), "type": _continuous_axis(y_kind)},
              "legend": {"title": {"text": spec.group or ""}}}
    table = pd.DataFrame({spec.x: xs, y: ys})
    return F.ChartResult({"data": data, "layout": layout}, 0, int(total), "none", None,
                         table=table)


def _markers(name, xs, ys) -> dict:
    # SVG markers, not WebGL: the page's CSP has no 'unsafe-eval', which WebGL traces need.
    return {"type": "scatter", "mode": "markers", "name": name, "x": F.typed(xs),
            "y": F.typed(ys), "marker": {"size": 5, "opacity": 0.7}}


def _continuous_axis(kind: str) -> str:
    return "date" if kind == "datetime" else "linear"


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
              "xaxis": {**axis_title(ctx, spec.x), "type": _continuous_axis(x_col.kind)},
              "yaxis": {**axis_title(ctx, y), "type": _continuous_axis(y_col.kind)}}
    cx = midpoints(x_edges)
    cy = midpoints(y_edges)
    gx, gy = np.meshgrid(cx, cy)
    table = pd.DataFrame({spec.x: gx.ravel(), y: gy.ravel(), "rows": counts.ravel()})
    table = table[table["rows"] > 0]
    return F.ChartResult({"data": [trace], "layout": layout}, 0, int(counts.size), "binned",
                         f"{int(counts.sum()):,} rows in {nx} x {ny} cells", table=table)


# -- histogram, box, heatmap ----------------------------------------------------------------
def histogram(ctx) -> F.ChartResult:
    spec = ctx.spec
    column = ctx.col(spec.x)
    bins = spec.bins or F.DEFAULT_BINS["histogram"]
    key = ctx.key(spec.group, top=10) if spec.group else None
    edges, counts, groups = ctx.source.histogram(ctx.positions, column.position, bins,
                                                 spec.x_range, key)
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
                                     "type": _continuous_axis(column.kind)},
              "yaxis": axis_title(ctx, "rows"), "legend": {"title": {"text": spec.group or ""}}}
    table = pd.DataFrame({"bin_start": edges[:-1] / scale, "bin_end": edges[1:] / scale})
    for j, name in enumerate(names):
        table[name] = counts[j]
    return F.ChartResult({"data": data, "layout": layout}, 0, int(counts.size), "binned",
                         None, table=table)


def _edge(value: float, kind: str):
    if kind == "datetime":
        return pd.Timestamp(int(round(value)))
    if kind == "timedelta":
        return pd.Timedelta(int(round(value)))
    return float(value)


def box(ctx) -> F.ChartResult:
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=F.TOP["box"])] if spec.x else []
    data, rows = [], []
    for y in spec.y:
        groups, stats = ctx.source.box_stats(ctx.positions, keys, ctx.col(y).position)
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
    return F.ChartResult({"data": data, "layout": layout}, 0, points, reduction, None,
                         table=pd.concat(rows, ignore_index=True))


def heatmap(ctx) -> F.ChartResult:
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=F.TOP["heatmap"]), ctx.key(spec.y[0], top=F.TOP["heatmap"])]
    agg = spec.effective_agg()
    measure = (ctx.col(spec.z).position, agg) if spec.z else (None, "count")
    groups, (values,) = ctx.source.group_aggregate(ctx.positions, keys, [measure])
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
    table = pd.DataFrame(z, index=[label_text(g.label) for g in yg],
                         columns=[label_text(g.label) for g in xg])
    table.index.name = spec.y[0]
    return F.ChartResult({"data": [trace], "layout": layout}, 0, int(z.size), reduction, note,
                         table=table.reset_index())


BUILDERS = {"bar": bar, "line": line, "pie": pie, "scatter": scatter, "density": density,
            "histogram": histogram, "box": box, "heatmap": heatmap}
