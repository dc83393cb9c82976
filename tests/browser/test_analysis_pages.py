"""The analysis pages (issue 16) in a real headless Chromium: each draws, and its marks and
"Show these rows" open the grid filtered to the rows they stand for."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import wait_first_rows
from tests.conftest import small_frame

pytestmark = pytest.mark.browser

GRAPH = '[data-testid="analysis-graph"] .js-plotly-plot'
WAIT = 30_000
DRAWN = """(sel) => {
    const gd = document.querySelector(sel);
    return !!(gd && gd._fullData && gd._fullData.length
              && gd.querySelector('g.trace, .hm image, .heatmaplayer image, .boxlayer path'));
}"""


@pytest.fixture(scope="module")
def small(dtale_lite_mod):
    """tests/conftest.py's small frame (200 rows with missing values everywhere)."""
    return dtale_lite_mod.show(frame(), name="analysis_small")


def frame():
    """The small frame and a column with three far values (outliers by any fence)."""
    data = small_frame()
    data["spiky"] = data["f1"].fillna(0.0)
    data.loc[[0, 50, 100], "spiky"] = 25.0
    return data


def drawn(page) -> None:
    page.wait_for_function(DRAWN, arg=GRAPH, timeout=WAIT)


def grid_count(grid, text: str) -> None:
    wait_first_rows(grid)
    grid.wait_for_function(
        "(n) => document.querySelector('[data-testid=\"row-count\"]')?.textContent"
        ".startsWith(n)", arg=text, timeout=WAIT)


@pytest.mark.parametrize("view, params", [
    ("missing", {}), ("outliers", {"column": "f1"}),
    ("duplicates", {"columns": '["s_lo", "flag"]'}),
    ("timeseries", {"x": "ts", "y": "f1", "freq": "month"})])
def test_each_analysis_page_draws(page, small, view, params):
    page.goto(small.analysis_url(view, **params))
    drawn(page)
    assert page.locator('[data-testid="chart-message"]').is_hidden()
    assert "rows" in page.inner_text('[data-testid="analysis-summary"]')


def test_clicking_a_missing_column_opens_the_grid_on_its_missing_rows(page, small):
    page.goto(small.analysis_url("missing"))
    drawn(page)
    columns = list(small_frame().columns)
    # The bar of f1 (third column): Dash's nav Location opens the grid in this tab.
    page.locator(f"{GRAPH} .trace.bars .point path").nth(columns.index("f1")).click(force=True)
    page.wait_for_url("**/frames/**", timeout=WAIT)
    expected = int(small_frame()["f1"].isna().sum())
    grid_count(page, f"{expected:,} of 200")
    assert page.input_value('[data-testid="filter-input"]') == "f1 is null"


def test_show_these_rows_opens_the_grid_on_the_outliers(page, small):
    page.goto(small.analysis_url("outliers", column="spiky", method="iqr",
                                 filter="i_small >= 1"))
    drawn(page)
    link = page.locator('[data-testid="show-rows"]')
    link.wait_for(state="visible", timeout=WAIT)
    values = frame().query("i_small >= 1")["spiky"]
    q1, q3 = values.quantile([0.25, 0.75])
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    expected = int(((values < low) | (values > high)).sum())
    assert expected > 0
    with page.context.expect_page() as opened:
        link.click()
    grid_count(opened.value, f"{expected:,} of 200")


def test_the_analyze_menu_opens_each_page_on_the_grids_filter(page, small):
    page.goto(small.url + "&filter=" + "flag%20%3D%3D%20true")
    wait_first_rows(page)
    page.click('[data-testid="analyze-menu"] summary')
    for view in ("missing", "outliers", "duplicates", "timeseries"):
        href = page.get_attribute(f'[data-testid="analyze-{view}"]', "href")
        parts = urlsplit(href)
        assert parts.path == f"/charts/{small.id}/{view}"
        assert parse_qs(parts.query)["filter"] == ["flag == true"]
    with page.context.expect_page() as opened:
        page.click('[data-testid="analyze-missing"]')
    analysis = opened.value
    drawn(analysis)
    view = frame()[frame().flag]
    assert analysis.inner_text('[data-testid="analysis-summary"]') == \
        f"{len(view):,} rows, {int(view.isna().sum().sum()):,} missing cells"


def test_a_bad_setting_is_a_message_naming_it(page, small):
    page.goto(small.analysis_url("outliers", column="s_lo"))
    message = page.locator('[data-testid="chart-message"]')
    message.wait_for(state="visible", timeout=WAIT)
    assert "parameter 'column'" in message.inner_text()
    assert page.locator('[data-testid="show-rows"]').is_hidden()
