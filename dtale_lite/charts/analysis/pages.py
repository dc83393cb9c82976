"""The analysis pages' Dash components: one page shape for the four views (missing values,
outliers, duplicates, time series), each showing only the controls it uses.

Every component of every view is in the page (hidden when unused), so one callback
(:mod:`.callbacks`) draws any of them. Everything a person sees carries a ``data-testid``.
"""
from __future__ import annotations

from dash import dcc, html

from ...frames.aggregate import FREQUENCIES
from ..layout import GRAPH_CONFIG, _dropdown, _field, _header

VIEWS = ("missing", "outliers", "duplicates", "timeseries")
TITLES = {"missing": "Missing values", "outliers": "Outliers", "duplicates": "Duplicates",
          "timeseries": "Time series"}
# The controls each view shows (by the id's suffix), beside the filter every view has.
CONTROLS = {"missing": (), "outliers": ("column", "method"), "duplicates": ("columns",),
            "timeseries": ("x", "y", "freq", "window")}
ALL_CONTROLS = ("column", "method", "columns", "x", "y", "freq", "window")
HINTS = {"missing": "Click a column (its bar or its band of the matrix) to open the grid on "
                    "its missing rows.",
         "outliers": "\"Show these rows\" opens the grid on the values outside the fences.",
         "duplicates": "Click a group to open the grid on its rows; \"Show these rows\" opens "
                       "the rows of the largest groups.",
         "timeseries": ""}


def analysis_page(view: str):
    """The page of one analysis ``view`` (its settings are read from the URL by the
    callback)."""
    shown = CONTROLS.get(view, ())
    controls = html.Div([
        _field("Column", _dropdown("an-column", clearable=False), "an-field-column",
               hidden="column" not in shown),
        _field("Method", html.Div(dcc.RadioItems(
            id="an-method", inline=True, value="iqr",
            options=[{"label": "IQR fences", "value": "iqr"},
                     {"label": "z-score > 3", "value": "zscore"}]),
            **{"data-testid": "an-method"}), "an-field-method", hidden="method" not in shown),
        _field("Columns", _dropdown("an-columns", multi=True), "an-field-columns",
               hidden="columns" not in shown),
        _field("Time", _dropdown("an-x", clearable=False), "an-field-x",
               hidden="x" not in shown),
        _field("Value", _dropdown("an-y", clearable=False), "an-field-y",
               hidden="y" not in shown),
        _field("Frequency", _dropdown("an-freq", [{"label": f, "value": f}
                                                  for f in FREQUENCIES]),
               "an-field-freq", hidden="freq" not in shown),
        _field("Window", html.Div(dcc.Input(id="an-window", type="number", min=1, max=1000,
                                            step=1, debounce=True),
                                  **{"data-testid": "an-window"}), "an-field-window",
               hidden="window" not in shown),
        _field("Filter", html.Div(dcc.Input(id="an-filter", type="text", debounce=True,
                                            className="dl-filter"),
                                  **{"data-testid": "an-filter"})),
    ], className="dl-controls", **{"data-testid": "analysis-controls"})
    return html.Div([
        dcc.Location(id="an-url", refresh=False),
        dcc.Store(id="an-view", data=view),
        _header("an-title", [("Grid", "an-grid-link", "grid-link"),
                             ("Chart builder", "an-chart-link", "chart-link")]),
        controls,
        html.Div([
            html.Div(id="an-note", className="dl-note", hidden=True,
                     **{"data-testid": "chart-note"}),
            html.Div(id="an-message", className="dl-message", hidden=True,
                     **{"data-testid": "chart-message"}),
            html.Div(dcc.Graph(id="an-graph", config=GRAPH_CONFIG, className="dl-graph"),
                     **{"data-testid": "analysis-graph"}),
        ], className="dl-chart-area"),
        html.Div([
            html.Span(id="an-summary", **{"data-testid": "analysis-summary"}),
            html.A("Show these rows", id="an-show-rows", target="_blank", hidden=True,
                   rel="noopener", **{"data-testid": "show-rows"}),
        ], className="dl-selection"),
        html.P(HINTS.get(view, ""), className="dl-hint"),
        html.Details([
            html.Summary("Python code"),
            html.Pre(id="an-code", className="dl-code", **{"data-testid": "chart-code"}),
        ], open=False, className="dl-code-box"),
    ], className="dl-builder", **{"data-testid": f"analysis-{view}"})
