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
from typing import Any

DEFAULT_BUDGET_BYTES = 512 * 1024 * 1024


def nbytes_of(value: Any) -> int:
    size = getattr(value, "nbytes", None)
    if isinstance(size, int):
        return size
    return 64


class ResultCache:
    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES):
        self.budget_bytes = budget_bytes
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
        """The cached value for ``key``, computing it (once, whatever the concurrency) if absent."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    return hit[0]
            try:
                value = compute()
                self._store(key, value)
            finally:
                # Dropped only after the value is stored, so a late arrival finds it cached.
                with self._lock:
                    self._key_locks.pop(key, None)
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
