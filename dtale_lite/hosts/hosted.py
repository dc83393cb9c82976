"""A viewer served by someone else's server: a host Flask app, Streamlit, gunicorn, uvicorn.

``show()`` runs its own server in a thread. A host runs the server itself and mounts the viewer
under a path prefix (``/viewer``); ``Hosted`` is that viewer: its own registry, its own key and
an app factory's WSGI app to mount. It never starts a thread or a reaper (the host owns the
process's life), and the Instances it hands out have URLs relative to the host's origin, since
only the browser knows the host's address.

    >>> hosted = Hosted(url_prefix="/viewer")
    >>> inst = hosted.show(df, name="sales")
    >>> inst.url             # "/viewer/frames/1?key=..."
    >>> hosted.wsgi_app      # mount it at /viewer (DispatcherMiddleware, a2wsgi, ...)
"""
from __future__ import annotations

import threading

from ..server.state import GENERATE, normalize_root
from ..app import create_app
from ..frames.memory import serve_large_blocks_by_mmap
from ..server.instance import Instance
from ..server.registry import Registry


class Hosted:
    """A registry and the viewer app serving it under ``url_prefix`` of a host's server.

    ``key``: a fresh random secret by default, a string to choose one (several processes
    behind one load balancer must agree on it), or None when the host authenticates requests
    itself. ``base_url``: what links start with (default: ``url_prefix``, relative to the
    page's origin); give a full ``http://host:port/viewer`` for links printed to a terminal.
    """

    def __init__(self, registry: Registry | None = None, *, url_prefix: str = "",
                 key=GENERATE, base_url: str | None = None):
        self.registry = registry if registry is not None else Registry()
        self.app_root = normalize_root(url_prefix)
        # No app_root for the app itself: its pages, like its chart app, build their links from
        # the mount point each request arrived through (SCRIPT_NAME, set by DispatcherMiddleware,
        # a2wsgi from the ASGI root_path, gunicorn's SCRIPT_NAME). That is "/viewer" when the
        # host mounts it there, and "/outer/viewer" when the host itself sits under "/outer"
        # (a mounted sub-application, uvicorn --root-path behind a proxy).
        self.app = create_app(self.registry, key=key)
        self.key = self.app.extensions["dtale_lite"].key
        serve_large_blocks_by_mmap()  # a long-lived host process, as show()'s (memory.py)
        self._charts = self.app.wsgi_app  # the charts dispatcher create_app put in front
        self.base_url = (base_url.rstrip("/") if base_url else self.app_root)
        self._lock = threading.Lock()

    @property
    def wsgi_app(self):
        """The WSGI callable to mount at ``url_prefix``."""
        return self.app

    def build_charts(self) -> None:
        """Build the chart app now (imports Dash; about a second) instead of on the first chart
        request. A server with several worker processes needs it in each (or once before
        gunicorn's ``--preload`` fork): a chart page's scripts carry no key, and a worker that
        has built no chart app refuses them."""
        self._charts.build(self.app_root)

    def show(self, data, name: str | None = None) -> Instance:
        """Register ``data`` (O(1), no copy); under an existing name it replaces that frame."""
        with self._lock:
            return Instance(self, self.registry.add(data, name))

    def get(self, id_or_name) -> Instance:
        return Instance(self, self.registry.get(id_or_name))

    def instances(self) -> list[Instance]:
        return [Instance(self, entry) for entry in self.registry.entries()]
