"""Exact order statistics found by counting (issue 14): describe's quartiles without
quantile_cont, whose buffer of the whole column DuckDB cannot spill."""
from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.backends.duckdb import DuckDBBackend
from dtale_lite.backends.duckdb.order_stats import order_statistics
from dtale_lite.backends.duckdb.sql import used_params
from dtale_lite.frames.describe import describe as pandas_describe

FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1.0, 1.0 + 2**-52, 5e-324, -5e-324, 1e308, -1e308, math.inf, -math.inf])
INTS = st.integers(-2**63, 2**63 - 1) | st.integers(-3, 3)


def all_order_statistics(values: list, dtype, bins: int, fetch_rows: int) -> tuple[dict, list]:
    """(what order_statistics finds for every rank, numpy's sorted values) for ``values``."""
    con = duckdb.connect()
    con.register("t", pa.table({"x": pa.array(values, type=dtype)}))
    floating = pa.types.is_floating(dtype)
    # As the backend reads a float column: NaN is missing.
    value = "(CASE WHEN isnan(x) THEN NULL ELSE x END)" if floating else "x"
    present = [v for v in values if v is not None and not (floating and math.isnan(v))]
    ordered = sorted(present)
    finite = [v for v in ordered if not floating or math.isfinite(v)]
    low, high = (finite[0], finite[-1]) if finite else (None, None)

    def query(sql: str, params: dict) -> list:
        return con.execute(sql, used_params(sql, params)).fetchall()

    found = order_statistics(query, "t WHERE true", {}, value, range(len(ordered)),
                             len(ordered), low, high, infinite=len(ordered) - len(finite),
                             bins=bins, fetch_rows=fetch_rows)
    return found, ordered


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.none() | FLOATS, min_size=1, max_size=60),
       bins=st.integers(2, 5), fetch_rows=st.integers(1, 6))
def test_every_rank_of_floats_is_the_sorted_value(values, bins, fetch_rows):
    """Few bins and a small fetch make the search narrow over several levels."""
    found, ordered = all_order_statistics(values, pa.float64(), bins, fetch_rows)
    assert [found[k] for k in range(len(ordered))] == ordered


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.none() | INTS, min_size=1, max_size=60),
       bins=st.integers(2, 5), fetch_rows=st.integers(1, 6))
def test_every_rank_of_integers_is_the_sorted_value(values, bins, fetch_rows):
    """Integers past 2**53 share a double: the bins cannot split them, the fetch does."""
    found, ordered = all_order_statistics(values, pa.int64(), bins, fetch_rows)
    assert [found[k] for k in range(len(ordered))] == ordered


def test_a_rank_outside_the_values_is_an_error():
    with pytest.raises(IndexError):
        all_order_statistics_at([1.0, 2.0], rank=2)


def all_order_statistics_at(values, rank):
    con = duckdb.connect()
    con.register("t", pa.table({"x": pa.array(values)}))
    return order_statistics(lambda sql, p: con.execute(sql, used_params(sql, p)).fetchall(),
                            "t WHERE true", {}, "x", [rank], len(values), min(values),
                            max(values))


@pytest.fixture(scope="module")
def two_million(tmp_path_factory):
    """2M distinct doubles (with NaN and infinities) and skewed ones, as Parquet."""
    rng = np.random.default_rng(3)
    n = 2_000_000
    normal = rng.standard_normal(n)
    normal[rng.random(n) < 0.05] = np.nan
    normal[:3] = [np.inf, -np.inf, np.inf]
    frame = pd.DataFrame({"normal": normal, "skewed": rng.lognormal(3, 1, n),
                          "steps": rng.integers(0, 5, n).astype(np.int64)})
    path = tmp_path_factory.mktemp("big") / "two-million.parquet"
    frame.to_parquet(path, row_group_size=122_880)
    return path, frame


def test_describe_is_exact_under_a_limit_quantile_cont_could_not_work_in(two_million,
                                                                          tmp_path):
    """quantile_cont holds 2M doubles in one 16 MiB buffer that it doubles as it grows; under
    a 40 MB limit it fails (checked first, so the test means something), while describe's
    quartiles, found by counting, match pandas'."""
    path, frame = two_million
    backend = DuckDBBackend(path, memory_limit="40MB", threads=1,
                            temp_directory=str(tmp_path / "t"))
    try:
        with pytest.raises(duckdb.OutOfMemoryException):
            backend.cursor().execute("SELECT quantile_cont(skewed, [0.25, 0.5, 0.75]) FROM "
                                     "read_parquet($f)", {"f": str(path)}).fetchall()
        for position, (name, kind) in enumerate((("normal", "float"), ("skewed", "float"),
                                                 ("steps", "int"))):
            got = backend.view().describe(position)
            expected = pandas_describe(frame[name], kind)
            for figure in ("count", "q25", "q50", "q75", "min", "max"):
                assert got[figure] == expected[figure], (name, figure)
    finally:
        backend.close()
