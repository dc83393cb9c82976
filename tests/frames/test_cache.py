import threading
import time

import numpy as np

from dtale_lite.frames.cache import ResultCache


def test_lru_is_bounded_by_bytes():
    cache = ResultCache(budget_bytes=3_000)
    for k in range(5):
        cache.get_or_compute(k, lambda: np.zeros(1000, dtype=np.uint8))
    assert cache.bytes_used <= 3_000
    assert len(cache) == 3
    calls = []
    cache.get_or_compute(4, lambda: calls.append(1))  # most recent: still cached
    cache.get_or_compute(0, lambda: calls.append(1) or np.zeros(1, dtype=np.uint8))  # evicted
    assert calls == [1]


def test_result_larger_than_budget_is_returned_not_kept():
    cache = ResultCache(budget_bytes=10)
    value = cache.get_or_compute("big", lambda: np.zeros(100, dtype=np.uint8))
    assert value.nbytes == 100 and len(cache) == 0 and cache.bytes_used == 0


def test_concurrent_requests_compute_once():
    cache = ResultCache()
    calls = []
    barrier = threading.Barrier(8)

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return np.arange(10)

    results = []

    def worker():
        barrier.wait()
        results.append(cache.get_or_compute(("sort", "f1"), slow))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_failed_compute_is_not_cached_and_can_retry():
    cache = ResultCache()

    def boom():
        raise RuntimeError("no")

    try:
        cache.get_or_compute("k", boom)
    except RuntimeError:
        pass
    assert cache.get_or_compute("k", lambda: np.ones(2)).tolist() == [1.0, 1.0]


def test_drop_by_predicate():
    cache = ResultCache()
    for key in [(1, "a"), (1, "b"), (2, "a")]:
        cache.get_or_compute(key, lambda: np.ones(4))
    assert cache.drop(lambda k: k[0] == 1) == 2
    assert len(cache) == 1 and cache.bytes_used == 32
