"""The chart page's controls and URL as plain data (dtale_lite.charts.controls), no server."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from dtale_lite.charts import controls
from dtale_lite.charts.spec import CHART_TYPES, OHLC, default_spec, parse_chart_spec

from tests.conftest import small_frame


@pytest.fixture
def columns():
    from dtale_lite.frames.source import PandasSource
    return PandasSource(small_frame()).columns()


def test_search_round_trip_keeps_the_key_and_token(columns):
    search = "?key=k%2F1&token=jt&type=bar&x=s_lo&y=f1&y=i_small&filter=f1%20%3E%200"
    args = controls.args_from_search(search)
    assert args == {"type": "bar", "x": "s_lo", "y": ["f1", "i_small"], "filter": "f1 > 0"}
    spec = parse_chart_spec(args, columns)
    new = controls.page_search(search, controls.page_params(spec, args))
    pairs = parse_qsl(new.lstrip("?"))
    assert ("key", "k/1") in pairs and ("token", "jt") in pairs
    assert controls.args_from_search(new) == args


def test_controls_to_spec_and_back(columns):
    values = {"type": "bar", "x": "s_lo", "y": ["f1"], "agg": "sum", "log": ["log_y"],
              "barmode": "stack", "bins": None, "filter": ""}
    spec = parse_chart_spec(controls.args_from_controls(values), columns)
    assert (spec.type, spec.x, spec.y, spec.agg, spec.log_y, spec.barmode) == (
        "bar", "s_lo", ("f1",), "sum", True, "stack")
    back = controls.control_values(spec)
    assert {k: back[k] for k in values if k != "bins"} == {k: v for k, v in values.items()
                                                           if k != "bins"}


@pytest.mark.parametrize("chart_type", CHART_TYPES)
def test_changing_the_type_gives_a_chart_that_parses(columns, chart_type):
    # From a histogram of f1 to any type: unfitting columns go, needed ones are filled.
    args = controls.fit_to_type({"type": chart_type, "x": "f1", "y": [], "bins": "30"},
                                columns)
    spec = parse_chart_spec(args, columns)
    assert spec.type == chart_type
    offered = controls.control_options(chart_type, spec.x, columns)
    assert spec.x is None or spec.x in offered["options"]["x"]
    assert all(y in offered["options"]["y"] for y in spec.y)
    assert all(p in offered["options"]["path"] for p in spec.path)


def test_the_new_kinds_offer_only_fitting_columns(columns):
    # Issue 16: each dropdown lists the columns of the kinds its role takes.
    treemap = controls.control_options("treemap", None, columns)
    assert treemap["shown"]["path"] and not treemap["shown"]["x"] and treemap["shown"]["agg"]
    assert "f1" not in treemap["options"]["path"] and "s_lo" in treemap["options"]["path"]
    candle = controls.control_options("candlestick", "ts", columns)
    assert candle["options"]["x"] == ["ts"] and candle["shown"]["freq"]
    assert all(candle["shown"][name] for name in OHLC) and "s_lo" not in candle["options"]["open"]
    space = controls.control_options("scatter3d", "f1", columns)
    assert space["shown"]["z"] and space["shown"]["color"] and not space["shown"]["group"]
    assert "ts" not in space["options"]["color"] and "f1" in space["options"]["color"]
    surface = controls.control_options("surface", "f1", columns)
    assert surface["shown"]["bins"] and "ts" not in surface["options"]["x"]
    bar = controls.control_options("bar", "s_lo", columns)
    assert bar["shown"]["y2"] and "s_lo" not in bar["options"]["y2"]
    assert not controls.control_options("scatter", "f1", columns)["shown"]["y2"]


def test_a_treemaps_path_and_a_bars_y2_round_trip_through_the_url(columns):
    search = "?type=treemap&path=cat&path=s_lo&y=f1&agg=sum"
    args = controls.args_from_search(search)
    assert args["path"] == ["cat", "s_lo"]
    spec = parse_chart_spec(args, columns)
    assert controls.args_from_search(controls.page_search("", controls.page_params(
        spec, args))) == args
    values = {"type": "bar", "x": "s_lo", "y": ["f1"], "y2": ["i_small"], "path": []}
    spec = parse_chart_spec(controls.fit_to_type(controls.args_from_controls(values), columns),
                            columns)
    assert spec.y2 == ("i_small",) and controls.control_values(spec)["y2"] == ["i_small"]


def test_options_follow_the_type(columns):
    histogram = controls.control_options("histogram", "f1", columns)
    assert histogram["shown"]["bins"] and not histogram["shown"]["y"]
    assert "s_lo" not in histogram["options"]["x"]
    heatmap = controls.control_options("heatmap", "ts", columns)
    assert heatmap["shown"]["z"] and heatmap["shown"]["freq"] and not heatmap["shown"]["group"]
    bar = controls.control_options("bar", "s_lo", columns)
    assert bar["shown"]["barmode"] and not bar["shown"]["freq"]


@pytest.mark.parametrize("relayout, expected", [
    (None, None),
    ({"autosize": True}, None),
    ({"xaxis.autorange": True, "yaxis.autorange": True}, {}),
    ({"xaxis.range[0]": 1, "xaxis.range[1]": 2.5, "yaxis.range[0]": -1, "yaxis.range[1]": 0},
     {"x_min": "1", "x_max": "2.5", "y_min": "-1", "y_max": "0"}),
    ({"xaxis.range": ["2021-01-01", "2021-02-01"]},
     {"x_min": "2021-01-01", "x_max": "2021-02-01"}),
])
def test_ranges_from_relayout(relayout, expected):
    assert controls.ranges_from_relayout(relayout) == expected


@pytest.mark.parametrize("path, prefix, expected", [
    ("/charts/sales", "/charts/", ("sales", "chart")),
    ("/proxy/8888/charts/3/correlations", "/proxy/8888/charts/", ("3", "correlations")),
    ("/elsewhere", "/charts/", (None, "chart")),
    (None, "/charts/", (None, "chart")),
])
def test_frame_from_path(path, prefix, expected):
    assert controls.frame_from_path(path, prefix) == expected


def test_links_carry_the_key_and_filter():
    url = controls.grid_url("/proxy/1", 3, "k", 's_lo == "cat_03" and f1 > 0')
    assert url.startswith("/proxy/1/frames/3?key=k&filter=")
    assert dict(parse_qsl(url.split("?", 1)[1]))["filter"] == 's_lo == "cat_03" and f1 > 0'
    route = controls.chart_route_url("", 3, None, [("type", "bar"), ("x", "a b")], "csv")
    assert route == "/api/frames/3/chart?type=bar&x=a%20b&format=csv"


def test_unparsed_settings_stay_in_the_controls():
    values = controls.control_values_from_args({"type": "scatter", "x": "nope", "y": ["f1"],
                                                "bins": "x"})
    assert values["x"] == "nope" and values["y"] == ["f1"] and values["bins"] is None
    params = controls.page_params(None, {"type": "scatter", "x": "nope", "y": ["f1"]})
    assert params == [("type", "scatter"), ("x", "nope"), ("y", "f1")]


def test_a_page_without_settings_shows_the_default_chart(columns):
    spec = parse_chart_spec(controls.args_from_search("?key=k&token=t"), columns)
    assert spec == default_spec(columns) and spec.type == "histogram" and spec.x == "id"


@pytest.mark.parametrize("prop_ids, expected", [
    ((), None),
    (("chart-url.pathname", "chart-url.search"), "chart-url"),
    (("chart-zoom.data",), "chart-zoom"),
    # Plotly's autosize relayout batched with a type change, listed first: the type wins.
    (("chart-zoom.data", "chart-type.value"), "chart-type"),
    (("chart-type.value", "chart-zoom.data"), "chart-type"),
    (("chart-zoom.data", "chart-url.search"), "chart-url"),
])
def test_a_control_change_batched_with_a_zoom_is_answered_as_the_control(prop_ids, expected):
    from dtale_lite.charts.callbacks import _trigger

    assert _trigger(dict.fromkeys(prop_ids)) == expected


@pytest.mark.parametrize("change, matches", [
    ({}, True),                                   # the controls show what is drawn
    ({"type": "pie"}, False),                     # a type picked while a relayout was on its way
    ({"agg": "sum"}, False),
])
def test_a_relayout_redraws_only_when_the_controls_moved_on(change, matches):
    from dtale_lite.charts.callbacks import _controls_match_drawn
    from dtale_lite.frames.source import PandasSource

    columns = PandasSource(small_frame()).columns()
    values = {"type": "bar", "x": "s_lo", "y": ["f1"], "z": None, "group": None, "agg": "mean",
              "freq": None, "bins": None, "log": [], "barmode": None, "filter": ""}
    drawn = [["type", "bar"], ["x", "s_lo"], ["y", "f1"], ["agg", "mean"], ["x_min", "1"]]
    assert _controls_match_drawn({**values, **change}, drawn, None, columns) is matches


def test_a_default_shown_in_the_controls_stays_a_default():
    # The bar of ts without 'agg' drew the mean of f1 by day: the boxes show mean and day.
    from dtale_lite.charts.callbacks import _controls_match_drawn
    from dtale_lite.frames.source import PandasSource

    columns = PandasSource(small_frame()).columns()
    values = {"type": "bar", "x": "ts", "y": ["f1"], "z": None, "group": None, "agg": "mean",
              "freq": "day", "bins": None, "log": [], "barmode": None, "filter": ""}
    defaults = {"agg": "mean", "freq": "day"}
    drawn = [["type", "bar"], ["x", "ts"], ["y", "f1"]]
    assert _controls_match_drawn(values, drawn, defaults, columns)  # a zoom: no redraw
    assert "agg" not in controls.args_from_controls({**values, "y": []}, defaults)  # counts
    picked = controls.args_from_controls({**values, "agg": "sum", "freq": "month"}, defaults)
    assert picked["agg"] == "sum" and picked["freq"] == "month"


@pytest.mark.parametrize("params, used", [
    (dict(type="bar", x="ts", y="f1"), {"agg": "mean", "freq": "week"}),
    (dict(type="bar", x="ts"), {"agg": "count", "freq": "week"}),
    (dict(type="bar", x="ts", freq="month", agg="sum", y="f1"), {"agg": "sum", "freq": "month"}),
    (dict(type="pie", x="s_lo", y="f1"), {"agg": "sum"}),
    (dict(type="heatmap", x="s_lo", y="cat"), {"agg": "count"}),
    (dict(type="line", x="id", y="f1"), {}),  # a raw line: no aggregation
    (dict(type="histogram", x="f1"), {}),
])
def test_the_controls_show_the_settings_the_chart_used(columns, params, used):
    from dtale_lite.charts.figure import build_chart
    from dtale_lite.frames.source import PandasSource

    spec = parse_chart_spec(params, columns)
    result = build_chart(PandasSource(small_frame()), None, spec)
    assert result.used == used
    shown = controls.control_values(spec, result.used)
    assert (shown["agg"], shown["freq"]) == (used.get("agg"), used.get("freq"))


def test_a_value_that_is_not_a_choice_stays_in_its_box():
    options = [{"label": "f1", "value": "f1"}]
    assert controls.with_unknown_options(options, "nosuchcol") == options + [
        {"label": "nosuchcol", "value": "nosuchcol"}]
    assert controls.with_unknown_options(options, ["f1", "zz"])[-1]["value"] == "zz"
    assert controls.with_unknown_options(options, None) == options


def test_a_map_offers_numbers_for_lat_lon_and_text_for_locations(columns):
    offered = controls.control_options("map", None, columns)
    assert offered["options"]["lat"] == offered["options"]["lon"] == ["id", "i_small", "f1"]
    assert offered["options"]["locations"] == ["s_lo", "cat"]
    assert offered["shown"]["lat"] and offered["shown"]["locations"]
    assert not offered["shown"]["x"] and not offered["shown"]["group"]
    assert "f1" not in offered["options"]["animate_by"]  # floats: no frames


def test_changing_to_a_map_picks_lat_lon_by_name_and_drops_y():
    from dtale_lite.frames.source import PandasSource

    frame = small_frame(50).assign(latitude=1.0, Lon=2.0)
    columns = PandasSource(frame).columns()
    args = controls.fit_to_type({"type": "map", "x": "s_lo", "y": ["f1"], "agg": "mean"},
                                columns)
    spec = parse_chart_spec(args, columns)
    assert (spec.lat, spec.lon, spec.y, spec.agg, spec.x) == ("latitude", "Lon", (), None,
                                                              None)
    choropleth = controls.fit_to_type({"type": "map", "locations": "s_lo", "y": ["f1"],
                                       "lat": "f1"}, columns)
    spec = parse_chart_spec(choropleth, columns)
    assert (spec.locations, spec.lat, spec.y) == ("s_lo", None, ("f1",))


@pytest.mark.parametrize("chart_type, shown", [("bar", True), ("scatter", True), ("map", True),
                                               ("line", False), ("pie", False)])
def test_animate_by_shows_on_bar_scatter_and_map_with_its_frequency(columns, chart_type,
                                                                    shown):
    offered = controls.control_options(chart_type, "s_lo", columns, animate_by="ts")
    assert offered["shown"]["animate_by"] is shown
    assert offered["shown"]["freq"] is shown
    kept = controls.fit_to_type({"type": chart_type, "x": "s_lo", "y": ["f1"],
                                 "animate_by": "ts", "freq": "week"}, columns)
    assert (kept.get("animate_by") == "ts") is shown
