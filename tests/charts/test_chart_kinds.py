"""Treemap, sunburst, funnel and candlestick (issue 16): sizes equal pandas, parents sum their
children, top values per level plus "Other", candles equal pandas' first/max/min/last, a 400
naming the parameter for a bad spec, the exported code draws the same data, and every mark's
filter selects its rows."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.figure import build_chart, decode
from dtale_lite.charts.hierarchy import TOP_PER_LEVEL
from dtale_lite.charts.spec import parse_chart_spec
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.conftest import run_code, small_frame


def chart(frame, **params):
    """The chart as the service builds it: over the rows its filter keeps."""
    source = PandasSource(frame)
    spec = parse_chart_spec(params, source.columns())
    positions = None
    if spec.filter:
        positions = np.flatnonzero(filter_mask(spec.filter, source.resolver(), len(frame)))
    return build_chart(source, positions, spec)


def paths_of(ids, labels, parents, values) -> dict:
    """{(label of each level, ...): value} of a treemap's nodes, whatever its ids."""
    by_id = {i: (label, parent) for i, label, parent in zip(ids, labels, parents)}

    def path(node):
        label, parent = by_id[node]
        return (path(parent) if parent else ()) + (label,)

    return {path(i): float(v) for i, v in zip(ids, values)}


def ours(result) -> dict:
    trace = result.figure["data"][0]
    return paths_of(trace["ids"], trace["labels"], trace["parents"], decode(trace["values"]))


@pytest.mark.parametrize("kind", ["treemap", "sunburst"])
def test_leaf_sizes_are_pandas_sums_and_parents_sum_their_children(kind):
    frame = small_frame(400)
    result = chart(frame, type=kind, path=["cat", "s_lo"], y="i_small", dropna=1)
    nodes = ours(result)
    expected = frame.groupby(["cat", "s_lo"], observed=True)["i_small"].sum()
    for (cat, s_lo), value in expected.items():
        assert nodes[(cat, s_lo)] == value
    for cat, value in frame.dropna(subset=["s_lo"]).groupby("cat", observed=True)[
            "i_small"].sum().items():
        assert nodes[(cat,)] == value
    assert result.figure["data"][0]["type"] == kind
    assert result.figure["data"][0]["branchvalues"] == "total"


def test_counts_without_y_and_missing_values_are_a_node():
    frame = small_frame(300)
    nodes = ours(chart(frame, type="treemap", path=["s_lo"]))
    assert nodes[("(missing)",)] == frame.s_lo.isna().sum()
    assert sum(nodes.values()) == len(frame)


def test_each_level_keeps_its_top_values_and_an_other():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.integers(0, 200, 5000).astype(str),
                          "b": rng.integers(0, 3, 5000).astype(str)})
    result = chart(frame, type="sunburst", path=["a", "b"])
    top = TOP_PER_LEVEL[2]
    firsts = {path[0] for path in ours(result) if len(path) == 1}
    assert len(firsts) == top + 1 and "Other" in firsts
    assert result.reduction == "top_n" and "most frequent" in result.note
    assert sum(v for p, v in ours(result).items() if len(p) == 1) == len(frame)


def test_every_nodes_filter_selects_its_rows():
    frame = small_frame(300)
    result = chart(frame, type="treemap", path=["cat", "s_lo"], filter="f1 > 0")
    trace = result.figure["data"][0]
    source = PandasSource(frame)
    for value, text in zip(decode(trace["values"]), trace["customdata"]):
        assert filter_mask(text, source.resolver(), len(frame)).sum() == value, text


@pytest.mark.parametrize("params", [
    dict(type="treemap", path=["cat", "s_lo"], y="i_small"),
    dict(type="sunburst", path=["s_lo", "cat", "flag"]),
    dict(type="treemap", path=["ts"], dropna=1), dict(type="treemap", path=["s_lo"], y="f1"),
], ids=str)
def test_exported_code_draws_the_same_nodes(params):
    frame = small_frame(300)
    result = chart(frame, **params)
    fig = run_code(result.code, frame)["fig"]
    theirs = fig.data[0]
    # Periods: our labels are ISO texts, pandas' str() puts a space for the T.
    normal = {tuple(re.sub(r"(\d)T(\d)", r"\1 \2", label) for label in path): value
              for path, value in ours(result).items()}
    assert normal == pytest.approx(paths_of(theirs.ids, theirs.labels, theirs.parents,
                                            theirs.values))


def test_funnel_is_the_aggregate_per_stage_in_the_columns_order():
    frame = small_frame(300)
    result = chart(frame, type="funnel", x="cat", y="f1", agg="sum")
    trace = result.figure["data"][0]
    expected = frame.groupby("cat", observed=True)["f1"].sum()
    assert trace["type"] == "funnel" and trace["y"] == list(expected.index)
    np.testing.assert_allclose(decode(trace["x"]), expected.to_numpy(), rtol=1e-12)
    fig = run_code(result.code, frame)["fig"]
    np.testing.assert_allclose(np.asarray(fig.data[0].x, float), decode(trace["x"]))
    source = PandasSource(frame)
    counts = chart(frame, type="funnel", x="cat").figure["data"][0]
    for value, text in zip(decode(counts["x"]), counts["customdata"]):
        assert filter_mask(text, source.resolver(), len(frame)).sum() == value


@pytest.mark.parametrize("params, parameter", [
    (dict(type="treemap"), "'path'"),
    (dict(type="treemap", path=["s_lo", "cat", "flag", "i_small", "id"]), "'path'"),
    (dict(type="treemap", path=["nope"]), "'path'"),
    (dict(type="sunburst", path=["f1"]), "'path'"),
    (dict(type="treemap", path=["cat"], y="f1", agg="mean"), "'agg'"),
    (dict(type="treemap", path=["cat"], y="s_lo"), "'y'"),
    (dict(type="treemap", path=["cat"], x="s_lo"), "'x'"),
    (dict(type="funnel"), "'x'"), (dict(type="funnel", x="f1"), "'x'"),
    (dict(type="funnel", x="cat", y=["f1", "i_small"]), "'y'"),
    (dict(type="funnel", x="cat", log_x=1), "log_x"),
    (dict(type="candlestick", x="f1", y="f1"), "'x'"),
    (dict(type="candlestick", x="ts"), "'open'"),
    (dict(type="candlestick", x="ts", open="f1", high="f1", low="f1"), "'close'"),
    (dict(type="candlestick", x="ts", y="f1", open="f1"), "'open'"),
    (dict(type="candlestick", x="ts", y="s_lo"), "'y'"),
    (dict(type="candlestick", x="ts", open="s_lo", high="f1", low="f1", close="f1"), "'open'"),
    (dict(type="candlestick", x="ts", y="f1", agg="mean"), "'agg'"),
], ids=str)
def test_a_bad_spec_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(small_frame(50), **params)
    assert parameter in error.value.message


def test_an_empty_view_is_a_message():
    frame = small_frame(50)
    result = chart(frame, type="sunburst", path=["cat"], filter="f1 > 100")
    assert result.message and not result.figure["data"]


@pytest.mark.parametrize("params", [
    dict(type="treemap", path=["cat", "s_lo"], y="f1"), dict(type="funnel", x="s_lo"),
    dict(type="sunburst", path=["s_lo"]),
], ids=str)
def test_the_route_answers_new_kinds(client, frames, params):
    response = client.get("/api/frames/small/chart", query_string=params)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["ok"] and body["figure"]["data"][0]["type"] == params["type"]
    code = client.get("/api/frames/small/chart", query_string={**params, "format": "py"})
    assert code.status_code == 200 and b"go.Figure" in code.data


def test_the_route_400_names_the_parameter(client, frames):
    response = client.get("/api/frames/small/chart",
                          query_string={"type": "treemap", "path": "cat", "agg": "median"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and "'agg'" in body["error"] and body["status"] == 400


# -- candlestick ------------------------------------------------------------------------------
def pandas_ohlc(frame, x, freq, columns):
    """The candles as pandas computes them: per period, the first/last present value by time
    (a stable sort: ties in row order) and the max/min."""
    alias = {"day": "D", "week": "W-SUN", "month": "M"}[freq]
    rows = frame.assign(period=frame[x].dt.to_period(alias).dt.start_time)
    rows = rows.dropna(subset=[x]).sort_values(x, kind="stable")
    o, h, low, c = columns
    out = rows.groupby("period").agg(open=(o, "first"), high=(h, "max"), low=(low, "min"),
                                close=(c, "last"))
    return out.dropna(how="all")


def candle(result, name):
    return decode(result.figure["data"][0][name])


@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_candles_of_one_y_equal_pandas_with_ties_and_missing_values(freq):
    rng = np.random.default_rng(5)
    n = 3000
    frame = pd.DataFrame({
        # Whole hours: many rows share a time, so ties decide open and close.
        "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 24 * 90, n), "h"),
        "v": np.where(rng.random(n) < 0.1, np.nan, rng.normal(100, 5, n))})
    frame.loc[rng.random(n) < 0.05, "t"] = pd.NaT
    result = chart(frame, type="candlestick", x="t", y="v", freq=freq)
    expected = pandas_ohlc(frame, "t", freq, ["v"] * 4)
    for name in ("open", "high", "low", "close"):
        np.testing.assert_array_equal(candle(result, name), expected[name].to_numpy())
    x = decode(result.figure["data"][0]["x"])
    assert (x == expected.index.as_unit("ms").asi8).all()
    assert "rows with no t left out" in result.note
    fig = run_code(result.code, frame)["fig"].data[0]
    np.testing.assert_array_equal(np.asarray(fig.close, float), candle(result, "close"))


def test_candles_of_four_columns_take_first_open_highest_high_lowest_low_last_close():
    frame = small_frame(500).assign(o=lambda f: f.f1, h=lambda f: f.f1 + 1,
                                    lo=lambda f: f.f1 - 1, c=lambda f: f.i_small * 1.0)
    result = chart(frame, type="candlestick", x="ts", open="o", high="h", low="lo", close="c",
                   freq="month")
    expected = pandas_ohlc(frame, "ts", "month", ["o", "h", "lo", "c"])
    for name in ("open", "high", "low", "close"):
        np.testing.assert_allclose(candle(result, name), expected[name].to_numpy())
    fig = run_code(result.code, frame)["fig"].data[0]
    np.testing.assert_allclose(np.asarray(fig.open, float), candle(result, "open"))
    assert result.figure["layout"]["xaxis"]["type"] == "date"


def test_a_candles_filter_selects_its_period():
    frame = small_frame(400)
    result = chart(frame, type="candlestick", x="ts", y="f1", freq="month")
    source = PandasSource(frame)
    trace = result.figure["data"][0]
    for text in trace["customdata"][:5]:
        rows = frame[filter_mask(text, source.resolver(), len(frame))]
        assert rows.f1.dropna().size and rows.ts.dt.to_period("M").nunique() == 1


def test_without_freq_a_candlestick_keeps_a_few_hundred_periods():
    result = chart(small_frame(2000), type="candlestick", x="ts", y="f1")
    assert 0 < result.points <= 400 and "weekly candles" in result.note
