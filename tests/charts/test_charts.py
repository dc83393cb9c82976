"""The pure figure builder: every type and aggregation, odd and empty data, reductions, the
rows behind each mark, and the code export run on the same frame."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dtale_lite.frames.aggregate import AGGREGATIONS
from dtale_lite.charts import figure as F
from dtale_lite.charts.figure import build_chart, decode
from dtale_lite.charts.spec import ChartSpec, default_spec, parse_chart_spec, spec_params
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.conftest import odd_frame, run_code, small_frame

PANDAS = {"count": "count", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
          "max": "max", "distinct": "nunique", "std": "std"}


def chart(frame, positions=None, **params):
    source = PandasSource(frame)
    return build_chart(source, positions, parse_chart_spec(params, source.columns()))


def ys(result, trace=0):
    return decode(result.figure["data"][trace]["y"]).astype(float)


# -- every type draws, and stays JSON --------------------------------------------------------
TYPES = [
    dict(type="bar", x="s_lo"), dict(type="bar", x="s_lo", y="f1"),
    # Rows without s_lo: a "(missing)" mark, or left out with dropna (issue 17).
    dict(type="bar", x="s_lo", dropna=1), dict(type="pie", x="s_lo", y="f1"),
    dict(type="heatmap", x="s_lo", y="cat", dropna=1),
    dict(type="histogram", x="f1", group="s_lo"), dict(type="line", x="id", y="f1", group="s_lo"),
    dict(type="box", y="f1", x="s_lo", dropna=1),
    dict(type="bar", x="cat", y="f1", group="s_lo", barmode="stack"),
    dict(type="bar", x="ts", y="i_small", agg="sum"), dict(type="bar", x="f1"),
    dict(type="line", x="ts", y="f1", freq="day"), dict(type="line", x="ts", y="f1"),
    dict(type="line", x="id", y=["f1", "i_small"]), dict(type="line", x="s_lo", y="f1"),
    dict(type="line", x="id", y="f1", group="cat"),
    dict(type="scatter", x="f1", y="i_small"), dict(type="scatter", x="ts", y="f1", group="cat"),
    dict(type="histogram", x="f1", bins=7), dict(type="histogram", x="ts", group="flag"),
    dict(type="box", y="f1"), dict(type="box", y=["f1", "i_small"], x="s_lo"),
    dict(type="heatmap", x="s_lo", y="cat"), dict(type="heatmap", x="f1", y="ts", z="i_small"),
    dict(type="pie", x="cat"), dict(type="pie", x="s_lo", y="i_small"),
    dict(type="density", x="f1", y="i_small"), dict(type="density", x="ts", y="f1", bins=30),
]


@pytest.mark.parametrize("params", TYPES, ids=lambda p: "-".join(
    f"{k}={v}" for k, v in p.items()))
def test_every_type_builds_a_json_figure_with_code(params):
    result = chart(small_frame(300), **params)
    text = json.dumps(result.figure, allow_nan=False)  # NaN may only travel in typed arrays
    assert len(text) < 1_000_000
    assert result.figure["data"] and result.message is None
    assert result.points > 0 and result.rows == 300
    assert result.reduction in ("none", "aggregated", "binned", "downsampled", "top_n")
    namespace = run_code(result.code, small_frame(300))
    assert namespace["fig"].data, "the exported code draws a figure"


@pytest.mark.parametrize("agg", AGGREGATIONS)
def test_bar_aggregations_equal_pandas(agg):
    frame = small_frame(400)
    result = chart(frame, type="bar", x="s_lo", y="i_small", agg=agg)
    # The rows without s_lo are a bar of their own, last (issue 17).
    expected = frame.groupby("s_lo", dropna=False)["i_small"].agg(PANDAS[agg])
    assert result.figure["data"][0]["x"] == [v if isinstance(v, str) else "(missing)"
                                             for v in expected.index]
    np.testing.assert_allclose(ys(result), expected.to_numpy(float), rtol=1e-12)


@pytest.mark.parametrize("agg", ["count", "sum", "mean", "median", "min", "max", "std"])
def test_heatmap_aggregations_equal_pandas(agg):
    frame = small_frame(400)
    result = chart(frame, type="heatmap", x="s_lo", y="cat", z="f1", agg=agg, dropna=1)
    expected = frame.groupby(["cat", "s_lo"], observed=True)["f1"].agg(PANDAS[agg]).unstack()
    z = decode(result.figure["data"][0]["z"])
    if agg == "count":
        expected = expected.where(expected > 0)
    np.testing.assert_allclose(z, expected.to_numpy(float), rtol=1e-12)


def test_line_daily_equals_resample():
    frame = small_frame(2000)
    result = chart(frame, type="line", x="ts", y="f1", freq="day", agg="mean")
    expected = frame.set_index("ts")["f1"].resample("D").mean()
    expected = expected[frame.set_index("ts")["f1"].resample("D").size() > 0]
    x = decode(result.figure["data"][0]["x"])
    assert np.array_equal(x * 1e6, expected.index.as_unit("ns").asi8.astype(float))
    np.testing.assert_allclose(ys(result), expected.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("freq, alias", [("hour", "h"), ("week", "W-SUN"), ("month", "M"),
                                         ("quarter", "Q"), ("year", "Y")])
def test_periods_start_where_pandas_periods_start(freq, alias):
    frame = small_frame(3000)
    result = chart(frame, type="bar", x="ts", freq=freq)
    periods = frame.ts.dt.to_period(alias).dt.start_time
    expected = periods.value_counts().sort_index()
    assert np.array_equal(decode(result.figure["data"][0]["x"]) * 1e6,
                          expected.index.as_unit("ns").asi8.astype(float))
    assert ys(result).tolist() == expected.tolist()


def test_histogram_equals_numpy():
    frame = small_frame(1000)
    result = chart(frame, type="histogram", x="f1", bins=13)
    counts, edges = np.histogram(frame.f1.dropna(), bins=13)
    assert ys(result).tolist() == counts.tolist()
    np.testing.assert_allclose(decode(result.figure["data"][0]["x"]), (edges[1:] + edges[:-1]) / 2)


def test_box_quartiles_and_whiskers_equal_pandas():
    frame = small_frame(1000)
    result = chart(frame, type="box", y="f1", x="s_lo", dropna=1)
    trace = result.figure["data"][0]
    groups = frame.dropna(subset=["s_lo"]).groupby("s_lo")["f1"]
    q = groups.quantile([0.25, 0.5, 0.75]).unstack()
    np.testing.assert_allclose(decode(trace["q1"]), q[0.25])
    np.testing.assert_allclose(decode(trace["median"]), q[0.5])
    np.testing.assert_allclose(decode(trace["q3"]), q[0.75])
    for i, (name, values) in enumerate(groups):
        iqr = q.loc[name, 0.75] - q.loc[name, 0.25]
        inside = values[(values >= q.loc[name, 0.25] - 1.5 * iqr)
                        & (values <= q.loc[name, 0.75] + 1.5 * iqr)]
        assert decode(trace["lowerfence"])[i] == inside.min()
        assert decode(trace["upperfence"])[i] == inside.max()


def test_distinct_counts_text_values():
    frame = small_frame(500).assign(word=lambda f: "w" + (f.i_small % 3).astype(str))
    result = chart(frame, type="bar", x="s_lo", y="f1", agg="distinct", dropna=1)
    assert ys(result).tolist() == frame.groupby("s_lo").f1.nunique().tolist()


# -- reductions: never refuse, say so --------------------------------------------------------
def big_frame(n=60_000, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.standard_normal(n), "b": rng.standard_normal(n),
                         "t": pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(n), "min"),
                         "word": [f"w{k}" for k in rng.integers(0, 300, n)]})


def test_a_large_scatter_becomes_a_density_plot_and_says_so():
    result = chart(big_frame(), type="scatter", x="a", y="b")
    assert result.reduction == "binned" and result.figure["data"][0]["type"] == "heatmap"
    assert result.note == ("60,000 points: drawn as a density of rows per cell (200 x 150 "
                           "cells); zoom in to re-bin")
    assert decode(result.figure["data"][0]["z"]).shape == (150, 200)
    assert chart(big_frame(), type="density", x="a", y="b", bins=100).points == 100 * 75
    assert np.nansum(decode(result.figure["data"][0]["z"])) == 60_000
    assert result.note in json.dumps(result.figure["layout"]["annotations"])


def test_a_small_scatter_sends_every_point():
    result = chart(big_frame(2000), type="scatter", x="a", y="b")
    assert result.reduction == "none" and result.points == 2000
    assert len(decode(result.figure["data"][0]["x"])) == 2000


def test_a_long_line_keeps_min_and_max_per_bucket():
    frame = big_frame()
    result = chart(frame, type="line", x="t", y="a")
    assert result.reduction == "downsampled" and "min and max" in result.note
    y = ys(result)
    assert len(y) <= 2 * F.LINE_BUCKETS
    assert y.max() == frame.a.max() and y.min() == frame.a.min()  # peaks survive
    assert np.all(np.diff(decode(result.figure["data"][0]["x"])) >= 0)


def test_zooming_a_line_rebins_the_visible_range():
    frame = big_frame()
    lo, hi = frame.t.iloc[1000], frame.t.iloc[3000]
    result = chart(frame, type="line", x="t", y="a", x_min=lo.isoformat(), x_max=hi.isoformat())
    x = decode(result.figure["data"][0]["x"]) * 1e6
    assert x.min() >= lo.value and x.max() <= hi.value
    assert result.reduction == "none" and len(x) == 2001  # few enough to send every point


def test_zooming_a_density_rebins_the_visible_range():
    result = chart(big_frame(), type="density", x="a", y="b", x_min="0", x_max="1",
                   y_min="-1", y_max="0")
    x, y = (decode(result.figure["data"][0][axis]) for axis in ("x", "y"))
    assert 0 < x.min() < x.max() < 1 and -1 < y.min() < y.max() < 0


def test_many_categories_keep_the_top_n_and_other():
    frame = big_frame()
    result = chart(frame, type="bar", x="word")
    x = result.figure["data"][0]["x"]
    assert len(x) == F.TOP["bar"] + 1 and x[-1] == "Other"
    assert ys(result).sum() == len(frame) and result.reduction == "top_n"
    # Ties go to the value seen first.
    top = frame.word.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    assert set(x[:-1]) == set(top.index[:F.TOP["bar"]])
    assert "Other" in result.note


def test_pie_keeps_ten_slices_and_other():
    result = chart(big_frame(), type="pie", x="word")
    assert len(result.figure["data"][0]["labels"]) == F.TOP["pie"] + 1


# -- each mark knows its rows ----------------------------------------------------------------
@pytest.mark.parametrize("params", [
    dict(type="bar", x="word"), dict(type="bar", x="t", freq="week"),
    dict(type="bar", x="a", bins=9), dict(type="pie", x="word"),
    dict(type="histogram", x="b", bins=12), dict(type="bar", x="word", group="word2"),
])
def test_each_marks_filter_selects_exactly_its_rows(params):
    frame = big_frame(5000).assign(word2=lambda f: f.word.str[:2])
    source = PandasSource(frame)
    result = build_chart(source, None, parse_chart_spec(params, source.columns()))
    for trace in result.figure["data"]:
        counts = decode(trace.get("y", trace.get("values")))
        for count, text in zip(counts, trace["customdata"]):
            mask = filter_mask(text, source.resolver(), len(frame))
            assert mask.sum() == count, text


def test_heatmap_cells_know_their_rows():
    frame = small_frame(500)
    source = PandasSource(frame)
    positions = np.flatnonzero(~frame.flag.to_numpy())
    result = build_chart(source, positions, parse_chart_spec(
        dict(type="heatmap", x="s_lo", y="i_small", filter="flag == false"), source.columns()))
    z = decode(result.figure["data"][0]["z"])
    for row, texts in zip(z, result.figure["data"][0]["customdata"]):
        for count, text in zip(row, texts):
            assert filter_mask(text, source.resolver(), 500).sum() == np.nan_to_num(count)
            assert text.startswith("(flag == false) and ")


# -- odd and empty data: a message, never an exception ---------------------------------------
@pytest.mark.parametrize("params, message", [
    (dict(type="histogram", x="f1", filter="f1 > 100"), "the filter matches no row"),
    (dict(type="bar", x="s_lo", y="f1", filter="f1 is null"), None),
    (dict(type="scatter", x="f1", y="id", filter="f1 is null"), "no usable value"),
    (dict(type="box", y="f1", filter="f1 is null"), "no usable value"),
    (dict(type="density", x="f1", y="id", filter="f1 is null"), "no usable value"),
    (dict(type="line", x="id", y="f1", filter="f1 is null"), "no usable value"),
])
def test_nothing_to_draw_is_a_message_not_an_error(params, message):
    frame = small_frame(300)
    source = PandasSource(frame)
    spec = parse_chart_spec(params, source.columns())
    positions = None
    if spec.filter:
        positions = np.flatnonzero(filter_mask(spec.filter, source.resolver(), len(frame)))
    result = build_chart(source, positions, spec)
    if message:
        assert message in result.message
        assert result.figure["layout"]["annotations"][0]["text"] == result.message
    json.dumps(result.figure, allow_nan=False)


def test_empty_and_single_row_frames():
    empty = small_frame(0)
    assert "frame is empty" in chart(empty, type="bar", x="s_lo").message
    one = small_frame(1).assign(f1=1.5, s_lo="a")
    for params in (dict(type="histogram", x="f1"), dict(type="box", y="f1"),
                   dict(type="scatter", x="f1", y="id"), dict(type="density", x="f1", y="id"),
                   dict(type="line", x="ts", y="f1"), dict(type="bar", x="s_lo", y="f1")):
        result = chart(one, **params)
        assert result.message is None, params
        json.dumps(result.figure, allow_nan=False)


ODD_CASES = [dict(type="histogram", x="nan_inf"), dict(type="histogram", x="tz"),
             dict(type="bar", x="tz"), dict(type="bar", x="mixed"), dict(type="bar", x="nested"),
             dict(type="bar", x="decimal"), dict(type="bar", x="huge"), dict(type="pie", x="cat"),
             dict(type="bar", x="nullable_bool", y="nullable_int"),
             dict(type="box", y="nan_inf", x="cat"), dict(type="line", x="tz", y="nullable_int"),
             dict(type="scatter", x="nat", y="nan_inf"), dict(type="heatmap", x="cat", y="mixed"),
             dict(type="density", x="tz", y="nullable_int"), dict(type="histogram", x="td"),
             dict(type="scatter", x="td", y="nan_inf"), dict(type="density", x="td", y="td")]


@pytest.mark.parametrize("params", ODD_CASES, ids=lambda p: "-".join(map(str, p.values())))
def test_odd_data_charts(params):
    result = chart(odd_frame(), **params)
    json.dumps(result.figure, allow_nan=False)
    assert result.figure["data"] or result.message


def test_durations_chart_in_seconds_and_their_bins_know_their_rows():
    frame = pd.DataFrame({"wait": pd.to_timedelta(np.arange(100) * 37, unit="s")})
    source = PandasSource(frame)
    result = build_chart(source, None, parse_chart_spec(dict(type="histogram", x="wait",
                                                             bins=10), source.columns()))
    trace = result.figure["data"][0]
    assert result.figure["layout"]["xaxis"]["title"]["text"] == "wait (seconds)"
    assert decode(trace["x"])[0] == pytest.approx(99 * 37 / 10 / 2)
    for count, text in zip(decode(trace["y"]), trace["customdata"]):
        assert filter_mask(text, source.resolver(), 100).sum() == count, text
    namespace = run_code(result.code, frame)
    assert list(namespace["fig"].data[0].y) == decode(trace["y"]).tolist()


def test_tz_aware_periods_are_wall_time():
    frame = pd.DataFrame({"t": pd.date_range("2021-03-27 20:00", periods=10, freq="h",
                                             tz="Europe/Paris")})
    result = chart(frame, type="bar", x="t", freq="day")
    assert ys(result).tolist() == [4, 6]  # 20:00-23:00 on the 27th, 00:00-05:00 on the 28th
    assert "t >= \"2021-03-28T00:00:00\"" in result.figure["data"][0]["customdata"][1]


def test_category_group_does_not_need_an_ordered_category():
    # D-Tale fails here with "Categorical is not ordered".
    frame = small_frame(300)
    result = chart(frame, type="bar", x="cat", y="f1", group="s_lo")
    assert len(result.figure["data"]) == frame.s_lo.nunique() + 1  # and "(missing)"


def test_the_frame_is_not_changed():
    frame = small_frame(300)
    before = frame.copy()
    for params in TYPES:
        chart(frame, **params)
    pd.testing.assert_frame_equal(frame, before)


# -- specs -----------------------------------------------------------------------------------
def test_default_chart_is_a_histogram_of_the_first_numeric_column():
    source = PandasSource(small_frame(10))
    assert (default_spec(source.columns()).type, default_spec(source.columns()).x) == \
        ("histogram", "id")
    text_only = PandasSource(pd.DataFrame({"s": ["a", "b"]}))
    assert (default_spec(text_only.columns()).type, default_spec(text_only.columns()).x) == \
        ("bar", "s")
    assert parse_chart_spec({}, source.columns()).type == "histogram"


@pytest.mark.parametrize("params", TYPES, ids=str)
def test_spec_params_round_trip(params):
    columns = PandasSource(small_frame(10)).columns()
    spec = parse_chart_spec(params, columns)
    query = {}
    for name, value in spec_params(spec):
        query.setdefault(name, []).append(value)
    assert parse_chart_spec(query, columns) == spec


def test_log_axes():
    result = chart(small_frame(300), type="scatter", x="i_small", y="id", log_x=1, log_y="true")
    assert result.figure["layout"]["xaxis"]["type"] == "log"
    assert result.figure["layout"]["yaxis"]["type"] == "log"
    with pytest.raises(BadRequest, match="log_x needs a numeric x axis"):
        chart(small_frame(10), type="line", x="ts", y="f1", log_x=1)


def test_numbers_travel_as_typed_arrays():
    result = chart(small_frame(300), type="histogram", x="f1")
    trace = result.figure["data"][0]
    assert trace["y"]["dtype"] == "i4" and set(trace["x"]) == {"dtype", "bdata"}


VALUE_KEYS = {"bar": ("y",), "line": ("y",), "scatter": ("x", "y"), "histogram": ("y",),
              "box": ("q1", "median", "q3", "lowerfence", "upperfence", "mean"),
              "heatmap": ("z",), "pie": ("values",), "density": ("z",)}


@pytest.mark.parametrize("params", TYPES, ids=lambda p: "-".join(
    f"{k}={v}" for k, v in p.items()))
def test_exported_code_draws_the_same_data(params):
    frame = small_frame(300)
    result = chart(frame, **params)
    namespace = run_code(result.code, frame)
    theirs = namespace["fig"].data
    ours = result.figure["data"]
    assert len(theirs) == len(ours)
    kind = ours[0]["type"] if ours[0]["type"] in ("heatmap",) else params["type"]
    for mine, other in zip(ours, theirs):
        for key in VALUE_KEYS["density" if kind == "heatmap" and params["type"] != "heatmap"
                              else params["type"]]:
            if params["type"] == "scatter" and key == "x" and params["x"] == "ts":
                continue  # datetimes: our axis is milliseconds, the code's is Timestamps
            expected = np.asarray(getattr(other, key), dtype=float)
            np.testing.assert_allclose(decode(mine[key]).astype(float), expected, rtol=1e-9,
                                       err_msg=f"{key} of {mine.get('name')}")


@pytest.mark.parametrize("params", [
    dict(type="density", x="a", y="b", bins=250), dict(type="heatmap", x="a", y="b", bins=50),
    dict(type="heatmap", x="word", y="word2"), dict(type="histogram", x="a", bins=1000,
                                                    group="word"),
    dict(type="line", x="t", y="a", group="word"), dict(type="line", x="t", y=["a", "b"]),
    dict(type="bar", x="word", y="a", group="word2"), dict(type="scatter", x="a", y="b"),
    dict(type="line", x="t", y="a", freq="hour"), dict(type="box", y=["a", "b"], x="word"),
], ids=str)
def test_no_figure_exceeds_the_bounds(params):
    frame = big_frame().assign(word2=lambda f: f.word.str[1:])
    result = chart(frame, **params)
    assert result.points <= F.MAX_MARKS
    assert len(json.dumps(result.figure, allow_nan=False)) < 1_000_000


def test_box_selections_in_plotly_units_become_filters_of_exactly_those_rows():
    # Plotly reports a date axis' range as text and a duration axis in seconds.
    from dtale_lite.charts.selection import filter_for_range

    frame = small_frame(500).assign(wait=lambda f: pd.to_timedelta(f.i_small * 60, unit="s"))
    source = PandasSource(frame)
    kinds = {c.name: c.kind for c in source.columns()}
    spec = parse_chart_spec(dict(type="scatter", x="ts", y="wait", filter="flag == false"),
                            source.columns())
    text = filter_for_range(spec, ("2020-06-01 00:00:00", "2021-01-01 12:30:00.5"),
                            (120, 300), kinds)
    expected = ((frame.ts >= "2020-06-01") & (frame.ts <= "2021-01-01 12:30:00.5")
                & (frame.wait >= pd.Timedelta(seconds=120))
                & (frame.wait <= pd.Timedelta(seconds=300)) & ~frame.flag)
    assert filter_mask(text, source.resolver(), len(frame)).tolist() == expected.tolist()
    assert expected.sum() > 0


# Finite values whose span overflows a float (max - min > 1.8e308) made nan bin edges: a 500
# from the chart route (found by tests/test_openapi_fuzz.py).
EXTREME_CASES = [dict(type="histogram", x="f"), dict(type="histogram", x="f", group="g"),
                 dict(type="density", x="f", y="i"), dict(type="heatmap", x="f", y="i"),
                 dict(type="bar", x="f", y="i"), dict(type="line", x="f", y="i", agg="mean")]


@pytest.mark.parametrize("params", EXTREME_CASES, ids=lambda p: "-".join(map(str, p.values())))
def test_values_spanning_the_whole_float_range_chart(params):
    frame = pd.DataFrame({"f": [-1.7e308, -1.0, 0.0, 2.5, 1.7e308, np.inf],
                          "i": [1, 2, 3, 4, 5, 6], "g": list("aabbab")})
    result = chart(frame, **params)
    json.dumps(result.figure, allow_nan=False)
    assert result.message is None and result.points > 0
    if params["type"] == "histogram":
        counts = decode(result.figure["data"][0]["y"]) if "group" not in params else None
        assert counts is None or counts.sum() == 5  # every finite value lands in a bin
