"""Small multiples (issue 16, ``facet``): one chart per value of a column, each equal to the
chart of that value's rows, 12 values and "Other", laid out on their own axes; the exported
code draws the same data; "Show these rows" on a mark keeps the facet's condition."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.figure import decode
from dtale_lite.charts.spec import FACET_TYPES, MAX_FACETS
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.charts.test_chart_kinds import chart
from tests.conftest import run_code, small_frame

# The numbers each trace type draws (compared with the exported code's).
VALUES = {"bar": ("y",), "scatter": ("y",), "pie": ("values",), "heatmap": ("z",),
          "box": ("q1", "median", "q3"), "funnel": ("x",), "candlestick": ("open", "close")}
CASES = [dict(type="bar", x="s_lo", y="f1", facet="cat"),
         dict(type="line", x="ts", y="f1", facet="flag"),
         dict(type="line", x="id", y="f1", facet="flag"),
         dict(type="scatter", x="f1", y="id", facet="s_lo"),
         dict(type="histogram", x="f1", facet="cat"),
         dict(type="box", x="s_lo", y="f1", facet="cat", dropna=1),
         dict(type="heatmap", x="s_lo", y="ts", facet="flag", dropna=1),
         dict(type="pie", x="s_lo", facet="cat"),
         dict(type="density", x="f1", y="id", facet="flag"),
         dict(type="funnel", x="s_lo", facet="cat"),
         dict(type="candlestick", x="ts", y="f1", facet="cat")]


def test_every_facet_type_is_checked():
    assert {case["type"] for case in CASES} == set(FACET_TYPES)


@pytest.mark.parametrize("params", CASES, ids=lambda p: f"{p['type']}-{p['x']}")
def test_each_facet_is_the_chart_of_its_rows_and_the_code_draws_the_same(params):
    frame = small_frame(600)
    result = chart(frame, **params)
    facet = params["facet"]
    values = [v for v in frame[facet].dropna().unique()]
    titles = [a["text"] for a in result.figure["layout"]["annotations"]
              if a["text"].startswith(f"{facet} = ")]
    assert len(titles) == len(values) + frame[facet].isna().any()
    theirs = run_code(result.code, frame)["fig"].data
    ours = result.figure["data"]
    assert len(ours) == len(theirs)
    for mine, other in zip(ours, theirs):
        for key in VALUES.get(mine["type"], ()):
            if key == "z" and params["type"] == "density":
                mine_z = decode(mine["z"])
                np.testing.assert_array_equal(np.nan_to_num(mine_z), np.nan_to_num(
                    np.asarray(other.z, float)))
                continue
            np.testing.assert_allclose(decode(mine[key]).astype(float),
                                       np.asarray(getattr(other, key), float), rtol=1e-9,
                                       err_msg=key)
    axes = {(t.get("xaxis"), t.get("yaxis")) for t in ours if t["type"] != "pie"}
    assert params["type"] == "pie" or len(axes) == len(titles)


def test_a_facets_bars_equal_the_chart_of_its_rows():
    frame = small_frame(600)
    result = chart(frame, type="bar", x="s_lo", y="i_small", agg="sum", facet="cat", dropna=1)
    by_axis = {t["xaxis"]: t for t in result.figure["data"]}
    for i, region in enumerate(sorted(frame.cat.unique())):
        alone = chart(frame[frame.cat == region].reset_index(drop=True), type="bar",
                      x="s_lo", y="i_small", agg="sum", dropna=1)
        trace = by_axis["x" if i == 0 else f"x{i + 1}"]
        assert trace["x"] == alone.figure["data"][0]["x"]
        np.testing.assert_array_equal(decode(trace["y"]), decode(alone.figure["data"][0]["y"]))


def test_twelve_facets_and_other_and_marks_keep_the_facets_condition():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"k": rng.choice([f"k{i:02d}" for i in range(30)], 3000),
                          "s": rng.choice(list("abc"), 3000), "v": rng.normal(size=3000)})
    result = chart(frame, type="bar", x="s", facet="k")
    titles = [a["text"] for a in result.figure["layout"]["annotations"]
              if a["text"].startswith("k = ")]
    assert len(titles) == MAX_FACETS + 1 and titles[-1] == "k = Other"
    assert result.reduction == "top_n" and "12 most frequent" in result.note
    source = PandasSource(frame)
    for trace in result.figure["data"]:
        for count, text in zip(decode(trace["y"]), trace["customdata"]):
            assert "k" in text and filter_mask(text, source.resolver(), len(frame)).sum() \
                == count, text
    assert len({t["marker"]["color"] for t in result.figure["data"]}) == 1  # one series


@pytest.mark.parametrize("params, parameter", [
    (dict(type="treemap", path=["s_lo"], facet="cat"), "'facet'"),
    (dict(type="bar", x="s_lo", facet="f1"), "'facet'"),
    (dict(type="bar", x="s_lo", facet="s_lo"), "'facet'"),
    (dict(type="bar", x="s_lo", facet="nope"), "'facet'"),
    (dict(type="bar", x="s_lo", y="f1", y2="id", facet="cat"), "'facet'"),
], ids=str)
def test_a_bad_facet_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(small_frame(50), **params)
    assert parameter in error.value.message


def test_the_route_draws_facets(client, frames):
    response = client.get("/api/frames/small/chart",
                          query_string={"type": "bar", "x": "s_lo", "facet": "cat"})
    assert response.status_code == 200, response.get_json()
    layout = response.get_json()["figure"]["layout"]
    assert "xaxis4" in layout and "yaxis4" in layout
