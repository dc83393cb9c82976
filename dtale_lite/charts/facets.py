"""Small multiples (issue 16): one chart per value of the ``facet`` column, in a grid.

The facet column's 12 most frequent values (and "Other", and "(missing)" unless ``dropna``)
each get the chart of their own rows, built by the ordinary builder over those rows with the
facet's condition joined to the filter (so "Show these rows" on a mark selects the mark's rows
of that facet). The periods of a datetime axis are chosen once over the whole view and pinned
for every facet, so the small multiples share their periods (and the exported code, one loop
over the facets, groups each alike). The figures are then laid out as one: facet ``i``'s traces
on axes ``x{i+1}``/``y{i+1}`` (a pie in its own domain), a title over each cell, one legend
entry per series and one colour per series across the grid.

Needs the rows of each facet: pandas (and Arrow, shown through pandas); other engines answer a
400 naming themselves. Pure: no Flask, no Dash, no plotly import.
"""
from __future__ import annotations

import math
from dataclasses import replace

from . import result as F
from .marks import combine_notes, label_text
from .selection import combine, group_filter
from .spec import MAX_FACETS

COLUMNS = {1: 1, 2: 2, 3: 3, 4: 2}  # facets -> grid columns; more: 4 columns
GAP = 0.06
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
# Datetime axes whose periods are pinned across facets, per chart type.
PERIOD_AXES = {"bar": ("x",), "line": ("x",), "pie": ("x",), "funnel": ("x",),
               "candlestick": ("x",), "heatmap": ("x", "y")}


def grid(count: int) -> tuple[int, int]:
    """(rows, columns) of the grid for ``count`` facets."""
    cols = COLUMNS.get(count, 4)
    return math.ceil(count / cols), cols


def facet_chart(ctx, build) -> F.ChartResult:
    """The small multiples of ``ctx.spec``; ``build(source, positions, spec)`` builds one."""
    spec = ctx.spec
    key = ctx.key(spec.facet, top=MAX_FACETS, missing=not spec.dropna)
    groups, parts = ctx.source.facet_positions(ctx.positions, key)
    sub = replace(spec, facet=None, why=None, pinned_freqs=_pinned(ctx))
    if spec.type in ("density", "scatter") and spec.bins is None:
        # A density per facet with fewer cells: the grid stays a few tens of thousands.
        sub = replace(sub, bins=max(40, F.DEFAULT_BINS["density"] // grid(len(groups))[1]))
    results = [build(ctx.source, rows, replace(sub, filter=combine(
        spec.filter, group_filter(spec.facet, g)))) for g, rows in zip(groups, parts)]
    ctx.resolved["__facets__"] = results
    titles = [f"{spec.facet} = {label_text(g.label)}" for g in groups]
    figure = merge([r.figure for r in results], titles, [r.message for r in results])
    first_title = results[0].figure.get("layout", {}).get("title", {}).get("text", spec.type)
    figure["layout"]["title"] = {"text": f"{first_title}, per {spec.facet}"}
    reductions = [r.reduction for r in results if r.reduction != "none"]
    folded = any(g.is_other for g in groups)
    notes = list(dict.fromkeys(f"{t}: {r.note}" for t, r in zip(titles, results) if r.note))
    note = combine_notes(
        f"One chart per value of {spec.facet}" + (f": the {MAX_FACETS} most frequent and "
                                                   f"'Other'" if folded else ""),
        *notes[:3], f"and {len(notes) - 3} more facets' notes" if len(notes) > 3 else None)
    return F.ChartResult(figure, 0, sum(r.points for r in results),
                         "top_n" if folded else (reductions[0] if reductions else "none"),
                         note, table=_table(results, groups, spec.facet))


def _pinned(ctx) -> tuple:
    spec = ctx.spec
    names = {"x": spec.x, "y": spec.y[0] if spec.y else None}
    pinned = []
    for axis in PERIOD_AXES.get(spec.type, ()):
        name = names[axis]
        if name and ctx.kind(name) == "datetime" and not (axis == "x" and spec.freq):
            pinned.append((name, ctx.auto_freq(name)))
    return tuple(pinned)


def merge(figures: list[dict], titles: list[str], messages: list) -> dict:
    """One figure of ``figures`` laid out in a grid, each under its title."""
    rows, cols = grid(len(figures))
    layout: dict = {"annotations": [], "legend": {}}
    data: list[dict] = []
    colours: dict = {}
    for i, (figure, title) in enumerate(zip(figures, titles)):
        row, col = divmod(i, cols)
        x0 = col / cols + (GAP / 2 if col else 0)
        x1 = (col + 1) / cols - (GAP / 2 if col < cols - 1 else 0)
        y1 = 1 - row / rows - (GAP if row else 0)
        y0 = 1 - (row + 1) / rows + (GAP if row < rows - 1 else 0)
        suffix = "" if i == 0 else str(i + 1)
        sub_layout = figure.get("layout", {})
        for name in ("barmode", "boxmode", "hovermode", "dragmode"):
            if name in sub_layout:
                layout[name] = sub_layout[name]
        layout[f"xaxis{suffix}"] = {**sub_layout.get("xaxis", {}), "domain": [x0, x1],
                                    "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {**sub_layout.get("yaxis", {}), "domain": [y0, y1],
                                    "anchor": f"x{suffix}"}
        layout["annotations"].append(
            {"text": title if not messages[i] else f"{title}: {messages[i]}",
             "showarrow": False, "xref": "paper", "yref": "paper", "x": (x0 + x1) / 2,
             "y": y1, "yanchor": "bottom", "font": {"size": 12}})
        for trace in figure.get("data", []):
            data.append(_placed(trace, i, suffix, (x0, x1, y0, y1), colours))
    for axis in ("xaxis", "yaxis"):  # a title per axis would crowd the grid: keep the first's
        for key in list(layout):
            if key.startswith(axis) and key != axis:
                layout[key].pop("title", None)
    return {"data": data, "layout": layout}


def _placed(trace: dict, index: int, suffix: str, box, colours: dict) -> dict:
    trace = dict(trace)
    if trace.get("type") == "pie":
        x0, x1, y0, y1 = box
        trace["domain"] = {"x": [x0, x1], "y": [y0, y1 - 0.04]}
        return trace
    trace["xaxis"], trace["yaxis"] = f"x{suffix}", f"y{suffix}"
    if trace.get("type") == "heatmap":  # one colour bar is enough
        trace["showscale"] = index == 0
        return trace
    if trace.get("type") == "candlestick":  # its own rising and falling colours
        trace["showlegend"] = index == 0
        return trace
    # One colour and one legend entry per series, across the grid.
    name = trace.get("name")
    first = name not in colours
    colour = colours.setdefault(name, PALETTE[len(colours) % len(PALETTE)])
    trace["legendgroup"], trace["showlegend"] = str(name), first
    if trace.get("type") == "scatter" and "lines" in trace.get("mode", ""):
        trace["line"] = {**trace.get("line", {}), "color": colour}
    else:
        trace["marker"] = {**trace.get("marker", {}), "color": colour}
    return trace


def _table(results, groups, facet: str):
    import pandas as pd

    tables = [r.table.assign(**{facet: label_text(g.label)})
              for r, g in zip(results, groups) if not r.table.empty]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
