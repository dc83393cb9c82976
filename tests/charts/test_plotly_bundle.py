"""The chart pages load plotly.js's cartesian bundle, not the full one (issue 17, defect 7):
same plotly.js version as the plotly package, every trace the figure builder draws is in it,
and the chart server answers Dash's plotly.js URL with it."""
from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
import textwrap

import pytest

import re
from pathlib import Path

from dtale_lite.charts.plotly_bundle import (CARTESIAN, CARTESIAN_TRACES, FULL_TRACES,
                                             PLOTLY_URL_PATH, _head, full_bundle, version_of)
from dtale_lite.charts.spec import CHART_TYPES

from tests.conftest import KEY

# Each chart type on the small frame, with and without a group where it takes one.
SPECS = [
    {"type": "bar", "x": "s_lo"}, {"type": "bar", "x": "s_lo", "y": "f1", "group": "cat"},
    {"type": "line", "x": "ts", "y": "f1", "freq": "day"},
    {"type": "line", "x": "i_small", "y": "f1", "group": "cat"},
    {"type": "scatter", "x": "f1", "y": "i_small"},
    {"type": "scatter", "x": "f1", "y": "i_small", "group": "cat"},
    {"type": "histogram", "x": "f1"}, {"type": "histogram", "x": "f1", "group": "cat"},
    {"type": "box", "x": "cat", "y": "f1"}, {"type": "heatmap", "x": "s_lo", "y": "cat", "z": "f1"},
    {"type": "pie", "x": "s_lo"}, {"type": "density", "x": "f1", "y": "i_small"},
]
# Kinds that need the full bundle (issue 16).
FULL_SPECS = [{"type": "treemap", "path": ["cat", "s_lo"]}, {"type": "sunburst", "path": "cat"},
              {"type": "funnel", "x": "cat", "y": "f1"},
              {"type": "candlestick", "x": "ts", "y": "f1", "freq": "month"},
              {"type": "scatter3d", "x": "f1", "y": "id", "z": "i_small"},
              {"type": "surface", "x": "f1", "y": "id", "z": "i_small"},
              {"type": "map", "lat": "f1", "lon": "i_small"}]


def test_the_vendored_bundle_is_the_plotly_packages_plotly_js_version():
    # When this fails after a plotly upgrade, update dtale_lite/charts/plotlyjs (its README).
    assert version_of(_head(CARTESIAN)) == version_of(_head(full_bundle())) is not None


def test_every_chart_type_is_checked():
    assert {spec["type"] for spec in SPECS + FULL_SPECS} == set(CHART_TYPES)


@pytest.mark.parametrize("params", FULL_SPECS, ids=lambda p: p["type"])
def test_kinds_outside_the_cartesian_bundle_are_listed_for_the_full_one(client, frames, params):
    response = client.get("/api/frames/small/chart", query_string=params)
    traces = {trace["type"] for trace in response.get_json()["figure"]["data"]}
    assert traces and traces <= FULL_TRACES and not traces & CARTESIAN_TRACES


def test_the_page_script_lists_the_full_bundles_trace_types():
    script = (Path(__file__).parents[2] / "dtale_lite/charts/assets/plotly-bundle.js").read_text()
    listed = re.search(r"FULL_TYPES = \[([^\]]*)\]", script)[1]
    assert set(re.findall(r'"(\w+)"', listed)) == FULL_TRACES


def test_the_full_bundle_is_served_on_request(client, frames):
    assert client.get("/charts/small").status_code == 200  # builds the chart app
    url = f"/charts/{PLOTLY_URL_PATH}?bundle=full"
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    text = gzip.decompress(zipped.data).decode()
    assert text == full_bundle().read_text("utf-8") and "treemap" in text
    again = client.get(url, headers={"If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    cartesian = client.get(f"/charts/{PLOTLY_URL_PATH}", headers={"Accept-Encoding": "gzip"})
    assert cartesian.headers["ETag"] != zipped.headers["ETag"]


def test_the_version_is_read_from_a_bundles_opening_comment():
    assert version_of("/**\n* plotly.js (cartesian - minified) v4.1.1\n") == "4.1.1"
    assert version_of("/**\n* plotly.js v3.0.0\n* Copyright") == "3.0.0"
    assert version_of("console.log(1)") is None


@pytest.mark.parametrize("params", SPECS, ids=lambda p: "-".join(str(v) for v in p.values()))
def test_every_trace_the_figure_builder_draws_is_in_the_bundle(client, frames, params):
    response = client.get("/api/frames/small/chart", query_string=params)
    assert response.status_code == 200, response.get_json()
    traces = {trace["type"] for trace in response.get_json()["figure"]["data"]}
    assert traces and traces <= CARTESIAN_TRACES


def test_the_correlation_heatmap_is_in_the_bundle(client, frames):
    from dtale_lite.charts.correlations import correlation_figure

    result = client.get("/api/frames/small/correlations").get_json()
    assert {t["type"] for t in correlation_figure(result)["data"]} <= CARTESIAN_TRACES


def test_the_chart_server_answers_dashs_plotly_url_with_the_cartesian_bundle(client, frames):
    assert client.get("/charts/small").status_code == 200  # builds the chart app
    url = f"/charts/{PLOTLY_URL_PATH}"
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.mimetype == "application/javascript"
    assert "max-age" in zipped.headers["Cache-Control"]
    text = gzip.decompress(zipped.data).decode()
    assert text.lstrip().startswith("/**") and "plotly.js (cartesian" in text[:200]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data.decode() == text
    again = client.get(url, headers={"If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    # Public like Dash's other bundles: no key needed once the app is built.
    assert client.application.test_client().get(url).status_code == 200


@pytest.mark.skipif(importlib.util.find_spec("IPython") is None, reason="needs IPython")
def test_the_first_chart_page_does_not_import_ipython_outside_jupyter():
    script = textwrap.dedent(f"""
        import sys
        import pandas as pd
        from dtale_lite import create_app
        from dtale_lite.server.registry import Registry
        registry = Registry()
        registry.add(pd.DataFrame({{"a": [1, 2]}}), "t")
        client = create_app(registry, key="{KEY}").test_client()
        assert client.get("/charts/t", headers={{"X-Dtale-Lite-Key": "{KEY}"}}).status_code == 200
        assert "dash" in sys.modules and "IPython" not in sys.modules, "IPython imported"
        import IPython  # still importable afterwards
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
