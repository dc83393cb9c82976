import json
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.columns import kind_of
from dtale_lite.frames.describe import describe
from dtale_lite.frames.errors import BadRequest


def run(series, **kwargs):
    """describe() with the column's own kind, checked to be strict JSON."""
    before = series.copy(deep=True)
    out = describe(series, kind_of(series.dtype), **kwargs)
    json.dumps(out, allow_nan=False)
    pd.testing.assert_series_equal(series, before)  # the input is never modified
    return out


TZ_DATES = pd.Series(pd.to_datetime(["2020-01-01 10:00", None, "2021-06-01 00:00"])
                     .tz_localize("Europe/Paris"))

# (series, expected subset of the result)
CASES = [
    pytest.param(pd.Series([3, 1, 2, 2]),
                 {"count": 4, "missing": 0, "unique": 3, "min": 1, "max": 3, "q50": 2.0,
                  "mean": 2.0, "top": [{"value": 2, "count": 2}, {"value": 1, "count": 1},
                                       {"value": 3, "count": 1}]}, id="int"),
    pytest.param(pd.Series([3, None, 2, 2], dtype="Int64"),
                 {"count": 3, "missing": 1, "unique": 2, "min": 2, "max": 3}, id="Int64"),
    pytest.param(pd.Series([1, None, 3], dtype="int64[pyarrow]"),
                 {"count": 2, "missing": 1, "mean": 2.0}, id="arrow-int"),
    pytest.param(pd.Series([1.5, np.nan, np.inf, 2.0]),
                 {"count": 3, "missing": 1, "inf_count": 1, "min": 1.5, "max": "inf",
                  "mean": "inf"}, id="float-inf"),
    pytest.param(pd.Series([np.inf, -np.inf]),
                 {"count": 2, "inf_count": 2, "min": "-inf", "max": "inf", "mean": None,
                  "histogram": {"edges": [], "counts": []}}, id="only-inf"),
    pytest.param(pd.Series([-1.7e308, 1.7e308, 0.0]),
                 {"count": 3, "min": -1.7e308, "max": 1.7e308, "q50": 0.0},
                 id="float-extremes"),
    pytest.param(pd.Series([0.5, None], dtype="Float64"),
                 {"count": 1, "missing": 1, "std": None, "q25": 0.5}, id="Float64"),
    pytest.param(pd.Series([np.nan, np.nan]),
                 {"count": 0, "missing": 2, "unique": 0, "top": [], "mean": None, "min": None,
                  "q50": None, "histogram": {"edges": [], "counts": []}}, id="all-nan"),
    pytest.param(pd.Series([], dtype=float),
                 {"count": 0, "missing": 0, "unique": 0, "top": [], "max": None}, id="empty"),
    pytest.param(pd.Series([True, False, True]),
                 {"true": 2, "false": 1, "unique": 2,
                  "top": [{"value": True, "count": 2}, {"value": False, "count": 1}]}, id="bool"),
    pytest.param(pd.Series([True, None], dtype="boolean"),
                 {"true": 1, "false": 0, "missing": 1, "unique": 1}, id="boolean"),
    pytest.param(pd.Series(["a", None, "bb", "a", "ééé"], dtype="str"),
                 {"count": 4, "missing": 1, "unique": 3,
                  "top": [{"value": "a", "count": 2}, {"value": "bb", "count": 1},
                          {"value": "ééé", "count": 1}],
                  "length": {"min": 1, "mean": 7 / 4, "max": 3}}, id="str"),
    pytest.param(pd.Series(["a", None, "bb"], dtype="string[python]"),
                 {"count": 2, "missing": 1, "length": {"min": 1, "mean": 1.5, "max": 2}},
                 id="python-string"),
    pytest.param(pd.Series([None, None], dtype="str"),
                 {"count": 0, "missing": 2, "top": [],
                  "length": {"min": None, "mean": None, "max": None}}, id="str-all-missing"),
    pytest.param(pd.Series(["y", "x", None, "x"], dtype="category"),
                 {"count": 3, "missing": 1, "unique": 2,
                  "top": [{"value": "x", "count": 2}, {"value": "y", "count": 1}],
                  "length": {"min": 1, "mean": 1.0, "max": 1}}, id="category"),
    pytest.param(pd.Series(pd.Categorical([None], categories=["abc"])),
                 {"count": 0, "unique": 0, "top": [],
                  "length": {"min": None, "mean": None, "max": None}}, id="category-missing"),
    pytest.param(pd.Series([[1], [1], {"a": 1}, None, 3]),
                 {"count": 4, "missing": 1, "unique": 3,
                  "top": [{"value": "[1]", "count": 2}, {"value": "{'a': 1}", "count": 1},
                          {"value": 3, "count": 1}]}, id="unhashable-objects"),
    pytest.param(pd.Series([1, "a", 2.5, None, "a", pd.NaT]),
                 {"count": 4, "missing": 2, "unique": 3,
                  "length": {"min": 1, "mean": 1.5, "max": 3}}, id="mixed-objects"),
    pytest.param(pd.Series([1 + 2j, 1 + 2j]),
                 {"count": 2, "unique": 1, "top": [{"value": "(1+2j)", "count": 2}]},
                 id="complex"),
    pytest.param(TZ_DATES,
                 {"count": 2, "missing": 1, "min": "2020-01-01T10:00:00+01:00",
                  "max": "2021-06-01T00:00:00+02:00"}, id="tz-dates"),
    pytest.param(pd.Series(pd.to_datetime(["2020-01-02", "2020-01-01", None])),
                 {"count": 2, "min": "2020-01-01T00:00:00", "max": "2020-01-02T00:00:00"},
                 id="dates"),
    pytest.param(pd.Series(pd.to_datetime(["2020-01-01", None])).astype("timestamp[ns][pyarrow]"),
                 {"count": 1, "missing": 1, "min": "2020-01-01T00:00:00"}, id="arrow-dates"),
    pytest.param(pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"),
                 {"count": 0, "min": None, "histogram": {"edges": [], "counts": []}},
                 id="all-nat"),
    pytest.param(pd.Series(pd.to_timedelta(["1D", None, "2h"])),
                 {"count": 2, "min": "P0DT2H0M0S", "max": "P1DT0H0M0S", "mean": "P0DT13H0M0S"},
                 id="timedelta"),
]


@pytest.mark.parametrize("series, expected", CASES)
def test_describe_cases(series, expected):
    out = run(series)
    assert {k: out[k] for k in expected} == expected


@pytest.mark.parametrize("series", [case.values[0] for case in CASES],
                         ids=[case.id for case in CASES])
def test_histogram_shape(series):
    out = run(series, bins=7)
    if "histogram" not in out:
        return
    hist = out["histogram"]
    if hist["counts"]:
        assert len(hist["edges"]) == 8 and len(hist["counts"]) == 7
        assert sum(hist["counts"]) == out["count"] - out.get("inf_count", 0)
    else:
        assert hist["edges"] == []


def test_datetime_histogram_edges_are_iso_and_count_everything():
    dates = pd.Series(pd.date_range("2020-01-01", periods=100, freq="D", tz="UTC"))
    out = run(dates, bins=4)
    edges = out["histogram"]["edges"]
    assert edges[0] == "2020-01-01T00:00:00+00:00" and edges[-1] == "2020-04-09T00:00:00+00:00"
    assert out["histogram"]["counts"] == [25, 25, 25, 25]


def test_histogram_of_values_whose_spread_overflows():
    out = run(pd.Series([-1.7e308, 1.7e308, 0.0]), bins=2)
    assert out["histogram"] == {"edges": [-1.7e308, 0.0, 1.7e308], "counts": [1, 2]}


def test_top_is_limited_and_ties_are_stable():
    series = pd.Series([5, 4, 4, 3, 3, 2, 1])
    assert run(series, top=3)["top"] == [
        {"value": 3, "count": 2}, {"value": 4, "count": 2}, {"value": 1, "count": 1}]
    strings = pd.Series(["b", "a", "c", "a", "b"], dtype="str")
    # strings: ties keep first appearance
    assert [t["value"] for t in run(strings, top=2)["top"]] == ["b", "a"]
    assert run(series, top=0)["top"] == []


def test_long_strings_are_cut_in_top():
    out = run(pd.Series(["x" * 20_000], dtype="str"))
    assert len(out["top"][0]["value"]) < 20_000
    assert out["length"]["max"] == 20_000


@pytest.mark.parametrize("kind, top, bins", [("nonsense", 10, 20), ("int", -1, 20),
                                             ("int", 10, 0)])
def test_bad_arguments(kind, top, bins):
    with pytest.raises(BadRequest):
        describe(pd.Series([1]), kind, top=top, bins=bins)


floats = st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                            st.sampled_from([0.0, 1.0, -1.0, 1.7e308, -1.7e308])), max_size=60)


def _spread_is_finite(values):
    with np.errstate(over="ignore"):
        return bool(np.isfinite(np.ptp(values)))


def _numpy_histogram(finite, bins):
    """np.histogram's answer, or None where numpy cannot bin these values at all."""
    if not _spread_is_finite(finite):
        return None  # numpy's own edges overflow to nan
    try:
        return np.histogram(finite, bins=bins)
    except ValueError:
        # numpy cannot make finite-sized bins: one value beyond 2**53, where +/-0.5 is lost, or
        # a range of a few subnormals (0 to 5e-324: found by Hypothesis)
        assert len(np.unique(finite)) == 1 or np.ptp(finite) < bins * 1e-300
        return None


@settings(max_examples=150, deadline=None)
@given(floats, st.integers(1, 12))
@example(values=[0.0, 5e-324], bins=2)
def test_numbers_agree_with_pandas_and_numpy(values, bins):
    series = pd.Series(values, dtype=float)
    out = run(series, bins=bins, top=5)
    present = series.dropna()
    assert out["count"] == len(present) and out["missing"] == series.isna().sum()
    assert out["unique"] == present.nunique()
    counts = present.value_counts()
    assert [t["count"] for t in out["top"]] == counts.iloc[:5].tolist()
    finite = present[np.isfinite(present)].to_numpy()
    assert out["inf_count"] == len(present) - len(finite)
    if len(finite):
        assert sum(out["histogram"]["counts"]) == len(finite)
        expected = _numpy_histogram(finite, bins)
        if expected is not None:
            assert out["histogram"]["counts"] == expected[0].tolist()
            assert out["histogram"]["edges"] == pytest.approx(expected[1].tolist())
    if len(finite) == len(present) > 0:
        # float error of a sum or interpolation is bounded by a few ulps of the largest value
        tolerance = float(np.abs(finite).max()) * 1e-12 + 1e-300
        quartiles = [out["q25"], out["q50"], out["q75"]]
        assert all(out["min"] <= q <= out["max"] for q in quartiles)
        if _spread_is_finite(finite):
            expected = np.percentile(finite, [25, 50, 75]).tolist()
            assert quartiles == pytest.approx(expected, rel=1e-9, abs=tolerance)
        # Exact rational arithmetic: fsum's partial sums overflow near +/-1.8e308.
        exact_mean = float(sum(map(Fraction, finite.tolist())) / len(finite))
        assert out["mean"] == pytest.approx(exact_mean, rel=1e-9, abs=tolerance)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=40),
       st.sampled_from(["str", "string[python]", "category", "object"]))
def test_strings_agree_with_pandas(values, dtype):
    series = pd.Series(values, dtype=dtype)
    out = run(series, top=3)
    present = series.dropna().astype(object)
    assert out["count"] == len(present) and out["missing"] == len(series) - len(present)
    assert out["unique"] == present.nunique()
    counts = present.value_counts()
    assert [t["count"] for t in out["top"]] == counts.iloc[:3].tolist()
    for entry in out["top"]:
        assert counts[entry["value"]] == entry["count"]
    lengths = present.map(len)
    if len(present):
        assert out["length"] == {"min": lengths.min(), "max": lengths.max(),
                                 "mean": pytest.approx(lengths.mean())}


@pytest.mark.parametrize("seed", [0, 1])
def test_many_distinct_strings_are_counted_exactly(seed):
    # Large and varied enough to take the radix-sort path (many distinct values), with ties at
    # the cut of the top list, missing values, a NUL byte, non-ASCII and a shared prefix.
    from collections import Counter

    rng = np.random.default_rng(seed)
    pool = np.array([f"user_{k}" for k in range(40_000)] + ["é", "日本", "a\x00", "a", ""],
                    dtype=object)
    values = list(pool[rng.integers(0, pool.size, 60_000)])
    for i, v in enumerate(["user_7", "a", "a\x00", "user_7", "a\x00", "a"] * 3):
        values[i * 997] = v
    for i in rng.integers(0, len(values), 500):
        values[i] = None
    out = run(pd.Series(values, dtype="str"), top=10)
    present = [v for v in values if v is not None]
    counts = Counter(present)  # insertion order: first appearance
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:10]
    assert out["unique"] == len(counts)
    assert [(t["value"], t["count"]) for t in out["top"]] == ranked
    assert out["count"] == len(present)


# ---- the shape of a distribution and empty strings (issue 17) --------------------------------


def _pandas_outliers(present: pd.Series) -> int:
    q1, q3 = present.quantile(0.25), present.quantile(0.75)
    return int(((present < q1 - 1.5 * (q3 - q1)) | (present > q3 + 1.5 * (q3 - q1))).sum())


@pytest.mark.parametrize("values, skew, kurtosis, outliers", [
    ([1, 2, 3, 10], 1.763632614803888, 3.227999999999999, 1),
    ([1, 2, 3, 4], 0.0, -1.2, 0),
    ([1, 2, 3], 0.0, None, 0),  # kurtosis needs 4 values
    ([1, 2], None, None, 0),  # skew needs 3
    ([0.1, 0.1, 0.1, 0.1], None, None, 0),  # no spread: NaN in pandas 3 (its mean is not 0.1)
    ([1.0, 2.0, np.inf, 4.0], None, None, 0),  # an infinity: NaN in pandas
    ([-100.0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 200], 1.9100529244536513, 6.813597846974299, 2),
])
def test_skew_kurtosis_and_outliers(values, skew, kurtosis, outliers):
    series = pd.Series(values)
    out = run(series)
    for name, want, pandas_value in (("skew", skew, series.skew()),
                                     ("kurtosis", kurtosis, series.kurt())):
        if want is None:
            assert out[name] is None and math.isnan(pandas_value)
        else:
            assert out[name] == pytest.approx(want, rel=1e-12, abs=1e-12)
            assert out[name] == pytest.approx(pandas_value, rel=1e-9, abs=1e-12)
    assert out["outliers"] == outliers == _pandas_outliers(series.dropna())


def test_shape_figures_of_values_near_the_float_limit():
    # Moments of 1e300 overflow in pandas (NaN); scaled by a power of two they cannot.
    big = run(pd.Series([1e300, 2e300, 3e300, 10e300]))
    assert big["skew"] == pytest.approx(1.763632614803888, rel=1e-9)
    assert big["kurtosis"] == pytest.approx(3.228, rel=1e-9)


def test_no_values_have_no_shape():
    out = run(pd.Series([np.nan], dtype=float))
    assert (out["skew"], out["kurtosis"], out["outliers"]) == (None, None, 0)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-50, 50),
                          st.floats(-1e6, 1e6, allow_nan=False, width=64)), max_size=60),
       st.sampled_from(["float64", "Float64", "object-int"]))
def test_shape_agrees_with_pandas(values, dtype):
    if dtype == "object-int":
        series = pd.Series([None if v is None else int(v) for v in values], dtype="Int64")
    else:
        series = pd.Series([np.nan if v is None else v for v in values], dtype=dtype)
    out = run(series)
    present = series.dropna().astype(float)
    assert out["outliers"] == _pandas_outliers(present)
    for name, expected in (("skew", present.skew()), ("kurtosis", present.kurt())):
        spread = present.max() - present.min() if len(present) else 0.0
        if out[name] is None:
            # null where pandas says NaN, or where pandas' sums of tiny deviations are noise
            assert math.isnan(expected) or spread <= 1e-6 * max(1.0, present.abs().max())
        elif spread > 1e-6 * max(1.0, present.abs().max()):
            assert out[name] == pytest.approx(expected, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("series, empty, share", [
    (pd.Series(["", "a", None, "", " "], dtype="str"), 2, 0.5),
    (pd.Series(["", "a", None, ""], dtype="string[python]"), 2, 2 / 3),
    (pd.Series(["", "x", None, "x"], dtype="category"), 1, 1 / 3),
    (pd.Series(["", 1, None, [1]], dtype=object), 1, 1 / 3),
    (pd.Series([None, None], dtype="str"), 0, None),
])
def test_empty_strings_are_counted(series, empty, share):
    out = run(series)
    assert out["empty"] == empty
    assert out["empty_share"] == (None if share is None else pytest.approx(share))
    present = series.dropna()
    assert out["empty"] == int((present.map(str) == "").sum())
