"""Charts under admission control: superseded requests are dropped, at most `workers` build at
once, results are cached until the frame changes, and a live server keeps serving pages while
a long chart computation runs."""
from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest
import requests

from dtale_lite.charts.figure import decode
from dtale_lite.charts.service import Charts
from dtale_lite.charts.spec import ChartSpec
from dtale_lite.frames.errors import Superseded
from dtale_lite.server.registry import Registry
from dtale_lite.frames.source import PandasSource
from dtale_lite.app.viewer import Viewer

from tests.conftest import small_frame
from tests.server.test_server import wait_until

SPEC = ChartSpec(type="bar", x="s_lo", y=("f1",))


class CountingSource(PandasSource):
    """A pandas source that records how many chart aggregations run at the same moment."""

    def __init__(self, frame, delay=0.2):
        super().__init__(frame)
        self.delay, self.running, self.most = delay, 0, 0
        self._lock = threading.Lock()

    def group_aggregate(self, *args):
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.delay)
        try:
            return super().group_aggregate(*args)
        finally:
            with self._lock:
                self.running -= 1


def busy(admission):
    """Hold one slot of ``admission`` from another thread until the returned event is set."""
    release, held = threading.Event(), threading.Event()

    def hold():
        with admission.slot():
            held.set()
            release.wait(30)

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(5)
    return release


def test_a_request_replaced_by_a_newer_one_from_the_same_page_is_dropped():
    registry = Registry(slots=1)
    registry.add(small_frame(), "small")
    charts = Charts(registry)
    release = busy(registry.admission)  # the only slot is taken
    outcome = {}

    def ask(name, spec):
        try:
            outcome[name] = charts.chart("small", spec, client="page-1")
        except Superseded as error:
            outcome[name] = error

    first = threading.Thread(target=ask, args=("first", SPEC))
    first.start()
    assert wait_until(lambda: registry.admission.stats()["waiting"] == 1)
    second = threading.Thread(target=ask, args=("second", ChartSpec(type="pie", x="s_lo")))
    second.start()
    first.join(5)
    assert isinstance(outcome["first"], Superseded) and outcome["first"].status == 409
    release.set()
    second.join(5)
    assert outcome["second"].figure["data"][0]["type"] == "pie"
    assert registry.cache.computed == 1  # the dropped request computed nothing


def test_other_pages_are_not_superseded():
    registry = Registry(slots=1)
    registry.add(small_frame(), "small")
    charts = Charts(registry)
    charts.chart("small", SPEC, client="a")
    charts.chart("small", ChartSpec(type="pie", x="s_lo"), client="b")
    charts.chart("small", ChartSpec(type="pie", x="cat"), client=None)


def test_at_most_workers_charts_build_at_once():
    registry = Registry(slots=2)
    source = CountingSource(small_frame())
    registry.add(source, "small")
    charts = Charts(registry)
    specs = [ChartSpec(type="bar", x="s_lo", y=("f1",), agg=agg)
             for agg in ("mean", "sum", "min", "max", "count", "median")]
    threads = [threading.Thread(target=charts.chart, args=("small", s)) for s in specs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert source.most == 2


def test_a_chart_is_built_once_until_the_frame_changes():
    registry = Registry()
    entry = registry.add(small_frame(), "small")
    charts = Charts(registry)
    first = charts.chart("small", SPEC)
    assert charts.chart("small", SPEC) is first
    registry.update(entry.id, small_frame(50))
    assert charts.chart("small", SPEC).rows == 50


def test_filter_of_the_spec_is_applied():
    registry = Registry()
    frame = small_frame()
    registry.add(frame, "small")
    result = Charts(registry).chart("small", ChartSpec(type="bar", x="s_lo", filter="f1 > 0"))
    assert result.rows == int((frame.f1 > 0).sum())
    counts = decode(result.figure["data"][0]["y"])
    assert counts.sum() == int((frame.f1 > 0).sum())  # a "(missing)" bar counts the rest


@pytest.fixture
def viewer():
    viewer = Viewer()
    yield viewer
    viewer.shutdown()


def test_pages_keep_answering_while_a_long_chart_is_computed(viewer):
    rng = np.random.default_rng(0)
    n = 3_000_000
    frame = pd.DataFrame({f"c{i}": rng.standard_normal(n) for i in range(6)})
    frame.iloc[::7, 0] = np.nan  # missing values in different rows: the slow Spearman path
    inst = viewer.show(frame, "big")
    headers = {"X-Dtale-Lite-Key": inst.key}
    done = {}

    def long_chart():
        response = requests.get(f"{inst.base_url}/api/frames/big/correlations?method=spearman",
                                headers=headers, timeout=120)
        done["chart"] = (time.monotonic(), response.status_code)

    worker = threading.Thread(target=long_chart)
    worker.start()
    time.sleep(0.3)  # the correlation has started
    pages = []
    for offset in range(0, 2000, 100):
        response = requests.get(f"{inst.base_url}/api/frames/big/rows?offset={offset}",
                                headers=headers, timeout=30)
        assert response.status_code == 200
        pages.append(time.monotonic())
    worker.join(120)
    assert done["chart"][1] == 200
    # Every page came back before the long computation finished: nothing queued behind it.
    assert max(pages) < done["chart"][0], "pages waited for the chart"


def test_a_running_correlation_stops_when_its_page_asks_for_something_else(viewer):
    rng = np.random.default_rng(1)
    n = 3_000_000
    frame = pd.DataFrame({f"c{i}": rng.standard_normal(n) for i in range(6)})
    frame.iloc[::5, 1] = np.nan
    inst = viewer.show(frame, "big")
    headers = {"X-Dtale-Lite-Key": inst.key}
    first = {}

    def slow():
        first["response"] = requests.get(
            f"{inst.base_url}/api/frames/big/correlations?method=spearman&client=page-7",
            headers=headers, timeout=120)

    worker = threading.Thread(target=slow)
    worker.start()
    admission = viewer.registry.admission
    assert wait_until(lambda: admission.stats()["running"] == 1)
    time.sleep(0.3)  # the ranking of the columns is under way
    newer = requests.get(f"{inst.base_url}/api/frames/big/chart?type=histogram&x=c0"
                         f"&client=page-7", headers=headers, timeout=60)
    worker.join(120)
    assert newer.status_code == 200
    body = first["response"].json()
    assert first["response"].status_code == 409 and "replaced" in body["error"]
