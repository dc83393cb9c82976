"""Schemathesis against a live server whose frames are read by Polars and by DuckDB.

The same narrowed document and checks as test_openapi_fuzz.py (see its docstring), against
the odd frame's columns that Polars can hold (mixed Python objects and ragged nested values
are pandas-only), shown as a Polars DataFrame and as a Parquet file read through DuckDB, with
an empty frame of the same columns as id 2. No answer may be a 5xx or fall outside the
document on any engine.
"""
from __future__ import annotations

import polars as pl
import pytest
import requests
from hypothesis import HealthCheck, settings

from dtale_lite import create_app
from dtale_lite.backends.files import file_source
from dtale_lite.server.registry import Registry
from dtale_lite.server.thread import ServerThread

from tests.conftest import KEY
from tests.server.test_openapi_fuzz import call, fuzz_frame, schema

MAX_EXAMPLES = 15
ENGINES = ["polars", "duckdb"]


def engine_frame() -> pl.DataFrame:
    frame = fuzz_frame().drop(columns=["mixed", "nested"])
    names, seen = [], {}
    for c in map(str, frame.columns):  # the API names a repeated label "dup (2)"; Polars needs it unique
        seen[c] = seen.get(c, 0) + 1
        names.append(c if seen[c] == 1 else f"{c} ({seen[c]})")
    frame.columns = names
    return pl.from_pandas(frame)


@pytest.fixture(scope="module", params=ENGINES)
def live(request, tmp_path_factory):
    frame = engine_frame()
    registry = Registry()
    if request.param == "polars":
        registry.add(frame, "odd")
        registry.add(frame.head(0))
    else:
        folder = tmp_path_factory.mktemp("fuzz")
        frame.write_parquet(folder / "odd.parquet")
        frame.head(0).write_parquet(folder / "empty.parquet")
        registry.add(file_source(folder / "odd.parquet", memory_limit="256MB"), "odd")
        registry.add(file_source(folder / "empty.parquet", memory_limit="256MB"))
    server = ServerThread(create_app(registry, key=KEY), reaper_timeout=None).start()
    session = requests.Session()
    yield f"http://127.0.0.1:{server.port}", session
    session.close()
    server.stop()
    registry.clear()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_answer_is_inside_the_document_on_every_engine(case, live):
    base_url, session = live
    call(case, base_url, session)
