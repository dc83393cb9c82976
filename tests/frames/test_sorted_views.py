"""Sorted views through the Planner: windows before and after the background full order, one
build per order, builds dropped when the frame changes. The background is the registry's real
one; "before" is made certain by keeping its one worker busy with a job that waits on a gate.
"""
from __future__ import annotations

import json
import threading

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.background import Background
from dtale_lite.server.registry import Registry
from dtale_lite.frames.view import Planner, parse_view

from tests.conftest import small_frame

FRAME = small_frame(300, seed=11)
SORTABLE = ["id", "i_small", "f1", "s_lo", "cat", "ts", "flag"]
FILTERS = {None: lambda df: np.ones(len(df), bool), "f1 > 0": lambda df: (df.f1 > 0).to_numpy(),
           's_lo in ["cat_01", "cat_03"]': lambda df: df.s_lo.isin(["cat_01", "cat_03"])
           .to_numpy()}


class BusyRegistry:
    """A registry whose single background worker is held by a job until ``release()``."""

    def __init__(self, frame):
        self.registry = Registry()
        self.registry.background = Background(workers=1)
        self.registry.add(frame, "f")
        self.gate = threading.Event()
        self.registry.background.submit(("gate",), lambda: self.gate.wait(30))
        self.planner = Planner.of(self.registry)

    def window(self, sort, filter_text, offset, limit):
        entry = self.registry.snapshot("f")
        args = {"sort": json.dumps([list(s) for s in sort])}
        if filter_text:
            args["filter"] = filter_text
        spec = parse_view(args, entry.source.columns())
        return self.planner.window(entry, spec, offset, limit), spec, entry

    def release(self):
        self.gate.set()
        assert self.registry.background.wait_idle()
        self.registry.background.close()  # its worker thread ends; a later job starts one


def expected(sort, filter_text) -> np.ndarray:
    table = FRAME.reset_index(drop=True)[FILTERS[filter_text](FRAME)]
    if sort:
        table = table.sort_values([c for c, _ in sort], ascending=[d == "asc" for _, d in sort],
                                  kind="stable", na_position="last")
    return table.index.to_numpy()


sorts = st.lists(st.tuples(st.sampled_from(SORTABLE), st.sampled_from(["asc", "desc"])),
                 min_size=1, max_size=3, unique_by=lambda item: item[0])
windows = st.lists(st.tuples(st.integers(0, 320), st.integers(0, 120)), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sort=sorts, filter_text=st.sampled_from(list(FILTERS)), before=windows, after=windows)
def test_windows_before_and_after_the_full_order_equal_pandas(sort, filter_text, before, after):
    view = BusyRegistry(FRAME)
    want = expected(sort, filter_text)
    try:
        for offset, limit in before:  # the worker is busy: every window is selected
            (got, total), _, _ = view.window(sort, filter_text, offset, limit)
            assert total == want.size
            assert np.array_equal(got, want[offset:offset + limit])
    finally:
        view.release()
    for offset, limit in after:
        (got, total), spec, entry = view.window(sort, filter_text, offset, limit)
        assert np.array_equal(got, want[offset:offset + limit])
    assert view.planner.cache.peek(view.planner._order_key(entry, spec)) is not None


def test_first_page_does_not_wait_for_the_full_order():
    view = BusyRegistry(FRAME)
    try:
        (got, _), spec, entry = view.window([("s_lo", "desc"), ("f1", "asc")], None, 0, 20)
        assert np.array_equal(got, expected([("s_lo", "desc"), ("f1", "asc")], None)[:20])
        key = view.planner._order_key(entry, spec)
        assert view.planner.cache.peek(key) is None  # not built yet: its worker is busy
        assert view.registry.background.pending(key) is not None  # but queued
    finally:
        view.release()
    assert view.planner.cache.peek(key) is not None


def test_a_deep_page_of_a_new_sort_is_selected_not_built_in_its_request():
    """Issue 14: a page far down a sort whose full order is not there yet selects around its
    window; the order stays queued for the background (it used to be built in the request)."""
    view = BusyRegistry(FRAME)
    try:
        (got, total), spec, entry = view.window([("f1", "desc")], "f1 > 0", 90, 40)
        assert np.array_equal(got, expected([("f1", "desc")], "f1 > 0")[90:130])
        key = view.planner._order_key(entry, spec)
        assert view.planner.cache.peek(key) is None
        assert view.registry.background.pending(key).started_at is None  # still queued
    finally:
        view.release()


def test_concurrent_requests_for_one_order_build_it_once():
    view = BusyRegistry(FRAME)
    started = view.registry.background.started
    threads = [threading.Thread(target=view.window, args=([("f1", "desc")], None, 0, 10))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    view.release()
    assert view.registry.background.started == started + 1


def test_an_order_nobody_needs_after_an_update_is_dropped():
    view = BusyRegistry(FRAME)
    (_, _), spec, entry = view.window([("ts", "asc")], None, 0, 10)
    key = view.planner._order_key(entry, spec)
    job = view.registry.background.pending(key)
    view.registry.update("f", small_frame(300, seed=12))
    assert job.cancelled
    view.release()
    assert view.planner.cache.peek(key) is None  # the old version's order was never built
    (got, _), _, _ = view.window([("ts", "asc")], None, 0, 10)
    fresh = small_frame(300, seed=12).sort_values("ts", kind="stable").index.to_numpy()[:10]
    assert np.array_equal(got, fresh)


def test_a_removed_frame_cancels_its_orders():
    view = BusyRegistry(FRAME)
    (_, _), spec, entry = view.window([("s_lo", "asc")], None, 0, 10)
    job = view.registry.background.pending(view.planner._order_key(entry, spec))
    view.registry.remove("f")
    assert job.cancelled
    view.release()
    with pytest.raises(Exception, match="no longer needed|changed"):
        job.result()


def test_full_positions_join_the_background_build():
    view = BusyRegistry(FRAME)
    (_, _), spec, entry = view.window([("cat", "asc"), ("id", "desc")], None, 0, 10)
    started = view.registry.background.started
    # export asks for every position: it runs the queued build itself instead of waiting
    order = view.planner.positions(entry, spec)
    assert np.array_equal(order, expected([("cat", "asc"), ("id", "desc")], None))
    assert view.registry.background.started == started
    view.release()


def test_sources_without_sort_keys_still_sort():
    frame = pd.DataFrame({"c": np.array([3 + 1j, 1 + 0j, 2 + 5j, 1 + 0j])})
    view = BusyRegistry(frame)
    view.release()
    (got, total), _, _ = view.window([("c", "asc")], None, 0, 3)
    assert total == 4 and got.tolist() == [1, 3, 2]


def test_a_filtered_view_of_a_column_without_sort_keys_sorts_while_the_worker_is_busy():
    frame = pd.DataFrame({"c": np.array([3 + 1j, 1 + 0j, 2 + 5j, 1 + 0j, 0 + 1j]),
                          "k": [1, 0, 1, 1, 1]})
    view = BusyRegistry(frame)  # no sort keys: the full order, built here; the worker is busy
    try:
        (got, total), _, _ = view.window([("c", "asc")], "k == 1", 0, 10)
    finally:
        view.release()
    assert total == 4 and got.tolist() == [4, 3, 2, 0]
