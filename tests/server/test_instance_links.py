"""``Instance.chart_url`` and ``Instance.correlations_url``: links into the chart builder
(issue 6), read back the way the chart page reads them."""
from __future__ import annotations

from dataclasses import replace

import datetime as dt
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest

from dtale_lite.server.instance import Instance
from dtale_lite.server.registry import Registry
from dtale_lite.app.viewer import Viewer

from tests.conftest import small_frame

BASE = "http://127.0.0.1:4321/proxy/4321"


def instance(key: str | None = "k-1", name: str | None = "sales") -> Instance:
    registry = Registry()
    registry.add(small_frame(5), name="first")  # so the frame under test has id 2
    entry = registry.add(small_frame(), name=name)
    viewer = SimpleNamespace(registry=registry, key=key, base_url=BASE, app_root="/proxy/4321")
    return Instance(viewer, entry)


def read(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:4321"
    return parts.path, parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))


AWKWARD = 'price & "tax" #1 naïve 日本 100% a+b=c'

CHART_CASES = [
    pytest.param({}, {}, id="no settings: the page picks a first chart"),
    pytest.param({"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"},
                 {"type": ["bar"], "x": ["s_lo"], "y": ["f1"], "agg": ["mean"]}, id="readme example"),
    pytest.param({"type": "line", "x": "ts", "y": ["f1", "i_small"], "freq": "day"},
                 {"type": ["line"], "x": ["ts"], "y": ["f1", "i_small"], "freq": ["day"]},
                 id="y list repeats"),
    pytest.param({"type": "line", "y": ("f1",)}, {"type": ["line"], "y": ["f1"]}, id="y tuple"),
    pytest.param({"type": "scatter", "y": []}, {"type": ["scatter"]}, id="empty y list"),
    pytest.param({"type": "histogram", "x": "f1", "bins": 40, "log_x": True, "log_y": False},
                 {"type": ["histogram"], "x": ["f1"], "bins": ["40"], "log_x": ["1"],
                  "log_y": ["0"]}, id="booleans as 1/0, numbers as text"),
    pytest.param({"type": "bar", "log_y": np.bool_(True)}, {"type": ["bar"], "log_y": ["1"]},
                 id="numpy bool"),
    pytest.param({"type": "bar", "x": "cat", "y": "f1", "group": "s_lo", "barmode": "stack",
                  "agg": "sum"},
                 {"type": ["bar"], "x": ["cat"], "y": ["f1"], "group": ["s_lo"],
                  "barmode": ["stack"], "agg": ["sum"]}, id="group and barmode"),
    pytest.param({"type": "heatmap", "x": "cat", "y": "s_lo", "z": "f1", "agg": "median"},
                 {"type": ["heatmap"], "x": ["cat"], "y": ["s_lo"], "z": ["f1"],
                  "agg": ["median"]}, id="heatmap z"),
    pytest.param({"type": "pie", "x": None, "y": None, "agg": None, "filter": None},
                 {"type": ["pie"]}, id="None left out"),
    pytest.param({"type": "box", "y": "f1", "filter": 's_lo == "cat_03" and f1 > 1'},
                 {"type": ["box"], "y": ["f1"], "filter": ['s_lo == "cat_03" and f1 > 1']},
                 id="filter"),
    pytest.param({"type": "box", "filter": "  "}, {"type": ["box"]}, id="blank filter left out"),
    pytest.param({"type": "density", "x": "f1", "y": "f3", "x_min": -1.5, "x_max": 2,
                  "y_min": np.float64(0.25), "y_max": 1},
                 {"type": ["density"], "x": ["f1"], "y": ["f3"], "x_min": ["-1.5"],
                  "x_max": ["2"], "y_min": ["0.25"], "y_max": ["1"]}, id="zoom range"),
    pytest.param({"type": "line", "x": "ts", "x_min": pd.Timestamp("2021-06-01 12:30"),
                  "x_max": dt.datetime(2021, 7, 1)},
                 {"type": ["line"], "x": ["ts"], "x_min": ["2021-06-01T12:30:00"],
                  "x_max": ["2021-07-01T00:00:00"]}, id="datetime range as ISO 8601"),
    pytest.param({"type": "scatter", "x": AWKWARD, "y": [AWKWARD, "f1"], "group": AWKWARD,
                  "filter": f'`{AWKWARD}` > 1'},
                 {"type": ["scatter"], "x": [AWKWARD], "y": [AWKWARD, "f1"], "group": [AWKWARD],
                  "filter": [f'`{AWKWARD}` > 1']}, id="awkward names round-trip"),
]


@pytest.mark.parametrize("settings, expected", CHART_CASES)
def test_chart_url_has_exactly_these_parameters(settings, expected):
    inst = instance()
    url = inst.chart_url(**settings)
    path, params = read(url)
    assert path == f"/proxy/4321/charts/{inst.id}" and inst.id == 2
    assert params == {"key": ["k-1"], **expected}
    assert "#" not in url and " " not in url


def test_chart_url_puts_the_key_first_and_parameters_in_the_page_order():
    url = instance().chart_url(filter="f1 > 0", agg="mean", y=["b", "a"], x="c", type="bar")
    names = [pair.split("=")[0] for pair in urlsplit(url).query.split("&")]
    assert names == ["key", "type", "x", "y", "y", "agg", "filter"]


def test_chart_url_without_a_key_or_settings_is_the_bare_page():
    inst = instance(key=None)
    assert inst.chart_url() == f"{BASE}/charts/{inst.id}"
    assert read(inst.chart_url(type="pie", x="cat"))[1] == {"type": ["pie"], "x": ["cat"]}


def test_chart_url_uses_the_id_even_for_a_named_frame():
    inst = instance(name="my.frame-1")
    assert read(inst.chart_url())[0] == f"/proxy/4321/charts/{inst.id}"


def test_chart_url_refuses_an_unknown_keyword():
    with pytest.raises(TypeError, match=r"\['colour'\].*the chart parameters are type, x, y, y2, z"):
        instance().chart_url(type="bar", colour="red")


@pytest.mark.parametrize("kwargs, expected", [
    ({}, {"method": ["pearson"]}),
    ({"method": "spearman"}, {"method": ["spearman"]}),
    ({"filter": "flag == true"}, {"method": ["pearson"], "filter": ["flag == true"]}),
    ({"method": "spearman", "filter": f'`{AWKWARD}` >= 0.5'},
     {"method": ["spearman"], "filter": [f'`{AWKWARD}` >= 0.5']}),
    ({"filter": ""}, {"method": ["pearson"]}),
    ({"filter": None}, {"method": ["pearson"]}),
])
def test_correlations_url_has_exactly_these_parameters(kwargs, expected):
    inst = instance()
    path, params = read(inst.correlations_url(**kwargs))
    assert path == f"/proxy/4321/charts/{inst.id}/correlations"
    assert params == {"key": ["k-1"], **expected}


def test_correlations_url_refuses_another_method():
    with pytest.raises(ValueError, match="pearson, spearman, not 'kendall'"):
        instance().correlations_url(method="kendall")


def test_a_shown_frame_links_to_its_own_server_and_prefix():
    viewer = Viewer()
    try:
        inst = viewer.show(small_frame(), "sales", app_root="/proxy/{port}")
        url = inst.chart_url(type="bar", x="s_lo", y="f1", agg="mean")
        assert url.startswith(f"{inst.base_url}/charts/{inst.id}?key=")
        assert inst.base_url.endswith(f"/proxy/{inst.base_url.rsplit(':', 1)[1].split('/')[0]}")
        assert parse_qs(urlsplit(url).query)["key"] == [inst.key]
        assert inst.correlations_url().startswith(f"{inst.base_url}/charts/{inst.id}/correlations?key=")
    finally:
        viewer.shutdown()


# --- the links are what the chart spec and route read ---------------------------------------

ROUTE_CASES = [
    ({}, {"type": "histogram", "x": "id"}),  # the default chart: the first numeric column
    ({"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"},
     {"type": "bar", "x": "s_lo", "y": ("f1",), "agg": "mean"}),
    ({"type": "line", "x": "ts", "y": ["f1", "i_small"], "freq": "day", "log_y": True},
     {"type": "line", "x": "ts", "y": ("f1", "i_small"), "freq": "day", "log_y": True}),
    ({"type": "bar", "x": "cat", "y": "f1", "group": "s_lo", "barmode": "stack", "log_x": False},
     {"type": "bar", "x": "cat", "y": ("f1",), "group": "s_lo", "barmode": "stack"}),
    ({"type": "heatmap", "x": "cat", "y": "s_lo", "z": "f1", "agg": "max"},
     {"type": "heatmap", "x": "cat", "y": ("s_lo",), "z": "f1", "agg": "max"}),
    ({"type": "histogram", "x": "f1", "bins": 25, "filter": 's_lo == "cat_01"'},
     {"type": "histogram", "x": "f1", "bins": 25, "filter": 's_lo == "cat_01"'}),
    ({"type": "density", "x": "f1", "y": "i_small", "x_min": -1, "x_max": 1.5, "y_min": 0,
      "y_max": 9}, {"type": "density", "x": "f1", "y": ("i_small",), "x_range": (-1.0, 1.5),
                    "y_range": (0.0, 9.0)}),
    ({"type": "scatter", "x": "ts", "y": "f1", "x_min": pd.Timestamp("2020-01-02"),
      "x_max": dt.datetime(2020, 3, 1)},
     {"type": "scatter", "x": "ts", "y": ("f1",),
      "x_range": (float(pd.Timestamp("2020-01-02").value),
                  float(pd.Timestamp("2020-03-01").value))}),
]


@pytest.mark.parametrize("settings, expected", ROUTE_CASES)
def test_the_chart_spec_reads_chart_url_back(registry, settings, expected):
    from werkzeug.datastructures import MultiDict

    from dtale_lite.charts.spec import ChartSpec, parse_chart_spec

    entry = registry.add(small_frame(), name="sales")
    viewer = SimpleNamespace(registry=registry, key="k", base_url=BASE, app_root="")
    query = urlsplit(Instance(viewer, entry).chart_url(**settings)).query
    args = MultiDict([(k, v) for k, values in parse_qs(query).items() for v in values])
    # ``why`` explains a default chart; a link that names its chart has none to compare.
    assert replace(parse_chart_spec(args, entry.source.columns()), why=None) == \
        ChartSpec(**expected)


@pytest.mark.parametrize("settings", [s for s, _ in ROUTE_CASES])
def test_the_chart_route_draws_the_chart_of_chart_url(registry, client, settings):
    entry = registry.add(small_frame(), name="sales")
    viewer = SimpleNamespace(registry=registry, key="test-key", base_url="", app_root="")
    url = Instance(viewer, entry).chart_url(**settings)
    answer = client.get(url.replace("/charts/", "/api/frames/", 1).replace("?", "/chart?", 1))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["ok"] is True


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_the_correlations_route_answers_correlations_url(registry, client, method):
    entry = registry.add(small_frame(), name="sales")
    viewer = SimpleNamespace(registry=registry, key="test-key", base_url="", app_root="")
    url = Instance(viewer, entry).correlations_url(method, filter="i_small > 2")
    answer = client.get(url.replace("/charts/", "/api/frames/", 1))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    frame = small_frame()
    assert body["rows"] == int((frame.i_small > 2).sum()) and "f1" in body["columns"]
