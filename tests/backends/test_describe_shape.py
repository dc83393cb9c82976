"""Skew, kurtosis, IQR outliers and empty strings (issue 17) on every engine, against pandas
itself (``Series.skew``, ``Series.kurt``, the 1.5 IQR rule with pandas' quantiles), on every
path an engine has: Dask by partition and on one worker, DuckDB exact and sampled."""
from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from dtale_lite.frames.filters import parse

from .conftest import ENGINES, make_backend

N = 400


def shape_frame() -> pl.DataFrame:
    rng = np.random.default_rng(17)
    skewed = rng.lognormal(0.0, 1.0, N)
    skewed[::37] *= 25  # far outliers on the right
    ints = rng.integers(-20, 20, N)
    ints[::50] = 500
    text = rng.choice(["", "a", "bb", "ccc dd", " "], N).tolist()
    text[::7] = [None] * len(text[::7])
    return pl.DataFrame({
        "skewed": pl.Series([None if i % 11 == 0 else float(v) for i, v in enumerate(skewed)]),
        "ints": pl.Series(ints.tolist(), dtype=pl.Int64),
        "text": pl.Series(text, dtype=pl.String),
        "cat": pl.Series(rng.choice(["", "x", "yy"], N).tolist(), dtype=pl.Categorical),
        "flat": [1.5] * N,
    })


def pandas_figures(series) -> dict:
    present = series.dropna()
    q1, q3 = present.quantile(0.25), present.quantile(0.75)
    outside = (present < q1 - 1.5 * (q3 - q1)) | (present > q3 + 1.5 * (q3 - q1))
    return {"skew": present.skew(), "kurtosis": present.kurt(), "outliers": int(outside.sum())}


def check_numbers(got: dict, series) -> None:
    want = pandas_figures(series.astype(float))
    for name in ("skew", "kurtosis"):
        if math.isnan(want[name]):
            assert got[name] is None, name
        else:
            assert got[name] == pytest.approx(want[name], rel=1e-9), name
    assert got["outliers"] == want["outliers"]


@pytest.fixture(scope="module")
def frame():
    return shape_frame()


@pytest.mark.parametrize("engine", ("pandas",) + ENGINES)
@pytest.mark.parametrize("text", [None, "ints > -10"])
def test_shape_and_empty_strings_equal_pandas(tmp_path, frame, engine, text):
    reference = frame.to_pandas()
    node = None if text is None else parse(text)
    if node is not None:
        reference = reference[reference["ints"] > -10]
    backend = make_backend(engine, frame, tmp_path)
    if engine == "dask":
        backend.one_worker_rows = 0  # by partition: the path that adds figures up
    try:
        view = backend.view(node)
        for position in (0, 1, 4):
            got = view.describe(position)
            assert got["approximate"] == []
            check_numbers(got, reference.iloc[:, position])
        assert got["skew"] is None and got["kurtosis"] is None and got["outliers"] == 0
        assert got.keys() >= {"skew", "kurtosis", "outliers"}
        for position in (2, 3):
            got = view.describe(position)
            present = reference.iloc[:, position].dropna().astype(str)
            assert got["empty"] == int((present == "").sum()) > 0
            assert got["empty_share"] == pytest.approx((present == "").mean())
    finally:
        backend.close()


def test_duckdb_sampled_describe_says_outliers_are_estimates(tmp_path, frame):
    backend = make_backend("duckdb", frame, tmp_path)
    backend.exact_describe_rows, backend.segment_rows = 100, 64  # sample row ranges
    try:
        got = backend.view().describe(0)
    finally:
        backend.close()
    assert "outliers" in got["approximate"] and "skew" not in got["approximate"]
    want = pandas_figures(frame.to_pandas()["skewed"])
    assert got["skew"] == pytest.approx(want["skew"], rel=1e-9)  # over every row
    assert got["kurtosis"] == pytest.approx(want["kurtosis"], rel=1e-9)
