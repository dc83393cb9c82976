"""The analysis pages' figures as Plotly JSON (no plotly import), from the service's answers.

Every mark that stands for rows carries, in its ``customdata``, the filter-language text of
those rows, so a click opens the grid filtered to them (as the chart builder's marks do).
"""
from __future__ import annotations

import numpy as np

from ..result import typed
from ..selection import column_text, combine


def _domain(figure: dict, axis: str, x, y) -> None:
    figure["layout"][f"xaxis{axis}"] = {"domain": list(x), "anchor": f"y{axis}"}
    figure["layout"][f"yaxis{axis}"] = {"domain": list(y), "anchor": f"x{axis}"}


def missing_figure(answer: dict, shares: np.ndarray) -> dict:
    """A bar of each column's missing share (click: its missing rows), the nullity matrix
    of the row bands under it, and the nullity correlation beside them."""
    names = [c["name"] for c in answer["columns"]]
    filters = [combine(answer.get("filter"), f"{column_text(n)} is null") for n in names]
    bar = {"type": "bar", "x": names, "y": [c["share"] for c in answer["columns"]],
           "customdata": filters, "name": "missing share",
           "text": [f"{c['missing']:,}" for c in answer["columns"]],
           # Above the bar in the page's text colour (inside, Plotly writes white on the bar,
           # which the contrast test cannot tell from white on the paper).
           "textposition": "outside", "cliponaxis": False,
           "hovertemplate": "%{x}: %{text} missing (%{y:.1%})<extra></extra>",
           "marker": {"color": "#636efa"}, "xaxis": "x", "yaxis": "y"}
    bands = answer["bands"]
    matrix = {"type": "heatmap", "x": names, "y": list(range(bands)),
              "z": typed(shares) if bands else [], "zmin": 0, "zmax": 1,
              "colorscale": [[0, "#f4f4f4"], [1, "#1f2d5c"]], "showscale": False,
              "customdata": [filters] * bands, "xaxis": "x2", "yaxis": "y2",
              "hovertemplate": "%{x}, band %{y}: %{z:.0%} missing<extra></extra>"}
    corr = answer["correlation"]
    heat = {"type": "heatmap", "x": corr["columns"], "y": corr["columns"],
            "z": corr["matrix"], "zmin": -1, "zmax": 1, "colorscale": "RdBu",
            "reversescale": True, "xaxis": "x3", "yaxis": "y3",
            "colorbar": {"x": 1.0, "len": 0.5, "y": 0.75},
            "hovertemplate": "%{y} / %{x}: %{z:.2f}<extra></extra>"}
    title = f"Missing values over {answer['rows']:,} rows"
    figure = {"data": [bar, matrix, heat], "layout": {
        "title": {"text": title}, "showlegend": False, "height": 720,
        "margin": {"l": 60, "r": 30, "t": 60, "b": 100}}}
    _domain(figure, "", (0, 0.62), (0.78, 1))
    _domain(figure, "2", (0, 0.62), (0, 0.72))
    _domain(figure, "3", (0.7, 0.98), (0.5, 1))
    layout = figure["layout"]
    layout["xaxis"].update(type="category", showticklabels=False)
    layout["yaxis"].update(range=[0, 1], tickformat=".0%", title={"text": "missing"})
    layout["xaxis2"].update(type="category")
    layout["yaxis2"].update(autorange="reversed", title={"text": f"rows in {bands} bands"},
                            showticklabels=False)
    layout["xaxis3"].update(type="category")
    layout["yaxis3"].update(type="category", autorange="reversed")
    # The correlation panel's own title (the figure's is the whole page's).
    layout["annotations"] = [{"text": "nullity correlation", "showarrow": False,
                              "xref": "x3 domain", "yref": "y3 domain", "x": 0.5, "y": 1.0,
                              "yanchor": "bottom"}]
    if not corr["columns"]:
        layout["annotations"].append({"text": "no column is missing in some rows but not "
                                              "all: no nullity correlation",
                                      "showarrow": False, "xref": "x3 domain",
                                      "yref": "y3 domain", "x": 0.5, "y": 0.5})
    return figure


def outliers_figure(answer: dict, box: dict) -> dict:
    """The column's box (Tukey whiskers) and the two fences as dashed lines."""
    name = answer["column"]
    trace = {"type": "box", "name": name, "x": [name], "boxpoints": False,
             **{k: [box[k]] for k in ("q1", "median", "q3", "mean", "lowerfence",
                                      "upperfence")}}
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": v, "y1": v,
               "line": {"dash": "dash", "color": "#d62728"}}
              for v in (answer["low"], answer["high"]) if v is not None]
    method = "IQR fences" if answer["method"] == "iqr" else "z-score fences (|z| > 3)"
    title = (f"{name}: {answer['count']:,} of {answer['rows']:,} rows outside the {method}")
    return {"data": [trace], "layout": {"title": {"text": title}, "shapes": shapes,
                                        "showlegend": False}}


def duplicates_figure(answer: dict) -> dict:
    """The largest groups of repeated rows as horizontal bars (click: the group's rows)."""
    groups = answer["groups"]
    labels = [" / ".join("(missing)" if v is None else str(v) for v in g["values"])
              for g in groups]
    trace = {"type": "bar", "orientation": "h", "x": [g["size"] for g in groups],
             "y": labels, "customdata": [g["filter"] for g in groups],
             "hovertemplate": "%{y}: %{x:,} rows<extra></extra>"}
    cols = ", ".join(answer["columns"])
    title = (f"{answer['rows']:,} repeated rows over {cols} "
             f"({answer['distinct']:,} distinct of {answer['total']:,})")
    layout = {"title": {"text": title}, "yaxis": {"type": "category", "autorange": "reversed"},
              "xaxis": {"title": {"text": "rows in the group"}},
              "margin": {"l": 200, "r": 30, "t": 60, "b": 60}}
    if not groups:
        layout["annotations"] = [{"text": "no row repeats another", "showarrow": False,
                                  "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]
    return {"data": [trace] if groups else [], "layout": layout}


def timeseries_figure(answer: dict, series: dict) -> dict:
    """The resampled series with its rolling mean, the rolling std, and (when there is one)
    the trend, seasonal and residual parts, one panel each, sharing the time axis."""
    index = series["index"]
    panels = [[("resampled mean", series["value"]), (f"rolling mean ({answer['window']})",
                                                     series["rolling_mean"])],
              [(f"rolling std ({answer['window']})", series["rolling_std"])]]
    for part in ("trend", "seasonal", "resid"):
        if part in series:
            panels.append([(part, series[part])])
    n = len(panels)
    gap = 0.04
    height = (1 - gap * (n - 1)) / n
    data, layout = [], {"title": {"text": f"{answer['y']} by {answer['freq']} of "
                                          f"{answer['x']}"}, "height": 220 * n + 80}
    for p, traces in enumerate(panels):
        axis = "" if p == 0 else str(p + 1)
        top = 1 - p * (height + gap)
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "type": "date",
                                  **({"matches": "x"} if p else {})}
        layout[f"yaxis{axis}"] = {"domain": [max(top - height, 0), top],
                                  "anchor": f"x{axis}", "title": {"text": traces[0][0]}}
        for name, values in traces:
            data.append({"type": "scatter", "mode": "lines", "name": name, "x": index,
                         "y": typed(values), "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
    return {"data": data, "layout": layout}
