"""The grid page in a real headless Chromium against a real dtale_lite server.

Each test drives the page as a person would and checks what they would see against pandas.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from conftest import FIRST_CELL, cell, readme_scene, save_screenshot, wait_first_rows

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def cell_text(page, row, col) -> str:
    return cell(page, row, col).inner_text().strip()


def wait_cell(page, row, col, text, timeout=15_000):
    page.wait_for_function(
        """([row, col, text]) => {
            const c = document.querySelector(`[row-index="${row}"] [col-id="${col}"]`);
            return c && c.textContent.trim() === text;
        }""",
        arg=[row, col, text], timeout=timeout)


def fmt_float(x: float) -> str:
    """The grid's float text (formatFloat in frontend/src/format.ts)."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def apply_filter(page, text):
    page.fill('[data-testid="filter-input"]', text)
    page.press('[data-testid="filter-input"]', "Enter")


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


# --- opening and scrolling ---------------------------------------------------------------------

def test_opens_a_1m_frame_and_shows_the_first_rows(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    assert cell_text(page, 0, "id") == "0"
    assert cell_text(page, 0, "i_small") == str(frame_1m.i_small.iloc[0])
    assert page.inner_text('[data-testid="row-count"]') == "1,000,000 rows"
    badges = page.locator('[data-testid="header-f1"] [data-testid="kind-badge"]')
    assert badges.inner_text() == "float"
    assert page.locator('[data-testid="header-s_lo"] [data-testid="kind-badge"]').inner_text() == "str"
    assert page.locator('[data-testid="header-i_small"] [data-testid="kind-badge"]').inner_text() == "int"
    # numbers right-aligned, row number and index shown
    align = cell(page, 0, "i_small").evaluate("e => getComputedStyle(e).textAlign")
    assert align == "right"
    assert cell_text(page, 0, "__row__") == "1"
    assert cell_text(page, 0, "__index__") == "0"


SCROLL_JS = """fraction => {
    // What dragging the vertical scrollbar does: scroll its viewport (AG Grid syncs the body).
    const bar = document.querySelector('.ag-body-vertical-scroll-viewport');
    const body = document.querySelector('.ag-grid-viewport');
    const v = bar && bar.clientHeight > 0 ? bar : body;
    v.scrollTop = fraction * (v.scrollHeight - v.clientHeight);
    v.dispatchEvent(new Event('scroll'));
}"""


def scroll_to(page, fraction: float):
    page.evaluate(SCROLL_JS, fraction)


def scroll_to_bottom(page):
    scroll_to(page, 1.0)


def test_dragging_to_the_bottom_shows_the_last_id(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    scroll_to_bottom(page)
    last = 999_999
    page.wait_for_selector(f'[row-index="{last}"] [col-id="id"] [data-testid="cell-value"]')
    assert cell_text(page, last, "id") == str(last)
    assert cell_text(page, last, "__row__") == "1,000,000"


# --- sort --------------------------------------------------------------------------------------

def test_header_clicks_sort_asc_desc_none_and_shift_adds(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    label = page.locator('[data-testid="header-f1"] [data-testid="header-label"]')
    label.click()
    wait_cell(page, 0, "f1", fmt_float(frame_1m.f1.min()))
    assert page.locator('[data-testid="header-f1"] [data-testid="sort-indicator"]').get_attribute("data-sort") == "asc"
    assert json.loads(query(page)["sort"]) == [["f1", "asc"]]
    label.click()
    wait_cell(page, 0, "f1", fmt_float(frame_1m.f1.max()))
    label.click()
    wait_cell(page, 0, "id", "0")
    assert page.locator('[data-testid="header-f1"] [data-testid="sort-indicator"]').count() == 0
    assert "sort" not in query(page)
    # secondary sort: s_lo asc, then shift-click i_small (asc)
    page.locator('[data-testid="header-s_lo"] [data-testid="header-label"]').click()
    page.locator('[data-testid="header-i_small"] [data-testid="header-label"]').click(modifiers=["Shift"])
    expected = frame_1m.sort_values(["s_lo", "i_small"], kind="stable").iloc[0]
    wait_cell(page, 0, "id", str(expected.id))
    assert page.locator('[data-testid="header-i_small"] [data-testid="sort-indicator"]').inner_text() == "▲2"


# --- filter ------------------------------------------------------------------------------------

def test_typing_a_filter_changes_the_count_and_the_rows(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    apply_filter(page, 's_lo == "cat_03" and f1 > 1')
    expected = frame_1m[(frame_1m.s_lo == "cat_03") & (frame_1m.f1 > 1)]
    count = page.locator('[data-testid="row-count"]')
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t",
                           arg=f"{len(expected):,} of 1,000,000 rows")
    wait_cell(page, 0, "id", str(expected.id.iloc[0]))
    for row in range(5):
        assert cell_text(page, row, "s_lo") == "cat_03"
        assert cell_text(page, row, "id") == str(expected.id.iloc[row])
    assert query(page)["filter"] == 's_lo == "cat_03" and f1 > 1'
    page.click('[data-testid="filter-clear"]')
    page.wait_for_function("() => document.querySelector('[data-testid=row-count]').textContent === '1,000,000 rows'")
    assert "filter" not in query(page)
    assert count.is_visible()


def test_a_bad_filter_shows_the_message_and_where(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    apply_filter(page, "f1 > > 1")
    error = page.locator('[data-testid="filter-error"]')
    error.wait_for(state="visible")
    assert "character 5" in page.inner_text('[data-testid="filter-error-message"]')
    caret = page.inner_text('[data-testid="filter-error-caret"]').split("\n")
    assert caret[0] == "f1 > > 1" and caret[1] == " " * 5 + "^"
    # the view is unchanged
    assert page.inner_text('[data-testid="row-count"]') == "1,000,000 rows"
    assert "filter" not in query(page)
    apply_filter(page, "no_such_column == 1")
    page.wait_for_function("() => document.querySelector('[data-testid=filter-error-message]').textContent.includes('no_such_column')")
    apply_filter(page, "f1 > 1")
    error.wait_for(state="hidden")


def add_menu_filter(page, column: str, op: str, value: str) -> None:
    """Write a filter through a column's menu: the operator, the value, then Add."""
    page.click(f'[data-testid="header-{column}"] [data-testid="header-menu"]')
    page.select_option('[data-testid="menu-filter-op"]', op)
    page.fill('[data-testid="menu-filter-value"]', value)
    page.click('[data-testid="menu-filter-add"]')


def wait_count(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t",
                           arg=text)


def test_the_column_menu_writes_the_filter_language(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    add_menu_filter(page, "i_small", ">", "990")
    assert page.input_value('[data-testid="filter-input"]') == "i_small > 990"
    n = int((frame_1m.i_small > 990).sum())
    wait_count(page, f"{n:,} of 1,000,000 rows")
    add_menu_filter(page, "s_lo", "in", "cat_01, cat_02")
    assert page.input_value('[data-testid="filter-input"]') == 'i_small > 990 and s_lo in ["cat_01", "cat_02"]'
    n = int(((frame_1m.i_small > 990) & frame_1m.s_lo.isin(["cat_01", "cat_02"])).sum())
    wait_count(page, f"{n:,} of 1,000,000 rows")
    # a number box refuses text
    add_menu_filter(page, "f1", "<", "abc")
    assert "not a number" in page.inner_text('[data-testid="menu-filter-problem"]')


def test_category_and_bool_menus_offer_their_values(page, small):
    page.goto(small.url)
    wait_first_rows(page)
    page.click('[data-testid="header-ok"] [data-testid="header-menu"]')
    page.locator('[data-testid="menu-value"]').first.wait_for()
    page.locator('[data-testid="menu-value"]', has_text="true").click()
    assert page.input_value('[data-testid="filter-input"]') == "ok == true"
    page.wait_for_function("() => document.querySelector('[data-testid=row-count]').textContent === '3 of 5 rows'")


# --- column panel ------------------------------------------------------------------------------

def test_the_column_panel_shows_describe_figures_and_a_histogram(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    page.click('[data-testid="header-f1"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    panel = page.locator('[data-testid="column-panel"]')
    panel.locator('[data-testid="panel-figures"]').wait_for()
    assert panel.locator('[data-testid="panel-title"]').inner_text() == "f1"
    assert panel.locator('[data-testid="figure-count"] td').inner_text() == f"{frame_1m.f1.count():,}"
    assert panel.locator('[data-testid="figure-missing"] td').inner_text() == f"{frame_1m.f1.isna().sum():,}"
    assert panel.locator('[data-testid="figure-mean"] td').inner_text() == fmt_float(frame_1m.f1.mean())
    assert panel.locator('[data-testid="histogram"] rect').count() >= 5
    # it follows the filter
    apply_filter(page, "f1 > 1")
    n = int((frame_1m.f1 > 1).sum())
    page.wait_for_function("t => { const c = document.querySelector('[data-testid=figure-count] td'); return c && c.textContent === t; }",
                           arg=f"{n:,}")
    page.click('[data-testid="panel-close"]')
    panel.wait_for(state="hidden")


def test_the_panel_of_a_text_column_shows_top_values(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    page.click('[data-testid="header-s_lo"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    page.locator('[data-testid="top-values"] rect').first.wait_for()
    assert page.locator('[data-testid="top-values"] rect').count() == 10
    assert page.locator('[data-testid="figure-unique"] td').inner_text() == "20"


# --- export ------------------------------------------------------------------------------------

def test_export_csv_is_exactly_the_current_view(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    apply_filter(page, "i_small < 3")
    expected = frame_1m[frame_1m.i_small < 3]
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t",
                           arg=f"{len(expected):,} of 1,000,000 rows")
    page.locator('[data-testid="header-f3"] [data-testid="header-label"]').click()
    page.locator('[data-testid="header-f3"] [data-testid="header-label"]').click()  # desc
    wait_cell(page, 0, "f3", fmt_float(expected.f3.max()))
    page.click('[data-testid="header-s_hi"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-hide"]')
    page.wait_for_function("() => new URLSearchParams(location.search).has('columns')")
    with page.expect_download() as info:
        page.click('[data-testid="export-csv"]')
    download = info.value
    got = pd.read_csv(download.path())
    want = expected.sort_values("f3", ascending=False, kind="stable").drop(columns=["s_hi"])
    assert "s_hi" not in got.columns
    for col in ("id", "i_small", "s_lo"):
        assert col in got.columns
    assert len(got) == len(want)
    assert got["id"].tolist() == want["id"].tolist()
    assert got["f3"].round(9).tolist() == want["f3"].round(9).tolist()


# --- copy --------------------------------------------------------------------------------------

def test_copy_a_selection_as_tsv_with_headers(page, context, small):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(small.url)
    wait_first_rows(page)
    cell(page, 0, "id").click()
    cell(page, 2, "s").click(modifiers=["Shift"])
    assert cell(page, 1, "x").evaluate("e => e.classList.contains('dl-selected')")
    page.keyboard.press("Control+c")
    page.locator('[data-testid="toast"]').wait_for(state="visible")
    assert "3 × 3" in page.inner_text('[data-testid="toast"]')
    expected = "id\tx\ts\n0\t1.5\ta\n1\t\tnan\n2\tinf\t\n"
    assert page.evaluate("() => window.__dtaleLastCopy") == expected
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    # arrow keys move the focus; shift+arrow extends the selection
    cell(page, 0, "id").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Control+c")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__dtaleLastCopy") == 'id\tx\n1\t\n'


# --- URL state ---------------------------------------------------------------------------------

def test_reload_reopens_the_same_view_from_the_url(page, bench_1m, frame_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    apply_filter(page, "i_small == 7")
    page.locator('[data-testid="header-f2"] [data-testid="header-label"]').click()
    page.click('[data-testid="header-f4"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-hide"]')
    expected = frame_1m[frame_1m.i_small == 7].sort_values("f2", kind="stable")
    wait_cell(page, 0, "id", str(expected.id.iloc[0]))
    params = query(page)
    assert params["key"] == bench_1m.key
    assert json.loads(params["sort"]) == [["f2", "asc"]]
    page.reload()
    wait_cell(page, 0, "id", str(expected.id.iloc[0]))
    assert page.input_value('[data-testid="filter-input"]') == "i_small == 7"
    assert page.locator('[col-id="f4"]').count() == 0
    assert page.locator('[data-testid="header-f2"] [data-testid="sort-indicator"]').count() == 1
    assert page.inner_text('[data-testid="row-count"]') == f"{len(expected):,} of 1,000,000 rows"
    # a fresh tab opening the shared link gets the same view
    other = page.context.new_page()
    other.goto(page.url)
    wait_cell(other, 0, "id", str(expected.id.iloc[0]))
    other.close()


# --- values ------------------------------------------------------------------------------------

def test_null_nan_long_strings_and_the_index(page, small):
    page.goto(small.url)
    wait_first_rows(page)
    null_cell = cell(page, 2, "s").locator('[data-testid="cell-value"]')
    assert null_cell.inner_text() == "null" and null_cell.get_attribute("class") == "dl-null"
    nan_cell = cell(page, 1, "s").locator('[data-testid="cell-value"]')
    assert nan_cell.inner_text() == "nan" and not nan_cell.get_attribute("class")
    assert cell(page, 1, "x").locator('[data-testid="cell-value"]').get_attribute("class") == "dl-null"
    assert cell_text(page, 2, "x") == "inf"
    assert cell_text(page, 4, "x") == "0.3"
    long = cell(page, 3, "s").locator('[data-testid="cell-value"]')
    assert long.get_attribute("title") == "x" * 500
    assert len(long.inner_text()) < 500
    assert cell_text(page, 0, "__index__") == "r0"
    assert cell_text(page, 2, "when") == "2021-06-01 12:30:00"
    assert page.locator('[data-testid="header-my col"]').count() == 1


# --- columns -----------------------------------------------------------------------------------

def test_column_picker_hides_and_shows_and_pins(page, bench_1m):
    page.goto(bench_1m.url)
    wait_first_rows(page)
    page.click('[data-testid="columns-button"]')
    page.fill('[data-testid="picker-search"]', "f")
    assert page.locator('[data-testid="picker-list"] label').count() == 5  # f1..f4, flag
    page.uncheck('[data-testid="picker-toggle-f2"]')
    page.wait_for_function("() => !document.querySelector('[col-id=f2]')")
    assert "f2" not in json.loads(query(page)["columns"])
    page.check('[data-testid="picker-toggle-f2"]')
    page.wait_for_function("() => !!document.querySelector('[row-index=\"0\"] [col-id=f2] [data-testid=cell-value]')")
    page.keyboard.press("Escape")
    page.click('[data-testid="header-s_hi"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-pin"]')
    page.wait_for_function("() => new URLSearchParams(location.search).get('pinned') === '[\"s_hi\"]'")
    assert page.evaluate("() => window.dtaleLite.grid.getColumn('s_hi').getPinned()") == "left"
    assert page.locator('.ag-grid-pinned-left-cells [col-id="s_hi"]').count() > 0


def test_drag_a_header_to_reorder_and_its_edge_to_resize(page, small):
    page.goto(small.url)
    wait_first_rows(page)
    source = page.locator('.ag-header-cell[col-id="s"]')
    target = page.locator('.ag-header-cell[col-id="id"]')
    s_box, t_box = source.bounding_box(), target.bounding_box()
    page.mouse.move(s_box["x"] + 20, s_box["y"] + s_box["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(s_box["x"] + 20 - step * (s_box["x"] - t_box["x"] + 10) / 10, t_box["y"] + t_box["height"] / 2)
        page.wait_for_timeout(30)
    page.mouse.up()
    page.wait_for_function("() => (new URLSearchParams(location.search).get('columns') || '').startsWith('[\"s\"')")
    assert json.loads(query(page)["columns"])[:2] == ["s", "id"]
    # resize: drag the right edge of "x"
    x_cell = page.locator('.ag-header-cell[col-id="x"]')
    before = x_cell.bounding_box()["width"]
    handle = x_cell.locator(".ag-header-cell-resize")
    h_box = handle.bounding_box()
    page.mouse.move(h_box["x"] + h_box["width"] / 2, h_box["y"] + h_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(h_box["x"] + 80, h_box["y"] + h_box["height"] / 2, steps=8)
    page.mouse.up()
    assert x_cell.bounding_box()["width"] > before + 50


def test_a_thousand_columns_stay_usable(page, dtale_lite_mod):
    import numpy as np

    wide = pd.DataFrame(np.arange(200 * 1500).reshape(200, 1500), columns=[f"c{i}" for i in range(1500)])
    inst = dtale_lite_mod.show(wide, name="wide")
    page.goto(inst.url)
    wait_cell(page, 0, "c0", "0")
    # column virtualisation: far fewer header cells in the DOM than columns
    assert page.locator(".ag-header-cell").count() < 200
    page.click('[data-testid="columns-button"]')
    page.fill('[data-testid="picker-search"]', "c1499")
    assert page.locator('[data-testid="picker-list"] label').count() == 1
    page.fill('[data-testid="picker-search"]', "")
    page.click('[data-testid="picker-hide-all"]')
    assert page.inner_text('[data-testid="picker-summary"]') == "0 of 1500 columns shown"
    page.fill('[data-testid="picker-search"]', "c1499")
    page.check('[data-testid="picker-toggle-c1499"]')
    wait_cell(page, 0, "c1499", "1499")
    assert json.loads(query(page)["columns"]) == ["c1499"]
    inst.kill()


# --- errors ------------------------------------------------------------------------------------

def test_a_killed_frame_shows_a_readable_error(page, dtale_lite_mod, small):
    from frames import small_frame

    inst = dtale_lite_mod.show(small_frame(), name="doomed")
    page.goto(inst.url)
    wait_first_rows(page)
    inst.kill()
    page.locator('[data-testid="header-x"] [data-testid="header-label"]').click()
    banner = page.locator('[data-testid="error-banner"]')
    banner.wait_for(state="visible")
    text = banner.inner_text()
    assert "no frame" in text and "killed" in text


def test_a_stopped_server_shows_a_readable_error(page):
    from werkzeug.serving import make_server

    from dtale_lite import create_app
    from dtale_lite.server.registry import Registry
    from frames import small_frame

    registry = Registry()
    entry = registry.add(small_frame(), name="gone")
    server = make_server("127.0.0.1", 0, create_app(registry, key="k2"), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    page.goto(f"http://127.0.0.1:{server.server_port}/frames/{entry.id}?key=k2")
    wait_first_rows(page)
    server.shutdown()
    server.server_close()
    thread.join(5)
    page.locator('[data-testid="header-x"] [data-testid="header-label"]').click()
    banner = page.locator('[data-testid="error-banner"]')
    banner.wait_for(state="visible")
    assert "Cannot reach the dtale_lite server" in banner.inner_text()
    assert page.locator('[data-testid="error-retry"]').is_visible()


# --- embedding ---------------------------------------------------------------------------------

@pytest.fixture
def outer_site():
    """Another origin (another port of the loopback) serving a notebook-like page with an iframe.

    A real server, not a routed fake: Chromium's Local Network Access checks block a page of an
    unknown (public) address from framing 127.0.0.1.
    """
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "not here").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}", pages
    server.shutdown()
    thread.join(5)


def test_the_page_works_in_an_iframe_of_another_origin(page, bench_1m, frame_1m, outer_site):
    origin, pages = outer_site
    pages["/lab"] = f'<!doctype html><h1>notebook</h1><iframe src="{bench_1m.url}" width="1000" height="500"></iframe>'
    page.goto(f"{origin}/lab")
    frame = page.frame_locator("iframe")
    frame.locator(FIRST_CELL).wait_for()
    assert frame.locator('[data-testid="row-count"]').inner_text() == "1,000,000 rows"
    frame.locator('[data-testid="header-f1"] [data-testid="header-label"]').click()
    want = fmt_float(frame_1m.f1.min())
    frame.locator(f'[row-index="0"] [col-id="f1"]:has-text("{want}")').wait_for()
    inner = [f for f in page.frames if f != page.main_frame][0]
    assert parse_qs(urlsplit(inner.url).query)["key"] == [bench_1m.key]
    assert urlsplit(inner.url).netloc != urlsplit(page.url).netloc


def test_the_page_works_under_an_app_root_prefix(page):
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    from dtale_lite import create_app
    from dtale_lite.server.registry import Registry
    from frames import small_frame

    prefix = "/proxy/8888"
    registry = Registry()
    entry = registry.add(small_frame(), name="rooted")
    app = create_app(registry, key="rootkey", app_root=prefix)
    outer = DispatcherMiddleware(Response("outside the prefix", status=404), {prefix: app.wsgi_app})
    server = make_server("127.0.0.1", 0, outer, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        seen: list[str] = []
        page.on("request", lambda r: seen.append(urlsplit(r.url).path))
        base = f"http://127.0.0.1:{server.server_port}"
        page.goto(f"{base}{prefix}/frames/{entry.id}?key=rootkey")
        wait_first_rows(page)
        page.locator('[data-testid="header-x"] [data-testid="header-label"]').click()
        wait_cell(page, 0, "x", "-2.25")
        assert seen and all(p.startswith(prefix + "/") for p in seen), seen
        href = page.get_attribute('[data-testid="export-csv"]', "href")
        assert href.startswith(prefix + "/api/frames/") and "key=rootkey" in href
        assert page.get_attribute('[data-testid="frames-link"]', "href") == f"{prefix}/?key=rootkey"
    finally:
        server.shutdown()
        thread.join(5)


def test_the_index_page_lists_frames_with_links(page, bench_1m, small):
    page.goto(f"{bench_1m.base_url}/?key={bench_1m.key}")
    link = page.locator(f'a[href*="/frames/{bench_1m.id}"]').first
    assert link.is_visible()
    assert "key=" in link.get_attribute("href")
    link.click()
    wait_first_rows(page)


def test_screenshot_for_the_readme(page, bench_1m):
    # Rewritten only on request: DTALE_LITE_SCREENSHOT=1 pytest -m browser tests/browser -k screenshot
    readme_scene(page, bench_1m.url, describe="f1", sort="f2",
                 ready='[data-testid="histogram"], [data-testid="panel-error"]')
    save_screenshot(page, "grid.png")


def test_a_long_sort_says_so_until_its_rows_arrive(page, dtale_lite_mod):
    """Sorting millions of rows takes the server a moment: the count says "Sorting ... rows…"
    until the first sorted block arrives, then the count comes back."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"id": np.arange(3_000_000),
                          "v": np.random.default_rng(5).standard_normal(3_000_000)})
    inst = dtale_lite_mod.show(frame, name="slowsort")
    page.goto(inst.url)
    wait_first_rows(page)
    seen = page.evaluate("""() => new Promise((resolve) => {
        const el = document.querySelector('[data-testid="row-count"]');
        const texts = [];
        new MutationObserver(() => { texts.push(el.textContent);
            if (el.textContent === '3,000,000 rows') resolve(texts); })
          .observe(el, {childList: true, characterData: true, subtree: true});
        document.querySelector('[col-id="v"] [data-testid="header-label"]').click();
    })""")
    assert "Sorting 3,000,000 rows…" in seen
    assert seen[-1] == "3,000,000 rows"
    inst.kill()


def test_integers_beyond_2_53_show_their_exact_digits(page, dtale_lite_mod):
    import pandas as pd

    big = [2**53 + 1, -(2**63), 2**63 - 1, 7]
    inst = dtale_lite_mod.show(pd.DataFrame({"id": range(4), "big": pd.array(big, "int64")}),
                               name="bigints")
    page.goto(inst.url)
    wait_first_rows(page)
    shown = [cell(page, r, "big").inner_text().strip() for r in range(4)]
    assert shown == [str(v) for v in big]
    inst.kill()


def test_page_down_end_and_home_move_through_the_frame(page, dtale_lite_mod):
    import numpy as np
    import pandas as pd

    inst = dtale_lite_mod.show(pd.DataFrame({"id": np.arange(100_000), "v": np.arange(100_000)}),
                               name="keys")
    page.goto(inst.url)
    wait_first_rows(page)
    cell(page, 2, "id").click()

    def focused_row():
        return page.evaluate("""() => Number(document.activeElement.closest('[row-index]')
                                         ?.getAttribute('row-index'))""")

    page.keyboard.press("PageDown")
    page.wait_for_function("() => Number(document.activeElement.closest('[row-index]')"
                           "?.getAttribute('row-index')) > 2")
    assert focused_row() > 2
    page.keyboard.press("End")  # the last row: its cells are fetched from the server
    page.wait_for_function("() => document.activeElement.closest('[row-index]')"
                           "?.getAttribute('row-index') === '99999'")
    page.wait_for_selector('[row-index="99999"] [col-id="id"] [data-testid="cell-value"]')
    assert cell(page, 99_999, "id").inner_text().strip() == "99999"
    page.keyboard.press("Home")
    page.wait_for_function("() => document.activeElement.closest('[row-index]')"
                           "?.getAttribute('row-index') === '0'")
    inst.kill()
