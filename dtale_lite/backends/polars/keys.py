"""Chart group keys over a Polars view, as aggregate.encode_key makes them for pandas.

A key becomes (groups, code expression): the code is the group's number (null for a missing
or excluded value), so every primitive groups by small integers, whatever the key is:
- values: the present values, sorted (enums in their order);
- ``top``: the ``top`` most frequent values (ties to the value seen first, as pandas'
  factorize order), sorted, and one "Other" group for the rest;
- ``bins``: equal-width bins over the finite range, only the bins in use;
- ``freq``: hour/day/week (Monday)/month/quarter/year periods of the wall time, those in use.
"""
from __future__ import annotations

import pandas as pd
import polars as pl

from ...frames import aggregate, binning
from ...frames.aggregate import Group
from ...frames.errors import BadRequest

_TRUNCATE = {"hour": "1h", "day": "1d", "week": "1w", "month": "1mo", "quarter": "1q",
             "year": "1y"}


def key_values(view, column: int) -> pl.Expr:
    backend = view.backend
    name, dtype = backend.names[column], backend.dtypes[column]
    return pl.col(name).fill_nan(None) if dtype.is_float() else pl.col(name)


def encode(view, key, numbers_expr) -> tuple[list[Group], pl.Expr]:
    """(groups, an Int64 expression of each row's group code or null) for ``key``; with
    ``key.missing``, the rows it cannot place get a last group of their own (if any)."""
    groups, codes = _encode(view, key, numbers_expr)
    if not key.missing:
        return groups, codes
    unplaced = view.filtered.select(codes.is_null().sum()).collect().item()
    if not unplaced:
        return groups, codes
    return [*groups, aggregate.missing_group()], codes.fill_null(len(groups))


def _encode(view, key, numbers_expr) -> tuple[list[Group], pl.Expr]:
    backend = view.backend
    kind = backend.columns()[key.column].kind
    if key.freq is not None:
        aggregate.check_period_column(backend.columns()[key.column].name, kind)
        return _periods(view, key)
    if key.bins is not None and kind in ("int", "float", "datetime"):
        return _bins(view, key, kind, numbers_expr(view, key.column))
    values = key_values(view, key.column)
    present = view.filtered.select(values.alias("k")).drop_nulls()
    counted = present.group_by("k", maintain_order=True).len().collect()
    if kind == "category":  # pandas counts categories in their own order
        counted = counted.sort("k")
    folded = key.top is not None and counted.height > key.top
    if folded:
        # Largest counts first, ties to the value seen first (a stable sort), then by value.
        kept = counted.with_row_index("seen").sort("len", descending=True,
                                                   maintain_order=True).head(key.top)
        kept = kept.sort("seen")["k"]
    else:
        kept = counted["k"]
    kept = kept.sort().to_list()
    labels = [pd.Timestamp(v) if kind == "datetime" else v for v in kept]
    groups = aggregate.value_groups(labels, folded)
    codes = values.replace_strict(kept, list(range(len(kept))),
                                  default=len(kept) if folded else None,
                                  return_dtype=pl.Int64)
    if folded:
        codes = pl.when(values.is_null()).then(None).otherwise(codes)
    return groups, codes


def _used(view, codes: pl.Expr) -> list[int]:
    return (view.filtered.select(codes.alias("c")).drop_nulls().unique().sort("c")
            .collect()["c"].to_list())


def _bins(view, key, kind: str, numbers: pl.Expr):
    finite = numbers.filter(numbers.is_finite())
    lo, hi = view.filtered.select(finite.min().alias("lo"),
                                  finite.max().alias("hi")).collect().row(0)
    if lo is None:
        return [], pl.lit(None, dtype=pl.Int64)
    edges = binning.bin_edges(lo, hi, key.bins)
    inner = pl.Series(edges[1:-1], dtype=pl.Float64)
    inside = numbers.is_finite() & (numbers >= edges[0]) & (numbers <= edges[-1])
    raw = pl.when(inside).then(pl.lit(inner).search_sorted(numbers, side="right")
                               .cast(pl.Int64))
    used = _used(view, raw)
    groups = aggregate.bin_groups(edges, kind, used)
    return groups, raw.replace_strict(used, list(range(len(used))), default=None,
                                      return_dtype=pl.Int64)


def _periods(view, key):
    if key.freq not in _TRUNCATE:
        raise BadRequest(f"unknown frequency '{key.freq}'; use one of "
                         f"{', '.join(aggregate.FREQUENCIES)}")
    backend = view.backend
    column = pl.col(backend.names[key.column])
    dtype = backend.dtypes[key.column]
    if getattr(dtype, "time_zone", None) is not None:
        column = column.dt.replace_time_zone(None)  # periods of the wall time, as pandas
    if dtype == pl.Date:
        column = column.cast(pl.Datetime("us"))
    starts = column.dt.truncate(_TRUNCATE[key.freq])
    used = _used(view, starts)
    groups = aggregate.period_groups(used, key.freq)
    return groups, starts.replace_strict(used, list(range(len(used))), default=None,
                                         return_dtype=pl.Int64)


def flat_code(codes: list[pl.Expr], sizes: list[int]) -> pl.Expr:
    """One code over several keys, row-major (null when any key's code is null)."""
    out = pl.lit(0, dtype=pl.Int64)
    for code, size in zip(codes, sizes):
        out = out * size + code
    return out

