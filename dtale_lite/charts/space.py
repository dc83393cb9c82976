"""The builders of charts in three dimensions (issue 16): scatter3d and surface.

- ``scatter3d`` draws rows as points: every row with x, y and z up to ``POINTS_3D``, else a
  seeded uniform sample of ``POINTS_3D`` of them, with a note. A sample rather than a 3D
  density: in 3D a binned density hides its inner cells behind the outer ones, while a 20,000
  point sample keeps the shape of the cloud and stays fast to rotate (WebGL). Built from the
  ``sample`` primitive, so it draws on every engine.
- ``surface`` aggregates z over a grid of equal-width bins of x and y (``bins`` per axis), the
  way a heatmap does, from ``group_aggregate``: on every engine too.

WebGL needs no 'unsafe-eval' for these traces (the page's CSP has none; a browser test checks).
Pure: no Flask, no Dash, no plotly import.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames.aggregate import encode_key, numbers
from . import result as F
from .marks import (axis_scale, combine_notes, drop_missing, label_text, left_out_note,
                    missing_message, nothing, value_title)

POINTS_3D = 20_000
SURFACE_BINS = 40


def _scene_axis(ctx, name: str) -> dict:
    kind = ctx.kind(name)
    return {"title": {"text": name}, "type": "date" if kind == "datetime" else "linear"}


def scatter3d(ctx) -> F.ChartResult:
    spec = ctx.spec
    names = [spec.x, spec.y[0], spec.z] + ([spec.color] if spec.color else [])
    frame, total = ctx.source.sample(ctx.positions, [ctx.col(n).position for n in names],
                                     POINTS_3D)
    if total == 0:
        return nothing(ctx, missing_message(ctx, names))
    axes = [numbers(frame.iloc[:, i], ctx.kind(n)) / axis_scale(ctx.kind(n))
            for i, n in enumerate(names[:3])]
    marker = {"size": 2.5, "opacity": 0.8}
    data = []
    if spec.color and ctx.kind(spec.color) == "float":
        colour = frame.iloc[:, 3].to_numpy(float)
        data.append(_points(spec.y[0], axes, None, {
            **marker, "color": F.typed(colour), "colorscale": "Viridis", "showscale": True,
            "colorbar": {"title": {"text": spec.color}}}))
    elif spec.color:
        codes, groups = encode_key(frame.iloc[:, 3], ctx.kind(spec.color),
                                   ctx.key(spec.color, top=F.TOP_GROUPS, missing=False))
        for j, g in enumerate(groups):
            data.append(_points(label_text(g.label), axes, codes == j, marker))
    else:
        data.append(_points(spec.y[0], axes, None, marker))
    sampled = total > POINTS_3D
    ctx.resolved["__sample__"] = POINTS_3D
    note = (f"{total:,} points: a seeded sample of {POINTS_3D:,} is drawn" if sampled
            else None)
    left_out = left_out_note(ctx.rows - total, names)
    layout = {"title": {"text": f"{spec.z} against {spec.x} and {spec.y[0]}"},
              "scene": {"xaxis": _scene_axis(ctx, spec.x), "yaxis": _scene_axis(ctx, spec.y[0]),
                        "zaxis": _scene_axis(ctx, spec.z)},
              "legend": {"title": {"text": spec.color or ""}},
              "margin": {"l": 0, "r": 0, "t": 60, "b": 0}}
    table = pd.DataFrame({n: axes[i] for i, n in enumerate(dict.fromkeys(names[:3]))})
    return F.ChartResult({"data": data, "layout": layout}, 0, len(frame),
                         "sampled" if sampled else "none", combine_notes(note, left_out),
                         table=table)


def _points(name, axes, keep, marker) -> dict:
    x, y, z = (a if keep is None else a[keep] for a in axes)
    return {"type": "scatter3d", "mode": "markers", "name": name, "x": F.typed(x),
            "y": F.typed(y), "z": F.typed(z), "marker": marker}


def surface(ctx) -> F.ChartResult:
    spec = ctx.spec
    y = spec.y[0]
    bins = spec.bins or SURFACE_BINS
    keys = [ctx.key(spec.x, bins=bins), ctx.key(y, bins=bins)]
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    groups, (values, rows) = ctx.source.group_aggregate(
        ctx.positions, keys, [(ctx.col(spec.z).position, agg), (None, "count")])
    total = rows.sum()
    groups, (values, rows), dropped = drop_missing(ctx, keys, [spec.x, y], groups,
                                                   [values, rows])
    xg, yg = groups
    if not xg or not yg or np.isnan(values).all():
        return nothing(ctx, missing_message(ctx, [spec.x, y, spec.z]))
    z = values.reshape(len(xg), len(yg)).T.copy()
    z[rows.reshape(len(xg), len(yg)).T == 0] = np.nan  # no rows: a hole, not a zero
    cx = np.array([g.lo / 2 + g.hi / 2 for g in xg], float)
    cy = np.array([g.lo / 2 + g.hi / 2 for g in yg], float)
    trace = {"type": "surface", "x": F.typed(cx), "y": F.typed(cy), "z": F.typed(z),
             "colorscale": "Viridis", "colorbar": {"title": {"text": value_title(ctx)}}}
    layout = {"title": {"text": f"{value_title(ctx)} over {spec.x} and {y}"},
              "scene": {"xaxis": {"title": {"text": spec.x}}, "yaxis": {"title": {"text": y}},
                        "zaxis": {"title": {"text": value_title(ctx)}}},
              "margin": {"l": 0, "r": 0, "t": 60, "b": 0}}
    note = combine_notes(f"{agg} of {spec.z} in {len(xg)} x {len(yg)} cells of {spec.x} and "
                         f"{y} ({bins} equal-width bins each; empty cells are holes)",
                         left_out_note(total - rows.sum(), dropped))
    gx, gy = np.meshgrid(cx, cy)
    table = pd.DataFrame({spec.x: gx.ravel(), y: gy.ravel(), value_title(ctx): z.ravel()})
    return F.ChartResult({"data": [trace], "layout": layout}, 0, int(z.size), "binned", note,
                         table=table.dropna())
