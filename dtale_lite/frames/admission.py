"""Admission control: heavy computations take one of a few slots; page reads never wait.

A sort order, a filter mask, a describe, a chart aggregation or an export chunk over millions of
rows keeps a core busy for up to seconds. With no limit, eight clients clicking through sorts
run eight of those at once: each one slower, every temporary alive at the same time (memory
grows by frames, not by pages), and page reads queue behind them in the GIL. So:

- At most ``slots`` (the machine's cores minus one, at least one: a core stays free for page
  reads) computations run at once; the rest wait their turn.
  Only computing takes a slot: a request whose result is cached never asks for one.
- A request says who it is for (``client``: one browser page) and what it is part of
  (``lane``: "rows", "describe", "chart", ...) and which view it wants. When a newer request of
  the same client and lane wants another view (the user clicked another sort), the older one
  is dropped while it waits (``Superseded``, 409) and a long computation already running stops
  at its next check (see ``cancel``). Requests for the same view (several pages of one sorted
  view, fetched in parallel) never supersede each other.
- Slots are re-entrant per thread: a computation that needs another cached result (a filtered
  sorted view needs the sort order) computes it in the slot it already holds, so nested
  computations can never deadlock waiting for each other's slots.

Pure: no Flask. The app owns one ``Admission`` (registry-wide) and each request enters
``admission.request(client, lane, view)``; the result cache asks for a slot around every
computation on a miss.
"""
from __future__ import annotations

import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass

from .cancel import stop_when
from .errors import Superseded

MAX_CLIENTS = 1024
POLL_SECONDS = 0.05  # how often a waiting request checks whether it was superseded


@dataclass(eq=False)
class Ticket:
    admission: "Admission"
    client: str | None
    lane: str
    view: Hashable
    computed: bool = False  # did this request compute anything (a cache miss)?

    def is_stale(self) -> bool:
        return self.admission.is_stale(self)


_current: ContextVar[Ticket | None] = ContextVar("dtale_lite_ticket", default=None)


class Admission:
    def __init__(self, slots: int | None = None):
        # One core stays free for page reads (and the GIL switches they need): at most
        # cores - 1 computations at once, and at least one.
        self.slots = max(1, slots or (os.cpu_count() or 2) - 1)
        self._semaphore = threading.BoundedSemaphore(self.slots)
        self._held = threading.local()  # slots this thread holds (re-entrancy depth)
        self._lock = threading.Lock()
        self._latest: OrderedDict[tuple[str, str], Hashable] = OrderedDict()
        self._unique = itertools.count(1)
        # Counters for tests, the benchmark and the status route.
        self.running = 0
        self.waiting = 0
        self.admitted = 0
        self.dropped = 0

    # -- who a request is for ----------------------------------------------------------------
    @contextmanager
    def request(self, client: str | None, lane: str, view: Hashable = None) -> Iterator[Ticket]:
        """Within this block, computations belong to this request. ``view`` None: every
        newer request of this client and lane supersedes this one."""
        if view is None:
            view = ("unique", next(self._unique))
        ticket = Ticket(self, client or None, lane, view)
        if ticket.client is not None:
            with self._lock:
                key = (ticket.client, lane)
                self._latest[key] = view
                self._latest.move_to_end(key)
                while len(self._latest) > MAX_CLIENTS:
                    self._latest.popitem(last=False)
        token = _current.set(ticket)
        try:
            yield ticket
        finally:
            _current.reset(token)

    def is_stale(self, ticket: Ticket) -> bool:
        if ticket.client is None:
            return False
        with self._lock:
            return self._latest.get((ticket.client, ticket.lane), ticket.view) != ticket.view

    def missed(self) -> None:
        """The current request needs a result nobody has cached (it computes it, or waits for
        the request that does)."""
        ticket = _current.get()
        if ticket is not None:
            ticket.computed = True

    def check(self) -> None:
        """Raise Superseded if the current request was replaced by a newer one."""
        ticket = _current.get()
        if ticket is not None and ticket.is_stale():
            with self._lock:
                self.dropped += 1
            raise Superseded(f"a newer {ticket.lane} request from this page replaced this one")

    # -- computing ---------------------------------------------------------------------------
    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot while computing; waits for one, dropping out if superseded meanwhile."""
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1  # nested in a slot this thread already holds
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._acquire()
        self._held.depth = 1
        ticket = _current.get()
        try:
            with stop_when(ticket.is_stale) if ticket is not None else nullcontext():
                yield
        finally:
            self._held.depth = 0
            with self._lock:
                self.running -= 1
            self._semaphore.release()

    def _acquire(self) -> None:
        with self._lock:
            self.waiting += 1
        try:
            while not self._semaphore.acquire(timeout=POLL_SECONDS):
                self.check()
            try:
                self.check()  # superseded while waiting: give the slot to the next one
            except Superseded:
                self._semaphore.release()
                raise
        finally:
            with self._lock:
                self.waiting -= 1
        with self._lock:
            self.running += 1
            self.admitted += 1

    def each_in_slot(self, chunks: Iterator) -> Iterator:
        """Produce each item of ``chunks`` in a slot, and send it with none: a slow download
        holds no slot while the client reads."""
        iterator = iter(chunks)
        while True:
            with self.slot():
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk

    def stats(self) -> dict:
        with self._lock:
            return {"slots": self.slots, "running": self.running, "waiting": self.waiting,
                    "admitted": self.admitted, "dropped": self.dropped}
