"""The viewer behind gunicorn with several workers, in headless Chromium.

A page and the scripts it loads may each be answered by a different worker process; the grid
and the chart page must draw whichever worker answers what.
"""
from __future__ import annotations

import pytest

from conftest import FIRST_CELL, cell
from frames import bench_frame
from tests.live_servers import gunicorn

pytestmark = pytest.mark.browser

BARS = """() => { const gd = document.querySelector('[data-testid="chart-graph"] .js-plotly-plot');
                  return gd && gd._fullData && gd._fullData.length
                         && gd.querySelector('.trace.bars .point'); }"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn-browser")
    bench_frame(3_000).to_csv(folder / "sales.csv", index=False)
    live, origin = gunicorn(folder, 'dtale_lite.wsgi:serve("sales.csv")', "--preload",
                            "--workers", "2", "--threads", "4", env={"DTALE_LITE_KEY": ""})
    key = live.wait_for(r"key generated at start .*: (\S+)$")[1]
    yield origin, key
    live.stop()


@pytest.mark.parametrize("attempt", range(2))  # fresh connections spread over the workers
def test_grid_and_chart_draw_across_workers(served, page, attempt):
    origin, key = served
    page.goto(f"{origin}/frames/sales?key={key}")
    page.wait_for_selector(FIRST_CELL)
    assert cell(page, 2, "id").inner_text().strip() == "2"
    page.goto(f"{origin}/charts/sales?key={key}&type=bar&x=s_lo&y=f1&agg=mean")
    page.wait_for_function(BARS, timeout=30_000)
    assert "3,000 rows" in page.inner_text('[data-testid="chart-rows"]')
