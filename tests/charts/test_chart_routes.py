"""The chart and correlation routes through Flask's test client: envelope, formats, filters."""
from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.figure import decode

from tests.conftest import run_code


def chart(client, frame="small", **params):
    return client.get(f"/api/frames/{frame}/chart", query_string=params)


def test_chart_json_envelope(client, frames):
    body = chart(client, type="bar", x="s_lo", y="f1", agg="mean").get_json()
    assert body["ok"] is True
    assert set(body) == {"ok", "figure", "code", "rows", "points", "reduction", "note", "message"}
    assert body["rows"] == 200 and body["reduction"] == "aggregated"
    assert body["points"] == len(body["figure"]["data"][0]["x"])
    assert body["figure"]["data"][0]["y"]["dtype"] == "f8"


def test_repeated_y_gives_one_series_each(client, frames):
    body = client.get("/api/frames/small/chart?type=line&x=id&y=f1&y=i_small").get_json()
    assert [t["name"] for t in body["figure"]["data"]] == ["f1", "i_small"]


def test_filter_and_id_or_name(client, frames, registry):
    frame = registry.get("small").data
    by_name = chart(client, type="histogram", x="f1", filter="s_lo == 'cat_01'").get_json()
    by_id = chart(client, frame=str(frames["small"].id), type="histogram", x="f1",
                  filter="s_lo == 'cat_01'").get_json()
    assert by_name["figure"] == by_id["figure"]
    assert by_name["rows"] == int((frame.s_lo == "cat_01").sum())


def test_no_rows_is_a_message_not_an_error(client, frames):
    response = chart(client, type="bar", x="s_lo", filter="f1 > 1000")
    assert response.status_code == 200
    assert "the filter matches no row" in response.get_json()["message"]


def test_csv_is_the_aggregated_data(client, frames, registry):
    frame = registry.get("small").data
    response = chart(client, type="bar", x="s_lo", y="f1", agg="sum", format="csv", dropna=1)
    assert response.mimetype == "text/csv"
    assert 'filename="small-bar.csv"' in response.headers["Content-Disposition"]
    table = pd.read_csv(io.BytesIO(response.data))
    expected = frame.groupby("s_lo").f1.sum()
    assert table["s_lo"].tolist() == expected.index.tolist()
    np.testing.assert_allclose(table["f1"], expected.to_numpy())


def test_html_is_standalone(client, frames):
    response = chart(client, type="pie", x="cat", format="html")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and text.startswith("<!doctype html>")
    assert "Plotly.newPlot" in text and len(text) > 1_000_000  # plotly.js is inlined
    assert not re.search(r"<(script|link)[^>]+(src|href)=", text)  # nothing to fetch


def test_python_export_draws_the_same_figure(client, frames, registry):
    frame = registry.get("small").data
    body = chart(client, type="bar", x="cat", y="f1", agg="median", filter="flag == true")
    code = chart(client, type="bar", x="cat", y="f1", agg="median", filter="flag == true",
                 format="py")
    assert code.mimetype == "text/x-python"
    assert code.get_data(as_text=True) == body.get_json()["code"]
    fig = run_code(code.get_data(as_text=True), frame)["fig"]
    np.testing.assert_allclose(fig.data[0].y, decode(body.get_json()["figure"]["data"][0]["y"]))


@pytest.mark.parametrize("dropna", [None, "1"])
def test_dropna_in_the_route_and_the_exported_code(client, frames, registry, dropna):
    frame = registry.get("small").data
    body = chart(client, type="bar", x="s_lo", **({"dropna": dropna} if dropna else {}))
    body = body.get_json()
    missing = int(frame.s_lo.isna().sum())
    x = body["figure"]["data"][0]["x"]
    if dropna:
        assert "(missing)" not in x and body["note"] == f"{missing} rows with no s_lo left out"
    else:
        assert x[-1] == "(missing)" and decode(body["figure"]["data"][0]["y"])[-1] == missing
        assert body["note"] is None
    fig = run_code(body["code"], frame)["fig"]
    np.testing.assert_allclose(fig.data[0].y, decode(body["figure"]["data"][0]["y"]))


def test_correlations_route_equals_pandas(client, frames, registry):
    frame = registry.get("small").data
    for method in ("pearson", "spearman"):
        body = client.get(f"/api/frames/small/correlations?method={method}&filter=f1 > -1")
        body = body.get_json()
        numeric = frame[frame.f1 > -1][["id", "i_small", "f1", "flag"]].astype(float)
        assert body["columns"] == ["id", "i_small", "f1", "flag"]
        assert body["rows"] == int((frame.f1 > -1).sum())
        np.testing.assert_allclose(np.array(body["matrix"], float),
                                   numeric.corr(method=method).to_numpy(), atol=1e-9)


def test_correlations_of_odd_data_are_json(client, frames):
    body = client.get("/api/frames/odd/correlations").get_json()
    assert body["ok"] and body["columns"] == ["nan_inf", "nullable_int", "nullable_bool"]
    assert body["matrix"][0][0] is None  # one finite value: no correlation


@pytest.mark.parametrize("params", [
    dict(type="bar", x="mixed"), dict(type="histogram", x="tz"), dict(type="box", y="nan_inf"),
    dict(type="scatter", x="nat", y="nan_inf"), dict(type="pie", x="nested"),
])
def test_odd_columns_chart_over_http(client, frames, params):
    response = chart(client, frame="odd", **params)
    assert response.status_code == 200, response.get_json()
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    json.loads(response.data, parse_constant=refuse)


def test_correlations_of_a_wide_frame_keep_the_first_hundred_columns(client, registry):
    rng = np.random.default_rng(0)
    registry.add(pd.DataFrame(rng.standard_normal((50, 130))), "wide")
    body = client.get("/api/frames/wide/correlations").get_json()
    assert len(body["columns"]) == 100 and len(body["matrix"]) == 100
    assert body["note"] == "the first 100 of 130 numeric columns"
