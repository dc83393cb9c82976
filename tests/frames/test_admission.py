"""Admission control (admission.py): a few slots for heavy work, superseded requests dropped
before they start, nested computations in the slot they hold, and page reads that never wait
behind heavy work, over a real server."""
from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest
import requests

from dtale_lite.frames.admission import Admission
from dtale_lite.frames.cache import ResultCache
from dtale_lite.frames.errors import Superseded
from dtale_lite.app.viewer import Viewer

from tests.charts.test_chart_service import busy
from tests.server.test_server import wait_until


@pytest.mark.parametrize("slots, jobs", [(1, 4), (2, 6), (3, 3)])
def test_at_most_slots_computations_run_at_once(slots, jobs):
    admission = Admission(slots)
    lock, running, most = threading.Lock(), [0], [0]

    def job():
        with admission.slot():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=job) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most[0] == min(slots, jobs)
    assert admission.stats() == {"slots": slots, "running": 0, "waiting": 0,
                                 "admitted": jobs, "dropped": 0}


def queued(admission, client, lane, view, outcome, name):
    def run():
        try:
            with admission.request(client, lane, view):
                with admission.slot():
                    outcome[name] = "computed"
        except Superseded as error:
            outcome[name] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("first, second, dropped", [
    (("page", "rows", "sort f1"), ("page", "rows", "sort f2"), True),     # another sort
    (("page", "rows", "sort f1"), ("page", "rows", "sort f1"), False),    # another page, same view
    (("page", "rows", "sort f1"), ("page", "describe", "f1"), False),     # another lane
    (("page", "rows", "sort f1"), ("other", "rows", "sort f2"), False),   # another page
    ((None, "rows", "sort f1"), (None, "rows", "sort f2"), False),        # no client id
    (("page", "chart", None), ("page", "chart", None), True),             # every chart replaces
])
def test_a_queued_request_is_dropped_only_when_its_page_wants_another_view(first, second,
                                                                           dropped):
    admission = Admission(1)
    release = busy(admission)
    outcome = {}
    a = queued(admission, *first, outcome, "first")
    assert wait_until(lambda: admission.stats()["waiting"] == 1)
    b = queued(admission, *second, outcome, "second")
    assert wait_until(lambda: admission.stats()["waiting"] == 2 or "first" in outcome)
    if dropped:
        a.join(5)
        assert isinstance(outcome["first"], Superseded) and outcome["first"].status == 409
    release.set()
    a.join(5), b.join(5)
    assert outcome["second"] == "computed"
    assert (outcome["first"] != "computed") is dropped
    assert admission.stats()["dropped"] == int(dropped)


def test_nested_computations_use_the_slot_they_hold():
    admission = Admission(1)
    cache = ResultCache(gate=admission.slot)
    # A filtered sorted view needs the sort order: computed inside the view's own slot.
    outer = cache.get_or_compute("view", lambda: cache.get_or_compute("order", lambda: 1) + 1)
    assert outer == 2 and admission.stats()["admitted"] == 1


def test_a_cache_hit_takes_no_slot():
    admission = Admission(1)
    cache = ResultCache(gate=admission.slot)
    cache.get_or_compute("order", lambda: 7)
    release = busy(admission)
    try:
        assert cache.get_or_compute("order", lambda: 8) == 7  # would block if it waited
    finally:
        release.set()


@pytest.fixture
def served():
    viewer = Viewer()
    n = 200_000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.standard_normal(n), "b": rng.integers(0, 100, n)})
    inst = viewer.show(frame, "load")
    yield viewer, inst
    viewer.shutdown()


def test_pages_of_a_cached_view_answer_while_every_slot_is_busy(served):
    viewer, inst = served
    headers = {"X-Dtale-Lite-Key": inst.key, "X-Dtale-Lite-Client": "tab-1"}
    rows = f"{inst.base_url}/api/frames/load/rows"
    sort = '[["a", "asc"]]'
    assert requests.get(rows, params={"sort": sort}, headers=headers, timeout=30).ok
    assert viewer.registry.background.wait_idle()  # the full order is built and cached
    admission = viewer.registry.admission
    releases = [busy(admission) for _ in range(admission.slots)]
    try:
        # The sorted view is cached: its pages need no slot.
        page = requests.get(rows, params={"sort": sort, "offset": 5000}, headers=headers,
                            timeout=5)
        assert page.ok and page.json()["offset"] == 5000
        # A new sort must wait for a slot; the page then asks for yet another: dropped.
        outcome = {}
        waiting = threading.Thread(target=lambda: outcome.setdefault("b", requests.get(
            rows, params={"sort": '[["b", "asc"]]'}, headers=headers, timeout=30)))
        waiting.start()
        assert wait_until(lambda: admission.stats()["waiting"] == 1)
        latest = threading.Thread(target=lambda: outcome.setdefault("desc", requests.get(
            rows, params={"sort": '[["a", "desc"]]'}, headers=headers, timeout=30)))
        latest.start()
        waiting.join(10)
        assert outcome["b"].status_code == 409
        assert "replaced" in outcome["b"].json()["error"]
    finally:
        for release in releases:
            release.set()
    latest.join(30)
    assert outcome["desc"].ok and outcome["desc"].json()["total"] == 200_000


def test_a_caller_waiting_for_a_slot_holds_no_key_a_running_computation_needs():
    """The deadlock the load test found: A asks for a sort order and waits for the only slot,
    whose holder B computes a filtered view that needs that same sort order."""
    admission = Admission(1)
    cache = ResultCache(gate=admission.slot)
    started, go, results = threading.Event(), threading.Event(), {}

    def view():
        started.set()
        go.wait(5)
        return cache.get_or_compute("order", lambda: "order by B") + " + view"

    b = threading.Thread(target=lambda: results.setdefault("b", cache.get_or_compute("view",
                                                                                     view)))
    b.start()
    assert started.wait(5)
    a = threading.Thread(target=lambda: results.setdefault("a", cache.get_or_compute(
        "order", lambda: "order by A")))
    a.start()
    assert wait_until(lambda: admission.stats()["waiting"] == 1)
    go.set()
    b.join(5), a.join(5)
    assert not b.is_alive() and not a.is_alive(), "deadlocked"
    assert results == {"b": "order by B + view", "a": "order by B"}
