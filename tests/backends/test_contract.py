"""Every backend answers like pandas: any window of any sorted and filtered view, the count,
describe, the chart primitives and export round-trips (pandas is the reference)."""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.aggregate import GroupKey
from dtale_lite.frames.describe import describe as reference_describe
from dtale_lite.frames.filters import parse
from dtale_lite.frames.serialize import json_safe_values
from dtale_lite.frames.source import PandasSource

from .conftest import ENGINES, make_backend, odd_frame

# Small pools, so ties (the tiebreaker's job) and missing values are common.
INTS = st.one_of(st.none(), st.integers(-3, 3))
FLOATS = st.one_of(st.none(), st.sampled_from([0.5, -1.0, 2.25, float("nan"), float("inf"),
                                               float("-inf"), 1e300]))
TEXTS = st.one_of(st.none(), st.sampled_from(["a", "b", "B", "", "ä", "a b", "z"]))
STAMPS = st.one_of(st.none(), st.sampled_from([dt.datetime(2021, 1, 1),
                                               dt.datetime(2021, 1, 1, 12, 30),
                                               dt.datetime(1999, 12, 31, 23, 59, 59)]))
FILTERS = [None, "i > 0", "f is not null", 's != "a"', 's contains "a" or i is null',
           "not (f > 0)", 't >= "2021-01-01"', "i in [1, 2, null]"]
COLUMNS = ("i", "f", "s", "t")


@st.composite
def frames(draw):
    n = draw(st.integers(0, 25))
    return pl.DataFrame({
        "i": pl.Series(draw(st.lists(INTS, min_size=n, max_size=n)), dtype=pl.Int64),
        "f": pl.Series(draw(st.lists(FLOATS, min_size=n, max_size=n)), dtype=pl.Float64),
        "s": pl.Series(draw(st.lists(TEXTS, min_size=n, max_size=n)), dtype=pl.String),
        "t": pl.Series(draw(st.lists(STAMPS, min_size=n, max_size=n)), dtype=pl.Datetime("us")),
    })


def reference_view(frame: pl.DataFrame, text, keys) -> pd.DataFrame:
    """pandas' own answer: the filter mask, then a stable sort_values with NA last."""
    pdf = frame.to_pandas()
    if text is not None:
        pdf = pdf[PandasSource(pdf).filter_mask(parse(text))]
    if keys:
        pdf = pdf.sort_values(by=[pdf.columns[p] for p, _ in keys],
                              ascending=[a for _, a in keys], kind="stable",
                              na_position="last")
    return pdf


def reference_window(pdf: pd.DataFrame, offset: int, limit: int):
    part = pdf.iloc[offset:offset + limit]
    columns = [json_safe_values(part.iloc[:, i]) for i in range(part.shape[1])]
    return part.index.tolist(), [list(r) for r in zip(*columns)] if columns else []


def same(a, b) -> bool:
    """Equal values, floats within tolerance (sums differ in the last bits by order)."""
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(b, float) and isinstance(a, int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("engine", ENGINES)
@given(frame=frames(), text=st.sampled_from(FILTERS),
       keys=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=2,
                     unique_by=lambda k: k[0]),
       offset=st.integers(0, 30), limit=st.integers(0, 30))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_window_of_any_view_is_pandas_slice(engine, frame, text, keys, offset, limit):
    keys = tuple(keys)
    expected = reference_view(frame, text, keys)
    with tempfile.TemporaryDirectory() as directory:
        backend = make_backend(engine, frame, Path(directory))
        try:
            view = backend.view(None if text is None else parse(text), keys)
            count = view.count()
            assert count.exact and count.rows == len(expected)
            got = view.window(offset, limit, [0, 1, 2, 3])
            assert got == reference_window(expected, offset, limit)
            # Consecutive pages cover the view once, in order: nothing repeated or skipped.
            pages = [view.window(start, 7, [0])[0] for start in range(0, count.rows + 7, 7)]
            assert sum(pages, []) == expected.index.tolist()
            # The same through the materialized order (deep pages), not the top-k query.
            backend.top_k_rows = 0
            deep = backend.view(None if text is None else parse(text), keys)
            assert deep.window(offset, limit, [0, 1, 2, 3]) == got
            assert deep.count() == count
        finally:
            backend.close()


@pytest.mark.parametrize("engine", ENGINES)
@given(frame=frames(), text=st.sampled_from(FILTERS), column=st.integers(0, 3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_describe_equals_pandas(engine, frame, text, column):
    expected_rows = reference_view(frame, text, ())
    kind = ("int", "float", "string", "datetime")[column]
    series = expected_rows.iloc[:, column]
    if kind == "int":  # pandas holds ints with missing values as floats: same figures
        kind = "float" if series.dtype.kind == "f" else "int"
    expected = reference_describe(series.reset_index(drop=True), kind)
    with tempfile.TemporaryDirectory() as directory:
        backend = make_backend(engine, frame, Path(directory))
        try:
            got = backend.view(None if text is None else parse(text)).describe(column)
        finally:
            backend.close()
    assert got.pop("approximate") == []  # every figure of these backends is exact
    assert same(got, expected), (got, expected)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", [None, "f is not null", 's == "a"'])
@pytest.mark.parametrize("column", [0, 1, 3])
def test_histogram_equals_pandas(odd, engine, text, column):
    node = None if text is None else parse(text)
    edges, counts, groups = odd[engine].view(node).histogram(column, 7)
    e_edges, e_counts, e_groups = odd["pandas"].view(node).histogram(column, 7)
    np.testing.assert_allclose(edges, e_edges)
    assert counts.tolist() == e_counts.tolist() and groups == e_groups
    edges, counts, groups = odd[engine].view(node).histogram(1, 4, (-2.0, 2.0), GroupKey(2))
    e_edges, e_counts, e_groups = odd["pandas"].view(node).histogram(1, 4, (-2.0, 2.0),
                                                                      GroupKey(2))
    assert counts.tolist() == e_counts.tolist() and groups == e_groups


MEASURES = [(None, "count"), (0, "count"), (0, "sum"), (1, "mean"), (0, "median"),
            (0, "min"), (0, "max"), (2, "distinct"), (0, "std"), (3, "min")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("keys", [(), (2,), (4,), (2, 5), (3,)])
def test_group_aggregate_equals_pandas(odd, engine, keys):
    group_keys = [GroupKey(k) for k in keys]
    groups, results = odd[engine].view().group_aggregate(group_keys, MEASURES)
    e_groups, e_results = odd["pandas"].view().group_aggregate(group_keys, MEASURES)
    assert [[g.label for g in key] for key in groups] == \
        [[g.label for g in key] for key in e_groups]
    for got, expected in zip(results, e_results):
        np.testing.assert_allclose(got, expected, rtol=1e-9, equal_nan=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_export_round_trips(odd, engine):
    frame = odd_frame()
    names = ["i", "f", "s", "t", "b"]
    view = odd[engine].view(parse("i is not null"), ((0, False),))
    expected = reference_view(frame, "i is not null", ((0, False),))[names]
    labels, rows = view.window(0, 100, range(5))
    as_json = json.loads(b"".join(view.export(range(5), names, "json")))
    assert as_json == [dict(zip(names, row)) for row in rows]
    table = pq.read_table(io.BytesIO(b"".join(view.export(range(5), names, "parquet"))))
    back = table.to_pandas()
    pd.testing.assert_frame_equal(back.reset_index(drop=True),
                                  expected.reset_index(drop=True), check_dtype=False)
    csv = pd.read_csv(io.BytesIO(b"".join(view.export(range(5), names, "csv"))),
                      keep_default_na=False, na_values=[""])
    assert csv["i"].tolist() == expected["i"].tolist()
    assert csv["s"].fillna("").tolist() == expected["s"].fillna("").tolist()
    assert pd.to_datetime(csv["t"]).tolist() == expected["t"].tolist()
    empty = odd[engine].view(parse("i > 100"))
    assert json.loads(b"".join(empty.export([0], ["i"], "json"))) == []
    assert b"".join(empty.export([0], ["i"], "csv")).decode().strip() == '"i"'
    assert pq.read_table(io.BytesIO(b"".join(empty.export([0], ["i"], "parquet")))).num_rows == 0


def engines_with(primitive: str) -> list[str]:
    from dtale_lite.backends.duckdb import DuckDBBackend
    from dtale_lite.backends.polars import PolarsBackend
    return [e for e, cls in (("polars", PolarsBackend), ("polars-lazy", PolarsBackend),
                             ("duckdb", DuckDBBackend))
            if primitive in cls.capabilities.chart_primitives]


@pytest.mark.parametrize("engine", engines_with("bins2d"))
@pytest.mark.parametrize("text", [None, "x > 10"])
@pytest.mark.parametrize("ranges", [(None, None), ((0.0, 30.0), (-3.0, 3.0))])
def test_bins2d_equals_pandas(charted, engine, text, ranges):
    node = None if text is None else parse(text)
    for x, y in ((0, 1), (3, 0)):
        got = charted[engine].view(node).bins2d(x, y, 9, 5, *ranges if x == 0 else (None, None))
        expected = charted["pandas"].view(node).bins2d(x, y, 9, 5,
                                                        *ranges if x == 0 else (None, None))
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b)


@pytest.mark.parametrize("engine", engines_with("downsample"))
@pytest.mark.parametrize("buckets", [5, 300])
@pytest.mark.parametrize("key", [None, GroupKey(2)])
def test_downsample_equals_pandas(charted, engine, buckets, key):
    got_groups, got = charted[engine].view().downsample(0, 1, buckets, None, key)
    e_groups, expected = charted["pandas"].view().downsample(0, 1, buckets, None, key)
    assert got_groups == e_groups
    for (gx, gy, gn), (ex, ey, en) in zip(got, expected):
        np.testing.assert_array_equal(gx, ex)
        np.testing.assert_array_equal(gy, ey)
        assert gn == en


@pytest.mark.parametrize("engine", engines_with("sample"))
@pytest.mark.parametrize("n", [10, 10_000])
def test_sample_equals_pandas(charted, engine, n):
    got, got_total = charted[engine].view(parse("x < 40")).sample([0, 2], n)
    expected, total = charted["pandas"].view(parse("x < 40")).sample([0, 2], n)
    assert got_total == total
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


KEYS = [GroupKey(2, top=3), GroupKey(5, top=2), GroupKey(0, bins=3), GroupKey(1, bins=4),
        GroupKey(3, bins=5)] + [GroupKey(3, freq=f) for f in
                                ("hour", "day", "week", "month", "quarter", "year")]


@pytest.mark.parametrize("engine", ["polars", "polars-lazy", "duckdb"])
@pytest.mark.parametrize("key", KEYS, ids=str)
def test_group_keys_equal_pandas(odd, engine, key):
    """Top-N folding, bins and periods as aggregate.encode_key makes them."""
    measures = [(None, "count"), (1, "mean"), (0, "max")]
    view = odd[engine].view(parse("i is not null or s is null"))
    reference = odd["pandas"].view(parse("i is not null or s is null"))
    groups, results = view.group_aggregate([key, GroupKey(4)], measures)
    e_groups, e_results = reference.group_aggregate([key, GroupKey(4)], measures)
    assert groups == e_groups
    for got, expected in zip(results, e_results):
        np.testing.assert_allclose(got, expected, rtol=1e-9, equal_nan=True)
    edges, counts, hist_groups = view.histogram(0, 4, None, key)
    e_edges, e_counts, e_hist_groups = reference.histogram(0, 4, None, key)
    assert hist_groups == e_hist_groups and counts.tolist() == e_counts.tolist()


def test_column_names_like_internal_aliases(tmp_path, dask_client):
    """Columns named like the aliases the engines' queries use read as themselves."""
    names = ["v", "n", "k", "x", "g", "b", "_code", "__v", "__dtale_lite_row"]
    frame = pl.DataFrame({name: [float(i % (j + 2)) for i in range(12)]
                          for j, name in enumerate(names)}).with_columns(
        pl.col("k").cast(pl.Int64).cast(pl.String))
    measures = [(None, "count")] + [(p, "mean") for p in range(len(names)) if p != 2]
    for engine in ENGINES:
        directory = tmp_path / engine.replace("-", "")
        directory.mkdir()
        backend = make_backend(engine, frame, directory)
        reference = make_backend("pandas", frame, tmp_path)
        try:
            for position in range(len(names)):
                got, expected = backend.view().describe(position), \
                    reference.view().describe(position)
                got.pop("approximate"), expected.pop("approximate")
                assert same(got, expected), (engine, names[position])
            for key in (GroupKey(2), GroupKey(2, top=2), GroupKey(0, bins=3)):
                got = backend.view().group_aggregate([key], measures)
                expected = reference.view().group_aggregate([key], measures)
                assert got[0] == expected[0]
                np.testing.assert_allclose(np.array(got[1]), np.array(expected[1]),
                                           equal_nan=True)
                assert backend.view().histogram(1, 3, None, key)[1].tolist() == \
                    reference.view().histogram(1, 3, None, key)[1].tolist()
            assert backend.view(None, ((8, False),)).window(0, 3, [8]) == \
                reference.view(None, ((8, False),)).window(0, 3, [8])
        finally:
            backend.close()
