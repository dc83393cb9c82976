"""The chart page's layout arrives with its first chart drawn (issue 17, defect 7): the layout
request carries the page's path and query (``X-Dtale-Lite-Page``, sent by
``assets/key-header.js``), so the page needs no routing and no drawing round trip."""
from __future__ import annotations

import pytest

from tests.conftest import KEY


def find(node, component_id: str):
    """The component with this id in a layout as Dash serves it (JSON), or None."""
    if isinstance(node, list):
        for child in node:
            found = find(child, component_id)
            if found is not None:
                return found
        return None
    if not isinstance(node, dict) or "props" not in node:
        return None
    if node["props"].get("id") == component_id:
        return node["props"]
    return find(node["props"].get("children"), component_id)


@pytest.fixture
def layout_for(client, frames):
    assert client.get("/charts/small").status_code == 200  # builds the chart app

    def fetch(page_url: str | None):
        headers = {"X-Dtale-Lite-Page": page_url} if page_url is not None else {}
        response = client.get("/charts/_dash-layout", headers=headers)
        assert response.status_code == 200, response.data[:300]
        return response.get_json()
    return fetch


def test_the_layout_holds_the_chart_of_the_pages_url(layout_for):
    layout = layout_for("/charts/small?type=bar&x=s_lo&y=f1&agg=mean")
    assert find(layout, "page-drawn")["data"] is True
    figure = find(layout, "chart-graph")["figure"]
    assert figure["data"][0]["type"] == "bar"
    assert find(layout, "chart-type")["value"] == "bar"
    assert find(layout, "chart-x")["value"] == "s_lo"
    assert find(layout, "chart-agg")["value"] == "mean"
    assert find(layout, "chart-message")["hidden"] is True
    assert "rows" in find(layout, "chart-rows")["children"]
    assert find(layout, "chart-url")["pathname"] == "/charts/small"
    assert f"key={KEY}" in find(layout, "chart-export-csv")["href"]


def test_settings_that_cannot_be_drawn_arrive_as_the_message(layout_for):
    layout = layout_for("/charts/small?type=scatter&x=nope&y=f1")
    assert find(layout, "chart-message")["hidden"] is False
    assert "nope" in find(layout, "chart-message")["children"]
    assert find(layout, "chart-graph-box")["hidden"] is True


def test_the_correlations_page_arrives_as_its_view(layout_for):
    layout = layout_for("/charts/small/correlations?method=spearman")
    assert find(layout, "page-drawn")["data"] is True
    assert find(layout, "corr-graph") is not None and find(layout, "chart-graph") is None


@pytest.mark.parametrize("page_url", [None, "", "/elsewhere", "/charts/"])
def test_without_a_chart_url_the_routing_callback_fills_the_page(layout_for, page_url):
    layout = layout_for(page_url)
    assert find(layout, "page-drawn")["data"] is False
    assert find(layout, "page")["children"] is None


@pytest.mark.parametrize("view", ["missing", "outliers", "duplicates", "timeseries"])
def test_an_analysis_page_arrives_as_its_own_view(layout_for, view):
    layout = layout_for(f"/charts/small/{view}?filter=f1%20%3E%200")
    assert find(layout, "page-drawn")["data"] is True
    assert find(layout, "an-view")["data"] == view
    assert find(layout, "chart-graph") is None and find(layout, "corr-graph") is None
