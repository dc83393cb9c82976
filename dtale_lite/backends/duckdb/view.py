"""One (filter, sort) view of a DuckDBBackend: how its pages are found.

Every page is addressed by row position, never by a deep ``LIMIT/OFFSET`` (which reads
everything before the offset):
- the plain view: the row range itself (only the Parquet row groups it needs are read);
- a filtered view in file order: the rows the filter keeps are counted per *segment* of
  the backend's ``segment_rows`` positions in one pass (a few hundred numbers at 100M rows),
  so a page is the filter over the one or two segments that hold it. Its first pages do not wait for that pass:
  they scan from the top in growing row ranges until they have enough rows;
- a sorted view: its first pages (``offset + limit <= top_k_rows``) are a top-k query of row
  positions only (``ORDER BY keys, row LIMIT``), and the rows are then fetched by position;
  each page then reads the next page's rows ahead, in the background.
  Right after, the view's full order -- a table of row positions in display order -- starts
  building in the background, and deeper pages are ``rowid`` ranges of that table (a page
  asked before it is done waits for that same build). ``ORDER BY keys..., row`` makes the
  order total: pages never repeat or skip a row.
Rows are fetched by position (DuckDBBackend.fetch_rows) for sorted views only.
"""
from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence

import pyarrow as pa

from ...frames.errors import Conflict
from . import analysis as duckdb_analysis, box as duckdb_box, stats as duckdb_stats
from ..arrow_io import export_stream, table_rows
from ..base import (ChartPrimitivesVia, Count, SortKeys, check_export_names, check_format,
                   check_window)
from .sql import order_by, quote_identifier

EXPORT_BATCH_ROWS = 100_000
TOP_FIRST_ROWS = 200  # a sorted view's first top-k asks for at least this many positions


class DuckDBView(ChartPrimitivesVia):
    """One (filter, sort) view of a DuckDBBackend; thread-safe. ``close()`` drops what it
    made (its order table) and is idempotent."""

    chart_module = duckdb_stats

    def box_stats(self, keys, column: int):
        return duckdb_box.box_stats(self, keys, column)

    def correlations(self, columns, method: str):
        return duckdb_box.correlations(self, columns, method)

    def nullity(self, columns, bands: int):
        return duckdb_analysis.nullity(self, columns, bands)

    def duplicates(self, columns, top: int):
        return duckdb_analysis.duplicates(self, columns, top)

    def __init__(self, backend, where: str, params: dict, keys: SortKeys, filtered: bool):
        self.backend, self.where, self.params, self.keys = backend, where, params, keys
        self.filtered = filtered
        self._lock = threading.Lock()  # short state changes only
        self._order_lock = threading.Lock()  # held while the order table is built
        self._table: str | None = None
        self._building: threading.Thread | None = None
        self._build_cursor = None  # interrupted by close()
        self._segments: tuple[list[int], list[int]] | None = None  # (segment ids, cumulative)
        self._count: int | None = None
        self._top: tuple = (None, 0)  # (the first positions, how many were asked for)
        self._top_lock = threading.Lock()
        self._ahead = None  # (thread, start, stop, columns, rows read or None while reading)
        self._closed = False
        if filtered:  # a filter that does not fit its column fails here, not on a page
            self.backend.cursor().execute(
                f"EXPLAIN SELECT 1 FROM {self.backend.source_sql(where)}",
                self.all_params()).fetchall()

    # -- SQL pieces ------------------------------------------------------------------------
    def all_params(self) -> dict:
        b = self.backend
        return {**b.scan_params, **b.row_params, **self.params}

    def order_sql(self) -> str:
        b = self.backend
        return order_by([(b.order_expr(p), asc) for p, asc in self.keys], b.row_name)

    @property
    def identity(self) -> bool:
        return not self.filtered and not self.keys

    def _check_open(self) -> None:
        if self._closed:
            raise Conflict("this view was closed (its source changed or was evicted); "
                           "ask for the page again")

    # -- order table -----------------------------------------------------------------------
    def order_table(self) -> str:
        """The name of this view's table of row positions in display order (made once; a
        caller arriving while another thread builds it waits for that build)."""
        self._check_open()
        with self._order_lock:
            if self._table is None:
                self._check_open()
                b = self.backend
                name = b.new_table_name()
                with b.task_cursor() as cursor:
                    self._build_cursor = cursor
                    cursor.execute(f"CREATE TABLE {name} AS SELECT {b.row_name} AS r "
                                   f"FROM {b.source_sql(self.where)} ORDER BY {self.order_sql()}",
                                   self.all_params()).fetchall()
                with self._lock:
                    self._table, self._build_cursor = name, None
                    if self._closed:  # closed while building: nobody will use it
                        b.drop_table(name)
                        self._table = None
            return self._table

    def build_in_background(self) -> None:
        """Start building the order table (if not made or under way) in a daemon thread."""
        with self._lock:
            if self._table is not None or self._building is not None or self._closed:
                return
            self._building = self.backend.in_background(self._build_quietly, "order")

    def _build_quietly(self) -> None:
        try:
            # First every position of the top-k region (pages there then need no query that
            # competes with the build), then the full order.
            if self.backend.top_k_rows:
                self._sorted_positions(0, self.backend.top_k_rows)
            self.order_table()
        except Exception:  # noqa: BLE001 - closed or interrupted: a later page builds again
            with self._lock:
                self._building = None

    def order_ready(self) -> bool:
        return self._table is not None

    # -- segments (filtered views in file order) ------------------------------------------
    def segments(self) -> tuple[list[int], list[int]]:
        """(segment ids holding kept rows, cumulative kept rows before each): one pass."""
        with self._lock:
            if self._segments is not None:
                return self._segments
        b = self.backend
        rows = b.cursor().execute(
            f"SELECT {b.row_name} // $segment AS s, count(*) FROM "
            f"{b.source_sql(self.where)} GROUP BY 1 ORDER BY 1",
            {**self.all_params(), "segment": int(b.segment_rows)}).fetchall()
        ids, before, total = [], [], 0
        for segment, n in rows:
            ids.append(int(segment))
            before.append(total)
            total += int(n)
        with self._lock:
            self._segments, self._count = (ids, before), total
        return self._segments

    def _segment_page(self, offset: int, limit: int, select: str) -> pa.Table:
        ids, before = self.segments()
        if not ids or offset >= (self._count or 0):
            return self._empty(select)
        first = bisect.bisect_right(before, offset) - 1
        last = max(bisect.bisect_left(before, offset + limit) - 1, first)
        size = self.backend.segment_rows
        start, stop = ids[first] * size, (ids[last] + 1) * size
        return self._range_query(select, start, stop, limit, offset - before[first])

    def _range_query(self, select: str, start: int, stop: int, limit: int,
                     skip: int = 0) -> pa.Table:
        b = self.backend
        source, params = b.range_source(start, stop)
        return b.arrow(f"SELECT {select} FROM {source} WHERE {self.where} "
                       f"ORDER BY {b.row_name} LIMIT $limit OFFSET $offset",
                       {**params, **self.params, "limit": limit, "offset": skip})

    def _scan_from_top(self, offset: int, limit: int, select: str) -> pa.Table:
        """The first offset+limit kept rows, read in growing row ranges from the top (a
        filter that keeps many rows is answered from the first row groups)."""
        want, parts, got, start = offset + limit, [], 0, 0
        size, total = self.backend.segment_rows, self.backend.total_rows
        while got < want and start < total:
            part = self._range_query(select, start, start + size, want - got)
            parts.append(part)
            got += part.num_rows
            start, size = start + size, size * 4
        if not parts:
            return self._empty(select)
        return pa.concat_tables(parts).slice(offset, limit)

    def _empty(self, select: str) -> pa.Table:
        b = self.backend
        return b.arrow(f"SELECT {select} FROM {b.source_sql('false')}", b.base_params())

    # -- the DataView interface -------------------------------------------------------------
    def count(self) -> Count:
        self._check_open()
        b = self.backend
        if not self.filtered:
            return Count(b.total_rows)
        with self._lock:
            if self._count is not None:
                return Count(self._count)
        if self._table is not None:
            (n,), = b.cursor().execute(f"SELECT count(*) FROM {self._table}").fetchall()
            with self._lock:
                self._count = int(n)
        else:
            self.segments()
        return Count(self._count)

    def _rows(self, offset: int, limit: int, columns: list[int]) -> pa.Table:
        b = self.backend
        if self.identity:
            stop = min(offset + limit, b.total_rows)
            return b.fetch_range(min(offset, stop), stop, columns)
        if not self.keys and b.prunes_by_row:
            select = b.select_list(columns)
            if self._segments is None and offset + limit <= b.top_k_rows:
                return self._scan_from_top(offset, limit, select)
            return self._segment_page(offset, limit, select)
        table = self._from_ahead(offset, limit, columns)
        if table is None:
            table = b.fetch_rows(self._sorted_positions(offset, limit), columns)
        if b.read_ahead and table.num_rows == limit:
            self._read_ahead(offset + limit, limit, columns)
        return table

    def _sorted_positions(self, offset: int, limit: int) -> list[int]:
        """Positions of the sorted view's rows offset..offset+limit."""
        b = self.backend
        if self._table is None and offset + limit <= b.top_k_rows:
            with self._top_lock:  # one top-k at a time: a second caller uses the first's
                return self._top_positions(offset, limit)
        table = self.order_table()
        return [r for (r,) in b.cursor().execute(
            f"SELECT r FROM {table} WHERE rowid >= $a AND rowid < $b ORDER BY rowid",
            {"a": offset, "b": offset + limit}).fetchall()]

    def _top_positions(self, offset: int, limit: int) -> list[int]:
        """Positions offset..offset+limit from a top-k query of positions only (the sort
        reads the keys, not every asked column). The first asks for a few pages (a larger k
        costs more: 2x for strings at 1,000 against 100 rows), the next for top_k_rows."""
        b = self.backend
        with self._lock:
            top, asked = self._top
        if top is None or offset + limit > asked:
            asked = b.top_k_rows if top is not None else \
                min(max(offset + 2 * limit, TOP_FIRST_ROWS), b.top_k_rows)
            top = [r for (r,) in b.cursor().execute(
                f"SELECT {b.row_name} FROM {b.source_sql(self.where)} "
                f"ORDER BY {self.order_sql()} LIMIT $limit",
                {**self.all_params(), "limit": asked}).fetchall()]
            with self._lock:
                self._top = (top, asked)
            if b.background_orders and not b.read_ahead:
                self.build_in_background()
        return top[offset:offset + limit]

    # -- reading ahead (sorted views) -------------------------------------------------------
    def _from_ahead(self, offset: int, limit: int, columns: list[int]) -> pa.Table | None:
        with self._lock:
            ahead = self._ahead
        if ahead is None:
            return None
        thread, start, stop, asked, table = ahead
        if asked != columns or not start <= offset or offset + limit > stop:
            return None
        if table is None:  # still being read: wait for it rather than read the rows twice
            thread.join()
            with self._lock:
                ahead = self._ahead
            if ahead is None or ahead[0] is not thread or ahead[4] is None:
                return None
            table = ahead[4]
        return table.slice(offset - start, limit)

    def _read_ahead(self, offset: int, limit: int, columns: list[int]) -> None:
        """Fetch the next page's rows in the background: scrolling down a sorted view
        then finds them read (a page of a sorted view costs a Parquet page per row and
        column)."""
        def work():
            try:
                table = self.backend.fetch_rows(self._sorted_positions(offset, limit), columns)
            except Exception:  # noqa: BLE001 - closed or interrupted: the page reads itself
                table = None
            with self._lock:
                if self._ahead is not None and self._ahead[0] is thread:
                    self._ahead = None if table is None else \
                        (thread, offset, offset + limit, columns, table)
            if self.backend.background_orders:
                # The full order's build takes both cores for a while (20-90 s at 100M
                # rows): it starts once the first pages are read, not while they are.
                self.build_in_background()

        with self._lock:
            if self._closed:
                return
        started = threading.Event()
        thread = self.backend.in_background(lambda: started.wait() and work(), "ahead")
        with self._lock:
            self._ahead = (thread, offset, offset + limit, columns, None)
        started.set()

    def window(self, offset: int, limit: int, columns: Sequence[int]):
        check_window(offset, limit)
        self._check_open()
        table = self._rows(offset, limit, list(columns))
        labels = table.column(self.backend.row_name).to_pylist()
        data = table_rows(table.drop_columns([self.backend.row_name]))
        return labels, data

    def describe(self, column: int) -> dict:
        self._check_open()
        return duckdb_stats.describe(self, column)

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        check_format(fmt)
        check_export_names(columns, names)
        self._check_open()
        return export_stream(self._export_tables(list(columns)), list(names), fmt)

    def _export_tables(self, columns: list[int]) -> Iterator[pa.Table]:
        b = self.backend
        select = ", ".join(quote_identifier(b.names[c]) for c in columns) or "NULL AS x"
        query = f"SELECT {select} FROM {b.source_sql(self.where)}"
        if self.keys:
            query += f" ORDER BY {self.order_sql()}"
        # else: rows stream in their order as read (DuckDB keeps insertion order), so no
        # sort holds the export in memory
        # A cursor of its own: the stream outlives requests this thread may serve meanwhile.
        with b.task_cursor() as cursor:
            reader = cursor.sql(query, params=self.all_params()).to_arrow_reader(
                EXPORT_BATCH_ROWS)
            empty = True
            for batch in reader:
                empty = False
                yield pa.Table.from_batches([batch])
            if empty:
                yield reader.schema.empty_table()

    def close(self) -> None:
        """Drop this view's order table (interrupting its build); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            table, self._table = self._table, None
            building = self._build_cursor
        if building is not None:
            try:
                building.interrupt()
            except Exception:  # noqa: BLE001 - the build just finished: dropped below
                pass
        if table is not None:
            self.backend.drop_table(table)
