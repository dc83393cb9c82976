"""The chart kinds of issue 16 in a real headless Chromium: each draws (with the full
plotly.js bundle, which the cartesian pages do not load), and a cartesian page switched to one
of them reloads with that bundle and draws it."""
from __future__ import annotations

import pytest

from test_charts import GRAPH, PLOT_WAIT, choose, csp_errors, drawn, query  # noqa: F401

pytestmark = pytest.mark.browser

# A treemap or sunburst draws g.trace groups of slices (no bars, no heatmap image).
SLICES = f"{GRAPH} g.trace path.surface"
# The type of a 3D chart once its WebGL scene holds the trace's drawn objects, else null.
DRAWN_3D = """(sel) => {
    const gd = document.querySelector(sel);
    const scene = gd && gd._fullLayout && gd._fullLayout.scene && gd._fullLayout.scene._scene;
    if (!scene || !scene.glplot || !scene.glplot.objects.length) return null;
    const canvas = gd.querySelector('.gl-container canvas');
    return canvas && canvas.width > 100 ? gd._fullData[0].type : null;
}"""
KINDS = [
    dict(type="treemap", path=["s_lo", "i_small"], y="f2", agg="sum"),
    dict(type="sunburst", path=["s_lo", "flag"]),
    dict(type="funnel", x="i_small", y="f1", agg="count"),
    dict(type="candlestick", x="ts", y="f1", freq="month"),
    dict(type="scatter3d", x="f1", y="f3", z="f2", color="s_lo"),
    dict(type="surface", x="f1", y="f3", z="f2", agg="mean"),
]


def bundle_loaded(page) -> str:
    return page.evaluate("""() => performance.getEntriesByType('resource')
        .map(e => e.name).filter(n => n.includes('plotly.min.js')).join(' ')""")


@pytest.mark.parametrize("params", KINDS, ids=lambda p: p["type"])
def test_each_kind_draws_with_the_full_bundle(page, csp_errors, bench_1m, params):
    page.goto(bench_1m.chart_url(**params))
    if params["type"] in ("scatter3d", "surface"):
        page.wait_for_function(f"(sel) => ({DRAWN_3D})(sel) === {params['type']!r}", arg=GRAPH,
                               timeout=PLOT_WAIT)
    else:
        drawn(page, params["type"])
    if params["type"] in ("treemap", "sunburst"):
        assert page.locator(SLICES).count() > 3
    elif params["type"] == "funnel":
        # i_small has 1,000 values: the 20 most frequent stages and "Other".
        assert page.locator(f"{GRAPH} .trace.bars .point").count() == 21
    elif params["type"] == "candlestick":  # four years of months: 48 candles (boxes)
        assert page.locator(f"{GRAPH} .trace.boxes path.box").count() == 48
    else:  # WebGL, under the page's CSP (no 'unsafe-eval'): csp_errors stays empty
        assert page.locator(f"{GRAPH} .gl-container canvas").count() >= 1
        assert "sample of 20,000" in page.inner_text('[data-testid="chart-note"]') or \
            params["type"] == "surface"
    assert "bundle=full" in bundle_loaded(page)
    assert "1,000,000 rows" in page.inner_text('[data-testid="chart-rows"]')


def test_bars_on_a_second_axis_draw_with_the_cartesian_bundle(page, csp_errors, bench_1m):
    page.goto(bench_1m.chart_url(type="bar", x="s_lo", y="f1", y2="i_small", agg="mean"))
    drawn(page, "bar")
    assert page.locator(f"{GRAPH} .y2tick").count() > 2  # the right-hand axis's ticks
    assert page.locator(f"{GRAPH} .trace.bars .point").count() == 40  # 20 values x 2 series
    assert "bundle=full" not in bundle_loaded(page)


def test_small_multiples_draw_one_chart_per_value(page, csp_errors, bench_1m):
    page.goto(bench_1m.chart_url(type="bar", x="s_lo", y="f1", agg="mean", facet="flag"))
    drawn(page, "bar")
    assert page.locator(f"{GRAPH} .subplot.x2y2").count() == 1  # two facets: two subplots
    assert page.locator(f"{GRAPH} .trace.bars .point").count() == 40  # 20 values x 2 facets
    titles = page.locator(f"{GRAPH} .annotation-text").all_text_contents()
    assert "flag = False" in titles and "flag = True" in titles
    assert "bundle=full" not in bundle_loaded(page)


def test_a_cartesian_page_switched_to_a_treemap_reloads_and_draws_it(page, csp_errors,
                                                                      bench_1m):
    page.goto(bench_1m.chart_url(type="bar", x="s_lo"))
    drawn(page, "bar")
    assert "bundle=full" not in bundle_loaded(page)
    choose(page, "chart-type", "Treemap")
    drawn(page, "treemap")
    assert query(page)["type"] == ["treemap"] and query(page)["path"]
    assert "bundle=full" in bundle_loaded(page)
    assert page.locator(SLICES).count() > 3
