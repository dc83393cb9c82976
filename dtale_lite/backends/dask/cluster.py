"""Where the Dask backend's tasks run: a ``distributed.Client`` or Dask's local scheduler."""
from __future__ import annotations

import time
import weakref

ALIVE_SECONDS = 5.0


class Cluster:
    """Where tasks run: a distributed Client (futures stay on the cluster) or, without one,
    Dask's local scheduler (results are plain values in this process).

    A task on a partition runs on the worker that holds the partition, and so do tasks on its
    results (kept positions, sorted runs): left to itself, the scheduler's work stealing moved
    partitions (tens of MB) between the two workers here to balance 100 ms sorts."""

    def __init__(self, client):
        self.client = client
        self.homes = weakref.WeakKeyDictionary()  # future -> address of the worker it is on
        self._alive, self._alive_at = frozenset(), -float("inf")

    def pin(self, futures: list) -> None:
        """Note where ``futures`` (finished) are, for the tasks that will take them."""
        futures = [f for f in futures if is_future(f)]
        places = self.client.who_has(futures) if futures else {}
        for future in futures:
            if places.get(future.key):
                self.homes[future] = places[future.key][0]

    def submit(self, fn, *args):
        if self.client is None:
            import dask

            return dask.delayed(fn)(*args).compute()
        if any(is_delayed(a) for a in args):
            import dask

            return self.client.compute(dask.delayed(fn)(*args))
        home = next((self.homes[a] for a in args if is_future(a) and a in self.homes), None)
        if home is None or home not in self.alive():
            return self.client.submit(fn, *args, pure=False)
        # A strict restriction: a loose one (allow_other_workers) still let the scheduler
        # move the tasks, and their partitions, to the idle worker.
        future = self.client.submit(fn, *args, pure=False, workers=[home],
                                    allow_other_workers=False)
        self.homes[future] = home
        return future

    def alive(self) -> frozenset:
        """The cluster's workers, looked up at most every few seconds: a task is never pinned
        to a worker that left (it would wait for it forever)."""
        now = time.monotonic()
        if now - self._alive_at > ALIVE_SECONDS:
            self._alive = frozenset(self.client.scheduler_info().get("workers", {}))
            self._alive_at = now
        return self._alive

    def gather(self, handles: list) -> list:
        return list(handles) if self.client is None else self.client.gather(list(handles))


def is_delayed(value) -> bool:
    return type(value).__module__.startswith("dask.delayed")


def is_future(value) -> bool:
    return type(value).__name__ == "Future" and type(value).__module__.startswith("distributed")


def default_client():
    try:
        from distributed import get_client
    except ImportError:
        return None
    try:
        return get_client()
    except ValueError:  # no client in this process: Dask's default scheduler
        return None
