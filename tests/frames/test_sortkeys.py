"""Partial selection and the radix/LSD full order equal pandas' stable sort, for every kind.

The grid's semantics: ``sort_values(kind="stable", na_position="last")`` whatever the direction,
object columns ordered by their text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.frames.source import PandasSource
from dtale_lite.frames.sortkeys import sorted_window, stable_order, top_rows
from dtale_lite.frames.stringkeys import StringDigits, as_arrow_strings, radix_order

# Few distinct values per column, so that ties (what a careless selection gets wrong) abound.
WORDS = ["", "a", "ab", "a\x00", "a\x00b", "b", "é", "日本", "zzzzzzzzz", "user_1", "user_10",
         "x" * 70, "x" * 70 + "a"]
STAMPS = pd.to_datetime(["2020-01-01 00:00", "2021-06-01 12:00", "1999-12-31 00:00"])


def column(kind: str, draw_codes: np.ndarray, missing: np.ndarray) -> pd.Series:
    n = draw_codes.size
    if kind == "int":
        return pd.Series(draw_codes * 3 - 4, dtype=np.int64)
    if kind == "uint":
        return pd.Series((draw_codes * (2**62)).astype(np.uint64))
    if kind == "float":
        values = np.array([0.0, -0.0, 1.5, -np.inf, np.inf, -2.0])[draw_codes % 6]
        values[missing] = np.nan
        return pd.Series(values)
    if kind == "bool":
        return pd.Series(draw_codes % 2 == 0)
    if kind == "nullable":
        return pd.Series(pd.array(np.where(missing, None, draw_codes % 3), dtype="Int64"))
    if kind == "string":
        values = [None if m else WORDS[c % len(WORDS)] for c, m in zip(draw_codes, missing)]
        return pd.Series(values, dtype="str")
    if kind == "category":
        values = [None if m else f"c{c % 4}" for c, m in zip(draw_codes, missing)]
        return pd.Series(pd.Categorical(values, categories=["c3", "c1", "c0", "c2"]))
    if kind == "datetime":
        values = pd.Series(STAMPS[draw_codes % 3])
        values[missing] = pd.NaT
        return values
    if kind == "datetimetz":
        values = pd.Series(STAMPS[draw_codes % 3]).dt.tz_localize("Europe/Paris")
        values[missing] = pd.NaT
        return values
    if kind == "timedelta":
        values = pd.Series(pd.to_timedelta(draw_codes % 4 - 1, unit="h"))
        values[missing] = pd.NaT
        return values
    if kind == "object":
        pool = [1, "b", 2.5, None, ("t", 1), "a"]
        return pd.Series([pool[c % len(pool)] for c in draw_codes], dtype=object)
    if kind == "allna":
        return pd.Series([np.nan] * n)
    raise AssertionError(kind)


KINDS = ["int", "uint", "float", "bool", "nullable", "string", "category", "datetime",
         "datetimetz", "timedelta", "object", "allna"]


@st.composite
def frames(draw):
    n = draw(st.integers(0, 40))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True))
    data = {}
    for kind in kinds:
        codes = np.array(draw(st.lists(st.integers(0, 20), min_size=n, max_size=n)), dtype=np.int64)
        missing = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        data[kind] = column(kind, codes, missing)
    frame = pd.DataFrame(data)
    sort = [(i, draw(st.booleans())) for i in draw(st.permutations(range(len(kinds))))]
    sort = sort[:draw(st.integers(1, len(sort)))]
    keep = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return frame, sort, keep


def expected_order(frame: pd.DataFrame, sort, rows: np.ndarray | None) -> np.ndarray:
    """pandas' stable sort with the grid's semantics (object columns by their text)."""
    table = frame.reset_index(drop=True)
    if rows is not None:
        table = table.iloc[rows]
    by = {}
    for position, _ in sort:
        series = table.iloc[:, position]
        if series.dtype == object:
            series = series.map(lambda v: None if v is None else str(v)).astype("str")
        by[position] = series
    keyed = pd.DataFrame(by, index=table.index)
    ordered = keyed.sort_values(by=[p for p, _ in sort], ascending=[a for _, a in sort],
                                kind="stable", na_position="last")
    return ordered.index.to_numpy(dtype=np.int64)


def keys_of(source: PandasSource, sort):
    keys = [(source.sort_key(position), ascending) for position, ascending in sort]
    assert all(key is not None for key, _ in keys)
    return keys


@settings(max_examples=300, deadline=None)
@given(case=frames(), filtered=st.booleans(), offset=st.integers(0, 45),
       limit=st.integers(0, 45))
def test_any_window_equals_pandas_stable_sort(case, filtered, offset, limit):
    frame, sort, keep = case
    rows = np.flatnonzero(keep).astype(np.int64) if filtered else None
    source = PandasSource(frame)
    keys = keys_of(source, sort)
    want = expected_order(frame, sort, rows)
    assert np.array_equal(stable_order(keys, rows, len(frame)), want)
    got = sorted_window(keys, rows, len(frame), offset, limit)
    assert np.array_equal(got, want[offset:offset + limit])


@settings(max_examples=100, deadline=None)
@given(case=frames(), k=st.integers(1, 45))
def test_top_rows_are_the_first_k_of_the_sort(case, k):
    frame, sort, _ = case
    source = PandasSource(frame)
    top = top_rows(keys_of(source, sort), None, len(frame), k)
    assert np.array_equal(top, np.sort(expected_order(frame, sort, None)[:k]))


texts = st.lists(st.one_of(st.none(), st.text(max_size=12), st.sampled_from(WORDS)),
                 max_size=60)


@settings(max_examples=200, deadline=None)
@given(values=texts, descending=st.booleans())
def test_radix_order_of_strings_equals_python_order(values, descending):
    arr = as_arrow_strings(pd.Series(values, dtype="str").array)
    present = np.flatnonzero(np.asarray(arr.is_valid())).astype(np.int64)
    perm = radix_order(StringDigits(arr), present, descending)
    got = [values[i] for i in present[perm]]
    want = sorted((values[i] for i in present), reverse=descending)
    if descending:  # a stable descending sort keeps row order among equal strings
        want = [values[i] for i in sorted(present, key=lambda i: values[i], reverse=True)]
    assert got == want


def test_strings_longer_than_the_radix_limit_sort_through_arrow():
    values = ["b" * 80, "a" * 80 + "z", "a" * 80, "a" * 80 + "z", "c"]
    arr = as_arrow_strings(pd.Series(values, dtype="str").array)
    perm = radix_order(StringDigits(arr), np.arange(5, dtype=np.int64), False)
    assert perm.tolist() == [2, 1, 3, 0, 4]


def test_empty_frame_and_all_missing_column():
    source = PandasSource(pd.DataFrame({"s": pd.Series([], dtype="str"),
                                        "f": pd.Series([], dtype=float)}))
    keys = keys_of(source, [(0, True), (1, False)])
    assert stable_order(keys, None, 0).size == 0
    assert sorted_window(keys, None, 0, 0, 10).size == 0
    allna = PandasSource(pd.DataFrame({"s": pd.Series([None] * 5, dtype="str")}))
    assert sorted_window(keys_of(allna, [(0, False)]), None, 5, 1, 3).tolist() == [1, 2, 3]


def large_frame(n: int = 80_000) -> pd.DataFrame:
    """Past the size where selection first guesses a threshold from a sample."""
    rng = np.random.default_rng(5)
    f = rng.standard_normal(n)
    f[rng.random(n) < 0.1] = np.nan
    s_hi = pd.Series([f"user_{v}" for v in rng.integers(0, n // 2, n)], dtype="str")
    s_hi[rng.random(n) < 0.05] = None
    ts = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 50, n), unit="D"))
    ts[rng.random(n) < 0.05] = pd.NaT
    return pd.DataFrame({
        "f": f, "i": rng.integers(0, 5, n), "flag": rng.random(n) < 0.3, "s_hi": s_hi,
        "s_lo": pd.Series([f"k{v}" for v in rng.integers(0, 30, n)], dtype="str"), "ts": ts,
        "cat": pd.Categorical(np.where(rng.random(n) < 0.05, None,
                                       [f"c{v}" for v in rng.integers(0, 7, n)])),
        "big": rng.integers(-(2**40), 2**40, n)})


LARGE = large_frame()
LARGE_SORTS = [[("f", True)], [("f", False)], [("s_hi", True)], [("s_hi", False)],
               [("flag", True), ("s_lo", False), ("f", True)], [("ts", False), ("i", True)],
               [("cat", False), ("big", True)], [("i", True), ("s_hi", False)],
               [("s_lo", True), ("cat", True), ("ts", True)]]


@pytest.mark.parametrize("sort", LARGE_SORTS, ids=str)
@pytest.mark.parametrize("filtered", [False, True])
def test_large_columns_select_like_pandas(sort, filtered):
    source = PandasSource(LARGE)
    positions = [(list(LARGE.columns).index(name), ascending) for name, ascending in sort]
    rows = np.flatnonzero(LARGE.i.to_numpy() != 2).astype(np.int64) if filtered else None
    want = expected_order(LARGE, positions, rows)
    keys = keys_of(source, positions)
    for offset, limit in ((0, 100), (37, 50), (2_000, 100)):
        assert np.array_equal(sorted_window(keys, rows, len(LARGE), offset, limit),
                              want[offset:offset + limit])
    assert np.array_equal(stable_order(keys, rows, len(LARGE)), want)
