"""``dtale_lite.wsgi:serve(...)``: data files as a read-only viewer behind gunicorn (or any WSGI
server), for a team that wants the files on a shared machine instead of in a notebook:

    gunicorn --preload --workers 2 --threads 4 --no-control-socket -b 127.0.0.1:8000 \\
        'dtale_lite.wsgi:serve("sales.csv", "orders.parquet")'

Why ``--preload`` (or a single worker): each gunicorn worker is a process with its own memory,
so frames loaded in one are not seen by another. ``--preload`` runs ``serve()`` once in the
master before it forks: every worker shares the loaded frames (copy-on-write), the same frame
ids, and the same key, which is why the key is generated here and not per worker. Without
``--preload`` each worker loads the files itself; it then needs ``DTALE_LITE_KEY`` so that all
workers agree on the key.

Read-only: the one route that changes the registry (``DELETE /api/frames/<frame>``) is refused,
since it would remove a frame from one worker only; ``POST /shutdown`` already answers 409
(gunicorn owns the process). POST stays open for the chart page's Dash callbacks.
"""
from __future__ import annotations

import json
import logging
import os
import sys

from ..server.state import GENERATE, normalize_root
from .hosted import Hosted
from ..frames.loaders import load_file, name_for

KEY_ENV = "DTALE_LITE_KEY"
WRITE_METHODS = {"DELETE", "PUT", "PATCH"}

log = logging.getLogger("dtale_lite.wsgi")


def serve(*paths, url_prefix: str = "", names=None, base_url: str | None = None):
    """A WSGI app serving the data files ``paths`` read-only; returns it for gunicorn & co.

    Frames are named after their file (``sales.csv`` -> ``sales``; a second ``sales.parquet``
    becomes ``sales_2``) unless ``names`` gives one name per path. ``url_prefix``: serve under
    a path like ``/viewer`` (a proxy in front forwards it unchanged); other paths answer 404.
    ``base_url``: the origin (and prefix) printed in the log's links, e.g.
    ``"http://data.example.org:8000"``; by default the links are paths.

    The key is ``$DTALE_LITE_KEY`` when set, else generated now and written to the log once,
    with each frame's URL. Raises ``loaders.LoadError`` (naming the file) for a missing,
    unsupported or unreadable file and ValueError for bad names or no paths.
    """
    if not paths:
        raise ValueError('serve() needs at least one data file: serve("sales.csv", ...)')
    names = frame_names(paths, names)
    prefix = normalize_root(url_prefix)
    key = os.environ.get(KEY_ENV) or GENERATE
    hosted = Hosted(url_prefix=prefix, key=key,
                    base_url=(base_url.rstrip("/") + prefix) if base_url else None)
    _ensure_log_visible()
    for path, name in zip(paths, names):
        frame = load_file(path)
        inst = hosted.show(frame, name=name)
        log.info("dtale_lite: %s: %s rows x %s columns from %s  %s", name, f"{len(frame):,}",
                 f"{frame.shape[1]:,}", path, _link(inst.url, hosted.key, key))
    if key is GENERATE:
        log.info("dtale_lite: key generated at start (set %s to choose one): %s", KEY_ENV,
                 hosted.key)
    else:
        log.info("dtale_lite: key from %s; add ?key=<it> to the URLs", KEY_ENV)
    # Built here, before gunicorn forks (--preload), so that every worker serves the chart
    # page's scripts whichever worker served the page (see Hosted.build_charts).
    hosted.build_charts()
    app = ReadOnly(hosted.wsgi_app)
    if prefix:
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        app = DispatcherMiddleware(_not_found, {prefix: app})
    return app


def frame_names(paths, names) -> list[str]:
    """One name per path: ``names`` if given, else each file's stem, made unique."""
    if names is not None:
        names = list(names)
        if len(names) != len(paths) or len(set(names)) != len(names):
            raise ValueError(f"names needs one distinct name per file: {len(paths)} files, "
                             f"names {names!r}")
        return names
    chosen: list[str] = []
    for path in paths:
        name = base = name_for(path)
        n = 1
        while name in chosen:  # data.csv and data.parquet both become "data": keep both
            n += 1
            name = f"{base}_{n}"
        chosen.append(name)
    return chosen


def _link(url: str, actual_key: str | None, key) -> str:
    # A key the operator chose in the environment is theirs to keep out of logs.
    return url if key is GENERATE else url.replace(f"key={actual_key}", "key=<DTALE_LITE_KEY>")


def _ensure_log_visible() -> None:
    # gunicorn configures only its own loggers: without a handler these lines (and the
    # generated key) would go nowhere.
    log.setLevel(logging.INFO)
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] %(message)s"))
        log.addHandler(handler)


def _json_error(start_response, status: int, reason: str, message: str, headers=()):
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                          ("Content-Length", str(len(body))),
                                          ("Cache-Control", "no-store"), *headers])
    return [body]


def _not_found(environ, start_response):
    return _json_error(start_response, 404, "NOT FOUND",
                       f"no route {environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}")


class ReadOnly:
    """WSGI: refuse the methods that would change the served frames (405, the JSON shape)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method in WRITE_METHODS:
            return _json_error(start_response, 405, "METHOD NOT ALLOWED",
                               f"this server shows its files read-only (dtale_lite.wsgi.serve): "
                               f"{method} is not allowed", [("Allow", "GET, HEAD, POST")])
        return self.app(environ, start_response)
