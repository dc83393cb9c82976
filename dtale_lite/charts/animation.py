"""Animated charts (issue 16): ``animate_by`` on bar, scatter and map draws one Plotly frame per
value of a column (per ``freq`` period of a datetime column), with a play button and a slider.

- bar and choropleth map: the aggregate per x (and group) per frame, one ``group_aggregate``
  call with the frames as one more key (``frames.animation``), so every engine computes it;
- scatter and map points: a seeded sample of at most ``ANIMATION_POINTS`` rows (the
  ``sample`` primitive) split into frames, with a note when it is a sample.

At most ``MAX_FRAMES`` frames, with a note when more were cut. The axes (or the colour scale)
are fixed over all frames so that the frames compare. Pure: no Flask, no Dash, no plotly.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames.aggregate import encode_key, numbers
from ..frames.animation import MAX_FRAMES, frame_key, frames_note, kept_frames
from . import result as F
from .countries import to_iso3
from .maps import COLOURS, _figure, _per_country, in_world
from .marks import (axis, axis_scale, axis_title, combine_notes, continuous_axis, drop_missing,
                    label_text, left_out_note, missing_message, nothing, value_title)
from .selection import combine, group_filter

ANIMATION_POINTS = 20_000
FRAME_MS = 600


def animated(ctx) -> F.ChartResult:
    """The chart of ``ctx.spec`` (bar, scatter or map) with one frame per value of
    ``animate_by``."""
    spec = ctx.spec
    column = ctx.col(spec.animate_by)
    freq = None
    if column.kind == "datetime":
        freq = spec.freq or ctx.auto_freq(spec.animate_by, MAX_FRAMES - 1)
    key = frame_key(column.position, column.kind, freq)
    ctx.resolved[spec.animate_by] = key
    if spec.type == "bar":
        return _bar(ctx, key)
    if spec.type == "map" and spec.locations:
        return _choropleth(ctx, key)
    return _points(ctx, key)


def _label(group) -> str:
    return label_text(group.label)


def _bar(ctx, fkey) -> F.ChartResult:
    spec = ctx.spec
    keys = [ctx.key(spec.x, top=F.TOP["bar"])]
    if spec.group:
        keys.append(ctx.key(spec.group, top=F.TOP_GROUPS))
    keys.append(fkey)
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    measures = [(ctx.col(y).position, agg) for y in spec.y] or [(None, "count")]
    groups, results = ctx.source.group_aggregate(ctx.positions, keys,
                                                 measures + [(None, "count")])
    total = results[-1].sum()
    names = [spec.x] + ([spec.group] if spec.group else []) + [spec.animate_by]
    groups, results, dropped = drop_missing(ctx, keys, names, groups, results)
    if not all(groups):
        return nothing(ctx, missing_message(ctx, names))
    shape = [len(g) for g in groups]
    rows = results[-1].reshape(shape).sum(axis=tuple(range(len(shape) - 1)))
    frames = kept_frames(groups[-1], rows)
    x, x_type, width = axis(groups[0])
    x_filters = [group_filter(spec.x, g) for g in groups[0]]
    series = []  # (name, values [x, frame], filter parts)
    if spec.group:
        cube = results[0].reshape(shape)
        series = [(_label(g), cube[:, j, :], group_filter(spec.group, g))
                  for j, g in enumerate(groups[1])]
    else:
        series = [(name, r.reshape(shape), None)
                  for name, r in zip(list(spec.y) or ["count"], results[:-1])]
    out_frames = []
    for f, group in zip(frames.index, frames.groups):
        frame_filter = group_filter(spec.animate_by, group)
        data = [{"type": "bar", "name": name, "x": x, "y": F.typed(values[:, f]),
                 "customdata": [combine(spec.filter, xf, part, frame_filter) for xf in x_filters],
                 **({"width": F.typed(width)} if width is not None else {})}
                for name, values, part in series]
        out_frames.append((_label(group), data))
    kept = np.concatenate([v[:, frames.index].ravel() for _, v, _ in series])
    if spec.barmode == "stack" and len(series) > 1:
        kept = np.concatenate([kept, np.nansum([np.clip(v[:, frames.index], 0, None)
                                                for _, v, _ in series], axis=0).ravel()])
    layout = {"barmode": "stack" if spec.barmode == "stack" else "group",
              "title": {"text": f"{value_title(ctx)} by {spec.x}, by {spec.animate_by}"},
              "xaxis": {**axis_title(ctx, spec.x), "type": x_type},
              "yaxis": {**axis_title(ctx, value_title(ctx)), "range": _span(kept, zero=True)},
              "legend": {"title": {"text": spec.group or ""}}}
    note = combine_notes(frames_note(spec.animate_by, frames, total - rows[frames.index].sum()),
                         left_out_note(ctx.rows - results[-1].sum(),
                                       dropped + [spec.animate_by]))
    table = _frames_table(out_frames, spec.animate_by, spec.x, groups[0])
    return _animated_result(ctx, out_frames, layout, len(groups[0]) * len(series), note, table)


def _span(values: np.ndarray, zero: bool = False) -> list | None:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    lo, hi = float(finite.min()), float(finite.max())
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = (hi - lo) * 0.05 or 1.0
    return [lo - pad if lo < 0 or not zero else lo, hi + pad]


def _points(ctx, fkey) -> F.ChartResult:
    """Scatter or map points: a sample of rows split into frames."""
    spec = ctx.spec
    is_map = spec.type == "map"
    names = [spec.lat, spec.lon] if is_map else [spec.x, spec.y[0]]
    wanted = names + [spec.animate_by] + ([spec.group] if spec.group and not is_map else [])
    frame, total = ctx.source.sample(ctx.positions, [ctx.col(n).position for n in wanted],
                                     ANIMATION_POINTS)
    ctx.resolved["__sample__"] = ANIMATION_POINTS
    if total == 0:
        return nothing(ctx, missing_message(ctx, wanted))
    a = numbers(frame.iloc[:, 0], ctx.kind(names[0])) / axis_scale(ctx.kind(names[0]))
    b = numbers(frame.iloc[:, 1], ctx.kind(names[1])) / axis_scale(ctx.kind(names[1]))
    codes, groups = encode_key(frame.iloc[:, 2], ctx.kind(spec.animate_by), fkey)
    notes = []
    if is_map:
        inside = in_world(a, b)
        if (~inside).any():
            notes.append(f"{int((~inside).sum()):,} sampled rows with {spec.lat} outside "
                         f"-90..90 or {spec.lon} outside -180..180 left out")
        codes = np.where(inside, codes, -1)
    counts = np.bincount(codes[codes >= 0], minlength=len(groups))
    frames = kept_frames(groups, counts)
    series = [(names[1], None)]
    if spec.group and not is_map:
        gcodes, ggroups = encode_key(frame.iloc[:, 3], ctx.kind(spec.group),
                                     ctx.key(spec.group, top=F.TOP_GROUPS, missing=False))
        series = [(_label(g), gcodes == j) for j, g in enumerate(ggroups)]
    out_frames = []
    for f, group in zip(frames.index, frames.groups):
        data = []
        for name, member in series:
            keep = (codes == f) if member is None else (codes == f) & member
            if is_map:
                data.append({"type": "scattergeo", "mode": "markers", "name": "rows",
                             "lat": F.typed(a[keep]), "lon": F.typed(b[keep]),
                             "marker": {"size": 5, "opacity": 0.7}})
            else:
                data.append({"type": "scatter", "mode": "markers", "name": name,
                             "x": F.typed(a[keep]), "y": F.typed(b[keep]),
                             "marker": {"size": 5, "opacity": 0.7}})
        out_frames.append((_label(group), data))
    if total > ANIMATION_POINTS:
        notes.insert(0, f"{total:,} points: a seeded sample of {ANIMATION_POINTS:,} is "
                        f"animated")
    notes += [frames_note(spec.animate_by, frames, 0),
              left_out_note(ctx.rows - total, wanted)]
    if is_map:
        figure = _figure([], f"{spec.lat} and {spec.lon} by {spec.animate_by}", fit=True)
        layout = figure["layout"]
    else:
        layout = {"title": {"text": f"{names[1]} against {spec.x} by {spec.animate_by}"},
                  "xaxis": {**axis_title(ctx, spec.x), "range": _span(a),
                            "type": continuous_axis(ctx.kind(spec.x))},
                  "yaxis": {**axis_title(ctx, names[1]), "range": _span(b),
                            "type": continuous_axis(ctx.kind(names[1]))},
                  "legend": {"title": {"text": spec.group or ""}}}
    in_frames = np.isin(codes, frames.index)
    table = pd.DataFrame({spec.animate_by: [_label(groups[c]) for c in codes[in_frames]],
                          names[0]: a[in_frames], names[1]: b[in_frames]})
    return _animated_result(ctx, out_frames, layout, int(in_frames.sum()),
                            combine_notes(*notes), table, "sampled" if total >
                            ANIMATION_POINTS else "none")


def _choropleth(ctx, fkey) -> F.ChartResult:
    spec = ctx.spec
    lkey = ctx.key(spec.locations, top=1000, missing=False)
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    values_of = ctx.col(spec.y[0]).position if spec.y else None
    measures = [(values_of, agg if values_of is not None else "count"), (None, "count")]
    if agg == "mean" and values_of is not None:
        measures += [(values_of, "sum"), (values_of, "count")]
    (lgroups, fgroups), results = ctx.source.group_aggregate(ctx.positions, [lkey, fkey],
                                                             measures)
    shape = (len(lgroups), len(fgroups))
    cubes = [r.reshape(shape) for r in results]
    placed = {}
    for i, group in enumerate(lgroups):
        code = None if group.is_other else to_iso3(group.value)
        if code is not None:
            placed.setdefault(code, []).append(i)
    if not placed or not fgroups:
        return nothing(ctx, missing_message(ctx, [spec.locations, spec.animate_by]))
    frames = kept_frames(fgroups, cubes[1].sum(axis=0))
    codes, per_frame = sorted(placed), []
    for f in frames.index:
        codes, z, _ = _per_country(placed, cubes[0][:, f], cubes[1][:, f],
                                   [c[:, f] for c in cubes], agg)
        per_frame.append(z)
    every = np.concatenate(per_frame) if per_frame else np.array([])
    span = _span(every) or [0, 1]
    title = (f"{agg} of {spec.y[0]}" if spec.y else "count of rows")
    out_frames = [(_label(g), [{"type": "choropleth", "locationmode": "ISO-3",
                                "locations": codes, "z": F.typed(z), "colorscale": COLOURS,
                                "zmin": span[0], "zmax": span[1],
                                "colorbar": {"title": {"text": title}}}])
                  for g, z in zip(frames.groups, per_frame)]
    unknown = sum(cubes[1][i].sum() for i, g in enumerate(lgroups)
                  if g.is_other or to_iso3(g.value) is None)
    note = combine_notes(frames_note(spec.animate_by, frames, 0),
                         f"{int(unknown):,} rows whose {spec.locations} is not a country this "
                         f"table knows left out" if unknown else None,
                         left_out_note(ctx.rows - cubes[1].sum(), [spec.locations,
                                                                   spec.animate_by]))
    layout = _figure([], f"{title} by {spec.locations}, by {spec.animate_by}")["layout"]
    table = pd.DataFrame([(name, c, v) for (name, _), z in zip(out_frames, per_frame)
                          for c, v in zip(codes, z)],
                         columns=[spec.animate_by, "iso3", title])
    return _animated_result(ctx, out_frames, layout, len(codes), note, table, "aggregated")


def _frames_table(out_frames, frame_name, x_name, x_groups) -> pd.DataFrame:
    rows = []
    for name, data in out_frames:
        for trace in data:
            for label, value in zip(x_groups, F.decode(trace["y"])):
                rows.append((name, trace["name"], _label(label), value))
    return pd.DataFrame(rows, columns=[frame_name, "series", x_name, "value"])


def _animated_result(ctx, out_frames, layout, points, note, table,
                     reduction: str = "aggregated") -> F.ChartResult:
    """The figure: the first frame's traces, every frame, a play button and a slider."""
    if not out_frames:
        return nothing(ctx, missing_message(ctx, [ctx.spec.animate_by]))
    name = ctx.spec.animate_by
    play = {"frame": {"duration": FRAME_MS, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 0}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
            "transition": {"duration": 0}}
    layout.update({
        "updatemenus": [{"type": "buttons", "showactive": False, "direction": "left",
                         "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                         "pad": {"t": 50, "r": 10},
                         "buttons": [{"label": "Play", "method": "animate",
                                      "args": [None, play]},
                                     {"label": "Pause", "method": "animate",
                                      "args": [[None], {**jump, "frame": {"duration": 0,
                                                                          "redraw": False}}]}]}],
        "sliders": [{"active": 0, "x": 0.12, "len": 0.88, "y": 0, "yanchor": "top",
                     "pad": {"t": 40}, "currentvalue": {"prefix": f"{name}: "},
                     "steps": [{"label": label, "method": "animate",
                                "args": [[label], jump]} for label, _ in out_frames]}],
        "margin": {"l": 60, "r": 30, "t": 60, "b": 140}})
    figure = {"data": out_frames[0][1], "layout": layout,
              "frames": [{"name": label, "data": data} for label, data in out_frames]}
    return F.ChartResult(figure, 0, points, reduction,
                         combine_notes(f"{len(out_frames)} frames by {name}", note), table=table)
