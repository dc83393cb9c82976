"""The pandas backend: today's PandasSource behind the view-level interface.

A view keeps what the pandas path has always used, numpy row positions (the sort order, the
filter mask, their combination), inside its own implementation; the app's Planner/ResultCache
can keep caching them by handing a ``positions`` function in (see ``PandasBackend``).
This module is also the reference the other backends are tested against.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from ..frames.columns import Column
from ..frames.source import PandasSource
from .base import (Capabilities, Count, SortKeys, check_export_names, check_sort_keys,
                   check_window)

Positions = Callable[[object, SortKeys], "np.ndarray | None"]


class PandasBackend:
    """A Backend over a pandas DataFrame or Series.

    ``positions(filter_node, sort_keys)``, when given, computes a view's row positions (the
    app passes one that goes through its Planner and cache); by default they are computed
    here, once per view.
    """

    capabilities = Capabilities("pandas", chart_primitives=frozenset(
        {"group_aggregate", "box_stats", "histogram", "bins2d", "downsample", "sample",
         "correlations"}))

    def __init__(self, data: pd.DataFrame | pd.Series, positions: Positions | None = None):
        self.source = data if isinstance(data, PandasSource) else PandasSource(data)
        self._positions = positions or self._compute_positions

    def columns(self) -> list[Column]:
        return self.source.columns()

    def _compute_positions(self, node, keys: SortKeys) -> np.ndarray | None:
        if node is None and not keys:
            return None
        order = self.source.sort_order(keys) if keys else None
        if node is None:
            return order
        mask = self.source.filter_mask(node)
        if order is None:
            return np.flatnonzero(mask).astype(np.int64, copy=False)
        return order[mask[order]]

    def view(self, filter_node=None, sort_keys: SortKeys = ()) -> "PandasView":
        check_sort_keys(sort_keys, len(self.columns()))
        return PandasView(self, filter_node, tuple(sort_keys))

    def close(self) -> None:
        pass


class PandasView:
    def __init__(self, backend: PandasBackend, node, keys: SortKeys):
        self.backend, self.source = backend, backend.source
        self.node, self.keys = node, keys
        self._lock = threading.Lock()
        self._done = False
        self._rows: np.ndarray | None = None
        if node is not None:
            self.positions()  # a bad filter is an error now, as with the other backends

    def positions(self) -> np.ndarray | None:
        with self._lock:
            if not self._done:
                self._rows = self.backend._positions(self.node, self.keys)
                self._done = True
            return self._rows

    def count(self) -> Count:
        rows = self.positions()
        return Count(self.source.row_count() if rows is None else len(rows))

    def window(self, offset: int, limit: int, columns: Sequence[int]):
        check_window(offset, limit)
        rows = self.positions()
        total = self.source.row_count()
        picked = (np.arange(min(offset, total), min(offset + limit, total), dtype=np.int64)
                  if rows is None else rows[offset:offset + limit])
        return self.source.rows(picked, list(columns))

    def describe(self, column: int) -> dict:
        out = self.source.describe(column, self.positions())
        out["approximate"] = []
        return out

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        check_export_names(columns, names)
        return self.source.export(self.positions(), list(columns), list(names), fmt)

    def group_aggregate(self, keys, measures):
        return self.source.group_aggregate(self.positions(), keys, measures)

    def histogram(self, column: int, bins: int, value_range=None, key=None):
        return self.source.histogram(self.positions(), column, bins, value_range, key)

    def bins2d(self, x, y, x_bins, y_bins, x_range=None, y_range=None):
        return self.source.bins2d(self.positions(), x, y, x_bins, y_bins, x_range, y_range)

    def downsample(self, x, y, buckets, x_range=None, key=None):
        return self.source.downsample(self.positions(), x, y, buckets, x_range, key)

    def sample(self, columns, n):
        return self.source.sample(self.positions(), columns, n)
