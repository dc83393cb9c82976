"""Waiting for a sorted view's full order or selecting around the window (issue 14): the pure
choice with injected costs, then the Planner following it with a real background build that
the test holds and releases. Behaviour only: which path a page takes and what it returns,
never how long it took."""
from __future__ import annotations

import json
import math
import threading
import time

import numpy as np
import pytest

from dtale_lite.frames import sortwindow
from dtale_lite.frames.background import Background
from dtale_lite.frames.pagecost import CostModel, choose
from dtale_lite.frames.view import Planner, parse_view
from dtale_lite.server.registry import Registry

from tests.conftest import small_frame

# short_build_s=0: every build counts as long here; the short ones have their own tests.
FLAT = CostModel(build_ns={"number": 10.0, "string": 40.0},
                 select_ns={"number": 1.0, "string": 20.0}, select_base_s=0.0,
                 short_build_s=0.0)


# -- the choice ----------------------------------------------------------------------------
def test_with_no_build_running_a_page_selects():
    choice = choose(FLAT, 1_000_000, ["number"], None)
    assert not choice.wait and choice.wait_budget_s == 0.0 and choice.remaining_s is None


@pytest.mark.parametrize("rows", [10_000, 1_000_000, 10_000_000])
def test_a_page_waits_only_for_a_build_about_to_end(rows):
    build = FLAT.build_seconds(rows, ["number"])
    select = FLAT.select_seconds(rows, ["number"])
    assert build > select  # the model: a full order costs more than one window
    just_started = choose(FLAT, rows, ["number"], 0.0)
    assert not just_started.wait
    almost_done = choose(FLAT, rows, ["number"], build - select / 2)
    assert almost_done.wait and almost_done.wait_budget_s == pytest.approx(select)
    assert almost_done.remaining_s == pytest.approx(select / 2)


def test_a_build_past_its_estimate_is_not_waited_for():
    build = FLAT.build_seconds(1_000_000, ["number"])
    assert not choose(FLAT, 1_000_000, ["number"], build * 1.5).wait


def test_the_measured_selection_outweighs_the_model():
    build = FLAT.build_seconds(1_000_000, ["number"])
    elapsed = build - 0.5  # half a second left
    assert not choose(FLAT, 1_000_000, ["number"], elapsed).wait  # the model: ~1 ms select
    measured = choose(FLAT, 1_000_000, ["number"], elapsed, measured_select_s=0.8)
    assert measured.wait and measured.wait_budget_s == 0.8


def test_keys_add_up_and_strings_cost_more():
    one = FLAT.build_seconds(10**6, ["number"])
    assert FLAT.build_seconds(10**6, ["number", "number"]) == pytest.approx(2 * one)
    assert FLAT.build_seconds(10**6, ["string"]) > one
    assert FLAT.select_seconds(10**6, ["string"]) > FLAT.select_seconds(10**6, ["number"])


def test_the_measured_model_waits_for_1m_rows_and_selects_at_10m():
    """With the figures measured on this machine: a 1M-row order (0.11-0.16 s here) is short,
    so pages wait for it; a 10M-row one (~2 s) is long, and a page that comes as it begins
    selects."""
    model = CostModel()
    for kind in ("number", "string"):
        assert choose(model, 1_000_000, [kind], 0.0).wait
        assert not choose(model, 10_000_000, [kind], 0.0).wait
    assert choose(model, 300, ["number"], 0.0).wait


@pytest.mark.parametrize("elapsed", [0.0, 0.05, 0.5])
def test_a_short_build_is_waited_for_until_its_expected_end_plus_one_selection(elapsed):
    short = CostModel(build_ns={"number": 10.0}, select_ns={"number": 1.0},
                      select_base_s=0.0, short_build_s=1.0)
    rows = 1_000_000
    build, select = short.build_seconds(rows, ["number"]), short.select_seconds(rows, ["number"])
    assert build <= 1.0
    choice = choose(short, rows, ["number"], elapsed)
    assert choice.wait
    assert choice.wait_budget_s == pytest.approx(max(build - elapsed, 0.0) + select)


def test_a_build_that_has_not_begun_is_never_waited_for_even_when_short():
    assert not choose(CostModel(), 1_000_000, ["number"], None).wait


# -- the Planner follows it ----------------------------------------------------------------
FRAME = small_frame(300, seed=5)
SORT = [["f1", "asc"], ["id", "desc"]]


def wanted() -> np.ndarray:
    return FRAME.reset_index(drop=True).sort_values(
        ["f1", "id"], ascending=[True, False], kind="stable", na_position="last").index.to_numpy()


class HeldBuild:
    """A registry whose background worker is running the view's full order, held until
    ``release()``; selections are counted."""

    def __init__(self, monkeypatch):
        self.registry = Registry()
        self.registry.background = Background(workers=1)
        self.entry = self.registry.add(FRAME, "f")
        self.spec = parse_view({"sort": json.dumps(SORT)}, self.entry.source.columns())
        key = Planner.of(self.registry)._order_key(self.entry, self.spec)
        self.started, self.released = threading.Event(), threading.Event()

        def build():
            self.started.set()
            self.released.wait(30)
            return wanted()

        self.job = self.registry.background.submit(key, build)
        assert self.started.wait(10)
        self.selections = 0
        select = sortwindow.window_rows

        def counted(*args, **kwargs):
            self.selections += 1
            return select(*args, **kwargs)

        monkeypatch.setattr(sortwindow, "window_rows", counted)

    def planner(self, costs: CostModel, clock=None) -> Planner:
        clock = clock or (lambda: self.job.started_at)  # the build has just begun
        return Planner(self.registry.cache, self.registry.background,
                       self.registry.is_current, costs=costs, clock=clock)

    def release(self):
        self.released.set()
        assert self.registry.background.wait_idle()
        self.registry.background.close()


def model(build_s: float, select_s: float, rows: int = len(FRAME), keys: int = 2) -> CostModel:
    """A model whose build of this view takes ``build_s`` and a selection ``select_s``."""
    per_key = build_s / keys / (rows * math.log2(rows)) * 1e9
    return CostModel(build_ns={"number": per_key}, select_ns={"number": 0.0},
                     select_base_s=select_s, short_build_s=0.0)


def test_a_page_waits_for_a_build_that_ends_sooner_than_its_selection(monkeypatch):
    held = HeldBuild(monkeypatch)
    planner = held.planner(model(build_s=0.001, select_s=30.0))
    threading.Timer(0.2, held.released.set).start()
    (got, total), = [planner.window(held.entry, held.spec, 120, 50)]
    assert total == 300 and np.array_equal(got, wanted()[120:170])
    assert held.selections == 0 and held.job.done
    held.release()


def test_a_page_selects_when_the_build_would_take_longer(monkeypatch):
    held = HeldBuild(monkeypatch)
    planner = held.planner(model(build_s=60.0, select_s=0.001))
    got, _ = planner.window(held.entry, held.spec, 120, 50)
    assert np.array_equal(got, wanted()[120:170])
    assert held.selections == 1 and not held.job.done  # returned while the build was held
    held.release()


def test_a_page_waits_no_longer_than_its_selection_would_take_then_selects(monkeypatch):
    held = HeldBuild(monkeypatch)
    planner = held.planner(model(build_s=0.001, select_s=0.05))  # the estimate is wrong
    got, _ = planner.window(held.entry, held.spec, 250, 100)
    assert np.array_equal(got, wanted()[250:350])
    assert held.selections == 1 and not held.job.done
    held.release()


def test_later_pages_weigh_waiting_against_the_first_pages_measured_selection(monkeypatch):
    held = HeldBuild(monkeypatch)
    start = held.job.started_at
    # The first page comes as the build begins and its selection is measured as 5 s long
    # (the clock is the test's); the next page comes 0.5 s into a build the model expects to
    # take 1 s, and a selection 1 ms.
    ticks = iter([start, start, start + 5.0, start + 0.5])
    planner = held.planner(model(build_s=1.0, select_s=0.001), clock=lambda: next(ticks))
    first, _ = planner.window(held.entry, held.spec, 0, 20)
    assert held.selections == 1
    threading.Timer(0.2, held.released.set).start()
    later, _ = planner.window(held.entry, held.spec, 200, 20)
    assert held.selections == 1  # waited for the build: 0.5 s left < 5 s measured
    assert np.array_equal(first, wanted()[:20]) and np.array_equal(later, wanted()[200:220])
    held.release()


def test_the_full_order_is_held_while_pages_come_and_built_at_once_when_needed():
    registry = Registry()
    registry.background = Background(workers=1)
    entry = registry.add(FRAME, "f")
    spec = parse_view({"sort": json.dumps(SORT)}, entry.source.columns())
    long_builds = CostModel(short_build_s=0.0)  # every build counts as long
    planner = Planner(registry.cache, registry.background, registry.is_current,
                      costs=long_builds, quiet_s=600)
    first, _ = planner.window(entry, spec, 0, 30)
    job = registry.background.pending(planner._order_key(entry, spec))
    later, _ = planner.window(entry, spec, 150, 30)
    assert job.started_at is None  # held: pages keep coming
    assert np.array_equal(first, wanted()[:30]) and np.array_equal(later, wanted()[150:180])
    # An export needs every position now: the hold ends and the order is built.
    assert np.array_equal(planner.positions(entry, spec), wanted())
    registry.background.close()


def test_a_short_build_starts_at_once_and_the_next_page_is_a_slice_of_it(monkeypatch):
    """A view whose order the model calls short: its first page is selected, its build is not
    held, and the page after it waits for that build instead of selecting again."""
    registry = Registry()
    registry.background = Background(workers=1)
    entry = registry.add(FRAME, "f")
    spec = parse_view({"sort": json.dumps(SORT)}, entry.source.columns())
    # Expected to take ~5 s (so the wait's budget is generous), and "short" below 60 s.
    slow_but_short = CostModel(build_ns={"number": 1e6}, select_ns={"number": 0.0},
                               short_build_s=60.0)
    planner = Planner(registry.cache, registry.background, registry.is_current,
                      costs=slow_but_short, quiet_s=600)
    selections = []
    select = sortwindow.window_rows
    monkeypatch.setattr(sortwindow, "window_rows",
                        lambda *a, **k: selections.append(a) or select(*a, **k))
    first, _ = planner.window(entry, spec, 0, 30)
    job = registry.background.pending(planner._order_key(entry, spec))
    # A build still queued is not waited for (its worker may be busy for long): this test is
    # about one that began, so it lets the worker take it first.
    while job is not None and job.started_at is None and not job.done:
        time.sleep(0.001)
    later, _ = planner.window(entry, spec, 150, 30)
    assert len(selections) == 1
    assert np.array_equal(first, wanted()[:30]) and np.array_equal(later, wanted()[150:180])
    assert registry.cache.peek(planner._order_key(entry, spec)) is not None
    registry.background.close()
