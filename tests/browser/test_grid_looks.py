"""The grid's look (issue 16): column formats, highlights, pinned, hidden and resized columns,
and the theme toggle, each checked on what a person sees, and each kept through a reload by
the URL.
"""
from __future__ import annotations

import csv
import json
import re
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest

from conftest import save_screenshot

pytestmark = pytest.mark.browser

N = 400


def looks_frame(n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(16)
    price = rng.normal(5000, 2000, n)
    price[5] = 25_000.0  # an outlier beyond Q3 + 1.5 IQR
    price[7] = np.nan
    return pd.DataFrame({
        "id": np.arange(n),
        "price": price,
        "qty": rng.integers(0, 100, n),
        "when": pd.Timestamp("2024-03-05 14:30") + pd.to_timedelta(np.arange(n), unit="h"),
        "region": rng.choice(["north", "south"], n),
        "share": rng.uniform(0, 1, n).round(3),
    })


@pytest.fixture(scope="module")
def looks(dtale_lite_mod):
    inst = dtale_lite_mod.show(looks_frame(), name="looks")
    yield inst
    inst.kill()


def cell(page, row: int, col: str):
    return page.locator(f'[row-index="{row}"] [col-id="{col}"]').first


def cell_text(page, row: int, col: str) -> str:
    return cell(page, row, col).locator('[data-testid="cell-value"]').inner_text()


def open_grid(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')


def menu(page, column: str, item: str) -> None:
    page.click(f'[data-testid="header-{column}"] [data-testid="header-menu"]')
    page.click(f'[data-testid="{item}"]')


def background(page, row: int, col: str) -> tuple[int, int, int]:
    text = cell(page, row, col).evaluate("el => getComputedStyle(el).backgroundColor")
    return tuple(int(v) for v in re.findall(r"\d+", text)[:3])


def test_a_format_changes_the_cells_and_survives_a_reload(page, looks):
    frame = looks_frame()
    open_grid(page, looks.url)
    menu(page, "price", "menu-format")
    page.select_option('[data-testid="format-decimals"]', "1")
    page.check('[data-testid="format-thousands"]')
    page.fill('[data-testid="format-currency"]', "$")
    assert page.inner_text('[data-testid="format-preview"]').endswith(f"${frame.price[0]:,.1f}")
    page.click('[data-testid="format-apply"]')
    assert cell_text(page, 0, "price") == f"${frame.price[0]:,.1f}"
    assert cell_text(page, 7, "price") == "null"  # missing stays visibly missing
    menu(page, "when", "menu-format")
    page.fill('[data-testid="format-date"]', "DD MMM YYYY HH:mm")
    page.click('[data-testid="format-apply"]')
    assert cell_text(page, 1, "when") == "05 Mar 2024 15:30"
    page.reload()
    page.wait_for_selector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')
    assert cell_text(page, 0, "price") == f"${frame.price[0]:,.1f}"
    assert cell_text(page, 1, "when") == "05 Mar 2024 15:30"


def test_the_export_as_formatted_writes_the_cells_text(page, looks):
    frame = looks_frame()
    open_grid(page, looks.url + '&formats={"price":{"decimals":0,"thousands":true}}')
    assert cell_text(page, 0, "price") == f"{frame.price[0]:,.0f}"
    page.click('[data-testid="view-button"]')
    page.check('[data-testid="export-formatted"]')
    page.keyboard.press("Escape")
    href = page.get_attribute('[data-testid="export-csv"]', "href")
    assert "formatted=true" in href
    text = page.evaluate("url => fetch(url).then(r => r.text())", href)
    header, first = text.splitlines()[:2]
    assert header.startswith("id,price,qty,when,region")
    assert next(csv.reader([first]))[:2] == ["0", cell_text(page, 0, "price")]
    # The choice is in the URL: a reload keeps exporting as formatted.
    page.wait_for_function("() => location.search.includes('xf=1')")
    page.reload()
    page.wait_for_selector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')
    assert "formatted=true" in page.get_attribute('[data-testid="export-csv"]', "href")


def test_a_heat_map_colours_cells_in_the_order_of_their_values(page, looks):
    frame = looks_frame()
    open_grid(page, looks.url)
    menu(page, "qty", "menu-heatmap")
    page.wait_for_selector('[row-index="0"] [col-id="qty"] [data-highlight="heatmap"]')
    rows = range(12)
    greens = {int(frame.qty[r]): background(page, r, "qty")[1] for r in rows}
    ordered = [greens[v] for v in sorted(greens)]
    # Hotter (less green) as the value grows, and not all one colour.
    assert all(a >= b for a, b in zip(ordered, ordered[1:])), greens
    assert ordered[0] > ordered[-1]
    # The frame's own min..max: the column's smallest value is the palest colour there is.
    assert "highlight" in page.url and "heatmap" in page.url


def test_a_range_rule_colours_the_cells_it_holds_for(page, looks):
    frame = looks_frame()
    open_grid(page, looks.url)
    menu(page, "qty", "menu-range")
    page.select_option('[data-testid="range-op"]', "between")
    page.fill('[data-testid="range-value"]', "20")
    page.fill('[data-testid="range-value2"]', "60")
    page.select_option('[data-testid="range-color"]', label="green")
    page.click('[data-testid="range-add"]')
    page.wait_for_selector('[data-highlight="range"]')
    for r in range(15):
        inside = 20 <= frame.qty[r] <= 60
        assert (background(page, r, "qty") == (187, 247, 208)) == inside, (r, frame.qty[r])


def test_outliers_and_missing_cells_are_highlighted(page, looks):
    open_grid(page, looks.url)
    menu(page, "price", "menu-outliers")
    page.wait_for_selector('[row-index="5"] [col-id="price"] [data-highlight="outlier"]')
    assert cell(page, 4, "price").locator("[data-highlight]").count() == 0
    page.click('[data-testid="view-button"]')
    page.check('[data-testid="view-missing"]')
    page.wait_for_selector('[row-index="7"] [col-id="price"] [data-highlight="missing"]')


def test_pinned_hidden_and_resized_columns_survive_a_reload(page, looks):
    open_grid(page, looks.url)
    menu(page, "qty", "menu-pin")
    menu(page, "region", "menu-hide")
    header = page.locator('.ag-header-cell[col-id="price"]')
    before = header.bounding_box()
    handle = header.locator(".ag-header-cell-resize")
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('widths')")
    widened = header.bounding_box()["width"]
    assert widened > before["width"] + 60
    page.reload()
    page.wait_for_selector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')
    assert page.locator('.ag-grid-pinned-left-cells [col-id="qty"]').count() > 0
    assert page.locator('[data-testid="header-region"]').count() == 0
    assert abs(page.locator('.ag-header-cell[col-id="price"]').bounding_box()["width"]
               - widened) <= 2


GRID_BACKGROUND = """() => {
    // The colour behind the first cell: the first ancestor that paints one.
    for (let el = document.querySelector('[row-index="0"] [col-id="id"]'); el; el = el.parentElement) {
        const m = /rgba?\\(([^)]+)\\)/.exec(getComputedStyle(el).backgroundColor);
        const v = m ? m[1].split(',').map(Number) : [0, 0, 0, 0];
        if (v.length < 4 || v[3] > 0) return v.slice(0, 3);
    }
    return null;
}"""


def grid_luminance(page) -> float:
    return luminance(page.evaluate(GRID_BACKGROUND))


def luminance(rgb) -> float:
    r, g, b = rgb
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_the_theme_toggle_switches_the_grid_and_the_chart_page(page, looks):
    page.emulate_media(color_scheme="light")
    open_grid(page, looks.url)
    assert grid_luminance(page) > 0.8
    page.click('[data-testid="view-button"]')
    page.check('[data-testid="theme-dark"]')
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('theme=dark')")
    assert grid_luminance(page) < 0.25
    frames = page.get_attribute('[data-testid="frames-link"]', "href")
    chart = page.get_attribute('[data-testid="chart-view"]', "href")
    assert "theme=dark" in chart
    page.goto(chart if chart.startswith("http") else looks.base_url + chart)
    graph = '[data-testid="chart-graph"] .js-plotly-plot'
    page.wait_for_function("s => { const g = document.querySelector(s); return !!(g && "
                           "g._fullLayout && g.querySelector('.main-svg')); }",
                           arg=graph, timeout=30_000)
    paper = page.evaluate("s => getComputedStyle(document.querySelector(s)"
                          ".querySelector('.main-svg')).backgroundColor", graph)
    assert luminance([int(v) for v in re.findall(r"\d+", paper)[:3]]) < 0.25
    # The frames page follows too.
    page.goto(frames if frames.startswith("http") else looks.base_url + frames)
    page.locator('[data-testid="frame-list"]').wait_for()
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert luminance([int(v) for v in re.findall(r"\d+", body)[:3]]) < 0.25
    # And back: light chosen on a dark system is light.
    page.emulate_media(color_scheme="dark")
    open_grid(page, looks.url + "&theme=light")
    assert grid_luminance(page) > 0.8


SCENE = {  # the docs' pictures: every kind of format and highlight at once
    "formats": json.dumps({"price": {"decimals": 2, "thousands": True, "currency": "$"},
                           "share": {"percent": True, "decimals": 1},
                           "when": {"date": "DD MMM YYYY HH:mm"}}),
    "highlight": json.dumps([{"type": "heatmap", "column": "qty"},
                             {"type": "outliers", "column": "price"},
                             {"type": "range", "column": "region", "op": "=", "value": "north",
                              "color": "#bfdbfe"}]),
    "missing": "1",
}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_for_the_docs(page, looks, theme):
    # Rewritten only on request: DTALE_LITE_SCREENSHOT=1 pytest -m browser tests/browser -k docs
    page.set_viewport_size({"width": 1100, "height": 420})
    open_grid(page, looks.url + "&" + urlencode({**SCENE, "theme": theme}))
    page.wait_for_selector('[row-index="5"] [col-id="price"] [data-highlight="outlier"]')
    page.wait_for_selector('[row-index="0"] [col-id="qty"] [data-highlight="heatmap"]')
    assert cell_text(page, 0, "share").endswith("%")
    page.mouse.move(5, 5)
    save_screenshot(page, f"grid-looks-{theme}.png")
