"""A bounded, thread-safe cache of computed views (sort orders, filter masks, row positions).

Bounded by bytes, not entries: a 10M-row sort order is 80 MB while a filter mask is 10 MB, so
counting entries would say nothing about memory. Least recently used results go first.

Single flight: two requests that need the same missing result compute it once; the second
waits on a per-key lock and then reads the cached value. A result larger than the whole budget
is returned to its caller but not kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

DEFAULT_BUDGET_BYTES = 512 * 1024 * 1024


def nbytes_of(value: Any) -> int:
    size = getattr(value, "nbytes", None)
    if isinstance(size, int):
        return size
    return 64


class ResultCache:
    """``gate``: the context every computation on a miss runs in (the registry passes its
    admission's slot, so only computing waits; a hit never does). ``on_miss`` is told of
    every miss, including one that waits for another caller's computation of the same key."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES,
                 gate: Callable[[], AbstractContextManager] = nullcontext,
                 on_miss: Callable[[], None] = lambda: None):
        self.budget_bytes = budget_bytes
        self.gate = gate
        self.on_miss = on_miss
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many times a result was computed (tests read it)

    @property
    def bytes_used(self) -> int:
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def peek(self, key: Hashable) -> Any | None:
        """The cached value for ``key``, or None; never computes."""
        with self._lock:
            hit = self._items.get(key)
            return None if hit is None else hit[0]

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computing it (once, whatever the concurrency) if absent.

        The order of locks is what keeps this deadlock-free under admission control: a caller
        takes a slot (``gate``) first and only then tries the key's lock, without blocking. If
        another caller is already computing the key, it gives its slot back and waits for that
        caller with no slot held. (Waiting for a slot while holding a key's lock deadlocks: the
        slot's holder may be computing a view that needs that very key, e.g. a sort order.)
        """
        told = False
        while True:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    return hit[0]
                key_lock = self._key_locks.setdefault(key, threading.Lock())
            if not told:
                self.on_miss()
                told = True
            with self.gate():
                if key_lock.acquire(blocking=False):
                    try:
                        with self._lock:
                            hit = self._items.get(key)
                        if hit is not None:
                            return hit[0]
                        value = compute()
                        self._store(key, value)
                        return value
                    finally:
                        # Dropped only after the value is stored, so a late arrival finds it.
                        with self._lock:
                            if self._key_locks.get(key) is key_lock:
                                del self._key_locks[key]
                        key_lock.release()
            with key_lock:  # another caller computes it: wait for that one, then look again
                pass

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` (computed elsewhere) unless ``key`` already has one; the kept value."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        self._store(key, value)
        return value

    def _store(self, key: Hashable, value: Any) -> None:
        size = nbytes_of(value)
        with self._lock:
            self.computed += 1
            if size > self.budget_bytes:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget_bytes and self._items:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def drop(self, predicate: Callable[[Hashable], bool]) -> int:
        """Remove every entry whose key matches; returns how many went."""
        with self._lock:
            doomed = [k for k in self._items if predicate(k)]
            for k in doomed:
                self._bytes -= self._items.pop(k)[1]
            return len(doomed)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
