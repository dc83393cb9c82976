"""Every page is legible in both colour schemes (issue 17, defect 1).

Each page is opened in a Chromium context that emulates ``prefers-color-scheme: light`` and
``dark``; every visible text label must reach the WCAG AA contrast ratio against its effective
background (``contrast.py``), and the failures are named. Plotly's figures must follow the
scheme too: a dark paper in dark mode, a light one in light mode.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from contrast import describe_failures, low_contrast

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
GRAPH = '[data-testid="{}"] .js-plotly-plot'
PLOT_WAIT = 30_000
DRAWN = """(sel) => {
    const gd = document.querySelector(sel);
    return !!(gd && gd._fullLayout && gd.querySelector('.main-svg g.trace, .main-svg .hm'));
}"""
DRAWN_3D = """(sel) => {
    const gd = document.querySelector(sel);
    const scene = gd && gd._fullLayout && gd._fullLayout.scene && gd._fullLayout.scene._scene;
    return !!(scene && scene.glplot && scene.glplot.objects.length);
}"""
PAPER_LUMINANCE = """(sel) => {
    // Plotly paints its paper colour as the background of its first SVG.
    const svg = document.querySelector(sel).querySelector('.main-svg');
    const [r, g, b] = /rgba?\\(([^)]+)\\)/.exec(getComputedStyle(svg).backgroundColor)[1]
        .split(',').map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def people_frame(n: int = 2_000) -> pd.DataFrame:
    """The issue's kind of frame: a date, floats with NaN, text with None, a category, a flag."""
    rng = np.random.default_rng(17)
    region = np.array(["north", "south", "east", "west", None], dtype=object)
    price = rng.lognormal(3, 1, n)
    price[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        "price": price, "qty": rng.normal(10, 3, n),
        "region": pd.array(region[rng.integers(0, 5, n)], dtype="str"),
        "tier": pd.Categorical(rng.choice(["gold", "silver", "bronze"], n)),
        "customer": [f"c{i:05d}" for i in rng.integers(0, 1500, n)],
        "vip": rng.random(n) < 0.2,
    })


@pytest.fixture(scope="module")
def people(dtale_lite_mod):
    inst = dtale_lite_mod.show(people_frame(), name="people")
    yield inst
    inst.kill()


@pytest.fixture(params=SCHEMES)
def scheme(request):
    return request.param


@pytest.fixture
def context(browser, scheme):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme=scheme)
    yield ctx
    ctx.close()


def assert_legible(page, what: str, graph: str | None = None) -> None:
    """Every label reaches its ratio and (with ``graph``) the plot's paper follows the scheme."""
    checked, failures = low_contrast(page)
    assert checked >= 3, f"{what}: found only {checked} text labels to check"
    problems = []
    if failures:
        problems.append("labels below the WCAG AA contrast ratio:\n" + describe_failures(failures))
    if graph is not None:
        lum = page.evaluate(PAPER_LUMINANCE, graph)
        if "dark" in what and lum > 0.25:
            problems.append(f"the plot's paper is light (luminance {lum:.2f}) in dark mode")
        if "light" in what and lum < 0.75:
            problems.append(f"the plot's paper is dark (luminance {lum:.2f}) in light mode")
    assert not problems, f"{what}: " + "\n".join(problems)


def test_the_index_page_is_legible(page, people, scheme):
    page.goto(f"{people.base_url}/?key={people.key}")
    page.locator('[data-testid="frame-list"]').wait_for()
    assert_legible(page, f"index page, {scheme}")


def test_the_grid_its_menu_and_describe_panel_are_legible(page, people, scheme):
    page.goto(people.url)
    page.wait_for_selector('[row-index="0"] [col-id="price"] [data-testid="cell-value"]')
    assert_legible(page, f"grid page, {scheme}")
    page.click('[data-testid="header-price"] [data-testid="header-menu"]')
    page.locator('[data-testid="column-menu"]').wait_for()
    assert_legible(page, f"column menu, {scheme}")
    page.click('[data-testid="menu-describe"]')
    page.locator('[data-testid="histogram"]').wait_for()
    assert_legible(page, f"describe panel, {scheme}")


def test_the_chart_page_is_legible_and_its_plot_follows_the_scheme(page, people, scheme):
    page.goto(people.chart_url(type="bar", x="region"))
    graph = GRAPH.format("chart-graph")
    page.wait_for_function(DRAWN, arg=graph, timeout=PLOT_WAIT)
    page.locator('[data-testid="chart-log"]').get_by_text("log y").wait_for()
    page.locator('[data-testid="chart-barmode"]').get_by_text("stacked").wait_for()
    assert_legible(page, f"chart page, {scheme}", graph)


def test_the_correlations_page_is_legible_and_its_plot_follows_the_scheme(page, people,
                                                                          scheme):
    page.goto(people.correlations_url())
    graph = GRAPH.format("corr-graph")
    page.wait_for_function(DRAWN, arg=graph, timeout=PLOT_WAIT)
    page.locator('[data-testid="corr-method"]').get_by_text("Spearman").wait_for()
    assert_legible(page, f"correlations page, {scheme}", graph)


@pytest.mark.parametrize("params", [
    dict(type="treemap", path=["region", "tier"], y="price", agg="sum"),
    dict(type="sunburst", path=["tier", "vip"]), dict(type="funnel", x="tier", y="qty"),
    dict(type="candlestick", x="date", y="price", freq="week"),
    # 3D: the legend and colour bar are SVG text (the scene's axes are WebGL's).
    dict(type="scatter3d", x="price", y="qty", z="date", color="tier"),
    dict(type="surface", x="price", y="qty", z="qty", agg="count"),
], ids=lambda p: p["type"])
def test_the_kinds_on_the_full_bundle_are_legible(page, people, scheme, params):
    # Issue 16: treemap, sunburst and funnel draw with plotly.js's full bundle; the scheme's
    # template must reach it too.
    page.goto(people.chart_url(**params))
    graph = GRAPH.format("chart-graph")
    page.wait_for_function(DRAWN_3D if "3" in params["type"] or params["type"] == "surface"
                           else DRAWN, arg=graph, timeout=PLOT_WAIT)
    assert_legible(page, f"{params['type']} chart page, {scheme}", graph)


def test_the_grid_and_chart_page_are_legible_in_the_other_theme_chosen(page, people, scheme):
    # The View menu's theme toggle (issue 16) against the system's scheme: `theme` in the URL.
    other = "dark" if scheme == "light" else "light"
    page.goto(f"{people.url}&theme={other}")
    page.wait_for_selector('[row-index="0"] [col-id="price"] [data-testid="cell-value"]')
    assert_legible(page, f"grid page, {other} chosen against the system scheme")
    page.goto(people.chart_url(type="bar", x="region") + f"&theme={other}")
    graph = GRAPH.format("chart-graph")
    page.wait_for_function(DRAWN, arg=graph, timeout=PLOT_WAIT)
    page.locator('[data-testid="chart-log"]').get_by_text("log y").wait_for()
    assert_legible(page, f"chart page, {other} chosen against the system scheme", graph)


def test_an_analysis_page_and_its_analyze_menu_are_legible(page, people, scheme):
    page.goto(people.url)
    page.wait_for_selector('[row-index="0"] [col-id="price"] [data-testid="cell-value"]')
    page.click('[data-testid="analyze-menu"] summary')
    page.locator('[data-testid="analyze-missing"]').wait_for()
    assert_legible(page, f"analyze menu, {scheme}")
    page.goto(people.analysis_url("missing"))
    graph = GRAPH.format("analysis-graph")
    page.wait_for_function(DRAWN, arg=graph, timeout=PLOT_WAIT)
    assert_legible(page, f"missing-values page, {scheme}", graph)
