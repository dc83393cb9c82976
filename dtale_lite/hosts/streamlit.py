"""dtale_lite inside Streamlit: ``viewer(df)`` shows the grid in a Streamlit page (issue 7).

The grid, its JSON API and its chart pages come from Streamlit's own port: the viewer's Flask
app is mounted in Streamlit's Starlette server at ``/dtale_lite`` through Streamlit's official
route mounting, in one of two ways.

- An entry script with ``st.App`` (``streamlit run app.py`` finds ``app``)::

      import streamlit as st
      import dtale_lite.streamlit

      app = st.App("page.py", routes=dtale_lite.streamlit.routes())

- A plain page script, started with the wrapper command instead of ``streamlit run``::

      dtale-lite-streamlit run page.py [streamlit options]

In the page::

    from dtale_lite.streamlit import viewer
    inst = viewer(df, name="sales", height=600)   # an iframe with the grid
    st.link_button("Chart", inst.chart_url(type="bar", x="region", y="amount"))

A rerun shows the same frame again in place (same id and URL); the frames a session showed are
freed when it ends. Without the mount (a plain ``streamlit run page.py``) the grid comes from
show()'s own server on another port, which only a browser on the same machine can reach; the
page says so once.

Needs the ``streamlit`` extra: ``pip install 'dtale_lite[streamlit]'``.
"""
from __future__ import annotations

import logging
import sys
import threading

try:
    import streamlit as st
    from a2wsgi import WSGIMiddleware
    from starlette.routing import Mount
    from streamlit.runtime.scriptrunner import get_script_run_ctx
except ImportError as error:  # the extra is not installed
    raise ImportError(
        f"dtale_lite.streamlit needs Streamlit and a2wsgi ({error}); install them with: "
        f"pip install 'dtale_lite[streamlit]'") from error

from ..server.state import normalize_root
from .hosted import Hosted
from ..server.instance import Instance
from ..server.registry import check_showable, validate_name
from .session_frames import SessionBook, SessionFrames

log = logging.getLogger("dtale_lite")

__all__ = ["viewer", "routes", "URL_PREFIX"]

URL_PREFIX = "/dtale_lite"
DEFAULT_HEIGHT = 600
# Streamlit keeps these for itself (st.App refuses routes under them).
RESERVED_PREFIXES = ("/_stcore", "/media", "/component", "/static")


class StreamlitViewer:
    """The process's viewer for Streamlit: the ``Hosted`` app Streamlit's server mounts (once
    ``routes()`` was called), and the book of which session shows which frame.

    Streamlit runs every session's script in a thread of the one server process, so the mount
    and the scripts share this object.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.hosted: Hosted | None = None
        self.book = SessionBook(self._backend)
        # A session-scoped resource is Streamlit's documented hook for a session's end: the
        # cache is cleared when the session disconnects, and on_release gets the value.
        self._session_frames = st.cache_resource(
            scope="session", show_spinner=False, on_release=self.book.release,
        )(self._new_session_frames)
        self._fallback_logged = False

    def routes(self, url_prefix: str | None = None) -> list[Mount]:
        """The Starlette routes that serve the viewer under ``url_prefix`` (default: see
        ``default_prefix()``)."""
        root = normalize_root(default_prefix() if url_prefix is None else url_prefix)
        reserved = any(root == p or root.startswith(p + "/") for p in RESERVED_PREFIXES)
        if root in ("", "/") or reserved:
            raise ValueError(f"url_prefix must be a path like '/dtale_lite', outside "
                             f"Streamlit's own {', '.join(RESERVED_PREFIXES)}; got {url_prefix!r}")
        with self._lock:
            if self.hosted is None:
                self.hosted = Hosted(url_prefix=root)
            elif self.hosted.app_root != root:
                raise ValueError(f"the viewer is already mounted at {self.hosted.app_root!r}; "
                                 f"one process serves it under one prefix")
            hosted = self.hosted
        return [Mount(root, app=WSGIMiddleware(hosted.wsgi_app))]

    def _backend(self):
        """What serves the frames: the mounted app, or else show()'s own server."""
        if self.hosted is not None:
            return self.hosted
        from ..app.viewer import default_viewer

        return default_viewer()

    @staticmethod
    def _new_session_frames() -> SessionFrames:
        return SessionFrames(get_script_run_ctx().session_id)

    def viewer(self, data, name: str | None, *, height: int, key, call_site: tuple) -> Instance:
        ctx = get_script_run_ctx()
        if ctx is None:
            raise RuntimeError("dtale_lite.streamlit.viewer() draws into a Streamlit page: run "
                               "the script with `streamlit run` or `dtale-lite-streamlit run`")
        check_showable(data)
        if name is not None:
            validate_name(name)
        height = check_iframe_height(height)
        frames = self._session_frames()
        if name is not None:
            identity = ("name", name)
        elif key is not None:
            identity = ("key", str(key))
        else:
            identity = ("line", *call_site)
        instance = self.book.show(frames, frames.slot(identity, run_token(ctx)), data, name)
        if self.hosted is None:
            self._notice_fallback(frames, instance)
        st.iframe(iframe_src(instance, mounted=self.hosted is not None), height=height)
        return instance

    def _notice_fallback(self, frames: SessionFrames, instance: Instance) -> None:
        """Say once per session (and once in the log) where the grid comes from, and why."""
        where = (f"the grid comes from a separate server at {instance.base_url}, which only a "
                 f"browser on this machine can reach")
        advice = ("start the page with `dtale-lite-streamlit run page.py`, or mount "
                  "dtale_lite.streamlit.routes() in st.App")
        if not self._fallback_logged:
            self._fallback_logged = True
            log.warning("dtale_lite: Streamlit does not serve the viewer here, so %s; %s",
                        where, advice)
        if not frames.noticed_fallback:
            frames.noticed_fallback = True
            st.info(f"This Streamlit server does not serve dtale_lite's viewer, so {where}. "
                    f"To serve it from Streamlit's own port, {advice}.", icon=":material/info:")


def default_prefix() -> str:
    """/dtale_lite below Streamlit's ``server.baseUrlPath``: Streamlit does not apply that
    path to added routes, and a proxy that forwards only the base path must reach the viewer."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{URL_PREFIX}" if base else URL_PREFIX


def check_iframe_height(height) -> int:
    """The iframe's height in pixels, an int from 100 to 10000 (ValueError otherwise)."""
    if isinstance(height, bool) or not isinstance(height, int) or not 100 <= height <= 10_000:
        raise ValueError(f"height is the grid's height in pixels, an integer from 100 to "
                         f"10000; got {height!r}")
    return height


def iframe_src(instance: Instance, *, mounted: bool) -> str:
    """The grid page's address for the iframe: relative to Streamlit's origin when mounted.

    It ends with the frame's version: a rerun that shows the same object leaves the address
    (and the loaded grid, scrolled and sorted) as it was; new data changes it, and the
    browser reloads the grid.
    """
    page = instance.frame_path if mounted else instance.url
    return f"{page}{'&' if '?' in page else '?'}rev={instance.version}"


def run_token(ctx) -> object:
    """An object that is the same for every call in one script run and new in the next.

    Streamlit has no public id for a run; ScriptRunContext.reset() builds a new
    ParallelFragmentCoordinator at the start of every run (Streamlit 1.67), and a new
    ``cursors`` dict in every version (a fragment rerun also replaces the dict mid-run).
    """
    return getattr(ctx, "parallel_coordinator", None) or ctx.cursors


_holder_lock = threading.Lock()
_holder: list[StreamlitViewer] = []  # the one StreamlitViewer, created on first use


def _streamlit_viewer() -> StreamlitViewer:
    with _holder_lock:
        if not _holder:
            _holder.append(StreamlitViewer())
        return _holder[0]


def routes(url_prefix: str | None = None) -> list[Mount]:
    """The routes to pass to ``st.App(..., routes=...)``: the viewer mounted at
    ``url_prefix`` of Streamlit's own server; by default ``/dtale_lite``, below
    ``server.baseUrlPath`` when that is set (``/<base>/dtale_lite``). Raises ValueError for a
    prefix under Streamlit's reserved paths, or another prefix than an earlier call's."""
    return _streamlit_viewer().routes(url_prefix)


def viewer(data, name: str | None = None, height: int = DEFAULT_HEIGHT, *,
           key: str | None = None) -> Instance:
    """Show ``data`` (what ``dtale_lite.show`` takes: pandas, Polars, Arrow, DuckDB or Dask
    data, or ``dtale_lite.backends.files.file_source(path)``) in an iframe of the page; returns its
    ``Instance`` (``chart_url()`` and ``correlations_url()`` give links to its charts).

    Each call is one viewer of the page: on a rerun the same call (the same ``name``, or
    ``key``, or else the same line of the script, counted in a loop) shows its frame again in
    place, keeping its id and URL, and updates it when ``data`` is another object. A ``name``
    makes the frame reachable as ``/frames/<name>``; it is one frame for every session that
    shows it. Frames are freed when the sessions that showed them end.

    ``height``: the iframe's height in pixels. Raises TypeError for data show() cannot show,
    ValueError for an invalid name or height, RuntimeError outside a Streamlit script run.
    """
    caller = sys._getframe(1)
    return _streamlit_viewer().viewer(data, name, height=height, key=key,
                                      call_site=(caller.f_code.co_filename, caller.f_lineno))
