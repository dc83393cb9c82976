"""The analysis pages' pure logic (frames/analysis) against pandas itself."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

from dtale_lite.frames.aggregate import GroupKey
from dtale_lite.frames.analysis import duplicates as dup, missing, outliers, timeseries as ts
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.source import PandasSource

from tests.conftest import odd_frame, small_frame


def _nullity(frame: pd.DataFrame, bands: int = missing.MAX_BANDS):
    source = PandasSource(frame)
    return source.nullity(None, list(range(frame.shape[1])), bands)


@pytest.mark.parametrize("frame", [small_frame(300), small_frame(7), odd_frame(),
                                   small_frame(0)], ids=["300", "7", "odd", "empty"])
def test_missing_counts_bands_and_correlation_equal_pandas(frame):
    n = _nullity(frame)
    isna = frame.isna()
    assert n.missing.tolist() == isna.sum().tolist()
    rows = len(frame)
    bands = min(missing.MAX_BANDS, rows)
    assert n.band_rows.sum() == rows and len(n.band_rows) == bands
    band = np.arange(rows) * bands // max(rows, 1)
    assert np.array_equal(n.band_missing, isna.groupby(band).sum().to_numpy().reshape(
        bands, frame.shape[1]))
    kept, corr = missing.nullity_correlation(n)
    partial = [j for j, m in enumerate(n.missing) if 0 < m < rows]
    assert kept == partial
    if partial:
        want = isna.iloc[:, partial].astype(float).corr().to_numpy()
        np.testing.assert_allclose(corr, want, atol=1e-12)


def test_the_matrix_has_at_most_500_bands_of_nearly_equal_rows():
    n = _nullity(small_frame(10_007))
    assert len(n.band_rows) == 500
    assert n.band_rows.max() - n.band_rows.min() <= 1


@settings(max_examples=60, deadline=None)
@given(data_frames([column("a", elements=st.sampled_from([1.0, 2.0, np.nan])),
                    column("b", elements=st.sampled_from(["x", "y", None])),
                    column("c", elements=st.booleans())]),
       st.lists(st.sampled_from("abc"), min_size=1, max_size=3, unique=True))
def test_duplicates_rows_is_what_pandas_duplicated_counts(frame, names):
    source = PandasSource(frame)
    positions = [list(frame.columns).index(n) for n in names]
    repeated, groups = source.duplicates(None, positions, dup.TOP_GROUPS)
    assert repeated == int(frame.duplicated(names).sum())
    sizes = frame.groupby(names, dropna=False, sort=False).size()
    want = sizes[sizes > 1].sort_values(ascending=False, kind="stable").head(dup.TOP_GROUPS)
    assert [size for _, size in groups] == want.tolist()


def test_duplicate_groups_name_their_values_and_their_filter_selects_them():
    frame = pd.DataFrame({"k": ["a", "b", "a", None, None, "a"], "n": [1, 2, 1, 3, 3, 1]})
    repeated, groups = PandasSource(frame).duplicates(None, [0, 1], 10)
    assert repeated == 3
    assert groups == [(["a", 1], 3), ([None, 3], 2)]
    assert dup.group_filter(["k", "n"], [None, 3]) == "k is null and n == 3"


@pytest.mark.parametrize("text, error", [
    ("nope", "JSON list"), ("[]", "non-empty"), ('["zz"]', "no column named 'zz'"),
    ('{"a": 1}', "non-empty")])
def test_bad_duplicates_columns_name_the_parameter(text, error):
    with pytest.raises(BadRequest, match=error) as raised:
        dup.parse_columns(text, PandasSource(small_frame()).columns())
    assert "'columns'" in raised.value.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)), min_size=1, max_size=60))
def test_iqr_fences_are_pandas_default_quantiles(values):
    series = pd.Series(values, dtype=float)
    source = PandasSource(series.to_frame("v"))
    _, box = source.box_stats(None, [], 0)
    low, high = outliers.fences("iqr", float(box["q1"][0]), float(box["q3"][0]))
    if series.notna().sum() == 0:
        assert (low, high) == (None, None)
        return
    q1, q3 = series.quantile([0.25, 0.75])
    assert low == pytest.approx(q1 - 1.5 * (q3 - q1)) and \
        high == pytest.approx(q3 + 1.5 * (q3 - q1))


def test_zscore_fences_and_the_outside_filter():
    assert outliers.fences("zscore", mean=1.0, std=2.0) == (-5.0, 7.0)
    assert outliers.outside_filter("my col", -5.0, 7.0) == "`my col` < -5.0 or `my col` > 7.0"
    assert outliers.outside_filter("x", None, None) is None


@pytest.mark.parametrize("name, error", [("s_lo", "string values"), ("nope", "no column"),
                                         (None, "required")])
def test_outliers_need_a_numeric_column(name, error):
    with pytest.raises(BadRequest, match=error):
        outliers.check_column(PandasSource(small_frame()).columns(), name)


def _resampled(frame, freq):
    source = PandasSource(frame)
    x = list(frame.columns).index("ts")
    y = list(frame.columns).index("f1")
    (groups,), (means,) = source.group_aggregate(None, [GroupKey(x, freq=freq)], [(y, "mean")])
    return ts.resampled(groups, means, freq)


@pytest.mark.parametrize("freq", ["hour", "day", "week", "month", "quarter", "year"])
def test_the_resampled_series_is_pandas_resample(freq):
    frame = small_frame(500)
    if freq == "hour":
        frame = frame.assign(ts=frame["ts"].min() + (frame["ts"] - frame["ts"].min()) / 500)
    got = _resampled(frame, freq)
    want = frame.set_index("ts")["f1"].resample(ts.RESAMPLE_RULES[freq], closed="left",
                                                 label="left").mean()
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), equal_nan=True)
    assert list(got.index) == list(want.index)


def test_the_decomposition_says_what_to_install_without_statsmodels(monkeypatch):
    series = _resampled(small_frame(2000), "week")
    monkeypatch.setattr(ts, "load_statsmodels", lambda: None)
    parts, message = ts.decompose(series, "week")
    assert parts is None and "pip install 'dtale_lite[analysis]'" in message


def test_the_decomposition_adds_up_to_the_series():
    pytest.importorskip("statsmodels")
    series = _resampled(small_frame(2000), "month")
    parts, message = ts.decompose(series, "month")
    assert message is None
    total = parts["trend"] + parts["seasonal"] + parts["resid"]
    filled = series.interpolate(limit_direction="both")
    np.testing.assert_allclose(total.dropna(), filled[total.notna()])


@pytest.mark.parametrize("freq, window, error", [
    ("daily", None, "'freq'"), ("day", "0", "'window'"), ("day", "x", "'window'"),
    ("day", "1001", "'window'")])
def test_bad_freq_and_window_name_the_parameter(freq, window, error):
    with pytest.raises(BadRequest, match=error):
        ts.check_window(window, ts.check_freq(freq))


def _rng_frame(n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    text = pd.Series([f"u{k}" for k in rng.integers(0, n // 2, n)], dtype="str")
    text[rng.random(n) < 0.1] = None
    wide = rng.integers(0, n, n).astype(float)
    wide[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({"id": np.arange(n), "text": text, "small": rng.integers(0, 3, n),
                         "wide": wide, "big": rng.integers(0, n, n),
                         "cat": pd.Categorical(rng.choice(["a", "b", None], n))})


@pytest.mark.parametrize("names", [["text"], ["text", "small"], ["wide", "big"],
                                   ["small", "cat"], ["id", "text"], ["cat"],
                                   ["text", "wide", "big", "small"]])
def test_duplicates_over_every_kind_of_key_equal_pandas(names):
    frame = _rng_frame()
    source = PandasSource(frame)
    repeated, groups = source.duplicates(None, [list(frame.columns).index(n) for n in names],
                                         dup.TOP_GROUPS)
    assert repeated == int(frame.duplicated(names).sum())
    sizes = frame.groupby(names, dropna=False, sort=False, observed=True).size()
    want = sizes[sizes > 1].sort_values(ascending=False, kind="stable").head(dup.TOP_GROUPS)
    assert [size for _, size in groups] == want.tolist()
    assert [tuple(None if pd.isna(v) else v for v in values) for values, _ in groups] == \
        [tuple(None if pd.isna(v) else v for v in (k if isinstance(k, tuple) else (k,)))
         for k in want.index]
