"""Steps and summaries through the routes and the Python API (issue 15)."""
from __future__ import annotations

import copy
import json
from types import SimpleNamespace

import pandas as pd
import polars as pl
import pytest

from dtale_lite.frames.errors import BadRequest, Conflict
from dtale_lite.server.instance import Instance

from tests.conftest import run_view_code, small_frame

ARITHMETIC = {"op": "add_column", "name": "g", "kind": "arithmetic", "left": "f1",
              "operator": "*", "right": 2}


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def instance(registry, entry):
    viewer = SimpleNamespace(registry=registry, key="k", base_url="http://x", app_root="")
    return Instance(viewer, entry)


def test_a_step_is_served_by_every_route_and_the_user_frame_is_untouched(client, frames):
    original = frames["small"].data
    before = copy.deepcopy(original)
    answer = post(client, "/api/frames/small/steps", ARITHMETIC).get_json()
    assert answer["ok"] and answer["version"] == 1 and answer["steps"] == [ARITHMETIC]
    assert "df['g'] = df['f1'] * 2" in answer["code"]
    schema = client.get("/api/frames/small/schema").get_json()
    assert schema["columns"][-1]["name"] == "g"
    rows = client.get("/api/frames/small/rows", query_string={
        "columns": '["f1", "g"]', "sort": '[["g", "desc"]]', "filter": "g > 0",
        "limit": 3}).get_json()
    g = original["f1"] * 2
    expected = original.assign(g=g)[(g > 0).to_numpy()].sort_values("g", ascending=False)
    assert [r[1] for r in rows["data"]] == pytest.approx(expected["g"].head(3).tolist())
    described = client.get("/api/frames/small/describe", query_string={"column": "g"})
    assert described.get_json()["count"] == g.notna().sum()
    assert client.get("/api/frames/small/export?format=csv").data.splitlines()[0].endswith(
        b',"g"')
    pd.testing.assert_frame_equal(original, before)
    assert client.get("/api/frames/small/steps").get_json()["steps"] == [ARITHMETIC]


@pytest.mark.parametrize("body, status, words", [
    ({"op": "nope"}, 400, "'op'"),
    ({"op": {}}, 400, "'op'"),  # was a 500 (unhashable), found by the OpenAPI fuzzer
    ({"op": "rename", "column": "zz", "to": "a"}, 400, "'column'"),
    ({"op": "rename", "column": "f1", "to": "id"}, 400, "'to'"),
    ({"op": "add_column", "name": "g", "kind": "arithmetic", "left": "s_lo",
      "operator": "+", "right": 1}, 400, "'left'"),
    ({"op": "add_column", "name": "g", "kind": "arithmetic", "left": "f1",
      "operator": "^", "right": 1}, 400, "'operator'"),
    ({"op": "edit", "row": 0, "column": "i_small", "value": "abc"}, 400, "whole numbers"),
    ({"op": "edit", "row": 10**6, "column": "f1", "value": 1}, 400, "'row'"),
    ({"op": "convert", "column": "s_lo", "to": "float"}, 400, "could not be converted"),
    ({"op": "drop", "columns": ["f1"], "extra": 1}, 400, "'extra'"),
    ({"op": "add_column", "name": "c", "kind": "condition", "filter": "f1 >"}, 400, "filter"),
    ({"op": "rename", "column": "f1", "to": "h", "version": 7}, 409, "version"),
    ({"op": "rename", "column": "f1", "to": "h", "version": "0"}, 400, "'version'"),
])
def test_a_bad_step_is_refused_naming_the_parameter_and_nothing_is_applied(client, frames,
                                                                          body, status, words):
    response = post(client, "/api/frames/small/steps", body)
    answer = response.get_json()
    assert response.status_code == status and answer["status"] == status
    assert words in answer["error"]
    assert client.get("/api/frames/small/steps").get_json() == {
        "ok": True, "steps": [], "version": 0, "code": ""}


def test_convert_raise_counts_the_failures_and_shows_the_first(client, registry):
    registry.add(pd.DataFrame({"t": ["1", "x", "3", "y", None]}), "t")
    error = post(client, "/api/frames/t/steps", {"op": "convert", "column": "t",
                                                 "to": "int"}).get_json()["error"]
    assert "2 values of 't' could not be converted to int, e.g. 'x', 'y'" in error
    ok = post(client, "/api/frames/t/steps", {"op": "convert", "column": "t", "to": "int",
                                              "errors": "coerce"}).get_json()
    assert ok["ok"] and client.get("/api/frames/t/schema").get_json()["columns"][0]["dtype"] \
        == "Int64"


@pytest.mark.parametrize("content_type, status", [
    ("application/x-www-form-urlencoded", 415), ("multipart/form-data; boundary=x", 415),
    ("text/plain", 415)])
def test_only_json_bodies_are_taken(client, frames, content_type, status):
    for path in ("/api/frames/small/steps", "/api/frames/small/steps/undo",
                 "/api/frames/small/summarize"):
        response = client.post(path, data="op=drop&columns=f1", content_type=content_type)
        assert response.status_code == status and response.get_json()["ok"] is False


def test_undo_and_redo_any_number_of_times(client, frames):
    assert post(client, "/api/frames/small/steps/undo", {}).status_code == 409
    assert post(client, "/api/frames/small/steps/redo", {}).status_code == 409
    post(client, "/api/frames/small/steps", ARITHMETIC)
    post(client, "/api/frames/small/steps", {"op": "drop", "columns": ["s_lo"]})
    for _ in range(3):
        assert post(client, "/api/frames/small/steps/undo", {}).get_json()["steps"] == [
            ARITHMETIC]
        answer = post(client, "/api/frames/small/steps/redo", {}).get_json()
        assert len(answer["steps"]) == 2
    names = [c["name"] for c in client.get("/api/frames/small/schema").get_json()["columns"]]
    assert "s_lo" not in names and names[-1] == "g"
    post(client, "/api/frames/small/steps/undo", {})
    post(client, "/api/frames/small/steps/undo", {})
    names = [c["name"] for c in client.get("/api/frames/small/schema").get_json()["columns"]]
    assert names == list(frames["small"].data.columns)


def test_an_edit_names_the_row_of_the_original_after_rows_were_sorted(client, registry):
    registry.add(pd.DataFrame({"a": [3.0, 1.0, 2.0]}, index=[10, 11, 12]), "e")
    post(client, "/api/frames/e/steps", {"op": "keep_view", "sort": [["a", "asc"]]})
    post(client, "/api/frames/e/steps", {"op": "edit", "row": 0, "column": "a", "value": 9})
    rows = client.get("/api/frames/e/rows").get_json()
    assert rows["index"] == [11, 12, 10] and rows["data"] == [[1.0], [2.0], [9.0]]


def test_summarize_makes_a_new_frame_with_its_code(client, frames, registry):
    post(client, "/api/frames/small/steps", ARITHMETIC)
    answer = post(client, "/api/frames/small/summarize", {
        "kind": "groupby", "by": ["s_lo"], "aggregations": {"g": ["mean", "count"]}}).get_json()
    frame = answer["frame"]
    assert frame["name"] == "small_groupby" and frame["url"].startswith(f"/frames/{frame['id']}")
    namespace = {"df": frames["small"].data}
    exec(answer["code"], namespace)  # noqa: S102 - the code under test
    rows = client.get(f"/api/frames/{frame['id']}/rows").get_json()
    assert rows["columns"] == ["s_lo", "g_mean", "g_count"]
    expected = namespace["df"]
    assert rows["data"] == expected.astype(object).where(expected.notna(), None).values.tolist()
    registry.add(small_frame(1_001), "big")
    error = post(client, "/api/frames/big/summarize", {"kind": "transpose"}).get_json()
    assert error["status"] == 400 and "1,001 rows" in error["error"]
    assert post(client, "/api/frames/small/summarize", {"kind": "transpose"}).status_code == 200
    assert post(client, "/api/frames/small/summarize", {"kind": "groupby", "by": ["s_lo"],
                "aggregations": {"g": ["mean"]}, "name": "small"}).status_code == 409


def test_other_engines_are_refused_naming_the_engine_and_the_op(client, registry):
    # Polars and DuckDB frames take the ops of tests/server/test_engines_steps.py; the others
    # are a 400 that names the engine and the op.
    registry.add(pl.DataFrame({"a": [1, 2]}), "pl")
    error = post(client, "/api/frames/pl/steps", {"op": "edit", "row": 0, "column": "a",
                                                  "value": 3}).get_json()
    assert error["status"] == 400 and "'edit'" in error["error"] and "polars" in error["error"]
    error = post(client, "/api/frames/pl/summarize", {"kind": "melt"}).get_json()
    assert "polars" in error["error"] and "melt" in error["error"]
    assert post(client, "/api/frames/pl/steps", {"op": "drop", "columns": ["a"]}).get_json()[
        "ok"]


def test_the_python_api(registry):
    data = small_frame()
    before = copy.deepcopy(data)
    inst = instance(registry, registry.add(data, "p"))
    assert inst.apply("rename", column="f1", to="price") is inst
    inst.apply("add_column", name="double", kind="arithmetic", left="price", operator="*",
               right=2)
    assert [s["op"] for s in inst.steps] == ["rename", "add_column"]
    view = inst.view(filter="double > 0", sort=[("double", "desc")])
    assert run_view_code(inst.code(filter="double > 0", sort=[("double", "desc")]),
                         data).equals(view)
    inst.undo()
    assert "double" not in inst.view().columns
    inst.redo()
    summary = inst.summarize("value_counts", columns=["s_lo"])
    assert summary.name == "p_value_counts" and summary.view()["count"].sum() == len(data)
    with pytest.raises(BadRequest, match="'to'"):
        inst.apply("rename", column="price", to="id")
    with pytest.raises(Conflict):
        inst.redo()
    pd.testing.assert_frame_equal(data, before)


def test_update_reapplies_the_steps_that_fit_and_reports_the_others(registry):
    inst = instance(registry, registry.add(small_frame(), "u"))
    inst.apply("rename", column="f1", to="price")
    inst.apply("drop", columns=["s_lo"])
    with pytest.warns(UserWarning, match="dropped 1 step"):
        inst.update(small_frame().drop(columns=["s_lo"]))
    assert [s["op"] for s in inst.steps] == ["rename"]
    assert inst.dropped_steps[0]["step"]["op"] == "drop"
    assert "price" in inst.view().columns
