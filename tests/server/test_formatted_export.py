"""The export "as formatted" (issue 16): `formatted=true` with the grid's `formats` writes the
text the grid shows; without it the export is unchanged; bad input is a 400 naming the
parameter."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from dtale_lite.frames.columns import describe_columns
from dtale_lite.frames.export import export_chunks, view_frames
from dtale_lite.frames.formatted_export import formatted_chunks, formatted_frames
from tests.conftest import odd_frame, small_frame
from tests.server.test_engines_api import FRAME as ENGINE_FRAME, get, shown  # noqa: F401

FRAME = pd.DataFrame({
    "price": [1234.5, -0.125, np.nan, 1e6],
    "n": [1, 2000, 3, 4_000_000],
    "share": [0.5, 0.125, 1.0, np.nan],
    "when": pd.to_datetime(["2021-03-04 05:06:07", None, "2021-12-31 00:00:00", "2020-01-01 23:59:00"]),
    "name": ["a", "b, \"c\"", None, "d"],
})


@pytest.fixture
def with_f(client, registry):
    registry.add(FRAME, "f")
    return client


def export(client, fmt="csv", formats=None, **params):
    query = {"format": fmt, "formatted": "true", **params}
    if formats is not None:
        query["formats"] = json.dumps(formats)
    return client.get("/api/frames/f/export", query_string=query)


def csv_column(response, name, sep=","):
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True)), delimiter=sep))
    return [row[name] for row in rows]


@pytest.mark.parametrize("column, fmt, expected", [
    ("price", {"decimals": 2, "thousands": True}, ["1,234.50", "-0.13", "", "1,000,000.00"]),
    ("price", {"decimals": 0, "currency": "$"}, ["$1235", "$0", "", "$1000000"]),
    ("price", {"scientific": True, "decimals": 1}, ["1.2e+3", "-1.3e-1", "", "1.0e+6"]),
    ("n", {"thousands": True}, ["1", "2,000", "3", "4,000,000"]),
    ("n", {"decimals": 1, "currency": "€"}, ["€1.0", "€2000.0", "€3.0", "€4000000.0"]),
    ("share", {"percent": True}, ["50%", "12.5%", "100%", ""]),
    ("share", {"percent": True, "decimals": 1}, ["50.0%", "12.5%", "100.0%", ""]),
    ("when", {"date": "DD/MM/YYYY"}, ["04/03/2021", "", "31/12/2021", "01/01/2020"]),
    ("when", {"date": "DD MMM YY HH:mm"}, ["04 Mar 21 05:06", "", "31 Dec 21 00:00",
                                          "01 Jan 20 23:59"]),
])
def test_each_format_writes_what_the_grid_shows(with_f, column, fmt, expected):
    assert csv_column(export(with_f, formats={column: fmt}), column) == expected


def test_unformatted_columns_and_missing_values_keep_their_values(with_f):
    response = export(with_f, formats={"price": {"decimals": 1}})
    assert csv_column(response, "name") == ["a", 'b, "c"', "", "d"]
    assert csv_column(export(with_f, formats={"price": {"decimals": 1}}), "n") == \
        ["1", "2000", "3", "4000000"]


def test_tsv_and_json_and_the_view_order(with_f):
    formats = {"price": {"decimals": 1}, "when": {"date": "YYYY"}}
    view = {"sort": '[["n","desc"]]', "filter": "n > 1", "columns": '["n","price","when"]'}
    assert csv_column(export(with_f, "tsv", formats, **view), "price", "\t") == \
        ["1000000.0", "-0.1", ""]
    body = json.loads(export(with_f, "json", formats, **view).get_data())
    assert body == [{"n": 4000000, "price": "1000000.0", "when": "2020"},
                    {"n": 2000, "price": "-0.1", "when": None},
                    {"n": 3, "price": None, "when": "2021"}]


def test_without_formatted_the_formats_are_ignored(with_f):
    response = with_f.get("/api/frames/f/export", query_string={
        "format": "csv", "formats": json.dumps({"price": {"decimals": 0}})})
    assert pd.read_csv(io.BytesIO(response.get_data()))["price"].tolist()[:2] == [1234.5, -0.125]


def test_an_empty_view_has_the_header(with_f):
    response = export(with_f, formats={"price": {"decimals": 1}}, filter="n > 10000000")
    assert response.get_data(as_text=True) == "price,n,share,when,name\n"
    assert json.loads(export(with_f, "json", filter="n > 10000000").get_data()) == []


def test_the_index_is_written_as_the_other_exports_write_it(client, registry):
    registry.add(FRAME.set_index("name"), "g")
    text = client.get("/api/frames/g/export", query_string={
        "formatted": "1", "formats": '{"n": {"thousands": true}}'}).get_data(as_text=True)
    assert text.splitlines()[:2] == ["name,price,n,share,when", "a,1234.5,1,0.5,2021-03-04T05:06:07"]


@pytest.mark.parametrize("params, message", [
    ({"formats": "{"}, "parameter 'formats': not valid JSON"),
    ({"formats": '{"nope": {"decimals": 1}}'}, "parameter 'formats': unknown column 'nope'"),
    ({"formats": '{"name": {"decimals": 1}}'}, "parameter 'formats': column 'name' (string)"),
    ({"formats": '{"price": {"decimals": 99}}'}, "decimals must be an integer 0..12"),
    ({"formats": '{"when": {"date": "YYYY%"}}'}, "unexpected '%'"),
    ({"format": "parquet"}, "parameter 'formatted': a parquet export keeps its types"),
    ({"formatted": "maybe"}, "parameter 'formatted' must be true or false"),
])
def test_bad_input_is_a_400_naming_the_parameter(with_f, params, message):
    response = with_f.get("/api/frames/f/export",
                         query_string={"format": "csv", "formatted": "true", **params})
    body = response.get_json()
    assert response.status_code == 400 and body["ok"] is False and body["status"] == 400
    assert message in body["error"]


def test_every_engine_writes_the_same_formatted_file(shown):
    # One frame through pandas, Polars, Arrow, DuckDB and Dask: the same text, since every
    # engine's JSON export is the input (formatted_export.py).
    engine, client, _ = shown
    formats = {"f1": {"decimals": 2, "thousands": True}, "ts": {"date": "DD MMM YYYY HH:mm"},
               "i_small": {"percent": True}}
    text = get(client, "/api/frames/small/export", format="csv", formatted="1",
               formats=json.dumps(formats), sort=[["f1", "desc"]], filter="i_small > 2"
               ).get_data(as_text=True)
    view = ENGINE_FRAME[ENGINE_FRAME.i_small > 2].sort_values("f1", ascending=False,
                                                               kind="stable")
    got = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert got["f1"].tolist() == [f"{v:,.2f}" if v == v else "" for v in view.f1], engine
    assert got["ts"].tolist() == [t.strftime("%d %b %Y %H:%M") for t in view.ts], engine
    assert got["i_small"].tolist() == [f"{v * 100}%" for v in view.i_small], engine


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
@pytest.mark.parametrize("make", [lambda: small_frame(3_000).set_index("id"), odd_frame,
                                  lambda: FRAME])
def test_the_pandas_path_writes_the_bytes_of_the_json_stream_path(make, fmt):
    # pandas frames are formatted from their columns (fast); every other engine from its JSON
    # export. Both read the same JSON-safe values, so both must write the same file.
    frame = make()
    columns = describe_columns(frame)
    names = [c.name for c in columns]
    kinds = {c.name: c.kind for c in columns}
    formats = {name: ({"date": "DD MMM YYYY HH:mm:ss"} if kind == "datetime"
                      else {"decimals": 1, "thousands": True, "currency": "€"})
               for name, kind in kinds.items() if kind in ("int", "float", "datetime")}
    assert formats
    positions = list(range(len(names)))
    rows = np.arange(len(frame))[::-1].copy()
    from_json = b"".join(formatted_chunks(
        export_chunks(frame, rows, positions, names, "json", chunk_rows=700), names, formats,
        fmt))
    from_frames = b"".join(formatted_frames(
        view_frames(frame, rows, positions, names, chunk_rows=900), formats, fmt))
    assert from_frames == from_json
