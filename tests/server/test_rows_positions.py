"""The rows route names each row's position in the user's frame (issue 15): the grid's cell
edit sends it as the `edit` step's `row`, whatever steps, sort and filter stand before it."""
from __future__ import annotations

import json

import numpy as np
import pytest


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def rows(client, **query):
    answer = client.get("/api/frames/small/rows", query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_positions_are_the_rows_own_without_steps(client, frames):
    page = rows(client, offset=5, limit=3)
    assert page["positions"] == [5, 6, 7]


@pytest.mark.parametrize("steps", [
    [],
    [{"op": "drop_missing", "columns": ["f1"]}],
    [{"op": "keep_view", "filter": "i_small > 3", "sort": [["f1", "desc"]]}],
    [{"op": "drop_duplicates", "columns": ["s_lo", "i_small"], "keep": "last"},
     {"op": "drop", "columns": ["cat"]}],
])
def test_an_edit_at_a_pages_position_changes_that_row(client, frames, steps):
    for step in steps:
        assert post(client, "/api/frames/small/steps", step).status_code == 200
    query = {"sort": '[["f1", "asc"]]', "filter": "flag == true", "limit": 4, "offset": 1}
    page = rows(client, **query)
    original = frames["small"].data
    row = page["positions"][2]
    assert page["data"][2][0] == original["id"].iloc[row]  # the same row of the user's frame
    answer = post(client, "/api/frames/small/steps",
                  {"op": "edit", "row": row, "column": "id", "value": "-7"})
    assert answer.status_code == 200, answer.get_json()
    ids = np.array([r[0] for r in rows(client, filter="id == -7", limit=5)["data"]])
    assert ids.tolist() == [-7]
    assert original["id"].iloc[row] != -7  # the user's frame is untouched


def test_positions_follow_the_steps_after_an_update(client, frames, registry):
    assert post(client, "/api/frames/small/steps",
                {"op": "drop_missing", "columns": ["f1"]}).status_code == 200
    new = frames["small"].data.iloc[::-1].reset_index(drop=True)
    registry.update("small", new)
    page = rows(client, limit=3)
    kept = np.flatnonzero(new["f1"].notna().to_numpy())[:3]
    assert page["positions"] == kept.tolist()
