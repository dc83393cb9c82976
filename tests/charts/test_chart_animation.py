"""Animated charts (issue 16): ``animate_by`` on bar, scatter and map draws one frame per value
(per freq period of a datetime column) equal to pandas, at most 100 with a note when cut, with
a play button and a slider; the exported code draws the same frames; 400s name the
parameter."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.figure import decode
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.charts.test_chart_kinds import chart
from tests.charts.test_chart_maps import geo_frame
from tests.conftest import run_code, small_frame


def bars_of(frame_data) -> dict:
    """{(series, x): value} of a frame's bars, missing and zero bars left out."""
    out = {}
    for trace in frame_data:
        ys = decode(trace["y"]) if isinstance(trace["y"], dict) else np.asarray(trace["y"])
        for x, y in zip(trace["x"], ys):
            if np.isfinite(y) and y != 0:
                out[(str(trace.get("name")), str(x))] = float(y)
    return out


def test_bars_per_value_equal_pandas_and_have_play_and_slider():
    frame = small_frame(2_000)
    result = chart(frame, type="bar", x="s_lo", y="f1", agg="sum", animate_by="cat")
    figure = result.figure
    names = [f["name"] for f in figure["frames"]]
    assert names == ["region_0", "region_1", "region_2", "region_3"]
    assert [s["label"] for s in figure["layout"]["sliders"][0]["steps"]] == names
    assert [b["label"] for b in figure["layout"]["updatemenus"][0]["buttons"]] == ["Play",
                                                                                   "Pause"]
    expected = frame.groupby(["cat", "s_lo"], observed=True)["f1"].sum()
    for f in figure["frames"]:
        trace = f["data"][0]
        got = dict(zip(trace["x"], decode(trace["y"])))
        for s_lo, value in expected[f["name"]].items():
            assert got[s_lo] == pytest.approx(value, rel=1e-12)
        source = PandasSource(frame)
        i = trace["x"].index("cat_01")
        rows = filter_mask(trace["customdata"][i], source.resolver(), len(frame)).sum()
        assert rows == ((frame.cat == f["name"]) & (frame.s_lo == "cat_01")).sum()
    assert figure["data"] == figure["frames"][0]["data"]
    assert figure["layout"]["yaxis"]["range"][1] >= expected.max()


@pytest.mark.parametrize("params", [
    dict(type="bar", x="s_lo", animate_by="ts"),
    dict(type="bar", x="s_lo", y="f1", agg="mean", group="flag", animate_by="ts", freq="month"),
    dict(type="bar", x="cat", animate_by="s_lo", filter="f1 > 0"),
], ids=str)
def test_the_exported_code_draws_the_same_bar_frames(params):
    frame = small_frame(1_500)
    result = chart(frame, **params)
    fig = run_code(result.code, frame)["fig"]
    assert len(fig.frames) == len(result.figure["frames"]) > 1
    for ours, theirs in zip(result.figure["frames"], fig.frames):
        mine = bars_of(ours["data"])
        px = {}
        for trace in theirs.data:
            for x, y in zip(trace.x, trace.y):
                if np.isfinite(y) and y != 0:
                    px[(str(trace.name) if params.get("group") else None, str(x))] = float(y)
        if not params.get("group"):
            mine = {(None, x): v for (_, x), v in mine.items()}
        assert mine == pytest.approx(px, rel=1e-12)


@pytest.mark.parametrize("params", [
    dict(type="scatter", x="f1", y="i_small", animate_by="cat"),
    dict(type="scatter", x="f1", y="ts", animate_by="ts", freq="quarter"),
    dict(type="map", lat="lat", lon="lon", animate_by="text"),
], ids=str)
def test_animated_points_are_the_rows_of_each_frame(params):
    frame = geo_frame(3_000) if params["type"] == "map" else small_frame(3_000)
    result = chart(frame, **params)
    fig = run_code(result.code, frame)["fig"]
    assert [f.name for f in fig.frames] == [str(f["name"]).replace("T", " ")
                                            for f in result.figure["frames"]]
    for ours, theirs in zip(result.figure["frames"], fig.frames):
        a, b = ("lat", "lon") if params["type"] == "map" else ("x", "y")
        mine = sorted(zip(decode(ours["data"][0][a]), decode(ours["data"][0][b])))
        theirs_b = np.asarray(getattr(theirs.data[0], b))
        if params.get("y") == "ts":  # plotly express keeps datetimes; we send milliseconds
            theirs_b = pd.to_datetime(theirs_b).as_unit("ns").asi8 / 1e6
        px = sorted(zip(np.asarray(getattr(theirs.data[0], a), float),
                        np.asarray(theirs_b, float)))
        assert len(mine) == len(px) > 0
        # pytest.approx's tolerances; approx itself takes no list of pairs from pytest 9.2 on
        np.testing.assert_allclose(np.array(mine, float), np.array(px, float), rtol=1e-6,
                                   atol=1e-12)


def test_a_choropleth_per_frame_equals_pandas():
    frame = geo_frame(3_000)
    frame["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        np.arange(len(frame)) % 3, unit="D")
    result = chart(frame, type="map", locations="country", y="v", agg="mean", animate_by="when",
                   freq="day")
    from dtale_lite.charts.countries import to_iso3

    codes = frame.country.map(lambda v: None if v is None else to_iso3(v))
    expected = frame.v.groupby([frame.when, codes]).mean()
    assert len(result.figure["frames"]) == 3
    for f in result.figure["frames"]:
        trace = f["data"][0]
        want = expected[pd.Timestamp(f["name"])]
        assert trace["locations"] == list(want.index)
        np.testing.assert_allclose(decode(trace["z"]), want.to_numpy(), rtol=1e-12)
        assert trace["zmin"] <= want.min() and trace["zmax"] >= want.max()
    fig = run_code(result.code, frame)["fig"]
    assert len(fig.frames) == 3


def test_more_than_100_frames_are_cut_with_a_note():
    frame = small_frame(5_000)
    result = chart(frame, type="bar", x="cat", animate_by="ts", freq="day")
    assert len(result.figure["frames"]) == 100
    assert "the first 100 are shown" in result.note
    values = chart(frame, type="bar", x="cat", animate_by="id")
    assert len(values.figure["frames"]) == 100 and "100 most frequent" in values.note


def test_without_freq_a_datetime_gets_at_most_100_periods():
    frame = small_frame(5_000)
    result = chart(frame, type="scatter", x="f1", y="i_small", animate_by="ts")
    assert 1 < len(result.figure["frames"]) <= 100 and "first 100" not in (result.note or "")


@pytest.mark.parametrize("params, parameter", [
    (dict(type="pie", x="s_lo", animate_by="cat"), "'animate_by'"),
    (dict(type="bar", x="s_lo", animate_by="nope"), "'animate_by'"),
    (dict(type="bar", x="s_lo", animate_by="f1"), "'animate_by'"),
    (dict(type="line", x="ts", y="f1", animate_by="cat"), "'animate_by'"),
    (dict(type="bar", x="s_lo", animate_by="cat", freq="day"), "'freq'"),
    # facet and y2 came from another branch: an animation takes neither (found at the merge)
    (dict(type="bar", x="s_lo", y="f1", animate_by="cat", facet="flag"), "'animate_by'"),
    (dict(type="bar", x="s_lo", y="f1", y2="i_small", animate_by="cat"), "'animate_by'"),
], ids=str)
def test_a_bad_animation_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(small_frame(50), **params)
    assert parameter in error.value.message


def test_the_route_answers_frames(client, frames):
    params = {"type": "bar", "x": "s_lo", "animate_by": "cat"}
    body = client.get("/api/frames/small/chart", query_string=params).get_json()
    assert body["ok"] and len(body["figure"]["frames"]) == 4
    html = client.get("/api/frames/small/chart", query_string={**params, "format": "html"})
    assert html.status_code == 200 and b"frames: figure.frames" in html.data
