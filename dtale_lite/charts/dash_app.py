"""The chart builder's Dash app: one per outer URL prefix, on its own small Flask server.

Built by ``mount.ChartsDispatcher`` on the first chart request (this module is the one that
imports Dash). The dispatcher has already checked the key and the frame; this server adds the
viewer's JSON error shape, its security headers and a strict Content-Security-Policy whose
script hashes come from ``dash_app.csp_hashes()``.
"""
from __future__ import annotations

from pathlib import Path

from dash import Dash, html
from flask import Flask, request

from ..server.state import AppState, install_error_handling
from . import callbacks, geo_assets, layout
from .analysis.pages import analysis_page
from .plotly_bundle import PLOTLY_URL_PATH, bundle_response

ASSETS = Path(__file__).parent / "assets"
PAGE_HEADER = "X-Dtale-Lite-Page"

# Dash's default index plus what the grid page has: no Referer (the URL carries the key), no
# favicon request, and no legacy IE <script> comment.
INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
{%metas%}
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>{%title%}</title>
<link rel="icon" href="data:,">
{%css%}
</head>
<body>
{%app_entry%}
<footer>
{%config%}
{%scripts%}
{%renderer%}
</footer>
</body>
</html>"""


def content_security_policy(script_hashes: list[str]) -> str:
    """The chart pages' CSP: scripts only from this server plus Dash's own inline scripts (by
    hash). No 'unsafe-eval': our figures use no WebGL traces, whose shader compiler needs it.
    Plotly and Dash set inline styles, hence 'unsafe-inline' for styles only; the PNG export
    draws through data:/blob: images."""
    return ("default-src 'self'; "
            f"script-src 'self' {' '.join(script_hashes)}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")


def build_charts_server(app_state: AppState, prefix: str) -> Flask:
    """A Flask server (a WSGI app) serving the chart pages under ``<prefix>/charts/``.

    ``prefix`` is the outer path the browser sees (``""``, ``"/proxy/8888"``, ``"/viewer"``).
    """
    server = Flask(__name__, static_folder=None)
    server.json.sort_keys = False
    # state() works in this server's requests too: callbacks and the viewer share one AppState.
    server.extensions["dtale_lite"] = app_state
    install_error_handling(server)

    dash_app = Dash(
        __name__, server=server, routes_pathname_prefix="/charts/",
        requests_pathname_prefix=f"{prefix}/charts/",
        serve_locally=True,  # offline: Dash and plotly.js come from the installed packages
        assets_folder=str(ASSETS), include_assets_files=True, index_string=INDEX,
        title="dtale_lite chart", update_title=None, suppress_callback_exceptions=True,
        compress=False)
    first_page = callbacks.register(dash_app, app_state, prefix)
    # Dash asks for the layout without the page's URL; assets/key-header.js sends it along.
    dash_app.layout = lambda: layout.page_shell(first_page(request.headers.get(PAGE_HEADER)))
    # The analysis pages (one shape for the four views) are part of what callbacks may use.
    dash_app.validation_layout = html.Div([layout.validation_layout(),
                                           analysis_page("missing")])

    policy = content_security_policy(dash_app.csp_hashes())
    geo_assets.install(server)  # map shapes, offline (issue 16)

    @server.before_request
    def smaller_plotly():
        # Dash's Graph fetches plotly.js from this fixed URL: answer with the smaller bundle.
        if request.path == f"/charts/{PLOTLY_URL_PATH}":
            return bundle_response(request.headers.get("Accept-Encoding", ""),
                                   request.headers.get("If-None-Match"),
                                   full=request.args.get("bundle") == "full")
        return None

    @server.after_request
    def chart_headers(response):
        # Registered after install_error_handling's hook, so it runs first (Flask runs them in
        # reverse) and its CSP wins over the grid's default one.
        response.headers["Content-Security-Policy"] = policy
        if request.path.startswith("/charts/_dash-component-suites/"):
            # Dash fingerprints its bundles; they carry no data and may be cached.
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response

    return server
