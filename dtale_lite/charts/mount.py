"""Mounting the chart builder (a Plotly Dash app) at ``/charts/`` of the viewer, on first use.

Why a WSGI dispatcher in front of the Flask app, and not ``Dash(server=app)``:

- ``import dtale_lite`` and the first ``show()`` must stay fast (``import dash`` is ~0.3 s,
  plotly ~0.6 s; ``show()`` has a 50 ms budget), so Dash cannot be built in ``create_app``.
- Building it later on the same Flask app is not possible: Flask (2.3+) refuses new routes,
  blueprints and ``before_request`` hooks once the app has served a request, and Dash adds all
  three.
- So ``create_app`` installs this small dispatcher as the app's ``wsgi_app``: paths under
  ``/charts/`` go to a Dash app with its own Flask server, built under a lock by the first chart
  request; everything else goes to the viewer's Flask app untouched. No Dash import happens
  until someone opens a chart.
- One Dash app per distinct outer prefix (``SCRIPT_NAME``): Dash bakes its
  ``requests_pathname_prefix`` into the page, and the same server is reached at ``/`` directly,
  at ``/proxy/<port>/`` through Jupyter's proxy, and at ``/viewer/`` inside a host application.
  Only a caller with the key can make a new one, and at most ``MAX_PREFIXES`` are kept.

The key and the 404 for an unknown frame are checked here, with the viewer's own ``check_key``
and its error handlers, so chart routes answer exactly like the rest of the API.
"""
from __future__ import annotations

import contextlib
import re
import sys
import threading
from collections import OrderedDict

from ..server.state import check_key, state
from ..frames.errors import BadRequest, DtaleLiteError, NotFound

CHARTS = "/charts/"
# Dash's JavaScript/CSS bundles, our own static assets and the icon carry no data: public.
PUBLIC_PARTS = ("_dash-component-suites/", "assets/")
PUBLIC_FILES = {"_favicon.ico"}
DASH_ROUTES = {"_dash-layout", "_dash-dependencies", "_dash-update-component", "_reload-hash"}
GEO_PART = "_geo/"  # map shapes (geo_assets.py): no frame, but under the key
PAGE = re.compile(r"(?P<frame>[^/]+)(?P<view>/(correlations|missing|outliers|duplicates|"
                  r"timeseries))?")
# The outer prefix is written into the page's script URLs: only plain path characters.
SAFE_PREFIX = re.compile(r"(/[A-Za-z0-9._~%@+-]+)*")
MAX_PREFIXES = 8


def mount_charts(app) -> None:
    """Put the charts dispatcher in front of ``app`` (called once, by ``create_app``)."""
    app.wsgi_app = ChartsDispatcher(app, app.wsgi_app)


def classify(rest: str) -> tuple[str, str | None]:
    """What a path below ``/charts/`` is: ``("public"|"dash"|"page"|"unknown", frame)``."""
    if rest in PUBLIC_FILES or rest.startswith(PUBLIC_PARTS):
        return "public", None
    if rest in DASH_ROUTES or rest.startswith(GEO_PART):
        return "dash", None
    match = PAGE.fullmatch(rest)
    if match:
        return "page", match["frame"]
    return "unknown", None


class ChartsDispatcher:
    """WSGI: ``/charts/...`` to the Dash app of the request's prefix, the rest to ``wsgi_app``."""

    def __init__(self, flask_app, wsgi_app):
        self.flask_app = flask_app
        self.wsgi_app = wsgi_app
        self._lock = threading.Lock()
        self._apps: OrderedDict[str, object] = OrderedDict()  # outer prefix -> WSGI app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(CHARTS):
            return self.wsgi_app(environ, start_response)
        prefix = environ.get("SCRIPT_NAME", "").rstrip("/")
        kind, frame = classify(path[len(CHARTS):])
        built = self._apps.get(prefix)
        if kind == "public" and built is None:
            built = self._public_app()
        if kind != "public" or built is None:
            refusal = self._refusal(environ, kind, frame, prefix)
            if refusal is not None:
                return refusal(environ, start_response)
        return (built or self._charts_for(prefix))(environ, start_response)

    def _refusal(self, environ, kind: str, frame: str | None, prefix: str):
        """The viewer's own JSON error response when the request may not go on, else None."""
        with self.flask_app.request_context(environ):
            try:
                check_key()  # before the frame lookup: no probing frame names without the key
                if not SAFE_PREFIX.fullmatch(prefix):
                    raise BadRequest("the URL prefix (SCRIPT_NAME / X-Forwarded-Prefix) may only "
                                     "contain letters, digits and . _ ~ % @ + - /")
                if kind == "page":
                    state().registry.snapshot(frame)
                elif kind == "unknown":
                    raise NotFound(f"no chart page at {environ.get('PATH_INFO', '')}")
            except DtaleLiteError as error:
                return self.flask_app.finalize_request(
                    self.flask_app.handle_user_exception(error))
        return None

    def _public_app(self):
        """The most recently built chart app, whatever its prefix, or None.

        Dash's bundles and our assets are the same under every prefix, and script tags never
        carry the key. Behind a server with several worker processes (gunicorn) the page may
        come from one worker and its scripts from another, which built its app for another
        prefix or was prepared with ``build()``. Nothing is built for a request without the key.
        """
        with self._lock:
            return next(reversed(self._apps.values()), None)

    def build(self, prefix: str = "") -> None:
        """Build the chart app for ``prefix`` now (imports Dash) rather than on first use."""
        self._charts_for(prefix.rstrip("/"))

    def _charts_for(self, prefix: str):
        with self._lock:
            charts = self._apps.get(prefix)
            if charts is None:
                with _without_ipython():  # Dash is imported here, on first use
                    from .dash_app import build_charts_server

                with self.flask_app.app_context():
                    charts = build_charts_server(state(), prefix)
                # Dash registers the bundles it may serve in its setup on its first request,
                # after marking itself set up: concurrent first requests (a page's scripts
                # reaching a fresh gunicorn worker) got 500 "not a registered library". One
                # request here, before the app is published, finishes that setup.
                charts.test_client().get(f"{CHARTS}_favicon.ico")
                self._apps[prefix] = charts
                while len(self._apps) > MAX_PREFIXES:
                    self._apps.popitem(last=False)
            return charts


@contextlib.contextmanager
def _without_ipython():
    """Import Dash without IPython where IPython is not loaded yet (a plain script, a server).

    ``dash._jupyter`` imports IPython when it is installed, for Dash's own Jupyter display,
    which the viewer never uses: that was 0.3 s of the 0.5 s ``import dash`` on an idle
    machine, and up to 0.6 s under load, on the first chart page (issue 17). Inside Jupyter
    IPython is already imported and nothing changes. IPython stays importable afterwards; only
    Dash's Jupyter display stays off in this process.
    """
    blocked = "IPython" not in sys.modules and "dash" not in sys.modules
    if blocked:
        sys.modules["IPython"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        yield
    finally:
        if blocked and sys.modules.get("IPython", 0) is None:
            del sys.modules["IPython"]
