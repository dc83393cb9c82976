"""Rows ``offset..offset+limit`` of a stable sort, selected around the window.

A page deep in a sorted view needs the rows ranked [a, b), not the b rows before them, and not
the full order (O(rows log rows): 0.11-0.16 s for f1 at 1M rows here, about 2 s at 10M, in
benchmarks/results/page-costs-2026-12-04.txt). Per key, ``_bracket`` finds the run of equal values that holds rank a and the run that holds rank
b - 1: a strided sample guesses two values that bracket those ranks (with a margin of a few
standard errors of a sample quantile), one pass over the column counts the rows before the
lower guess and keeps the rows between the two, the same narrowing runs again on those, and
a partition (numbers) or a sort (strings) of the few left finds the exact runs. A guess that
misses is only slower: every guess is checked against the counts. The runs are whole groups of
ties, so they are ordered by the next keys the same way; the rows between them (fewer than
the window) are sorted outright. O(rows) per key whatever the offset.

The answer is ``stable_order(keys, rows, size)[a:b]``: pandas' ``sort_values(kind="stable",
na_position="last")``, missing values one group after the present ones in either direction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .sortkeys import WINDOW_SAMPLE, NumberKey, stable_order
from .stringkeys import _compare

_EMPTY = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Tuning:
    """Sizes where the selection changes method (tests shrink them to reach every branch
    with small frames)."""
    sample: int = WINDOW_SAMPLE  # values sampled to guess a bracket
    narrowed_below: int = 65_536  # fewer candidates than this are partitioned (sorted) whole
    sorted_below: int = 2_048  # fewer rows than this are simply sorted
    sigmas: float = 4.0  # standard errors of a sampled rank a bracket allows either side
    chunk: int = 1 << 18  # numbers compared per slice (2 MB of float64: its masks stay cached)


DEFAULT = Tuning()


def window_rows(keys, rows: np.ndarray | None, size: int, offset: int, limit: int,
                tuning: Tuning = DEFAULT) -> np.ndarray:
    """Row numbers of rows ``offset..offset+limit`` of the stable sort of ``rows`` (ascending
    row numbers; None: all ``size`` rows) by ``keys``, (key, ascending) pairs."""
    total = size if rows is None else rows.size
    end = min(offset + limit, total)
    if offset >= end:
        return _EMPTY
    return _window(list(keys), rows, size, offset, end, tuning)


def _window(keys, rows, size: int, a: int, b: int, tuning: Tuning) -> np.ndarray:
    if not keys:  # every key tied: row order
        return np.arange(a, b, dtype=np.int64) if rows is None else rows[a:b]
    if (size if rows is None else rows.size) < tuning.sorted_below:
        return stable_order(keys, rows, size)[a:b]
    (key, ascending), rest = keys[0], keys[1:]
    before, low, middle, high = _bracket(key, rows, a, b, ascending, tuning)
    if high is None:  # the whole window lies in one run of equal values
        return _window(rest, low, size, a - before, b - before, tuning)
    parts = [_window(rest, low, size, a - before, low.size, tuning)]
    if middle.size:
        parts.append(stable_order(keys, middle, size))
    parts.append(_window(rest, high, size, 0, b - before - low.size - middle.size, tuning))
    return np.concatenate(parts)


def _bracket(key, rows, a: int, b: int, ascending: bool, tuning: Tuning):
    """(before, low, middle, high): ``low`` the rows of the run of values at rank a, ``before``
    how many rows sort ahead of it, ``high`` the run at rank b - 1 (None when it is ``low``'s),
    ``middle`` the rows between the two runs. Row numbers, each array ascending."""
    column = (_Numbers if isinstance(key, NumberKey) else _Strings)(key, rows, ascending, tuning)
    present = column.present_count
    if a >= present:  # inside the missing values, one run after every present value
        return present, column.missing_rows(), _EMPTY, None
    before, low, middle, high = _runs(column, a, min(b, present))
    if b <= present:
        return before, low, middle, high
    # The window runs on into the missing values: every present row after ``low`` is inside.
    inner = _EMPTY if high is None else np.sort(np.concatenate((middle, high)))
    return before, low, inner, column.missing_rows()


def _runs(column, a: int, b: int):
    """``_bracket`` among the present values, a < b <= present_count."""
    candidates, before, single = column.narrow(a, b)
    if single:  # both guesses fell on one value and its run holds the whole window
        return before, column.rows_of(candidates), _EMPTY, None
    low, middle, high, ahead = column.split_runs(candidates, a - before, b - 1 - before)
    high = None if high is None else column.rows_of(high)
    return before + ahead, column.rows_of(low), column.rows_of(middle), high


def _margin(rank: int, count: int, sampled: int, sigmas: float) -> float:
    share = min(max(rank / count, 0.0), 1.0)
    return sigmas * math.sqrt(sampled * share * (1 - share)) + 2


def _guess_positions(a: int, b: int, count: int, sampled: int,
                     sigmas: float) -> tuple[int | None, int | None]:
    """Positions in the sorted sample of a value likely at or before rank a and one likely at
    or after rank b - 1 (None: no bound on that side)."""
    low = math.floor(a * sampled / count - _margin(a, count, sampled, sigmas))
    high = math.ceil(b * sampled / count + _margin(b, count, sampled, sigmas))
    return (low if low >= 0 else None), (high if high < sampled else None)


class _Narrowing:
    """What numbers and strings share: narrowing the candidates by guessed brackets. A
    subclass gives ``present_count``, ``_between``, ``_sample``, ``_sample_values``,
    ``_equal`` and ``_present_positions``."""

    def narrow(self, a: int, b: int):
        """(candidates, before, single): positions (into the view's rows, ascending) of present
        rows that hold ranks a..b-1 and every row tied with those, how many present rows sort
        before them, and whether they are all one value."""
        candidates, before, count = None, 0, self.present_count
        while count >= self.tuning.narrowed_below:
            guessed = self._guess(candidates, a - before, b - before, count)
            if guessed is None:
                break
            low, high, same = guessed
            found, ahead = self._between(candidates, low, high)
            inside = found.size
            if ahead > a - before or ahead + inside < b - before:
                break  # the sample misled the guess: keep what the earlier passes found
            candidates = found if candidates is None else candidates[found]
            before += ahead
            if same:
                return candidates, before, True
            if inside * 2 > count:
                break  # little left to gain from another pass
            count = inside
        if candidates is None:
            candidates = self._present_positions()
        return candidates, before, False

    def _guess(self, candidates, a: int, b: int, count: int):
        sample = self._sample(candidates)
        if sample is None or len(sample) == 0:
            return None
        sampled = len(sample)
        low_at, high_at = _guess_positions(a, b, count, sampled, self.tuning.sigmas)
        if low_at is None and high_at is None:
            return None
        low, high = self._sample_values(sample, low_at, high_at)
        same = low is not None and high is not None and self._equal(low, high)
        return low, high, same


class _Numbers(_Narrowing):
    def __init__(self, key: NumberKey, rows, ascending: bool, tuning: Tuning):
        self.key, self.rows, self.ascending, self.tuning = key, rows, ascending, tuning
        self.values = key.values if rows is None else key.values[rows]
        missing = key.missing
        self.absent = None if missing is None else (missing if rows is None else missing[rows])
        absent_count = 0 if self.absent is None else int(np.count_nonzero(self.absent))
        self.present_count = self.values.size - absent_count
        self._gathered = (None, self.values)

    def _values_of(self, candidates) -> np.ndarray:
        """The candidates' values, gathered once per set (sampled, then compared)."""
        if candidates is None:
            return self.values
        if self._gathered[0] is not candidates:
            self._gathered = (candidates, self.values[candidates])
        return self._gathered[1]

    def rows_of(self, positions: np.ndarray) -> np.ndarray:
        return positions if self.rows is None else self.rows[positions]

    def missing_rows(self) -> np.ndarray:
        return self.rows_of(np.flatnonzero(self.absent)) if self.absent is not None else _EMPTY

    def _present_positions(self) -> np.ndarray:
        if self.absent is None:
            return np.arange(self.values.size, dtype=np.int64)
        return np.flatnonzero(~self.absent)

    def _oriented(self, values: np.ndarray) -> np.ndarray:
        return self.key._oriented(values, self.ascending)

    def _sample(self, candidates):
        if candidates is None and self.rows is None:
            # A whole column's sample is sorted once and kept on its (cached) key: every later
            # page of a sort by it, either way round, reads its guesses from there.
            ranked = self.key.sorted_sample(self.tuning.sample)
            self._sorted = True
            return ranked if self.ascending else ranked[::-1]
        values = self._values_of(candidates)
        step = max(values.size // self.tuning.sample, 1)
        sample = values[::step]
        if candidates is None and self.absent is not None:
            sample = sample[~self.absent[::step]]
        self._sorted = False
        return self._oriented(sample) if sample.size else None

    def _sample_values(self, sample, low_at, high_at):
        if self._sorted:  # raw values in sort order already
            return (None if low_at is None else sample[low_at],
                    None if high_at is None else sample[high_at])
        kth = [at for at in (low_at, high_at) if at is not None]
        ranked = np.partition(sample, kth)
        # Orienting twice is the identity: back to raw values for comparing with the column.
        low = None if low_at is None else self._oriented(ranked[low_at])
        high = None if high_at is None else self._oriented(ranked[high_at])
        return low, high

    @staticmethod
    def _equal(low, high) -> bool:
        return bool(low == high)

    def _between(self, candidates, low, high):
        """(positions among the candidates of present values from ``low`` to ``high`` in sort
        order, how many present candidates sort before ``low``); one bound may be None.

        By slices of ``tuning.chunk`` values: the masks of a slice stay in the core's cache,
        where masks over the whole column go to memory and back, which costs most while a full
        order is being built on the other core."""
        values = self._values_of(candidates)
        # Candidates are all present; NaN compares False, so NaN-only missing needs no mask.
        absent = None if candidates is not None or self.key.missing_is_nan else self.absent
        count = self.present_count if candidates is None else candidates.size
        found, at_or_after = [], 0
        chunk = self.tuning.chunk
        for start in range(0, values.size, chunk):
            end = start + chunk
            keep, after = self._mask(values[start:end], None if absent is None else
                                     absent[start:end], low, high)
            at_or_after += after
            where = np.flatnonzero(keep)
            if where.size:
                where += start
                found.append(where)
        ahead = 0 if low is None else count - at_or_after
        return (np.concatenate(found) if found else _EMPTY), ahead

    def _mask(self, values, absent, low, high):
        """(mask of present values from low to high, how many present are at or after low)."""
        keep, after = None, 0
        if low is not None:
            keep = values >= low if self.ascending else values <= low
            if absent is not None:
                keep &= ~absent
            after = int(np.count_nonzero(keep))
        if high is not None:
            upto = values <= high if self.ascending else values >= high
            if keep is not None:
                keep &= upto
            else:
                keep = upto if absent is None else upto & ~absent
        return keep, after

    def split_runs(self, candidates, i: int, j: int):
        """Of the candidates (positions), the run at rank i, the rows between, the run at rank
        j (None if the same run), and how many candidates sort before the first run."""
        oriented = self._oriented(self._values_of(candidates))
        ranked = np.partition(oriented, [i, j] if i != j else i)
        low, high = ranked[i], ranked[j]
        ahead = int(np.count_nonzero(oriented < low))
        low_run = candidates[oriented == low]
        if low == high:
            return low_run, _EMPTY, None, ahead
        middle = candidates[(oriented > low) & (oriented < high)]
        return low_run, middle, candidates[oriented == high], ahead


class _Strings(_Narrowing):
    def __init__(self, key, rows, ascending: bool, tuning: Tuning):
        self.key, self.arr, self.rows = key, key.arr, rows
        self.ascending, self.tuning = ascending, tuning
        missing = key.missing
        self.absent = None if missing is None else (missing if rows is None else missing[rows])
        size = len(self.arr) if rows is None else rows.size
        self.size = size
        absent_count = 0 if self.absent is None else int(np.count_nonzero(self.absent))
        self.present_count = size - absent_count

    def rows_of(self, positions: np.ndarray) -> np.ndarray:
        return positions if self.rows is None else self.rows[positions]

    def missing_rows(self) -> np.ndarray:
        return self.rows_of(np.flatnonzero(self.absent)) if self.absent is not None else _EMPTY

    def _present_positions(self) -> np.ndarray:
        if self.absent is None:
            return np.arange(self.size, dtype=np.int64)
        return np.flatnonzero(~self.absent)

    @property
    def _direction(self) -> str:
        return "ascending" if self.ascending else "descending"

    def _frame_rows(self, candidates):
        """Frame row numbers of candidate positions (None: the view's rows, None for all)."""
        if candidates is None:
            return self.rows
        return self.rows_of(candidates)

    def _sample(self, candidates):
        if candidates is None and self.rows is None:  # kept on the key, as for numbers
            ranked = self.key.sorted_sample(self.tuning.sample)
            return ranked if self.ascending else ranked[::-1]
        at = self._frame_rows(candidates)
        total = len(self.arr) if at is None else at.size
        step = max(total // self.tuning.sample, 1)
        picked = np.arange(0, total, step) if at is None else at[::step]
        sample = self.arr.take(pa.array(picked)).drop_null()
        if len(sample) == 0:
            return None
        return sample.take(pc.array_sort_indices(sample, order=self._direction))

    @staticmethod
    def _sample_values(sample, low_at, high_at):
        return (None if low_at is None else sample[low_at],
                None if high_at is None else sample[high_at])

    @staticmethod
    def _equal(low, high) -> bool:
        return low.as_py() == high.as_py()

    def _between(self, candidates, low, high):
        at = self._frame_rows(candidates)
        count = self.present_count if candidates is None else candidates.size
        ascending = self.ascending
        if low is not None:  # null compares False, so missing rows drop out here
            keep = _compare(self.arr, pc.greater_equal if ascending else pc.less_equal, low, at)
            ahead = count - int(np.count_nonzero(keep))
        else:
            ahead = 0
            if candidates is not None:
                keep = np.ones(candidates.size, dtype=bool)
            else:
                keep = np.ones(self.size, dtype=bool) if self.absent is None else ~self.absent
        if high is not None:
            keep &= _compare(self.arr, pc.less_equal if ascending else pc.greater_equal, high, at)
        return np.flatnonzero(keep), ahead

    def split_runs(self, candidates, i: int, j: int):
        at = self.rows_of(candidates)
        # The key's stable radix order, so each run keeps ascending row order.
        order = self.key._order_present(at, self.ascending, lambda: None)
        ranked = self.arr.take(pa.array(at[order]))
        low_run = np.flatnonzero(np.asarray(pc.equal(ranked, ranked[i])))
        first, last = int(low_run[0]), int(low_run[-1]) + 1
        if j < last:
            return candidates[order[first:last]], _EMPTY, None, first
        high_run = np.flatnonzero(np.asarray(pc.equal(ranked, ranked[j])))
        start, end = int(high_run[0]), int(high_run[-1]) + 1
        return (candidates[order[first:last]], np.sort(candidates[order[last:start]]),
                candidates[order[start:end]], first)
