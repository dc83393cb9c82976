"""Charts for a registry: resolve the frame, find the view's rows, build under admission control.

Shared by the JSON routes and the Dash page. Flask-free. Two rules keep charts from hurting the
grid:

- At most ``workers`` (the machine's cores) chart or correlation computations run at once; the
  rest wait. Pages of rows never wait here: they do not go through this object.
- A page passes its ``client`` id. A request that a newer one from the same client replaced
  while it waited is dropped before it starts (``Superseded``, 409), and a long one already
  running (correlations) stops at its next step (see ``cancel``), so a user clicking through
  chart types keeps at most one computation of theirs busy.

Built figures are kept in the registry's bounded cache (dropped with the frame's other results
on update), so reloading a chart or exporting it as HTML/CSV does not compute it again.
"""
from __future__ import annotations

import itertools
import json
import os
import threading
from collections import OrderedDict

from ..cancel import stop_when
from ..errors import BadRequest, Superseded
from ..source import ChartSource
from ..view import Planner, parse_view
from .correlations import correlation_result
from .figure import ChartResult, build_chart
from .spec import ChartSpec

MAX_CLIENTS = 1024


class _Sized:
    """A cached value with the size the cache should charge for it."""

    def __init__(self, value, nbytes: int):
        self.value, self.nbytes = value, nbytes


class Charts:
    def __init__(self, registry, workers: int | None = None):
        self.registry = registry
        self.workers = workers or os.cpu_count() or 1
        self._slots = threading.BoundedSemaphore(self.workers)
        self._lock = threading.Lock()
        self._latest: OrderedDict[str, int] = OrderedDict()
        self._tickets = itertools.count(1)

    def snapshot(self, frame):
        """A registry snapshot for an id, a name, or a snapshot already taken; BadRequest when
        its source cannot summarise data for charts."""
        snap = frame if hasattr(frame, "source") else self.registry.snapshot(frame)
        if not isinstance(snap.source, ChartSource):
            raise BadRequest(f"frame '{snap.name or snap.id}' comes from a data source that "
                             f"cannot draw charts ({type(snap.source).__name__} has no chart "
                             f"primitives)")
        return snap

    def chart(self, frame, spec: ChartSpec, client: str | None = None) -> ChartResult:
        """The built chart of ``spec`` over the frame's rows that pass ``spec.filter``."""
        snap = self.snapshot(frame)
        key = (snap.id, snap.version, "chart", spec)

        def build():
            positions = self._positions(snap, spec.filter)
            result = build_chart(snap.source, positions, spec)
            return _Sized(result, len(json.dumps(result.figure)) + len(result.code))

        return self._admitted(client, key, build).value

    def correlations(self, frame, method: str, filter_text: str | None = None,
                     client: str | None = None) -> dict:
        snap = self.snapshot(frame)
        key = (snap.id, snap.version, "correlations", method, filter_text or "")

        def build():
            positions = self._positions(snap, filter_text)
            result = correlation_result(snap.source, positions, method)
            return _Sized(result, 64 * len(result["columns"]) ** 2 + 256)

        return self._admitted(client, key, build).value

    def _positions(self, snap, filter_text):
        spec = parse_view({"filter": filter_text or ""}, snap.source.columns())
        return Planner(self.registry.cache).positions(snap, spec)

    # -- admission ---------------------------------------------------------------------------
    def _admitted(self, client, key, build):
        cached = self.registry.cache.peek(key)
        if cached is not None:
            return cached
        ticket = self._take_ticket(client)
        while not self._slots.acquire(timeout=0.05):
            self._check_current(client, ticket)
        try:
            self._check_current(client, ticket)
            # Long computations check between steps and stop once a newer request from the
            # same page has replaced this one (nobody waits for its result any more).
            with stop_when(lambda: self._is_stale(client, ticket)):
                return self.registry.cache.get_or_compute(key, build)
        finally:
            self._slots.release()

    def _take_ticket(self, client) -> int:
        ticket = next(self._tickets)
        if client:
            with self._lock:
                self._latest[client] = ticket
                self._latest.move_to_end(client)
                while len(self._latest) > MAX_CLIENTS:
                    self._latest.popitem(last=False)
        return ticket

    def _is_stale(self, client, ticket) -> bool:
        if not client:
            return False
        with self._lock:
            return self._latest.get(client, ticket) != ticket

    def _check_current(self, client, ticket) -> None:
        if self._is_stale(client, ticket):
            raise Superseded("a newer chart request from this page replaced this one")
