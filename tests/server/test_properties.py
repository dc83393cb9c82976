"""Hypothesis properties of the API as a whole (through the test client)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite import create_app
from dtale_lite.server.registry import Registry

from tests.conftest import small_frame

FRAME = small_frame(150, seed=3)
# A shuffled, non-unique index: the API must report the frame's own labels, not positions.
FRAME.index = np.random.default_rng(1).integers(0, 50, len(FRAME))
FILTERS = {
    None: lambda df: pd.Series(True, index=df.index),
    "f1 > 0": lambda df: df.f1 > 0,
    "i_small != 5": lambda df: df.i_small != 5,
    "f1 is null or i_small <= 2": lambda df: df.f1.isna() | (df.i_small <= 2),
    's_lo in ["cat_01", "cat_03"]': lambda df: df.s_lo.isin(["cat_01", "cat_03"]),
    'not (cat == "region_1") and flag == true': lambda df: (df.cat != "region_1") & df.flag,
    'ts >= "2021-06-01"': lambda df: df.ts >= pd.Timestamp("2021-06-01"),
    's_lo contains "_0"': lambda df: df.s_lo.str.contains("_0", regex=False).fillna(False)
    .astype(bool),
}
SORTABLE = ["id", "i_small", "f1", "s_lo", "cat", "ts", "flag"]


@pytest.fixture(scope="module")
def client():
    registry = Registry()
    registry.add(FRAME, "p")
    client = create_app(registry, key="k").test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = "k"
    return client


sorts = st.lists(st.tuples(st.sampled_from(SORTABLE), st.sampled_from(["asc", "desc"])),
                 max_size=3, unique_by=lambda item: item[0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sort=sorts, filter_text=st.sampled_from(list(FILTERS)),
       offset=st.integers(0, 170), limit=st.integers(0, 60),
       columns=st.lists(st.sampled_from(list(FRAME.columns)), min_size=1, max_size=4,
                        unique=True))
def test_any_window_of_any_view_equals_pandas(client, sort, filter_text, offset, limit, columns):
    params = {"offset": offset, "limit": limit, "columns": json.dumps(columns)}
    if sort:
        params["sort"] = json.dumps([list(s) for s in sort])
    if filter_text:
        params["filter"] = filter_text
    body = client.get("/api/frames/p/rows", query_string=params).get_json()

    expected = FRAME[FILTERS[filter_text](FRAME).to_numpy()]
    if sort:
        expected = expected.sort_values([c for c, _ in sort],
                                        ascending=[d == "asc" for d, in [(d,) for _, d in sort]],
                                        kind="stable", na_position="last")
    window = expected.iloc[offset:offset + limit]
    assert body["total"] == len(expected)
    assert body["index"] == window.index.tolist()
    assert body["columns"] == columns
    got = pd.DataFrame(body["data"], columns=columns)
    for name in columns:
        want = window[name]
        if name == "ts":
            want = want.map(lambda v: v.isoformat())
        want = [None if pd.isna(v) else v for v in want.astype(object)]
        assert got[name].astype(object).where(got[name].notna(), None).tolist() == want


PIECES = ["f1", "s_lo", "`my col`", "__import__", "os", "system", "(", ")", "[", "]", ",",
          "==", "!=", ">", "and", "or", "not", "in", "is", "null", "contains", '"x"', "'y'",
          "1", "-2.5e3", "true", ";", "@", "lambda", ".", "`", '"', "\\", "eval", "exec"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=60),
                      st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join)))
def test_no_filter_string_crashes_the_server_or_runs_code(client, text, monkeypatch_builtins):
    monkeypatch_builtins.clear()
    response = client.get("/api/frames/p/rows", query_string={"filter": text, "limit": 5})
    evaluated = list(monkeypatch_builtins)
    assert response.status_code in (200, 400), (text, response.get_json())
    body = response.get_json()
    assert body["ok"] is (response.status_code == 200)
    if response.status_code == 400:
        assert body["status"] == 400 and body["error"]
    assert evaluated == []  # no eval/exec at all while a request was served


@pytest.fixture(scope="module")
def monkeypatch_builtins():
    """Record any call of eval/exec made while the property runs (there must be none)."""
    import builtins

    calls = []
    saved = builtins.eval, builtins.exec

    def spy(name, original):
        def wrapper(*args, **kwargs):
            calls.append((name, str(args[:1])[:200]))
            return original(*args, **kwargs)
        return wrapper

    builtins.eval, builtins.exec = spy("eval", saved[0]), spy("exec", saved[1])
    yield calls
    builtins.eval, builtins.exec = saved
