"""The Dask backend: a ``dask.dataframe`` viewed through the cluster it lives on (issue 9).

Every operation is a handful of tasks on the cluster the user's ``distributed.Client`` points
at (the current client by default; Dask's local scheduler without one). Tasks run the pandas
backend's own code on each partition (:mod:`.parts`), so filters and sorts mean exactly
what they mean on pandas; only windows of rows and small aggregates come back here.

- Rows: a row's position is its partition's offset plus its place in the partition; partition
  lengths are computed once per backend, each view's kept-row positions stay on the cluster.
- Pages of an unsorted view: the tasks of the (one or two) partitions the window covers.
- Sorted views: the first pages (offset + limit <= ``top_k_rows``) ask every partition for its
  top offset + limit rows (a partial selection, no full sort) and merge them here. Deeper pages
  sort each partition once, keep those runs on the cluster and search them (:mod:`.order`).
- describe is exact: the pandas reference on one worker for views up to ``one_worker_rows``,
  else computed partition by partition and combined (:mod:`.describe`); the chart
  primitives run the pandas reference over the view's needed columns gathered on
  one worker: exact, but those columns must fit in one worker's memory (:mod:`.charts`).
- export streams partition by partition (unsorted) or in chunks of the sorted order.

By default the frame's partitions are persisted on the cluster (``persist=True``), so pages do
not recompute the frame's graph (reading files, ``from_pandas`` data) for every request.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ...frames.columns import Column
from ...frames.source import PandasSource
from . import charts as dask_charts, describe as dask_describe, order as dask_order, parts as dask_parts
from ..arrow_io import export_stream
from ..base import (Capabilities, ChartPrimitivesVia, Count, SortKeys, check_export_names,
                   check_format, check_sort_keys, check_window)
from .cluster import Cluster, default_client, is_future
from .order import Bracket, pick

TOP_K_ROWS = 1_000
ONE_WORKER_ROWS = 20_000_000  # about 160 MB for a number column and its positions
ONE_WORKER_CHART_ROWS = 100_000_000  # grouped charts, 2D bins, lines: their columns
EXPORT_CHUNK_ROWS = 50_000


def _with_known_categories(data):
    """``data`` with categorical columns of unknown categories as text (see
    dask_parts.categories_as_text); no computation."""
    from dask.dataframe.utils import has_known_categories

    meta = data._meta
    unknown = [i for i in range(meta.shape[1])
               if isinstance(meta.iloc[:, i].dtype, pd.CategoricalDtype)
               and not has_known_categories(meta.iloc[:, i])]
    if not unknown:
        return data
    return data.map_partitions(dask_parts.categories_as_text, unknown,
                               meta=dask_parts.categories_as_text(meta, unknown))


class DaskBackend:
    """A Backend (see base.py) over a ``dask.dataframe`` DataFrame or Series.

    ``client``: the ``distributed.Client`` to run on (default: the current one, if any).
    ``persist``: keep the frame's partitions in the cluster's memory (default) instead of
    recomputing them from the frame's graph for every request."""

    capabilities = Capabilities("dask", chart_primitives=dask_charts.PRIMITIVES)
    top_k_rows = TOP_K_ROWS  # 0 makes every sorted page go through the sorted runs
    one_worker_rows = ONE_WORKER_ROWS  # describe larger views partition by partition
    one_worker_chart_rows = ONE_WORKER_CHART_ROWS  # charts gathered on one worker: at most

    def __init__(self, data, client=None, persist: bool = True):
        import dask.dataframe as dd

        if isinstance(data, dd.Series):
            data = data.to_frame(name=data.name if data.name is not None else "value")
        if not isinstance(data, dd.DataFrame):
            raise TypeError(f"DaskBackend takes a dask DataFrame or Series, "
                            f"not {type(data).__name__}")
        self.cluster = Cluster(client if client is not None else default_client())
        data = _with_known_categories(data)
        self.meta = data._meta
        self.source = PandasSource(self.meta)  # the columns, kinds and filter checks
        parts = data.to_delayed()
        if persist and self.cluster.client is not None:
            parts = self.cluster.client.compute(parts)
        elif persist:
            import dask

            parts = list(dask.persist(*parts))
        self.parts = list(parts)
        self._lock = threading.Lock()
        self._lengths: list[int] | None = None

    def columns(self) -> list[Column]:
        return self.source.columns()

    def kinds(self, positions) -> list[str]:
        columns = self.columns()
        return [columns[p].kind for p in positions]

    def lengths(self) -> list[int]:
        """Rows per partition (computed once)."""
        with self._lock:
            if self._lengths is None:
                if self.cluster.client is not None:
                    from distributed import wait

                    wait([p for p in self.parts if is_future(p)])
                    self.cluster.pin(self.parts)
                self._lengths = self.cluster.gather(
                    [self.cluster.submit(dask_parts.kept_count, part, None)
                     for part in self.parts])
            return self._lengths

    def threads(self) -> int:
        """Worker threads of the cluster (1 on Dask's local scheduler)."""
        client = self.cluster.client
        if client is None:
            return 1
        workers = client.scheduler_info().get("workers", {})
        return max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def offsets(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.lengths(), dtype=np.int64)])

    def view(self, filter_node=None, sort_keys: SortKeys = ()) -> "DaskView":
        check_sort_keys(sort_keys, len(self.columns()))
        if filter_node is not None:
            self.source.filter_mask(filter_node)  # unknown columns, misfit literals: raise now
        return DaskView(self, filter_node, tuple(sort_keys))

    def empty(self, columns: Sequence[int]) -> pd.DataFrame:
        return self.meta.iloc[:, list(columns)]

    def close(self) -> None:
        self.parts = []  # dropping the futures lets the cluster free the persisted frame


class DaskView(ChartPrimitivesVia):
    """One (filter, sort) view of a DaskBackend; thread-safe."""

    chart_module = dask_charts

    def __init__(self, backend: DaskBackend, node, keys: SortKeys, kept: list | None = None):
        # Making a view computes nothing: its kept positions, counts and runs are made on the
        # cluster when first needed (a view of the same filter may hand its positions over).
        self.backend, self.node, self.keys = backend, node, keys
        self.cluster = backend.cluster
        self.kinds = backend.kinds([p for p, _ in keys])
        self._lock = threading.RLock()
        self._kept = kept
        self._counts: list[int] | None = None
        self._runs: list | None = None
        self._bracket: Bracket | None = None

    @property
    def kept(self) -> list:
        """Per partition: the positions of the rows the filter keeps, on the cluster (None:
        every row)."""
        with self._lock:
            if self._kept is None:
                self.backend.lengths()  # (also where each partition is)
                self._kept = [None] * len(self.backend.parts) if self.node is None else \
                    [self.cluster.submit(dask_parts.kept_positions, part, self.node)
                     for part in self.backend.parts]
            return self._kept

    def close(self) -> None:
        """Let the cluster free what this view keeps there (kept positions, sorted runs); the
        view still answers afterwards, making them again if asked."""
        with self._lock:
            self._kept, self._runs, self._bracket = None, None, None

    def counts(self) -> list[int]:
        """Kept rows per partition (computed once per view)."""
        if self.node is None:
            return self.backend.lengths()
        with self._lock:
            if self._counts is None:
                self._counts = self.cluster.gather(
                    [self.cluster.submit(dask_parts.kept_count, part, kept)
                     for part, kept in zip(self.backend.parts, self.kept)])
            return self._counts

    def count(self) -> Count:
        return Count(int(sum(self.counts())))

    def window(self, offset: int, limit: int, columns: Sequence[int]):
        check_window(offset, limit)
        return _rows(self.frame(offset, limit, list(columns)))

    def frame(self, offset: int, limit: int, columns: list[int]) -> pd.DataFrame:
        """Rows offset..offset+limit of the view as a pandas frame of ``columns``."""
        if not self.keys:
            return self._plain(offset, offset + limit, columns)
        if self._runs is None and offset + limit <= self.backend.top_k_rows:
            return self._top(offset, offset + limit, columns)
        end = min(offset + limit, self.count().rows)
        if offset >= end:
            return self.backend.empty(columns)
        return self._fetch(self._ranked(offset, end), columns)

    def _plain(self, start: int, stop: int, columns: list[int]) -> pd.DataFrame:
        bounds = np.concatenate([[0], np.cumsum(self.counts(), dtype=np.int64)])
        handles = []
        for i, part in enumerate(self.backend.parts):
            a, b = max(start, bounds[i]), min(stop, bounds[i + 1])
            if a < b:
                handles.append(self.cluster.submit(dask_parts.take_rows, part, self.kept[i],
                                                   int(a - bounds[i]), int(b - bounds[i]),
                                                   columns))
        return _concat(self.cluster.gather(handles), self.backend.empty(columns))

    def _top(self, start: int, stop: int, columns: list[int]) -> pd.DataFrame:
        offsets = self.backend.offsets()
        handles = [self.cluster.submit(dask_parts.top_of, part, kept, self.keys, self.kinds,
                                       int(offsets[i]), stop, columns)
                   for i, (part, kept) in enumerate(zip(self.backend.parts, self.kept))]
        results = self.cluster.gather(handles)
        keys = [key for part_keys, _ in results for key in part_keys.tuples()]
        frame = _concat([rows for _, rows in results], self.backend.empty(columns))
        order = sorted(range(len(keys)), key=keys.__getitem__)[start:stop]
        return frame.iloc[order]

    def _ensure_runs(self) -> tuple[list, Bracket]:
        with self._lock:
            if self._runs is None:
                offsets = self.backend.offsets()
                runs = [self.cluster.submit(dask_parts.make_run, part, kept, self.keys,
                                            self.kinds, int(offsets[i]))
                        for i, (part, kept) in enumerate(zip(self.backend.parts, self.kept))]
                found = self.cluster.gather(
                    [self.cluster.submit(dask_parts.run_sample, run, dask_order.SAMPLES_PER_RUN,
                                         dask_order.MIN_STRIDE) for run in runs])
                self._bracket = Bracket.build([keys.tuples() for _, _, keys in found],
                                              [size for size, _, _ in found],
                                              [stride for _, stride, _ in found])
                self._runs = runs
            return self._runs, self._bracket

    def keys_at(self, ranges: list[tuple[int, int]]) -> list[list[tuple]]:
        """The sort keys (see dask_parts.key_tuples) at ranks offset..end of the sorted view,
        for each (offset, end) of ``ranges``: one round trip to the runs for them all."""
        runs, bracket = self._ensure_runs()
        handles = []
        for offset, end in ranges:
            low, high = bracket.around(offset, end)
            handles += [self.cluster.submit(dask_parts.run_between, run, low, high)
                        for run in runs]
        found = self.cluster.gather(handles)
        out = []
        for i, (offset, end) in enumerate(ranges):
            mine = found[i * len(runs):(i + 1) * len(runs)]
            out.append(pick([start for start, _ in mine], [keys.tuples() for _, keys in mine],
                            offset, end))
        return out

    def _ranked(self, offset: int, end: int) -> list[int]:
        """Global rows at ranks offset..end of the sorted view."""
        return [key[-1] for key in self.keys_at([(offset, end)])[0]]

    def _fetch(self, rows: list[int], columns: list[int]) -> pd.DataFrame:
        """The frame's ``rows`` (global positions), in that order, ``columns`` only."""
        offsets = self.backend.offsets()
        rows = np.asarray(rows, dtype=np.int64)
        part_of = np.searchsorted(offsets, rows, side="right") - 1
        handles, order = [], []
        for i in np.unique(part_of):
            where = np.flatnonzero(part_of == i)
            order.append(where)
            handles.append(self.cluster.submit(dask_parts.take_positions,
                                               self.backend.parts[i],
                                               rows[where] - offsets[i], columns))
        frame = _concat(self.cluster.gather(handles), self.backend.empty(columns))
        if not order:
            return frame
        # The pieces come partition by partition: put each row back at its rank.
        return frame.iloc[np.argsort(np.concatenate(order))]

    def describe(self, column: int) -> dict:
        """describe.py's dict, exact either way: a view of up to ``one_worker_rows`` rows (or
        an object column) is described by the pandas reference on one worker, which is several
        times less work (one sort) than combining per-partition figures (hashing every value
        for distinct counts, sorted runs for quartiles); larger ones partition by partition."""
        if self.backend.columns()[column].kind == "object" or \
                self.count().rows <= self.backend.one_worker_rows:
            return dask_charts.describe(self, column)
        return dask_describe.describe(self, column)

    def box_stats(self, keys, column):
        return dask_charts.box_stats(self, keys, column)

    def correlations(self, columns, method):
        return dask_charts.correlations(self, columns, method)

    def nullity(self, columns, bands):
        return dask_charts.nullity(self, columns, bands)

    def duplicates(self, columns, top):
        return dask_charts.duplicates(self, columns, top)

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        check_format(fmt)
        check_export_names(columns, names)
        return export_stream(self._export_tables(list(columns), list(names)), list(names), fmt)

    def _export_tables(self, columns: list[int], names: list[str]):
        written = 0
        for chunk in self._export_frames(columns):
            if len(chunk):
                written += 1
                yield _arrow(chunk, names)
        if not written:  # an empty view still has its header (CSV) and schema (Parquet)
            yield _arrow(self.backend.empty(columns), names)

    def _export_frames(self, columns: list[int]):
        if not self.keys:
            # One partition in this process at a time; the next one is already on its way.
            parts = [(part, kept) for part, kept in zip(self.backend.parts, self.kept)]
            pending = None
            for i in range(len(parts) + 1):
                ahead = self.cluster.submit(dask_parts.take_rows, parts[i][0], parts[i][1], 0,
                                            np.iinfo(np.int64).max, columns) \
                    if i < len(parts) else None
                if pending is not None:
                    yield self.cluster.gather([pending])[0]
                pending = ahead
            return
        total = self.count().rows
        for start in range(0, total, EXPORT_CHUNK_ROWS):
            yield self.frame(start, EXPORT_CHUNK_ROWS, columns)


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _rows(frame: pd.DataFrame):
    return PandasSource(frame).rows(np.arange(len(frame)), range(frame.shape[1]))


def _arrow(frame: pd.DataFrame, names: list[str]):
    import pyarrow as pa

    frame = frame.set_axis(names, axis=1)
    return pa.Table.from_pandas(frame, preserve_index=False)
