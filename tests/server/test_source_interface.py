"""The routes talk only to the FrameSource interface: a source that is not a pandas frame plugs
in through the registry and every route works, without a change to the routes.

``ColumnsSource`` keeps plain numpy columns, as an adapter over polars or Arrow would keep its
own; for the parts this test is not about (the filter compiler, describe, export) it reuses
the project's pure functions on its own columns.
"""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from dtale_lite import create_app
from dtale_lite.frames.columns import Column, kind_of
from dtale_lite.frames.describe import describe
from dtale_lite.frames.export import export_chunks
from dtale_lite.charts.figure import decode
from dtale_lite.frames.filters import compile_mask
from dtale_lite.server.registry import Registry
from dtale_lite.frames.serialize import json_safe_values
from dtale_lite.frames.source import ChartSource, ColumnChartPrimitives, FrameSource


class ColumnsSource(ColumnChartPrimitives):
    def __init__(self, columns: dict[str, np.ndarray]):
        self.data = columns
        self.names = list(columns)
        self.n = len(next(iter(columns.values())))

    def row_count(self) -> int:
        return self.n

    def columns(self) -> list[Column]:
        return [Column(i, name, str(a.dtype), kind_of(a.dtype))
                for i, (name, a) in enumerate(self.data.items())]

    def sort_order(self, keys) -> np.ndarray:
        # np.lexsort is stable; its last key is the primary one. (No missing values here.)
        arrays = [self.data[self.names[pos]] if asc else -self.data[self.names[pos]]
                  for pos, asc in reversed(keys)]
        return np.lexsort(arrays).astype(np.int64)

    def filter_mask(self, node) -> np.ndarray:
        def resolve(name):
            return pd.Series(self.data[name]) if name in self.data else None
        return compile_mask(node, resolve, self.n)

    def rows(self, positions, columns):
        values = [json_safe_values(pd.Series(self.data[self.names[c]][positions]))
                  for c in columns]
        return positions.tolist(), [list(r) for r in zip(*values)] if values else []

    def describe(self, column, positions):
        values = self.data[self.names[column]]
        return describe(pd.Series(values if positions is None else values[positions]),
                        kind_of(values.dtype))

    def export(self, positions, columns, names, fmt):
        frame = pd.DataFrame({n: self.data[self.names[c]] for c, n in zip(columns, names)})
        return export_chunks(frame, positions, list(range(len(names))), list(names), fmt)

    def view_column(self, column, positions):
        # The one method the shared chart primitives need: a column of the view.
        values = self.data[self.names[column]]
        return pd.Series(values if positions is None else values[positions])


@pytest.fixture
def client():
    rng = np.random.default_rng(0)
    source = ColumnsSource({"k": rng.integers(0, 5, 300), "v": rng.standard_normal(300)})
    assert isinstance(source, FrameSource)
    registry = Registry()
    registry.add(source, "cols")
    client = create_app(registry, key="k").test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = "k"
    client.source = source
    return client


def test_every_route_works_on_a_source_that_is_not_pandas(client):
    data = client.source.data
    reference = pd.DataFrame(data)
    body = client.get("/api/frames/cols/rows", query_string={
        "sort": json.dumps([["k", "desc"], ["v", "asc"]]), "filter": "v > 0",
        "limit": 1000}).get_json()
    expected = reference[reference.v > 0].sort_values(["k", "v"], ascending=[False, True])
    assert body["total"] == len(expected) and body["index"] == expected.index.tolist()
    assert client.get("/api/frames/cols/schema").get_json()["columns"] == [
        {"name": "k", "dtype": "int64", "kind": "int"},
        {"name": "v", "dtype": "float64", "kind": "float"}]
    described = client.get("/api/frames/cols/describe?column=v&filter=k == 1").get_json()
    assert described["count"] == int((reference.k == 1).sum())
    exported = client.get("/api/frames/cols/export?format=csv&filter=k == 2").get_data()
    assert len(pd.read_csv(io.BytesIO(exported))) == int((reference.k == 2).sum())
    assert "dtale-config" in client.get("/frames/cols").get_data(as_text=True)
    chart = client.get("/api/frames/cols/chart?type=bar&x=k&y=v&agg=sum&filter=v > 0").get_json()
    expected_sums = reference[reference.v > 0].groupby("k").v.sum()
    assert chart["figure"]["data"][0]["x"] == [str(k) for k in expected_sums.index]
    np.testing.assert_allclose(decode(chart["figure"]["data"][0]["y"]), expected_sums.to_numpy())
    corr = client.get("/api/frames/cols/correlations").get_json()
    assert corr["columns"] == ["k", "v"]
    assert corr["matrix"][0][1] == pytest.approx(reference.corr().loc["k", "v"])


def test_a_source_without_chart_primitives_says_so():
    class Bare:  # the FrameSource methods only
        pass

    for name in ("row_count", "columns", "sort_order", "filter_mask", "rows", "describe",
                 "export"):
        setattr(Bare, name, getattr(ColumnsSource, name))
    source = Bare()
    source.__dict__.update(data={"k": np.arange(3)}, names=["k"], n=3)
    assert isinstance(source, FrameSource) and not isinstance(source, ChartSource)
    registry = Registry()
    registry.add(source, "bare")
    client = create_app(registry, key="k").test_client()
    body = client.get("/api/frames/bare/chart?type=histogram&x=k&key=k").get_json()
    assert body["status"] == 400 and "cannot draw charts" in body["error"]


def test_show_itself_takes_data_of_an_engine_not_a_source_of_ones_own():
    from dtale_lite.app.viewer import Viewer

    with pytest.raises(TypeError, match="DataFrame or Series, a Polars .*; got"):
        Viewer().show(ColumnsSource({"a": np.arange(3)}))


def test_a_source_that_is_not_pandas_reports_its_view_but_view_needs_pandas(client):
    body = client.post("/api/frames/cols/view", json={"filter": "v > 0", "sort": [["k", "asc"]]})
    assert body.status_code == 200 and body.get_json()["stored"] is True
    assert client.get("/api/frames/cols/view").get_json()["view"]["filter"] == "v > 0"
    from dtale_lite.hosts.hosted import Hosted

    inst = Hosted(key="k").show(client.source, "cols")
    with pytest.raises(TypeError, match="need a frame shown from pandas"):
        inst.view()
    with pytest.raises(TypeError, match="need a frame shown from pandas"):
        inst.code()
