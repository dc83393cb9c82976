"""Charts for a registry: resolve the frame, find the view's rows, build under admission control.

Shared by the JSON routes and the Dash page. Flask-free. Two rules keep charts from hurting the
grid, both the registry's ``Admission`` (see admission.py), shared with sorts, filters,
describes and exports:

- At most cores - 1 computations (at least one) run at once; the rest wait. Pages of
  rows whose view is cached never wait.
- A page passes its ``client`` id. A request that a newer one from the same client replaced
  while it waited is dropped before it starts (``Superseded``, 409), and a long one already
  running (correlations) stops at its next step (see ``cancel``), so a user clicking through
  chart types keeps at most one computation of theirs busy.

Built figures are kept in the registry's bounded cache (dropped with the frame's other results
on update), so reloading a chart or exporting it as HTML/CSV does not compute it again.
"""
from __future__ import annotations

import json

import numpy as np

from ..frames.errors import BadRequest
from ..backends.reader import Reader, is_backend
from ..frames.source import ChartSource
from ..frames.view import parse_view
from .correlations import correlation_result
from .figure import ChartResult, build_chart
from .spec import ChartSpec, default_spec


class _Sized:
    """A cached value with the size the cache should charge for it."""

    def __init__(self, value, nbytes: int):
        self.value, self.nbytes = value, nbytes


class Charts:
    def __init__(self, registry):
        self.registry = registry

    def snapshot(self, frame):
        """A registry snapshot for an id, a name, or a snapshot already taken; BadRequest when
        its source cannot summarise data for charts."""
        snap = frame if hasattr(frame, "source") else self.registry.snapshot(frame)
        if not is_backend(snap) and not isinstance(snap.source, ChartSource):
            raise BadRequest(f"frame '{snap.name or snap.id}' comes from a data source that "
                             f"cannot draw charts ({type(snap.source).__name__} has no chart "
                             f"primitives)")
        return snap

    def chart(self, frame, spec: ChartSpec, client: str | None = None) -> ChartResult:
        """The built chart of ``spec`` over the frame's rows that pass ``spec.filter``."""
        snap = self.snapshot(frame)
        key = (snap.id, snap.version, "chart", spec)

        def build():
            source, positions = self._rows(snap, spec.filter)
            result = build_chart(source, positions, spec)
            return _Sized(result, len(json.dumps(result.figure)) + len(result.code))

        return self._admitted(client, key, build).value

    def default_spec(self, frame) -> ChartSpec:
        """The chart shown when none is asked for (``spec.default_spec``), judged on the
        whole frame: which int or datetime columns are row keys takes a min/max/count pass
        over them, and a distinct count only of those that pass it. Cached per frame version."""
        snap = self.snapshot(frame)

        def build():
            source, positions = self._rows(snap, None)
            rows = source.row_count() if positions is None else len(positions)
            spec = default_spec(source.columns(),
                                lambda column: is_row_key(source, positions, column, rows))
            return _Sized(spec, 512)

        return self._admitted(None, (snap.id, snap.version, "default-chart"), build).value

    def correlations(self, frame, method: str, filter_text: str | None = None,
                     client: str | None = None) -> dict:
        snap = self.snapshot(frame)
        key = (snap.id, snap.version, "correlations", method, filter_text or "")

        def build():
            source, positions = self._rows(snap, filter_text)
            result = correlation_result(source, positions, method)
            return _Sized(result, 64 * len(result["columns"]) ** 2 + 256)

        return self._admitted(client, key, build).value

    def _rows(self, snap, filter_text):
        """(chart source, positions) of the rows ``filter_text`` keeps, on any engine."""
        spec = parse_view({"filter": filter_text or ""}, snap.source.columns())
        return Reader(self.registry).chart_rows(snap, spec)

    # -- admission ---------------------------------------------------------------------------
    def _admitted(self, client, key, build):
        cached = self.registry.cache.peek(key)
        if cached is not None:
            return cached
        # Every chart request of a page supersedes the page's older ones (view None); the
        # cache computes a missing figure in one of the admission's slots.
        with self.registry.admission.request(client, "chart"):
            return self.registry.cache.get_or_compute(key, build)


def is_row_key(source, positions, column, rows: int) -> bool:
    """Whether ``column`` of the view looks like a row key: present in every row and, like
    0..n-1 (or every k-th number, or one row per day), evenly spaced from its minimum to its
    maximum with the mean and spread of such a run. Its histogram would be a flat block.

    Judged from aggregates every engine computes in one pass (min, max, count, mean, std):
    an exact distinct count costs a hash of the whole column (0.7-6.6 s at 1M-10M rows
    measured here), too much for choosing a first chart. A column with the same five figures
    and a duplicate is possible but contrived, and would only change which chart comes first.
    """
    if rows < 3:
        return False
    p = column.position
    _, (low, high, count, mean, std) = source.group_aggregate(
        positions, [], [(p, "min"), (p, "max"), (p, "count"), (p, "mean"), (p, "std")])
    if not len(count) or int(count[0]) != rows:
        return False
    low, high = float(low[0]), float(high[0])
    step = (high - low) / (rows - 1)
    if step <= 0 or step != round(step):
        return False  # not an evenly spaced run of integers (or of whole nanoseconds)
    run_std = step * np.sqrt(rows * (rows + 1) / 12)  # sample std of an arithmetic run
    return bool(np.isclose(float(mean[0]), (low + high) / 2, rtol=1e-9, atol=step * 1e-6)
                and np.isclose(float(std[0]), run_std, rtol=1e-6))
