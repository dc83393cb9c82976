"""A Flask site with two Dash apps of its own and the dtale_lite viewer mounted at /viewer.

- ``/``        the host's own page (links to everything below)
- ``/dash1/``  a Dash app on the host's Flask server (``Dash(server=app, url_base_pathname=...)``)
- ``/dash2/``  a Dash app with its own server, dispatched by Werkzeug's DispatcherMiddleware
- ``/viewer/`` dtale_lite (grid, JSON API, charts) via ``dtale_lite.init_app``

Run it:

    python examples/flask_host/app.py                 # http://127.0.0.1:8050/
    python examples/flask_host/app.py --port 0        # any free port (printed)
    flask --app examples/flask_host/app.py run        # the Flask CLI works too

The viewer's URL, with its key (a new one each start), is printed at start.
"""
from __future__ import annotations

import argparse
import html as html_text

from dash import Dash, Input, Output, dcc, html
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

import dtale_lite
from dtale_lite.frames.benchframe import bench_frame


def dash_one(server: Flask) -> Dash:
    """A Dash app on the host's own Flask server, with a callback of its own."""
    app = Dash(__name__, server=server, url_base_pathname="/dash1/", title="Dash one")
    app.layout = html.Div([
        html.H1("Dash one", id="dash1-title"),
        dcc.Input(id="dash1-input", value="hello", type="text"),
        html.Div(id="dash1-echo"),
    ])

    @app.callback(Output("dash1-echo", "children"), Input("dash1-input", "value"))
    def echo(value):
        return f"you typed: {value}"

    return app


def dash_two() -> Dash:
    """A Dash app with its own Flask server, to be dispatched at /dash2."""
    app = Dash(__name__, routes_pathname_prefix="/", requests_pathname_prefix="/dash2/",
               title="Dash two")
    app.layout = html.Div([html.H1("Dash two", id="dash2-title"),
                           dcc.Graph(id="dash2-graph", figure={
                               "data": [{"type": "bar", "x": ["a", "b", "c"], "y": [3, 1, 2]}]})])
    return app


def create_site(rows: int = 20_000) -> Flask:
    app = Flask(__name__)
    dash_one(app)
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/dash2": dash_two().server})

    # The viewer: its own routes, key and chart app under /viewer, next to the host's.
    viewer = dtale_lite.init_app(app, url_prefix="/viewer")
    demo = viewer.show(bench_frame(rows), name="demo")
    app.extensions["example.demo"] = demo

    @app.get("/")
    def home():
        links = {"Dash one": "/dash1/", "Dash two": "/dash2/", "the demo frame": demo.url,
                 "a chart of it": demo.chart_url(type="bar", x="s_lo", y="f1", agg="mean")}
        items = "".join(f'<li><a href="{html_text.escape(url)}">{name}</a></li>'
                        for name, url in links.items())
        return f"<!doctype html><title>Host</title><h1>The host's own page</h1><ul>{items}</ul>"

    return app


app = create_site()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050, help="0: any free port")
    args = parser.parse_args()
    server = make_server(args.host, args.port, app, threaded=True)
    origin = f"http://{args.host}:{server.server_port}"
    demo = app.extensions["example.demo"]
    print(f"serving on {origin}/", flush=True)
    print(f"viewer: {origin}{demo.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
