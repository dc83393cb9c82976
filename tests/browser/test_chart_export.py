"""A chart exported as HTML draws offline: opened from a file in Chromium with every network
request refused, plotly.js (inlined) draws the chart."""
from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("params", [
    {"type": "bar", "x": "s", "y": "my col", "agg": "mean"},
    {"type": "density", "x": "when", "y": "my col", "bins": "40"},
], ids=["bar", "density"])
def test_exported_html_draws_with_no_network(page, small, tmp_path, params):
    response = requests.get(f"{small.base_url}/api/frames/{small.id}/chart",
                            params={**params, "format": "html", "key": small.key}, timeout=60)
    assert response.status_code == 200
    path = tmp_path / "chart.html"
    path.write_bytes(response.content)
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    page.route("http*://**/*", refuse)
    page.goto(path.as_uri())
    page.wait_for_selector(".main-svg", timeout=30_000)
    marks = ".trace.bars .point" if params["type"] == "bar" else ".hm image, .heatmaplayer image"
    page.wait_for_selector(marks, state="attached", timeout=30_000)
    assert refused == []
