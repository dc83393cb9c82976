"""The analysis pages' primitives (frames/analysis) over a DuckDB view, as SQL aggregates.

``nullity``: missing counts per band of the view's rows (its position in the view: the row
itself for the whole data, ``row_number()`` in row order for a filtered view) and per pair of
columns; ``duplicates``: one ``GROUP BY`` over the chosen columns. Missing means NULL, with NaN
read as NULL (``column_sql``), as pandas' ``isna``. Identifiers are quoted known columns and
values bound parameters, as everywhere in this backend; nothing is loaded into pandas.
"""
from __future__ import annotations

import numpy as np

from ...frames.analysis.missing import Nullity, band_count, missing_in_both
from ..arrow_io import table_rows


def _flag(view, column: int) -> str:
    return f"CAST(({view.backend.column_sql(column).expr}) IS NULL AS BIGINT)"


def nullity(view, columns, bands: int) -> Nullity:
    b = view.backend
    rows = view.count().rows
    k, bands = len(columns), band_count(rows, bands)
    if rows == 0 or k == 0:
        return Nullity(rows, np.zeros(k, np.int64), np.zeros(bands, np.int64),
                       np.zeros((bands, k), np.int64), np.zeros((k, k), np.int64))
    position = f"(row_number() OVER (ORDER BY {b.row_name}) - 1)" if view.filtered \
        else b.row_name
    flags = ", ".join(f"{_flag(view, c)} AS m{i}" for i, c in enumerate(columns))
    sums = ", ".join(f"sum(m{i})" for i in range(k))
    marked = (f"SELECT {position} * $bands // $rows AS band, {flags} "
              f"FROM {b.source_sql(view.where)}")
    params = {**view.all_params(), "bands": bands, "rows": rows}
    cursor = b.cursor()
    table = cursor.execute(f"SELECT band, count(*), {sums} FROM ({marked}) GROUP BY band",
                           params).fetchall()
    band_rows = np.zeros(bands, np.int64)
    band_missing = np.zeros((bands, k), np.int64)
    for band, count, *missing in table:
        band_rows[band] = count
        band_missing[band] = missing
    missing = band_missing.sum(axis=0)
    def pair_counts(pairs):
        select = ", ".join(f"sum({_flag(view, columns[i])} * {_flag(view, columns[j])})"
                           for i, j in pairs)
        return cursor.execute(f"SELECT {select} FROM {b.source_sql(view.where)}",
                              view.all_params()).fetchall()[0]

    both = missing_in_both(missing, rows, pair_counts)
    return Nullity(rows, missing, band_rows, band_missing, both)


def duplicates(view, columns, top: int):
    """As ColumnChartPrimitives.duplicates: (repeated rows, [(values, size)])."""
    b = view.backend
    rows = view.count().rows
    if rows == 0:
        return 0, []
    keys = ", ".join(f"{b.column_sql(c).expr} AS k{i}" for i, c in enumerate(columns))
    names = ", ".join(f"k{i}" for i in range(len(columns)))
    groups = (f"SELECT {names}, count(*) AS dl_n, min({b.row_name}) AS dl_f FROM "
              f"(SELECT {keys}, {b.row_name} FROM {b.source_sql(view.where)}) GROUP BY ALL")
    cursor = b.cursor()
    (distinct,), = cursor.execute(f"SELECT count(*) FROM ({groups})",
                                  view.all_params()).fetchall()
    repeated = rows - int(distinct)
    if repeated == 0:
        return 0, []
    largest = b.arrow(f"SELECT {names}, dl_n FROM ({groups}) WHERE dl_n > 1 "
                      f"ORDER BY dl_n DESC, dl_f LIMIT $top", {**view.all_params(), "top": top})
    values = table_rows(largest.select([f"k{i}" for i in range(len(columns))]))
    return repeated, [(list(v), int(n)) for v, n in
                      zip(values, largest.column("dl_n").to_pylist())]
