"""The chart primitives of a Dask view (and describe of object columns): the pandas reference
on one worker; a histogram without groups partition by partition.

The columns a figure needs (one for describe and histograms, a few for grouped aggregates) are
taken from every partition's kept rows and put together on one worker, which runs the pandas
backend's own code (``PandasSource``) there; only the figure's numbers come back. So every
figure is exact and equal to pandas', and every GroupKey form (values, top-N, bins, periods)
works, at the price that those columns of the view must fit in one worker's memory (80 MB per
float column at 10M rows). A figure computed by tree reductions across workers would lift that
limit for the figures that combine (counts, sums, min/max, histograms); quantiles and distinct
counts would then be exact only at that cost again, or approximate.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ...frames import binning
from ...frames.errors import BadRequest
from . import parts as dask_parts

PRIMITIVES = frozenset({"group_aggregate", "box_stats", "histogram", "bins2d", "downsample",
                        "sample", "correlations", "nullity", "duplicates"})
_ALL = int(np.iinfo(np.int64).max)


def _run(view, columns: list[int], method: str, make_args):
    """``method`` of PandasSource over the view's rows of ``columns`` on one worker;
    ``make_args(place)`` builds its arguments with ``place(position)`` -> sub-frame position."""
    limit = view.backend.one_worker_chart_rows
    if view.count().rows > limit:
        # Better a 400 that says what to do than a worker running out of memory.
        raise BadRequest(f"this chart needs its columns on one worker, and the view has more "
                         f"than {limit:,} rows on the dask backend; filter the view first")
    used = sorted(set(columns))
    spot = {position: i for i, position in enumerate(used)}
    cluster = view.cluster
    pieces = [cluster.submit(dask_parts.take_rows, part, kept, 0, _ALL, used)
              for part, kept in zip(view.backend.parts, view.kept)]
    args = make_args(spot.__getitem__)
    return cluster.gather([cluster.submit(dask_parts.on_source, method, args, *pieces)])[0]


def _key(key, place):
    return None if key is None else replace(key, column=place(key.column))


def _key_columns(keys) -> list[int]:
    return [k.column for k in keys if k is not None]


def describe(view, column: int) -> dict:
    out = _run(view, [column], "describe", lambda place: (place(column),))
    out["approximate"] = []  # the pandas reference itself: every figure exact
    return out


def group_aggregate(view, keys, measures):
    columns = _key_columns(keys) + [c for c, _ in measures if c is not None]
    return _run(view, columns, "group_aggregate", lambda place: (
        [_key(k, place) for k in keys],
        [(None if c is None else place(c), agg) for c, agg in measures]))


def box_stats(view, keys, column):
    return _run(view, _key_columns(keys) + [column], "box_stats", lambda place: (
        [_key(k, place) for k in keys], place(column)))


def histogram(view, column, bins, value_range=None, key=None):
    if key is None:
        return _plain_histogram(view, column, bins, value_range)
    return _run(view, [column] + _key_columns([key]), "histogram", lambda place: (
        place(column), bins, value_range, _key(key, place)))


def _plain_histogram(view, column, bins, value_range):
    """A histogram without groups, partition by partition: the view's finite range (min and
    max of the partitions'), then bin counts that add up. Only numbers come back."""
    kind = view.backend.columns()[column].kind
    binning.numbers(view.backend.meta.iloc[:, column], kind)  # not numbers: a 400, now
    cluster, parts = view.cluster, list(zip(view.backend.parts, view.kept))
    span = value_range
    if span is None:
        spans = [s for s in cluster.gather([cluster.submit(dask_parts.finite_span, part, kept,
                                                           column, kind)
                                            for part, kept in parts]) if s is not None]
        if not spans:
            return np.array([]), np.zeros((1, 0)), None
        span = (min(s[0] for s in spans), max(s[1] for s in spans))
    counts = cluster.gather([cluster.submit(dask_parts.histogram_counts, part, kept, column,
                                            kind, bins, span) for part, kept in parts])
    return binning.bin_edges(span[0], span[1], bins), np.sum(counts, axis=0), None


def bins2d(view, x, y, x_bins, y_bins, x_range=None, y_range=None):
    return _run(view, [x, y], "bins2d", lambda place: (
        place(x), place(y), x_bins, y_bins, x_range, y_range))


def downsample(view, x, y, buckets, x_range=None, key=None):
    return _run(view, [x, y] + _key_columns([key]), "downsample", lambda place: (
        place(x), place(y), buckets, x_range, _key(key, place)))


def sample(view, columns, n):
    """As ChartSource.sample: the same seeded positions over the view's rows where no column
    is missing, picked partition by partition (only the sample comes back)."""
    cluster, columns = view.cluster, list(columns)
    parts = list(zip(view.backend.parts, view.kept))
    present = [cluster.submit(dask_parts.present_rows, part, kept, columns)
               for part, kept in parts]
    counts = cluster.gather([cluster.submit(dask_parts.present_count, p) for p in present])
    starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
    picks = binning.sample_positions(int(starts[-1]), n)
    bounds = np.searchsorted(picks, starts)
    pieces = [cluster.submit(dask_parts.sampled, part, present[i],
                             picks[bounds[i]:bounds[i + 1]] - starts[i], columns)
              for i, (part, _) in enumerate(parts) if bounds[i + 1] > bounds[i]]
    frames = cluster.gather(pieces)
    if not frames:
        empty = view.backend.meta.iloc[:, columns]
        return pd.DataFrame({i: empty.iloc[:, i].reset_index(drop=True)
                             for i in range(len(columns))}), 0
    return pd.concat(frames, ignore_index=True), int(starts[-1])


def correlations(view, columns, method):
    return _run(view, list(columns), "correlations", lambda place: (
        [place(c) for c in columns], method))


def nullity(view, columns, bands):
    """The analysis pages' missing counts: the pandas reference on one worker (see _run)."""
    return _run(view, list(columns), "nullity", lambda place: (
        [place(c) for c in columns], bands))


def duplicates(view, columns, top):
    return _run(view, list(columns), "duplicates", lambda place: (
        [place(c) for c in columns], top))
