"""One threaded Werkzeug server in a daemon thread of the user's process, and its reaper.

A daemon thread never keeps the interpreter (or a Jupyter kernel) alive, and while the main
thread is paused at a breakpoint the server thread keeps answering. Binding port 0 lets the OS
pick a free port atomically: there is no check-then-bind race.

The reaper is one watcher thread per server that wakes periodically and stops the server after
``timeout`` seconds without a request; requests only stamp a time, they start no timers. The
same thread hands memory freed by the requests back to the system once they stop for a
second (``on_idle``): the server shares the user's process, which should shrink back when
nobody is looking at a frame.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wsgi import ClosingIterator

from ..frames.memory import release_free_memory, serve_large_blocks_by_mmap

log = logging.getLogger("dtale_lite")


class QuietRequestHandler(WSGIRequestHandler):
    """No access log: request lines carry the key (and Jupyter's token) in their query string."""

    def log_request(self, code="-", size="-") -> None:
        pass

    def log(self, type: str, message: str, *args) -> None:
        # Werkzeug's error lines quote the request line; keep only the path, never the query.
        text = (message % args) if args else message
        log.log(logging.ERROR if type == "error" else logging.INFO, "dtale_lite server: %s",
                text.split("?", 1)[0])


class ActivityMiddleware:
    """WSGI wrapper that stamps the time every request starts and ends (for the reaper)."""

    def __init__(self, app):
        self.app = app
        self.last_request = time.monotonic()

    def __call__(self, environ, start_response):
        self.stamp()
        # Stamped again when the answer is sent: an export streams for seconds after it began.
        return ClosingIterator(self.app(environ, start_response), [self.stamp])

    def stamp(self) -> None:
        self.last_request = time.monotonic()


class PrefixMiddleware:
    """Serve the app both at / and under ``prefix`` (the app root given to show()).

    Behind jupyter-server-proxy the prefix is stripped before the request reaches us (and sent
    as X-Forwarded-Prefix, which ProxyFix applies); reached directly, the same URL still works.
    """

    def __init__(self, app, prefix: str):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.app(environ, start_response)


class ServerThread:
    """A running server: ``start()`` binds and serves; ``stop()`` is idempotent."""

    def __init__(self, app, host: str = "127.0.0.1", port: int | None = None, *,
                 app_root: str = "", reaper_timeout: float | None = 3600,
                 on_stop: Callable[[], None] | None = None,
                 on_idle: Callable[[], None] = release_free_memory, idle_after: float = 1.0):
        self.app = app
        self.reaper_timeout = reaper_timeout
        self.on_stop = on_stop
        self.on_idle, self.idle_after = on_idle, idle_after
        self._server = make_server(host, port or 0, app, threaded=True,
                                   request_handler=QuietRequestHandler)
        self.host = host
        self.port = self._server.server_port
        # "{port}" in the app root is the port just bound: behind Jupyter's server proxy the
        # root is "/proxy/<port>", which nobody can know before the server has a port.
        self.app_root = app_root.replace("{port}", str(self.port))
        self.activity = ActivityMiddleware(
            PrefixMiddleware(ProxyFix(app.wsgi_app, x_prefix=1), self.app_root))
        app.wsgi_app = self.activity
        self._stopped = threading.Event()
        self._stop_lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name=f"dtale_lite-server-{self.port}", daemon=True)
        self._reaper = None

    def start(self) -> "ServerThread":
        # The server shares the user's process: keep freed column-sized temporaries from
        # piling up in malloc's per-thread arenas (see frames/memory.py; issue 14).
        serve_large_blocks_by_mmap()
        self._thread.start()
        self._reaper = threading.Thread(target=self._watch, daemon=True,
                                        name=f"dtale_lite-reaper-{self.port}")
        self._reaper.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stopped.is_set()

    def _watch(self) -> None:
        # Check often enough that a short timeout (tests use ~1 s) is honoured within ~25%,
        # and that memory goes back within about a second of the last request.
        interval = self.idle_after / 2
        if self.reaper_timeout is not None:
            interval = max(0.05, min(self.reaper_timeout / 4, interval))
        handled = self.activity.last_request  # the last request whose memory was handed back
        while not self._stopped.wait(interval):
            last = self.activity.last_request
            idle = time.monotonic() - last
            if last != handled and idle >= self.idle_after:
                handled = last
                self.on_idle()
            if self.reaper_timeout is not None and idle >= self.reaper_timeout:
                log.info("dtale_lite: no request for %.0f s, stopping the server on port %s",
                         idle, self.port)
                self.stop()
                return

    def stop(self) -> None:
        with self._stop_lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
        if self.on_stop is not None:
            self.on_stop()

    def stop_soon(self) -> None:
        """Stop from inside a request: in another thread, so the request can finish."""
        threading.Thread(target=self.stop, daemon=True, name="dtale_lite-stop").start()
