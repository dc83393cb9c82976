"""dtale_lite: look into a pandas DataFrame from anywhere.

    >>> import dtale_lite
    >>> inst = dtale_lite.show(df, name="sales")   # returns at once, whatever the size
    >>> inst.url                                   # open it in a browser

Importing this package starts nothing and imports neither Dash nor Plotly.
"""
from __future__ import annotations

import threading

from .app import create_app
from .errors import BadRequest, DtaleLiteError, FilterError, NotFound
from .instance import Instance
from .registry import Registry

__version__ = "0.1.0"
__all__ = ["show", "get", "instances", "shutdown", "create_app", "Instance", "Registry",
           "DtaleLiteError", "BadRequest", "NotFound", "FilterError"]

_default_lock = threading.Lock()
_default = []  # the process-wide Viewer, created on first use (see viewer.py)


def _viewer():
    with _default_lock:
        if not _default:
            from .viewer import Viewer

            _default.append(Viewer())
        return _default[0]


def show(data, name: str | None = None, *, host: str = "127.0.0.1", port: int | None = None,
         reaper_timeout: float | None = 3600, open_browser: bool = False,
         app_root: str | None = None, height: int | None = None) -> Instance:
    """Show a DataFrame or Series in the browser; returns an ``Instance`` (see its ``url``).

    O(1): the frame is neither copied nor scanned. The first call starts one threaded server
    in a daemon thread (port 0 unless ``port`` is given); later calls reuse it, and ``host``,
    ``port``, ``reaper_timeout`` and ``app_root`` only apply when a server starts. A ``name``
    makes the frame reachable by name; showing under an existing name replaces that frame and
    keeps its id. Raises TypeError for anything but a DataFrame/Series and ValueError for an
    invalid name.

    ``app_root``: the path prefix the browser reaches the server under, for proxies
    (``"/proxy/{port}"``; ``{port}`` becomes the port). When not given it comes from the
    environment variable ``DTALE_LITE_APP_ROOT``, or under JupyterHub from
    ``JUPYTERHUB_SERVICE_PREFIX`` (``<prefix>proxy/{port}``); ``""`` turns both off.
    ``height``: the notebook display's height in pixels (default 475).
    """
    return _viewer().show(data, name, host=host, port=port, reaper_timeout=reaper_timeout,
                          open_browser=open_browser, app_root=app_root, height=height)


def get(id_or_name) -> Instance:
    """The Instance shown under this id or name; raises NotFound (a LookupError)."""
    return _viewer().get(id_or_name)


def instances() -> list[Instance]:
    """Every frame currently shown."""
    return _viewer().instances()


def shutdown() -> None:
    """Stop the server and free every frame; a later show() starts a fresh server."""
    _viewer().shutdown()
