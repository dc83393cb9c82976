"""Schemathesis against a live server: every generated request answers inside the OpenAPI document.

A real threaded server on 127.0.0.1 serves a frame of odd data (NaN, None, +/-inf, mixed objects,
nested lists, long strings, tz-aware datetimes, categories, duplicates, duplicate and non-string
labels) under id 1 and the name "odd", and an empty frame under id 2 (no name). For each operation
of the served document Schemathesis sends its coverage cases (boundary and invalid values of
each parameter, missing required ones, undeclared methods) and generated valid requests, and
checks every answer: no 5xx, a documented status and media type, a body that matches
its schema, invalid input rejected with a 4xx, the key enforced (without it: 401/403), and 405
with Allow for an undeclared method. Our own check adds: an error body's ``status`` is the HTTP
status.

Left out:
- ``positive_data_acceptance`` (a request that fits the schema must get a 2xx): the schema
  cannot say "a column of this frame" or "a filter that parses", so a schema-valid request may
  rightly get a 400 that names the unknown column.
- ``DELETE /api/frames/{frame}`` and ``POST /shutdown`` would destroy the fixture the other
  operations are fuzzed against. They are fuzzed below with a new server per example, whose
  ``/shutdown`` only records that it was asked (test_server.py stops real servers).
  ``POST /api/frames/{frame}/view`` changes only the frame's reported view, so it stays here.
- The key as ``?key=`` and the ``X-Dtale-Lite-Client`` header: the key goes in its header (with
  both schemes Schemathesis makes up a query key next to it and reports the 200), the page id as
  ``?client=`` (a generated header trips Schemathesis' auth probe). test_api.py's route table
  checks ``?key=`` on every route.

To reach the data code rather than only 404s and "unknown column" 400s, the test narrows the
served document before generating: ``frame`` is one of the fixture's ids and names (or an
unknown one), column parameters one of its column names (or an unknown one), ``filter`` a
predicate of the filter language over those columns (any text as a filter is
test_properties.py's job; here it would make nearly every request a 400 before the sort, the
window or the chart runs). The document that users get is not changed.
"""
from __future__ import annotations

import copy
import datetime as dt
import threading

import numpy as np
import pandas as pd
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from werkzeug.serving import make_server

from dtale_lite import create_app
from dtale_lite.app.openapi import openapi_document
from dtale_lite.server.registry import Registry
from dtale_lite.server.thread import ServerThread

from tests.conftest import KEY

# Bounded so the file runs in about 15-75 s on 2 shared cores (measured idle and under load);
# each operation also gets its coverage cases (not counted here).
MAX_EXAMPLES = 40


def fuzz_frame() -> pd.DataFrame:
    """Odd data of every kind, 12 rows, with duplicate and non-string column labels."""
    n = 12
    frame = pd.DataFrame({
        "num": [np.nan, np.inf, -np.inf, 1.5, 1.5, 0.0, -2.0, 1e308, -1e308, 3.0, 3.0, np.nan],
        "int": [1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 2**53],
        "mixed": [1, "two", 3.0, None, True, dt.date(2020, 1, 1), b"x", 1 + 2j, "two", None,
                  float("nan"), np.inf],
        "nested": [[1, 2], {"a": [1]}, (3,), None, [], {}, set(), [[1], [2]], "x", None,
                   np.arange(3), [1, 2]],
        "long": ["x" * 20_000, "short", "", None, "é\u00e9\u2603", "a\nb", "\"q\"", "a,b",
                 "short", "<script>", "\x00nul", "short"],
        "tz": pd.date_range("2021-03-27 23:00", periods=n, freq="6h", tz="Europe/Paris"),
        "naive": pd.to_datetime(["2021-01-01", None, "2021-01-01", "1970-01-01"] * 3),
        "td": pd.to_timedelta([1, None, 3, 4, -5, 0, 1, 1, 86400, None, 2, 2], unit="s"),
        "cat": pd.Categorical(["a", None, "b", "a"] * 3, categories=["a", "b", "unused"]),
        "flag": pd.array([True, None, False, True] * 3, dtype="boolean"),
        "nullable": pd.array([1, None, 3, 4] * 3, dtype="Int64"),
        "same": [7] * n,
    })
    # Duplicate and non-string labels: the API names them "dup", "dup (2)" and "5".
    frame["dup"] = list(range(n))
    extra = pd.DataFrame({"dup": ["a"] * n, 5: np.linspace(-1, 1, n)})
    return pd.concat([frame, extra], axis=1)


FRAMES = ["1", "odd", "2", "no_such_frame"]
COLUMNS = ["num", "int", "mixed", "nested", "long", "tz", "naive", "td", "cat", "flag",
           "nullable", "same", "dup", "dup (2)", "5"]
COLUMN_PARAMETERS = {"column", "x", "z", "group"}
VALUES = ['1', '-1.5', '0', '1e308', '"a"', '"two"', '"2021-01-01"', '"1 day"', 'true', 'null']


def _regex_alternatives(words) -> str:
    special = set("\\^$.|?*+()[]{}")
    return "|".join("".join("\\" + c if c in special else c for c in w) for w in words)


def filter_pattern() -> str:
    """A regular expression of filter-language predicates over the fixture's columns."""
    column = "(" + _regex_alternatives(f"`{c}`" if not c.isidentifier() else c
                                       for c in COLUMNS) + ")"
    value = "(" + _regex_alternatives(VALUES) + ")"
    predicate = (f"{column} ((==|!=|<|<=|>|>=) {value}|is (not )?null|(not )?in \\[{value}"
                 f"(, {value})?\\]|(contains|startswith|endswith) \"(a|t|1)\")")
    return f"^(not )?{predicate}( (and|or) {predicate})?$"


def narrowed(document: dict) -> dict:
    """The document narrowed to the fixture, the key in its header only and no header
    parameters (see the module docstring)."""
    document = copy.deepcopy(document)
    document["security"] = [{"keyHeader": []}]
    names = {"enum": COLUMNS + ["no_such_column"]}
    for item in document["paths"].values():
        for operation in item.values():
            operation["parameters"] = [p for p in operation["parameters"] if p["in"] != "header"]
            for parameter in operation["parameters"]:
                name = parameter["name"]
                if name == "frame":
                    parameter["schema"] = {"enum": FRAMES}
                elif name in COLUMN_PARAMETERS:
                    parameter["schema"] = names
                elif name == "y":
                    parameter["schema"] = {"type": "array", "items": names}
                elif name == "filter":
                    parameter["schema"] = {"type": "string", "pattern": filter_pattern()}
                elif name == "columns":
                    parameter["content"]["application/json"]["schema"]["items"] = names
    schemas = document["components"]["schemas"]
    schemas["SortPairs"]["items"]["prefixItems"][0] = names  # sort: the query's and the view's
    report = schemas["GridViewReport"]["properties"]
    report["columns"]["items"] = names
    report["filter"] = {"anyOf": [{"type": "string", "pattern": filter_pattern()},
                                  {"enum": ["", None]}]}
    return document


def error_status_is_the_http_status(ctx, response, case):
    """Our one error shape repeats the HTTP status; a mismatch is a bug the schema cannot see."""
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] == response.status_code, body
    return None


def call(case, base_url: str, session=None) -> requests.Response:
    excluded = [checks.positive_data_acceptance]
    if case.operation.path.endswith("/chart") and not (case.query or {}).get("type"):
        # Without a type the route draws the frame's default chart and ignores every parameter
        # but filter and format (documented), so an invalid one is not rejected.
        excluded.append(checks.negative_data_rejection)
    return case.call_and_validate(base_url=base_url, session=session, timeout=30,
                                  excluded_checks=excluded,
                                  additional_checks=[error_status_is_the_http_status])


def fuzzed_schema():
    loaded = schemathesis.openapi.from_dict(narrowed(openapi_document()))
    # The key as configured auth (not a generated header): Schemathesis' ignored_auth check
    # then takes it away, and puts a wrong one, and expects 401/403.
    loaded.config.update(headers={"X-Dtale-Lite-Key": KEY})
    # The coverage phase already sends each parameter's invalid values (over 100 per data
    # route); the generated examples are spent on valid requests, which reach the data code.
    loaded.config.phases.fuzzing.generation.update(modes=["positive"])
    return loaded


STATE_CHANGING = {("DELETE", "/api/frames/{frame}"), ("POST", "/shutdown")}
schema = fuzzed_schema().exclude(
    func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in STATE_CHANGING)
state_changing = fuzzed_schema().include(
    func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in STATE_CHANGING)


def fixture_registry() -> Registry:
    """The odd frame as id 1 and name "odd", an empty frame of the same columns as id 2."""
    registry = Registry()
    registry.add(fuzz_frame(), "odd")
    registry.add(fuzz_frame().iloc[:0])
    assert [(e.id, e.name) for e in registry.entries()] == [(1, "odd"), (2, None)]
    return registry


@pytest.fixture(scope="module")
def live():
    server = ServerThread(create_app(fixture_registry(), key=KEY), reaper_timeout=None).start()
    session = requests.Session()
    yield f"http://127.0.0.1:{server.port}", session
    session.close()
    server.stop()


def test_the_fuzzed_document_is_the_served_one(live):
    base_url, session = live
    served = session.get(f"{base_url}/api/openapi.json", headers={"X-Dtale-Lite-Key": KEY})
    assert served.status_code == 200
    assert served.json() == openapi_document()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_answer_is_inside_the_document(case, live):
    base_url, session = live
    call(case, base_url, session)


@state_changing.parametrize()
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_state_changing_routes_answer_inside_the_document(case):
    # A server per example: a delete cannot leak into the next one. /shutdown only records
    # that it was asked (Schemathesis probes the same URL again without the key after a 200;
    # test_server.py checks that a real server stops).
    asked = threading.Event()
    app = create_app(fixture_registry(), key=KEY, on_shutdown=asked.set)
    # A plain threaded Werkzeug server that stops within 10 ms (ServerThread polls every
    # 0.5 s, which adds up over a server per example).
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        response = call(case, f"http://127.0.0.1:{server.server_port}")
        if response.request.method == "POST" and response.status_code == 200:
            assert asked.wait(10), "a 200 from /shutdown, but the server was not asked to stop"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
