"""dtale_lite: look into a DataFrame from anywhere (pandas, Polars, Arrow, DuckDB, Dask).

    >>> import dtale_lite
    >>> inst = dtale_lite.show(df, name="sales")   # returns at once, whatever the size
    >>> inst.url                                   # open it in a browser

Importing this package starts nothing and imports neither Dash nor Plotly. The code lives in
one folder per layer, each importing only the layers below it: ``frames`` (pure data logic),
``backends`` (engines), ``server`` (Flask routes, registry, threaded server), ``charts``, ``app``
(the app factory and the viewer behind ``show()``), ``hosts`` (Streamlit, Flask hosts, WSGI,
ASGI), and on top ``cli`` and ``bench``.
"""
from __future__ import annotations

from .app import create_app
from .frames.errors import BadRequest, DtaleLiteError, FilterError, NotFound
from .server.instance import Instance
from .server.registry import Registry

__version__ = "0.1.0"
__all__ = ["show", "show_file", "get", "instances", "shutdown", "create_app", "init_app", "Hosted",
           "Instance", "Registry", "DtaleLiteError", "BadRequest", "NotFound", "FilterError"]
# Host integrations, imported on first use: ``dtale_lite.init_app(flask_app)`` (flask_host.py).
_LAZY = {"init_app": ("hosts.flask_host", "init_app"), "Hosted": ("hosts.hosted", "Hosted")}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def _viewer():
    from .app.viewer import default_viewer

    return default_viewer()


def show(data, name: str | None = None, *, host: str = "127.0.0.1", port: int | None = None,
         reaper_timeout: float | None = 3600, open_browser: bool = False,
         app_root: str | None = None, height: int | None = None,
         max_upload_bytes: int | None = None, allow_url_loads: bool = False) -> Instance:
    """Show a DataFrame in the browser; returns an ``Instance`` (see its ``url``).

    ``data``: a pandas DataFrame or Series, a Polars DataFrame or LazyFrame, an Arrow Table,
    a DuckDB relation or a Dask DataFrame; each is viewed through its own engine, never
    converted (for files, see ``show_file``).

    O(1): the frame is neither copied nor scanned. The first call starts one threaded server
    in a daemon thread (port 0 unless ``port`` is given); later calls reuse it, and ``host``,
    ``port``, ``reaper_timeout`` and ``app_root`` only apply when a server starts. A ``name``
    makes the frame reachable by name; showing under an existing name replaces that frame and
    keeps its id. Raises TypeError for anything else and ValueError for an invalid name.

    ``app_root``: the path prefix the browser reaches the server under, for proxies
    (``"/proxy/{port}"``; ``{port}`` becomes the port). When not given it comes from the
    environment variable ``DTALE_LITE_APP_ROOT``, or under JupyterHub from
    ``JUPYTERHUB_SERVICE_PREFIX`` (``<prefix>proxy/{port}``); ``""`` turns both off.
    ``height``: the notebook display's height in pixels (default 475).
    ``max_upload_bytes`` (default 100 MB) and ``allow_url_loads`` (default off) set what the
    grid's Load data dialog may do, when a server starts (see ``create_app``).
    """
    return _viewer().show(data, name, host=host, port=port, reaper_timeout=reaper_timeout,
                          open_browser=open_browser, app_root=app_root, height=height,
                          max_upload_bytes=max_upload_bytes, allow_url_loads=allow_url_loads)


def show_file(path, name: str | None = None, *, memory_limit: str | None = None,
              temp_directory: str | None = None, threads: int | None = None,
              **show_options) -> Instance:
    """Show a Parquet file (or a directory or glob of them) or a CSV file without loading it
    into Python: DuckDB pages, sorts, filters and aggregates it in place.

    ``memory_limit`` (DuckDB's, e.g. "1GB") and ``threads`` bound what the viewer uses; when
    not given they are chosen from the files and the machine (a quarter of the files' bytes,
    between 128 MiB and 1 GiB and at most a quarter of the memory available; a thread per
    core, fewer for a small limit or a file of few row groups). ``temp_directory``: where
    sorts spill (default a new temporary directory, removed with the frame).
    ``show_options`` are show()'s (host, port, reaper_timeout, open_browser, app_root,
    height). Needs ``pip install 'dtale_lite[duckdb]'``.
    """
    from .backends.files import file_source
    from .server.registry import validate_name

    if name is not None:
        validate_name(name)  # before DuckDB opens anything
    source = file_source(path, memory_limit=memory_limit, temp_directory=temp_directory,
                         threads=threads)
    return _viewer().show(source, name, **show_options)


def get(id_or_name) -> Instance:
    """The Instance shown under this id or name; raises NotFound (a LookupError)."""
    return _viewer().get(id_or_name)


def instances() -> list[Instance]:
    """Every frame currently shown."""
    return _viewer().instances()


def shutdown() -> None:
    """Stop the server and free every frame; a later show() starts a fresh server."""
    _viewer().shutdown()
