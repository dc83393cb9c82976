"""What the chart page says about its own settings (issue 17): a column the frame does not
have is named, not replaced; the controls show the aggregation and frequency the chart uses;
missing values are a mark of their own, and a ``dropna`` box leaves them out with a note."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
import requests

from test_charts import GRAPH, PLOT_WAIT, drawn, settled

pytestmark = pytest.mark.browser


def sales_frame(n: int = 2_000) -> pd.DataFrame:
    """Issue 17's frame in small: dates, revenue with gaps, a region with None."""
    rng = np.random.default_rng(17)
    region = pd.Series(np.array(["north", "south", "east", "west"], dtype=object)[
        rng.integers(0, 4, n)], dtype=object)
    region[rng.random(n) < 0.02] = None
    revenue = rng.gamma(2.0, 50.0, n)
    revenue[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90 * 86400, n),
                                                             unit="s"),
        "revenue": revenue, "region": region})


@pytest.fixture(scope="module")
def sales_df():
    return sales_frame()


@pytest.fixture(scope="module")
def sales(dtale_lite_mod, sales_df):
    return dtale_lite_mod.show(sales_df, name="sales17")


def shown(page, control: str) -> str:
    """The text a control shows (a dropdown's chosen label)."""
    return page.inner_text(f'[data-testid="{control}"]').strip()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_an_unknown_column_is_named_and_the_other_settings_stay(page, sales):
    url = sales.chart_url(type="bar", x="nosuchcol", y="revenue")
    route = requests.get(url.replace("/charts/", "/api/frames/", 1).replace("?", "/chart?", 1),
                         timeout=30)
    assert route.status_code == 400
    page.goto(url)
    message = page.locator('[data-testid="chart-message"]')
    message.wait_for(state="visible", timeout=PLOT_WAIT)
    settled(page, 1_000)
    # Still the message, not a chart of some other column drawn in its place.
    assert message.is_visible() and not page.locator(GRAPH).is_visible()
    assert message.inner_text() == route.json()["error"]
    assert shown(page, "chart-type") == "Bar" and shown(page, "chart-y") == "revenue"
    assert query(page)["x"] == ["nosuchcol"] and query(page)["y"] == ["revenue"]


def test_the_controls_show_the_aggregation_and_frequency_the_chart_uses(page, sales):
    page.goto(sales.chart_url(type="bar", x="date", y="revenue"))
    drawn(page, "bar")
    settled(page)
    # 90 days: day buckets (the finest with at most 400 periods), mean of a value column.
    assert shown(page, "chart-agg") == "mean"
    assert shown(page, "chart-freq") == "day"
    assert "agg" not in query(page) and "freq" not in query(page)  # still the defaults


def test_rows_without_a_region_are_a_bar_and_leave_out_says_how_many(page, sales, sales_df):
    missing = int(sales_df.region.isna().sum())
    page.goto(sales.chart_url(type="bar", x="region"))
    drawn(page, "bar")
    settled(page)
    labels = page.evaluate(f"() => Array.from(document.querySelector('{GRAPH}')._fullData[0].x)")
    assert labels == ["east", "north", "south", "west", "(missing)"]
    assert page.inner_text('[data-testid="chart-rows"]') == f"{len(sales_df):,} rows, 5 marks"
    assert not page.locator('[data-testid="chart-note"]').is_visible()
    page.locator('[data-testid="chart-dropna"] input').check()
    page.wait_for_function("() => location.search.includes('dropna=1')", timeout=PLOT_WAIT)
    note = page.locator('[data-testid="chart-note"]')
    note.wait_for(state="visible", timeout=PLOT_WAIT)
    assert note.inner_text() == f"{missing} rows with no region left out"
    assert page.locator(f"{GRAPH} .trace.bars .point").count() == 4
    page.reload()  # dropna lives in the URL
    drawn(page, "bar")
    page.locator('[data-testid="chart-note"]').wait_for(state="visible", timeout=PLOT_WAIT)
    assert page.locator('[data-testid="chart-dropna"] input').is_checked()


def test_a_correlation_near_zero_reads_without_a_sign(page, dtale_lite_mod):
    # corr(0..999, alternating +1/-1) = -0.0017: "-0.00" before issue 17.
    x = np.arange(1_000.0)
    inst = dtale_lite_mod.show(pd.DataFrame({"x": x, "y": (-1.0) ** x}), name="nearzero17")
    page.goto(inst.correlations_url())
    graph = '[data-testid="corr-graph"] .js-plotly-plot'
    drawn(page, "heatmap", graph)
    page.wait_for_function(f"() => document.querySelectorAll('{graph} text.heatmap-label, "
                           f"{graph} g.heatmaplayer text').length >= 4", timeout=PLOT_WAIT)
    cells = page.evaluate(f"() => Array.from(document.querySelectorAll('{graph} "
                          f"g.heatmaplayer text'), t => t.textContent)")
    assert sorted(cells) == ["0.00", "0.00", "1.00", "1.00"]
