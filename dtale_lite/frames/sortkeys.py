"""Sort keys of any column kind, a stable multi-column order, and the top rows of a sort.

A sorted view's first page needs only its first rows: ``sorted_window`` selects the rows that
sort into ``[0, offset + limit)`` by a partition per key (numpy's introselect, O(rows)) and
sorts just those, instead of sorting every row first. The full order (``stable_order``) is
built by the caller in the background and used for later pages.

Both give exactly what pandas gives for ``sort_values(kind="stable", na_position="last")``:
ties keep row order, and missing values come last in ascending and descending sorts alike
(they form one group of equal values, ordered by the next key, then by row).

A key is one column seen as numbers: ints, floats, bools, dates (int64 ticks) and category
codes as they are; strings as 4-byte digits (see ``stringkeys``). Keys do not depend on the
direction, so one key object (cached per column) serves ascending and descending sorts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .sorting import stable_argsort
from .stringkeys import (StringDigits, as_arrow_strings, radix_order, split_guessed,
                         split_top)


_SAMPLE = 32_768  # sample size for guessing a top-k threshold
_SAMPLED_ABOVE = 65_536  # smaller columns are partitioned whole
WINDOW_SAMPLE = 32_768  # sample size for guessing the values around a window (sortwindow)


def _no_check() -> None:
    return None


def _take(values: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    return values if rows is None else values[rows]


def _positions(mask: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    where = np.flatnonzero(mask)
    return where if rows is None else rows[where]


class _Key:
    """What numbers and strings share: the missing rows, split off before anything else."""

    missing: np.ndarray | None = None

    def _present(self, rows: np.ndarray | None):
        """(present rows, missing rows, present mask over ``rows`` or None if all present)."""
        if self.missing is None:
            return (np.arange(self.size, dtype=np.int64) if rows is None else rows), None, None
        absent = _take(self.missing, rows)
        return _positions(~absent, rows), _positions(absent, rows), ~absent

    def split(self, rows: np.ndarray | None, k: int, ascending: bool):
        """(before, tied) among ``rows`` (ascending row numbers; None for all, more than k):
        ``before`` sort strictly before the k-th row of the sort and ``tied`` equal it, so
        len(before) < k <= len(before) + len(tied). Both in ascending row order."""
        absent = None if self.missing is None else _take(self.missing, rows)
        size = self.size if rows is None else rows.size
        if absent is not None and size - int(np.count_nonzero(absent)) < k:
            # every value is in; the k-th row is a missing one
            return _positions(~absent, rows), _positions(absent, rows)
        return self._split_present(rows, absent, k, ascending)

    def sort(self, order: np.ndarray, ascending: bool, check=_no_check) -> np.ndarray:
        """``order`` (row numbers) reordered stably by this key, missing values last."""
        present, absent, keep = self._present(order)
        if keep is None:
            present = order
        perm = self._order_present(present, ascending, check)
        ordered = present[perm]
        return ordered if absent is None else np.concatenate((ordered, absent))


class NumberKey(_Key):
    """Ints, uints, floats, bools, int64 ticks of dates, category codes (missing: a mask)."""

    cost_kind = "number"  # what pagecost's model knows it by

    def __init__(self, values: np.ndarray, missing: np.ndarray | None):
        if values.dtype.kind == "b":
            values = values.view(np.uint8)
        # Missing exactly where NaN: comparisons leave those rows out on their own.
        self.missing_is_nan = values.dtype.kind == "f" and missing is None
        if values.dtype.kind == "f":
            nan = np.isnan(values)
            missing = nan if missing is None else (missing | nan)
        self.values = values
        self.missing = missing if missing is not None and missing.any() else None
        self.size = values.size
        # What the cache should count: arrays made here, not views of the user's frame.
        self.nbytes = (0 if self.missing is None else self.missing.nbytes) + \
            (values.nbytes if values.flags.owndata else 0)
        self._sorted_sample: np.ndarray | None = None
        # The cache counts a value's bytes when it stores it, so the sample this key may keep
        # later (at most 2 x WINDOW_SAMPLE values) is counted now.
        self.nbytes += min(self.size, 2 * WINDOW_SAMPLE) * values.itemsize

    def sorted_sample(self, size: int = WINDOW_SAMPLE) -> np.ndarray:
        """About ``size`` present values (a strided sample), sorted ascending; computed once
        for the default size (``sortwindow`` guesses the values at any rank from it)."""
        if size == WINDOW_SAMPLE and self._sorted_sample is not None:
            return self._sorted_sample
        step = max(self.size // size, 1)
        sample = self.values[::step]
        if self.missing is not None:
            sample = sample[~self.missing[::step]]
        sample = np.sort(sample)
        if size == WINDOW_SAMPLE:
            self._sorted_sample = sample
        return sample

    def _oriented(self, values: np.ndarray, ascending: bool) -> np.ndarray:
        """The values turned so that smaller always comes first."""
        if ascending:
            return values
        return -values if values.dtype.kind == "f" else ~values  # ~x cannot overflow

    def _split_present(self, rows, absent, k, ascending):
        values = _take(self.values, rows)
        candidates = None
        guess = self._guess(values, absent, k, ascending)
        if guess is not None:
            # One comparison pass narrows millions of rows to the few that can make the top
            # k; a partition (a copy and a select over every row) only runs on those.
            at_most = (values <= guess) if ascending else (values >= guess)
            if absent is not None:
                at_most &= ~absent
            if np.count_nonzero(at_most) >= k:
                ahead = (values < guess) if ascending else (values > guess)
                if absent is not None:
                    ahead &= ~absent
                if np.count_nonzero(ahead) < k:  # the k-th value is the guess itself
                    at_most &= ~ahead
                    return _positions(ahead, rows), _positions(at_most, rows)
                candidates = np.flatnonzero(at_most)
        if candidates is None:
            candidates = (np.arange(values.size, dtype=np.int64) if absent is None
                          else np.flatnonzero(~absent))
        oriented = self._oriented(values[candidates], ascending)
        threshold = np.partition(oriented, k - 1)[k - 1]
        before = candidates[oriented < threshold]
        tied = candidates[oriented == threshold]
        return (before, tied) if rows is None else (rows[before], rows[tied])

    def _guess(self, values, absent, k, ascending):
        """A value that likely has a few times k values at or before it (from a strided
        sample), as a raw value; None when the column is small. Only a hint: the caller
        checks it."""
        if values.size < _SAMPLED_ABOVE or k * 16 > values.size:
            return None
        step = values.size // _SAMPLE
        sample = values[::step]
        if absent is not None:
            sample = sample[~absent[::step]]
        if sample.dtype.kind == "f":
            sample = sample[~np.isnan(sample)]
        if sample.size == 0:
            return None
        at = min(sample.size - 1, int(k * sample.size / values.size * 4) + 8)
        oriented = np.partition(self._oriented(sample, ascending), at)[at]
        return self._oriented(oriented, ascending)  # orienting twice is the identity

    def _order_present(self, present, ascending, check):
        values = self.values[present]
        if values.size < 2:
            return np.arange(values.size, dtype=np.int64)
        if values.dtype.kind in "iu":
            low, high = int(values.min()), int(values.max())
            bits = max(int(values.size - 1).bit_length(), 1)
            if (high - low) < (1 << (62 - bits)):
                # A small range (codes, flags, counts): pack (value, position) into one int64
                # and sort that; the keys are unique, so the fast unstable sort is stable.
                if values.dtype == np.uint64:  # may not fit int64; the differences do
                    shifted = (values - np.uint64(low)).astype(np.int64)
                else:
                    shifted = values.astype(np.int64) - low
                packed = shifted if ascending else (high - low) - shifted
                packed <<= bits
                packed |= np.arange(values.size, dtype=np.int64)
                packed.sort()
                packed &= np.int64((1 << bits) - 1)
                return packed
        return stable_argsort(values, ascending)


class StringKey(_Key):
    """Strings (Arrow-backed), ordered by code point like Python and pandas."""

    cost_kind = "string"

    def __init__(self, arr, owned: bool = False):
        self.arr = arr
        self.size = len(arr)
        self.missing = np.asarray(arr.is_null()) if arr.null_count else None
        self.nbytes = 0 if self.missing is None else self.missing.nbytes
        if owned:
            self.nbytes += arr.nbytes  # built here (object columns' text), not the frame's
        self._digits = None
        self._sorted_sample = None
        # Counted now, as NumberKey's: a sample of short strings, ~1 MB at most in practice.
        self.nbytes += min(self.size, 2 * WINDOW_SAMPLE) * 16

    def sorted_sample(self, size: int = WINDOW_SAMPLE):
        """About ``size`` present strings (a strided sample), an Arrow array sorted ascending;
        kept for the default size, as ``NumberKey.sorted_sample``."""
        if size == WINDOW_SAMPLE and self._sorted_sample is not None:
            return self._sorted_sample
        import pyarrow as pa
        import pyarrow.compute as pc

        step = max(self.size // size, 1)
        sample = self.arr.take(pa.array(np.arange(0, self.size, step))).drop_null()
        sample = sample.take(pc.array_sort_indices(sample))
        if size == WINDOW_SAMPLE:
            self._sorted_sample = sample
        return sample

    @property
    def digits(self) -> StringDigits:
        # Built on the first full order, not the first page: the page does not need them.
        if self._digits is None:
            self._digits = StringDigits(self.arr)
        return self._digits

    def _split_present(self, rows, absent, k, ascending):
        present = rows if absent is None else _positions(~absent, rows)
        split = split_guessed(self.arr, present, k, not ascending)
        if split is not None:
            return split
        if present is None:
            present = np.arange(self.size, dtype=np.int64)
        return split_top(self.arr, present, k, not ascending)

    def _order_present(self, present, ascending, check):
        return radix_order(self.digits, present, not ascending, check)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str | None:
    return None if _is_missing(value) else str(value)


def key_for(series: pd.Series, kind: str):
    """The sort key of a column (positional index), or None when it has no fast key (complex
    numbers, Arrow-backed dates, ...): those sort through pandas."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        return NumberKey(codes, codes < 0)  # pandas orders categories by code
    if kind == "object":
        # Mixed Python objects do not compare with each other (str < int raises), so object
        # columns sort by their text; missing values stay missing so they still go last.
        import pyarrow as pa

        return StringKey(pa.array([_text(v) for v in series.array], type=pa.large_string()),
                         owned=True)
    if kind == "string":
        try:
            return StringKey(as_arrow_strings(series.array))
        except (TypeError, ValueError, ArithmeticError, LookupError):
            return None
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iufb":
            return NumberKey(series.to_numpy(), None)
        if dtype.kind in "mM":
            values = series.to_numpy().view(np.int64)
            return NumberKey(values, values == np.iinfo(np.int64).min)  # NaT
        return None
    if kind in ("datetime", "timedelta") and hasattr(series.array, "asi8"):
        values = series.array.asi8  # tz-aware dates: ticks in UTC order the same
        return NumberKey(values, values == np.iinfo(np.int64).min)
    if kind in ("int", "float", "bool") and not ptypes.is_complex_dtype(dtype):
        missing = series.isna().to_numpy(dtype=bool)
        target = {"int": np.int64, "float": np.float64, "bool": np.bool_}[kind]
        if ptypes.is_unsigned_integer_dtype(dtype):
            target = np.uint64
        try:
            return NumberKey(series.to_numpy(dtype=target, na_value=0), missing)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def stable_order(keys, rows: np.ndarray | None, size: int, check=_no_check) -> np.ndarray:
    """Row numbers of ``rows`` (ascending; None: all ``size`` rows) in stable sorted order.

    ``keys`` are (key, ascending) pairs, most significant first. An LSD composition: sorting
    stably by each key from the last to the first sorts by all of them.
    """
    order = np.arange(size, dtype=np.int64) if rows is None else rows
    for key, ascending in reversed(keys):
        check()
        order = key.sort(order, ascending, check)
    return order


def top_rows(keys, rows: np.ndarray | None, size: int, k: int) -> np.ndarray:
    """The row numbers (ascending) of the first ``k`` rows of the stable sort of ``rows``."""
    total = size if rows is None else rows.size
    if total <= k:
        return np.arange(size, dtype=np.int64) if rows is None else rows
    chosen = []
    candidates = rows
    for key, ascending in keys:
        before, candidates = key.split(candidates, k, ascending)
        chosen.append(before)
        k -= before.size
        if candidates.size <= k:
            break
    else:
        candidates = candidates[:k]  # tied on every key: the first rows win
    chosen.append(candidates)
    return np.sort(np.concatenate(chosen))


def sorted_window(keys, rows: np.ndarray | None, size: int, offset: int,
                  limit: int) -> np.ndarray:
    """Rows ``offset..offset+limit`` of the stable sort of ``rows``, from a partial selection:
    O(rows) per key plus a sort of ``offset + limit`` rows."""
    total = size if rows is None else rows.size
    end = min(offset + limit, total)
    if offset >= end:
        return np.empty(0, dtype=np.int64)
    head = top_rows(keys, rows, size, end)
    return stable_order(keys, head, size)[offset:end]
