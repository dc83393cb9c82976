"""describe() of one column of a Polars view: a few aggregations, assembled by summary.py.

Every figure is exact (Polars computes distinct counts and quantiles exactly). Quantiles use
linear interpolation, as numpy and describe.py; NaN counts as missing, as in pandas.
"""
from __future__ import annotations

import polars as pl

from ..summary import Figures, assemble, counts_from_thresholds

TOP, BINS = 10, 20
_V = "__v"


def _values(name: str, dtype: pl.DataType, kind: str) -> pl.Expr:
    column = pl.col(name)
    if dtype.is_float():
        return column.fill_nan(None)
    if kind == "datetime":
        # Physical ticks: UTC for zoned columns, in the column's unit (dates as microseconds).
        return (column.cast(pl.Datetime("us")) if dtype == pl.Date else column).cast(pl.Int64)
    if kind == "timedelta":
        return column.cast(pl.Int64)
    if kind == "object":
        return column.cast(pl.String, strict=False)
    return column


def _central_sums(x: pl.Expr) -> list[pl.Expr]:
    """m2, m3, m4 as describe_numbers.central_sums: powers of the deviations of x / scale, the
    power of two describe_numbers.shape_scale picks (2 ** floor(log2(max |x|)))."""
    biggest = x.abs().max()
    scale = pl.when(biggest > 0).then(pl.lit(2.0).pow(biggest.log(2).floor())).otherwise(1.0)
    scaled = x / scale
    deviation = scaled - scaled.mean()
    return [deviation.pow(k).sum().alias(f"m{k}") for k in (2, 3, 4)]


def _top(frame: pl.LazyFrame, kind: str, top: int) -> list:
    counted = frame.filter(pl.col(_V).is_not_null())
    if kind in ("string", "object"):
        # Ties in order of first appearance, as describe.py (Arrow's value_counts).
        counted = counted.group_by(_V, maintain_order=True).len()
        counted = counted.sort("len", descending=True, maintain_order=True)
    else:
        # Ties by ascending value (categories: enums by their order, others by text).
        counted = counted.group_by(_V).len().sort(["len", _V], descending=[True, False])
    rows = counted.head(top).collect()
    return list(zip(rows[_V].to_list(), rows["len"].to_list()))


def describe(frame: pl.LazyFrame, name: str, dtype: pl.DataType, kind: str) -> dict:
    """describe.py's dict for column ``name`` of ``frame`` (the view's rows)."""
    frame = frame.select(_values(name, dtype, kind).alias(_V))
    v = pl.col(_V)
    base = [v.count().alias("count"), pl.len().alias("length"),
            v.drop_nulls().n_unique().alias("unique")]
    extra: list[pl.Expr] = []
    finite = v.filter(v.is_finite()) if kind in ("int", "float") else v
    if kind in ("int", "float"):
        as_float = v.cast(pl.Float64)
        extra = [as_float.mean().alias("mean"), as_float.std(ddof=1).alias("std"),
                 v.min().alias("min"), v.max().alias("max"),
                 (v.is_infinite().sum() if dtype.is_float() else pl.lit(0)).alias("inf_count")]
        extra += [v.quantile(q, interpolation="linear").alias(n)
                  for n, q in (("q25", .25), ("q50", .5), ("q75", .75))]
        extra += _central_sums(as_float)
    if kind in ("int", "float", "datetime", "timedelta"):
        extra += [finite.min().alias("finite_min"), finite.max().alias("finite_max")]
    if kind == "timedelta":
        extra.append(v.cast(pl.Float64).mean().alias("time_mean"))
    if kind == "bool":
        extra += [v.sum().alias("true"), (~v).sum().alias("false")]
    if kind in ("string", "category", "object"):
        lengths = v.cast(pl.String).str.len_chars()
        extra += [lengths.min().alias("len_min"), lengths.sum().alias("len_sum"),
                  lengths.max().alias("len_max"), (lengths == 0).sum().alias("empty")]
    row = frame.select(base + extra).collect().row(0, named=True)
    figures = Figures(count=row["count"], length=row["length"], unique=row["unique"],
                      top=_top(frame, kind, TOP))
    if kind in ("int", "float"):
        figures.numbers = {k: row[k] for k in ("mean", "std", "min", "q25", "q50", "q75",
                                               "max", "inf_count")}
        if row["count"] < 2:
            figures.numbers["std"] = None
        figures.moments = (row["m2"], row["m3"], row["m4"])
    if row.get("finite_min") is not None:
        figures.finite = (row["finite_min"], row["finite_max"])
    if kind == "timedelta":
        figures.time_mean = row["time_mean"]
    if kind == "bool":
        figures.bools = (row["true"], row["false"])
    if kind in ("string", "category", "object"):
        figures.lengths = (row["len_min"], row["len_sum"], row["len_max"])
        figures.empty = row["empty"]

    def count_between(edges: list) -> list:
        ge = [(finite >= e).sum().alias(f"ge{i}") for i, e in enumerate(edges[:-1])]
        above = (finite > edges[-1]).sum().alias("above")
        got = frame.select(ge + [above]).collect().row(0)
        return counts_from_thresholds(list(got[:-1]), got[-1])

    def order_stat(k: int):
        return frame.select(v.drop_nulls().sort().get(k)).collect().item()

    def count_outside(low, high) -> int:
        sides = ([v < low] if low is not None else []) + ([v > high] if high is not None else [])
        return frame.select(pl.any_horizontal(sides).sum()).collect().item()

    unit = getattr(dtype, "time_unit", None) or "us"
    tz = getattr(dtype, "time_zone", None)
    return assemble(kind, figures, BINS, count_between, unit=unit, tz=tz,
                    order_stat=order_stat, count_outside=count_outside)
