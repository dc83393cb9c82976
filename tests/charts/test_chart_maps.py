"""Map charts (issue 16): points at lat/lon (a density of grid cells over 5,000 points), a
choropleth of ISO-3 codes or country names, coordinates outside the world counted, the code
export drawing the same data, 400s naming the parameter, and the shapes served offline under
the key."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.countries import to_iso3
from dtale_lite.charts.figure import decode
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import filter_mask
from dtale_lite.frames.source import PandasSource

from tests.charts.test_chart_kinds import chart
from tests.conftest import run_code

NAMES = ["France", "USA", "United States", "Germany", "DEU", "Atlantis", None, "japan"]


def geo_frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"lat": rng.uniform(-60, 70, n), "lon": rng.uniform(-170, 170, n),
                          "v": rng.normal(size=n), "country": rng.choice(NAMES, n),
                          "text": rng.choice(["a", "b"], n)})
    frame.loc[:4, "lat"] = 120.0  # outside the world: left out and counted
    frame.loc[5:7, "lon"] = np.nan
    return frame


def test_few_points_are_drawn_as_they_are_and_the_code_draws_them_too():
    frame = geo_frame(400)
    result = chart(frame, type="map", lat="lat", lon="lon")
    trace = result.figure["data"][0]
    assert trace["type"] == "scattergeo" and result.reduction == "none"
    kept = frame.dropna(subset=["lat", "lon"])
    kept = kept[kept.lat.between(-90, 90) & kept.lon.between(-180, 180)]
    np.testing.assert_array_equal(decode(trace["lat"]), kept.lat.to_numpy())
    assert "5 rows with lat outside -90..90" in result.note
    assert "3 rows with no lat or lon left out" in result.note
    fig = run_code(result.code, frame)["fig"]
    np.testing.assert_array_equal(np.asarray(fig.data[0].lat), kept.lat.to_numpy())
    source = PandasSource(frame)
    assert filter_mask(trace["customdata"][0], source.resolver(), len(frame)).sum() >= 1


@pytest.mark.parametrize("extent", ["world", "city"])
def test_many_points_are_counts_per_cell_equal_to_numpy(extent):
    frame = geo_frame(20_000)
    if extent == "city":  # a small extent gets cells finer than a degree
        frame["lat"] = 48.8 + (frame.lat % 1) / 5
        frame["lon"] = 2.3 + (frame.lon % 1) / 5
    result = chart(frame, type="map", lat="lat", lon="lon")
    assert result.reduction == "binned" and "drawn as a density" in result.note
    trace = result.figure["data"][0]
    counts = decode(trace["marker"]["color"])
    fig = run_code(result.code, frame)["fig"]
    np.testing.assert_allclose(np.asarray(fig.data[0].marker.color), counts)
    np.testing.assert_allclose(np.asarray(fig.data[0].lat), decode(trace["lat"]))
    inside = frame.lat.between(-90, 90) & frame.lon.between(-180, 180)
    assert counts.sum() == inside.sum()
    source = PandasSource(frame)
    if "customdata" not in trace:  # over 2,500 cells: no filters; fewer cells have them
        trace = chart(frame, type="map", lat="lat", lon="lon", bins=40).figure["data"][0]
        counts = decode(trace["marker"]["color"])
    for text, count in list(zip(trace["customdata"], counts))[:20]:
        assert filter_mask(text, source.resolver(), len(frame)).sum() == count


def test_bins_set_the_cells_along_the_longer_side():
    frame = geo_frame(20_000)
    coarse = chart(frame, type="map", lat="lat", lon="lon", bins=20)
    fine = chart(frame, type="map", lat="lat", lon="lon", bins=200)
    assert coarse.points < fine.points
    assert decode(coarse.figure["data"][0]["marker"]["color"]).sum() == \
        decode(fine.figure["data"][0]["marker"]["color"]).sum()


@pytest.mark.parametrize("agg", ["mean", "sum", "count", "max"])
def test_a_choropleth_aggregates_per_country_with_names_mapped_to_iso3(agg):
    frame = geo_frame(3_000)
    result = chart(frame, type="map", locations="country", y="v", agg=agg)
    trace = result.figure["data"][0]
    assert trace["type"] == "choropleth" and trace["locationmode"] == "ISO-3"
    codes = frame.country.map(lambda v: None if v is None else to_iso3(v))
    expected = frame.v.groupby(codes).agg(agg)
    assert trace["locations"] == list(expected.index) == ["DEU", "FRA", "JPN", "USA"]
    np.testing.assert_allclose(decode(trace["z"]), expected.to_numpy(), rtol=1e-12)
    atlantis = int((frame.country == "Atlantis").sum())
    assert f"('Atlantis'): {atlantis:,} rows left out" in result.note
    fig = run_code(result.code, frame)["fig"]
    assert list(fig.data[0].locations) == trace["locations"]
    np.testing.assert_allclose(np.asarray(fig.data[0].z, float), decode(trace["z"]))
    source = PandasSource(frame)
    usa = trace["customdata"][trace["locations"].index("USA")]
    assert filter_mask(usa, source.resolver(), len(frame)).sum() == codes.eq("USA").sum()


def test_a_choropleth_without_y_counts_rows():
    frame = geo_frame(500)
    trace = chart(frame, type="map", locations="country").figure["data"][0]
    codes = frame.country.map(lambda v: None if v is None else to_iso3(v))
    assert dict(zip(trace["locations"], decode(trace["z"]))) == codes.value_counts().to_dict()


def test_names_the_table_does_not_know_are_a_message_when_nothing_is_left():
    frame = geo_frame(100)
    result = chart(frame, type="map", locations="text")
    assert result.message and "none of the 2 values" in result.message


@pytest.mark.parametrize("params, parameter", [
    (dict(type="map"), "'lat'"), (dict(type="map", lat="lat"), "'lon'"),
    (dict(type="map", lat="text", lon="lon"), "'lat'"),
    (dict(type="map", lat="lat", lon="nope"), "'lon'"),
    (dict(type="map", lat="lat", lon="lon", locations="country"), "'lat'"),
    (dict(type="map", lat="lat", lon="lon", y="v"), "'y'"),
    (dict(type="map", lat="lat", lon="lon", agg="count"), "'agg'"),
    (dict(type="map", locations="v"), "'locations'"),
    (dict(type="map", locations="country", agg="mean"), "'agg'"),
    (dict(type="map", lat="lat", lon="lon", bins=500), "'bins'"),
    (dict(type="bar", x="text", lat="lat"), "'lat'"),
], ids=str)
def test_a_bad_map_spec_names_the_parameter(params, parameter):
    with pytest.raises(BadRequest) as error:
        chart(geo_frame(50), **params)
    assert parameter in error.value.message


def test_the_route_draws_a_map_and_answers_its_code(client, registry):
    registry.add(geo_frame(300), "geo")
    params = {"type": "map", "locations": "country", "y": "v", "agg": "sum"}
    body = client.get("/api/frames/geo/chart", query_string=params).get_json()
    assert body["ok"] and body["figure"]["data"][0]["type"] == "choropleth"
    code = client.get("/api/frames/geo/chart", query_string={**params, "format": "py"})
    assert code.status_code == 200 and b"go.Choropleth" in code.data
    bad = client.get("/api/frames/geo/chart", query_string={"type": "map", "lat": "text",
                                                            "lon": "lon"})
    assert bad.status_code == 400 and "'lat'" in bad.get_json()["error"]


def test_the_shapes_are_served_under_the_key(client, anon_client, frames):
    assert client.get("/charts/small").status_code == 200  # builds the chart app
    assert anon_client.get("/charts/_geo/world_110m.json").status_code == 401
    zipped = client.get("/charts/_geo/world_110m.json", headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    shapes = json.loads(gzip.decompress(zipped.data))
    ids = {g.get("id") for g in shapes["objects"]["countries"]["geometries"]}
    assert {"FRA", "USA", "DEU", "JPN"} <= ids
    plain = client.get("/charts/_geo/world_50m.json")
    assert plain.status_code == 200 and json.loads(plain.data)["type"] == "Topology"
    again = client.get("/charts/_geo/world_110m.json",
                       headers={"If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    missing = client.get("/charts/_geo/usa_110m.json")
    assert missing.status_code == 404 and missing.get_json()["ok"] is False


def test_every_iso3_code_of_the_shapes_is_in_the_name_table():
    from dtale_lite.charts.countries import iso3_codes
    from dtale_lite.charts.geo_assets import GEODATA

    shapes = json.loads(gzip.decompress((GEODATA / "world_110m.json.gz").read_bytes()))
    ids = {g.get("id") for g in shapes["objects"]["countries"]["geometries"]} - {None}
    assert len(ids - iso3_codes()) <= 3, ids - iso3_codes()


def test_the_html_export_of_a_map_carries_its_shapes(client, registry):
    registry.add(geo_frame(300), "geo")
    page = client.get("/api/frames/geo/chart", query_string={
        "type": "map", "locations": "country", "format": "html"}).get_data(as_text=True)
    start = page.index("window.PlotlyGeoAssets")
    assert start < page.index("<script>", start + 1)  # before plotly.js reads it
    assert '"type":"Topology"' in page[start:start + 200] and "cdn.plot.ly/un" not in page[:start]
    bar = client.get("/api/frames/geo/chart", query_string={
        "type": "bar", "x": "text", "format": "html"}).get_data(as_text=True)
    assert "PlotlyGeoAssets = " not in bar
