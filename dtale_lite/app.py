"""The Flask app factory: auth, frame resolution, one JSON error shape.

``create_app`` builds an independent app each call (tests build many). The app's state (its
registry, key, app root) hangs off ``app.extensions["dtale_lite"]`` and views reach it through
``state()``; there are no module globals.
"""
from __future__ import annotations

import logging
import secrets
import warnings
from dataclasses import dataclass
from collections.abc import Callable

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from .errors import DtaleLiteError, Forbidden, Unauthorized
from .registry import Registry

log = logging.getLogger("dtale_lite")

KEY_HEADER = "X-Dtale-Lite-Key"
KEY_PARAM = "key"  # not "token": Jupyter's proxy passes its own ?token= through to us
PUBLIC_ENDPOINTS = {"api.health"}


class _Generate:
    def __repr__(self) -> str:
        return "<random key>"


GENERATE = _Generate()


@dataclass
class AppState:
    registry: Registry
    key: str | None
    app_root: str
    on_shutdown: Callable[[], None] | None = None
    charts: object = None  # charts.service.Charts: figures under admission control


def state() -> AppState:
    return current_app.extensions["dtale_lite"]


def create_app(registry: Registry | None = None, *, key=GENERATE, app_root: str | None = None,
               on_shutdown: Callable[[], None] | None = None) -> Flask:
    """A new Flask app serving ``registry`` (a new empty one if None).

    ``key``: by default a fresh random secret that every route but ``/health`` requires (query
    ``key`` or header ``X-Dtale-Lite-Key``). Pass a string to choose it, or ``None`` to turn
    authentication off for a host app that has its own; that warns, loudly, because anyone who
    can reach the port can then read every frame.
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

    app = Flask(__name__, static_folder=None)
    app.json.sort_keys = False
    registry = registry if registry is not None else Registry()
    from .charts.service import Charts

    app.extensions["dtale_lite"] = AppState(registry=registry, key=key,
                                            app_root=normalize_root(app_root),
                                            on_shutdown=on_shutdown, charts=Charts(registry))
    # Auth runs as the first url_value_preprocessor, before the frame is resolved, so that an
    # unauthenticated caller cannot probe which frame names exist (404 vs 401).
    app.url_value_preprocessor(_check_key)
    install_error_handling(app)

    from .api import api
    from .charts.mount import mount_charts
    from .charts.routes import charts_api
    from .pages import pages

    app.register_blueprint(api)
    app.register_blueprint(charts_api)
    app.register_blueprint(pages)
    mount_charts(app)  # /charts/: a Dash app built on the first chart request (see mount.py)
    return app


def install_error_handling(app: Flask) -> None:
    """One JSON error shape and the security headers, on this app and on the charts' server."""
    app.after_request(_security_headers)
    app.register_error_handler(DtaleLiteError, _error_response)
    app.register_error_handler(HTTPException, _http_error_response)
    app.register_error_handler(Exception, _unexpected_error_response)


def normalize_root(app_root: str | None) -> str:
    if not app_root:
        return ""
    return "/" + app_root.strip("/")


def _check_key(endpoint: str | None, values: dict | None) -> None:
    # No endpoint: the URL matched no route (404) or not with this method (405). Say so, key or
    # not: a key would not change the answer, and a 405 must name the allowed methods
    # (``TRACE /health`` answered 401 before; found by the OpenAPI fuzzer).
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return
    check_key()


def check_key() -> None:
    """Raise Unauthorized (no key) or Forbidden (a wrong key) unless the current request
    carries this app's key; nothing when authentication is off."""
    expected = state().key
    if expected is None:
        return
    given = request.headers.get(KEY_HEADER) or request.args.get(KEY_PARAM)
    if not given:
        raise Unauthorized(f"this server needs its key: add ?{KEY_PARAM}=<key> to the URL or "
                           f"send the {KEY_HEADER} header (show() prints a URL that has it)")
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("wrong key for this server (keys change when the server restarts; "
                        "use the URL that show() printed last)")


# The page's URL carries the key: no Referer may take it to another site. The grid loads only
# its own bundle and talks only to this server, so the CSP allows nothing else (AG Grid sets
# inline styles, hence 'unsafe-inline' for styles only).
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"),
}


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def resolve_frame(endpoint: str | None, values: dict | None) -> None:
    """url_value_preprocessor: ``<frame>`` may be an id or a name; views get a Snapshot."""
    if values and "frame" in values:
        values["frame"] = state().registry.snapshot(values["frame"])


def _error_json(message: str, status: int):
    return jsonify({"ok": False, "error": message, "status": status}), status


def _error_response(error: DtaleLiteError):
    return jsonify(error.to_dict()), error.status


def _http_error_response(error: HTTPException):
    status = error.code or 500
    if status == 404:
        message = f"no route {request.method} {request.path}"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.path}"
    else:
        message = error.description or error.name
    response, status = _error_json(message, status)
    # Keep what the exception says besides its body: a 405 must list the allowed methods in
    # Allow (RFC 9110; found by the fuzzer, tests/test_openapi_fuzz.py).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _unexpected_error_response(error: Exception):
    # Logged server-side with its traceback; the client gets a message, never the traceback.
    log.exception("dtale_lite: unexpected error on %s %s", request.method, request.path)
    return _error_json(f"internal error ({type(error).__name__}); see the server log", 500)

