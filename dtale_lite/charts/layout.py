"""The chart pages' Dash components: the page shell, the chart builder and the correlations view.

The shell is generic (Dash fetches its layout without the page's URL); a routing callback puts
the builder or the correlations view into it from the URL. Everything a person sees carries a
``data-testid``.
"""
from __future__ import annotations

import secrets

from dash import dcc, html

from .spec import AGGREGATIONS, CHART_TYPES, FREQUENCIES, OHLC

TYPE_LABELS = {"bar": "Bar", "line": "Line", "scatter": "Scatter", "histogram": "Histogram",
               "box": "Box", "heatmap": "Heatmap", "pie": "Pie", "density": "Density",
               "treemap": "Treemap", "sunburst": "Sunburst", "funnel": "Funnel",
               "candlestick": "Candlestick", "scatter3d": "Scatter 3D", "surface": "Surface",
               "map": "Map"}
AGG_LABELS = {"count": "count", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
              "max": "max", "distinct": "distinct count", "std": "std"}
# Plotly's own toolbar does the PNG export, in the browser; no logo, no link to Plotly's cloud.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "toImageButtonOptions": {"format": "png", "filename": "chart", "scale": 2},
                # Map shapes from this server, not Plotly's CDN (geo_assets.py, issue 16).
                "topojsonURL": "_geo/"}


def page_shell(page=None):
    """The layout Dash serves for every chart page (called once per page load): ``page`` (the
    builder or the correlations view, already drawn) or, without it, an empty page that the
    routing callback fills from the URL."""
    return html.Div([
        dcc.Location(id="url", refresh=False),
        # A full navigation (a correlation cell opens that pair's chart page).
        dcc.Location(id="nav", refresh=True),
        # A random id per page load: the service drops this page's superseded requests.
        dcc.Store(id="client", data=secrets.token_hex(8)),
        dcc.Store(id="page-drawn", data=page is not None),
        html.Div(page, id="page", **{"data-testid": "chart-page"}),
    ], className="dl-charts")


def _field(label: str, control, field_id: str | None = None, hidden: bool = False):
    attributes = {"id": field_id} if field_id else {}
    return html.Label([html.Span(label, className="dl-label"), control], className="dl-field",
                      hidden=hidden, **attributes)


def _dropdown(control_id: str, options=(), multi: bool = False, clearable: bool = True):
    return html.Div(dcc.Dropdown(id=control_id, options=list(options), multi=multi,
                                 clearable=clearable, className="dl-dropdown"),
                    **{"data-testid": control_id})


def builder():
    """The chart builder: controls, the chart (or a message in its place), links, code."""
    controls = html.Div([
        _field("Chart", _dropdown("chart-type", [{"label": TYPE_LABELS[t], "value": t}
                                                 for t in CHART_TYPES], clearable=False)),
        _field("X", _dropdown("chart-x"), "field-x"),
        _field("Y", _dropdown("chart-y", multi=True), "field-y"),
        _field("Y (right)", _dropdown("chart-y2", multi=True), "field-y2", hidden=True),
        _field("Z", _dropdown("chart-z"), "field-z", hidden=True),
        _field("Path", _dropdown("chart-path", multi=True), "field-path", hidden=True),
        *(_field(name.capitalize(), _dropdown(f"chart-{name}"), f"field-{name}", hidden=True)
          for name in OHLC),
        _field("Color", _dropdown("chart-color"), "field-color", hidden=True),
        _field("Facet", _dropdown("chart-facet"), "field-facet", hidden=True),
        # Maps and animations (issue 16).
        *(_field(label, _dropdown(f"chart-{name}"), f"field-{name}", hidden=True)
          for name, label in (("lat", "Latitude"), ("lon", "Longitude"),
                              ("locations", "Locations"), ("animate_by", "Animate by"))),
        _field("Group", _dropdown("chart-group"), "field-group"),
        _field("Aggregation", _dropdown("chart-agg", [{"label": AGG_LABELS[a], "value": a}
                                                      for a in AGGREGATIONS]), "field-agg"),
        _field("Frequency", _dropdown("chart-freq", FREQUENCIES), "field-freq", hidden=True),
        _field("Bins", html.Div(dcc.Input(id="chart-bins", type="number", min=1, max=1000,
                                          step=1, debounce=True),
                                **{"data-testid": "chart-bins"}), "field-bins", hidden=True),
        _field("Axes", html.Div(dcc.Checklist(id="chart-log", inline=True, options=[
            {"label": "log x", "value": "log_x"}, {"label": "log y", "value": "log_y"}]),
            **{"data-testid": "chart-log"})),
        _field("Bars", html.Div(dcc.RadioItems(id="chart-barmode", inline=True, options=[
            {"label": "grouped", "value": "group"}, {"label": "stacked", "value": "stack"}]),
            **{"data-testid": "chart-barmode"}), "field-barmode", hidden=True),
        _field("Missing", html.Div(dcc.Checklist(id="chart-dropna", inline=True, options=[
            {"label": "leave out", "value": "dropna"}]), **{"data-testid": "chart-dropna"}),
            "field-dropna"),
        _field("Filter", html.Div(dcc.Input(id="chart-filter", type="text", debounce=True,
                                            placeholder="e.g. f1 > 0 and s_lo == \"cat_03\"",
                                            className="dl-filter"),
                                  **{"data-testid": "chart-filter"}), "field-filter"),
    ], className="dl-controls", **{"data-testid": "chart-controls"})
    return html.Div([
        # The page's own URL for its settings; every input of the builder's callbacks lives
        # in the builder (Dash reports inputs from outside a swapped-in section as missing).
        dcc.Location(id="chart-url", refresh=False),
        _header("chart-title", [("Grid", "chart-grid-link", "grid-link"),
                                ("Correlations", "chart-corr-link", "correlations-link")]),
        controls,
        html.Div([
            html.Div(id="chart-note", className="dl-note", hidden=True,
                     **{"data-testid": "chart-note"}),
            html.Div(id="chart-message", className="dl-message", hidden=True,
                     **{"data-testid": "chart-message"}),
            html.Div(dcc.Graph(id="chart-graph", config=GRAPH_CONFIG, className="dl-graph"),
                     id="chart-graph-box", **{"data-testid": "chart-graph"}),
        ], className="dl-chart-area"),
        html.Div([
            html.Span(id="chart-rows", **{"data-testid": "chart-rows"}),
            html.A("Show these rows", id="chart-show-rows", target="_blank", hidden=True,
                   rel="noopener", **{"data-testid": "show-rows"}),
            html.Code(id="chart-selection", hidden=True, **{"data-testid": "selection-filter"}),
        ], className="dl-selection"),
        html.Div([
            html.Span("Export: ", className="dl-label"),
            html.A("HTML", id="chart-export-html", **{"data-testid": "export-html"}),
            html.A("CSV", id="chart-export-csv", **{"data-testid": "export-csv"}),
            html.Span("PNG: the camera in the chart's toolbar", className="dl-hint"),
        ], className="dl-export"),
        html.Details([
            html.Summary("Python code"),
            html.Div([
                dcc.Clipboard(target_id="chart-code", title="Copy the code",
                              className="dl-copy"),
            ], **{"data-testid": "copy-code"}),
            html.Pre(id="chart-code", className="dl-code", **{"data-testid": "chart-code"}),
        ], open=False, className="dl-code-box"),
        # The spec of the chart on screen, as query parameters (for "Show these rows"), and
        # how it was reduced (a zoom re-requests only density plots and downsampled lines).
        dcc.Store(id="chart-spec"),
        # The aggregation and frequency the chart chose itself (shown in their boxes).
        dcc.Store(id="chart-defaults"),
        dcc.Store(id="chart-reduction"),
        # The graph's zooms, without its autosize and dragmode reports (assets/zoom-relay.js).
        dcc.Store(id="chart-zoom"),
    ], className="dl-builder")


def correlations():
    """The correlation matrix of the numeric columns, as a heatmap whose cells open charts."""
    return html.Div([
        dcc.Location(id="corr-url", refresh=False),
        _header("corr-title", [("Grid", "corr-grid-link", "grid-link"),
                               ("Chart builder", "corr-chart-link", "chart-link")]),
        html.Div([
            _field("Method", html.Div(dcc.RadioItems(
                id="corr-method", inline=True, value="pearson",
                options=[{"label": "Pearson", "value": "pearson"},
                         {"label": "Spearman", "value": "spearman"}]),
                **{"data-testid": "corr-method"})),
            _field("Filter", html.Div(dcc.Input(id="corr-filter", type="text", debounce=True,
                                                className="dl-filter"),
                                      **{"data-testid": "corr-filter"})),
        ], className="dl-controls"),
        html.Div([
            html.Div(id="corr-message", className="dl-message", hidden=True,
                     **{"data-testid": "chart-message"}),
            html.Div(dcc.Graph(id="corr-graph", config=GRAPH_CONFIG, className="dl-graph"),
                     **{"data-testid": "corr-graph"}),
        ], className="dl-chart-area"),
        html.Span(id="corr-rows", **{"data-testid": "chart-rows"}),
        html.P("Click a cell to open that pair's scatter chart.", className="dl-hint"),
    ], className="dl-builder")


def _header(title_id: str, links):
    return html.Header([
        html.H1(id=title_id, className="dl-title", **{"data-testid": "chart-title"}),
        html.Nav([html.A(text, id=link_id, **{"data-testid": testid})
                  for text, link_id, testid in links], className="dl-nav"),
    ], className="dl-header")


def validation_layout():
    """Every component any page can hold, so Dash can check callbacks against all of them."""
    return html.Div([page_shell(), builder(), correlations()])
