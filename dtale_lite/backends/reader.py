"""What the routes read from a frame (a page, a count, describe, an export, a chart's rows),
whatever backs it.

Two paths, one answer shape:
- pandas (``PandasSource``): the Planner's numpy positions through the registry's ResultCache,
  with partial sorts and background orders (view.py), exactly as before the other engines came.
- every other engine (``BackendSource``): its DataView for (filter, sort) pages, counts,
  describes and exports itself (backends/); the first use of a view, where an engine does its
  work, takes an admission slot like any computation; later pages of it take none.

Counts come back as ``Count(rows, exact)`` so a route can say when a figure is an estimate.
Flask-free.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .backend_source import BackendSource
from .base import Count
from ..frames.view import Planner, ViewSpec, window


@dataclass(frozen=True)
class Page:
    total: Count
    index: list
    data: list
    # The rows' positions in the user's frame (pandas only: what a cell edit names, issue 15).
    positions: list | None = None


def is_backend(snap) -> bool:
    return isinstance(snap.source, BackendSource)


def engine_name(snap) -> str:
    return snap.source.engine if is_backend(snap) else "pandas"


class Reader:
    def __init__(self, registry):
        self.registry = registry
        self.cache = registry.cache

    def planner(self) -> Planner:
        return Planner.of(self.registry)

    # -- counts and pages --------------------------------------------------------------------
    def count(self, snap) -> Count:
        if is_backend(snap):
            return snap.source.count()
        return Count(snap.source.row_count())

    def _in_view(self, snap, spec: ViewSpec, work):
        """``work(view)`` on the engine's view of ``spec``. A new view's first use (where the
        engine filters, counts or sorts) runs in an admission slot and the answer says
        "computed" (Server-Timing); a cached view's pages take no slot."""
        source: BackendSource = snap.source
        if source.is_cached(spec.filter_key, spec.sort):
            return work(source.view(spec.filter_node, spec.filter_key, spec.sort))
        self.cache.on_miss()
        with self.cache.gate():
            return work(source.view(spec.filter_node, spec.filter_key, spec.sort))

    def _view(self, snap, spec: ViewSpec):
        """The engine's view of ``spec``, counted (its first pass made in a slot if new)."""
        return self._in_view(snap, spec, _counted)

    def page(self, snap, spec: ViewSpec, offset: int, limit: int, wanted) -> Page:
        if not is_backend(snap):
            positions, total = self.planner().window(snap, spec, offset, limit)
            index, data = snap.source.rows(positions, wanted)
            # Sources other than PandasSource (the FrameSource protocol's own) have no steps,
            # so no positions for the grid's cell edits.
            original = getattr(snap.source, "original_positions", None)
            return Page(Count(total), index, data,
                        None if original is None else original(positions))
        return self._in_view(snap, spec, lambda view: Page(
            view.count(), *view.window(offset, limit, list(wanted))))

    def head(self, snap, limit: int, wanted) -> tuple[list, list]:
        """The first rows, for the page's preview (no JavaScript yet)."""
        if not is_backend(snap):
            return snap.source.rows(window(None, snap.source.row_count(), 0, limit), wanted)
        page = self.page(snap, ViewSpec(), 0, limit, wanted)
        return page.index, page.data

    # -- figures -----------------------------------------------------------------------------
    def describe(self, snap, column: int, spec: ViewSpec) -> dict:
        """describe.py's figures of one column over the filter's rows (sorting changes none),
        cached per (frame version, column, filter); ``approximate`` names the estimates."""
        key = (snap.id, snap.version, "describe", column, spec.filter_key)
        if not is_backend(snap):
            positions = self.planner().positions(snap, replace(spec, sort=()))
            figures = self.cache.get_or_compute(
                key, lambda: snap.source.describe(column, positions))
            return {**figures, "approximate": []}
        view = self._view(snap, replace(spec, sort=()))
        figures = self.cache.get_or_compute(key, lambda: view.describe(column))
        return {"approximate": [], **figures}

    def export(self, snap, spec: ViewSpec, wanted, names, fmt: str):
        """The view's rows as a file, streamed; each chunk is computed in an admission slot."""
        if not is_backend(snap):
            positions = self.planner().positions(snap, spec)
            chunks = snap.source.export(positions, wanted, names, fmt)
        else:
            chunks = self._view(snap, spec).export(list(wanted), list(names), fmt)
        return self.registry.admission.each_in_slot(chunks)

    def view_frames(self, snap, spec: ViewSpec, wanted, names):
        """pandas frames: the view's rows as DataFrame chunks named as the exports' columns
        (export.view_frames), each made in an admission slot; None for any other source."""
        frame = getattr(snap.source, "frame", None)
        if is_backend(snap) or not hasattr(frame, "iloc"):
            return None
        from ..frames.export import view_frames

        positions = self.planner().positions(snap, spec)
        return self.registry.admission.each_in_slot(
            view_frames(frame, positions, list(wanted), list(names)))

    def check_filter(self, snap, spec: ViewSpec) -> None:
        """Raise the filter's FilterError now (a filter naming a column of the wrong kind)."""
        if spec.filter_node is None:
            return
        unsorted = replace(spec, sort=())
        if is_backend(snap):
            self._view(snap, unsorted)
        else:
            self.planner().positions(snap, unsorted)

    def chart_rows(self, snap, spec: ViewSpec):
        """(chart source, positions) for the chart builder (charts/figure.py): pandas gives
        its positions; an engine's view stands in for them (backends/chart_source.py)."""
        if not is_backend(snap):
            return snap.source, Planner(self.cache).positions(snap, spec)
        from .chart_source import ViewChartSource

        return ViewChartSource(snap.source.backend, self._view(snap, spec)), None


def _counted(view):
    view.count()
    return view
