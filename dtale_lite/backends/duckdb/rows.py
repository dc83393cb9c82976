"""How the DuckDB backend reads rows by their position: the view's FROM clause with a row
position column, rows by a list of positions (pruning Parquet row groups by
``file_row_number``), and ranges of positions in file order.

A mixin of :class:`.duckdb.DuckDBBackend`: it reads the backend's files, scan, row position
expression and connection (``arrow``), set up in duckdb.py.
"""
from __future__ import annotations

import pyarrow as pa

from .sql import Params, quote_identifier


class RowReader:
    @property
    def reads_parquet(self) -> bool:
        """Whether rows are read from the Parquet files themselves (not from a table)."""
        return self.format == "parquet" and self._imported is None

    def base_params(self) -> dict:
        return {**self.scan_params, **self.row_params}

    def source_sql(self, where: str) -> str:
        """FROM ... WHERE ... of the view's rows: the data's columns and the row position."""
        columns = ", ".join(quote_identifier(n) for n in self.names)
        return (f"(SELECT {columns}{', ' if columns else ''}{self.row_sql} AS {self.row_name} "
                f"FROM {self._scan}) AS src WHERE {where}")

    def select_list(self, columns: list[int]) -> str:
        return ", ".join([quote_identifier(self.names[c]) for c in columns] + [self.row_name])

    def fetch_rows(self, rows: list[int], columns: list[int]) -> pa.Table:
        """The rows at ``rows`` (positions), in that order, with their position last."""
        select, row = self.select_list(columns), self.row_name
        if not rows:
            table = self.arrow(f"SELECT {select} FROM {self.source_sql('false')}",
                               self.base_params())
        elif self.reads_parquet:
            table = self._fetch_parquet_rows(rows, select)
        else:
            where = f"{row} IN ({self._placeholders(len(rows))})"
            table = self.arrow(f"SELECT {select} FROM {self.source_sql(where)}",
                               {**self.base_params(), **self._bound(rows)})
        order = {r: i for i, r in enumerate(rows)}
        got = table.column(self.row_name).to_pylist()
        picks = sorted(range(len(got)), key=lambda i: order[got[i]])
        return table.take(pa.array(picks, type=pa.int64()))

    @staticmethod
    def _placeholders(n: int) -> str:
        # A list of bound values, not one list value: DuckDB pushes ``x IN ($r0, ...)`` into
        # the scan, which then reads only the row groups holding the rows (``= ANY($list)``
        # and ``IN (SELECT unnest($list))`` decode every row group: 20 s at 100M rows).
        return ", ".join(f"$r{i}" for i in range(n))

    @staticmethod
    def _bound(values: list[int]) -> dict:
        return {f"r{i}": int(v) for i, v in enumerate(values)}

    def _fetch_parquet_rows(self, rows: list[int], select: str) -> pa.Table:
        """Rows by position from the files, file by file: each file's own file_row_number
        is what its scan prunes row groups by."""
        columns_sql = ", ".join(quote_identifier(n) for n in self.names)
        parts, start = [], 0
        for name, size in zip(self.files, self.file_rows):
            inside = [r - start for r in rows if start <= r < start + size]
            if inside:
                query = (f"SELECT {select} FROM (SELECT {columns_sql}"
                         f"{', ' if columns_sql else ''}file_row_number + $o AS {self.row_name}"
                         f" FROM read_parquet($f, file_row_number=true) "
                         f"WHERE file_row_number IN ({self._placeholders(len(inside))}))")
                parts.append(self.arrow(query, {"f": name, "o": start,
                                                **self._bound(inside)}))
            start += size
        return pa.concat_tables(parts)

    def range_source(self, start: int, stop: int, prefix: str = "r") -> tuple[str, dict]:
        """(FROM item, parameters) of the rows at positions start..stop, with the data's
        columns and the row position, reading only the row groups that hold them. The
        parameters' names start with ``prefix``."""
        columns = ", ".join(quote_identifier(n) for n in self.names)
        columns += ", " if columns else ""
        row = self.row_name
        if not self.reads_parquet or len(self.files) == 1:
            return (f"(SELECT * FROM (SELECT {columns}{self.row_sql} AS {row} FROM "
                    f"{self._scan}) WHERE {row} >= ${prefix}a AND {row} < ${prefix}b) AS src",
                    {**self.base_params(), f"{prefix}a": start, f"{prefix}b": stop})
        # Several files: each one's own file_row_number is what its scan prunes by.
        parts, params, offset = [], Params(f"{prefix}g"), 0
        for name, rows in zip(self.files, self.file_rows):
            lo, hi = max(start - offset, 0), min(stop - offset, rows)
            if lo < hi:
                parts.append(f"SELECT {columns}file_row_number + {params.bind(offset)} AS {row} "
                             f"FROM read_parquet({params.bind(name)}, file_row_number=true) "
                             f"WHERE file_row_number >= {params.bind(lo)} "
                             f"AND file_row_number < {params.bind(hi)}")
            offset += rows
        if not parts:
            return f"(SELECT {columns}{row} FROM {self.source_sql('false')}) AS src", \
                self.base_params()
        return f"({' UNION ALL '.join(parts)}) AS src", params.values

    def fetch_range(self, start: int, stop: int, columns: list[int]) -> pa.Table:
        """Rows start..stop in file order, reading only the row groups needed."""
        source, params = self.range_source(start, stop)
        return self.arrow(f"SELECT {self.select_list(columns)} FROM {source} "
                          f"ORDER BY {self.row_name}", params)
