"""What every route of the viewer shares: the app's state, the key check, frame resolution,
one JSON error shape and the security headers.

The app factory (``dtale_lite.app.create_app``) hangs an ``AppState`` off
``app.extensions["dtale_lite"]``; views, the chart routes and the Dash server reach it through
``state()`` (Flask's ``current_app``), never by importing the module that builds the app.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from collections.abc import Callable

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from ..frames.errors import DtaleLiteError, Forbidden, Unauthorized
from .registry import Registry

log = logging.getLogger("dtale_lite")

KEY_HEADER = "X-Dtale-Lite-Key"
KEY_PARAM = "key"  # not "token": Jupyter's proxy passes its own ?token= through to us
PUBLIC_ENDPOINTS = {"api.health"}
DEFAULT_MAX_UPLOAD_BYTES = 100 * 2**20  # the Load data dialog's limit unless the app sets one


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
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES  # a larger upload is a 413
    allow_url_loads: bool = False  # POST /api/upload may fetch a URL (off: a 403)


def state() -> AppState:
    return current_app.extensions["dtale_lite"]


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


def check_key_for_endpoint(endpoint: str | None, values: dict | None) -> None:
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

