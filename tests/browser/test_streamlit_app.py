"""dtale_lite inside a real Streamlit page, the st.App way (issue 7).

``streamlit run examples/streamlit/app.py``: the entry script's ``st.App`` mounts
``dtale_lite.streamlit.routes()`` on Streamlit's own port, and page.py shows a per-session
frame and a named one with ``viewer()``. One server for the module; a headless Chromium page
per test (its session ends when the test's browser context closes).
"""
from __future__ import annotations

import pytest
import requests

from conftest import FIRST_CELL
from streamlit_server import (EXAMPLES, GRID, PLOT_DRAWN, frames_listed, grid_src, key_of,
                              python_module, start_streamlit, wait_frames)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    server = start_streamlit(python_module("streamlit"), EXAMPLES / "app.py")
    yield server
    server.stop()


def open_page(page, server):
    page.goto(server.url)
    grid = page.frame_locator(GRID).first
    grid.locator(FIRST_CELL).wait_for()
    return grid


def test_the_grid_shows_its_cells_inside_streamlits_page(server, page):
    grid = open_page(page, server)
    assert page.locator("h1").inner_text() == "dtale_lite in Streamlit"
    src = grid_src(page)
    assert src.startswith("/dtale_lite/frames/")  # Streamlit's own origin and port
    assert grid.locator(FIRST_CELL).inner_text().strip() == "0"
    assert grid.locator('[data-testid="row-count"]').inner_text() == "1,000 rows"
    named = page.frame_locator(GRID).nth(1)
    listed = {f["name"]: f for f in frames_listed(server, key_of(src))}
    assert named.locator('[data-testid="row-count"]').inner_text() == (
        f"{listed['regions']['rows']} rows")
    assert named.locator('[data-testid="frame-name"]').inner_text() == "regions"


def test_reruns_update_the_frame_in_place_and_register_nothing_new(server, page):
    open_page(page, server)
    first = grid_src(page)
    key = key_of(first)
    before = frames_listed(server, key)
    page.get_by_text("north").click()  # a widget: Streamlit reruns the script
    page.wait_for_function("(old) => document.querySelector('iframe[src*=\"/frames/\"]')"
                           ".getAttribute('src') !== old", arg=first)
    updated = grid_src(page)
    # Same frame id and key; only the version at the end moved (so the browser reloads it).
    assert updated.split("&rev=")[0] == first.split("&rev=")[0] and updated != first
    after = frames_listed(server, key)
    assert [f["id"] for f in after] == [f["id"] for f in before]
    north = next(f for f in after if f["url"] in updated)["rows"]
    assert 0 < north < 1000
    grid = page.frame_locator(GRID).first
    grid.locator('[data-testid="row-count"]').filter(has_text=f"{north:,} rows").wait_for()

    page.get_by_text("Script runs in this session: 2").wait_for()
    page.get_by_role("button", name="Rerun").click()  # same data: the grid is not reloaded
    page.get_by_text("Script runs in this session: 3").wait_for()
    assert grid_src(page) == updated
    assert [f["id"] for f in frames_listed(server, key)] == [f["id"] for f in before]


def test_charts_open_from_the_grid_and_from_the_page(server, page):
    grid = open_page(page, server)
    with page.expect_popup() as popup:
        grid.locator('[data-testid="chart-view"]').click()
    chart = popup.value
    chart.wait_for_function(PLOT_DRAWN, timeout=30_000)
    assert "/dtale_lite/charts/" in chart.url and "key=" in chart.url

    # The page's own link (st.link_button opens a new tab: leaving the page would end the
    # session, and with it the session's frame).
    link = page.get_by_role("link", name="Chart: mean amount by region")
    assert link.get_attribute("href").startswith("/dtale_lite/charts/")
    with page.expect_popup() as popup:
        link.click()
    chart = popup.value
    chart.wait_for_function(PLOT_DRAWN, timeout=30_000)
    bars = chart.locator('[data-testid="chart-graph"] .trace.bars .point').count()
    listed = {f["name"]: f for f in frames_listed(server, key_of(grid_src(page)))}
    assert bars == listed["regions"]["rows"]  # one bar per region, one row per region there


def test_the_viewer_needs_its_key_and_streamlit_keeps_its_own_routes(server, page):
    open_page(page, server)
    src = grid_src(page)
    path = src.split("?")[0]
    for url in (server.origin + path, server.viewer + "/api/frames"):
        denied = requests.get(url, timeout=10)
        assert denied.status_code == 401 and denied.json()["ok"] is False
    wrong = requests.get(server.origin + path, params={"key": "wrong"}, timeout=10)
    assert wrong.status_code == 403 and wrong.json()["status"] == 403
    assert requests.get(server.origin + src, timeout=10).status_code == 200
    assert requests.get(f"{server.url}/_stcore/health", timeout=10).text == "ok"
    # Without the trailing slash the path is not the mount's: Streamlit's page answers.
    bare = requests.get(server.viewer, timeout=10)
    assert bare.status_code == 200 and "<title>Streamlit</title>" in bare.text


def test_ended_sessions_free_their_frames_and_names_stay_shared(server, browser):
    first = browser.new_context()
    page = first.new_page()
    open_page(page, server)
    key = key_of(grid_src(page))
    own = grid_src(page)
    assert len(wait_frames(server, key, 2)) == 2  # this session's frame and "regions"

    second = browser.new_context()
    other = second.new_page()
    open_page(other, server)
    assert grid_src(other) != own  # a frame of its own ...
    assert grid_src(other, 1) == grid_src(page, 1)  # ... and the one named frame
    wait_frames(server, key, 3)

    second.close()
    left = wait_frames(server, key, 2)
    assert {f["name"] for f in left} == {None, "regions"}
    assert requests.get(server.origin + own, timeout=10).status_code == 200
    by_name = f"{server.viewer}/frames/regions?key={key}"
    assert requests.get(by_name, timeout=10).status_code == 200

    first.close()
    wait_frames(server, key, 0)
    assert requests.get(by_name, timeout=10).status_code == 404
