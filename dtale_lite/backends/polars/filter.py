"""The filter language compiled to one Polars boolean expression.

Same meaning as the numpy masks of :mod:`dtale_lite.frames.filters` (the reference), which follow
pandas; the differences Polars has by default are undone here:
- NaN is a value in Polars (``NaN == NaN`` is true, NaN sorts above inf) and missing in
  pandas, so float columns are read through ``fill_nan(None)``;
- a comparison with null gives null in Polars; every predicate is ``fill_null(False)``, then
  ``!=`` and ``not in`` negate ``==`` and ``in`` (so ``x != 5`` keeps missing rows);
- categories and enums compare by their text, as the pandas masks compare category values.
Values are literals built with ``pl.lit`` from the parsed tree: no text is ever evaluated.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

import polars as pl

from ...frames.errors import FilterError
from ...frames.filter_syntax import And, Compare, In, IsNull, Node, Not, Or, StringMatch
from ..literals import coerce, string_match_kind, unknown_column


@dataclass(frozen=True)
class PolarsColumn:
    """How a filter or a sort reads one column: the expression of its values and its kind."""

    expr: pl.Expr
    kind: str
    tz: str | None = None


Resolve = Callable[[str], "PolarsColumn | None"]


def value_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    """Column ``name`` as filters and sorts see it: NaN as null, categories as text, dates
    as datetimes (so they compare with a date literal as pandas' datetime64 columns do)."""
    column = pl.col(name)
    if dtype.is_float():
        return column.fill_nan(None)
    if isinstance(dtype, (pl.Categorical, pl.Enum)):
        return column.cast(pl.String)
    if dtype == pl.Date:
        return column.cast(pl.Datetime("us"))
    return column


def compile_filter(node: Node, resolve: Resolve) -> pl.Expr:
    """A never-null boolean expression for ``node``. Raises FilterError as filters.py does."""
    if isinstance(node, Not):
        return ~compile_filter(node.operand, resolve)
    if isinstance(node, (And, Or)):
        parts = [compile_filter(o, resolve) for o in node.operands]
        return reduce((lambda a, b: a & b) if isinstance(node, And) else (lambda a, b: a | b),
                      parts)
    column = resolve(node.column.name)
    if column is None:
        raise unknown_column(node.column)
    return _predicate(node, column)


def _lit(value, column: PolarsColumn) -> pl.Expr:
    if column.kind == "string" or column.kind == "category":
        return pl.lit(value, dtype=pl.String)
    if column.kind == "datetime":
        return pl.lit(value, dtype=pl.Datetime("us", column.tz))
    if column.kind == "timedelta":
        return pl.lit(value, dtype=pl.Duration("us"))
    return pl.lit(value)


def _equal(column: PolarsColumn, value) -> pl.Expr:
    return (column.expr == _lit(value, column)).fill_null(False)


def _predicate(node: Node, column: PolarsColumn) -> pl.Expr:
    v, name = column.expr, node.column.name
    if isinstance(node, IsNull):
        return v.is_not_null() if node.negated else v.is_null()
    if isinstance(node, StringMatch):
        string_match_kind(node, column.kind)
        text = v if column.kind != "object" else v.cast(pl.String, strict=False)
        pattern = pl.lit(node.value.value, dtype=pl.String)
        if node.op == "contains":
            found = text.str.contains(pattern, literal=True)
        elif node.op == "startswith":
            found = text.str.starts_with(pattern)
        else:
            found = text.str.ends_with(pattern)
        return found.fill_null(False)
    if column.kind == "object":
        raise FilterError(f"column '{name}' holds mixed values, which the Polars backend "
                          f"filters only with 'is null' and the text matches",
                          node.column.position)
    if isinstance(node, In):
        values = [coerce(lit, column.kind, name, column.tz)
                  for lit in node.values if lit.value is not None]
        found = reduce(lambda a, b: a | b, [_equal(column, x) for x in values], pl.lit(False))
        if len(values) < len(node.values):  # null in the list matches missing cells
            found = found | v.is_null()
        return ~found if node.negated else found
    value = coerce(node.value, column.kind, name, column.tz)
    if node.op == "!=":
        return ~_equal(column, value)
    ops = {"==": v.__eq__, "<": v.__lt__, "<=": v.__le__, ">": v.__gt__, ">=": v.__ge__}
    assert isinstance(node, Compare)
    return ops[node.op](_lit(value, column)).fill_null(False)
