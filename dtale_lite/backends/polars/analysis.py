"""The analysis pages' primitives (frames/analysis) over a Polars view, as Polars expressions.

``nullity``: missing counts per column, per band of the view's rows and per pair, in two
queries; ``duplicates``: one ``group_by`` over the chosen columns (its groups counted, the
largest kept). Missing means null, or NaN in a float column (as pandas' ``isna``); groups put
NaN with null, as ``df.duplicated`` does. Only counts and the largest groups leave Polars.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from ...frames.analysis.missing import Nullity, band_count, missing_in_both
from ..arrow_io import table_rows


def _missing_expr(view, column: int) -> pl.Expr:
    name, dtype = view.backend.names[column], view.backend.dtypes[column]
    missing = pl.col(name).is_null()
    if dtype.is_float():
        missing = missing | pl.col(name).is_nan().fill_null(False)
    return missing


def _key_expr(view, column: int) -> pl.Expr:
    name, dtype = view.backend.names[column], view.backend.dtypes[column]
    return pl.col(name).fill_nan(None) if dtype.is_float() else pl.col(name)


def nullity(view, columns, bands: int) -> Nullity:
    rows = view.count().rows
    k, bands = len(columns), band_count(rows, bands)
    flags = [_missing_expr(view, c).alias(f"m{i}") for i, c in enumerate(columns)]
    if rows == 0 or k == 0:
        return Nullity(rows, np.zeros(k, np.int64), np.zeros(bands, np.int64),
                       np.zeros((bands, k), np.int64), np.zeros((k, k), np.int64))
    marked = view.filtered.select(flags)
    band = (pl.int_range(pl.len(), dtype=pl.Int64) * bands // rows).alias("band")
    per_band = (marked.with_columns(band).group_by("band")
                .agg([pl.len().alias("rows")] + [pl.col(f"m{i}").sum() for i in range(k)])
                .sort("band").collect())
    band_missing = np.zeros((bands, k), np.int64)
    where = per_band["band"].to_numpy()
    band_rows = np.zeros(bands, np.int64)
    band_rows[where] = per_band["rows"].to_numpy()
    for i in range(k):
        band_missing[where, i] = per_band[f"m{i}"].to_numpy()
    missing = band_missing.sum(axis=0)
    both = missing_in_both(missing, rows, lambda pairs: marked.select(
        [(pl.col(f"m{i}") & pl.col(f"m{j}")).sum().alias(f"p{n}")
         for n, (i, j) in enumerate(pairs)]).collect().row(0))
    return Nullity(rows, missing, band_rows, band_missing, both)


def duplicates(view, columns, top: int):
    """As ColumnChartPrimitives.duplicates: (repeated rows, [(values, size)])."""
    b = view.backend
    rows = view.count().rows
    if rows == 0:
        return 0, []
    keys = [_key_expr(view, c).alias(f"k{i}") for i, c in enumerate(columns)]
    size, first = f"{b.code_name}_n", f"{b.code_name}_f"
    groups = (view.filtered.select(keys + [pl.col(b.row_name)])
              .group_by([f"k{i}" for i in range(len(columns))])
              .agg(pl.len().alias(size), pl.col(b.row_name).min().alias(first)))
    counted = groups.select(pl.len().alias("groups"),
                            (pl.col(size) > 1).sum().alias("repeated_groups")).collect()
    repeated = rows - int(counted["groups"][0])
    if repeated == 0:
        return 0, []
    largest = (groups.filter(pl.col(size) > 1)
               .sort([size, first], descending=[True, False]).head(top).collect())
    values = table_rows(largest.select([f"k{i}" for i in range(len(columns))]).to_arrow())
    return repeated, [(list(v), int(n)) for v, n in zip(values, largest[size].to_list())]
