"""Box statistics and Pearson correlations of a DuckDB view, as SQL aggregates.

The same figures as the pandas path (aggregate.box_stats, correlate.pearson): quartiles by
linear interpolation (``quantile_cont``, as numpy), Tukey whiskers at 1.5 IQR, correlations over
pairwise-complete rows with infinite values treated as missing. Spearman needs every pair's
ranks over its own complete rows (a sort of the data per pair): not offered on this engine.
Values and identifiers go through the backend's quoting and parameters, as everywhere.
"""
from __future__ import annotations

import math

import numpy as np

from ...frames.aggregate import BOX_FIGURES
from ...frames.errors import BadRequest
from . import keys as duckdb_keys
from .stats import numbers_sql
from .sql import Params

def box_stats(view, keys, column: int) -> tuple[list, dict]:
    """(groups per key, {figure: array over the keys' groups}), as ChartSource.box_stats."""
    b = view.backend
    params = Params("b")
    encoded = [duckdb_keys.encode(view, key, params, numbers_sql) for key in keys]
    groups = [g for g, _, _ in encoded]
    size = math.prod(len(g) for g in groups)
    stats = {name: np.full(size, np.nan) for name in BOX_FIGURES}
    stats["count"] = np.zeros(size, dtype=np.int64)
    if size == 0:
        return groups, stats
    key_sql = [expression for _, expression, _ in encoded]
    names = [f"k{i}" for i in range(len(keys))]
    x = numbers_sql(view, column)
    selected = ", ".join([f"{k} AS {n}" for k, n in zip(key_sql, names)] + [f"{x} AS x"])
    present = " AND ".join([duckdb_keys.present_sql(k, lookup)
                            for k, (_, _, lookup) in zip(key_sql, encoded)]
                           + [f"({x}) IS NOT NULL"])
    by = ", ".join(names)
    group_by = f" GROUP BY {by}" if names else ""
    v_by = ", ".join(f"v.{n}" for n in names)
    v_group_by = f" GROUP BY {v_by}" if names else ""
    # NULL keys (a key's missing group) must meet: not USING, whose = never matches NULL.
    join = " ON " + (" AND ".join(f"v.{n} IS NOT DISTINCT FROM q.{n}" for n in names)
                     or "true")
    # Output columns by position: a data column could shadow an alias.
    query = (
        f"WITH v AS (SELECT {selected} FROM {b.source_sql(view.where)} AND {present}), "
        f"q AS (SELECT {by + ', ' if names else ''}quantile_cont(x, [0.25, 0.5, 0.75]) AS qs, "
        f"avg(x) AS mean, count(*) AS n FROM v{group_by}) "
        f"SELECT {v_by + ', ' if names else ''}any_value(qs), any_value(mean), any_value(n), "
        f"min(x) FILTER (WHERE x >= qs[1] - 1.5 * (qs[3] - qs[1])), "
        f"max(x) FILTER (WHERE x <= qs[3] + 1.5 * (qs[3] - qs[1])) "
        f"FROM v JOIN q{join}{v_group_by}")
    rows = b.cursor().execute(query, {**view.all_params(), **params.values}).fetchall()
    for row in rows:
        flat = 0
        for value, (key_groups, _, lookup) in zip(row[:len(keys)], encoded):
            flat = flat * len(key_groups) + lookup[value]
        quartiles, mean, count, low, high = row[len(keys):]
        if not count:
            continue
        figures = (*quartiles, mean, low, high)
        for name, value in zip(BOX_FIGURES, figures):
            stats[name][flat] = np.nan if value is None else value
        stats["count"][flat] = count
    return groups, stats


def correlations(view, columns, method: str) -> np.ndarray:
    """(k x k) Pearson correlations over pairwise-complete rows; NaN where a pair has fewer
    than two rows or a constant column, as pandas. BadRequest for Spearman."""
    if method != "pearson":
        raise BadRequest(f"{method} correlations are not available on the duckdb backend "
                         f"(each pair would need a sort of the data); use pearson")
    b = view.backend
    finite = [f"CASE WHEN isfinite({numbers_sql(view, c)}) THEN {numbers_sql(view, c)} END"
              for c in columns]
    k = len(columns)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    if not pairs:
        return np.eye(k) if k else np.zeros((0, 0))
    # SQL's corr() skips a row when either value is NULL: pairwise-complete, as pandas. A
    # constant column (or a pair with under two rows) gives NULL or NaN: NaN, as pandas.
    select = ", ".join(f"corr({finite[i]}, {finite[j]})" for i, j in pairs)
    diagonal = ", ".join(f"count({f}) >= 2 AND stddev_pop({f}) > 0" for f in finite)
    row = b.cursor().execute(f"SELECT {select}, {diagonal} FROM {b.source_sql(view.where)}",
                             view.all_params()).fetchall()[0]
    matrix = np.full((k, k), np.nan)
    for (i, j), value in zip(pairs, row[:len(pairs)]):
        if value is not None and not math.isnan(value):
            matrix[i, j] = matrix[j, i] = max(-1.0, min(1.0, value))
    for i, varies in enumerate(row[len(pairs):]):
        if varies:
            matrix[i, i] = 1.0
    return matrix
