"""A frame that is not pandas, as the registry holds it: a Backend (see backends/base.py) and a
few of its views.

pandas frames keep their ``PandasSource`` and the Planner (numpy positions in the shared
ResultCache, partial sorts, background orders), so their figures stay as they are. Every other
engine pages through its own ``DataView``s: a view holds engine state (Polars row positions, a
DuckDB order table, a Dask frame persisted on the cluster), so the views of one source are
kept in a small LRU here and closed when they fall out of it, and all of them when the source
is replaced or removed (``close``). A request that still holds a closed source gets a Conflict
("reload"), not an engine's traceback.

Nothing here imports Flask or Dash.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from .base import Count
from ..frames.columns import Column
from ..frames.errors import Conflict

MAX_VIEWS = 8  # per frame: a grid page or two, a chart's filter, an export


class BackendSource:
    """The registry's handle on a non-pandas Backend: columns, the whole frame's count, and a
    bounded set of views keyed by (filter key, sort).

    ``make``: build the backend on first use instead (``show()`` stays O(1) and imports no
    engine module: the first request pays for it)."""

    def __init__(self, backend=None, data=None, max_views: int = MAX_VIEWS, *, make=None):
        if (backend is None) == (make is None):
            raise TypeError("BackendSource takes a backend or a make() that builds one")
        self._built = [backend] if backend is not None else []
        self._make = make
        self.data = data if data is not None else backend
        self.max_views = max_views
        self._lock = threading.Lock()
        self._views: OrderedDict[Hashable, object] = OrderedDict()
        self._closed = False
        # Engines hold native resources (DuckDB's connection, its temporary files): released
        # when the source is dropped, or at exit for a frame still shown then.
        self._finalizer = weakref.finalize(self, _close_built, self._built)

    @property
    def backend(self):
        if not self._built:
            with self._lock:
                self._check_open()
                if not self._built:
                    self._built.append(self._make())
        return self._built[0]

    @property
    def capabilities(self):
        return self.backend.capabilities

    @property
    def engine(self) -> str:
        return self.capabilities.name

    def columns(self) -> list[Column]:
        return self.backend.columns()

    def count(self) -> Count:
        """The whole frame's row count (metadata on Parquet; cached per view elsewhere)."""
        return self.view(None, None, ()).count()

    def row_count(self) -> int:
        return self.count().rows

    def view(self, filter_node, filter_key: str | None, sort: Sequence = ()):
        """The view of (filter, sort), made once and kept while it is among the last used.

        Making a view only compiles its filter (a FilterError is the caller's 400); the work
        happens when it is first asked for rows, a count or a figure."""
        key = (filter_key, tuple(sort))
        with self._lock:
            self._check_open()
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        view = self.backend.view(filter_node, tuple(sort))
        evicted = []
        with self._lock:
            if self._closed:
                evicted.append(view)
            else:
                kept = self._views.setdefault(key, view)
                if kept is not view:  # another request made it meanwhile: use theirs
                    evicted.append(view)
                    view = kept
                self._views.move_to_end(key)
                while len(self._views) > self.max_views:
                    evicted.append(self._views.popitem(last=False)[1])
        for old in evicted:
            _close(old)
        self._check_open()
        return view

    def is_cached(self, filter_key: str | None, sort: Sequence = ()) -> bool:
        with self._lock:
            return (filter_key, tuple(sort)) in self._views

    def _check_open(self) -> None:
        if self._closed:
            raise Conflict("this frame was updated or removed while the request ran; reload "
                           "the page")

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            views, self._views = list(self._views.values()), OrderedDict()
        for view in views:
            _close(view)
        self._finalizer()  # closes the backend (if it was built), once


def _close_built(built: list) -> None:
    for backend in built:
        backend.close()


def _close(view) -> None:
    close = getattr(view, "close", None)
    if close is not None:
        close()


def source_for(data):
    """The registry's source for ``data``: a PandasSource for pandas, else a BackendSource
    over the engine that ``data`` comes from (see backends/detect.py); TypeError otherwise."""
    from .detect import backend_for, engine_of
    from ..frames.source import PandasSource

    engine = engine_of(data)
    if engine is None:
        raise TypeError(unshowable_message(data))
    if engine == "pandas":
        return PandasSource(data)
    return BackendSource(data=data, make=lambda: backend_for(data))


def unshowable_message(data) -> str:
    return (f"dtale_lite shows a pandas DataFrame or Series, a Polars DataFrame or LazyFrame, "
            f"an Arrow Table, a DuckDB relation or a Dask DataFrame; got "
            f"{type(data).__module__}.{type(data).__qualname__} (for files, use "
            f"dtale_lite.show_file(path))")
