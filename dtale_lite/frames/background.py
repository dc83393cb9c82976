"""Long computations (full sort orders) run in the background, once, and only while needed.

``Background`` is a small pool of daemon threads that an owner (the registry) holds; nothing
starts until the first job. ``submit`` dedupes: a job for a key already queued or running is
returned instead of a second one. A caller that needs the result now calls ``Job.result()``,
which runs a job that has not started yet in the caller's own thread (no waiting behind a
queue) and otherwise waits for it. ``cancel`` marks jobs nobody needs any more (their frame
was updated or removed): queued ones never start and running ones stop at their next
``cancel.checker()`` call. ``Job.hold_for`` delays a job's start (the Planner holds a sort's
full order while pages of that sort keep coming); ``result()`` ends the hold.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from .cancel import stop_when
from .errors import Superseded

log = logging.getLogger(__name__)
HOLD_POLL_SECONDS = 0.05  # how often a held job checks whether it was cancelled


def default_workers() -> int:
    """Half the machine's cores (at least one): the other half keeps answering page reads."""
    return max(1, (os.cpu_count() or 2) // 2)


class Job:
    def __init__(self, key: Hashable, compute: Callable[[], Any],
                 is_stale: Callable[[], bool], on_done: Callable[["Job"], None]):
        self.key = key
        self._compute = compute
        self._is_stale = is_stale
        self._on_done = on_done
        self._claim = threading.Lock()
        self._claimed = False
        self.started_at: float | None = None  # time.monotonic() when its computing began
        self._held_until = 0.0  # time.monotonic() before which a worker does not begin it
        self._hurry = threading.Event()  # a caller needs the value now: holding ends
        # Figures its callers measured around it (the Planner notes what the selection of the
        # page that started a sort's build took: the next pages weigh waiting against it).
        self.notes: dict[str, float] = {}
        self._done = threading.Event()
        self.cancelled = False
        self.value: Any = None
        self.error: BaseException | None = None

    def stale(self) -> bool:
        return self.cancelled or self._is_stale()

    def hold_for(self, seconds: float) -> None:
        """Ask that the job not begin for ``seconds`` more, unless a caller needs its value
        (``result``); a job that began already is not affected."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)

    def _hold(self) -> None:
        while not self._hurry.is_set() and not self.stale():
            left = self._held_until - time.monotonic()
            if left <= 0:
                return
            self._hurry.wait(min(left, HOLD_POLL_SECONDS))  # polls: a cancel ends it too

    def run(self) -> None:
        """Run the job here unless some thread already took it."""
        with self._claim:
            if self._claimed:
                return
            self._claimed = True
        try:
            self._hold()
            self.started_at = time.monotonic()
            if self.stale():
                raise Superseded("the frame changed; this order is no longer needed")
            with stop_when(self.stale):
                self.value = self._compute()
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits for it
            self.error = error
        finally:
            self._done.set()
            self._on_done(self)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the job to end (never runs it here); whether it
        ended."""
        return self._done.wait(timeout)

    def result(self) -> Any:
        """The job's value, computing it in this thread if it has not started; re-raises its
        error (Superseded if it was cancelled)."""
        self._hurry.set()
        self.run()
        self._done.wait()
        if self.error is not None:
            raise self.error
        return self.value


class Background:
    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, Job] = {}
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self.started = 0  # jobs created (tests read it to see deduplication)

    def submit(self, key: Hashable, compute: Callable[[], Any],
               is_stale: Callable[[], bool] = lambda: False, hold_s: float = 0.0) -> Job:
        """The job computing ``key``: the one already under way, or a new queued one that
        does not begin for ``hold_s`` seconds (held before a worker can take it)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                return job
            job = Job(key, compute, is_stale, self._finished)
            if hold_s:
                job.hold_for(hold_s)
            self._jobs[key] = job
            self.started += 1
            if len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"dtale-lite-background-{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        self._queue.put(job)
        return job

    def pending(self, key: Hashable) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def _finished(self, job: Job) -> None:
        with self._lock:
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
        if job.error is not None and not isinstance(job.error, Superseded):
            log.error("background job %r failed", job.key, exc_info=job.error)

    _pool = threading.local()

    @classmethod
    def in_worker(cls) -> bool:
        """Whether the current thread is one of a Background's own workers."""
        return getattr(cls._pool, "worker", False)

    def _work(self) -> None:
        Background._pool.worker = True
        while True:
            job = self._queue.get()
            if job is None:
                return
            job.run()

    def cancel(self, predicate: Callable[[Hashable], bool]) -> int:
        """Mark every job whose key matches as not needed; returns how many."""
        with self._lock:
            doomed = [key for key in self._jobs if predicate(key)]
            for key in doomed:
                self._jobs.pop(key).cancelled = True
        return len(doomed)

    def close(self) -> None:
        """Cancel every job and let the worker threads end (a later submit starts new ones)."""
        self.cancel(lambda key: True)
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once no job is queued or running (tests and benchmarks use it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._jobs:
                    return True
            time.sleep(0.005)
        return False

