"""dtale_lite inside a real Streamlit page, the wrapper way (issue 7): the plain page script
``examples/streamlit/page.py`` (no st.App) started with ``dtale-lite-streamlit run`` (under a
base URL path, /app/), and the same script under a plain ``streamlit run``, where viewer()
falls back to show()'s server."""
from __future__ import annotations

import pytest
import requests

from conftest import FIRST_CELL
from streamlit_server import (EXAMPLES, GRID, PLOT_DRAWN, frames_listed, grid_src, key_of,
                              python_module, start_streamlit, wait_frames)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    # `python -m dtale_lite.hosts.streamlit_cli` is what the dtale-lite-streamlit script runs; the
    # script itself exists only once the package is pip-installed (test_streamlit.py checks
    # that setup.cfg declares it).
    server = start_streamlit(python_module("dtale_lite.hosts.streamlit_cli"), EXAMPLES / "page.py",
                             "--server.baseUrlPath", "app")
    yield server
    server.stop()


def test_the_wrapper_serves_the_grid_and_a_chart_from_streamlits_port(server, page):
    page.goto(server.url)
    grid = page.frame_locator(GRID).first
    assert grid.locator(FIRST_CELL).inner_text().strip() == "0"
    src = grid_src(page)
    # Below the base URL path: a proxy that forwards only /app/ reaches the viewer too.
    assert src.startswith("/app/dtale_lite/frames/")
    assert grid.locator('[data-testid="row-count"]').inner_text() == "1,000 rows"
    assert page.locator('[data-testid="stAlert"]').count() == 0  # no fallback notice
    with page.expect_popup() as popup:
        grid.locator('[data-testid="chart-view"]').click()
    popup.value.wait_for_function(PLOT_DRAWN, timeout=30_000)
    assert popup.value.url.startswith(f"{server.viewer}/charts/")

    key = key_of(src)
    assert len(frames_listed(server, key)) == 2
    denied = requests.get(f"{server.viewer}/api/frames", timeout=10)
    assert denied.status_code == 401 and denied.json()["ok"] is False
    assert requests.get(server.url, timeout=10).status_code == 200  # Streamlit's page


def test_the_wrapper_frees_the_frames_of_a_closed_page(server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url)
    page.frame_locator(GRID).first.locator(FIRST_CELL).wait_for()
    key = key_of(grid_src(page))
    wait_frames(server, key, 2)
    context.close()
    wait_frames(server, key, 0)


def test_plain_streamlit_run_falls_back_to_shows_own_server_and_says_so(page):
    server = start_streamlit(python_module("streamlit"), EXAMPLES / "page.py")
    try:
        page.goto(server.url)
        grid = page.frame_locator(GRID).first
        assert grid.locator(FIRST_CELL).inner_text().strip() == "0"
        src = grid_src(page)
        assert src.startswith("http://127.0.0.1:") and not src.startswith(server.url)
        notice = page.locator('[data-testid="stAlert"]')
        assert notice.count() == 1  # once, though the page shows two viewers
        assert "dtale-lite-streamlit run" in notice.inner_text()
        # Nothing is mounted on Streamlit's port.
        mounted = requests.get(f"{server.viewer}/api/frames",
                               params={"key": key_of(src)}, timeout=10)
        assert "application/json" not in mounted.headers["content-type"]
    finally:
        server.stop()
