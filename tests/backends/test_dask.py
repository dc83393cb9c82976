"""The Dask backend on a real LocalCluster: deep sorted pages found through sampled runs (small
samples, so brackets are loose), the chart primitives against pandas, and that nothing but
windows and aggregates comes back to this process."""
from __future__ import annotations

import datetime as dt

import dask
import numpy as np
import pandas as pd
import polars as pl
import pytest
from dask.sizeof import sizeof
from distributed import Client, get_task_stream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.aggregate import GroupKey
from dtale_lite.backends.dask import order as dask_order
from dtale_lite.backends.dask import DaskBackend
from dtale_lite.frames.errors import BadRequest, DtaleLiteError
from dtale_lite.frames.filters import parse

from .conftest import make_backend
from .test_contract import (FILTERS, INTS, STAMPS, TEXTS, frames, reference_view,
                            reference_window)

pytestmark = pytest.mark.usefixtures("dask_client")

FLOATS = st.one_of(st.none(), st.sampled_from([0.5, -1.0, 2.25, float("nan"), float("inf")]))


@st.composite
def longer_frames(draw):
    """Up to 120 rows: with 3 samples per run, every run's stride is > 1."""
    n = draw(st.integers(0, 120))
    column = lambda pool: draw(st.lists(pool, min_size=n, max_size=n))  # noqa: E731
    return pl.DataFrame({
        "i": pl.Series(column(INTS), dtype=pl.Int64),
        "f": pl.Series(column(FLOATS), dtype=pl.Float64),
        "s": pl.Series(column(TEXTS), dtype=pl.String),
        "t": pl.Series(column(STAMPS), dtype=pl.Datetime("us")),
    })


@given(frame=longer_frames(), text=st.sampled_from(FILTERS),
       keys=st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=3,
                     unique_by=lambda k: k[0]),
       offset=st.integers(0, 130), limit=st.integers(0, 40))
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_deep_pages_through_loose_brackets_are_pandas_slices(monkeypatch, tmp_path, frame, text,
                                                              keys, offset, limit):
    monkeypatch.setattr(dask_order, "SAMPLES_PER_RUN", 3)
    monkeypatch.setattr(dask_order, "MIN_STRIDE", 1)
    keys = tuple(keys)
    expected = reference_view(frame, text, keys)
    backend = make_backend("dask", frame, tmp_path)
    try:
        backend.top_k_rows = 0
        view = backend.view(None if text is None else parse(text), keys)
        assert view.window(offset, limit, [0, 1, 2, 3]) == \
            reference_window(expected, offset, limit)
        pages = [view.window(start, 25, [])[0] for start in range(0, len(expected) + 25, 25)]
        assert sum(pages, []) == expected.index.tolist()
    finally:
        backend.close()


@pytest.mark.parametrize("ranges", [(None, None), ((0.0, 30.0), (-3.0, 3.0))])
def test_bins2d_downsample_sample_equal_pandas(charted, ranges):
    dask_view, pandas_view = charted["dask"].view(parse("x > 10")), \
        charted["pandas"].view(parse("x > 10"))
    for a, b in zip(dask_view.bins2d(0, 1, 9, 5, *ranges), pandas_view.bins2d(0, 1, 9, 5, *ranges)):
        np.testing.assert_allclose(a, b)
    for key in (None, GroupKey(2)):
        got_groups, got = dask_view.downsample(0, 1, 5, ranges[0], key)
        e_groups, expected = pandas_view.downsample(0, 1, 5, ranges[0], key)
        assert got_groups == e_groups
        for line, e_line in zip(got, expected):
            for a, b in zip(line, e_line):
                np.testing.assert_array_equal(a, b)
    for text, n in (("x > 10", 10), ("x > 10", 10_000), ("x > 1000", 10)):
        got, total = charted["dask"].view(parse(text)).sample([0, 2, 3], n)
        expected, e_total = charted["pandas"].view(parse(text)).sample([0, 2, 3], n)
        assert total == e_total
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


KEYS = [GroupKey(2, top=3), GroupKey(5, top=2), GroupKey(0, bins=3), GroupKey(1, bins=4),
        GroupKey(3, bins=5)] + [GroupKey(3, freq=f) for f in ("hour", "month", "year")]


@pytest.mark.parametrize("key", KEYS, ids=str)
def test_every_group_key_form_equals_pandas(odd, key):
    measures = [(None, "count"), (1, "mean"), (0, "max"), (0, "median"), (2, "distinct")]
    view, reference = odd["dask"].view(parse("i is not null or s is null")), \
        odd["pandas"].view(parse("i is not null or s is null"))
    groups, results = view.group_aggregate([key, GroupKey(4)], measures)
    e_groups, e_results = reference.group_aggregate([key, GroupKey(4)], measures)
    assert groups == e_groups
    for got, expected in zip(results, e_results):
        np.testing.assert_allclose(got, expected, rtol=1e-9, equal_nan=True)
    got_groups, got_stats = view.box_stats([key], 0)
    e_groups, e_stats = reference.source.box_stats(reference.positions(), [key], 0)
    assert got_groups == e_groups
    for name in e_stats:
        np.testing.assert_allclose(got_stats[name], e_stats[name], equal_nan=True)


def test_bad_filter_and_sort_are_errors_at_view(odd):
    with pytest.raises(DtaleLiteError):
        odd["dask"].view(parse("nope > 1"))
    with pytest.raises(DtaleLiteError):
        odd["dask"].view(None, ((99, True),))


def test_charts_over_too_many_rows_for_one_worker_are_a_400(tmp_path):
    backend = make_backend("dask", describe_frame(), tmp_path)
    reference = make_backend("pandas", describe_frame(), tmp_path)
    backend.one_worker_chart_rows = 100
    try:
        with pytest.raises(BadRequest, match="filter the view first"):
            backend.view().group_aggregate([GroupKey(2)], [(None, "count")])
        small = parse("i == 0")  # fewer than 100 rows: on one worker, as pandas
        assert backend.view(small).group_aggregate([GroupKey(2)], [(1, "sum")])[0] == \
            reference.view(small).group_aggregate([GroupKey(2)], [(1, "sum")])[0]
        # A histogram without groups is computed partition by partition: no limit.
        edges, counts, _ = backend.view().histogram(1, 5)
        e_edges, e_counts, _ = reference.view().histogram(1, 5)
        assert counts.tolist() == e_counts.tolist()
        np.testing.assert_allclose(edges, e_edges)
    finally:
        backend.close()


def test_series_and_capabilities(dask_client):
    import dask.dataframe as dd

    series = dd.from_pandas(pd.Series([3.0, None, 1.0, 2.0], name="x"), npartitions=2)
    backend = DaskBackend(series)
    try:
        assert [c.name for c in backend.columns()] == ["x"]
        assert backend.view(None, ((0, False),)).window(0, 4, [0]) == \
            ([0, 3, 2, 1], [[3.0], [2.0], [1.0], [None]])
        assert backend.capabilities.approximate == frozenset()
        assert {"group_aggregate", "histogram"} <= backend.capabilities.chart_primitives
    finally:
        backend.close()


class MeasuringClient(Client):
    """A real Client that adds up the size of everything it fetches from the cluster (every
    path that brings data back, gather and Future.result alike, goes through _gather)."""

    received = 0

    async def _gather(self, futures, *args, **kwargs):
        result = await super()._gather(futures, *args, **kwargs)
        self.received += sizeof(result)
        return result


def test_only_windows_and_aggregates_come_back(dask_client):
    import dask.dataframe as dd

    rng = np.random.default_rng(5)
    n = 400_000
    frame = pd.DataFrame({"f": rng.standard_normal(n), "g": rng.integers(0, 50, n),
                          "s": pd.Series(rng.integers(0, 1000, n)).map("v{}".format)})
    ddf = dd.from_pandas(frame, npartitions=8)
    whole = sizeof(frame)
    with MeasuringClient(dask_client.scheduler.address, set_as_default=False) as client:
        ddf = client.persist(ddf)
        backend = DaskBackend(ddf, client)
        assert len(backend.parts) == 8
        received = client.received
        view = backend.view(parse("f > 0"), ((2, False), (0, True)))
        assert view.count().rows == int((frame["f"] > 0).sum())
        view.window(0, 100, [0, 1, 2])
        backend.top_k_rows = 0
        deep = backend.view(parse("f > 0"), ((2, False), (0, True)))
        deep.window(n // 4, 100, [0, 1, 2])
        backend.view().window(n // 2, 100, [0, 1, 2])
        backend.view().describe(0)
        backend.view(parse("g < 10")).histogram(0, 20)
        backend.view().group_aggregate([GroupKey(1)], [(0, "mean")])
        fetched = client.received - received
        assert fetched < whole / 20, (fetched, whole)
        # The measure sees data coming back: fetching the frame itself would fail the bound.
        client.compute(ddf).result()
        assert client.received - received > whole / 2
        backend.close()


def test_a_page_runs_tasks_on_its_partitions_only(odd, dask_client):
    import dask.dataframe as dd

    frame = pd.DataFrame({"v": np.arange(1_000)})
    backend = DaskBackend(dd.from_pandas(frame, npartitions=10), dask_client)
    try:
        view = backend.view()
        view.count()
        with get_task_stream(dask_client) as stream:
            assert view.window(250, 20, [0]) == (list(range(250, 270)),
                                                 [[v] for v in range(250, 270)])
        tasks = [t["key"] for t in stream.data]
        assert len([k for k in tasks if "take_rows" in str(k)]) == 1, tasks
    finally:
        backend.close()


def describe_frame() -> pl.DataFrame:
    """Every column kind, values repeated across partitions (top ties, first appearances)."""
    rng = np.random.default_rng(11)
    n = 300
    stamps = [dt.datetime(2021, 1, 1) + dt.timedelta(hours=int(h))
              for h in rng.integers(0, 50, n)]
    return pl.DataFrame({
        "i": rng.integers(-3, 4, n),
        "f": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 30, n) / 4),
        "s": rng.choice(["a", "b", "c", "dd", "é", None], n).tolist(),
        "t": stamps,
        "tz": pl.Series(stamps).dt.replace_time_zone("UTC").dt.convert_time_zone("Asia/Tokyo"),
        "d": pl.Series([dt.timedelta(minutes=int(m)) for m in rng.integers(0, 9, n)]),
        "b": rng.random(n) < 0.5,
        "c": pl.Series(rng.choice(["x", "y", "z"], n).tolist(), dtype=pl.Enum(["x", "y", "z"])),
        "w": [1.0, float("inf"), float("-inf"), None] * (n // 4),
    })


@pytest.mark.parametrize("text", [None, "s is null"])
@pytest.mark.parametrize("one_worker_rows", [0, 1_000], ids=["by-partition", "one-worker"])
def test_describe_of_every_kind_equals_pandas(tmp_path, text, one_worker_rows):
    from .test_contract import same

    frame = describe_frame()
    node = None if text is None else parse(text)
    backend, reference = make_backend("dask", frame, tmp_path), make_backend("pandas", frame,
                                                                            tmp_path)
    backend.one_worker_rows = one_worker_rows
    try:
        for column in range(frame.width):
            got = backend.view(node).describe(column)
            expected = reference.view(node).describe(column)
            assert got.pop("approximate") == [] and expected.pop("approximate") == []
            assert same(got, expected), (frame.columns[column], got, expected)
    finally:
        backend.close()


def test_partitions_recomputed_when_not_persisted(dask_client):
    """persist=False (data larger than the cluster's memory): the same answers, each task
    computing its partition from the frame's graph."""
    import dask.dataframe as dd

    frame = describe_frame().to_pandas()
    backend = DaskBackend(dd.from_pandas(frame, npartitions=4), dask_client, persist=False)
    reference = make_backend("pandas", describe_frame(), None)
    try:
        assert not any(type(p).__name__ == "Future" for p in backend.parts)
        for top_k in (1_000, 0):
            backend.top_k_rows = top_k
            view = backend.view(parse("i > -2"), ((2, False), (1, True)))
            expected = reference.view(parse("i > -2"), ((2, False), (1, True)))
            assert view.count() == expected.count()
            assert view.window(40, 30, [0, 1, 2, 3]) == expected.window(40, 30, [0, 1, 2, 3])
        from .test_contract import same

        assert same(backend.view().describe(1), reference.view().describe(1))
    finally:
        backend.close()


LOCAL_SCHEDULER = """
import dask.dataframe as dd, numpy as np, pandas as pd
from dtale_lite.backends.dask import DaskBackend
from dtale_lite.backends.pandas import PandasBackend
from dtale_lite.frames.filters import parse
frame = pd.DataFrame({"x": np.arange(50) % 7, "s": [f"v{i % 5}" for i in range(50)]})
backend = DaskBackend(dd.from_pandas(frame, npartitions=3))
assert backend.cluster.client is None
for top_k in (1000, 0):
    backend.top_k_rows = top_k
    for node, keys in ((None, ()), (parse("x > 2"), ((1, False), (0, True)))):
        got, expected = backend.view(node, keys), PandasBackend(frame).view(node, keys)
        assert got.count() == expected.count()
        assert got.window(5, 20, [0, 1]) == expected.window(5, 20, [0, 1])
assert backend.view().describe(1) == PandasBackend(frame).view().describe(1)
print("ok")
"""


def test_without_a_distributed_client_dask_local_scheduler_runs_it(tmp_path):
    """No Client in the process (a user without a cluster): Dask's own scheduler."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", LOCAL_SCHEDULER], capture_output=True,
                          text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@given(frame=frames(), text=st.sampled_from(FILTERS), column=st.integers(0, 3))
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_describe_by_partition_equals_pandas(tmp_path, frame, text, column):
    """The partition-by-partition describe (large views) on any small frame, odd values too."""
    from .test_contract import same

    node = None if text is None else parse(text)
    backend, reference = make_backend("dask", frame, tmp_path), make_backend("pandas", frame,
                                                                            tmp_path)
    backend.one_worker_rows = 0
    try:
        got, expected = backend.view(node).describe(column), reference.view(node).describe(column)
    finally:
        backend.close()
    assert same(got, expected), (got, expected)


def test_unknown_categories_are_text(dask_client):
    """Categories Dask does not know may differ per partition: the column is seen as text."""
    import dask.dataframe as dd

    values = ["b", "a", None, "c", "a", "b", "c", "c"]
    parts = [pd.DataFrame({"c": pd.Categorical(values[i:i + 4])}, index=range(i, i + 4))
             for i in (0, 4)]  # partition categories: [a, b, c] and [a, b, c] in other order
    parts[1]["c"] = parts[1]["c"].cat.reorder_categories(["c", "b", "a"])
    ddf = dd.from_delayed([dask.delayed(p) for p in parts], meta=parts[0].iloc[:0],
                          verify_meta=False)
    ddf = ddf.assign(c=ddf["c"].cat.as_unknown())
    backend = DaskBackend(ddf, dask_client)
    try:
        assert backend.columns()[0].kind == "string"
        backend.top_k_rows = 0
        assert backend.view(None, ((0, True),)).window(0, 8, [0])[1] == \
            [["a"], ["a"], ["b"], ["b"], ["c"], ["c"], ["c"], [None]]
        assert backend.view().describe(0)["top"][0] == {"value": "c", "count": 3}
    finally:
        backend.close()


def test_threads_paging_one_view_see_one_order(dask_client, tmp_path):
    """The server's threads share views: runs are built once and every page is consistent."""
    from concurrent.futures import ThreadPoolExecutor

    frame = describe_frame()
    backend = make_backend("dask", frame, tmp_path)
    backend.top_k_rows = 0
    reference = make_backend("pandas", frame, tmp_path).view(parse("i != 0"), ((2, True),))
    view = backend.view(parse("i != 0"), ((2, True),))
    try:
        with ThreadPoolExecutor(8) as pool:
            pages = list(pool.map(lambda start: view.window(start, 30, [0, 2]),
                                  range(0, 300, 30)))
        assert pages == [reference.window(start, 30, [0, 2]) for start in range(0, 300, 30)]
        view.close()  # (the app's view cache evicted it) frees its runs; it still answers
        assert view.window(60, 30, [0, 2]) == pages[2]
    finally:
        backend.close()


@pytest.mark.parametrize("keys", [(), ((2, False), (0, True))])
def test_export_streams_in_pieces_in_view_order(monkeypatch, tmp_path, keys):
    """Sorted views export in chunks of their order, others partition by partition: the
    pieces put together are the view's rows, as the grid shows them."""
    import io
    import json

    import pyarrow.parquet as pq

    from dtale_lite.backends.dask import backend as dask_backend

    monkeypatch.setattr(dask_backend, "EXPORT_CHUNK_ROWS", 7)
    frame = describe_frame()
    backend = make_backend("dask", frame, tmp_path)
    try:
        view = backend.view(parse("i != 0"), keys)
        rows = view.window(0, 1_000, [0, 1, 2])[1]
        chunks = list(view.export([0, 1, 2], ["i", "f", "s"], "json"))
        assert len(chunks) > 4  # streamed, not one piece
        assert json.loads(b"".join(chunks)) == [dict(zip("ifs", row)) for row in rows]
        table = pq.read_table(io.BytesIO(b"".join(view.export([0, 2], ["i", "s"], "parquet"))))
        assert table.column("s").to_pylist() == [row[2] for row in rows]
    finally:
        backend.close()
