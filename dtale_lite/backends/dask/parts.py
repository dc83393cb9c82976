"""What the Dask backend runs on the cluster's workers: functions of one pandas partition.

Every function here takes a partition (a pandas DataFrame, as Dask hands it to a task) and
returns something small: row positions, a window of rows, a sorted run of sort keys, a count.
They reuse the pandas backend's own code (``PandasSource.filter_mask``, ``sortkeys``), so a
filter or a sort means on a partition exactly what it means on a pandas frame. Workers import
this module by name: dtale_lite must be installed on every worker (see notes/readme-dask.md).

Rows are global positions: the partition's offset in the frame plus the position inside it.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import total_ordering

import numpy as np
import pandas as pd

from ...frames.sortkeys import sorted_window, stable_order
from ...frames.source import PandasSource, _is_missing
from .order import stride_for

TEXT_KINDS = ("string", "object")


# -- the frame as the backend sees it -------------------------------------------------------
def categories_as_text(part: pd.DataFrame, positions: list[int]) -> pd.DataFrame:
    """Categorical columns at ``positions`` as text: used for categories Dask does not know
    (each partition may then have its own, so codes would not compare across partitions)."""
    part = part.copy(deep=False)
    for position in positions:
        part.isetitem(position, part.iloc[:, position].astype("string"))
    return part


# -- filters and windows ------------------------------------------------------------------
def kept_positions(part: pd.DataFrame, node) -> np.ndarray | None:
    """Positions inside ``part`` of the rows the filter keeps, ascending (None: all rows)."""
    if node is None:
        return None
    return np.flatnonzero(PandasSource(part).filter_mask(node)).astype(np.int64, copy=False)


def kept_count(part: pd.DataFrame, kept: np.ndarray | None) -> int:
    return len(part) if kept is None else int(kept.size)


def take_rows(part: pd.DataFrame, kept: np.ndarray | None, start: int, stop: int,
              columns: list[int]) -> pd.DataFrame:
    """Rows start..stop of the partition's kept rows, ``columns`` only (index kept)."""
    rows = np.arange(start, min(stop, len(part)), dtype=np.int64) if kept is None \
        else kept[start:stop]
    return part.iloc[rows, columns]


def take_positions(part: pd.DataFrame, positions: np.ndarray, columns: list[int]):
    return part.iloc[positions, columns]


def filtered(part: pd.DataFrame, node, columns: list[int] | None = None) -> pd.DataFrame:
    """The partition's rows the filter keeps (``columns`` only, when given)."""
    kept = kept_positions(part, node)
    picked = part if columns is None else part.iloc[:, columns]
    return picked if kept is None else picked.iloc[kept]


# -- sort keys comparable across partitions -------------------------------------------------
@total_ordering
class Descending:
    """A text value that sorts in reverse (numbers are negated instead)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other) -> bool:
        return self.value == other.value

    def __lt__(self, other) -> bool:
        return other.value < self.value

    def __hash__(self) -> int:
        return hash(self.value)


def sort_arrays(series: pd.Series, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(missing, values) of one column as the sort sees it: numbers (ints, floats, bools,
    date and duration ticks, category codes) or text (strings, objects by their text)."""
    if kind == "category":
        codes = series.cat.codes.to_numpy().astype(np.int64)
        return codes < 0, np.where(codes < 0, 0, codes)
    if kind in ("datetime", "timedelta"):
        index = pd.DatetimeIndex(series) if kind == "datetime" else pd.TimedeltaIndex(series)
        missing = np.asarray(index.isna())
        return missing, np.where(missing, 0, index.asi8)  # tz-aware: UTC ticks, the instant
    if kind in TEXT_KINDS:
        if kind == "object":
            series = series.map(lambda v: None if _is_missing(v) else str(v))
        missing = series.isna().to_numpy()
        values = series.to_numpy(dtype=object, na_value="")
        return missing, values
    dtype = series.dtype
    if kind == "float" or getattr(dtype, "kind", "f") == "f":
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        return missing, np.where(missing, 0.0, values)
    target = np.uint64 if getattr(dtype, "kind", "") == "u" else np.int64
    missing = series.isna().to_numpy()
    return missing, series.to_numpy(dtype=target, na_value=0)


def key_tuples(missing: list, values: list, rows: np.ndarray, ascending: list[bool],
               textual: list[bool]) -> list[tuple]:
    """One Python tuple per row that orders rows exactly as the view's sort: per key
    (0, value) or (1,) for missing (last in both directions), then the global row."""
    columns = []
    for m, v, asc, text in zip(missing, values, ascending, textual):
        flags, items = m.tolist(), v.tolist()
        if asc:
            columns.append([(1,) if f else (0, x) for f, x in zip(flags, items)])
        elif text:
            columns.append([(1,) if f else (0, Descending(x)) for f, x in zip(flags, items)])
        else:
            columns.append([(1,) if f else (0, -x) for f, x in zip(flags, items)])
    return list(zip(*columns, rows.tolist()))


def _order(part: pd.DataFrame, kept: np.ndarray | None, keys, head: int | None) -> np.ndarray:
    """Positions in ``part`` of its kept rows in the view's order (the first ``head``)."""
    source = PandasSource(part)
    fast = [source.sort_key(p) for p, _ in keys]
    if all(k is not None for k in fast):
        pairs = [(k, asc) for k, (_, asc) in zip(fast, keys)]
        if head is not None:
            return sorted_window(pairs, kept, len(part), 0, head)
        return stable_order(pairs, kept, len(part))
    order = source.sort_order(keys)
    if kept is not None:
        mask = np.zeros(len(part), dtype=bool)
        mask[kept] = True
        order = order[mask[order]]
    return order if head is None else order[:head]


def _arrays_size(arrays) -> int:
    from dask.sizeof import sizeof

    return int(sum(sizeof(a) for a in arrays))


class Keys:
    """Some rows' sort keys as arrays: compact to send back, turned into tuples here."""

    def __init__(self, missing, values, rows, ascending, textual):
        self.missing, self.values, self.rows = missing, values, rows
        self.ascending, self.textual = ascending, textual

    def __len__(self) -> int:
        return int(self.rows.size)

    def __sizeof__(self) -> int:  # what dask.sizeof (memory accounting) sees
        return _arrays_size(self.missing + self.values + [self.rows])

    def tuples(self) -> list[tuple]:
        return key_tuples(self.missing, self.values, self.rows, self.ascending, self.textual)


class Run:
    """One partition's kept rows in the view's order: their sort arrays and global rows.
    Kept on the cluster; pages deeper than the top-k are found by searching runs."""

    def __init__(self, part, kept, keys, kinds, offset: int, head: int | None = None):
        order = _order(part, kept, keys, head)
        self.ascending = [asc for _, asc in keys]
        self.textual = [kind in TEXT_KINDS for kind in kinds]
        arrays = [sort_arrays(part.iloc[order, p], kind) for (p, _), kind in zip(keys, kinds)]
        self.missing = [m for m, _ in arrays]
        self.values = [v for _, v in arrays]
        self.positions = order
        self.rows = order + offset
        self.size = int(order.size)

    def __sizeof__(self) -> int:  # the cluster's memory accounting counts runs too
        return _arrays_size(self.missing + self.values + [self.rows, self.positions])

    def keys(self, start: int, stop: int, step: int = 1) -> "Keys":
        picked = slice(start, stop, step)
        return Keys([m[picked] for m in self.missing], [v[picked] for v in self.values],
                    self.rows[picked], self.ascending, self.textual)

    def tuples(self, start: int, stop: int, step: int = 1) -> list[tuple]:
        return self.keys(start, stop, step).tuples()

    def tuple_at(self, i: int) -> tuple:
        return self.tuples(i, i + 1)[0]

    def count_at_most(self, pivot: tuple | None) -> int:
        """How many of the run's rows sort at or before ``pivot`` (None: none)."""
        if pivot is None:
            return 0
        return bisect_right(range(self.size), pivot, key=self.tuple_at)


def make_run(part, kept, keys, kinds, offset) -> Run:
    return Run(part, kept, keys, kinds, offset)


def run_sample(run: Run, per_run: int, min_stride: int) -> tuple[int, int, Keys]:
    """(the run's size, its stride (dask_order.stride_for), every stride-th key from its
    first)."""
    stride = stride_for(run.size, per_run, min_stride)
    return run.size, stride, run.keys(0, run.size, stride)


def run_between(run: Run, low: tuple | None, high: tuple | None) -> tuple[int, Keys]:
    """(rows at or before ``low``, keys in (low, high]) of one run (None: open end)."""
    start = run.count_at_most(low)
    stop = run.size if high is None else run.count_at_most(high)
    return start, run.keys(start, stop)


def top_of(part, kept, keys, kinds, offset, head: int, columns: list[int]):
    """The partition's first ``head`` rows of the view: (their keys, their ``columns``)."""
    run = Run(part, kept, keys, kinds, offset, head)
    return run.keys(0, run.size), part.iloc[run.positions, columns]


# -- chart figures that add up across partitions --------------------------------------------
def _numbers(part, kept, column: int, kind: str) -> np.ndarray:
    from ...frames import binning

    series = part.iloc[:, column] if kept is None else part.iloc[kept, column]
    return binning.numbers(series, kind)


def finite_span(part, kept, column: int, kind: str):
    from ...frames import binning

    return binning.finite_range(_numbers(part, kept, column, kind))


def histogram_counts(part, kept, column: int, kind: str, bins: int, span) -> np.ndarray:
    """Counts per bin of the partition's values over ``span`` (the view's bins: counts of
    all partitions add up to the view's, since the edges depend on the span alone)."""
    from ...frames import binning

    return binning.histogram(_numbers(part, kept, column, kind), bins, span)[1]


def present_rows(part, kept, columns: list[int]) -> np.ndarray:
    """Positions in ``part`` of the kept rows where none of ``columns`` is missing."""
    rows = np.arange(len(part), dtype=np.int64) if kept is None else kept
    present = np.ones(rows.size, dtype=bool)
    for column in columns:
        present &= part.iloc[rows, column].notna().to_numpy()
    return rows[present]


def present_count(present: np.ndarray) -> int:
    return int(present.size)


def sampled(part, present: np.ndarray, picks: np.ndarray, columns: list[int]) -> pd.DataFrame:
    """The picked present rows' ``columns``, named 0..k-1 (as ChartSource.sample makes them)."""
    rows = present[picks]
    return pd.DataFrame({i: part.iloc[rows, c].reset_index(drop=True)
                         for i, c in enumerate(columns)})


# -- the pandas reference over gathered columns ---------------------------------------------
def on_source(method: str, args: tuple, *frames: pd.DataFrame):
    """``PandasSource.<method>(None, *args)`` over ``frames`` (consecutive pieces of a view,
    the same columns each) put together on this worker."""
    frame = frames[0] if len(frames) == 1 else pd.concat(frames)
    source = PandasSource(frame)
    if method == "describe":
        return source.describe(*args, None)
    return getattr(source, method)(None, *args)
