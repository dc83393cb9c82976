"""The filter language compiled to a DuckDB SQL condition, and safe SQL building blocks.

Nothing a user typed is ever pasted into SQL text: every value is a named parameter
(``$p0``, ``$p1``, ...) bound by the driver, and every identifier is a *known* column's name
(the filter's names are looked up in the source's schema first; an unknown name is a
FilterError) quoted by ``quote_identifier``. String matches use ``contains``/``starts_with``/
``ends_with``, never LIKE, so ``%``, ``_`` and backslashes in a value are plain characters.

Meaning is that of :mod:`dtale_lite.frames.filters`: float columns are read with NaN as NULL (DuckDB
orders NaN above every number and finds ``NaN = NaN`` true), each predicate is
``coalesce(..., false)``, and ``!=``/``not in`` negate ``==``/``in`` so missing rows are kept.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...frames.errors import FilterError
from ...frames.filter_syntax import And, In, IsNull, Node, Not, Or, StringMatch
from ..literals import coerce, string_match_kind, unknown_column


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier: double quotes, an embedded quote doubled."""
    if "\x00" in name:
        raise FilterError("a column name cannot hold a NUL character")
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class SqlColumn:
    """How SQL reads one column: an expression over quoted identifiers, and its kind."""

    expr: str
    kind: str
    tz: str | None = None


def value_sql(name: str, kind: str, duck_type: str) -> str:
    """Column ``name`` as filters and sorts see it (NaN as NULL, enums as text, dates as
    timestamps; mixed/nested values as their text)."""
    ident = quote_identifier(name)
    if duck_type in ("DOUBLE", "FLOAT", "REAL"):
        return f"(CASE WHEN isnan({ident}) THEN NULL ELSE {ident} END)"
    if kind == "category" or kind == "object":
        return f"CAST({ident} AS VARCHAR)"
    if duck_type == "DATE":
        return f"CAST({ident} AS TIMESTAMP)"
    return ident


Resolve = Callable[[str], "SqlColumn | None"]
_OPS = {"==": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_MATCH = {"contains": "contains", "startswith": "starts_with", "endswith": "ends_with"}


def compile_where(node: Node, resolve: Resolve, prefix: str = "p") -> tuple[str, dict]:
    """(condition, parameters by name) for ``node``; the condition is never NULL and names
    its parameters ``$<prefix>0``, ``$<prefix>1``, ... Raises FilterError as filters.py
    does."""
    params = Params(prefix)
    return _walk(node, resolve, params), params.values


class Params:
    """Named parameters of one statement: ``bind(value)`` gives the placeholder to write."""

    def __init__(self, prefix: str = "p"):
        self.prefix, self.values = prefix, {}

    def bind(self, value) -> str:
        name = f"{self.prefix}{len(self.values)}"
        self.values[name] = value
        return "$" + name


def _walk(node: Node, resolve: Resolve, params: Params) -> str:
    if isinstance(node, Not):
        return f"(NOT {_walk(node.operand, resolve, params)})"
    if isinstance(node, (And, Or)):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(_walk(o, resolve, params) for o in node.operands) + ")"
    column = resolve(node.column.name)
    if column is None:
        raise unknown_column(node.column)
    return _predicate(node, column, params)


def _equal(column: SqlColumn, value, params: Params) -> str:
    return f"coalesce({column.expr} = {params.bind(value)}, false)"


def _predicate(node: Node, column: SqlColumn, params: Params) -> str:
    v, name = column.expr, node.column.name
    if isinstance(node, IsNull):
        return f"({v} IS {'NOT ' if node.negated else ''}NULL)"
    if isinstance(node, StringMatch):
        string_match_kind(node, column.kind)
        return f"coalesce({_MATCH[node.op]}({v}, {params.bind(node.value.value)}), false)"
    kind = "string" if column.kind == "object" else column.kind
    if column.kind == "object" and not all(
            isinstance(lit.value, str) or lit.value is None
            for lit in (node.values if isinstance(node, In) else (node.value,))):
        raise FilterError(f"column '{name}' holds mixed values, which the DuckDB backend "
                          f"compares only with text", node.column.position)
    if isinstance(node, In):
        values = [coerce(lit, kind, name, column.tz)
                  for lit in node.values if lit.value is not None]
        terms = [_equal(column, x, params) for x in values] or ["false"]
        if len(values) < len(node.values):  # null in the list matches missing cells
            terms.append(f"({v} IS NULL)")
        found = "(" + " OR ".join(terms) + ")"
        return f"(NOT {found})" if node.negated else found
    value = coerce(node.value, kind, name, column.tz)
    if node.op == "!=":
        return f"(NOT {_equal(column, value, params)})"
    return f"coalesce({v} {_OPS[node.op]} {params.bind(value)}, false)"


def used_params(query: str, params: dict) -> dict:
    """The parameters ``query`` names ($name): DuckDB refuses any it does not use."""
    named = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query))
    return {name: value for name, value in params.items() if name in named}


def order_by(keys: list[tuple[str, bool]], row_expr: str) -> str:
    """ORDER BY text: each (value expression, ascending) with NULLS LAST, then the row."""
    parts = [f"{expr} {'ASC' if asc else 'DESC'} NULLS LAST" for expr, asc in keys]
    return ", ".join(parts + [f"{row_expr} ASC"])


def bin_sql(v: str, edges: np.ndarray, params: Params) -> tuple[str, Callable[[str, str], str]]:
    """np.histogram's bin of ``v`` (inside the edges): (an arithmetic guess, a function of
    the value's and the guess's column names giving the guess corrected once against the
    exact edges, as numpy does)."""
    bins = len(edges) - 1
    # Halved: hi - lo overflows to inf for a column spanning -1e308..1e308 (then the guess
    # was NaN and DuckDB refused to cast it; found by the engines' OpenAPI fuzzer).
    half_lo = params.bind(float(edges[0]) / 2)
    e = params.bind([float(x) for x in edges])
    norm = params.bind(bins / (float(edges[-1]) / 2 - float(edges[0]) / 2))
    guess = (f"least(greatest(CAST(floor(({v} / 2 - {half_lo}) * {norm}) AS BIGINT), 0), "
             f"{bins - 1})")

    def corrected(value: str, g: str) -> str:
        return (f"({g} - CASE WHEN {value} < {e}[{g} + 1] THEN 1 ELSE 0 END "
                f"+ CASE WHEN {value} >= {e}[{g} + 2] AND {g} != {bins - 1} THEN 1 ELSE 0 END)")

    return guess, corrected
