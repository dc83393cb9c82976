"""The plotly.js the chart pages load: plotly.js's cartesian bundle in place of the full one.

Dash's Graph loads plotly.js with its first graph, from one fixed URL (``PLOTLY_URL_PATH``:
the plotly package's full bundle, 4.8 MB). Compiling that bundle was most of a cold chart page
(issue 17: 0.8 s of 2.0 s on an idle 2-core machine, 2.5 s of 4.3 s under load). The figure
builder draws only bar, scatter, heatmap, pie and box traces, all in plotly.js's cartesian
bundle (1.5 MB, 0.5 MB gzipped; ``plotlyjs/``, from npm ``plotly.js-cartesian-dist-min``, MIT),
so the chart server answers that URL with it. It is stored gzipped and sent as it is to
browsers that accept gzip (all do): no compression per request, a third of the bytes on a
remote connection. If the plotly package ships another plotly.js version than the vendored
bundle, the full bundle is served as before.

Kinds outside the cartesian bundle (treemap, sunburst, funnel, candlestick, 3D, maps: ``FULL_TRACES``)
need the full bundle; ``assets/plotly-bundle.js`` asks for it (``?bundle=full``) only on a
page whose URL names such a kind, and reloads a cartesian page whose new chart needs it, so
the cartesian pages keep their load time (issue 16).
"""
from __future__ import annotations

import functools
import gzip
import logging
import re
from importlib import resources
from pathlib import Path

from flask import Response

log = logging.getLogger("dtale_lite")

PLOTLY_URL_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
CARTESIAN = Path(__file__).parent / "plotlyjs" / "plotly-cartesian.min.js.gz"
# The trace types in the cartesian bundle; tests check the figure builder stays inside it.
CARTESIAN_TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                              "histogram2dcontour", "image", "pie", "scatter", "violin"})
# Trace types the figure builder draws that only the full bundle has; assets/plotly-bundle.js
# lists the same (a test checks).
FULL_TRACES = frozenset({"candlestick", "funnel", "scatter3d", "sunburst", "surface",
                         "treemap", "choropleth", "scattergeo"})
_VERSION = re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")
MAX_AGE = 24 * 3600


def version_of(head: str) -> str | None:
    """The plotly.js version named in a bundle's opening comment, or None."""
    match = _VERSION.search(head)
    return match[1] if match else None


def full_bundle() -> Path:
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def _head(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read(400)


@functools.lru_cache(maxsize=1)
def chart_bundle() -> tuple[Path, bool, str]:
    """``(path, gzipped, etag)`` of the bundle the chart pages get: the cartesian one when its
    version is the plotly package's, else the package's full bundle."""
    wanted, vendored = version_of(_head(full_bundle())), version_of(_head(CARTESIAN))
    if wanted is not None and wanted == vendored:
        return CARTESIAN, True, f"cartesian-{wanted}"
    log.warning("dtale_lite: plotly ships plotly.js %s, the vendored cartesian bundle is %s; "
                "chart pages load the full bundle", wanted, vendored)
    return full_bundle(), False, f"full-{wanted}"


@functools.lru_cache(maxsize=1)
def _full_gzipped() -> bytes:
    # Compressed once per process (~0.3 s): 4.8 MB become 1.4 MB on the wire.
    return gzip.compress(full_bundle().read_bytes(), compresslevel=6)


def bundle_response(accept_encoding: str, if_none_match: str | None,
                    full: bool = False) -> Response:
    """The response to a request for ``PLOTLY_URL_PATH`` (``full``: the full bundle, for
    the kinds in ``FULL_TRACES``)."""
    if full:
        wanted = version_of(_head(full_bundle()))
        return _response(None, True, f"full-{wanted}", accept_encoding, if_none_match)
    path, gzipped, etag = chart_bundle()
    return _response(path, gzipped, etag, accept_encoding, if_none_match)


def _response(path: Path | None, gzipped: bool, etag: str, accept_encoding: str,
              if_none_match: str | None) -> Response:
    """``path``'s bytes (None: the full bundle, gzipped in memory) with caching headers."""
    headers = {"Cache-Control": f"public, max-age={MAX_AGE}", "ETag": f'"{etag}"',
               "Vary": "Accept-Encoding"}
    if if_none_match == f'"{etag}"':
        return Response(status=304, headers=headers)
    body = path.read_bytes() if path is not None else _full_gzipped()
    if gzipped and "gzip" in accept_encoding:
        headers["Content-Encoding"] = "gzip"
    elif gzipped:
        body = gzip.decompress(body)
    return Response(body, mimetype="application/javascript", headers=headers)
