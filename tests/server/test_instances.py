"""The instances page (``/``) and the routes it calls: rename and remove (issue 17)."""
from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from tests.conftest import KEY, small_frame


def listing(client) -> dict:
    return {f["id"]: f for f in client.get("/api/frames").get_json()["frames"]}


def test_rename_keeps_the_id_and_the_url(client, frames):
    body = client.post("/api/frames/small/rename", json={"name": "sales_2024"}).get_json()
    assert body == {"ok": True, "id": 1, "name": "sales_2024", "previous": "small"}
    assert client.get("/row-count/sales_2024").get_json()["rows"] == 200
    assert client.get("/row-count/1").get_json()["name"] == "sales_2024"
    assert client.get("/row-count/small").status_code == 404  # the old name is free
    assert listing(client)[1]["url"] == f"/frames/1?key={KEY}"


def test_rename_is_seen_by_the_python_handle(client, registry, frames):
    client.post("/api/frames/1/rename", json={"name": "renamed"})
    assert frames["small"].name == "renamed" and registry.get("renamed") is frames["small"]


def test_rename_to_its_own_name_is_a_no_op(client, frames):
    body = client.post("/api/frames/small/rename", json={"name": "small"}).get_json()
    assert body["ok"] and body["name"] == "small"


@pytest.mark.parametrize("path, payload, status, message", [
    ("/api/frames/small/rename", {"name": "odd"}, 409, "already used by frame 2"),
    ("/api/frames/small/rename", {"name": "9lives"}, 400, "starting with a letter"),
    ("/api/frames/small/rename", {"name": ""}, 400, "1-64 characters"),
    ("/api/frames/small/rename", {"name": "a" * 65}, 400, "1-64 characters"),
    ("/api/frames/small/rename", {"name": 3}, 400, '{"name": "..."}'),
    ("/api/frames/small/rename", None, 400, '{"name": "..."}'),
    ("/api/frames/small/rename", ["x"], 400, '{"name": "..."}'),
    ("/api/frames/nope/rename", {"name": "x"}, 404, "no frame with id or name 'nope'"),
    ("/api/frames/77/rename", {"name": "x"}, 404, "no frame with id or name '77'"),
])
def test_rename_errors_use_the_error_shape(client, frames, path, payload, status, message):
    response = client.post(path, json=payload) if payload is not None else client.post(path)
    body = response.get_json()
    assert response.status_code == status == body["status"]
    assert body["ok"] is False and message in body["error"]
    assert client.get("/row-count/small").status_code == 200  # nothing renamed


def test_rename_needs_the_key_and_post(anon_client, client, frames):
    assert anon_client.post("/api/frames/small/rename", json={"name": "x"}).status_code == 401
    assert client.get("/api/frames/small/rename").status_code == 405


def test_remove_errors_use_the_error_shape(client, frames):
    client.delete("/api/frames/small")
    body = client.delete("/api/frames/small").get_json()
    assert body == {"ok": False, "status": 404, "error": "no frame with id or name 'small'"}
    assert list(listing(client)) == [2]


def test_listing_has_size_engine_and_memory(client, registry):
    frame = small_frame()
    registry.add(frame, "pandas_frame")
    registry.add(pl.DataFrame({"a": [1, 2, 3]}), "polars_frame")
    registry.add(pl.DataFrame({"a": [1]}).lazy(), "lazy_frame")
    got = listing(client)
    assert (got[1]["rows"], got[1]["columns"], got[1]["engine"]) == (200, frame.shape[1], "pandas")
    assert got[1]["memory_bytes"] == frame.memory_usage(deep=False).sum()
    assert "deep=False" in got[1]["memory_measure"]
    assert (got[2]["engine"], got[2]["memory_bytes"]) == ("polars", 24)  # 3 int64 values
    assert got[3]["memory_bytes"] is None and "not held" in got[3]["memory_measure"]


def test_memory_never_scans_object_values(client, registry):
    """deep=False: an object column counts 8 bytes a row whatever its strings' length."""
    registry.add(pd.DataFrame({"s": ["x" * 1000] * 100}, dtype=object), "long_strings")
    assert listing(client)[1]["memory_bytes"] == 100 * 8 + 132  # values + RangeIndex


def test_page_lists_each_frame_with_its_controls(client, frames):
    page = client.get("/").get_data(as_text=True)
    assert page.count('data-testid="frame-row"') == 2
    assert "200 × " in page and ">pandas<" in page
    assert page.count('data-testid="frame-rename"') == 2 and "Remove" in page
    assert f'src="/assets/instances.js?key={KEY}"' in page
    assert client.get(f"/assets/instances.js?key={KEY}").status_code == 200
    # Viewing works without JavaScript: the controls that need it are hidden until it runs.
    assert page.count("data-js-only hidden") == 4


def test_page_without_frames_says_so(client):
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="no-frames">' in page and 'data-testid="frame-list" hidden' in page
