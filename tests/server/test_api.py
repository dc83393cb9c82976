"""The JSON API through Flask's test client: the contract, the error table, odd data."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from dtale_lite import create_app
from dtale_lite.server.registry import Registry

from tests.conftest import KEY, odd_frame, small_frame


def rows(client, frame="small", **params):
    for name in ("sort", "columns"):
        if name in params and not isinstance(params[name], str):
            params[name] = json.dumps(params[name])
    return client.get(f"/api/frames/{frame}/rows", query_string=params)


# -- the route table: every public route, its method and whether it needs the key ----------
ROUTES = [
    ("GET", "/health", False),
    ("GET", "/", True),
    ("GET", "/api/openapi.json", True),
    ("GET", "/api/frames", True),
    ("GET", "/row-count/small", True),
    ("GET", "/api/frames/small/schema", True),
    ("GET", "/api/frames/small/rows", True),
    ("GET", "/api/frames/small/describe?column=f1", True),
    ("GET", "/api/frames/small/export?format=csv", True),
    ("GET", "/api/frames/small/chart?type=bar&x=s_lo", True),
    ("GET", "/api/frames/small/correlations", True),
    ("GET", "/api/frames/small/missing", True),
    ("GET", "/api/frames/small/outliers?column=f1", True),
    ("GET", '/api/frames/small/duplicates?columns=["s_lo","flag"]', True),
    ("GET", "/api/frames/small/timeseries?x=ts&y=f1&freq=week", True),
    ("GET", "/api/frames/small/view", True),
    ("GET", "/api/frames/small/code", True),
    ("POST", "/api/frames/small/view", True),
    ("GET", "/frames/small", True),
    ("DELETE", "/api/frames/small", True),
    ("POST", "/api/frames/small/rename", True),
    ("GET", "/api/upload", True),
    ("POST", "/api/upload", True),
    ("GET", "/api/frames/small/steps", True),
    ("POST", "/api/frames/small/steps", True),
    ("POST", "/api/frames/small/steps/undo", True),
    ("POST", "/api/frames/small/steps/redo", True),
    ("POST", "/api/frames/small/summarize", True),
    ("POST", "/shutdown", True),
]
BODIES = {"/api/frames/small/rename": {"name": "renamed"}}  # routes that need a JSON body


def test_route_table_matches_the_app(app):
    declared = {(m, p.split("?")[0].replace("small", "<frame>")) for m, p, _ in ROUTES}
    actual = {(m, r.rule) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    actual.discard(("GET", "/assets/<path:filename>"))  # covered by test_assets_need_the_key
    assert declared == actual


@pytest.mark.parametrize("method, path, needs_key", ROUTES)
def test_auth_per_route(app, frames, method, path, needs_key):
    anon = app.test_client()
    response = anon.open(path, method=method)
    if needs_key:
        assert response.status_code == 401
        assert response.get_json()["ok"] is False and "key" in response.get_json()["error"]
        wrong = anon.open(path, method=method, headers={"X-Dtale-Lite-Key": "nope"})
        assert wrong.status_code == 403 and wrong.get_json()["status"] == 403
        sep = "&" if "?" in path else "?"
        good = anon.open(f"{path}{sep}key={KEY}", method=method, json=BODIES.get(path))
        # Past the key check: an upload without a file is a 400 that says so; the steps
        # routes take JSON bodies only, so with none they are a 415.
        if (method, path) == ("POST", "/api/upload"):
            expected = (400,)
        elif method == "POST" and ("/steps" in path or "summarize" in path):
            expected = (415,)
        else:
            expected = (200, 409)
        assert good.status_code in expected, good.data[:300]
    else:
        assert response.status_code == 200


def test_unauthenticated_cannot_probe_frame_names(anon_client, frames):
    assert anon_client.get("/row-count/small").status_code == 401
    assert anon_client.get("/row-count/nope").status_code == 401


def test_key_none_turns_auth_off_loudly(registry):
    with pytest.warns(UserWarning, match="authentication is OFF"):
        app = create_app(registry, key=None)
    registry.add(small_frame(), "small")
    assert app.test_client().get("/row-count/small").get_json()["rows"] == 200


def test_create_app_twice_gives_independent_apps():
    a, b = create_app(key="a"), create_app(key="b")
    a.extensions["dtale_lite"].registry.add(small_frame(5), "only_in_a")
    assert a.test_client().get("/api/frames?key=a").get_json()["frames"][0]["name"] == "only_in_a"
    assert b.test_client().get("/api/frames?key=b").get_json()["frames"] == []


# -- the contract ------------------------------------------------------------------------
def test_frames_list_and_row_count_by_id_and_name(client, frames):
    listed = client.get("/api/frames").get_json()
    assert listed["ok"] is True
    assert [(f["id"], f["name"], f["rows"], f["columns"]) for f in listed["frames"]] == [
        (1, "small", 200, 7), (2, "odd", 4, 11)]
    assert listed["frames"][0]["url"] == f"/frames/1?key={KEY}"
    for ref in ("small", "1"):
        assert client.get(f"/row-count/{ref}").get_json() == {
            "ok": True, "id": 1, "name": "small", "rows": 200, "rows_exact": True}


def test_schema(client, frames):
    body = client.get("/api/frames/small/schema").get_json()
    assert body["rows"] == 200
    assert [(c["name"], c["kind"]) for c in body["columns"]] == [
        ("id", "int"), ("i_small", "int"), ("f1", "float"), ("s_lo", "string"),
        ("cat", "category"), ("ts", "datetime"), ("flag", "bool")]


def test_rows_default_window(client, frames):
    body = rows(client).get_json()
    assert (body["offset"], body["limit"], body["total"]) == (0, 100, 200)
    assert body["columns"][0] == "id" and len(body["data"]) == 100
    assert body["index"] == list(range(100)) and [r[0] for r in body["data"]] == list(range(100))


def test_rows_offset_past_the_end_gives_no_rows_and_the_total(client, frames):
    body = rows(client, offset=10_000).get_json()
    assert body["ok"] and body["data"] == [] and body["index"] == [] and body["total"] == 200


def test_rows_sort_filter_columns(client, frames, registry):
    frame = registry.get("small").data
    body = rows(client, sort=[["i_small", "desc"], ["id", "asc"]], filter="f1 > 0",
                columns=["id", "f1"], limit=10_000).get_json()
    expected = frame[frame.f1 > 0].sort_values(["i_small", "id"], ascending=[False, True])
    assert body["total"] == len(expected)
    assert body["columns"] == ["id", "f1"]
    assert [r[0] for r in body["data"]] == expected.id.tolist()
    assert body["index"] == expected.index.tolist()


def test_sort_puts_missing_last_both_ways(client, frames):
    for direction in ("asc", "desc"):
        values = [r[0] for r in rows(client, sort=[["f1", direction]], columns=["f1"],
                                     limit=10_000).get_json()["data"]]
        present = [v for v in values if v is not None]
        assert values[len(present):] == [None] * (len(values) - len(present))
        assert present == sorted(present, reverse=direction == "desc")


def test_odd_data_displays(client, frames):
    body = rows(client, frame="odd").get_json()
    data = dict(zip(body["columns"], zip(*body["data"])))
    assert data["nan_inf"] == (None, "inf", "-inf", 1.5)
    assert data["nat"][1] is None and data["nat"][0].startswith("2021-01-01T")
    assert data["tz"][0] == "2021-01-01T10:00:00+01:00"
    assert data["mixed"] == (1, "two", 3.0, None)
    assert data["nested"][:3] == ("[1, 2]", "{'a': 1}", "(3,)") and data["nested"][3] is None
    assert data["decimal"] == ("1.10", None, "-2", "0")
    assert len(data["huge"][0]) < 10_100 and data["huge"][0].endswith("[truncated]")
    assert data["nullable_int"] == (1, None, 3, 4)
    assert data["nullable_bool"] == (True, None, False, True)
    assert data["cat"] == ("a", None, "b", "a")


@pytest.mark.parametrize("sort_column", ["mixed", "nested", "decimal", "tz", "nullable_int", "cat"])
def test_odd_columns_sort_without_error(client, frames, sort_column):
    response = rows(client, frame="odd", sort=[[sort_column, "asc"]])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] == 4


def test_frame_with_non_string_duplicate_and_multiindex_labels(client, registry):
    frame = pd.DataFrame([[1, 2, 3, 4]], columns=pd.MultiIndex.from_tuples(
        [("a", "x"), ("a", "y"), ("a", "x"), (5, "")]))
    registry.add(frame, "multi")
    schema = client.get("/api/frames/multi/schema").get_json()
    assert [c["name"] for c in schema["columns"]] == ["a / x", "a / y", "a / x (2)", "5"]
    body = rows(client, frame="multi", columns=["a / x (2)", "5"],
                sort=[["a / x (2)", "desc"]]).get_json()
    assert body["data"] == [[3, 4]]
    assert rows(client, frame="multi", filter="`a / x (2)` == 3").get_json()["total"] == 1
    assert list(frame.columns) == [("a", "x"), ("a", "y"), ("a", "x"), (5, "")]  # untouched


def test_multiindex_rows_and_empty_frame(client, registry):
    frame = pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]))
    registry.add(frame, "mi")
    assert rows(client, frame="mi").get_json()["index"] == ["a / 1", "b / 2"]
    registry.add(pd.DataFrame(), "empty")
    body = rows(client, frame="empty").get_json()
    assert (body["total"], body["columns"], body["data"]) == (0, [], [])
    registry.add(pd.DataFrame({"a": pd.Series([], dtype="float64")}), "norows")
    assert rows(client, frame="norows", sort=[["a", "asc"]], filter="a > 1").get_json()["total"] == 0


def test_series_shows_as_one_column(client, registry):
    registry.add(pd.Series([3, 1, 2], name="price"), "series")
    body = rows(client, frame="series", sort=[["price", "asc"]]).get_json()
    assert body["columns"] == ["price"] and body["data"] == [[1], [2], [3]]


def test_viewer_never_changes_the_users_frame(client, registry):
    frame = small_frame()
    before = frame.copy(deep=True)
    registry.add(frame, "mine")
    rows(client, frame="mine", sort=[["f1", "desc"]], filter="s_lo == 'cat_01'")
    client.get("/api/frames/mine/describe?column=s_lo")
    client.get("/api/frames/mine/export?format=csv").get_data()
    pd.testing.assert_frame_equal(frame, before)


def test_delete_removes_only_that_frame(client, frames):
    assert client.delete("/api/frames/small").get_json()["removed"] is True
    assert client.get("/row-count/small").status_code == 404
    assert client.get("/row-count/odd").status_code == 200


def test_shutdown_on_an_embedded_app_is_a_conflict(client, frames):
    body = client.post("/shutdown").get_json()
    assert body["status"] == 409 and "embedded" in body["error"]


def test_get_never_changes_state(client, frames):
    assert client.get("/shutdown").status_code == 405
    assert client.get("/api/frames/small").status_code in (404, 405)
    assert client.get("/row-count/small").status_code == 200


def test_pages_list_and_frame_page(client, frames):
    index = client.get("/").get_data(as_text=True)
    assert f'href="/frames/1?key={KEY}"' in index and "small" in index
    page = client.get("/frames/small").get_data(as_text=True)
    config = json.loads(page.split('id="dtale-config" type="application/json">')[1]
                        .split("</script>")[0])
    assert config["frameId"] == 1 and config["key"] == KEY and config["root"] == ""


def test_app_root_prefixes_page_urls(registry):
    app = create_app(registry, key=KEY, app_root="/proxy/8888/")
    registry.add(small_frame(5), "small")
    body = app.test_client().get(f"/api/frames?key={KEY}").get_json()
    assert body["frames"][0]["url"] == f"/proxy/8888/frames/1?key={KEY}"


def test_assets_need_the_key_and_stay_inside_the_folder(client, anon_client):
    assert anon_client.get("/assets/grid/grid.js").status_code == 401
    assert client.get("/assets/../app.py").status_code == 404
    assert client.get("/assets/%2e%2e/app.py").status_code == 404


# -- the table of bad inputs ------------------------------------------------------------
BAD = [
    ("/row-count/nope", 404, "no frame with id or name 'nope'"),
    ("/api/frames/99/schema", 404, "no frame with id or name '99'"),
    # Unicode digits are not an id (int() refused them: a 500; found by the fuzzer)
    ("/row-count/\u00b2", 404, "no frame with id or name '\u00b2'"),
    ("/api/frames/\u0663/rows", 404, "no frame with id or name '\u0663'"),
    ("/api/frames/small/rows?sort=[[", 400, "parameter 'sort' is not valid JSON"),
    ("/api/frames/small/rows?sort={}", 400, "must be a JSON list"),
    ('/api/frames/small/rows?sort=[["f1","up"]]', 400, 'each sort item must be'),
    ('/api/frames/small/rows?sort=[["nope","asc"]]', 400, "sort: unknown column 'nope'"),
    ("/api/frames/small/rows?columns=nope", 400, "parameter 'columns' is not valid JSON"),
    ('/api/frames/small/rows?columns=["nope"]', 400, "columns: unknown column 'nope'"),
    ("/api/frames/small/rows?columns=[1]", 400, "must be a JSON list of column names"),
    # JSON null is not "no parameter" (it was read as all columns / no sort; found by the fuzzer)
    ("/api/frames/small/rows?columns=null", 400, "must be a JSON list of column names"),
    ("/api/frames/small/rows?sort=null", 400, "must be a JSON list"),
    ("/api/frames/small/export?columns=null", 400, "must be a JSON list of column names"),
    ("/api/frames/small/rows?offset=-1", 400, "'offset' must not be negative"),
    ("/api/frames/small/rows?offset=abc", 400, "'offset' must be a whole number"),
    ("/api/frames/small/rows?limit=-5", 400, "'limit' must not be negative"),
    ("/api/frames/small/rows?limit=10001", 400, "'limit' may be at most 10,000"),
    ("/api/frames/small/rows?limit=1e9", 400, "'limit' must be a whole number"),
    ("/api/frames/small/rows?filter=f1 >", 400, "at character"),
    ("/api/frames/small/rows?filter=nope > 1", 400, "unknown column 'nope'"),
    ("/api/frames/small/rows?filter=f1 > 'abc'", 400, "f1"),
    ("/api/frames/small/rows?filter=f1 >> 1", 400, "at character"),
    ("/api/frames/small/rows?filter=(f1 > 1", 400, "at character"),
    ("/api/frames/small/rows?filter=s_lo == \"open", 400, "at character"),
    ("/api/frames/small/rows?filter=__import__('os')", 400, "at character"),
    ("/api/frames/small/describe", 400, "parameter 'column' is required"),
    ("/api/frames/small/describe?column=nope", 400, "unknown column 'nope'"),
    ("/api/frames/small/describe?column=f1&filter=f1 ==", 400, "at character"),
    ("/api/frames/small/export?format=xlsx", 400, "unknown export format 'xlsx'"),
    ("/api/frames/small/export?format=csv&filter=nope == 1", 400, "unknown column 'nope'"),
    ("/api/frames/nope/chart?type=bar&x=s_lo", 404, "no frame with id or name 'nope'"),
    ("/api/frames/small/chart?type=pyramid", 400, "unknown type 'pyramid'; use one of bar"),
    ("/api/frames/small/chart?type=bar", 400, "a bar chart needs 'x'"),
    ("/api/frames/small/chart?type=bar&x=nope", 400, "unknown column 'nope' (parameter 'x')"),
    ("/api/frames/small/chart?type=bar&x=s_lo&y=s_lo", 400, "'s_lo' holds string values"),
    ("/api/frames/small/chart?type=scatter&x=f1", 400, "a scatter chart needs 'y'"),
    ("/api/frames/small/chart?type=bar&x=s_lo&y=f1&agg=avg", 400, "unknown agg 'avg'"),
    ("/api/frames/small/chart?type=bar&x=s_lo&agg=sum", 400, "'sum' needs a 'y' column"),
    ("/api/frames/small/chart?type=line&x=ts&y=f1&freq=fortnight", 400, "unknown freq"),
    ("/api/frames/small/chart?type=line&x=id&y=f1&freq=day", 400, "'freq' applies to a datetime"),
    ("/api/frames/small/chart?type=histogram&x=f1&bins=abc", 400, "'bins' must be a whole number"),
    ("/api/frames/small/chart?type=histogram&x=f1&bins=0", 400, "between 1 and 1000"),
    ("/api/frames/small/chart?type=density&x=f1&y=id&bins=251", 400, "between 1 and 250"),
    ("/api/frames/small/chart?type=heatmap&x=f1&y=id&bins=51", 400, "between 1 and 50"),
    ("/api/frames/small/chart?type=histogram&x=f1&x_min=1", 400, "give both x_min and x_max"),
    ("/api/frames/small/chart?type=histogram&x=f1&x_min=a&x_max=2", 400, "'x_min' must be a number"),
    ("/api/frames/small/chart?type=histogram&x=ts&x_min=x&x_max=y", 400, "must be a date"),
    ("/api/frames/small/chart?type=histogram&x=f1&x_min=2&x_max=1", 400, "x_min must be less"),
    ("/api/frames/small/chart?type=histogram&x=f1&log_y=maybe", 400, "'log_y' must be 1 or 0"),
    ("/api/frames/small/chart?type=bar&x=s_lo&log_x=1", 400, "log_x needs a numeric x axis"),
    ("/api/frames/small/chart?type=pie&x=s_lo&group=cat", 400, "a pie chart takes no 'group'"),
    ("/api/frames/small/chart?type=bar&x=s_lo&y=f1&y=id&group=cat", 400, "takes one 'y'"),
    ("/api/frames/small/chart?type=bar&x=s_lo&filter=f1 >", 400, "at character"),
    ("/api/frames/small/chart?type=bar&x=s_lo&format=png", 400, "unknown format 'png'"),
    ("/api/frames/small/correlations?method=kendall", 400, "unknown method 'kendall'"),
    ("/api/frames/small/correlations?filter=nope > 1", 400, "unknown column 'nope'"),
    ("/nowhere", 404, "no route GET /nowhere"),
]


@pytest.mark.parametrize("path, status, message", BAD)
def test_bad_inputs_get_a_clear_json_error(client, frames, path, status, message):
    response = client.get(path)
    body = response.get_json()
    assert response.status_code == status
    assert body["ok"] is False and body["status"] == status
    assert message in body["error"], body["error"]
    assert "Traceback" not in body["error"]


# An undeclared method: 405 in the one error shape, with the allowed methods in Allow (RFC 9110;
# the error handler used to drop the header, found by tests/test_openapi_fuzz.py).
BAD_METHODS = [
    ("TRACE", "/health", {"GET", "HEAD", "OPTIONS"}),
    ("PUT", "/api/frames/small/rows", {"GET", "HEAD", "OPTIONS"}),
    ("GET", "/shutdown", {"POST", "OPTIONS"}),
    ("POST", "/api/frames/small", {"DELETE", "OPTIONS"}),
]


@pytest.mark.parametrize("method, path, allowed", BAD_METHODS)
def test_undeclared_methods_are_405_with_allow(client, frames, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.get_json() == {"ok": False, "status": 405,
                                   "error": f"method {method} is not allowed on {path}"}
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_routing_errors_say_so_without_the_key(anon_client, frames):
    # A key would not change these answers (TRACE /health was a 401; found by the fuzzer) ...
    response = anon_client.open("/health", method="TRACE")
    assert response.status_code == 405 and response.headers["Allow"]
    assert anon_client.get("/nowhere").get_json()["status"] == 404
    # ... while every route that exists still asks for it, frame or no frame.
    assert anon_client.get("/row-count/nope").status_code == 401


def test_filter_error_carries_its_position(client, frames):
    body = rows(client, filter="f1 > 1 and nope < 2").get_json()
    assert body["position"] == 11 and "(at character 11)" in body["error"]


def test_unexpected_error_is_a_json_500_without_traceback(registry, caplog):
    app = create_app(registry, key=KEY)
    entry = registry.add(small_frame(5), "b")
    entry.source.rows = lambda *a: 1 / 0  # a data layer bug must not leak a traceback
    response = app.test_client().get(f"/api/frames/b/rows?key={KEY}")
    assert response.status_code == 500
    assert response.get_json() == {"ok": False, "status": 500,
                                   "error": "internal error (ZeroDivisionError); see the server log"}
    assert "ZeroDivisionError" in caplog.text


# -- caching ---------------------------------------------------------------------------
def test_sort_and_filter_are_computed_once_and_dropped_on_update(client, registry):
    entry = registry.add(small_frame(), "c")
    cache = registry.cache
    for offset in (0, 50, 100, 150):
        rows(client, frame="c", sort=[["f1", "asc"]], filter="f1 > 0", offset=offset)
    assert registry.background.wait_idle()
    # one mask, the rows it keeps, the sort key of f1 and the sorted view's full order
    assert cache.computed == 4
    rows(client, frame="c", sort=[["f1", "asc"]], filter="  f1>0  ")  # same canonical filter
    assert cache.computed == 4
    registry.update("c", small_frame(seed=1))
    assert len(cache) == 0
    body = rows(client, frame="c", sort=[["f1", "asc"]], filter="f1 > 0").get_json()
    fresh = small_frame(seed=1)
    assert body["total"] == int((fresh.f1 > 0).sum())
    assert entry.version == 1


# -- describe and export through the routes ---------------------------------------------
def test_describe_route_follows_the_filter(client, frames, registry):
    frame = registry.get("small").data
    body = client.get("/api/frames/small/describe",
                      query_string={"column": "f1", "filter": "i_small < 5",
                                    "sort": '[["id","desc"]]'}).get_json()
    expected = frame.f1[frame.i_small < 5]
    assert body["ok"] and body["column"] == "f1" and body["kind"] == "float"
    assert (body["count"], body["missing"]) == (expected.count(), expected.isna().sum())
    assert body["mean"] == pytest.approx(expected.mean())
    assert body["max"] == pytest.approx(expected.max())
    assert sum(body["histogram"]["counts"]) == expected.count()
    text = client.get("/api/frames/small/describe?column=s_lo").get_json()
    assert text["top"][0] == {"value": frame.s_lo.value_counts().index[0],
                              "count": int(frame.s_lo.value_counts().iloc[0])}
    assert set(text["length"]) == {"min", "mean", "max"}


@pytest.mark.parametrize("fmt, reader", [
    ("csv", lambda b: pd.read_csv(io.BytesIO(b))),
    ("tsv", lambda b: pd.read_csv(io.BytesIO(b), sep="\t")),
    ("json", lambda b: pd.read_json(io.BytesIO(b))),
    ("parquet", lambda b: pd.read_parquet(io.BytesIO(b))),
])
def test_export_route_is_exactly_the_view(client, frames, registry, fmt, reader):
    frame = registry.get("small").data
    response = client.get("/api/frames/small/export", query_string={
        "format": fmt, "filter": "f1 > 0", "sort": '[["i_small","desc"]]',
        "columns": '["id","i_small","s_lo"]'})
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == f'attachment; filename="small.{fmt}"'
    got = reader(response.get_data())
    expected = (frame[frame.f1 > 0].sort_values("i_small", ascending=False, kind="stable")
                [["id", "i_small", "s_lo"]])
    assert got.columns.tolist() == ["id", "i_small", "s_lo"]
    assert got.id.tolist() == expected.id.tolist()
    assert got.s_lo.fillna("<NA>").tolist() == expected.s_lo.fillna("<NA>").tolist()


def test_descending_after_ascending_is_derived_and_still_right(client, registry):
    frame = small_frame(500)
    frame["f1"] = frame["f1"].round(1)  # many ties: the part a reversal gets wrong
    registry.add(frame, "d")
    rows(client, frame="d", sort=[["f1", "asc"]])
    calls = []
    entry = registry.get("d")
    original = entry.source.sort_order
    entry.source.sort_order = lambda keys: calls.append(keys) or original(keys)
    body = rows(client, frame="d", sort=[["f1", "desc"]], limit=10_000).get_json()
    assert calls == []  # derived from the cached ascending order, not sorted again
    expected = frame.sort_values("f1", ascending=False, kind="stable", na_position="last")
    assert body["index"] == expected.index.tolist()


def test_embedded_in_a_host_flask_app_under_a_prefix(registry):
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    host = Flask("host")
    host.get("/")(lambda: "host home")
    viewer = create_app(registry, key=KEY)
    registry.add(small_frame(5), "emb")
    host.wsgi_app = DispatcherMiddleware(host.wsgi_app, {"/viewer": viewer})
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "host home"
    listed = client.get(f"/viewer/api/frames?key={KEY}").get_json()
    assert listed["frames"][0]["url"] == f"/viewer/frames/1?key={KEY}"
    page = client.get(f"/viewer/frames/emb?key={KEY}").get_data(as_text=True)
    config = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    assert config["root"] == "/viewer" and config["assets"] == "/viewer/assets/grid/"
    assert client.get(f"/viewer/assets/grid/grid.js?key={KEY}").status_code == 200
    assert client.get("/viewer/row-count/emb").status_code == 401


def test_an_update_during_a_request_does_not_mix_two_frames(client, registry):
    """update() swaps the source mid-request (here: right after the view reads the columns);
    the request still answers wholly from the frame it started with."""
    wide = pd.DataFrame({"a": [3, 1, 2], "b": ["x", "y", "z"], "c": [1.5, 2.5, 3.5]})
    entry = registry.add(wide, "swap")
    source = entry.source
    read_columns = source.columns

    def columns_then_update():
        result = read_columns()
        if entry.source is source:
            registry.update("swap", pd.DataFrame({"z": [9]}))  # one column, one row
        return result

    source.columns = columns_then_update
    body = rows(client, frame="swap", sort=[["c", "desc"]]).get_json()
    assert body["ok"], body
    assert body["columns"] == ["a", "b", "c"] and body["data"][0] == [2, "z", 3.5]
    assert rows(client, frame="swap").get_json()["columns"] == ["z"]  # the next request: new


@pytest.mark.parametrize("path", ["/frames/small", "/api/frames", "/row-count/nope", "/health"])
def test_every_response_keeps_the_key_from_leaking(client, frames, path):
    headers = client.get(path).headers
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
