"""The process-wide viewer behind ``show()``: one registry and at most one running server.

This is the one place that holds process-wide state (STYLE.md): the module-level functions of
``dtale_lite`` delegate to a single ``Viewer`` created on first use (``default_viewer()``).
"""
from __future__ import annotations

import os
import threading
import warnings
import webbrowser

from .factory import create_app
from ..server.state import normalize_root
from ..frames.cache import DEFAULT_BUDGET_BYTES
from ..server.environment import app_root_from
from ..frames.errors import NotFound
from ..server.instance import Instance, check_height
from ..server.registry import Registry, check_showable
from ..server.thread import ServerThread

LOCAL_HOSTS = {"", "0.0.0.0", "::", "localhost"}


class Viewer:
    def __init__(self, cache_bytes: int = DEFAULT_BUDGET_BYTES):
        self.cache_bytes = cache_bytes
        self._lock = threading.RLock()
        self.registry: Registry | None = None
        self.server: ServerThread | None = None
        self.key: str | None = None
        self.base_url: str | None = None
        self.app_root = ""

    def _ensure_server(self, host: str, port: int | None, reaper_timeout, app_root,
                       uploads: dict | None = None) -> None:
        if self.server is not None and self.server.running:
            if (port not in (None, self.server.port) or host != self.server.host):
                warnings.warn(f"dtale_lite: a server is already running at {self.base_url}; "
                              f"host/port apply only when a server starts (shutdown() first "
                              f"to move it)", stacklevel=4)
            return
        registry = Registry(self.cache_bytes)
        root = normalize_root(app_root_from(app_root, os.environ))
        # Both callbacks name `server`, bound just below: Python looks it up when they run.
        app = create_app(registry, app_root=root, on_shutdown=lambda: server.stop_soon(),
                         **(uploads or {}))
        server = ServerThread(app, host, port, app_root=root, reaper_timeout=reaper_timeout,
                              on_stop=lambda: self._forget(server))
        self.registry, self.server = registry, server
        app.extensions["dtale_lite"].app_root = root = server.app_root
        self.app_root = root
        self.key = app.extensions["dtale_lite"].key
        url_host = "127.0.0.1" if host in LOCAL_HOSTS else host
        if ":" in url_host:
            url_host = f"[{url_host}]"
        self.base_url = f"http://{url_host}:{server.port}{root}"
        server.start()

    def _forget(self, server: ServerThread) -> None:
        """Called when a server stops (reaper, POST /shutdown, shutdown()): free its frames."""
        with self._lock:
            if self.server is server:
                self.registry.clear()
                self.server = None

    def show(self, data, name=None, *, host="127.0.0.1", port=None, reaper_timeout=3600,
             open_browser=False, app_root=None, height=None, max_upload_bytes=None,
             allow_url_loads=False) -> Instance:
        check_showable(data)  # TypeError before a server starts
        check_height(height)  # and ValueError before the frame is registered
        uploads = {"allow_url_loads": allow_url_loads}
        if max_upload_bytes is not None:
            uploads["max_upload_bytes"] = max_upload_bytes
        with self._lock:
            self._ensure_server(host, port, reaper_timeout, app_root, uploads)
            entry = self.registry.add(data, name)
            instance = Instance(self, entry, height=height)
        if open_browser:
            webbrowser.open(instance.url)
        return instance

    def get(self, id_or_name) -> Instance:
        with self._lock:
            if self.registry is None or self.server is None:
                raise NotFound(f"no frame with id or name '{id_or_name}' (no server running)")
            return Instance(self, self.registry.get(id_or_name))

    def instances(self) -> list[Instance]:
        with self._lock:
            if self.registry is None or self.server is None:
                return []
            return [Instance(self, e) for e in self.registry.entries()]

    def shutdown(self) -> None:
        with self._lock:
            server = self.server
        if server is not None:
            server.stop()


# The one process-wide default (STYLE.md): the viewer that dtale_lite.show() and the command
# line use, created on first use. Everything else holds its own Viewer or Hosted.
_default_lock = threading.Lock()
_default: list[Viewer] = []


def default_viewer() -> Viewer:
    """The process-wide Viewer behind ``dtale_lite.show()``, created on first call."""
    with _default_lock:
        if not _default:
            _default.append(Viewer())
        return _default[0]
