"""The chart JSON routes: the figure builder behind the same auth and error shape as the API.

``GET /api/frames/<frame>/chart`` answers the figure as JSON, or with ``format`` the chart's
data as CSV, a standalone HTML file that works offline, or the Python code that draws it.
``GET /api/frames/<frame>/correlations`` answers the correlation matrix.
"""
from __future__ import annotations

import json
from importlib import resources

from flask import Blueprint, Response, jsonify, request
from markupsafe import Markup

from ..server.state import resolve_frame, state
from ..frames.errors import BadRequest
from .spec import parse_chart_spec
from .geo_assets import embedded_shapes

charts_api = Blueprint("charts_api", __name__)
charts_api.url_value_preprocessor(resolve_frame)

FORMATS = {"json": None, "csv": ("text/csv", "csv"), "html": ("text/html", "html"),
           "py": ("text/x-python", "py")}


@charts_api.get("/api/frames/<frame>/chart")
def chart(frame):
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise BadRequest(f"unknown format '{fmt[:20]}'; use one of {', '.join(FORMATS)}")
    charts = state().charts
    spec = parse_chart_spec(request.args, frame.source.columns(),
                            default=lambda: charts.default_spec(frame))
    result = charts.chart(frame, spec, client=request.args.get("client"))
    if fmt == "json":
        return jsonify({"ok": True, **result.to_dict()})
    body = {"csv": lambda: result.table.to_csv(index=False),
            "html": lambda: standalone_html(result.figure, _title(result.figure)),
            "py": lambda: result.code}[fmt]()
    mimetype, extension = FORMATS[fmt]
    response = Response(body, mimetype=mimetype)
    name = frame.name or f"frame-{frame.id}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{spec.type}.' \
                                              f'{extension}"'
    return response


@charts_api.get("/api/frames/<frame>/correlations")
def correlations(frame):
    method = request.args.get("method", "pearson")
    result = state().charts.correlations(frame, method, request.args.get("filter"),
                                         client=request.args.get("client"))
    return jsonify({"ok": True, **result})


def _title(figure: dict) -> str:
    return str(figure.get("layout", {}).get("title", {}).get("text") or "dtale_lite chart")


def plotly_js() -> str:
    """plotly.js as the plotly package ships it (read as a file: no plotly import)."""
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text("utf-8")


def standalone_html(figure: dict, title: str) -> str:
    """One HTML file that draws ``figure`` with plotly.js inlined: opens offline, anywhere."""
    # "</" inside the JSON must not close the script element.
    data = json.dumps(figure).replace("</", "<\\/")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{Markup.escape(title)}"
            f"</title></head><body><div id='chart' style='width:100%;height:95vh'></div>"
            f"{embedded_shapes(figure)}<script>{plotly_js()}</script><script>var figure = {data};"
            # frames: an animated chart's (animation.py); a map's shapes are embedded.
            f"Plotly.newPlot('chart', {{data: figure.data, layout: figure.layout, "
            f"frames: figure.frames || [], config: {{responsive: true}}}});"
            f"</script></body></html>")
