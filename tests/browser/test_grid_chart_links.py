"""The grid's links into the chart builder (issue 6), in a real headless Chromium.

The chart pages are built separately, so these tests check where the links go (their hrefs,
parsed, and the address a click opens), never what the chart page shows. The page and the
JSON chart route read the same parameters, so each link's query is also asked of the route,
which must draw it.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import requests

from conftest import wait_first_rows

pytestmark = pytest.mark.browser


def link(page, testid: str) -> tuple[str, dict[str, list[str]]]:
    """The path and the query parameters of the link with this test id."""
    href = page.get_attribute(f'[data-testid="{testid}"]', "href")
    parts = urlsplit(href)
    return parts.path, parse_qs(parts.query)


def route_draws(inst, found: tuple[str, dict[str, list[str]]]) -> None:
    """The JSON route behind the link's page answers its query with a chart (or a matrix)."""
    path, params = found
    route = path.replace(f"/charts/{inst.id}", f"/api/frames/{inst.id}/chart", 1)
    if route.endswith("/chart/correlations"):
        route = route[: -len("/chart/correlations")] + "/correlations"
    server = urlsplit(inst.base_url)
    answer = requests.get(f"{server.scheme}://{server.netloc}{route}", params=params, timeout=30)
    assert answer.status_code == 200 and answer.json()["ok"] is True, answer.text[:300]


def apply_filter(page, text: str) -> None:
    page.fill('[data-testid="filter-input"]', text)
    page.press('[data-testid="filter-input"]', "Enter")


def wait_link_filter(page, testid: str, text: str | None) -> None:
    """Wait until the link carries `text` as its filter (None: no filter parameter)."""
    page.wait_for_function(
        """([testid, text]) => {
            const a = document.querySelector(`[data-testid="${testid}"]`);
            return !!a && new URL(a.href).searchParams.get("filter") === text;
        }""", arg=[testid, text])


def column_chart_link(page, column: str) -> tuple[str, dict[str, list[str]]]:
    """Open the column's menu, read its "Chart this column" link, close the menu."""
    # get_by_test_id quotes the name for the selector (names here hold quotes and '#').
    page.get_by_test_id(f"header-{column}").get_by_test_id("header-menu").click()
    item = page.locator('[data-testid="menu-chart"]')
    assert item.inner_text() == "Chart this column"
    assert item.get_attribute("target") == "_blank"
    found = link(page, "menu-chart")
    page.keyboard.press("Escape")
    page.locator('[data-testid="column-menu"]').wait_for(state="detached")
    return found


def test_chart_this_view_and_correlations_carry_the_grid_filter(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    charts = f"/charts/{bench_1m.id}"
    assert page.inner_text('[data-testid="chart-view"]') == "Chart this view"
    assert page.get_attribute('[data-testid="chart-view"]', "target") == "_blank"
    assert link(page, "chart-view") == (charts, {"key": [bench_1m.key]})
    assert link(page, "chart-correlations") == (f"{charts}/correlations", {"key": [bench_1m.key]})

    text = 's_lo == "cat_03" and f1 > 1'
    apply_filter(page, text)
    wait_link_filter(page, "chart-view", text)
    assert link(page, "chart-view") == (charts, {"key": [bench_1m.key], "filter": [text]})
    assert link(page, "chart-correlations") == (f"{charts}/correlations",
                                                {"key": [bench_1m.key], "filter": [text]})
    route_draws(bench_1m, link(page, "chart-view"))
    route_draws(bench_1m, link(page, "chart-correlations"))

    # A click opens that address in a new tab (whatever the chart page then shows).
    with page.expect_popup() as popup_info:
        page.click('[data-testid="chart-view"]')
    popup = popup_info.value
    popup.wait_for_url(lambda url: "/charts/" in url)
    opened = urlsplit(popup.url)
    assert opened.path == charts and parse_qs(opened.query) == {"key": [bench_1m.key],
                                                                "filter": [text]}
    popup.close()

    page.click('[data-testid="filter-clear"]')
    wait_link_filter(page, "chart-view", None)
    assert link(page, "chart-correlations") == (f"{charts}/correlations", {"key": [bench_1m.key]})


def test_chart_this_column_is_a_histogram_of_numbers_and_a_bar_of_text(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    apply_filter(page, "i_small < 3")
    wait_link_filter(page, "chart-view", "i_small < 3")
    charts = f"/charts/{bench_1m.id}"

    def expected(chart_type: str, column: str) -> tuple[str, dict[str, list[str]]]:
        return charts, {"key": [bench_1m.key], "type": [chart_type], "x": [column],
                        "filter": ["i_small < 3"]}

    for column, chart_type in [("f1", "histogram"), ("s_lo", "bar"), ("i_small", "histogram")]:
        found = column_chart_link(page, column)
        assert found == expected(chart_type, column)
        route_draws(bench_1m, found)

    # Clicking the item opens the chart in a new tab and closes the menu.
    page.click('[data-testid="header-f2"] [data-testid="header-menu"]')
    with page.expect_popup() as popup_info:
        page.click('[data-testid="menu-chart"]')
    popup = popup_info.value
    popup.wait_for_url(lambda url: "/charts/" in url)
    assert parse_qs(urlsplit(popup.url).query)["x"] == ["f2"]
    popup.close()
    page.locator('[data-testid="column-menu"]').wait_for(state="detached")


@pytest.mark.parametrize("column, chart_type", [
    ("x", "histogram"), ("my col", "histogram"), ("when", "histogram"), ("s", "bar"), ("ok", "bar"),
])
def test_chart_this_column_by_kind(page, small, column, chart_type):
    page.goto(small.url)
    wait_first_rows(page)
    found = column_chart_link(page, column)
    assert found == (f"/charts/{small.id}", {"key": [small.key], "type": [chart_type],
                                              "x": [column]})
    route_draws(small, found)


def test_awkward_column_names_survive_the_chart_links(page, dtale_lite_mod):
    price, label = 'price & "tax" #1', "naïve 日本 it's"
    frame = pd.DataFrame({price: [1.5, 2.5, 3.5], label: ["a", "b", "a"],
                          "wait": pd.to_timedelta([1, 2, 3], unit="s"),
                          "region": pd.Categorical(["n", "s", "n"])})
    inst = dtale_lite_mod.show(frame, name="awkward")
    try:
        page.goto(inst.url)
        page.locator('[data-testid="cell-value"]').first.wait_for()
        charts = f"/charts/{inst.id}"
        assert column_chart_link(page, price) == (charts, {"key": [inst.key], "type": ["histogram"],
                                                           "x": [price]})
        assert column_chart_link(page, "wait")[1]["type"] == ["histogram"]
        assert column_chart_link(page, "region")[1]["type"] == ["bar"]
        text = f'`{label}` == "a"'
        apply_filter(page, text)
        wait_link_filter(page, "chart-view", text)
        found = column_chart_link(page, label)
        assert found == (charts, {"key": [inst.key], "type": ["bar"], "x": [label],
                                  "filter": [text]})
        route_draws(inst, found)
    finally:
        inst.kill()
