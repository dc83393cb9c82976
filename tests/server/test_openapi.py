"""The OpenAPI document: valid, served behind the key, and in step with the app's routes.

The live, schema-driven check of every answer is tests/test_openapi_fuzz.py; here the document
is held against the url_map (no route missing, none invented), against the constants the routes
enforce, and against every row of test_api.py's bad-input tables.
"""
from __future__ import annotations

import re

import pytest
import schemathesis
from openapi_spec_validator import validate

from dtale_lite.server import state as app_module
from dtale_lite import create_app
from dtale_lite.app import openapi
from dtale_lite.frames import export
from dtale_lite.charts import routes as chart_routes
from dtale_lite.app.openapi import openapi_document

from tests.conftest import KEY
from tests.server.test_api import BAD, BAD_METHODS

# Routes of the url_map that are not the JSON API, so not in the document: the HTML pages and
# the grid's static files. (The Dash chart page under /charts/ is not in the url_map at all: a
# WSGI dispatcher in front of the app serves it; see charts/mount.py.)
NOT_JSON_API = {
    ("GET", "/"),                        # the HTML list of frames
    ("GET", "/frames/<frame>"),          # the HTML grid page
    ("GET", "/assets/<path:filename>"),  # the grid's JavaScript and CSS
}
DOCUMENT = openapi_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)


def app_routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def documented_routes() -> set[tuple[str, str]]:
    # OpenAPI's {frame} is Flask's <frame>.
    return {(method.upper(), re.sub(r"\{(\w+)\}", r"<\1>", path))
            for path, item in DOCUMENT["paths"].items() for method in item}


def test_every_route_is_documented_and_every_documented_route_exists(app):
    routes = app_routes(app)
    assert NOT_JSON_API <= routes, "a route listed as not documented no longer exists"
    assert not any(path.startswith("/charts") for _, path in routes)
    assert routes - NOT_JSON_API == documented_routes()


def test_a_new_route_fails_the_check(app):
    # The check above can fail: a route added to the app and not to the document is caught.
    app.add_url_rule("/api/frames/<frame>/new", "new", lambda frame: "")
    assert app_routes(app) - NOT_JSON_API - documented_routes() == {
        ("GET", "/api/frames/<frame>/new")}


def test_the_document_is_valid_openapi_3_1():
    validate(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1")


def test_every_error_is_the_one_shared_error_shape():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            assert "200" in statuses and not any(s.startswith("5") for s in statuses)
            for status in statuses - {"200"}:
                assert operation["responses"][status]["$ref"].startswith(
                    "#/components/responses/"), (method, path, status)
                name = operation["responses"][status]["$ref"].rsplit("/", 1)[1]
                content = DOCUMENT["components"]["responses"][name]["content"]
                assert content == {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}
            needs_key = operation.get("security", DOCUMENT["security"]) != []
            assert needs_key == (path != "/health")
            assert needs_key == ({"401", "403"} <= statuses), (method, path)


def test_served_behind_the_key(app, anon_client):
    assert anon_client.get("/api/openapi.json").status_code == 401
    response = anon_client.get(f"/api/openapi.json?key={KEY}")
    assert response.status_code == 200 and response.get_json() == DOCUMENT


def test_servers_follow_the_app_root(registry):
    app = create_app(registry, key=KEY, app_root="/proxy/8888")
    body = app.test_client().get("/api/openapi.json", headers={"X-Dtale-Lite-Key": KEY})
    assert body.get_json()["servers"] == [{"url": "/proxy/8888"}]


def test_the_constants_copied_into_the_document_agree_with_the_app():
    # openapi.py does not import server/state.py (Flask) or export.py (pyarrow).
    assert (openapi.KEY_PARAM, openapi.KEY_HEADER) == (app_module.KEY_PARAM, app_module.KEY_HEADER)
    assert openapi.EXPORT_FORMATS == {name: mimetype.split(";")[0]
                                      for name, (mimetype, _) in export.FORMATS.items()}
    assert set(openapi.CHART_FORMATS) | {"json"} == set(chart_routes.FORMATS)
    assert all(chart_routes.FORMATS[name][0] == media
               for name, media in openapi.CHART_FORMATS.items())


def assert_inside_the_document(method: str, path: str, response) -> None:
    """The answer's status is documented for its operation and its body fits that status'
    schema."""
    operation = SCHEMA.find_operation_by_path(method, path.split("?")[0])
    assert operation is not None, f"{method} {path} is no documented operation"
    documented = DOCUMENT["paths"][operation.path][method.lower()]["responses"]
    assert str(response.status_code) in documented, (method, path, response.status_code)
    operation.validate_response(response)


@pytest.mark.parametrize("path, status, message", [row for row in BAD if row[0] != "/nowhere"])
def test_every_bad_input_answers_inside_the_document(client, frames, path, status, message):
    assert_inside_the_document("GET", path, client.get(path))


def test_a_body_outside_the_document_is_caught(client, frames):
    response = client.get("/api/frames/small/schema")
    body = response.get_json()
    response.set_data(response.data.replace(b'"ok":true', b'"ok":true,"extra":1'))
    assert response.get_json() == {**body, "extra": 1}
    with pytest.raises(AssertionError):
        assert_inside_the_document("GET", "/api/frames/small/schema", response)


def test_the_state_changing_routes_answer_inside_the_document(client, frames):
    assert_inside_the_document("DELETE", "/api/frames/odd", client.delete("/api/frames/odd"))
    assert_inside_the_document("DELETE", "/api/frames/odd", client.delete("/api/frames/odd"))
    # An app embedded with create_app has no server of its own to stop: 409.
    assert_inside_the_document("POST", "/shutdown", client.post("/shutdown"))


@pytest.mark.parametrize("method, path, allowed", BAD_METHODS)
def test_an_undeclared_method_is_no_operation(method, path, allowed):
    assert SCHEMA.find_operation_by_path(method, path) is None
    assert {m for m in allowed - {"HEAD", "OPTIONS"}} == {
        m.upper() for m in DOCUMENT["paths"][re.sub(r"/small\b", "/{frame}", path)]}
