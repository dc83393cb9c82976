"""scatter3d and surface (issue 16): all points up to 20,000, else a seeded sample with a
note; a surface's cells equal pandas' aggregate over the same equal-width bins; the exported
code draws the same data; a bad spec is a 400 naming the parameter."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.figure import decode
from dtale_lite.charts.space import POINTS_3D
from dtale_lite.frames.errors import BadRequest

from tests.charts.test_chart_kinds import chart
from tests.conftest import run_code, small_frame


def big(n: int = 30_000) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                         "c": rng.normal(size=n), "word": rng.choice(list("pqrs"), n)})


def test_up_to_the_bound_every_point_is_drawn():
    frame = small_frame(400)
    result = chart(frame, type="scatter3d", x="f1", y="i_small", z="id")
    kept = frame.dropna(subset=["f1"])
    trace = result.figure["data"][0]
    assert trace["type"] == "scatter3d" and result.reduction == "none"
    np.testing.assert_array_equal(decode(trace["z"]), kept.id.to_numpy())
    assert "rows with no f1, i_small or id left out" in result.note


def test_past_the_bound_a_seeded_sample_with_a_note():
    frame = big()
    first = chart(frame, type="scatter3d", x="a", y="b", z="c")
    again = chart(frame, type="scatter3d", x="a", y="b", z="c")
    trace = first.figure["data"][0]
    assert len(decode(trace["x"])) == POINTS_3D == first.points
    assert first.reduction == "sampled" and "30,000 points: a seeded sample of 20,000" in \
        first.note
    assert decode(trace["x"]).tolist() == decode(again.figure["data"][0]["x"]).tolist()
    assert set(decode(trace["x"])) <= set(frame.a)
    fig = run_code(first.code, frame)["fig"].data[0]
    np.testing.assert_array_equal(np.asarray(fig.x, float), decode(trace["x"]))


def test_a_discrete_colour_is_one_trace_per_value_a_float_one_a_scale():
    frame = big(2000)
    groups = chart(frame, type="scatter3d", x="a", y="b", z="c", color="word")
    assert [t["name"] for t in groups.figure["data"]] == list("pqrs")
    assert sum(len(decode(t["x"])) for t in groups.figure["data"]) == 2000
    theirs = run_code(groups.code, frame)["fig"].data
    for mine, other in zip(groups.figure["data"], theirs, strict=True):
        np.testing.assert_array_equal(decode(mine["z"]), np.asarray(other.z, float))
    scale = chart(frame, type="scatter3d", x="a", y="b", z="c", color="a")
    marker = scale.figure["data"][0]["marker"]
    np.testing.assert_array_equal(decode(marker["color"]), frame.a.to_numpy())


@pytest.mark.parametrize("agg", ["mean", "sum", "count", "max", "median"])
def test_surface_cells_equal_pandas_over_the_same_bins(agg):
    frame = big(5000)
    result = chart(frame, type="surface", x="a", y="b", z="c", agg=agg, bins=12)
    xb = pd.cut(frame.a, np.linspace(frame.a.min(), frame.a.max(), 13), include_lowest=True)
    yb = pd.cut(frame.b, np.linspace(frame.b.min(), frame.b.max(), 13), include_lowest=True)
    expected = frame.c.groupby([yb, xb], observed=False).agg(agg).unstack()
    rows = frame.c.groupby([yb, xb], observed=False).size().unstack()
    expected = expected.where(rows > 0)  # a cell without rows is a hole
    z = decode(result.figure["data"][0]["z"])
    np.testing.assert_allclose(z, expected.to_numpy(float), rtol=1e-9)
    fig = run_code(result.code, frame)["fig"].data[0]
    np.testing.assert_allclose(np.asarray(fig.z, float), z, rtol=1e-9)
    np.testing.assert_allclose(np.asarray(fig.x, float), decode(result.figure["data"][0]["x"]))
    assert result.reduction == "binned" and "12 x 12 cells" in result.note


@pytest.mark.parametrize("params, parameter", [
    (dict(type="scatter3d", x="f1", y="i_small"), "'z'"),
    (dict(type="scatter3d", x="s_lo", y="f1", z="id"), "'x'"),
    (dict(type="scatter3d", x="f1", y="f1", z="id", color="ts"), "'color'"),
    (dict(type="scatter3d", x="f1", y="f1", z="id", agg="mean"), "'agg'"),
    (dict(type="surface", x="f1", y="id"), "'z'"),
    (dict(type="surface", x="ts", y="id", z="f1"), "'x'"),
    (dict(type="surface", x="f1", y="id", z="f1", bins=101), "'bins'"),
    (dict(type="surface", x="f1", y="id", z="s_lo"), "'z'"),
    (dict(type="bar", x="s_lo", color="f1"), "'color'"),
], ids=str)
def test_a_bad_spec_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(small_frame(50), **params)
    assert parameter in error.value.message


# -- y2: bar and line series on a second y axis ----------------------------------------------
@pytest.mark.parametrize("params", [
    dict(type="bar", x="s_lo", y="f1", y2="i_small", agg="sum"),
    dict(type="bar", x="cat", y=["f1", "id"], y2="i_small", barmode="stack"),
    dict(type="line", x="ts", y="f1", y2=["i_small", "id"], freq="month"),
    dict(type="line", x="id", y="f1", y2="i_small"),
], ids=str)
def test_y2_series_are_on_the_right_hand_axis_and_equal_the_exported_code(params):
    frame = small_frame(400)
    result = chart(frame, **params)
    y2 = [params["y2"]] if isinstance(params["y2"], str) else params["y2"]
    data = result.figure["data"]
    assert [t["name"] for t in data if t.get("yaxis") == "y2"] == y2
    assert result.figure["layout"]["yaxis2"]["overlaying"] == "y"
    theirs = run_code(result.code, frame)["fig"].data
    for mine, other in zip(data, theirs, strict=True):
        assert (other.yaxis == "y2") == (mine.get("yaxis") == "y2")
        np.testing.assert_allclose(decode(mine["y"]).astype(float), np.asarray(other.y, float),
                                   rtol=1e-9)
    if params["type"] == "bar":  # side by side, or one stack per axis
        groups = [t["offsetgroup"] for t in data]
        assert len(set(groups)) == (2 if params.get("barmode") == "stack" else len(data))


def test_y2_aggregates_equal_pandas():
    frame = small_frame(400)
    result = chart(frame, type="bar", x="s_lo", y="f1", y2="i_small", agg="max", dropna=1)
    expected = frame.groupby("s_lo")["i_small"].max()
    np.testing.assert_array_equal(decode(result.figure["data"][1]["y"]), expected.to_numpy())


@pytest.mark.parametrize("params, parameter", [
    (dict(type="bar", x="s_lo", y2="f1"), "'y2'"),
    (dict(type="bar", x="s_lo", y="f1", y2="f1"), "'y2'"),
    (dict(type="bar", x="s_lo", y="f1", y2="i_small", group="cat"), "'y2'"),
    (dict(type="bar", x="s_lo", y="f1", y2="s_lo"), "'y2'"),
    (dict(type="scatter", x="f1", y="id", y2="i_small"), "'y2'"),
], ids=str)
def test_a_bad_y2_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(small_frame(50), **params)
    assert parameter in error.value.message
