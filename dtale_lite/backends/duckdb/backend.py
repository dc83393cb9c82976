"""The DuckDB backend: Parquet and CSV files (one, a directory or a glob) viewed in place.

The data never comes into Python: DuckDB scans the files, and only a window of rows or an
aggregate comes back (as Arrow). Filters compile to SQL with every value a bound parameter and
every identifier a quoted known column (:mod:`.sql`).

Row positions (how pages find rows: view.py):
- Parquet: the position is ``file_row_number`` plus the rows of the files before (read from
  the files' metadata); a page of the plain view reads only the row groups it needs. A file
  with its own column named ``file_row_number`` (which hides DuckDB's) is imported as CSV is;
- CSV: the file is imported once into a table of the backend's own database (in its temporary
  directory), whose ``rowid`` is the position;
- a DuckDB relation (``from_relation``): the position is the row's number in the order the
  relation yields its rows (``row_number() OVER ()``), see ``from_relation``.
Fetching rows by position decodes, per row, a whole Parquet page of every asked column (about
one row group): a page of a sorted view costs about (row groups its rows fall in) x (asked
columns), whatever the file's size. A copy of the rows in DuckDB's own format was tried and
was no faster at 100M rows (2.6 s against 1.7-1.9 s for 100 random rows of 12 columns).

Threads: one DuckDB connection is not thread-safe; every thread gets its own cursor of the
backend's connection. ``memory_limit``, ``threads`` and ``temp_directory`` (for spilling sorts)
are set on the connection; the limit and the threads not given are chosen from the files'
size, their rows and the machine (resources.py).
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from ...frames.columns import Column, api_names
from ...frames.errors import BadRequest, Conflict
from ..base import Capabilities, SortKeys, check_sort_keys
from . import resources
from .rows import RowReader
from .schema import kind_of_duckdb, resolve_files
from .view import DuckDBView
from .sql import Params, SqlColumn, compile_where, quote_identifier, value_sql

SEGMENT_ROWS = 122_880  # DuckDB's (and Polars') Parquet row group size
EXACT_DESCRIBE_ROWS = 10_000_000
TOP_K_ROWS = 1_000  # pages this near the top of a new view are answered by a top-k query


class DuckDBBackend(RowReader):
    """A Backend (see base.py) over Parquet or CSV files read by DuckDB, or over a DuckDB
    relation (``from_relation``)."""

    capabilities = Capabilities("duckdb", chart_primitives=frozenset(
        {"group_aggregate", "histogram", "bins2d", "downsample", "sample", "box_stats",
         "correlations"}))
    top_k_rows = TOP_K_ROWS  # 0 makes every page of a sorted view go through its order table
    background_orders = True  # a sorted view's full order starts building after a top-k page
    segment_rows = SEGMENT_ROWS  # filtered views count their rows per this many positions
    read_ahead = True  # a sorted view reads its next page's rows in the background
    exact_describe_rows = EXACT_DESCRIBE_ROWS  # past this, describe samples (duckdb_stats)

    def __init__(self, path, *, memory_limit: str | None = None,
                 temp_directory: str | None = None, threads: int | None = None):
        """``memory_limit`` (DuckDB's text, e.g. "1GB") and ``threads``: chosen from the
        files and the machine when not given (resources.py); what was set is in
        ``self.settings``."""
        files, fmt = resolve_files(path)
        self._start(temp_directory)
        file_bytes = sum(os.path.getsize(f) for f in files if os.path.isfile(f))
        chosen = resources.choose(file_bytes, None, resources.machine())
        config = {"memory_limit": memory_limit or chosen.memory_setting,
                  "threads": threads or chosen.threads,
                  "temp_directory": self.temp_directory,
                  # Parquet min/max statistics leave NaN out, and DuckDB 2.0's statistics
                  # propagation then folds isnan(x) to false: NaN would count as a number.
                  "disabled_optimizers": "statistics_propagation"}
        # Order tables (and imported CSV) live in a database file in the temporary directory, so
        # they never hold memory the limit is meant for.
        self._con = duckdb.connect(self._database, config=config)
        self._own_connection, self._catalog = True, ""
        self.files, self.format = files, fmt
        self._open(files, fmt)
        if not threads and self.file_rows is not None:  # the rows are known now
            fewer = resources.choose(file_bytes, sum(self.file_rows), resources.machine())
            if fewer.threads != config["threads"]:
                self.cursor().execute(f"SET threads = {int(fewer.threads)}").fetchall()
        self.settings = dict(zip(("memory_limit", "threads"), self.cursor().execute(
            "SELECT current_setting('memory_limit'), current_setting('threads')").fetchall()[0]))

    def _open(self, files: list[str], fmt: str) -> None:
        if fmt == "parquet":
            try:  # one DESCRIBE when no column clashes with DuckDB's own (the usual case)
                self._open_parquet(())
                return
            except duckdb.BinderException:
                pass
            self._scan, self.scan_params = "read_parquet($f)", {"f": files}
            names = [n for n, _ in self._describe()]
            if "file_row_number" not in names:
                self._open_parquet(names)
                return
            # The file's own column hides DuckDB's file_row_number: read it once instead.
            self._import("read_parquet($f)", {"f": files})
        else:
            self._import("read_csv($f)", {"f": files})

    @classmethod
    def from_relation(cls, relation, *, connection=None, temp_directory: str | None = None,
                      memory_limit: str | None = None, threads: int | None = None
                      ) -> "DuckDBBackend":
        """A backend over a DuckDB relation (``duckdb.sql("select ...")``), made in O(1):
        nothing runs until a page, count or describe is asked.

        Queries run on cursors of the relation's own connection (``connection`` when it was
        made on another), so they see what the relation sees. Row positions are the order in
        which DuckDB yields the relation's rows (its ORDER BY if it has one, else its sources'
        order: file or table order, with insertion order preserved, DuckDB's default); a
        relation whose order is not fixed (a GROUP BY, a join without ORDER BY) should end
        with an ORDER BY, or pages may differ between queries. The order tables go to a
        database file of their own in ``temp_directory``, attached to the
        relation's database and detached by close(). ``memory_limit``/``threads`` are that
        database's settings: changed only when given."""
        con = connection if connection is not None else getattr(relation, "_con", None)
        if con is None:
            raise BadRequest("cannot tell this relation's DuckDB connection; pass connection=")
        if getattr(relation, "_params", None):
            raise BadRequest("a relation made with bound parameters cannot be shown; make it "
                             "without parameters (or show its result)")
        self = cls.__new__(cls)
        self._start(temp_directory)
        self._con, self._own_connection = con, False
        self.files, self.format = [], "relation"
        cursor = con.cursor()
        for name, value in (("memory_limit", memory_limit), ("threads", threads)):
            if value is not None:
                cursor.execute(f"SET {name} = $v", {"v": value}).fetchall()
        alias = f"dtale_lite_{os.getpid()}_{id(self)}"
        cursor.execute(f"ATTACH $path AS {quote_identifier(alias)}",
                       {"path": self._database}).fetchall()
        self._attached, self._catalog = alias, quote_identifier(alias) + "."
        self._scan, self.scan_params = f"({relation.sql_query()}) AS dl_relation", {}
        self._set_columns(list(zip(relation.columns, (str(t) for t in relation.types))))
        self.row_sql, self.row_params = "(row_number() OVER () - 1)", {}
        self.prunes_by_row, self.file_rows = False, None
        return self

    @classmethod
    def over_query(cls, base: "DuckDBBackend", query: str, params: dict,
                   positions: str | None = None) -> "DuckDBBackend":
        """A backend over a SELECT on ``base``'s connection (a frame's steps, issue 15):
        ``query`` reads ``base``'s data, every value in it a bound parameter (``params``).
        ``positions``: a column of the query holding each row's position in ``base`` (rows
        kept in place: pages then prune as ``base``'s do). Without it (a step dropped rows)
        DuckDB writes the query's rows once, numbered in the order it yields them, into a
        table of this backend's own database (on disk, in its temporary directory): each page
        would otherwise run the steps again (3 s for drop_duplicates at 10M rows). Its order
        tables go to that database too, detached by close() (``base`` stays open)."""
        self = cls.__new__(cls)
        self._start(None)
        self._con, self._own_connection = base._con, False
        self.files, self.format = [], "relation"
        alias = f"dtale_lite_{os.getpid()}_{id(self)}"
        base.cursor().execute(f"ATTACH $path AS {quote_identifier(alias)}",
                              {"path": self._database}).fetchall()
        self._attached, self._catalog = alias, quote_identifier(alias) + "."
        self._scan, self.scan_params = f"({query}) AS dl_steps", dict(params)
        self._set_columns([d for d in self._describe() if d[0] != positions])
        self.row_sql, self.row_params = "(row_number() OVER () - 1)", {}
        self.prunes_by_row, self.file_rows = False, None
        if positions is not None:
            self.row_sql = quote_identifier(positions)
            self.prunes_by_row, self.file_rows = base.prunes_by_row, base.file_rows
            return self
        table = self.new_table_name()
        self.cursor().execute(f"CREATE TABLE {table} AS SELECT *, row_number() OVER () - 1 "
                              f"AS {self.row_name} FROM {self._scan}", self.scan_params
                              ).fetchall()
        self._scan, self.scan_params, self._imported = table, {}, table
        self.row_sql, self.prunes_by_row = self.row_name, True
        return self

    # -- set-up ----------------------------------------------------------------------------
    def _start(self, temp_directory: str | None) -> None:
        self._own_temp = temp_directory is None
        self.temp_directory = temp_directory or tempfile.mkdtemp(prefix="dtale-lite-duckdb-")
        os.makedirs(self.temp_directory, exist_ok=True)
        self._database = os.path.join(self.temp_directory,
                                      f"dtale-lite-views-{os.getpid()}-{id(self)}.duckdb")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._names = itertools.count()
        self._tasks: set = set()  # cursors of running background work, interrupted by close
        self._threads: set[threading.Thread] = set()  # background work, joined by close
        self._rows_total: int | None = None
        self._attached = None
        self._imported: str | None = None  # the table the data was read into, if it was
        self._closed = False

    def _describe(self) -> list[tuple[str, str]]:
        return self.cursor().execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {self._scan})",
            self.scan_params).fetchall()

    def _set_columns(self, described: list[tuple[str, str]]) -> None:
        self.names = [n for n, _ in described]
        self.types = [t for _, t in described]
        # The row position's alias: a name no column of the data has (a plain identifier).
        self.row_name = next(name for name in (f"__dtale_lite_row{'_' * i}" for i in
                                               itertools.count()) if name not in self.names)
        self._columns = [Column(i, name, t, kind_of_duckdb(t))
                         for i, (name, t) in enumerate(zip(api_names(self.names), self.types))]

    def _open_parquet(self, names) -> None:
        """Read the files in place. Raises duckdb.BinderException when a column of the data
        is named file_row_number or like the file-name column (``names``: the data's column
        names when known, to pick a free name for it)."""
        # filename= names DuckDB's column of file names: a name the data does not use.
        file_alias = next(n for n in (f"__dtale_lite_file{'_' * i}" for i in itertools.count())
                          if n not in names)
        self._scan = "read_parquet($f, file_row_number=true, filename=$fa)"
        self.scan_params = {"f": self.files, "fa": file_alias}
        self._set_columns([d for d in self._describe()
                           if d[0] not in ("file_row_number", file_alias)])
        self.file_rows = [r[0] for r in self.cursor().execute(
            "SELECT num_rows FROM parquet_file_metadata($f) ORDER BY file_name",
            {"f": self.files}).fetchall()]
        self.prunes_by_row = True
        if len(self.files) == 1:
            self.row_sql, self.row_params = "file_row_number", {}
            return
        params, cases, start = Params("o"), [], 0
        for name, rows in zip(self.files, self.file_rows):
            cases.append(f"WHEN {params.bind(name)} THEN {params.bind(start)}")
            start += rows
        self.row_sql = (f"(file_row_number + CASE {quote_identifier(file_alias)} "
                        f"{' '.join(cases)} END)")
        self.row_params = params.values

    def _import(self, reader: str, params: dict) -> None:
        """Read the data once into a table of this backend's database, with its row
        position stored (positions then prune by the table's min/max per row group)."""
        self._scan, self.scan_params = reader, params
        self._set_columns(self._describe())
        table = quote_identifier("dl_base")
        self.cursor().execute(f"CREATE TABLE {table} AS SELECT *, row_number() OVER () - 1 "
                              f"AS {self.row_name} FROM {reader}", params).fetchall()
        self._scan, self.scan_params = table, {}
        self.row_sql, self.row_params = self.row_name, {}
        self.prunes_by_row, self.file_rows = True, None
        self._imported = table

    # -- connection ------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (a DuckDB connection is not thread-safe)."""
        if self._closed:
            raise Conflict("this DuckDB source is closed")
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._con.cursor()
        return cursor

    @contextmanager
    def task_cursor(self):
        """A cursor of its own for long work (an export, a background build), interrupted
        by close()."""
        if self._closed:
            raise Conflict("this DuckDB source is closed")
        cursor = self._con.cursor()
        with self._lock:
            self._tasks.add(cursor)
        try:
            yield cursor
        finally:
            with self._lock:
                self._tasks.discard(cursor)
            cursor.close()

    def arrow(self, query: str, params: dict) -> pa.Table:
        return self.cursor().sql(query, params=params).to_arrow_table()

    def new_table_name(self) -> str:
        return f"{self._catalog}{quote_identifier(f'dl_view_{next(self._names)}')}"

    def drop_table(self, name: str) -> None:
        if self._closed:
            return  # the database file goes with close()
        try:
            self._con.cursor().execute(f"DROP TABLE IF EXISTS {name}").fetchall()
        except duckdb.Error:
            pass  # closed meanwhile

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            tasks = list(self._tasks)
        for cursor in tasks:
            try:
                cursor.interrupt()
            except Exception:  # noqa: BLE001 - finished meanwhile
                pass
        for thread in list(self._threads):  # interrupted: they end at once
            if thread is not threading.current_thread():
                thread.join(30)
        if self._own_connection:
            close_connection(self._con)
        else:
            try:
                self._con.cursor().execute(f"DETACH {quote_identifier(self._attached)}")
            except duckdb.Error:
                pass  # the user's connection is closed already
        if self._own_temp:
            shutil.rmtree(self.temp_directory, ignore_errors=True)
        else:  # a directory the caller gave: remove only the database made here
            for suffix in ("", ".wal"):
                path = self._database + suffix
                if os.path.exists(path):
                    os.remove(path)

    def join_background(self, timeout: float | None = None) -> None:
        """Wait for the background work under way (reads ahead, views' order tables, and
        the work they start) to end."""
        while True:
            with self._lock:
                threads = [t for t in self._threads if t is not threading.current_thread()]
            if not threads:
                return
            for thread in threads:
                thread.join(timeout)
            if timeout is not None:
                return

    def in_background(self, work, name: str) -> threading.Thread:
        """Run ``work`` in a daemon thread that close() waits for (after interrupting it)."""
        def run():
            try:
                work()
            finally:
                cursor = getattr(self._local, "cursor", None)
                if cursor is not None:  # this thread's cursor ends with it
                    self._local.cursor = None
                    try:
                        cursor.close()
                    except duckdb.Error:
                        pass
                with self._lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=run, daemon=True, name=f"dtale-lite-duckdb-{name}")
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return thread

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

    def order_expr(self, position: int) -> str:
        """A sort key's expression: enums in their own order, other columns as filters read
        them (NaN as NULL)."""
        if self._columns[position].kind == "category":
            return quote_identifier(self.names[position])
        return self.column_sql(position).expr

    @property
    def total_rows(self) -> int:
        if self.file_rows is not None:
            return sum(self.file_rows)
        if self._rows_total is None:
            self._rows_total = int(self.cursor().execute(
                f"SELECT count(*) FROM {self._scan}", self.scan_params).fetchall()[0][0])
        return self._rows_total

    def view(self, filter_node=None, sort_keys: SortKeys = ()) -> DuckDBView:
        check_sort_keys(sort_keys, len(self._columns))
        if self._closed:
            raise Conflict("this DuckDB source is closed")
        where, params = ("true", {}) if filter_node is None else \
            compile_where(filter_node, self.filter_column)
        return DuckDBView(self, where, params, tuple(sort_keys),
                          filtered=filter_node is not None)


def close_connection(con) -> None:
    """Close ``con``; while a call runs on the connection itself (not on a tracked cursor, so
    not interrupted above) DuckDB refuses ("connection is busy"): interrupt it and try again
    for up to 5 s (a browser test's kill met a page still reading)."""
    for _ in range(100):
        try:
            con.close()
            return
        except duckdb.Error as error:
            if "busy" not in str(error):
                raise
            try:
                con.interrupt()
            except duckdb.Error:
                pass
            time.sleep(0.05)
    con.close()  # still busy after 5 s: say so (the error names the cause)

