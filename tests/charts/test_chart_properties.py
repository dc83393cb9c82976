"""Properties of charts over random frames: aggregates equal plain pandas, every mark's filter
selects exactly its rows (whatever the text in the values), correlations equal pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.aggregate import AGGREGATIONS
from dtale_lite.charts.figure import build_chart, decode
from dtale_lite.charts.spec import parse_chart_spec
from dtale_lite.frames.correlate import correlation_matrix
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.conftest import run_code

PANDAS = {"count": "count", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
          "max": "max", "distinct": "nunique", "std": "std"}

floats = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False),
                   st.sampled_from([0.0, 1.5, -2.0]))  # repeats make ties and equal groups
keys = st.one_of(st.none(), st.text(min_size=0, max_size=6),
                 st.sampled_from(['a"b', "c\\d", "é", "x y", "Other", "`q`", "\n"]))


@st.composite
def frames(draw, min_rows=0):
    n = draw(st.integers(min_rows, 40))
    return pd.DataFrame({
        "k": pd.Series(draw(st.lists(keys, min_size=n, max_size=n)), dtype="str"),
        "i": draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n)),
        "v": pd.Series(draw(st.lists(floats, min_size=n, max_size=n)), dtype=float),
    })


def build(frame, **params):
    source = PandasSource(frame)
    return source, build_chart(source, None, parse_chart_spec(params, source.columns()))


@settings(max_examples=60, deadline=None)
@given(frames(min_rows=1), st.sampled_from(AGGREGATIONS), st.sampled_from(["k", "i"]),
       st.booleans())
def test_bar_aggregates_equal_pandas(frame, agg, key, dropna):
    # Rows without a key are a last bar "(missing)" unless dropna (pandas' groupby dropna).
    _, result = build(frame, type="bar", x=key, y="v", agg=agg, dropna=dropna)
    expected = frame.groupby(key, dropna=dropna)["v"].agg(PANDAS[agg])
    if result.message:
        assert expected.empty
        return
    trace = result.figure["data"][0]
    assert trace["x"] == ["(missing)" if pd.isna(v) else str(v) for v in expected.index]
    np.testing.assert_allclose(decode(trace["y"]).astype(float), expected.to_numpy(float),
                               rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(frames(min_rows=1), st.sampled_from(["bar", "pie"]))
def test_every_marks_filter_selects_exactly_its_rows(frame, chart_type):
    source, result = build(frame, type=chart_type, x="k")
    for trace in result.figure["data"]:
        counts = decode(trace.get("y", trace.get("values")))
        for count, text in zip(counts, trace["customdata"]):
            assert filter_mask(text, source.resolver(), len(frame)).sum() == count, text


@settings(max_examples=60, deadline=None)
@given(frames(min_rows=1), st.integers(1, 30))
def test_histogram_equals_numpy(frame, bins):
    _, result = build(frame, type="histogram", x="v", bins=bins)
    finite = frame.v.dropna()
    if finite.empty:
        assert result.message
        return
    try:
        counts, _ = np.histogram(finite, bins=bins)
    except ValueError:  # numpy refuses spans too small for the bins (subnormal floats)
        assume(False)
    assert decode(result.figure["data"][0]["y"]).tolist() == counts.tolist()


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 30).flatmap(lambda n: st.lists(
    st.lists(st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0]), st.floats(-100, 100)),
             min_size=n, max_size=n), min_size=1, max_size=4)),
    st.sampled_from(["pearson", "spearman"]))
def test_correlations_equal_pandas(columns, method):
    frame = pd.DataFrame({f"c{i}": pd.Series(c, dtype=float) for i, c in enumerate(columns)})
    ours = correlation_matrix([frame[c].to_numpy() for c in frame], method)
    expected = frame.corr(method=method).to_numpy()
    # One-pass sums over pre-centred columns: equal to pandas within 1e-6 (a correlation is
    # shown with 2-3 digits).
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 70), min_size=1, max_size=300))
def test_top_values_and_other_match_the_exported_code(codes):
    # Up to 71 distinct values against the 50 bars kept: "Other" appears often, with ties.
    frame = pd.DataFrame({"k": pd.Series([f"v{c}" for c in codes], dtype="str")})
    _, result = build(frame, type="bar", x="k")
    namespace = run_code(result.code, frame)
    theirs = namespace["fig"].data[0]
    assert list(theirs.x) == result.figure["data"][0]["x"]
    assert list(theirs.y) == decode(result.figure["data"][0]["y"]).tolist()
