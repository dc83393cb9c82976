"""Summaries of a DuckDB frame (issue 15): ``groupby``, ``resample`` and ``value_counts`` are
one aggregate query over the stepped frame, written by DuckDB into a table of a new database
file (in a temporary directory, removed with the frame): the summary is a new DuckDB frame, and
neither the data nor the summary comes into Python. ``pivot`` aggregates in DuckDB too; its
cells (a row per index value and column value present) are laid out by pandas' ``unstack``
and stored the same way.

SQL as in :mod:`.steps`: values are bound parameters, identifiers quoted known columns (and
the summary's own names, ``<column>_<aggregation>``, quoted). Results match the pandas
summaries (tests compare them); ties in ``value_counts`` are ordered by the keys.
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import weakref

import duckdb

from ...frames.aggregate import FREQUENCIES
from ...frames.errors import BadRequest, DtaleLiteError
from ...frames.steps import model
from ...frames.steps.apply import REFUSED
from ...frames.steps.params import Params, text_of
from ...frames.steps.summaries import KINDS, PIVOT_TOP, _aggregations, pivot_columns, read_pivot
from ..step_values import cells_frame, checked_names
from .sql import Params as Bound, quote_identifier as q
from .steps import ENGINE, Rel, free_name

TRUNCATE = {"hour": "hour", "day": "day", "week": "week", "month": "month",
            "quarter": "quarter", "year": "year"}
_numbers = itertools.count()


def summarize(rel: Rel, body: dict):
    """(the summary as a DuckDB relation on a connection of its own, a note or None).
    BadRequest naming the parameter, or the engine and the kind DuckDB frames do not make."""
    kind = body.get("kind") if isinstance(body, dict) else None
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadRequest(f"parameter 'kind' must be one of {', '.join(KINDS)}; got "
                         f"{text_of(kind)}")
    if kind not in model.ENGINE_SUMMARIES:
        raise model.not_on_engine(ENGINE, f"summarize {kind}")
    p = Params(body, None, kind, columns=rel.columns)
    p.used.update({"kind", "name"})
    bound = Bound("g")
    try:
        made = SUMMARIES[kind](rel, p, bound)
        p.check_unknown()
        if kind == "pivot":
            frame, note = made
            return stored(rel, None, {}, frame), note
        return stored(rel, made, {**rel.params, **bound.values}), None
    except DtaleLiteError:
        raise
    except (duckdb.Error, *REFUSED) as error:  # REFUSED: pandas laying out a pivot
        who = "duckdb" if not isinstance(error, REFUSED) else "pandas"
        raise BadRequest(f"{kind}: {who} refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None


def stored(rel: Rel, query: str | None, params: dict, frame=None):
    """A relation over a table of a new database file holding ``query``'s rows (run by
    ``rel``'s connection), or the pandas ``frame``'s."""
    directory = tempfile.mkdtemp(prefix="dtale-lite-summary-")
    path = os.path.join(directory, "summary.duckdb")
    if frame is not None:
        connection = duckdb.connect(path)
        connection.register("dl_cells", frame)
        connection.execute("CREATE TABLE summary AS SELECT * FROM dl_cells").fetchall()
        connection.unregister("dl_cells")
    else:
        alias = q(f"dl_summary_{os.getpid()}_{next(_numbers)}")
        cursor = rel.backend.cursor()
        cursor.execute(f"ATTACH $path AS {alias}", {"path": path}).fetchall()
        try:
            cursor.execute(f"CREATE TABLE {alias}.summary AS {query}", params).fetchall()
        finally:
            cursor.execute(f"DETACH {alias}").fetchall()
        connection = duckdb.connect(path)
    weakref.finalize(connection, shutil.rmtree, directory, True)
    return connection.sql("SELECT * FROM summary")


def aggregation(rel: Rel, column: str, agg: str) -> str:
    value = rel.value(column)
    if rel.kind[column] == "bool" and agg in ("sum", "mean", "median", "std"):
        value = f"CAST({value} AS INTEGER)"
    row = q(rel.row)
    if agg == "count":
        return f"count({value})"
    if agg == "sum":
        total = f"CAST(sum({value}) AS BIGINT)" if rel.kind[column] in ("int", "bool") else \
            f"sum({value})"
        return f"coalesce({total}, 0)"
    if agg == "nunique":
        return f"count(DISTINCT {value})"
    if agg in ("first", "last"):
        function = "arg_min" if agg == "first" else "arg_max"
        return f"{function}({value}, {row}) FILTER (WHERE {value} IS NOT NULL)"
    return {"mean": "avg", "std": "stddev_samp"}.get(agg, agg) + f"({value})"


def _aggregates(rel: Rel, aggs: dict[str, list[str]]) -> list[str]:
    return [f"{aggregation(rel, c, a)} AS {q(f'{c}_{a}')}" for c, items in aggs.items()
            for a in items]


def _grouped(rel: Rel, keys: list[tuple[str, str]], aggs: list[str], where: str = "") -> str:
    """keys: (expression, name) pairs; rows sorted by the keys, missing ones last."""
    items = [f"{expr} AS {q(name)}" for expr, name in keys] + aggs
    positions = ", ".join(str(i) for i in range(1, len(keys) + 1))
    order = ", ".join(f"{i} ASC NULLS LAST" for i in range(1, len(keys) + 1))
    # The rows' positions only for first and last: numbering the rows costs a pass.
    source = rel.numbered() if q(rel.row) in " ".join(aggs) else None
    return rel.select(items, f"{where} GROUP BY {positions} ORDER BY {order}".strip(),
                      source)


def groupby(rel: Rel, p: Params, bound: Bound) -> str:
    by = p.column_list("by")
    aggs = _aggregations(p)
    dropna = p.flag("dropna", True)
    where = "WHERE " + " AND ".join(f"{rel.value(b)} IS NOT NULL" for b in by) if dropna \
        else ""
    return _grouped(rel, [(rel.value(b), b) for b in by], _aggregates(rel, aggs), where)


def resample(rel: Rel, p: Params, bound: Bound) -> str:
    on = p.column("on", ("datetime",))
    freq = p.choice("freq", FREQUENCIES)
    aggs = _aggregations(p)
    key = f"date_trunc('{TRUNCATE[freq]}', {rel.value(on)})"
    return _grouped(rel, [(key, on)], _aggregates(rel, aggs),
                    f"WHERE {rel.value(on)} IS NOT NULL")


def value_counts(rel: Rel, p: Params, bound: Bound) -> str:
    columns = p.column_list("columns")
    normalize = p.flag("normalize", False)
    keys = [f"{rel.value(c)} AS {q(c)}" for c in columns]
    measure = ("CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS proportion" if normalize
               else f"count(*) AS {q('count')}")
    n = q(free_name(rel.names + [rel.pos], "__dtale_lite_n"))
    positions = ", ".join(str(i) for i in range(1, len(columns) + 1))
    order = ", ".join(f"{i} ASC NULLS LAST" for i in range(1, len(columns) + 1))
    inner = rel.select(keys + [measure, f"count(*) AS {n}"], f"GROUP BY {positions}")
    return f"SELECT * EXCLUDE ({n}) FROM ({inner}) AS c ORDER BY {n} DESC, {order}"


def pivot(rel: Rel, p: Params, bound: Bound):
    """The aggregation per (index, column value) in DuckDB; pandas lays the cells out."""
    index, columns, values, agg = read_pivot(p)
    key = rel.value(columns)
    params = {**rel.params}
    counts = rel.scalar(rel.select([f"{key} AS k", "count(*) AS n", "count(*) OVER () AS t"],
                                   f"WHERE {key} IS NOT NULL GROUP BY 1 ORDER BY n DESC, k "
                                   f"LIMIT {PIVOT_TOP}"), params)
    note, other = None, "false"
    if counts and counts[0][2] > PIVOT_TOP:
        top = [row[0] for row in counts]
        note = f"'{columns}' has {counts[0][2]:,} values: the top {PIVOT_TOP} by rows, the " \
               f"rest as \"Other\""
        other = f"(NOT {key} IN ({', '.join(bound.bind(v) for v in top)}))"
        key = f"(CASE WHEN {other} THEN NULL ELSE {key} END)"
    where = f"WHERE {rel.value(index)} IS NOT NULL AND {rel.value(columns)} IS NOT NULL"
    query = _grouped(rel, [(rel.value(index), index), (key, "__key"), (other, "__other")],
                     [f"{aggregation(rel, values, agg)} AS __value"], where)
    cells = cells_frame(rel.backend.arrow(query, {**params, **bound.values}))
    return checked_names(pivot_columns(cells, index), ENGINE, columns), note


SUMMARIES = {"groupby": groupby, "pivot": pivot, "resample": resample,
             "value_counts": value_counts}
