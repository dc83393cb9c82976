"""The app factory: one Flask app joining the server's routes (the grid pages and the JSON API)
with the chart layer (the chart routes and the Dash app mounted under /charts/).

It sits above both layers it joins; neither imports it back. Each call builds an independent
app (tests build many) whose state hangs off ``app.extensions["dtale_lite"]``.
"""
from __future__ import annotations

import logging
import secrets
import warnings
from collections.abc import Callable

from flask import Blueprint, Flask, jsonify

from .. import server as server_package
from ..server.registry import Registry
from ..server.state import (DEFAULT_MAX_UPLOAD_BYTES, GENERATE, AppState,
                            check_key_for_endpoint, install_error_handling, normalize_root)
from .openapi import openapi_document

log = logging.getLogger("dtale_lite")

openapi_routes = Blueprint("openapi", __name__)


@openapi_routes.get("/api/openapi.json")
def openapi():
    from ..server.pages import root  # here, not at the top: import dtale_lite stays light

    # The document itself, not wrapped in {"ok": true}: OpenAPI tools read it as it is.
    return jsonify(openapi_document(server_url=root() or "/"))


def create_app(registry: Registry | None = None, *, key=GENERATE, app_root: str | None = None,
               on_shutdown: Callable[[], None] | None = None,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
               allow_url_loads: bool = False) -> Flask:
    """A new Flask app serving ``registry`` (a new empty one if None).

    ``key``: by default a fresh random secret that every route but ``/health`` requires (query
    ``key`` or header ``X-Dtale-Lite-Key``). Pass a string to choose it, or ``None`` to turn
    authentication off for a host app that has its own; that warns, loudly, because anyone who
    can reach the port can then read every frame.

    ``max_upload_bytes``: the largest file the grid's Load data dialog may upload (default
    100 MB; a larger one is a 413 that states the limit). ``allow_url_loads``: whether Load data
    may fetch a URL (http/https) from the server; off by default, since it lets anyone with
    the key make the server fetch addresses it can reach.
    """
    if key is GENERATE:
        key = secrets.token_urlsafe(24)
    elif key is None:
        message = ("dtale_lite: authentication is OFF (create_app(key=None)); anyone who can "
                   "reach this app can read every frame it shows")
        warnings.warn(message, stacklevel=2)
        log.warning(message)
    elif not isinstance(key, str) or not key:
        raise ValueError("key must be a non-empty string, or None to turn authentication off")
    if isinstance(max_upload_bytes, bool) or not isinstance(max_upload_bytes, int) \
            or max_upload_bytes < 1:
        raise ValueError("max_upload_bytes must be a whole number of bytes >= 1")

    # The import name is the server layer's package: Flask finds its templates from it.
    app = Flask(server_package.__name__, static_folder=None)
    app.json.sort_keys = False
    registry = registry if registry is not None else Registry()
    from ..charts.service import Charts

    app.extensions["dtale_lite"] = AppState(registry=registry, key=key,
                                            app_root=normalize_root(app_root),
                                            on_shutdown=on_shutdown, charts=Charts(registry),
                                            max_upload_bytes=max_upload_bytes,
                                            allow_url_loads=bool(allow_url_loads))
    # Auth runs as the first url_value_preprocessor, before the frame is resolved, so that an
    # unauthenticated caller cannot probe which frame names exist (404 vs 401).
    app.url_value_preprocessor(check_key_for_endpoint)
    install_error_handling(app)

    # Imported here, not at the top: ``import dtale_lite`` imports this module and stays light.
    from ..charts.analysis.routes import analysis_api
    from ..charts.mount import mount_charts
    from ..charts.routes import charts_api
    from ..server.api import api
    from ..server.pages import pages
    from ..server.upload import uploads
    from ..server.steps_api import steps_api

    app.register_blueprint(api)
    app.register_blueprint(uploads)
    app.register_blueprint(openapi_routes)
    app.register_blueprint(charts_api)
    app.register_blueprint(analysis_api)
    app.register_blueprint(pages)
    app.register_blueprint(steps_api)
    mount_charts(app)  # /charts/: a Dash app built on the first chart request (see mount.py)
    return app
