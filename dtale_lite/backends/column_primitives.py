"""The chart primitives an engine has no native form of (box statistics, correlations),
computed by the pandas path's own numpy code over a view's columns, fetched one at a time.

For engines whose data already lives in this process (Polars): the cost is one column of the
view in memory at a time, as a pandas Series; the figures are then exactly pandas' (the same
``aggregate.box_stats`` and ``correlate.correlation_matrix``). Not for out-of-core engines.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..frames.source import ColumnChartPrimitives


class ViewColumns(ColumnChartPrimitives):
    """ColumnChartPrimitives over one view: ``fetch(column)`` gives the view's column as a
    pandas Series (in any row order: these primitives do not depend on it)."""

    def __init__(self, columns, rows: int, fetch: Callable[[int], pd.Series]):
        self._columns, self._rows, self._fetch = columns, rows, fetch
        self._fetched: dict[int, pd.Series] = {}  # one chart asks for a column several times

    def columns(self):
        return self._columns

    def row_count(self) -> int:
        return self._rows

    def view_column(self, column: int, positions) -> pd.Series:
        series = self._fetched.get(column)
        if series is None:
            series = self._fetched[column] = self._fetch(column).reset_index(drop=True)
        return series if positions is None else series.iloc[positions]
