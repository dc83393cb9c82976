"""The Flask host example in headless Chromium: its own Dash apps, and the viewer at /viewer."""
from __future__ import annotations

import pytest

from conftest import FIRST_CELL, cell
from tests.live_servers import start_flask_example

pytestmark = pytest.mark.browser

BARS = """() => { const gd = document.querySelector('[data-testid="chart-graph"] .js-plotly-plot');
                  return gd && gd._fullData && gd._fullData.length
                         && gd.querySelector('.trace.bars .point'); }"""


@pytest.fixture(scope="module")
def site():
    live, origin, key = start_flask_example()
    yield origin, key
    live.stop()


def test_the_hosts_dash_apps_and_the_viewer_render_side_by_side(site, page):
    origin, key = site
    # The host's Dash app on its own server still runs its callbacks after init_app.
    page.goto(f"{origin}/dash1/")
    page.wait_for_selector("#dash1-title")
    page.fill("#dash1-input", "mounted")
    page.wait_for_function(
        "() => document.querySelector('#dash1-echo')?.textContent === 'you typed: mounted'")
    page.goto(f"{origin}/dash2/")
    page.wait_for_selector("#dash2-graph .js-plotly-plot .trace.bars .point", timeout=30_000)

    # The grid under /viewer, from the host's own page link.
    page.goto(f"{origin}/")
    page.click("text=the demo frame")
    page.wait_for_selector(FIRST_CELL)
    assert page.url.startswith(f"{origin}/viewer/frames/1?key={key}")
    assert cell(page, 0, "id").inner_text().strip() == "0"
    assert cell(page, 1, "s_lo").inner_text().strip().startswith("cat_")
    assert page.inner_text('[data-testid="row-count"]') == "20,000 rows"

    # A chart under /viewer/charts/, drawn by the viewer's own Dash app.
    page.goto(f"{origin}/")
    page.click("text=a chart of it")
    page.wait_for_function(BARS, timeout=30_000)
    assert "20,000 rows" in page.inner_text('[data-testid="chart-rows"]')
    grid_link = page.get_attribute('[data-testid="grid-link"]', "href")
    assert grid_link.startswith(f"/viewer/frames/1?key={key}")
