"""A shown frame's steps and summaries on the server side (issue 15): the registry entry keeps
a ``StepHistory`` (pandas) or an ``EngineHistory`` (Polars, Arrow, DuckDB: see
backends/stepping.py); after every change its ``source`` is a new source over the stepped
frame (a PandasSource, or a BackendSource of the frame's engine) and its ``version`` goes up,
so every route (pages, schema, sort, filter, describe, charts, export, ``Instance.view()``)
serves the stepped frame and every cache keyed by (id, version) lets the old results go.

Steps run under the entry's own lock (one change at a time per frame, others unaffected); the
swap of the source happens under the registry's lock, as ``update()`` does.
"""
from __future__ import annotations

import pandas as pd

from ..backends.stepping import STEPPED, EngineHistory
from ..frames.errors import BadRequest, Conflict
from ..frames.source import PandasSource
from ..frames.steps.code import summary_script
from ..frames.steps.history import StepHistory
from ..frames.steps.model import not_on_engine
from ..frames.steps.summaries import summarize
from .grid_view import same_columns


def engine_of_entry(entry) -> str:
    return getattr(entry.source, "engine", None) or "pandas"


def history_of(entry, what: str):
    """The entry's history (made on first use): a StepHistory for pandas, an EngineHistory
    for Polars and DuckDB; BadRequest naming the engine and the op for any other frame."""
    if entry.history is None:
        if isinstance(entry.data, (pd.DataFrame, pd.Series)) and isinstance(entry.source,
                                                                            PandasSource):
            entry.history = StepHistory(entry.data)
        elif engine_of_entry(entry) in STEPPED:
            entry.history = EngineHistory(entry.source)
        else:
            raise not_on_engine(engine_of_entry(entry), what)
    return entry.history


def check_version(entry, expected) -> None:
    if expected is None:
        return
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise BadRequest("parameter 'version' must be the frame's version (a whole number)")
    if expected != entry.version:
        raise Conflict(f"the frame changed (version {entry.version}, not {expected}): another "
                       f"page applied a step or the frame was updated; reload its steps")


def publish(registry, entry, history) -> None:
    """Serve ``history``'s frame from now on: a new source, a new version, old results gone."""
    engine = isinstance(history, EngineHistory)
    source = history.source() if engine else PandasSource(history.frame, history.state.origin)
    old = entry.source
    with registry._lock:
        if registry._entries.get(entry.id) is not entry:
            raise Conflict("the frame was removed meanwhile")
        if entry.grid_view is not None and not same_columns(entry.source.columns(),
                                                            source.columns()):
            entry.grid_view = None  # it may name columns the step removed
        entry.source, entry.version = source, entry.version + 1
        registry._forget(entry.id)
    if engine:
        history.retire(old)  # a request still reading it gets a Conflict ("reload")


def change(registry, id_or_name, action: str, body=None) -> dict:
    """Apply a step (``action`` "apply", with the JSON ``body``), or undo or redo one.

    Returns ``{steps, version, code}``. BadRequest when the step does not fit (nothing is
    applied), Conflict for a stale ``version`` or nothing to undo or redo."""
    entry = registry.get(id_or_name)
    what = body.get("op") if action == "apply" and isinstance(body, dict) else action
    with entry.steps_lock:
        check_version(entry, body.get("version") if isinstance(body, dict) else None)
        history = history_of(entry, str(what)[:40])
        # An engine's new source runs the engine (DuckDB writes a step that drops rows into a
        # table): if that fails, the history goes back to what the frame still serves.
        saved = history.checkpoint() if isinstance(history, EngineHistory) else None
        if action == "apply":
            history.apply(body)
        elif action == "undo":
            history.undo()
        else:
            history.redo()
        try:
            publish(registry, entry, history)
        except Exception:
            if saved is not None:
                history.restore(saved)
            raise
    return listing(entry)


def listing(entry) -> dict:
    history = entry.history
    if history is None or not history.steps:
        return {"steps": [], "version": entry.version, "code": ""}
    return {"steps": history.listed(), "version": entry.version, "code": history.code()}


def stepped_frame(registry, id_or_name, what: str):
    """(the entry, its history: made on first use)."""
    entry = registry.get(id_or_name)
    with entry.steps_lock:
        history = history_of(entry, what)
        return entry, history


def derived_name(registry, entry, kind: str, name) -> str | None:
    from .registry import validate_name

    if name is not None:
        try:
            validate_name(name)
        except ValueError as error:
            raise BadRequest(f"parameter 'name': {error}") from None
        if name in registry._names:
            raise Conflict(f"a frame is shown as '{name}' already; choose another name")
        return name
    base = (entry.name or f"frame{entry.id}")[:50]
    candidate, n = f"{base}_{kind}", 1
    while candidate in registry._names:
        n += 1
        candidate = f"{base}_{kind}_{n}"
    return candidate


def make_summary(registry, id_or_name, body) -> tuple[object, str, str | None]:
    """A new shown frame summarizing ``id_or_name``: (its registry entry, the code from the
    shown frame to it, a note when the summary cut something)."""
    if not isinstance(body, dict):
        raise BadRequest('a summary is a JSON object like {"kind": "groupby", ...}')
    kind = body.get("kind")
    entry, history = stepped_frame(registry, id_or_name, f"summarize {str(kind)[:30]}")
    if isinstance(history, EngineHistory):
        with entry.steps_lock:
            data, note = history.summarize(body)
        with registry._lock:
            name = derived_name(registry, entry, kind, body.get("name"))
            new = registry.add(data, name=name)
        return new, "", note

    def others(ident):
        other, other_history = stepped_frame(registry, ident, f"summarize {kind}")
        if isinstance(other_history, EngineHistory):
            raise BadRequest(f"{kind}: the other frames must be pandas frames; frame "
                             f"{other.id} is a {other_history.engine} frame")
        label = f"frame {other.id}" + (f" ({other.name!r})" if other.name else "")
        return other_history.frame, label

    summary = summarize(history.frame, body, others)
    code = summary_script(history.state, history.series_name, summary.lines)
    with registry._lock:
        name = derived_name(registry, entry, kind, body.get("name"))
        new = registry.add(summary.frame, name=name)
    return new, code, summary.note
