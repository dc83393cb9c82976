"""The grid and a chart in Chromium over frames that are not pandas (issue 9): a Polars frame
shown with show(), a Parquet file with show_file() through DuckDB. What a person sees is
checked against pandas' own answer on the same data."""
from __future__ import annotations

import polars as pl
import pytest

from conftest import cell, readme_scene, save_screenshot, wait_first_rows
from dtale_lite.frames.benchframe import bench_frame

from test_grid import apply_filter, fmt_float, wait_cell

pytestmark = pytest.mark.browser

ROWS = 200_000


@pytest.fixture(scope="module")
def frame():
    return bench_frame(ROWS)


@pytest.fixture(scope="module", params=["polars", "duckdb"])
def shown(request, dtale_lite_mod, frame, tmp_path_factory):
    polars_frame = pl.from_pandas(frame)
    if request.param == "polars":
        inst = dtale_lite_mod.show(polars_frame, name="engine_polars")
    else:
        path = tmp_path_factory.mktemp("parquet") / "bench.parquet"
        polars_frame.write_parquet(path, row_group_size=50_000)
        inst = dtale_lite_mod.show_file(path, name="engine_duckdb", memory_limit="512MB")
    yield request.param, inst
    inst.kill()


def test_the_grid_pages_sorts_filters_and_describes_through_the_engine(page, shown, frame):
    engine, inst = shown
    page.goto(inst.url)
    wait_first_rows(page)
    assert page.inner_text('[data-testid="frame-engine"]') == engine
    assert page.inner_text('[data-testid="row-count"]') == f"{ROWS:,} rows"
    assert cell(page, 0, "id").inner_text().strip() == "0"
    # a header click sorts descending on the second click, through the engine
    label = page.locator('[data-testid="header-f1"] [data-testid="header-label"]')
    label.click()
    wait_cell(page, 0, "f1", fmt_float(frame.f1.min()))
    label.click()
    wait_cell(page, 0, "f1", fmt_float(frame.f1.max()))
    # a filter, and the count the engine gives
    apply_filter(page, 'f1 > 1 and s_lo == "cat_03"')
    n = int(((frame.f1 > 1) & (frame.s_lo == "cat_03")).sum())
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t",
                           arg=f"{n:,} of {ROWS:,} rows")
    # the sorted, filtered view starts where pandas' does
    expected = frame[(frame.f1 > 1) & (frame.s_lo == "cat_03")].sort_values(
        "f1", ascending=False, kind="stable", na_position="last")
    wait_cell(page, 0, "id", str(expected.id.iloc[0]))
    wait_cell(page, 1, "id", str(expected.id.iloc[1]))
    # describe follows the filter
    page.click('[data-testid="header-i_small"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    panel = page.locator('[data-testid="column-panel"]')
    panel.locator('[data-testid="panel-figures"]').wait_for()
    assert panel.locator('[data-testid="figure-count"] td').inner_text() == \
        f"{expected.i_small.count():,}"
    assert panel.locator('[data-testid="figure-mean"] td').inner_text() == \
        fmt_float(expected.i_small.mean())


def test_a_chart_draws_from_the_engine(page, shown, frame):
    _, inst = shown
    page.goto(inst.chart_url(type="bar", x="s_lo", y="f1", agg="mean"))
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=30_000)
    assert page.locator(".js-plotly-plot .bars path").count() == frame.s_lo.nunique()


def test_screenshot_for_the_readme(page, shown):
    """The README's picture of a Parquet file read through DuckDB, sorted and filtered, with
    a column described. Rewritten only on request (DTALE_LITE_SCREENSHOT=1)."""
    engine, inst = shown
    readme_scene(page, inst.url, describe="s_hi", sort="ts",
                 ready='[data-testid="panel-figures"]')
    save_screenshot(page, f"engine-{engine}.png", for_readme=engine == "duckdb")
