"""``add_column``: a new column built from others, of one ``kind`` (see ``model.ADD_KINDS``).

Each kind computes the column with pandas and writes the same expression as code; column
references in the code are the frame's own labels (``repr``) or positions, never user text.
"""
from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from ..errors import FilterError
from . import model
from .values import literal

_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "//": operator.floordiv, "%": operator.mod, "**": operator.pow}
MAX_BINS = 1_000


def add_column(ctx) -> None:
    p = ctx.p
    name = p.new_name("name")
    kind = p.choice("kind", tuple(model.ADD_KINDS))
    values, expr = KINDS[kind](ctx)
    ctx.set_column(name, values, expr)


def read_arithmetic(p) -> tuple[str, str, object, bool]:
    """(left column, operator, right column or number, whether right is a column); every
    engine reads ``arithmetic`` with these checks."""
    left = p.column("left", model.NUMERIC)
    op = p.choice("operator", model.OPERATORS)
    right = p.raw("right")
    if isinstance(right, str):
        return left, op, p.column("right", model.NUMERIC), True
    return left, op, p.number("right"), False


def read_datetime_part(p) -> tuple[str, str]:
    return p.column("column", ("datetime",)), p.choice("part", model.DATETIME_PARTS)


def read_string(p) -> tuple:
    """("join", columns, sep) or ("transform", column, transform, start, stop)."""
    if p.has("columns"):
        return "join", p.column_list("columns"), p.string("sep", default="", limit=1_000)
    column = p.column("column", model.TEXTUAL)
    transform = p.choice("transform", model.TRANSFORMS)
    start = stop = None
    if transform == "slice":
        start = p.integer("start", -10**9, 10**9, required=False)
        stop = p.integer("stop", -10**9, 10**9, required=False)
    return "transform", column, transform, start, stop


def arithmetic(ctx):
    left, op, right, is_column = read_arithmetic(ctx.p)
    if is_column:
        values, right_code = ctx.series(right), ctx.ref(right)
    else:
        values, right_code = right, literal(right)
    result = _OPERATORS[op](ctx.series(left), values)
    return result, f"{ctx.ref(left)} {op} {right_code}"


def datetime_part(ctx):
    column, part = read_datetime_part(ctx.p)
    series = ctx.series(column)
    if part == "date":
        return series.dt.normalize(), f"{ctx.ref(column)}.dt.normalize()"
    return getattr(series.dt, part), f"{ctx.ref(column)}.dt.{part}"


def string(ctx):
    read = read_string(ctx.p)
    if read[0] == "join":
        _, columns, sep = read
        parts = [ctx.series(c).astype("str") for c in columns]
        result = parts[0]
        for part in parts[1:]:
            result = result + sep + part if sep else result + part
        glue = f" + {sep!r} + " if sep else " + "
        return result, glue.join(f"{ctx.ref(c)}.astype('str')" for c in columns)
    _, column, transform, start, stop = read
    text = ctx.series(column).str
    ref = f"{ctx.ref(column)}.str"
    if transform == "slice":
        return text.slice(start, stop), f"{ref}.slice({start!r}, {stop!r})"
    method = "len" if transform == "length" else transform
    return getattr(text, method)(), f"{ref}.{method}()"


def bins(ctx):
    p = ctx.p
    column = p.column("column", ("int", "float"))
    series, ref = ctx.series(column), ctx.ref(column)
    labels = p.raw("labels", required=False)
    if p.has("quantiles"):
        count = p.integer("quantiles", 1, 100)
        _check_labels(p, labels, count)
        result = pd.qcut(series, q=count, labels=labels)
        return result, f"pd.qcut({ref}, q={count}, labels={literal(labels)})"
    edges = p.raw("bins")
    if isinstance(edges, list):
        if not 2 <= len(edges) <= MAX_BINS + 1:
            p.fail("bins", f"as edges needs 2 to {MAX_BINS + 1} numbers")
        if not all(isinstance(e, (int, float)) and not isinstance(e, bool) and np.isfinite(e)
                   for e in edges) or any(b <= a for a, b in zip(edges, edges[1:])):
            p.fail("bins", "edges must be finite numbers that increase")
        count = len(edges) - 1
    else:
        count = edges = p.integer("bins", 1, MAX_BINS)
    _check_labels(p, labels, count)
    result = pd.cut(series, bins=edges, labels=labels)
    return result, f"pd.cut({ref}, bins={literal(edges)}, labels={literal(labels)})"


def _check_labels(p, labels, count: int) -> None:
    if labels is None:
        return
    if not isinstance(labels, list) or len(labels) != count or not all(
            isinstance(v, str) for v in labels) or len(set(labels)) != count:
        p.fail("labels", f"must be {count} different texts, one per bin")


def cumulative(ctx):
    p = ctx.p
    function = p.choice("function", model.CUMULATIVE)
    numeric = function in ("cumsum", "diff", "pct_change")
    column = p.column("column", model.NUMERIC if numeric else None,
                      required=function != "cumcount")
    group = p.column_list("group", required=False)
    periods = p.integer("periods", -10**6, 10**6, default=1) if function in (
        "diff", "pct_change", "shift") else None
    args = "" if periods is None else f"periods={periods}"
    keys = None if group is None else [ctx.series(g) for g in group]
    keys_code = None if group is None else f"[{', '.join(ctx.ref(g) for g in group)}]"
    if function == "cumcount":  # the row's number (within its group); the column is unused
        if group is None:
            values = pd.Series(np.arange(len(ctx.frame), dtype=np.int64), index=ctx.frame.index)
            ctx.numpy = True
            return values, "pd.Series(np.arange(len(df), dtype=np.int64), index=df.index)"
        values = ctx.frame.groupby(keys, sort=False, dropna=False).cumcount()
        return values, f"df.groupby({keys_code}, sort=False, dropna=False).cumcount()"
    if group is None:
        values = getattr(ctx.series(column), function)(**({} if periods is None else
                                                          {"periods": periods}))
        return values, f"{ctx.ref(column)}.{function}({args})"
    grouped = ctx.series(column).groupby(keys, sort=False, dropna=False)
    values = getattr(grouped, function)(**({} if periods is None else {"periods": periods}))
    code = (f"{ctx.ref(column)}.groupby({keys_code}, sort=False, dropna=False)"
            f".{function}({args})")
    return values, code


def standardize(ctx):
    p = ctx.p
    column = p.column("column", ("int", "float"))
    method = p.choice("method", model.STANDARDIZE)
    series, ref = ctx.series(column), ctx.ref(column)
    if method == "zscore":
        return (series - series.mean()) / series.std(), f"({ref} - {ref}.mean()) / {ref}.std()"
    if method == "minmax":
        return ((series - series.min()) / (series.max() - series.min()),
                f"({ref} - {ref}.min()) / ({ref}.max() - {ref}.min())")
    limits = p.raw("limits", default=[0.05, 0.95])
    if not (isinstance(limits, list) and len(limits) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in limits)
            and 0 <= limits[0] < limits[1] <= 1):
        p.fail("limits", "must be [lower, upper] quantiles with 0 <= lower < upper <= 1")
    from .helpers import winsorize

    lower, upper = (float(v) for v in limits)
    return (winsorize(series, lower, upper),
            f"{ctx.helper('winsorize')}({ref}, {lower!r}, {upper!r})")


def read_condition(p, compile_node):
    """The filter of a ``condition`` (or ``keep_view``) parsed and compiled by
    ``compile_node(node)`` (per engine); a FilterError names the parameter. Returns
    (node, compiled)."""
    from ..filter_syntax import parse

    text = p.string("filter", empty=False)
    try:
        node = parse(text)
        return node, compile_node(node)
    except FilterError as error:
        p.fail("filter", error.message)


def condition(ctx):
    from ..filters import compile_mask
    from ..pandas_code import filter_code

    resolve = {c.name: c.position for c in ctx.p.columns}
    node, mask = read_condition(ctx.p, lambda node: compile_mask(
        node, lambda n: None if n not in resolve else ctx.frame.iloc[:, resolve[n]],
        len(ctx.frame)))
    values = pd.Series(mask, index=ctx.frame.index)
    ctx.numpy = True
    code = filter_code(node, ctx.refs, "df")
    return values, f"pd.Series(np.asarray({code}, dtype=bool), index=df.index)"


def copy(ctx):
    column = ctx.p.column("column")
    return ctx.series(column), ctx.ref(column)


KINDS = {"arithmetic": arithmetic, "datetime_part": datetime_part, "string": string,
         "bins": bins, "cumulative": cumulative, "standardize": standardize,
         "condition": condition, "copy": copy}
