"""Chart group keys over a DuckDB view, as aggregate.encode_key makes them for pandas.

A key becomes (groups, a SQL expression to GROUP BY, a lookup from that expression's values
to group numbers). Values, bins and periods map one to one onto their groups, so the engine
groups by the value itself (a hash aggregate, whatever the number of values); a ``top`` key
folds the other values into "Other" in SQL, by their position in the short kept list.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ...frames import aggregate, binning
from ...frames.errors import BadRequest
from .sql import Params, bin_sql, quote_identifier, used_params

_TRUNCATE = {"hour": "hour", "day": "day", "week": "week", "month": "month",
             "quarter": "quarter", "year": "year"}  # date_trunc parts; weeks start Monday


def key_sql(view, column: int) -> str:
    b = view.backend
    if b.columns()[column].kind == "category":
        return quote_identifier(b.names[column])  # enums sort in their own order
    return b.column_sql(column).expr


def _rows(view, query: str, params: dict | None = None) -> list:
    b = view.backend
    return b.cursor().execute(query, used_params(query, {**view.all_params(),
                                                         **(params or {})})).fetchall()


def _distinct(view, expression: str, params: dict | None = None) -> list:
    """The distinct non-null values of ``expression`` over the view, sorted. The alias lives
    in an outer query of its own, so no column of the data can shadow it."""
    query = (f"SELECT DISTINCT x FROM (SELECT {expression} AS x FROM "
             f"{view.backend.source_sql(view.where)}) WHERE x IS NOT NULL ORDER BY 1")
    return [r[0] for r in _rows(view, query, params)]


def encode(view, key, params: Params, numbers_sql):
    """(groups, GROUP BY expression, {expression value: group number}) for ``key``; with
    ``key.missing``, the rows it cannot place (the expression is NULL) get a last group of
    their own, if there are any: the lookup then maps None to it (see ``present_sql``)."""
    groups, expression, lookup = _encode(view, key, params, numbers_sql)
    if not key.missing:
        return groups, expression, lookup
    ((unplaced,),) = _rows(view, f"SELECT count(*) FROM {view.backend.source_sql(view.where)} "
                                 f"AND ({expression}) IS NULL", params.values)
    if not unplaced:
        return groups, expression, lookup
    return [*groups, aggregate.missing_group()], expression, {**lookup, None: len(groups)}


def present_sql(expression: str, lookup: dict) -> str:
    """The condition a row must meet to be in one of the key's groups: a non-NULL key, or
    any row when the key has a missing group."""
    return "true" if None in lookup else f"({expression}) IS NOT NULL"


def _encode(view, key, params: Params, numbers_sql):
    b = view.backend
    kind = b.columns()[key.column].kind
    if key.freq is not None:
        aggregate.check_period_column(b.columns()[key.column].name, kind)
        return _periods(view, key)
    if key.bins is not None and kind in ("int", "float", "datetime"):
        return _bins(view, key, kind, numbers_sql(view, key.column), params)
    k = key_sql(view, key.column)
    source = f"{b.source_sql(view.where)} AND {k} IS NOT NULL"
    counted = _rows(view, f"SELECT {k} AS k, count(*), min({view.backend.row_name}) FROM {source} "
                          f"GROUP BY 1 ORDER BY 1")
    values = [row[0] for row in counted]
    folded = key.top is not None and len(values) > key.top
    if folded:
        # Largest counts first, ties to the value seen first (categories: in their order),
        # as pandas' factorize order; kept values stay sorted.
        rank = sorted(range(len(counted)), key=lambda i: (
            -counted[i][1], i if kind == "category" else counted[i][2]))
        values = [values[i] for i in sorted(rank[:key.top])]
    labels = [pd.Timestamp(v) if kind == "datetime" else v for v in values]
    groups = aggregate.value_groups(labels, folded)
    if not folded:
        return groups, k, {v: i for i, v in enumerate(values)}
    kept = params.bind([_plain(v) for v in values])
    text = f"CAST({k} AS VARCHAR)" if kind == "category" else k
    expression = (f"CASE WHEN {k} IS NULL THEN NULL ELSE "
                  f"coalesce(list_position({kept}, {text}) - 1, {len(values)}) END")
    return groups, expression, {i: i for i in range(len(groups))}


def _plain(value):
    return str(value) if not isinstance(value, (int, float, str, dt.datetime, dt.date)) \
        else value


def _bins(view, key, kind: str, v: str, params: Params):
    finite = f"CASE WHEN isfinite({v}) THEN {v} END"
    ((lo, hi),) = _rows(view, f"SELECT min({finite}), max({finite}) FROM "
                              f"{view.backend.source_sql(view.where)}")
    if lo is None:
        return [], "CAST(NULL AS BIGINT)", {}
    edges = binning.bin_edges(lo, hi, key.bins)
    guess, corrected = bin_sql(v, edges, params)
    low, high = params.bind(float(edges[0])), params.bind(float(edges[-1]))
    expression = (f"CASE WHEN isfinite({v}) AND {v} >= {low} AND {v} <= {high} "
                  f"THEN {corrected(v, guess)} END")
    used = _distinct(view, expression, params.values)
    groups = aggregate.bin_groups(edges, kind, used)
    return groups, expression, {c: i for i, c in enumerate(used)}


def _periods(view, key):
    if key.freq not in _TRUNCATE:
        raise BadRequest(f"unknown frequency '{key.freq}'; use one of "
                         f"{', '.join(aggregate.FREQUENCIES)}")
    b = view.backend
    column = f"CAST({b.column_sql(key.column).expr} AS TIMESTAMP)"
    expression = f"date_trunc('{_TRUNCATE[key.freq]}', {column})"
    used = _distinct(view, expression)
    groups = aggregate.period_groups(used, key.freq)
    return groups, expression, {p: i for i, p in enumerate(used)}
