"""The figure builder: (data source, filtered rows, chart spec) -> a Plotly figure as JSON.

Pure: no Flask, no Dash, no plotly import. The figure is a plain dict that Plotly.js draws,
built from the source's aggregation primitives (group-by aggregate, histogram and 2D bins,
min/max downsampling, a sample), so the browser never gets more than a bounded number of marks
whatever the frame's size, and it never refuses to draw:

- a scatter of more than ``POINT_BOUND`` points becomes a density plot binned on the server;
- a line of more than ``2 * LINE_BUCKETS`` points keeps the min and max of each bucket of x;
- bars, pies and heatmaps over many values keep the most frequent ones and an "Other".

Numbers travel as typed arrays (``{"dtype", "bdata"}``, base64), which Plotly.js decodes
directly: a fraction of the size of JSON lists.
"""
from __future__ import annotations

import numpy as np

from ..frames.errors import BadRequest
from .code import chart_code
from .result import (DEFAULT_BINS, LINE_BUCKETS, MAX_MARKS, POINT_BOUND, TOP, TOP_GROUPS,
                     ChartResult, Context, decode, typed)
from .spec import ChartSpec, check_columns
from . import distribution, hierarchy, traces
from .candlestick import candlestick
from .space import scatter3d, surface
from .animation import animated
from .facets import facet_chart
from .maps import map_chart
from .marks import nothing

BUILDERS = {"bar": traces.bar, "line": traces.line, "pie": traces.pie, "scatter": traces.scatter,
            "density": traces.density, "histogram": distribution.histogram,
            "box": distribution.box, "heatmap": distribution.heatmap,
            "treemap": hierarchy.treemap, "sunburst": hierarchy.sunburst,
            "funnel": hierarchy.funnel, "candlestick": candlestick, "scatter3d": scatter3d,
            "surface": surface, "map": map_chart}
# Kinds without x and y axes of values: no log axes.
NO_LOG_X = ("bar", "pie", "box", "heatmap", "treemap", "sunburst", "funnel", "scatter3d",
            "surface", "map")
NO_LOG_Y = ("pie", "heatmap", "treemap", "sunburst", "funnel", "scatter3d", "surface", "map")

__all__ = ["build_chart", "finish_figure", "ChartResult", "decode", "typed", "POINT_BOUND",
           "LINE_BUCKETS", "MAX_MARKS", "TOP", "TOP_GROUPS", "DEFAULT_BINS"]

def build_chart(source, positions: np.ndarray | None, spec: ChartSpec) -> ChartResult:
    """The chart of the rows at ``positions`` (None: every row) of ``source``.

    Raises BadRequest when the spec does not fit the frame (unknown column, wrong kind). A
    chart with nothing to draw (no rows, every value missing) is not an error: its figure has
    a message where the marks would be, and ``message`` says the same.
    """
    columns = {c.name: c for c in source.columns()}
    check_columns(spec, columns)
    _check_log_axes(spec, columns)
    rows = source.row_count() if positions is None else len(positions)
    ctx = Context(source, positions, spec, columns, rows=rows)
    if rows == 0:
        result = nothing(ctx, "No rows to chart: the filter matches no row"
                         if spec.filter else "No rows to chart: the frame is empty")
    elif spec.facet:
        result = facet_chart(ctx, build_chart)
    else:
        # animate_by (bar, scatter, map): one frame per value (animation.py, issue 16).
        result = (animated if spec.animate_by else BUILDERS[spec.type])(ctx)
    result.rows = rows
    if spec.why:
        result.note = f"{spec.why} {result.note}" if result.note else spec.why
    result.figure = finish_figure(result, spec)
    result.code = chart_code(spec, source, ctx.resolved)
    result.used = _used(ctx)
    result.resolved = ctx.resolved
    return result


def _used(ctx) -> dict:
    """The aggregation and x frequency the figure was built with (where it has them)."""
    used = {}
    if ctx.resolved.get("__agg__"):
        used["agg"] = ctx.resolved["__agg__"]
    x_key = ctx.resolved.get(ctx.spec.x) if ctx.spec.x else None
    if x_key is not None and x_key.freq:
        used["freq"] = x_key.freq
    return used


def _check_log_axes(spec: ChartSpec, columns: dict) -> None:
    numeric_x = spec.x is not None and columns[spec.x].kind in ("int", "float")
    if spec.log_x and (spec.type in NO_LOG_X or not numeric_x):
        raise BadRequest(f"log_x needs a numeric x axis; a {spec.type} chart of "
                         f"'{spec.x}' has none")
    if spec.log_y and spec.type in NO_LOG_Y:
        raise BadRequest(f"log_y does not apply to a {spec.type} chart")


def finish_figure(result: ChartResult, spec: ChartSpec) -> dict:
    """Common layout: axis types, log axes, the note or message written on the chart."""
    figure = result.figure
    layout = figure.setdefault("layout", {})
    layout.setdefault("margin", {"l": 60, "r": 30, "t": 60, "b": 60})
    layout.setdefault("hovermode", "closest")
    # Keeps the user's zoom and legend choices when only the data changes (Dash redraws).
    layout["uirevision"] = (f"{spec.type}|{spec.x}|{','.join(spec.y)}|{spec.z}|{spec.group}"
                            f"|{','.join(spec.path)}|{spec.lat}|{spec.lon}|{spec.locations}"
                            f"|{spec.animate_by}")
    if spec.log_x:
        layout.setdefault("xaxis", {})["type"] = "log"
    if spec.log_y and spec.type not in ("pie",):
        layout.setdefault("yaxis", {})["type"] = "log"
    text = result.message or result.note
    if text:
        annotation = {"text": text, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0.5, "y": 0.5 if result.message else 1.0,
                      "yanchor": "middle" if result.message else "bottom",
                      "font": {"size": 16 if result.message else 12}}
        layout.setdefault("annotations", []).append(annotation)
    if result.message:
        for axis in ("xaxis", "yaxis"):
            layout.setdefault(axis, {}).update({"visible": False})
    return figure
