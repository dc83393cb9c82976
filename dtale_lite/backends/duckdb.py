"""The DuckDB backend: Parquet and CSV files (one, a directory or a glob) viewed in place.

The data never comes into Python: DuckDB scans the files, and only a window of rows or an
aggregate comes back (as Arrow). Filters compile to SQL with every value a bound parameter and
every identifier a quoted known column (:mod:`.sql`).

Row positions. Pages are addressed by row number, never by a deep ``LIMIT/OFFSET`` (which
scans everything before the offset):
- Parquet: the position is ``file_row_number`` plus the rows of the files before (read from
  the files' metadata); a page of the plain view reads only the row groups it needs;
- CSV: the file is imported once into a table of the backend's own database (in its temporary
  directory), whose ``rowid`` is the position;
- a sorted or filtered view materializes its order once: a table of row positions in display
  order (``ORDER BY keys..., row``: stable, missing last, never a repeated or skipped row), and
  a page is the ``rowid`` range of that table, then the rows at those positions.

Threads: one DuckDB connection is not thread-safe; every thread gets its own cursor of the
backend's connection. ``memory_limit`` and ``temp_directory`` (for spilling sorts) are set on
the connection.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from ..columns import Column, api_names
from ..errors import BadRequest, NotFound
from . import duckdb_stats
from .arrow_io import export_stream, table_rows
from .base import (Capabilities, ChartPrimitivesVia, Count, SortKeys, check_export_names,
                   check_format, check_sort_keys, check_window)
from .sql import Params, SqlColumn, compile_where, order_by, quote_identifier, value_sql

DEFAULT_MEMORY_LIMIT = "2GB"
EXPORT_BATCH_ROWS = 100_000
TOP_K_ROWS = 1_000  # pages this near the top of a new view are answered by a top-k query


def kind_of_duckdb(type_name: str) -> str:
    """One of columns.KINDS for a DuckDB type name."""
    t = type_name.upper()
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):
        return "object"
    if t == "BOOLEAN":
        return "bool"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT"):
        return "int"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "float"
    if t == "VARCHAR":
        return "string"
    if t.startswith("ENUM"):
        return "category"
    if t.startswith("TIMESTAMP") or t == "DATE":
        return "datetime"
    if t == "INTERVAL":
        return "timedelta"
    return "object"


def resolve_files(path) -> tuple[list[str], str]:
    """(sorted absolute file paths, "parquet" or "csv") for a file, directory or glob.

    Raises NotFound when nothing matches, BadRequest for an unknown file type or a mix."""
    text = os.fspath(path)
    if os.path.isdir(text):
        files = [str(p) for p in Path(text).iterdir()
                 if p.suffix.lower() in (".parquet", ".csv", ".pq") and p.is_file()]
    elif glob.has_magic(text):
        files = [p for p in glob.glob(text, recursive=True) if os.path.isfile(p)]
    else:
        files = [text] if os.path.isfile(text) else []
    if not files:
        raise NotFound(f"no Parquet or CSV file at {text!r}")
    kinds = {"csv" if f.lower().endswith((".csv", ".csv.gz", ".tsv")) else "parquet"
             for f in files}
    if len(kinds) > 1:
        raise BadRequest(f"{text!r} mixes CSV and Parquet files; open them separately")
    return sorted(os.path.abspath(f) for f in files), kinds.pop()


class DuckDBBackend:
    """A Backend (see base.py) over Parquet or CSV files read by DuckDB."""

    capabilities = Capabilities("duckdb", chart_primitives=frozenset(
        {"group_aggregate", "histogram", "bins2d", "downsample", "sample"}))
    top_k_rows = TOP_K_ROWS  # 0 makes every page of a view go through its order table

    def __init__(self, path, *, memory_limit: str = DEFAULT_MEMORY_LIMIT,
                 temp_directory: str | None = None, threads: int | None = None):
        self.files, self.format = resolve_files(path)
        self._own_temp = temp_directory is None
        self.temp_directory = temp_directory or tempfile.mkdtemp(prefix="dtale-lite-duckdb-")
        os.makedirs(self.temp_directory, exist_ok=True)
        config = {"memory_limit": memory_limit, "temp_directory": self.temp_directory,
                  # Parquet min/max statistics leave NaN out, and DuckDB 2.0's statistics
                  # propagation then folds isnan(x) to false: NaN would count as a number.
                  "disabled_optimizers": "statistics_propagation"}
        if threads:
            config["threads"] = threads
        # Views' order tables live in a database file in the temporary directory, so they
        # never hold memory the limit is meant for.
        self._database = os.path.join(self.temp_directory,
                                      f"dtale-lite-views-{os.getpid()}-{id(self)}.duckdb")
        self._con = duckdb.connect(self._database, config=config)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._names = itertools.count()
        self._tables: list[str] = []
        self._closed = False
        if self.format == "csv":
            self._scan, self._scan_params = quote_identifier("dl_base"), {}
            self.cursor().execute(f"CREATE TABLE {self._scan} AS SELECT * FROM read_csv($f)",
                                  {"f": self.files}).fetchall()
            self.row_sql, self.row_params = "rowid", {}
            self.file_rows = [self.cursor().execute(
                f"SELECT count(*) FROM {self._scan}").fetchall()[0][0]]
        else:
            self._scan = "read_parquet($f, file_row_number=true, filename=true)"
            self._scan_params = {"f": self.files}
            self.file_rows = [r[0] for r in self.cursor().execute(
                "SELECT num_rows FROM parquet_file_metadata($f) ORDER BY file_name",
                {"f": self.files}).fetchall()]
            self.row_sql, self.row_params = self._parquet_row()
        described = self.cursor().execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {self._scan})",
            self._scan_params).fetchall()
        skip = {"file_row_number", "filename"} if self.format == "parquet" else set()
        described = [(n, t) for n, t in described if n not in skip]
        self.names = [n for n, _ in described]
        # The row position's alias: a name no column of the data has.
        self.row_name = next(name for name in (f"__dtale_lite_row{'_' * i}" for i in
                                               itertools.count()) if name not in self.names)
        self.types = [t for _, t in described]
        self._columns = [Column(i, name, t, kind_of_duckdb(t))
                         for i, (name, t) in enumerate(zip(api_names(self.names), self.types))]

    def _parquet_row(self) -> tuple[str, dict]:
        if len(self.files) == 1:
            return "file_row_number", {}
        params, cases, start = Params("o"), [], 0
        for name, rows in zip(self.files, self.file_rows):
            cases.append(f"WHEN {params.bind(name)} THEN {params.bind(start)}")
            start += rows
        return f"(file_row_number + CASE filename {' '.join(cases)} END)", params.values

    # -- connection ------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (a DuckDB connection is not thread-safe)."""
        if self._closed:
            raise BadRequest("this DuckDB source is closed")
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._con.cursor()
        return cursor

    def arrow(self, query: str, params: dict) -> pa.Table:
        return self.cursor().sql(query, params=params).to_arrow_table()

    def new_table_name(self) -> str:
        name = f"dl_view_{next(self._names)}"
        with self._lock:
            self._tables.append(name)
        return name

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._con.close()
        if self._own_temp:
            shutil.rmtree(self.temp_directory, ignore_errors=True)
        else:  # a directory the caller gave: remove only the database of views made here
            for suffix in ("", ".wal"):
                path = self._database + suffix
                if os.path.exists(path):
                    os.remove(path)

    # -- schema ----------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        return self._columns

    def column_sql(self, position: int) -> SqlColumn:
        column = self._columns[position]
        tz = "UTC" if self.types[position].upper() == "TIMESTAMP WITH TIME ZONE" else None
        return SqlColumn(value_sql(self.names[position], column.kind,
                                   self.types[position].upper()), column.kind, tz)

    def filter_column(self, name: str) -> SqlColumn | None:
        for column in self._columns:
            if column.name == name:
                return self.column_sql(column.position)
        return None

    @property
    def total_rows(self) -> int:
        return sum(self.file_rows)

    def view(self, filter_node=None, sort_keys: SortKeys = ()) -> "DuckDBView":
        check_sort_keys(sort_keys, len(self._columns))
        where, params = ("true", {}) if filter_node is None else \
            compile_where(filter_node, self.filter_column)
        return DuckDBView(self, where, params, tuple(sort_keys),
                          filtered=filter_node is not None)

    def source_sql(self, where: str) -> str:
        """FROM ... WHERE ... of the view's rows, with the row position as a column."""
        return (f"(SELECT *, {self.row_sql} AS {self.row_name} FROM {self._scan}) AS src "
                f"WHERE {where}")

    def fetch_rows(self, rows: list[int], columns: list[int]) -> pa.Table:
        """The rows at ``rows`` (positions), in that order, with their position last."""
        select = ", ".join([quote_identifier(self.names[c]) for c in columns] + [self.row_name])
        if not rows:
            where, params = "false", {}
        else:
            # The min/max bounds let Parquet skip row groups; the list picks the rows.
            row = self.row_name
            where = f"{row} BETWEEN $lo AND $hi AND {row} IN (SELECT unnest($ids))"
            params = {"lo": min(rows), "hi": max(rows), "ids": rows}
        table = self.arrow(f"SELECT {select} FROM {self.source_sql(where)}",
                           {**self._scan_params, **self.row_params, **params})
        order = {r: i for i, r in enumerate(rows)}
        got = table.column(self.row_name).to_pylist()
        picks = sorted(range(len(got)), key=lambda i: order[got[i]])
        return table.take(pa.array(picks, type=pa.int64()))

    def fetch_range(self, start: int, stop: int, columns: list[int]) -> pa.Table:
        """Rows start..stop of the files in file order, reading only the row groups needed."""
        select = ", ".join([quote_identifier(self.names[c]) for c in columns] + [self.row_name])
        if self.format == "csv":
            row = self.row_name
            query = (f"SELECT {select} FROM (SELECT *, rowid AS {row} FROM {self._scan}) "
                     f"WHERE {row} >= $a AND {row} < $b ORDER BY {row}")
            return self.arrow(query, {"a": start, "b": stop})
        parts, offset = [], 0
        for name, rows in zip(self.files, self.file_rows):
            lo, hi = max(start - offset, 0), min(stop - offset, rows)
            if lo < hi:
                query = (f"SELECT {select} FROM (SELECT *, "
                         f"file_row_number + $o AS {self.row_name} "
                         f"FROM read_parquet($f, file_row_number=true)) "
                         f"WHERE file_row_number >= $a AND file_row_number < $b "
                         f"ORDER BY file_row_number")
                parts.append(self.arrow(query, {"f": name, "o": offset, "a": lo, "b": hi}))
            offset += rows
        if not parts:
            return self.fetch_rows([], columns)
        return pa.concat_tables(parts)


class DuckDBView(ChartPrimitivesVia):
    """One (filter, sort) view of a DuckDBBackend; thread-safe."""

    chart_module = duckdb_stats

    def __init__(self, backend: DuckDBBackend, where: str, params: dict, keys: SortKeys,
                 filtered: bool):
        self.backend, self.where, self.params, self.keys = backend, where, params, keys
        self.filtered = filtered
        self._lock = threading.Lock()
        self._table: str | None = None
        self._count: int | None = None
        if filtered:  # a filter that does not fit its column fails here, not on a page
            self.backend.cursor().execute(
                f"EXPLAIN SELECT 1 FROM {self.backend.source_sql(where)}",
                self.all_params()).fetchall()

    def all_params(self) -> dict:
        b = self.backend
        return {**b._scan_params, **b.row_params, **self.params}

    def order_sql(self) -> str:
        b = self.backend
        return order_by([(b.column_sql(p).expr if b._columns[p].kind != "category"
                          else quote_identifier(b.names[p]), asc) for p, asc in self.keys],
                        self.backend.row_name)

    @property
    def identity(self) -> bool:
        return not self.filtered and not self.keys

    def order_table(self) -> str:
        """The name of this view's table of row positions in display order (made once)."""
        with self._lock:
            if self._table is None:
                name = quote_identifier(self.backend.new_table_name())
                self.backend.cursor().execute(
                    f"CREATE TABLE {name} AS SELECT {self.backend.row_name} AS r "
                    f"FROM {self.backend.source_sql(self.where)} ORDER BY {self.order_sql()}",
                    self.all_params()).fetchall()
                self._table = name
            return self._table

    def count(self) -> Count:
        if self.identity:
            return Count(self.backend.total_rows)
        with self._lock:
            if self._count is None:
                table = self._table
                if table is not None:
                    query, params = f"SELECT count(*) FROM {table}", {}
                else:
                    query = f"SELECT count(*) FROM {self.backend.source_sql(self.where)}"
                    params = self.all_params()
                self._count = int(self.backend.cursor().execute(query, params).fetchall()[0][0])
            return Count(self._count)

    def _rows(self, offset: int, limit: int, columns: list[int]) -> pa.Table:
        if self.identity:
            stop = min(offset + limit, self.backend.total_rows)
            return self.backend.fetch_range(min(offset, stop), stop, columns)
        if self._table is None and offset + limit <= self.backend.top_k_rows:
            # The first pages of a new view: a top-k (ORDER BY ... LIMIT) streams over the
            # data once and keeps only offset+limit rows; the full order table is made when
            # a page lies deeper. The row tiebreaker makes both give the same order.
            b = self.backend
            select = ", ".join([quote_identifier(b.names[c]) for c in columns] + [b.row_name])
            return b.arrow(f"SELECT {select} FROM {b.source_sql(self.where)} "
                           f"ORDER BY {self.order_sql()} LIMIT $limit OFFSET $offset",
                           {**self.all_params(), "limit": limit, "offset": offset})
        table = self.order_table()
        rows = [r for (r,) in self.backend.cursor().execute(
            f"SELECT r FROM {table} WHERE rowid >= $a AND rowid < $b ORDER BY rowid",
            {"a": offset, "b": offset + limit}).fetchall()]
        return self.backend.fetch_rows(rows, columns)

    def window(self, offset: int, limit: int, columns: Sequence[int]):
        check_window(offset, limit)
        table = self._rows(offset, limit, list(columns))
        labels = table.column(self.backend.row_name).to_pylist()
        data = table_rows(table.drop_columns([self.backend.row_name]))
        return labels, data

    def describe(self, column: int) -> dict:
        return duckdb_stats.describe(self, column)

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        check_format(fmt)
        check_export_names(columns, names)
        return export_stream(self._export_tables(list(columns)), list(names), fmt)

    def _export_tables(self, columns: list[int]) -> Iterator[pa.Table]:
        b = self.backend
        select = ", ".join(quote_identifier(b.names[c]) for c in columns) or "NULL AS x"
        query = (f"SELECT {select} FROM {b.source_sql(self.where)} "
                 f"ORDER BY {self.order_sql()}")
        # A cursor of its own: the stream outlives requests this thread may serve meanwhile.
        cursor = b._con.cursor()
        try:
            reader = cursor.sql(query, params=self.all_params()).to_arrow_reader(
                EXPORT_BATCH_ROWS)
            empty = True
            for batch in reader:
                empty = False
                yield pa.Table.from_batches([batch])
            if empty:
                yield reader.schema.empty_table()
        finally:
            cursor.close()
