"""The grid through a real Jupyter server and jupyter-server-proxy, in headless Chromium.

This is how a remote notebook reaches the viewer: the browser only talks to Jupyter, which
forwards /proxy/<port>/... to 127.0.0.1:<port> with the prefix stripped and
X-Forwarded-Prefix set, and passes its own ?token= through.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
import requests

from conftest import FIRST_CELL, cell
from live_jupyter import TOKEN, start_jupyter, stop_jupyter

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    proc, base = start_jupyter(tmp_path_factory.mktemp("jupyter"))
    yield base
    stop_jupyter(proc)


@pytest.fixture
def proxied():
    from dtale_lite.app.viewer import Viewer

    viewer = Viewer()  # its own server, so app_root applies whatever else this process runs
    frame = pd.DataFrame({"id": range(1000), "x": [i * 0.5 for i in range(1000)]})
    inst = viewer.show(frame, name="proxied", app_root="/proxy/{port}")
    yield inst
    viewer.shutdown()


def test_app_root_placeholder_and_notebook_iframe(proxied):
    port = proxied.base_url.rsplit(":", 1)[1].split("/")[0]
    assert proxied.base_url.endswith(f":{port}/proxy/{port}")
    assert proxied.frame_path == f"/proxy/{port}/frames/{proxied.id}?key={proxied.key}"
    # In a notebook the iframe is relative to Jupyter's origin, not to 127.0.0.1.
    assert f'src="{proxied.frame_path}"' in proxied._repr_html_()


def test_api_through_the_proxy(jupyter, proxied):
    port = proxied.base_url.rsplit(":", 1)[1].split("/")[0]
    url = f"{jupyter}/proxy/{port}/api/frames?key={proxied.key}&token={TOKEN}"
    frames = requests.get(url, timeout=10).json()["frames"]
    assert frames[0]["url"] == f"/proxy/{port}/frames/{proxied.id}?key={proxied.key}"
    denied = requests.get(f"{jupyter}/proxy/{port}/row-count/proxied?token={TOKEN}", timeout=10)
    assert denied.status_code == 401 and denied.json()["ok"] is False
    page = requests.get(f"{jupyter}{proxied.frame_path}&token={TOKEN}", timeout=10).text
    config = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    assert config["root"] == f"/proxy/{port}"


def test_the_grid_loads_and_sorts_through_the_proxy(jupyter, proxied, page):
    page.goto(f"{jupyter}{proxied.frame_path}&token={TOKEN}")
    page.wait_for_selector(FIRST_CELL)
    assert cell(page, 0, "id").inner_text().strip() == "0"
    assert page.inner_text('[data-testid="row-count"]') == "1,000 rows"
    page.click('[col-id="x"] [data-testid="header-label"]')
    page.wait_for_function(
        """() => document.querySelector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')
                 ?.textContent.trim() === '0'""")
    page.click('[col-id="x"] [data-testid="header-label"]')  # descending
    page.wait_for_function(
        """() => document.querySelector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')
                 ?.textContent.trim() === '999'""")


def test_the_chart_page_draws_through_the_proxy(jupyter, proxied, page):
    # Dash's scripts, layout and callbacks all come through /proxy/<port>/charts/ with the key.
    port = proxied.base_url.rsplit(":", 1)[1].split("/")[0]
    page.goto(f"{jupyter}/proxy/{port}/charts/{proxied.id}?key={proxied.key}&type=bar&x=id"
              f"&y=x&agg=sum&token={TOKEN}")
    page.wait_for_function(
        """() => { const gd = document.querySelector('[data-testid="chart-graph"] .js-plotly-plot');
                   return gd && gd._fullData && gd._fullData.length
                          && gd.querySelector('.trace.bars .point'); }""", timeout=30_000)
    assert "1,000 rows" in page.inner_text('[data-testid="chart-rows"]')
    grid_link = page.get_attribute('[data-testid="grid-link"]', "href")
    assert grid_link.startswith(f"/proxy/{port}/frames/{proxied.id}?key={proxied.key}")


# JupyterHub runs each user's Jupyter server under /user/<name>/ and exports that prefix as
# JUPYTERHUB_SERVICE_PREFIX to it and its kernels. This is that server (a real jupyter_server
# with jupyter-server-proxy under the same base URL; the hub in front adds nothing the viewer
# sees), and show() called with nothing but that variable set.
HUB_PREFIX = "/user/alice/"


@pytest.fixture(scope="module")
def hub_user_server(tmp_path_factory):
    proc, base = start_jupyter(tmp_path_factory.mktemp("hub"), HUB_PREFIX)
    yield base
    stop_jupyter(proc)


@pytest.fixture
def hub_shown(monkeypatch):
    from dtale_lite.app.viewer import Viewer

    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", HUB_PREFIX)
    monkeypatch.delenv("DTALE_LITE_APP_ROOT", raising=False)
    viewer = Viewer()
    frame = pd.DataFrame({"id": range(500), "x": [i * 0.5 for i in range(500)]})
    inst = viewer.show(frame, name="hub")
    yield inst
    viewer.shutdown()


def test_under_jupyterhub_the_grid_and_a_chart_come_through_the_users_proxy(
        hub_user_server, hub_shown, page):
    port = hub_shown.base_url.rsplit(":", 1)[1].split("/")[0]
    assert hub_shown.frame_path.startswith(f"{HUB_PREFIX}proxy/{port}/frames/")
    page.goto(f"{hub_user_server}{hub_shown.frame_path}&token={TOKEN}")
    page.wait_for_selector(FIRST_CELL)
    assert page.inner_text('[data-testid="row-count"]') == "500 rows"
    chart = hub_shown.chart_url(type="bar", x="id", y="x", agg="sum")
    path = chart.split(f":{port}", 1)[1]
    page.goto(f"{hub_user_server}{path}&token={TOKEN}")
    page.wait_for_function(
        """() => { const gd = document.querySelector('[data-testid="chart-graph"] .js-plotly-plot');
                   return gd && gd._fullData && gd.querySelector('.trace.bars .point'); }""",
        timeout=30_000)
