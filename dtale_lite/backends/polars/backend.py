"""The Polars backend: ``pl.DataFrame`` and ``pl.LazyFrame`` viewed natively (issue 9).

No conversion to pandas: filters compile to Polars expressions (:mod:`.filter`), sorts
are Polars sorts, describe and the chart primitives are Polars aggregations, and only a window
(a hundred rows) or an aggregate ever leaves Polars, through Arrow.

Row order: every view carries the row position (``with_row_index``) and sorts end with it, so
a sort is stable and pages never repeat or skip rows (Polars' sort is stable only with
``maintain_order=True``; the tiebreaker makes it a total order instead). Missing values, NaN
included, go last in both directions.

Eager frames: a sorted or filtered view computes its row positions once (one u32 column, as
the pandas backend keeps numpy positions) and every page is a gather of ``limit`` rows.
Lazy frames: the first pages are one query each (``sort().slice()`` runs as a top-k in
Polars); deeper pages compute the view's positions once and gather their rows; the count is
computed once per view.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import polars as pl

from ...frames.columns import Column, api_names
from ...frames.errors import BadRequest
from . import analysis as polars_analysis, charts as polars_charts, describe as polars_describe
from ..arrow_io import export_stream, table_rows
from ..column_primitives import ViewColumns
from ..base import (Capabilities, ChartPrimitivesVia, Count, SortKeys, check_export_names,
                   check_format, check_sort_keys, check_window)
from .filter import PolarsColumn, compile_filter, value_expr

EXPORT_CHUNK_ROWS = 100_000
TOP_K_ROWS = 1_000  # pages this near the top of a new view are answered by a top-k query


def kind_of_polars(dtype: pl.DataType) -> str:
    """One of columns.KINDS for a Polars dtype."""
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_integer():
        return "int"
    if dtype.is_float() or isinstance(dtype, pl.Decimal):
        return "float"
    if dtype in (pl.String, pl.Utf8):
        return "string"
    if isinstance(dtype, (pl.Categorical, pl.Enum)):
        return "category"
    if isinstance(dtype, pl.Datetime) or dtype == pl.Date:
        return "datetime"
    if isinstance(dtype, pl.Duration):
        return "timedelta"
    return "object"


def sort_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    """How a column sorts: NaN as missing, enums by their order, mixed values by text."""
    if dtype.is_float():
        return pl.col(name).fill_nan(None)
    if kind_of_polars(dtype) == "object":
        return pl.col(name).cast(pl.String, strict=False)
    return pl.col(name)


def _free_name(taken: set[str], base: str = "__dtale_lite_row") -> str:
    name, n = base, 0
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


class PolarsBackend:
    """A Backend (see base.py) over a Polars DataFrame or LazyFrame."""

    capabilities = Capabilities("polars", chart_primitives=frozenset(
        {"group_aggregate", "histogram", "bins2d", "downsample", "sample", "box_stats",
         "correlations"}))
    top_k_rows = TOP_K_ROWS  # 0 makes every page of an eager view go through its positions

    def __init__(self, data: pl.DataFrame | pl.LazyFrame):
        if not isinstance(data, (pl.DataFrame, pl.LazyFrame)):
            raise TypeError(f"PolarsBackend takes a polars DataFrame or LazyFrame, "
                            f"not {type(data).__name__}")
        self.eager = data if isinstance(data, pl.DataFrame) else None
        self.lazy = data.lazy()
        schema = self.lazy.collect_schema()
        self.names = list(schema.names())
        self.dtypes = list(schema.dtypes())
        # Polars names are unique strings already: the API names are the column names.
        self._columns = [Column(i, name, str(dtype), kind_of_polars(dtype))
                         for i, (name, dtype) in enumerate(zip(api_names(self.names),
                                                               self.dtypes))]
        self.row_name = _free_name(set(self.names))
        self.code_name = _free_name(set(self.names) | {self.row_name}, "__dtale_lite_code")

    def columns(self) -> list[Column]:
        return self._columns

    def filter_column(self, name: str) -> PolarsColumn | None:
        for column in self._columns:
            if column.name == name:
                dtype = self.dtypes[column.position]
                tz = getattr(dtype, "time_zone", None)
                return PolarsColumn(value_expr(self.names[column.position], dtype),
                                    column.kind, tz)
        return None

    def view(self, filter_node=None, sort_keys: SortKeys = ()) -> "PolarsView":
        check_sort_keys(sort_keys, len(self._columns))
        condition = None if filter_node is None else compile_filter(filter_node,
                                                                   self.filter_column)
        return PolarsView(self, condition, tuple(sort_keys))

    def close(self) -> None:
        pass


class PolarsView(ChartPrimitivesVia):
    """One (filter, sort) view of a PolarsBackend; thread-safe."""

    chart_module = polars_charts

    def __init__(self, backend: PolarsBackend, condition: pl.Expr | None, keys: SortKeys):
        self.backend, self.condition, self.keys = backend, condition, keys
        row = backend.row_name
        frame = backend.lazy.with_row_index(row)
        self.filtered = frame if condition is None else frame.filter(condition)
        if keys:
            exprs = [sort_expr(backend.names[p], backend.dtypes[p]) for p, _ in keys]
            descending = [not asc for _, asc in keys]
            # Two spellings of one total order: the explicit row tiebreaker for top-k pages
            # and lazy frames, and a stable sort of rows already in row order for the full
            # order (6x cheaper: 1.0 s instead of 6.0 s on 10M floats here).
            self.ordered = self.filtered.sort(exprs + [pl.col(row)],
                                              descending=descending + [False], nulls_last=True)
            self.stable = self.filtered.sort(exprs, descending=descending, nulls_last=True,
                                             maintain_order=True)
        else:
            self.ordered = self.stable = self.filtered
        self._lock = threading.Lock()
        self._positions: pl.Series | None = None
        self._count: int | None = None

    @property
    def identity(self) -> bool:
        return self.condition is None and not self.keys

    def positions(self) -> pl.Series | None:
        """Row positions of the view in display order (None: all rows in order). Computed
        once: a sort of the key columns and the row index only."""
        if self.identity:
            return None
        with self._lock:
            if self._positions is None:
                row = self.backend.row_name
                self._positions = self.stable.select(row).collect()[row]
            return self._positions

    def count(self) -> Count:
        # Never through positions(): that is the full sort, and a sorted view's first page
        # (a top-k) must not wait for it.
        if self._positions is not None:
            return Count(len(self._positions))
        if self.condition is None and self.backend.eager is not None:
            return Count(self.backend.eager.height)
        with self._lock:
            if self._count is None:
                self._count = int(self.filtered.select(pl.len()).collect().item())
            return Count(self._count)

    def _frame(self, offset: int, limit: int, columns: Sequence[int]) -> pl.DataFrame:
        """Rows offset..offset+limit of the view: the columns asked for, then the row."""
        names = [self.backend.names[p] for p in columns] + [self.backend.row_name]
        eager = self.backend.eager
        if eager is not None and not self.identity and self._positions is None \
                and offset + limit <= self.backend.top_k_rows:
            # The first pages of a new view: Polars runs sort+slice as a top-k, far cheaper
            # than the full order (computed when a page lies deeper).
            return self.ordered.slice(offset, limit).select(names).collect()
        if eager is not None:
            positions = self.positions()
            if positions is None:
                # Past the end the window is empty; Polars refuses a row index offset beyond
                # its index type (found by the OpenAPI fuzzer: offset 11,002,294,390).
                offset = min(offset, eager.height)
                part = eager.slice(offset, limit).with_row_index(self.backend.row_name,
                                                                  offset=offset)
                return part.select(names)
            picked = positions.slice(offset, limit).alias(names[-1])
            if len(names) == 1:  # no columns asked for: only the rows' positions
                return picked.to_frame()
            return eager.select(names[:-1])[picked].with_columns(picked)
        if self.identity or (self._positions is None
                             and offset + limit <= self.backend.top_k_rows):
            return self.ordered.slice(offset, limit).select(names).collect()
        # A lazy view deeper down: its positions once, then each page gathers its rows. (One
        # sort+slice per page sorted every column of the frame: 21-28 s a page at 5M rows.)
        picked = self.positions().slice(offset, limit).alias(names[-1])
        if len(names) == 1:
            return picked.to_frame()
        gathered = self.backend.lazy.select([pl.col(n).gather(picked) for n in names[:-1]])
        return gathered.collect().with_columns(picked)

    def window(self, offset: int, limit: int, columns: Sequence[int]):
        check_window(offset, limit)
        # A column may be asked for twice; Polars refuses a repeated name in one select.
        unique = list(dict.fromkeys(columns))
        frame = self._frame(offset, limit, unique)
        labels = frame.get_column(self.backend.row_name).to_list()
        data = table_rows(frame.drop(self.backend.row_name).to_arrow())
        if not columns:
            return labels, [[] for _ in labels]
        if len(unique) != len(columns):
            where = [unique.index(c) for c in columns]
            data = [[row[i] for i in where] for row in data]
        return labels, data

    def describe(self, column: int) -> dict:
        if self.backend.eager is not None:
            # In memory already: pandas' own describe over the view's column (the reference
            # figures; at 10M rows 0.21 s for f1 where a LazyFrame's Polars passes take 1.9 s).
            from ...frames.describe import describe

            return {"approximate": [], **describe(self._columns().view_column(column, None),
                                                  self.backend.columns()[column].kind)}
        name, dtype = self.backend.names[column], self.backend.dtypes[column]
        return polars_describe.describe(self.filtered, name, dtype,
                                        self.backend.columns()[column].kind)

    def _columns(self) -> ViewColumns:
        """The view's columns as pandas Series, one at a time (see column_primitives.py)."""
        def fetch(column: int):
            name = self.backend.names[column]
            return self.filtered.select(pl.col(name)).collect().to_series().to_pandas()

        return ViewColumns(self.backend.columns(), self.count().rows, fetch)

    # Chart primitives. Eager frames: the pandas path's numpy code over the view's columns
    # (exactly pandas' figures; one column in memory at a time, next to the frame itself).
    # Lazy frames may stand for data larger than memory: Polars aggregations (polars_charts).
    def group_aggregate(self, keys, measures):
        if self.backend.eager is not None:
            return self._columns().group_aggregate(None, keys, measures)
        return super().group_aggregate(keys, measures)

    def ohlc(self, key, time, measures):
        # Candlesticks need the first and last value per period by time: eager frames through
        # the pandas path; no Polars form for lazy frames (which may not fit in memory) yet.
        if self.backend.eager is None:
            raise BadRequest(f"candlestick charts are not available on the "
                             f"{self.backend.capabilities.name} (lazy) backend yet")
        return self._columns().ohlc(None, key, time, measures)

    def histogram(self, column: int, bins: int, value_range=None, key=None):
        if self.backend.eager is not None:
            return self._columns().histogram(None, column, bins, value_range, key)
        return super().histogram(column, bins, value_range, key)

    def bins2d(self, x, y, x_bins, y_bins, x_range=None, y_range=None):
        if self.backend.eager is not None:
            return self._columns().bins2d(None, x, y, x_bins, y_bins, x_range, y_range)
        return super().bins2d(x, y, x_bins, y_bins, x_range, y_range)

    def downsample(self, x, y, buckets, x_range=None, key=None):
        if self.backend.eager is not None:
            return self._columns().downsample(None, x, y, buckets, x_range, key)
        return super().downsample(x, y, buckets, x_range, key)

    def sample(self, columns, n):
        if self.backend.eager is not None:
            return self._columns().sample(None, columns, n)
        return super().sample(columns, n)

    def box_stats(self, keys, column: int):
        """As ChartSource.box_stats: pandas' own figures over the view's two columns."""
        return self._columns().box_stats(None, keys, column)

    def correlations(self, columns, method: str):
        """As ChartSource.correlations (pairwise-complete, as pandas), column by column."""
        return self._columns().correlations(None, columns, method)

    def nullity(self, columns, bands: int):
        """The analysis pages' missing-value counts (backends/polars/analysis.py)."""
        return polars_analysis.nullity(self, columns, bands)

    def duplicates(self, columns, top: int):
        return polars_analysis.duplicates(self, columns, top)

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        check_format(fmt)
        check_export_names(columns, names)
        return export_stream(self._export_tables(list(columns)), list(names), fmt)

    def _export_tables(self, columns: list[int]):
        total = self.count().rows
        for start in range(0, max(total, 1), EXPORT_CHUNK_ROWS):
            frame = self._frame(start, EXPORT_CHUNK_ROWS, columns)
            yield frame.drop(self.backend.row_name).to_arrow()

