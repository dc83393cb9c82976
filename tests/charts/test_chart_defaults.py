"""The chart shown when none is asked for (issue 14, part 4): the first numeric or date column
that is not a row key (an id's histogram is a flat block), and a note on the chart saying why."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dtale_lite.charts.service import Charts, is_row_key
from dtale_lite.charts.spec import default_spec
from dtale_lite.frames.source import PandasSource
from dtale_lite.server.registry import Registry
from tests.conftest import small_frame

N = 1_000
rng = np.random.default_rng(7)


def _column(values) -> bool:
    source = PandasSource(pd.DataFrame({"c": values}))
    return is_row_key(source, None, source.columns()[0], len(values))


@pytest.mark.parametrize("values, key", [
    (np.arange(N), True),                                   # 0..n-1
    (rng.permutation(N), True),                             # the same, shuffled
    (np.arange(N) * 5 + 100, True),                         # every 5th number
    (pd.date_range("2024-01-01", periods=N, freq="D"), True),   # one row per day
    (pd.date_range("2024-01-01", periods=N, freq="h", tz="Europe/Paris"), True),
    (rng.integers(0, 1_000, N), False),                     # uniform ints: not unique
    (np.r_[np.arange(N - 1), N + 5], False),                # unique, not evenly spaced
    (np.r_[0, 2, np.arange(2, N)], False),                  # span and step fit; 2 twice
    (np.r_[0, 2, np.arange(2, N - 2), N - 3, N - 1], False),  # ... and the mean too
    (pd.array(list(range(N - 1)) + [None], dtype="Int64"), False),  # a missing value
    (np.zeros(N, dtype=int), False),                        # constant
    (np.arange(2), False),                                  # too few rows to say
])
def test_a_row_key_is_complete_unique_and_evenly_spaced(values, key):
    assert _column(values) is key


def _spec(frame):
    source = PandasSource(frame)
    rows = len(frame)
    return default_spec(source.columns(), lambda c: is_row_key(source, None, c, rows))


def test_the_default_skips_row_keys_and_says_so():
    frame = small_frame(500).assign(day=pd.date_range("2024-01-01", periods=500, freq="D"))
    spec = _spec(frame[["id", "day", "i_small", "f1", "s_lo"]])
    assert (spec.type, spec.x) == ("histogram", "i_small")
    assert "'id', 'day'" in spec.why and "row key" in spec.why


@pytest.mark.parametrize("columns, expected", [
    (["f1", "id"], ("histogram", "f1")),          # a float is never a key
    (["id", "s_lo", "cat"], ("bar", "s_lo")),     # only keys among numbers: a category
    (["id"], ("histogram", "id")),                # nothing else: the key, saying so
    (["ts", "id"], ("histogram", "ts")),          # random timestamps are worth a histogram
])
def test_the_default_for_each_shape_of_frame(columns, expected):
    spec = _spec(small_frame(300)[columns])
    assert (spec.type, spec.x) == expected
    assert spec.why.startswith("Default chart:")


def test_the_route_draws_the_default_with_its_note(client, registry):
    registry.add(small_frame(400), name="d")
    body = client.get("/api/frames/d/chart").get_json()
    assert body["ok"] and body["note"].startswith("Default chart: the histogram of 'i_small'")
    assert "'id'" in body["note"]
    title = body["figure"]["layout"]["annotations"][0]["text"]
    assert title == body["note"]


def test_the_default_is_judged_once_per_frame_version():
    registry = Registry()
    charts = Charts(registry)
    registry.add(small_frame(300), name="d")
    first = charts.default_spec("d")
    assert charts.default_spec("d") is first          # cached
    registry.update("d", small_frame(300)[["f1", "id"]])
    assert charts.default_spec("d").x == "f1"         # a new version is judged again
