"""describe() and the chart primitives of a DuckDB view, as SQL aggregates.

Every figure is exact (``count(DISTINCT ...)``, ``quantile_cont``: linear interpolation, as
numpy) while the data has at most ``backend.exact_describe_rows`` rows. Past that, an exact
distinct count, quantiles and top values cost a hash table or a sort of the whole column (many
seconds at 100M rows, and memory to spill), so describe reads them approximately and says so
in ``approximate``: ``unique`` from ``approx_count_distinct`` (HyperLogLog) over all rows, and
``top``, the quartiles and the histogram from a sample of whole row groups spread evenly over
the data (counts scaled to the view). Count, missing, mean, std, min, max, infinities and
lengths stay exact. summary.py shapes the answer. Values are
bound parameters and identifiers quoted known columns, as everywhere in this backend.
"""
from __future__ import annotations

import math
from contextlib import contextmanager, nullcontext

import numpy as np
import pandas as pd

from ...frames import binning
from ...frames.aggregate import AGGREGATIONS
from ...frames.errors import BadRequest
from . import keys as duckdb_keys
from .order_stats import order_statistics
from .sql import Params, bin_sql, quote_identifier, used_params
from ...frames.describe_numbers import shape_scale
from ..summary import (Figures, _quantiles, assemble, counts_from_thresholds, outlier_fences,
                       quartile_ranks)

TOP, BINS = 10, 20
# Temporary tables belong to one connection, and each thread has its own cursor: one name
# per thread is enough (a thread describes one column at a time).
SAMPLE_TABLE = "dl_describe_sample"
_ZERO_WHEN_EMPTY = ("count", "sum", "distinct")


def _describe_values(view, column: int) -> tuple[str, str, str]:
    """(value expression, its kind, time unit) as describe reads the column."""
    b = view.backend
    kind, duck_type = b.columns()[column].kind, b.types[column].upper()
    expr = b.column_sql(column).expr
    if kind == "datetime":
        if duck_type == "TIMESTAMP_NS":
            return f"epoch_ns({expr})", kind, "ns"
        return f"epoch_us({expr})", kind, "us"
    if kind == "timedelta":
        return f"CAST(round(epoch({expr}) * 1000000) AS BIGINT)", kind, "us"
    return expr, kind, "us"


SAMPLE_SEGMENTS = 16  # row groups read for a sampled describe (2M rows at 122,880 a group)


def _one(view, select: str, extra: dict | None = None, source: tuple | None = None):
    b = view.backend
    query = f"SELECT {select} FROM {source[0] if source else b.source_sql(view.where)}"
    params = {**(source[1] if source else view.all_params()), **(extra or {})}
    return b.cursor().execute(query, used_params(query, params)).fetchall()[0]


def sample_source(view) -> tuple[str, dict]:
    """(FROM ... WHERE ..., parameters) of the view's rows within SAMPLE_SEGMENTS row
    ranges spread evenly over the data: each range reads only its own row groups."""
    b = view.backend
    size, total = b.segment_rows, b.total_rows
    segments = max(total // size, 1)
    picks = sorted({k * segments // SAMPLE_SEGMENTS for k in range(SAMPLE_SEGMENTS)})
    parts, params = [], dict(view.params)
    for i, segment in enumerate(picks):
        source, values = b.range_source(segment * size, (segment + 1) * size, f"s{i}")
        parts.append(f"SELECT * FROM {source}")
        params.update(values)
    return f"({' UNION ALL '.join(parts)}) AS smp WHERE {view.where}", params


def _top(view, v: str, kind: str, column: int, source: tuple | None = None) -> list:
    # Output columns by position only: an alias could be shadowed by a column of the data.
    b = view.backend
    if kind in ("string", "object"):
        order = f"2 DESC, min({view.backend.row_name}) ASC"  # ties in order of first appearance
    elif kind == "category":
        order = f"2 DESC, min({quote_identifier(b.names[column])}) ASC"
    else:
        order = "2 DESC, 1 ASC"
    where, params = source or (b.source_sql(view.where), view.all_params())
    query = (f"SELECT {v}, count(*) FROM {where} "
             f"AND {v} IS NOT NULL GROUP BY 1 ORDER BY {order} LIMIT {TOP}")
    return b.cursor().execute(query, used_params(query, params)).fetchall()


def describe(view, column: int) -> dict:
    """describe.py's dict for ``column`` over the view's rows."""
    v, kind, unit = _describe_values(view, column)
    b = view.backend
    sampled = b.prunes_by_row and b.total_rows > b.exact_describe_rows
    distinct = f"approx_count_distinct({v})" if sampled else f"count(DISTINCT {v})"
    parts = [f"count({v})", "count(*)", distinct]
    numeric = kind in ("int", "float")
    floating = numeric and view.backend.types[column].upper() in ("DOUBLE", "FLOAT", "REAL")
    finite = f"CASE WHEN isfinite({v}) THEN {v} END" if floating else v
    if numeric:
        parts += [f"avg(CAST({v} AS DOUBLE))", f"stddev_samp(CAST({v} AS DOUBLE))",
                  f"min({v})", f"max({v})", f"count({v}) - count({finite})"]
    if numeric or kind in ("datetime", "timedelta"):
        parts += [f"min({finite})", f"max({finite})"]
    if kind == "timedelta":
        parts.append(f"avg(CAST({v} AS DOUBLE))")
    if kind == "bool":
        parts += [f"count(*) FILTER (WHERE {v})", f"count(*) FILTER (WHERE NOT {v})"]
    if kind in ("string", "category", "object"):
        length = f"length(CAST({v} AS VARCHAR))"
        parts += [f"min({length})", f"sum({length})", f"max({length})",
                  f"count(*) FILTER (WHERE {length} = 0)"]
    row = list(_one(view, ", ".join(parts)))
    with _sample_table(view, column) if sampled else nullcontext() as sample:
        scale, span = 1.0, None  # span: (non-null count, finite min, max, infinite count)
        if sampled:
            span = _one(view, f"count({v}), min({finite}), max({finite}), count({v}) - "
                              f"count({finite})" if numeric else f"count({v})", source=sample)
            scale = row[0] / span[0] if span[0] else 0.0
        top = [(value, round(n * scale)) for value, n in _top(view, v, kind, column, sample)]
        figures = Figures(count=row[0], length=row[1], unique=row[2], top=top)
        if sampled:
            figures.approximate = ["unique", "top"] + (
                ["q25", "q50", "q75", "outliers"] if numeric else []) + (
                ["histogram"] if numeric or kind in ("datetime", "timedelta") else [])
        rest = row[3:]
        if numeric:
            mean, std, low, high, inf_count = rest[:5]
            figures.numbers = dict(mean=mean, std=std if row[0] > 1 else None, min=low,
                                   max=high, inf_count=inf_count)
            # Quartiles of the sample, or exact: found by counting (order_stats.py), never
            # with quantile_cont, which holds the whole column in memory it cannot spill.
            span = span or (row[0], *rest[5:7], inf_count)
            if span[0]:
                figures.numbers.update(_quartiles(view, v, span, sample))
                _shape(view, v, figures)
            rest = rest[5:]
        if numeric or kind in ("datetime", "timedelta"):
            if rest[0] is not None:
                figures.finite = (rest[0], rest[1])
            rest = rest[2:]
        if kind == "timedelta":
            figures.time_mean = rest[0]
        if kind == "bool":
            figures.bools = (rest[0], rest[1])
        if kind in ("string", "category", "object"):
            figures.lengths, figures.empty = tuple(rest[:3]), rest[3]

        def count_between(edges: list) -> list:
            params = Params("e")
            ge = [f"count(*) FILTER (WHERE {finite} >= {params.bind(e)})" for e in edges[:-1]]
            above = f"count(*) FILTER (WHERE {finite} > {params.bind(edges[-1])})"
            got = _one(view, ", ".join(ge + [above]), params.values, source=sample)
            return [round(n * scale) for n in counts_from_thresholds(list(got[:-1]), got[-1])]

        return assemble(kind, figures, BINS, count_between, unit=unit, tz=None)


def _quartiles(view, v: str, span: tuple, source: tuple | None) -> dict:
    """q25, q50 and q75 of ``v`` over the view (or ``source``), interpolated as describe.py
    does (numpy's linear rule, NaN between an infinity and a number); ``span`` is (non-null
    count, min and max of the finite values, how many are infinite)."""
    b = view.backend
    where, params = source or (b.source_sql(view.where), view.all_params())

    def query(sql: str, values: dict) -> list:
        return b.cursor().execute(sql, used_params(sql, values)).fetchall()

    count, low, high, infinite = span
    found = order_statistics(query, where, params, v, quartile_ranks(count), count, low,
                             high, infinite=infinite)
    return _quantiles(count, found.__getitem__)


def _shape(view, v: str, figures: Figures) -> None:
    """Sums of central powers (about the first query's mean, of values scaled as describe_numbers
    scales them) and the count outside the IQR fences: one more pass over the whole view."""
    n, params = figures.numbers, Params("shape")
    sums = []
    if not n["inf_count"] and n["min"] != n["max"] and figures.count >= 3 and \
            n["mean"] is not None and math.isfinite(n["mean"]):
        scale = shape_scale(n["min"], n["max"])
        d = f"(CAST({v} AS DOUBLE) / {params.bind(scale)} - {params.bind(n['mean'] / scale)})"
        sums = [f"sum({d} * {d})", f"sum({d} * {d} * {d})", f"sum(({d} * {d}) * ({d} * {d}))"]
    low, high = outlier_fences(n)  # a NaN side counts nothing (DuckDB orders NaN last)
    sides = ([f"{v} < {params.bind(low)}"] if low is not None else []) + \
        ([f"{v} > {params.bind(high)}"] if high is not None else [])
    outside = f"count(*) FILTER (WHERE {' OR '.join(sides)})" if sides else "0"
    got = _one(view, ", ".join(sums + [outside]), params.values)
    figures.moments = tuple(got[:3]) if sums else None
    n["outliers"] = got[-1]


@contextmanager
def _sample_table(view, column: int):
    """The view's sample (see sample_source) of one column, as a temporary table for as long
    as describe reads it: its four queries (count, top, quartiles, histogram) then read that
    small table instead of 16 row ranges of the file each (0.5-0.65 s a query at 100M rows)."""
    b = view.backend
    table = quote_identifier(SAMPLE_TABLE)
    from_sql, params = sample_source(view)
    b.cursor().execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {quote_identifier(b.names[column])}, "
        f"{b.row_name} FROM {from_sql}", used_params(from_sql, params)).fetchall()
    try:
        yield f"{table} WHERE true", {}
    finally:
        b.cursor().execute(f"DROP TABLE IF EXISTS {table}").fetchall()


# -- chart primitives ----------------------------------------------------------------------


def numbers_sql(view, column: int) -> str:
    """A column as DOUBLE, NULL for missing, datetimes as wall-time nanoseconds."""
    b = view.backend
    kind, expr = b.columns()[column].kind, b.column_sql(column).expr
    if kind == "datetime":
        return f"CAST(epoch_ns(CAST({expr} AS TIMESTAMP)) AS DOUBLE)"
    if kind in ("int", "float", "bool"):
        return f"CAST({expr} AS DOUBLE)"
    raise BadRequest(f"column '{b.columns()[column].name}' holds {kind} values, not numbers")


def _key_sql(view, column: int) -> str:
    return duckdb_keys.key_sql(view, column)


def _measure(view, column, agg: str) -> str:
    if agg not in AGGREGATIONS:
        raise BadRequest(f"unknown aggregation '{agg}'; use one of {', '.join(AGGREGATIONS)}")
    if column is None:
        return "count(*)"
    if agg == "count":
        return f"count({_key_sql(view, column)})"
    if agg == "distinct":
        return f"count(DISTINCT {_key_sql(view, column)})"
    v = numbers_sql(view, column)
    return {"sum": f"coalesce(sum({v}), 0)", "mean": f"avg({v})", "std": f"stddev_samp({v})",
            "min": f"min({v})", "max": f"max({v})",
            "median": f"quantile_cont({v}, 0.5)"}[agg]


def group_aggregate(view, keys, measures):
    """(groups per key, one float64 array per measure), as ChartSource.group_aggregate."""
    b = view.backend
    params = Params("k")
    encoded = [duckdb_keys.encode(view, key, params, numbers_sql) for key in keys]
    groups = [g for g, _, _ in encoded]
    size = math.prod(len(g) for g in groups)
    results = [np.full(size, 0.0 if (c is None or a in _ZERO_WHEN_EMPTY) else np.nan)
               for c, a in measures]
    if size == 0:
        return groups, results
    key_sql = [expression for _, expression, _ in encoded]
    select = key_sql + [f"CAST({_measure(view, c, a)} AS DOUBLE)" for c, a in measures]
    where = " AND ".join([""] + [duckdb_keys.present_sql(k, lookup)
                                 for k, (_, _, lookup) in zip(key_sql, encoded)])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if keys else ""
    rows = b.cursor().execute(
        f"SELECT {', '.join(select)} FROM {b.source_sql(view.where)}{where}{group}",
        {**view.all_params(), **params.values}).fetchall()
    for row in rows:
        flat = 0
        for value, (key_groups, _, lookup) in zip(row[:len(keys)], encoded):
            flat = flat * len(key_groups) + lookup[value]
        for i, value in enumerate(row[len(keys):]):
            results[i][flat] = np.nan if value is None else value
    return groups, results


def histogram(view, column: int, bins: int, value_range=None, key=None):
    """(edges, counts [groups x bins], groups or None), as ChartSource.histogram."""
    b = view.backend
    params = Params("h")
    groups, k, lookup = None, "0", {0: 0}
    if key is not None:
        groups, k, lookup = duckdb_keys.encode(view, key, params, numbers_sql)
    v = numbers_sql(view, column)
    finite = f"CASE WHEN isfinite({v}) THEN {v} END"
    size = 1 if key is None else len(groups)
    span = value_range
    if span is None:
        lo, hi = _one(view, f"min({finite}), max({finite})")
        span = None if lo is None else (lo, hi)
    if span is None:
        return np.array([]), np.zeros((size, 0)), groups
    edges = binning.bin_edges(span[0], span[1], bins)
    guess, corrected = bin_sql(v, edges, params)
    low, high = params.bind(float(edges[0])), params.bind(float(edges[-1]))
    query = (f"SELECT k, {corrected('v', 'g')}, count(*) FROM (SELECT {v} AS v, "
             f"{guess} AS g, {k} AS k FROM {b.source_sql(view.where)} "
             f"AND {v} >= {low} AND {v} <= {high}) WHERE {duckdb_keys.present_sql('k', lookup)} "
             f"GROUP BY 1, 2")
    counts = np.zeros((size, bins), dtype=np.int64)
    for k_value, bin_, n in b.cursor().execute(
            query, {**view.all_params(), **params.values}).fetchall():
        counts[lookup[k_value], bin_] += n
    return edges, counts, groups


def bins2d(view, x: int, y: int, x_bins: int, y_bins: int, x_range=None, y_range=None):
    """(x_edges, y_edges, counts[y_bin, x_bin]) over rows where both are finite."""
    b = view.backend
    xv, yv = numbers_sql(view, x), numbers_sql(view, y)
    both = f"isfinite({xv}) AND isfinite({yv})"
    xs, ys = x_range, y_range
    if xs is None or ys is None:
        lo_x, hi_x, lo_y, hi_y = _one(view, f"min({xv}) FILTER (WHERE {both}), "
                                            f"max({xv}) FILTER (WHERE {both}), "
                                            f"min({yv}) FILTER (WHERE {both}), "
                                            f"max({yv}) FILTER (WHERE {both})")
        xs = xs or (None if lo_x is None else (lo_x, hi_x))
        ys = ys or (None if lo_y is None else (lo_y, hi_y))
    if xs is None or ys is None:
        return np.array([]), np.array([]), np.zeros((0, 0))
    x_edges, y_edges = binning.bin_edges(*xs, x_bins), binning.bin_edges(*ys, y_bins)
    params = Params("b")
    inside = (f"{xv} >= {params.bind(float(x_edges[0]))} AND {xv} <= "
              f"{params.bind(float(x_edges[-1]))} AND {yv} >= {params.bind(float(y_edges[0]))} "
              f"AND {yv} <= {params.bind(float(y_edges[-1]))}")
    guess_x, fix_x = bin_sql(xv, x_edges, params)
    guess_y, fix_y = bin_sql(yv, y_edges, params)
    query = (f"SELECT {fix_y('vy', 'gy')}, {fix_x('vx', 'gx')}, count(*) FROM ("
             f"SELECT {xv} AS vx, {yv} AS vy, {guess_x} AS gx, {guess_y} AS gy "
             f"FROM {b.source_sql(view.where)} AND {both} AND {inside}) GROUP BY 1, 2")
    counts = np.zeros((y_bins, x_bins), dtype=np.int64)
    found = b.cursor().execute(query, {**view.all_params(), **params.values}).fetchall()
    for bin_y, bin_x, n in found:
        counts[bin_y, bin_x] = n
    return x_edges, y_edges, counts


def sample(view, columns, n: int):
    """(up to n rows of ``columns`` where none is missing, as a pandas frame, how many such
    rows there are): all in view order, or aggregate's seeded sample of them (by rank)."""
    b = view.backend
    present = " AND ".join(f"{b.column_sql(c).expr} IS NOT NULL" for c in columns)
    source = f"{b.source_sql(view.where)} AND {present}"
    total = int(_one(view, f"count(*) FILTER (WHERE {present})")[0])
    ranks = binning.sample_positions(total, n).tolist()
    select = ", ".join(quote_identifier(b.names[c]) for c in columns)
    query = (f"SELECT {select} FROM (SELECT {select}, "
             f"row_number() OVER (ORDER BY {view.backend.row_name}) - 1 AS k FROM {source}) "
             f"WHERE k IN (SELECT unnest($ranks)) ORDER BY k")
    table = b.arrow(query, {**view.all_params(), "ranks": ranks or [-1]})
    frame = pd.DataFrame({i: table.column(i).to_pandas() for i in range(len(columns))})
    return frame, total


def downsample(view, x: int, y: int, buckets: int, x_range=None, key=None):
    """(groups or None, [(xs, ys, points before) per line]): per bucket of x, the first row
    holding the minimum of y and the first holding its maximum, as
    binning.downsample_minmax keeps them (every point when there are few)."""
    b = view.backend
    params = Params("d")
    groups, k, lookup = None, "0", {0: 0}
    if key is not None:
        groups, k, lookup = duckdb_keys.encode(view, key, params, numbers_sql)
    xv, yv = numbers_sql(view, x), numbers_sql(view, y)
    keep = f"isfinite({xv}) AND isfinite({yv})"
    if x_range is not None:
        keep += f" AND {xv} >= {params.bind(float(x_range[0]))} AND {xv} <= " \
                f"{params.bind(float(x_range[1]))}"
    points = (f"SELECT {xv} AS x, {yv} AS y, {k} AS k, {b.row_name} AS r "
              f"FROM {b.source_sql(view.where)} AND {keep}")
    values = {**view.all_params(), **params.values}
    counts = dict(b.cursor().execute(
        f"SELECT k, count(*) FROM ({points}) WHERE {duckdb_keys.present_sql('k', lookup)} "
        f"GROUP BY 1",
        used_params(f"{points} k", values)).fetchall())
    lines = []
    for code in sorted(lookup, key=lookup.get):
        lines.append(_line(view, points, values, code, counts.get(code, 0), buckets, x_range))
    return groups, lines


def _line(view, points: str, values: dict, code, total: int, buckets: int, x_range):
    b = view.backend
    params = Params("l")
    mine = f"SELECT * FROM ({points}) WHERE " + (
        "k IS NULL" if code is None else f"k = {params.bind(code)}")  # None: the missing line
    if total <= 2 * buckets:
        query = f"SELECT x, y FROM ({mine}) ORDER BY x, r"
    else:
        if x_range is None:
            ((lo, hi),) = b.cursor().execute(f"SELECT min(x), max(x) FROM ({mine})",
                                              used_params(mine, {**values, **params.values})
                                              ).fetchall()
        else:
            lo, hi = x_range
        edges = binning.bin_edges(lo, hi, buckets)
        guess, corrected = bin_sql("x", edges, params)
        # arg_min over (y, r): the smallest y, and of those the first row, as pandas' idxmin.
        query = (f"WITH p AS (SELECT x, y, r, {corrected('x', 'g')} AS bucket FROM "
                 f"(SELECT *, {guess} AS g FROM ({mine}))), "
                 f"picks AS (SELECT arg_min(r, (y, r)) AS r FROM p GROUP BY bucket UNION "
                 f"SELECT arg_min(r, (-y, r)) FROM p GROUP BY bucket) "
                 f"SELECT x, y FROM p WHERE r IN (SELECT r FROM picks) ORDER BY bucket, x, r")
    rows = b.cursor().execute(query, used_params(query, {**values, **params.values})).fetchall()
    xs = np.array([r[0] for r in rows], dtype=np.float64)
    ys = np.array([r[1] for r in rows], dtype=np.float64)
    return xs, ys, total
