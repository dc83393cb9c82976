"""The registry of frames a server shows: ids, names, and the cache of their computed views.

Thread-safe: the server is threaded, so every read and write goes through one lock. The
registry holds a reference to the user's object and never copies it.
"""
from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field

from ..frames.admission import Admission
from ..frames.background import Background
from ..frames.cache import DEFAULT_BUDGET_BYTES, ResultCache
from ..frames.errors import BadRequest, Conflict, NotFound
from .grid_view import same_columns
from ..frames.source import FrameSource

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}")
NAME_RULE = ("a name is 1-64 characters: letters, digits, '_', '-' and '.', starting with a "
             "letter or '_' (so it can never be mistaken for an id)")


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"invalid frame name {name!r}: {NAME_RULE}")
    return name


def check_showable(data) -> None:
    """TypeError (saying what it got and what it takes) for what show() cannot show. Decided
    by type names: checking imports no engine."""
    from ..backends.backend_source import unshowable_message
    from ..backends.detect import engine_of

    from ..backends.backend_source import BackendSource

    # A FrameSource of one's own goes to Registry.add (tests, hosts), not to show().
    if not isinstance(data, BackendSource) and engine_of(data) is None:
        raise TypeError(unshowable_message(data))


def _is_source(data) -> bool:
    # A FrameSource of the caller's own (a test's non-pandas source) or a BackendSource built
    # by show_file(): used as they are.
    from ..backends.backend_source import BackendSource
    from ..backends.detect import engine_of

    return isinstance(data, BackendSource) or (engine_of(data) is None
                                               and isinstance(data, FrameSource))


def make_source(data):
    """The source for ``data``: a PandasSource for pandas, a BackendSource over its engine for
    Polars, Arrow, DuckDB and Dask data (backend_source.source_for), and anything that already
    is a source as it is."""
    if _is_source(data):
        return data
    from ..backends.backend_source import source_for

    return source_for(data)


def _close(source) -> None:
    close = getattr(source, "close", None)
    if close is not None:
        close()  # a BackendSource: its views and engine resources (connections, temp files)


def rebase(entry, data, source):
    """On ``update(data)``: the entry's steps re-applied to ``data`` (issue 15), shown through
    ``source``. Sets ``entry.dropped`` to the steps that no longer fit, as {"step", "reason"}
    dicts; returns the source to serve (over the stepped frame), or None for no steps."""
    import pandas as pd

    from ..backends.stepping import STEPPED, EngineHistory
    from ..frames.source import PandasSource
    history = entry.history
    if history is None or not history.steps:
        entry.history, entry.dropped = None, []
        return None
    engine = getattr(source, "engine", None)
    if isinstance(history, EngineHistory) and engine in STEPPED:
        new, dropped = history.rebase(source)
        entry.history = new
        entry.dropped = [{"step": s, "reason": reason} for s, reason in dropped]
        return new.source()
    if isinstance(history, EngineHistory) or not isinstance(data, (pd.DataFrame, pd.Series)):
        entry.history = None
        entry.dropped = [{"step": s, "reason": "the new frame is of another engine"}
                         for s in history.steps]
        return None
    new, dropped = history.rebase(data)
    entry.history = new
    entry.dropped = [{"step": s, "reason": reason} for s, reason in dropped]
    return PandasSource(new.frame, new.state.origin)


@dataclass
class Entry:
    id: int
    name: str | None
    data: object
    source: FrameSource
    version: int = 0
    # The view a grid page reported last (grid_view.GridView), for Instance.view(). Kept here,
    # not in the cache, which may evict it.
    grid_view: object = None
    # Its steps (frames/steps/history.StepHistory), made on the first step; see frame_steps.py.
    history: object = None
    dropped: list = field(default_factory=list)  # the steps the last update() dropped
    steps_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass(frozen=True)
class Snapshot:
    """A frame as it is at one moment: what a request works with from start to end.

    ``update()`` swaps an entry's source; a request that read the columns before the swap and
    the rows after it would mix two frames, so views take one snapshot and use only that.
    """

    id: int
    name: str | None
    source: FrameSource
    version: int
    grid_view: object = None  # the last reported grid_view.GridView, or None


class Registry:
    def __init__(self, cache_bytes: int = DEFAULT_BUDGET_BYTES, *, slots: int | None = None):
        """``slots``: how many heavy computations may run at once (default: the cores)."""
        self._lock = threading.RLock()
        self._entries: dict[int, Entry] = {}
        self._names: dict[str, int] = {}
        self._ids = itertools.count(1)
        self.admission = Admission(slots)
        self.cache = ResultCache(cache_bytes, gate=self.admission.slot,
                                 on_miss=self.admission.missed)
        # Full sort orders are built here in the background (threads start on first use).
        self.background = Background()

    def add(self, data, name: str | None = None) -> Entry:
        """Register ``data``; under an existing name it replaces that frame, keeping its id."""
        if name is not None:
            validate_name(name)
        source = make_source(data)
        with self._lock:
            if name is not None and name in self._names:
                return self._replace(self._entries[self._names[name]], data, source)
            entry = Entry(id=next(self._ids), name=name, data=data, source=source)
            self._entries[entry.id] = entry
            if name is not None:
                self._names[name] = entry.id
            return entry

    def update(self, id_or_name, data) -> Entry:
        """Show ``data`` under the same id; the frame's steps are re-applied to it, and those
        that no longer fit are listed in ``entry.dropped``."""
        source = make_source(data)
        entry = self.get(id_or_name)
        with entry.steps_lock:
            old_history = entry.history
            stepped = rebase(entry, data, source)
            with self._lock:
                entry = self._replace(self.get(id_or_name), data, source, stepped)
            if old_history is not entry.history:
                _close(old_history)  # an engine's steps hold its first source
            return entry

    def _replace(self, entry: Entry, data, source: FrameSource, stepped=None) -> Entry:
        if stepped is None and entry.history is not None and data is not entry.data:
            _close(entry.history)
            entry.history = None  # shown again under its name: a new frame, no steps
        if stepped is not None:
            if getattr(entry.history, "base", None) is not source:
                _close(source)  # pandas: the stepped frame replaces it
            source = stepped  # the steps re-applied to the new data (update())
        old_version = entry.version
        if entry.grid_view is not None and not same_columns(entry.source.columns(),
                                                            source.columns()):
            entry.grid_view = None  # it names columns the new frame lacks, or of other kinds
        old = entry.source
        entry.data, entry.source, entry.version = data, source, old_version + 1
        self._forget(entry.id)
        if old is not source:
            _close(old)
        return entry

    def get(self, id_or_name) -> Entry:
        """The entry for an id (int or digits) or a name; NotFound names what was asked for."""
        with self._lock:
            entry = None
            # isascii: "²" and other Unicode digits pass isdigit() but int() refuses them (a
            # 500 from /row-count/%C2%B2; found by the OpenAPI fuzzer).
            if isinstance(id_or_name, int) or (isinstance(id_or_name, str)
                                               and id_or_name.isascii() and id_or_name.isdigit()):
                entry = self._entries.get(int(id_or_name))
            elif isinstance(id_or_name, str):
                ident = self._names.get(id_or_name)
                entry = None if ident is None else self._entries.get(ident)
            if entry is None:
                raise NotFound(f"no frame with id or name '{str(id_or_name)[:100]}'")
            return entry

    def snapshot(self, id_or_name) -> Snapshot:
        with self._lock:
            entry = self.get(id_or_name)
            return Snapshot(entry.id, entry.name, entry.source, entry.version, entry.grid_view)

    def report_view(self, snapshot: Snapshot, view) -> bool:
        """Keep ``view`` (checked against ``snapshot``'s columns) as the frame's grid view;
        the last report wins, except an older report of the page that sent the kept one.

        Returns whether it was kept. Raises NotFound if the frame is gone, Conflict if it was
        updated with other columns since ``snapshot``.
        """
        with self._lock:
            entry = self.get(snapshot.id)
            if entry.version != snapshot.version and not same_columns(
                    snapshot.source.columns(), entry.source.columns()):
                raise Conflict("the frame was updated with other columns while the view was "
                               "reported; reload the page")
            kept = entry.grid_view
            if kept is not None and view.page is not None and kept.page == view.page \
                    and view.seq <= kept.seq:
                return False  # reports of one page can cross on a threaded server
            entry.grid_view = view
            return True

    def snapshots(self) -> list[Snapshot]:
        with self._lock:
            return [Snapshot(e.id, e.name, e.source, e.version) for e in self._entries.values()]

    def remove(self, id_or_name) -> Entry:
        with self._lock:
            entry = self.get(id_or_name)
            del self._entries[entry.id]
            if entry.name is not None:
                self._names.pop(entry.name, None)
        self._forget(entry.id)
        _close(entry.source)
        _close(entry.history)  # an engine's steps hold its first source
        return entry

    def rename(self, id_or_name, name: str) -> Entry:
        """Give a frame a new name; its id, URLs and cached views stay. Returns the entry.

        Raises NotFound for an unknown frame, BadRequest for a name against NAME_RULE and
        Conflict when another frame has that name (renaming a frame to its own name is a
        no-op)."""
        try:
            validate_name(name)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        with self._lock:
            entry = self.get(id_or_name)
            holder = self._names.get(name)
            if holder is not None and holder != entry.id:
                raise Conflict(f"the name '{name}' is already used by frame {holder}; "
                               f"remove or rename that frame first")
            if entry.name is not None:
                self._names.pop(entry.name, None)
            entry.name = name
            self._names[name] = entry.id
            return entry

    def _forget(self, ident: int) -> None:
        """Drop a frame's cached results and stop building orders nobody will read."""
        self.background.cancel(lambda key: key[0] == ident)
        self.cache.drop(lambda key: key[0] == ident)

    def is_current(self, ident: int, version: int) -> bool:
        """Whether frame ``ident`` is still shown at ``version`` (not updated or removed)."""
        with self._lock:
            entry = self._entries.get(ident)
            return entry is not None and entry.version == version

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries.values())

    def clear(self) -> None:
        with self._lock:
            sources = [e.source for e in self._entries.values()]
            sources += [e.history for e in self._entries.values()]
            self._entries.clear()
            self._names.clear()
        for source in sources:
            _close(source)
        self.background.close()
        self.cache.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
