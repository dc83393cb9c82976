"""The chart primitives of ChartSource (source.py) over a Polars view.

Results have the shapes aggregate.py gives (groups in the column's order, one float64 array per
measure flattened over the keys' groups, empty groups NaN or 0 as numpy's bincount gives), so
the chart builder cannot tell the engines apart. Only small results leave Polars.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl

from ...frames import binning
from ...frames.aggregate import AGGREGATIONS, Group
from ...frames.errors import BadRequest
from . import keys as polars_keys

# Aggregations whose empty group is 0 (numpy's bincount), the rest are NaN.
_ZERO_WHEN_EMPTY = ("count", "sum", "distinct")


def numbers_expr(view, column: int) -> pl.Expr:
    """A column as float64, missing as null, datetimes as wall-time nanoseconds (as
    binning.numbers)."""
    backend = view.backend
    name, dtype = backend.names[column], backend.dtypes[column]
    kind = backend.columns()[column].kind
    col = pl.col(name)
    if kind == "datetime":
        if getattr(dtype, "time_zone", None) is not None:
            col = col.dt.replace_time_zone(None)
        return col.cast(pl.Datetime("ns")).cast(pl.Int64).cast(pl.Float64)
    if kind == "timedelta":
        return col.cast(pl.Duration("ns")).cast(pl.Int64).cast(pl.Float64)
    if kind in ("int", "float", "bool"):
        return col.cast(pl.Float64).fill_nan(None)
    raise BadRequest(f"column '{backend.columns()[column].name}' holds {kind} values, "
                     f"not numbers")


def _key_expr(view, column: int) -> pl.Expr:
    return polars_keys.key_values(view, column)


def _encode(view, keys) -> tuple[list[list[Group]], list[pl.Expr]]:
    encoded = [polars_keys.encode(view, key, numbers_expr) for key in keys]
    return [g for g, _ in encoded], [c for _, c in encoded]


def _measure(view, column, agg: str) -> pl.Expr:
    if agg not in AGGREGATIONS:
        raise BadRequest(f"unknown aggregation '{agg}'; use one of {', '.join(AGGREGATIONS)}")
    if column is None:
        return pl.len()
    if agg == "count":
        return _key_expr(view, column).count()
    if agg == "distinct":
        return _key_expr(view, column).drop_nulls().n_unique()
    v = numbers_expr(view, column)
    return {"sum": v.sum(), "mean": v.mean(), "std": v.std(ddof=1), "min": v.min(),
            "max": v.max(), "median": v.quantile(0.5, interpolation="linear")}[agg]


def group_aggregate(view, keys, measures):
    """(groups per key, one float64 array per (column or None, agg) measure)."""
    groups, codes = _encode(view, keys)
    size = math.prod(len(g) for g in groups)
    exprs = [_measure(view, c, a).cast(pl.Float64).alias(f"m{i}")
             for i, (c, a) in enumerate(measures)]
    results = [np.full(size, 0.0 if (c is None or a in _ZERO_WHEN_EMPTY) else np.nan)
               for c, a in measures]
    if size == 0:
        return groups, results
    code = view.backend.code_name  # a name no column of the data has
    flat = polars_keys.flat_code(codes, [len(g) for g in groups]).alias(code)
    table = (view.filtered.with_columns(flat).drop_nulls(code).group_by(code)
             .agg(exprs).collect())
    where = table[code].to_numpy()
    for i in range(len(measures)):
        results[i][where] = table[f"m{i}"].fill_null(np.nan).to_numpy()
    return groups, results


def histogram(view, column: int, bins: int, value_range=None, key=None):
    """(edges, counts [groups x bins], groups or None), as ChartSource.histogram."""
    groups, code = None, pl.lit(0, dtype=pl.Int64)
    if key is not None:
        (groups,), (code,) = _encode(view, [key])
    v = numbers_expr(view, column).alias("v")
    finite = pl.col("v").filter(pl.col("v").is_finite())
    frame = view.filtered.select(v, code.alias("k"))
    size = 1 if key is None else len(groups)
    span = value_range
    if span is None:
        lo, hi = frame.select(finite.min().alias("lo"), finite.max().alias("hi")).collect().row(0)
        span = None if lo is None else (lo, hi)
    if span is None:
        return np.array([]), np.zeros((size, 0)), groups
    edges = binning.bin_edges(span[0], span[1], bins)
    # np.histogram's rule: values in [edge 0, last edge]; bin i holds edge i <= v < edge i+1,
    # the last bin its right edge too. search_sorted over the inner edges is exactly that.
    inner = pl.Series(edges[1:-1], dtype=pl.Float64)
    inside = frame.filter((pl.col("v") >= edges[0]) & (pl.col("v") <= edges[-1]))
    binned = inside.with_columns(pl.lit(inner).search_sorted(pl.col("v"), side="right")
                                 .cast(pl.Int64).alias("b"))
    table = binned.drop_nulls("k").group_by("k", "b").len().collect()
    counts = np.zeros((size, bins), dtype=np.int64)
    counts[table["k"].to_numpy(), table["b"].to_numpy()] = table["len"].to_numpy()
    return edges, counts, groups


def _span(frame, column: str, given):
    if given is not None:
        return given
    finite = pl.col(column).filter(pl.col(column).is_finite())
    lo, hi = frame.select(finite.min().alias("lo"), finite.max().alias("hi")).collect().row(0)
    return None if lo is None else (lo, hi)


def _bin_expr(column: str, edges: np.ndarray) -> pl.Expr:
    """np.histogram's bin of each value inside [edge 0, last edge] (see histogram)."""
    inner = pl.Series(edges[1:-1], dtype=pl.Float64)
    return pl.lit(inner).search_sorted(pl.col(column), side="right").cast(pl.Int64)


def _inside(column: str, edges: np.ndarray) -> pl.Expr:
    return (pl.col(column) >= edges[0]) & (pl.col(column) <= edges[-1])


def bins2d(view, x: int, y: int, x_bins: int, y_bins: int, x_range=None, y_range=None):
    """(x_edges, y_edges, counts[y_bin, x_bin]) over rows where both are finite."""
    frame = view.filtered.select(numbers_expr(view, x).alias("x"),
                                 numbers_expr(view, y).alias("y"))
    frame = frame.filter(pl.col("x").is_finite() & pl.col("y").is_finite())
    xs, ys = _span(frame, "x", x_range), _span(frame, "y", y_range)
    if xs is None or ys is None:
        return np.array([]), np.array([]), np.zeros((0, 0))
    x_edges = binning.bin_edges(*xs, x_bins)
    y_edges = binning.bin_edges(*ys, y_bins)
    table = (frame.filter(_inside("x", x_edges) & _inside("y", y_edges))
             .select(_bin_expr("x", x_edges).alias("bx"), _bin_expr("y", y_edges).alias("by"))
             .group_by("by", "bx").len().collect())
    counts = np.zeros((y_bins, x_bins), dtype=np.int64)
    counts[table["by"].to_numpy(), table["bx"].to_numpy()] = table["len"].to_numpy()
    return x_edges, y_edges, counts


def downsample(view, x: int, y: int, buckets: int, x_range=None, key=None):
    """(groups or None, [(xs, ys, points before) per line]): min/max of y per bucket of x,
    the points binning.downsample_minmax keeps (first row of a tied min or max)."""
    groups, code = None, pl.lit(0, dtype=pl.Int64)
    if key is not None:
        (groups,), (code,) = _encode(view, [key])
    frame = view.filtered.select(numbers_expr(view, x).alias("x"),
                                 numbers_expr(view, y).alias("y"), code.alias("k"))
    keep = pl.col("x").is_finite() & pl.col("y").is_finite()
    if x_range is not None:
        keep &= (pl.col("x") >= x_range[0]) & (pl.col("x") <= x_range[1])
    frame = frame.filter(keep)
    if key is None:
        return None, [_line(frame, buckets, x_range)]
    return groups, [_line(frame.filter(pl.col("k") == i), buckets, x_range)
                    for i in range(len(groups))]


def _line(frame: pl.LazyFrame, buckets: int, x_range):
    points = frame.select("x", "y").collect()
    total = points.height
    if total <= 2 * buckets:
        ordered = points.with_row_index("r").sort("x", "r")
        return ordered["x"].to_numpy(), ordered["y"].to_numpy(), total
    span = x_range or (points["x"].min(), points["x"].max())
    edges = binning.bin_edges(span[0], span[1], buckets)
    binned = points.with_row_index("r").with_columns(_bin_expr("x", edges).alias("b"))
    ends = binned.group_by("b").agg(pl.col("r").get(pl.col("y").arg_min()).alias("lo"),
                                    pl.col("r").get(pl.col("y").arg_max()).alias("hi"))
    picks = pl.concat([ends["lo"], ends["hi"]]).unique()
    chosen = binned.filter(pl.col("r").is_in(picks.implode())).sort("b", "x", "r")
    return chosen["x"].to_numpy(), chosen["y"].to_numpy(), total


def sample(view, columns, n: int):
    """(up to n rows of ``columns`` where none is missing as a pandas frame, how many such
    rows there are): all of them in view order, or aggregate's seeded sample of them."""
    backend = view.backend
    names = [backend.names[c] for c in columns]
    present = view.filtered.select(names).drop_nulls()
    floats = [nm for nm, c in zip(names, columns) if backend.dtypes[c].is_float()]
    if floats:
        present = present.filter(pl.all_horizontal([pl.col(f).is_not_nan() for f in floats]))
    present = present.collect()
    picked = present[binning.sample_positions(present.height, n)]
    frame = pd.DataFrame({i: picked.get_column(nm).to_pandas() for i, nm in enumerate(names)})
    return frame, present.height
