"""Windows selected around themselves (``sortwindow``) equal the same slice of pandas' stable
sort, for every kind of column, at any offset, filtered or not.

The selection changes method with size (sorting a small set outright, partitioning candidates,
guessing brackets from a sample, narrowing twice); ``TINY`` moves those sizes down so that the
small frames Hypothesis draws reach every branch, including guesses that miss.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.frames.sortwindow import Tuning, window_rows
from dtale_lite.frames.source import PandasSource

from tests.frames.test_sortkeys import LARGE, LARGE_SORTS, expected_order, frames, keys_of

# Narrow brackets from small samples: guesses that hit and guesses that miss, on 0-40 rows.
TINY = Tuning(sample=8, narrowed_below=4, sorted_below=0, sigmas=0.0, chunk=3)
SMALLISH = Tuning(sample=16, narrowed_below=12, sorted_below=3, sigmas=0.5, chunk=7)
# Brackets drawn inside the window on purpose: the counts must catch every wrong guess.
MISLED = Tuning(sample=8, narrowed_below=4, sorted_below=0, sigmas=-3.0, chunk=5)


@settings(max_examples=400, deadline=None)
@given(case=frames(), filtered=st.booleans(), offset=st.integers(0, 45),
       limit=st.integers(0, 45), tuning=st.sampled_from([TINY, SMALLISH, MISLED, Tuning()]))
def test_any_window_equals_pandas_stable_sort(case, filtered, offset, limit, tuning):
    frame, sort, keep = case
    rows = np.flatnonzero(keep).astype(np.int64) if filtered else None
    keys = keys_of(PandasSource(frame), sort)
    want = expected_order(frame, sort, rows)
    got = window_rows(keys, rows, len(frame), offset, limit, tuning)
    assert np.array_equal(got, want[offset:offset + limit])


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=1, max_size=80),
       ascending=st.booleans(), offset=st.integers(0, 80), limit=st.integers(1, 10))
def test_runs_of_ties_and_missing_values_at_the_window_edges(values, ascending, offset, limit):
    """Few distinct values, so a window starts and ends inside runs of equal values (and of
    missing ones), which is where a selection that splits a run goes wrong."""
    frame = pd.DataFrame({"v": pd.array(values, dtype="Int64"),
                          "s": pd.Series([None if v is None else f"k{v}" for v in values],
                                         dtype="str"),
                          # missing as a mask over zeros, not as NaN
                          "f": pd.array([None if v is None else v / 2 for v in values],
                                        dtype="Float64")})
    for position in (0, 1, 2):
        keys = keys_of(PandasSource(frame), [(position, ascending)])
        want = expected_order(frame, [(position, ascending)], None)
        for tuning in (TINY, MISLED):
            got = window_rows(keys, None, len(frame), offset, limit, tuning)
            assert np.array_equal(got, want[offset:offset + limit])


@pytest.mark.parametrize("sort", LARGE_SORTS, ids=str)
@pytest.mark.parametrize("filtered", [False, True])
def test_large_columns_at_deep_offsets(sort, filtered):
    """Past the sizes where guesses come from a sample, at offsets through the whole view
    (including windows that end among the missing values)."""
    source = PandasSource(LARGE)
    positions = [(list(LARGE.columns).index(name), ascending) for name, ascending in sort]
    rows = np.flatnonzero(LARGE.i.to_numpy() != 2).astype(np.int64) if filtered else None
    want = expected_order(LARGE, positions, rows)
    keys = keys_of(source, positions)
    total = want.size
    offsets = [0, 1_234, total // 3, total // 2 + 17, int(total * 0.93), total - 150, total - 40]
    for offset in offsets:
        for tuning in (Tuning(), Tuning(chunk=10_000)):  # one slice per pass, and several
            got = window_rows(keys, rows, len(LARGE), offset, 100, tuning)
            assert np.array_equal(got, want[offset:offset + 100]), (offset, tuning)


def test_a_window_past_the_end_is_empty():
    keys = keys_of(PandasSource(LARGE), [(0, True)])
    assert window_rows(keys, None, len(LARGE), len(LARGE), 100).size == 0
    assert window_rows(keys, None, len(LARGE), 10, 0).size == 0
