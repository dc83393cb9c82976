"""The routes behind the grid's tools (issue 17): the code of a view (the Code button) and
Load data (uploads, and URLs when the server allows them)."""
from __future__ import annotations

import io
import json

import pandas as pd
import polars as pl
import pytest

from dtale_lite import create_app
from dtale_lite.backends import files
from dtale_lite.frames import loaders
from tests.conftest import KEY, run_view_code, small_frame

SMALL = small_frame()


# -- the code of a view -------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    {},
    {"filter": "f1 > 0 and s_lo is not null"},
    {"sort": json.dumps([["f1", "desc"], ["id", "asc"]])},
    {"filter": "i_small in [1, 2]", "sort": json.dumps([["s_lo", "asc"]]),
     "columns": json.dumps(["s_lo", "id", "f1"])},
])
def test_the_code_route_derives_the_view_the_rows_route_shows(client, frames, params):
    answer = client.get("/api/frames/small/code", query_string=params).get_json()
    assert answer["ok"] is True and answer["name"] == "small"
    view = run_view_code(answer["code"], SMALL)
    rows = client.get("/api/frames/small/rows", query_string={**params, "limit": 1000}).get_json()
    assert rows["total"] == len(view)
    assert rows["columns"] == [str(c) for c in view.columns]
    assert [r[0] for r in rows["data"]] == [None if pd.isna(v) else v
                                            for v in view.iloc[:, 0].tolist()]


@pytest.mark.parametrize("params, message", [
    ({"filter": "f1 >"}, "expected a value"),
    ({"filter": "nope == 1"}, "unknown column 'nope'"),
    ({"sort": '[["nope", "asc"]]'}, "nope"),
    ({"columns": '["nope"]'}, "nope"),
])
def test_a_bad_view_is_a_400_that_says_why(client, frames, params, message):
    response = client.get("/api/frames/small/code", query_string=params)
    body = response.get_json()
    assert response.status_code == 400 and body["status"] == 400 and body["ok"] is False
    assert message in body["error"]


def test_a_frame_not_from_pandas_has_no_code(client, registry):
    registry.add(pl.DataFrame({"a": [1, 2]}), "pl")
    response = client.get("/api/frames/pl/code")
    assert response.status_code == 400
    assert "pandas" in response.get_json()["error"]


def test_a_series_shown_gets_its_to_frame_line(client, registry):
    registry.add(pd.Series([3, 1, 2], name="v"), "ser")
    code = client.get("/api/frames/ser/code", query_string={"filter": "v > 1"}).get_json()["code"]
    assert "to_frame" in code
    assert run_view_code(code, pd.Series([3, 1, 2], name="v"))["v"].tolist() == [3, 2]


# -- Load data: POST /api/upload ----------------------------------------------------------------
UPLOADED = pd.DataFrame({"id": [1, 2, 3], "city": ["Oslo", "Lima", None],
                         "price": [1.5, None, -2.0]})


def as_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "csv":
        UPLOADED.to_csv(buffer, index=False)
    elif fmt == "tsv":
        UPLOADED.to_csv(buffer, index=False, sep="\t")
    elif fmt == "parquet":
        UPLOADED.to_parquet(buffer, index=False)
    elif fmt == "json":
        UPLOADED.to_json(buffer, orient="records")
    elif fmt == "jsonl":
        UPLOADED.to_json(buffer, orient="records", lines=True)
    elif fmt == "xlsx":
        UPLOADED.to_excel(buffer, index=False)
    return buffer.getvalue()


def post_file(client, filename, data: bytes, **fields):
    return client.post("/api/upload", data={"file": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data")


def shown(registry) -> list:
    return [s.name for s in registry.snapshots()]


@pytest.mark.parametrize("filename, fmt", [
    ("sales.csv", "csv"), ("sales.tsv", "tsv"), ("sales.parquet", "parquet"),
    ("sales.json", "json"), ("sales.jsonl", "jsonl"), ("sales.xlsx", "xlsx"),
])
def test_each_format_uploads_into_a_new_frame(client, registry, filename, fmt):
    response = post_file(client, filename, as_bytes(fmt))
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["ok"] is True and body["name"] == "sales" and body["rows"] == 3
    assert body["columns"] == 3 and body["url"] == f"/frames/{body['id']}?key={KEY}"
    frame = registry.get(body["id"]).data
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), UPLOADED, check_dtype=False)
    schema = client.get(f"/api/frames/{body['id']}/schema").get_json()
    assert [c["name"] for c in schema["columns"]] == ["id", "city", "price"]


def test_parquet_is_read_by_duckdb_when_it_is_installed(client, registry, monkeypatch):
    import duckdb

    opened = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append(1) or real(*a, **k))
    assert post_file(client, "p.parquet", as_bytes("parquet")).status_code == 200
    assert opened
    # Without DuckDB, pandas and pyarrow read it.
    monkeypatch.setattr(files, "_has_duckdb", lambda: False)
    opened.clear()
    body = post_file(client, "p.parquet", as_bytes("parquet")).get_json()
    assert body["rows"] == 3 and not opened and body["name"] == "p_2"


def test_a_name_and_a_format_can_be_given(client, registry):
    body = post_file(client, "data.txt", as_bytes("csv"), name="mine", format="csv").get_json()
    assert body["name"] == "mine" and body["rows"] == 3
    # A taken name given explicitly is refused; one from the file name gets a suffix.
    taken = post_file(client, "x.csv", as_bytes("csv"), name="mine")
    assert taken.status_code == 409 and "mine" in taken.get_json()["error"]
    assert post_file(client, "mine.csv", as_bytes("csv")).get_json()["name"] == "mine_2"
    assert shown(registry) == ["mine", "mine_2"]


@pytest.mark.parametrize("filename, data, fields, status, message", [
    ("bad.parquet", b"not parquet at all", {}, 400, "bad.parquet: could not read it as Parquet"),
    ("bad.xlsx", b"not a workbook", {}, 400, "bad.xlsx: could not read it as Excel"),
    ("bad.json", b"{not json", {}, 400, "bad.json: could not read it as JSON"),
    ("empty.csv", b"", {}, 400, "empty.csv: could not read it as CSV"),
    ("data.xyz", b"a,b\n1,2\n", {}, 400, "unsupported file type '.xyz'"),
    ("data.csv.gz", b"\x1f\x8b", {}, 400, "compressed files are not read from an upload"),
    ("data.csv", b"a\n1\n", {"format": "sas"}, 400, "unknown format 'sas'"),
    ("data.csv", b"a\n1\n", {"name": "1bad name"}, 400, "invalid frame name"),
])
def test_a_bad_file_is_a_400_that_says_why_and_registers_nothing(client, registry, filename,
                                                                 data, fields, status, message):
    response = post_file(client, filename, data, **fields)
    body = response.get_json()
    assert response.status_code == status and body["status"] == status and body["ok"] is False
    assert message in body["error"], body
    assert shown(registry) == []


def test_no_file_is_a_400(client, registry):
    response = client.post("/api/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "'file'" in response.get_json()["error"]
    assert shown(registry) == []


def test_excel_without_openpyxl_is_a_400_naming_the_extra(client, registry, monkeypatch):
    monkeypatch.setattr(loaders, "excel_missing", lambda: True)
    response = post_file(client, "sales.xlsx", as_bytes("xlsx"))
    assert response.status_code == 400
    assert "openpyxl" in response.get_json()["error"]
    assert "dtale_lite[excel]" in response.get_json()["error"]
    assert shown(registry) == []


def test_a_file_over_the_limit_is_a_413_that_states_the_limit(registry):
    app = create_app(registry, key=KEY, max_upload_bytes=1000)
    client = app.test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = KEY
    assert client.get("/api/upload").get_json()["max_bytes"] == 1000
    # Just over the limit (the file itself; the request is within the envelope's slack).
    response = post_file(client, "big.csv", b"a\n" + b"1\n" * 500)
    body = response.get_json()
    assert response.status_code == 413 and body["status"] == 413
    assert "upload limit of 1,000 bytes" in body["error"]
    # Far over it: refused from the Content-Length, before the body is read.
    response = post_file(client, "huge.csv", b"a\n" + b"1\n" * 100_000)
    assert response.status_code == 413 and "1,000 bytes" in response.get_json()["error"]
    assert shown(registry) == []
    assert post_file(client, "ok.csv", b"a\n1\n").status_code == 200


def test_the_limits_are_stated(client):
    body = client.get("/api/upload").get_json()
    assert body == {"ok": True, "max_bytes": 100 * 2**20, "formats": sorted(
        set(loaders.UPLOAD_FORMATS)), "from_url": False}


def test_a_url_is_refused_unless_the_server_allows_it(client, registry):
    response = client.post("/api/upload", data={"url": "http://127.0.0.1:9/x.csv"},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert "allow_url_loads=True" in response.get_json()["error"]
    assert shown(registry) == []


@pytest.fixture
def csv_site():
    """A local HTTP server with /sales.csv, /missing.csv (404) and /big.csv."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files_served = {"/sales.csv": as_bytes("csv"), "/big.csv": b"a\n" + b"1\n" * 5000}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = files_served.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_url_loads_when_the_server_allows_it(registry, csv_site):
    app = create_app(registry, key=KEY, allow_url_loads=True, max_upload_bytes=2000)
    client = app.test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = KEY

    def load(url):
        return client.post("/api/upload", data={"url": url}, content_type="multipart/form-data")

    assert client.get("/api/upload").get_json()["from_url"] is True
    body = load(f"{csv_site}/sales.csv").get_json()
    assert body["ok"] is True and body["name"] == "sales" and body["rows"] == 3
    missing = load(f"{csv_site}/missing.csv")
    assert missing.status_code == 400 and "answered 404" in missing.get_json()["error"]
    big = load(f"{csv_site}/big.csv")
    assert big.status_code == 413 and "2,000 bytes" in big.get_json()["error"]
    scheme = load("file:///etc/passwd")
    assert scheme.status_code == 400 and "http" in scheme.get_json()["error"]
    assert shown(registry) == ["sales"]


def test_show_and_the_command_line_set_the_upload_settings():
    import urllib.request

    from dtale_lite.app.viewer import Viewer
    from dtale_lite.cli.command import build_parser

    viewer = Viewer()
    try:
        inst = viewer.show(UPLOADED, max_upload_bytes=5000, allow_url_loads=True)
        with urllib.request.urlopen(f"{inst.base_url}/api/upload?key={inst.key}") as answer:
            stated = json.loads(answer.read())
        assert stated["max_bytes"] == 5000 and stated["from_url"] is True
    finally:
        viewer.shutdown()
    args = build_parser().parse_args(["data.csv", "--max-upload-mb", "2", "--allow-url-loads"])
    assert args.max_upload_mb == 2 and args.allow_url_loads is True
    defaults = build_parser().parse_args(["data.csv"])
    assert defaults.max_upload_mb is None and defaults.allow_url_loads is False


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_create_app_checks_the_upload_limit(registry, bad):
    with pytest.raises(ValueError, match="max_upload_bytes"):
        create_app(registry, key=KEY, max_upload_bytes=bad)
