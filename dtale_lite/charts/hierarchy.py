"""The builders of treemap, sunburst and funnel charts: parts of a whole (issue 16).

A treemap or sunburst shows the rows (or the sum of ``y``) split by the ``path`` columns,
outermost first; a funnel shows one value per stage of ``x``. Both are built from one
``group_aggregate`` call, a primitive every engine has, so they draw on every engine. Each
level keeps its most frequent values and folds the rest into "Other" (fewer per level the
deeper the path, so the figure stays a few thousand marks), and every node carries the filter
text of its rows for "Show these rows".

Pure: no Flask, no Dash, no plotly import.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import result as F
from .marks import (aggregated, combine_notes, drop_missing, label_text, left_out_note,
                    missing_message, nothing, value_title, MAX_FILTERED_MARKS)
from .selection import combine, group_filter

# Values kept per level, by the path's length: at most 51, 21^2, 13^3 or 9^4 leaves.
TOP_PER_LEVEL = {1: 50, 2: 20, 3: 12, 4: 8}
TOP_STAGES = 20
# Tile colours by top-level value, each dark enough for white labels at WCAG AA (>= 4.5:1) in
# either colour scheme (tests/browser/test_contrast.py); deeper levels are darker still.
PALETTE = ("#1f5f99", "#b34700", "#2a7a2a", "#b0272d", "#6b4c9a", "#7a5230", "#b03a86",
           "#555555", "#6e7a00", "#117a85")


def treemap(ctx) -> F.ChartResult:
    return _hierarchy(ctx, "treemap")


def sunburst(ctx) -> F.ChartResult:
    return _hierarchy(ctx, "sunburst")


def _hierarchy(ctx, kind: str) -> F.ChartResult:
    spec = ctx.spec
    path = list(spec.path)
    top = TOP_PER_LEVEL[len(path)]
    # A datetime level: the finest period with at most ``top`` periods (as many as the values
    # another level keeps).
    keys = [ctx.key(name, top=top, periods=top) for name in path]
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    if spec.y:
        groups, (values, rows) = ctx.source.group_aggregate(
            ctx.positions, keys, [(ctx.col(spec.y[0]).position, agg), (None, "count")])
    else:  # the sizes are the rows: one pass
        groups, (rows,) = ctx.source.group_aggregate(ctx.positions, keys, [(None, "count")])
        values = rows
    total = rows.sum()
    groups, (values, rows), dropped = drop_missing(ctx, keys, path, groups, [values, rows])
    left_out = left_out_note(total - rows.sum(), dropped)
    if any(not g for g in groups) or rows.sum() == 0:
        return nothing(ctx, missing_message(ctx, path))
    shape = [len(g) for g in groups]
    sizes = np.nan_to_num(values, nan=0.0).reshape(shape)
    rows = rows.reshape(shape)
    notes = []
    if (sizes < 0).any():
        notes.append("Negative sums cannot be drawn as areas and count as 0")
        sizes = np.clip(sizes, 0, None)
    nodes = _nodes(ctx, groups, sizes, rows)
    trace = {"type": kind, "ids": nodes["ids"], "labels": nodes["labels"],
             "parents": nodes["parents"], "values": F.typed(nodes["values"]),
             "branchvalues": "total", "customdata": nodes["filters"],
             "marker": {"colors": nodes["colors"], "line": {"width": 1}},
             "textfont": {"color": "#ffffff"},
             "hovertemplate": "%{label}<br>%{value}<br>%{percentRoot:.1%} of all"
                              "<extra></extra>"}
    if len(nodes["ids"]) > MAX_FILTERED_MARKS:
        trace.pop("customdata")  # "Show these rows" only where the filters stay small
    if kind == "treemap":
        trace["textinfo"] = "label+value+percent root"
        trace["marker"]["depthfade"] = False  # fading towards the paper would lose contrast
    layout = {"title": {"text": f"{value_title(ctx)} by {' / '.join(path)}"},
              "margin": {"l": 10, "r": 10, "t": 60, "b": 10}}
    folded = any(g.is_other for level in groups for g in level)
    if folded:
        notes.insert(0, f"Each level shows its {top} most frequent values; the others are "
                        f"summed in 'Other'")
    table = pd.DataFrame(nodes["leaves"], columns=[*path, value_title(ctx)])
    return F.ChartResult({"data": [trace], "layout": layout}, 0, len(nodes["ids"]),
                         "top_n" if folded else "aggregated", combine_notes(*notes, left_out),
                         table=table)


def _nodes(ctx, groups, sizes: np.ndarray, rows: np.ndarray) -> dict:
    """Every node with rows, level by level: ids (group positions, unique whatever the labels),
    labels, parents, values (a parent's is the sum of its children's) and filters."""
    spec, depth = ctx.spec, len(groups)
    out = {"ids": [], "labels": [], "parents": [], "values": [], "filters": [], "leaves": [],
           "colors": []}
    for level in range(1, depth + 1):
        trailing = tuple(range(level, depth))
        level_sizes = sizes.sum(axis=trailing) if trailing else sizes
        level_rows = rows.sum(axis=trailing) if trailing else rows
        for index in zip(*np.nonzero(level_rows)):
            index = tuple(int(i) for i in index)
            chosen = [groups[d][i] for d, i in enumerate(index)]
            out["ids"].append(".".join(map(str, index)))
            out["labels"].append(label_text(chosen[-1].label))
            out["parents"].append(".".join(map(str, index[:-1])))
            out["values"].append(float(level_sizes[index]))
            out["colors"].append(_shade(PALETTE[index[0] % len(PALETTE)], level))
            out["filters"].append(combine(spec.filter, *(group_filter(name, g) for name, g
                                                         in zip(spec.path, chosen))))
            if level == depth:
                out["leaves"].append([label_text(g.label) for g in chosen]
                                     + [float(level_sizes[index])])
    return out


def _shade(colour: str, level: int) -> str:
    """``colour`` darkened by 15% per level below the first."""
    factor = 0.85 ** (level - 1)
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in channels)


def funnel(ctx) -> F.ChartResult:
    """One bar per stage (the values of ``x`` in the column's order: a category column keeps
    its own order), as wide as the stage's count or aggregate of ``y``."""
    spec = ctx.spec
    agg = aggregated(ctx, TOP_STAGES)
    if isinstance(agg, F.ChartResult):
        return agg
    stages = [label_text(g.label) for g in agg.groups[0]]
    name, values, custom = agg.series[0]
    if np.isnan(np.asarray(values, float)).all():
        return nothing(ctx, missing_message(ctx, [spec.x, *spec.y]))
    trace = {"type": "funnel", "name": name, "y": stages, "x": F.typed(values),
             "customdata": custom, "textinfo": "value+percent initial"}
    layout = {"title": {"text": f"{value_title(ctx)} by {spec.x}"},
              "yaxis": {"title": {"text": spec.x}, "type": "category"}}
    table = pd.DataFrame({spec.x: stages, value_title(ctx): values})
    return F.ChartResult({"data": [trace], "layout": layout}, 0, len(stages), agg.reduction,
                         agg.note, table=table)
