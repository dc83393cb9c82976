"""The correlation matrix of a view's numeric and boolean columns, and its heatmap figure."""
from __future__ import annotations

import math

import numpy as np


CORRELATED_KINDS = ("int", "float", "bool")
MAX_COLUMNS = 100  # a 100 x 100 matrix is readable (and small); wider frames get a note


def correlation_result(source, positions, method: str) -> dict:
    """``{"columns", "matrix", "rows", "method", "note"}``: Pearson or Spearman over
    pairwise-complete rows (as pandas' ``corr``) of the first MAX_COLUMNS numeric and boolean
    columns; null where a pair has no correlation (a constant column, fewer than two rows).
    Raises BadRequest for an unknown method."""
    from ..frames.correlate import correlation_matrix

    correlation_matrix([], method)  # an unknown method is the error, whatever the engine
    fitting = [c for c in source.columns() if c.kind in CORRELATED_KINDS]
    columns = fitting[:MAX_COLUMNS]
    note = (f"the first {MAX_COLUMNS} of {len(fitting)} numeric columns"
            if len(fitting) > MAX_COLUMNS else None)
    rows = source.row_count() if positions is None else len(positions)
    if columns and rows:
        matrix = source.correlations(positions, [c.position for c in columns], method)
    else:
        matrix = np.full((len(columns), len(columns)), np.nan)
    # ``+ 0.0`` turns a negative zero (a tiny negative correlation rounded) into 0.0.
    values = [[None if math.isnan(v) else round(float(v), 12) + 0.0 for v in row]
              for row in matrix]
    return {"columns": [c.name for c in columns], "matrix": values, "rows": rows,
            "method": method, "note": note}


def rounded(value: float | None, digits: int) -> str:
    """``value`` to ``digits`` decimals, "" for None; a value that rounds to zero is "0.00",
    never "-0.00" (issue 17: a correlation of -0.0001 printed a sign with no meaning)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def correlation_figure(result: dict) -> dict:
    """A heatmap of ``result``; each cell's customdata is the pair, for opening its scatter,
    and the value as the hover shows it."""
    names = result["columns"]
    z = [[v if v is not None else None for v in row] for row in result["matrix"]]
    text = [[rounded(v, 2) for v in row] for row in z]
    # The hover's number as text too: Plotly's own format (%{z:.3f}) prints "-0.000".
    custom = [[[x, y, rounded(v, 3)] for x, v in zip(names, row)] for y, row in zip(names, z)]
    trace = {"type": "heatmap", "x": names, "y": names, "z": z, "zmin": -1, "zmax": 1,
             "colorscale": "RdBu", "reversescale": True, "text": text,
             "texttemplate": "%{text}", "customdata": custom,
             "hovertemplate": "%{y} / %{x}: %{customdata[2]}<extra></extra>"}
    title = f"{result['method'].capitalize()} correlations over {result['rows']:,} rows"
    if result.get("note"):
        title += f" ({result['note']})"
    layout = {"title": {"text": title}, "xaxis": {"type": "category"},
              "yaxis": {"type": "category", "autorange": "reversed"},
              "margin": {"l": 100, "r": 30, "t": 60, "b": 100}}
    if not names:
        layout["annotations"] = [{"text": "No numeric or boolean columns to correlate",
                                  "showarrow": False, "xref": "paper", "yref": "paper",
                                  "x": 0.5, "y": 0.5}]
    return {"data": [trace] if names else [], "layout": layout}
