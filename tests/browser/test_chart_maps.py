"""Maps draw offline (issue 16): with every request that is not to this machine refused, the
chart page draws the countries' shapes (served by our server under the key) under the points,
the density cells and a choropleth's coloured countries."""
from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest

from test_charts import GRAPH, PLOT_WAIT, choose, csp_errors, drawn, query  # noqa: F401

pytestmark = pytest.mark.browser

COUNTRIES = ["France", "Germany", "USA", "BRA", "japan", "India", "Atlantis"]
# The geo subplot's country borders: one path whose outline plotly.js computed from the
# topojson (empty without it).
BORDERS = f"{GRAPH} .geo .layer.countries path"
LOCATIONS = f"{GRAPH} .geo .choroplethlocation"


@pytest.fixture(scope="session")
def geo(dtale_lite_mod):
    rng = np.random.default_rng(3)
    n = 20_000
    frame = pd.DataFrame({"lat": rng.uniform(-50, 65, n), "lon": rng.uniform(-160, 170, n),
                          "value": rng.normal(size=n), "country": rng.choice(COUNTRIES, n)})
    return dtale_lite_mod.show(frame, name="geo20k")


@pytest.fixture
def offline(page):
    """Refuse every request to another host; the test asserts none was attempted."""
    refused: list[str] = []

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    yield refused
    assert not refused, f"requests to the internet: {refused}"


def shapes_drawn(page) -> None:
    page.wait_for_function(
        """(sel) => { const p = document.querySelector(sel);
                      return p && (p.getAttribute('d') || '').length > 1000; }""",
        arg=BORDERS, timeout=PLOT_WAIT)


@pytest.mark.parametrize("params, cells", [
    (dict(type="map", lat="lat", lon="lon"), True),
    (dict(type="map", lat="lat", lon="lon", filter="value > 2.5"), False),
], ids=["density", "points"])
def test_a_map_of_points_draws_offline(page, csp_errors, offline, geo, params, cells):
    page.goto(geo.chart_url(**params))
    drawn(page, "scattergeo")
    shapes_drawn(page)
    points = page.locator(f"{GRAPH} .scattergeo path.point")
    assert points.count() > 50
    note = page.inner_text('[data-testid="chart-note"]') if cells else ""
    assert ("drawn as a density" in note) == cells
    assert any("_geo/world_110m.json" in e for e in page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"))


def test_a_choropleth_colours_its_countries_offline(page, csp_errors, offline, geo):
    page.goto(geo.chart_url(type="map", locations="country", y="value", agg="mean"))
    drawn(page, "choropleth")
    shapes_drawn(page)
    page.wait_for_function("(sel) => document.querySelectorAll(sel).length === 6",
                           arg=LOCATIONS, timeout=PLOT_WAIT)
    fills = page.eval_on_selector_all(LOCATIONS,
                                      "els => els.map(e => getComputedStyle(e).fill)")
    assert all(fill.startswith("rgb") for fill in fills) and len(set(fills)) > 1
    outlines = page.eval_on_selector_all(LOCATIONS, "els => els.map(e => e.getAttribute('d'))")
    assert all(len(d or "") > 50 for d in outlines)
    assert "'Atlantis'" in page.inner_text('[data-testid="chart-note"]')


SLIDER_VALUE = f"{GRAPH} .slider-group > text.slider-label"  # the current value


def slider_value(page) -> str:
    return page.evaluate("(sel) => { const t = document.querySelector(sel);"
                         " return t ? t.textContent : null; }", SLIDER_VALUE)


@pytest.mark.parametrize("params, trace", [
    (dict(type="map", locations="country", y="value", agg="sum", animate_by="season"),
     "choropleth"),
    (dict(type="bar", x="country", animate_by="season"), "bar"),
], ids=["map", "bar"])
def test_an_animation_plays_its_frames(page, csp_errors, offline, geo_seasons, params, trace):
    page.goto(geo_seasons.chart_url(**params))
    drawn(page, trace)
    page.wait_for_function("(sel) => document.querySelector(sel) !== null", arg=SLIDER_VALUE)
    assert slider_value(page).strip() == "season: autumn"
    assert "4 frames by season" in page.inner_text('[data-testid="chart-note"]')
    page.locator(f"{GRAPH} .updatemenu-button", has_text="Play").click()
    page.wait_for_function("(sel) => document.querySelector(sel).textContent.includes('winter')",
                           arg=SLIDER_VALUE, timeout=PLOT_WAIT)


@pytest.fixture(scope="session")
def geo_seasons(dtale_lite_mod):
    rng = np.random.default_rng(4)
    n = 4_000
    frame = pd.DataFrame({"value": rng.normal(size=n), "country": rng.choice(COUNTRIES, n),
                          "season": rng.choice(["autumn", "spring", "summer", "winter"], n)})
    return dtale_lite_mod.show(frame, name="seasons")


def test_a_bar_page_switched_to_a_map_reloads_with_the_full_bundle_and_draws(page, csp_errors,
                                                                            offline, geo):
    page.goto(geo.chart_url(type="bar", x="country"))
    drawn(page, "bar")
    choose(page, "chart-type", "Map")
    drawn(page, "scattergeo")  # lat and lon picked by their names
    assert query(page)["lat"] == ["lat"] and query(page)["lon"] == ["lon"]
    shapes_drawn(page)


def test_clicking_a_country_offers_its_rows(page, csp_errors, offline, geo):
    page.goto(geo.chart_url(type="map", locations="country"))
    drawn(page, "choropleth")
    shapes_drawn(page)
    page.wait_for_function("(sel) => document.querySelectorAll(sel).length === 6",
                           arg=LOCATIONS, timeout=PLOT_WAIT)
    page.locator(LOCATIONS).first.click(force=True)
    link = page.locator('[data-testid="show-rows"]')
    link.wait_for(state="visible")
    assert "country" in page.inner_text('[data-testid="selection-filter"]')
