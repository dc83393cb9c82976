"""Steps on a DuckDB frame (issue 15): files read in place, or a relation. Each step is a
SELECT over the previous one, run by DuckDB when a page asks: the data never comes into
Python (a file's steps scan the file, nothing else).

Safe SQL as in :mod:`.sql`: every value is a bound parameter (``$s<step>_<n>``, one prefix per
step), every identifier a known column's name quoted by ``quote_identifier`` (parameters are
checked against the schema first, by the pandas steps' own checks, so a bad step gets the same
400 on every engine); the rest of the text is this module's own. What each op computes follows
the pandas op (the reference; tests/server/test_engines_steps.py compares them): NaN counts as
missing, ``//`` and ``%`` floor as Python does, weekdays start at Monday = 0, rows keep their
order.
"""
from __future__ import annotations

import itertools
import re

import duckdb

from ...frames.columns import Column, api_names
from ...frames.errors import BadRequest
from ...frames.steps import model
from ...frames.steps.cells import (SHOWN_FAILURES, conversion_failed, read_convert, read_fill,
                                   read_replace)
from ...frames.steps.derive import (read_arithmetic, read_condition, read_datetime_part,
                                    read_string)
from ...frames.steps.params import Params
from ..step_values import (BOOL_WORDS, UNIT_NS, new_name, pandas_dtype, plain_value,
                           refuse_text_of)
from .schema import kind_of_duckdb
from ...frames.steps.shape import read_keep_view, read_move
from .sql import (Params as Bound, SqlColumn, compile_where, order_by, quote_identifier as q,
                  value_sql)

ENGINE = "duckdb"
# Type names that may be written back into SQL (replace's CAST): words and a precision only.
SIMPLE_TYPE = re.compile(r"[A-Z][A-Z_ ]*(\(\d+(, ?\d+)?\))?")
PARTS = {"year": "year({})", "quarter": "quarter({})", "month": "month({})",
         "day": "day({})", "weekday": "(isodow({}) - 1)", "hour": "hour({})",
         "minute": "minute({})", "date": "date_trunc('day', {})"}


class Rel:
    """A SELECT over the frame's data with its parameters, and its columns (described by
    DuckDB, which also checks the query: a step that does not fit fails here).

    ``pos``: the name of a column the SELECT carries with each row's position in the data
    while the steps keep every row in place, so a stepped file's pages still read only the
    row groups they need; None once a step dropped rows (positions are then numbered in the
    order the query yields the rows)."""

    def __init__(self, backend, sql: str, params: dict, pos: str | None = None):
        self.backend, self.sql, self.params, self.pos = backend, sql, params, pos
        try:
            described = [d for d in backend.cursor().execute(
                f"SELECT column_name, column_type FROM (DESCRIBE {sql})", params).fetchall()
                if d[0] != pos]
        except duckdb.Error as error:
            raise BadRequest(f"duckdb refused the step ({type(error).__name__}: "
                             f"{str(error)[:200]})") from None
        self.names = [n for n, _ in described]
        self.types = [t.upper() for _, t in described]
        self.columns = [Column(i, n, t, kind_of_duckdb(t)) for i, (n, t) in
                        enumerate(zip(api_names(self.names), self.types))]
        self.raw = {c.name: self.names[c.position] for c in self.columns}
        self.kind = {c.name: c.kind for c in self.columns}
        self.type = {c.name: self.types[c.position] for c in self.columns}
        # The rows' order for ops that need it: the positions when carried (no pass to
        # number the rows), else a row_number() (``numbered``).
        self.row = pos or free_name(self.names, "__dtale_lite_r")

    def ident(self, name: str) -> str:
        return q(self.raw[name])

    def value(self, name: str) -> str:
        """Column ``name`` (an API name) with NaN as NULL, enums as text, dates as
        timestamps."""
        return value_sql(self.raw[name], self.kind[name], self.type[name])

    def resolve(self, name: str) -> SqlColumn | None:
        if name not in self.raw:
            return None
        tz = "UTC" if self.type[name] == "TIMESTAMP WITH TIME ZONE" else None
        return SqlColumn(self.value(name), self.kind[name], tz)

    def carry(self, items: list[str]) -> list[str]:
        """``items`` and the rows' positions (for a step that keeps every row in place)."""
        return items + [q(self.pos)] if self.pos else items

    def select(self, items: list[str], tail: str = "", source: str | None = None) -> str:
        return f"SELECT {', '.join(items)} FROM ({source or self.sql}) AS s {tail}".rstrip()

    def numbered(self) -> str:
        """The rows with their position (``self.row``), for ops that need the order."""
        if self.pos:
            return self.sql
        return f"SELECT *, row_number() OVER () AS {q(self.row)} FROM ({self.sql}) AS s0"

    def scalar(self, query: str, params: dict):
        return self.backend.cursor().execute(query, params).fetchall()


def free_name(taken: list, base: str) -> str:
    return next(n for n in (f"{base}{'_' * i}" for i in itertools.count()) if n not in taken)


ROWS_CHANGED = ("drop_missing", "drop_duplicates", "keep_view")


def apply(rel: Rel, step: dict, number: int = 0) -> Rel:
    """``rel`` with ``step`` applied: a new SELECT over it. BadRequest naming the parameter,
    or naming the engine and the op when DuckDB frames do not take it."""
    op = model.check_body(step)
    if op not in model.ENGINE_OPS:
        raise model.not_on_engine(ENGINE, op)
    p = Params(step, None, op, columns=rel.columns)
    bound = Bound(f"s{number}_")
    try:
        sql = OPS[op](rel, p, bound)
    except duckdb.Error as error:
        raise BadRequest(f"{op}: duckdb refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    p.check_unknown()
    return Rel(rel.backend, sql, {**rel.params, **bound.values},
               None if op in ROWS_CHANGED else rel.pos)


def _with_column(rel: Rel, name: str, expr: str, tail: str = "", source=None) -> str:
    """Every column, with ``name`` (an API name, or a new column's name) as ``expr``."""
    items = [f"{expr} AS {rel.ident(c.name)}" if c.name == name else rel.ident(c.name)
             for c in rel.columns]
    if name not in rel.raw:
        items.append(f"{expr} AS {q(name)}")
    return rel.select(rel.carry(items), tail, source)


# -- add_column ----------------------------------------------------------------------------
def add_column(rel: Rel, p: Params, bound: Bound) -> str:
    name = new_name(p, "name", ENGINE)
    kind = p.choice("kind", tuple(model.ADD_KINDS))
    if kind not in model.ENGINE_ADD_KINDS:
        raise model.not_on_engine(ENGINE, f"add_column of kind {kind}")
    return _with_column(rel, name, KINDS[kind](rel, p, bound))


def _number(rel: Rel, name: str) -> str:
    value = rel.value(name)
    return f"CAST({value} AS INTEGER)" if rel.kind[name] == "bool" else value


def arithmetic(rel: Rel, p: Params, bound: Bound) -> str:
    left, op, right, is_column = read_arithmetic(p)
    a = _number(rel, left)
    b = _number(rel, right) if is_column else bound.bind(right)
    whole = rel.kind[left] in ("int", "bool") and (
        rel.kind[right] in ("int", "bool") if is_column else isinstance(right, int))
    if op in ("+", "-", "*"):
        return f"({a} {op} {b})"
    if op == "/":
        return f"(CAST({a} AS DOUBLE) / {b})"
    if op == "**":
        return f"pow({a}, {b})"
    if whole:  # floored as Python; by 0: missing (pandas: inf or NaN, as floats)
        if op == "//":
            return f"(CASE WHEN {b} = 0 THEN NULL ELSE CAST(floor({a} / {b}) AS BIGINT) END)"
        return f"(CASE WHEN {b} = 0 THEN NULL ELSE (({a} % {b}) + {b}) % {b} END)"
    return float_divmod(f"CAST({a} AS DOUBLE)", f"CAST({b} AS DOUBLE)", op)


def float_divmod(a: str, b: str, op: str) -> str:
    """``a // b`` or ``a % b`` of floats as pandas (numpy's npy_divmod) computes them, NaN,
    inf and 0 included: from C's fmod (DuckDB's gives inf for a finite ``a`` and an infinite
    ``b``), the remainder takes the divisor's sign and the quotient is rounded to whole."""
    m0 = f"(CASE WHEN isinf({b}) AND NOT isinf({a}) THEN {a} ELSE fmod({a}, {b}) END)"
    adjust = f"({m0} != 0 AND (({b} < 0) != ({m0} < 0)))"
    missing = f"WHEN {a} IS NULL OR {b} IS NULL THEN NULL"
    if op == "%":
        return (f"(CASE {missing} WHEN {b} = 0 THEN CAST('nan' AS DOUBLE) WHEN {m0} != 0 THEN "
                f"(CASE WHEN {adjust} THEN {m0} + {b} ELSE {m0} END) ELSE 0.0 END)")
    div = f"(({a} - {m0}) / {b} - CASE WHEN {adjust} THEN 1 ELSE 0 END)"
    return (f"(CASE {missing} WHEN {b} = 0 THEN {a} / {b} WHEN {div} != 0 THEN floor({div}) + "
            f"CASE WHEN {div} - floor({div}) > 0.5 THEN 1 ELSE 0 END ELSE 0.0 END)")


def datetime_part(rel: Rel, p: Params, bound: Bound) -> str:
    column, part = read_datetime_part(p)
    return PARTS[part].format(rel.value(column))


def text_of(rel: Rel, name: str, what: str) -> str:
    """Column ``name`` as pandas' ``astype("str")`` writes it (missing stays missing)."""
    kind, value = rel.kind[name], rel.value(name)
    if kind in ("string", "category", "int", "float"):
        return f"CAST({value} AS VARCHAR)"
    if kind == "bool":
        return f"(CASE WHEN {value} THEN 'True' WHEN NOT {value} THEN 'False' END)"
    raise refuse_text_of(ENGINE, what, name, kind)


def _bound(value, n: str, bound: Bound, end: bool) -> str:
    """A Python slice bound (None, negative from the end) as a position in 0..n."""
    if value is None:
        return n if end else "0"
    if value < 0:
        return f"greatest({n} + {bound.bind(value)}, 0)"
    return f"least({bound.bind(value)}, {n})"


def string(rel: Rel, p: Params, bound: Bound) -> str:
    read = read_string(p)
    if read[0] == "join":
        _, columns, sep = read
        glue = f" || {bound.bind(sep)} || " if sep else " || "
        return "(" + glue.join(text_of(rel, c, "add_column of kind string")
                               for c in columns) + ")"
    _, column, transform, start, stop = read
    text = f"CAST({rel.value(column)} AS VARCHAR)"
    if transform in ("lower", "upper"):
        return f"{transform}({text})"
    if transform == "strip":
        return f"regexp_replace({text}, '^\\s+|\\s+$', '', 'g')"
    if transform == "length":
        return f"CAST(length({text}) AS BIGINT)"
    n = f"length({text})"
    first, last = _bound(start, n, bound, False), _bound(stop, n, bound, True)
    return f"substring({text}, {first} + 1, greatest({last} - {first}, 0))"


def condition(rel: Rel, p: Params, bound: Bound) -> str:
    _, (where, values) = read_condition(p, lambda node: compile_where(
        node, rel.resolve, prefix=f"{bound.prefix}c"))
    bound.values.update(values)
    return where


def copy(rel: Rel, p: Params, bound: Bound) -> str:
    return rel.ident(p.column("column"))


KINDS = {"arithmetic": arithmetic, "datetime_part": datetime_part, "string": string,
         "condition": condition, "copy": copy}


# -- convert -------------------------------------------------------------------------------
def _float(rel: Rel, column: str) -> str:
    value = rel.value(column)
    if rel.kind[column] in ("string", "category", "object"):
        value = f"TRY_CAST(trim(CAST({value} AS VARCHAR)) AS DOUBLE)"
    else:
        value = f"CAST({value} AS DOUBLE)"
    return f"(CASE WHEN isnan({value}) THEN NULL ELSE {value} END)"


def converted(rel: Rel, column: str, to: str, fmt, unit, bound: Bound) -> str:
    kind, value = rel.kind[column], rel.value(column)
    textual = kind in ("string", "category", "object")
    if to == "float":
        return _float(rel, column)
    if to == "int":
        f = _float(rel, column)
        return f"(CASE WHEN {f} = floor({f}) AND abs({f}) < 2.0 ^ 63 THEN CAST({f} AS BIGINT) END)"
    if to == "bool":
        text = text_of(rel, column, "convert to bool") if kind == "bool" else \
            f"CAST({value} AS VARCHAR)"
        text = f"lower(trim({text}))"
        yes = [w for w, v in BOOL_WORDS.items() if v]
        no = [w for w, v in BOOL_WORDS.items() if not v]
        return (f"(CASE WHEN {text} IN ({', '.join(bound.bind(w) for w in yes)}) THEN true "
                f"WHEN {text} IN ({', '.join(bound.bind(w) for w in no)}) THEN false END)")
    if to == "string":
        return text_of(rel, column, "convert to string")
    if to == "category":
        raise model.not_on_engine(ENGINE, "convert to category")
    if kind == to:
        return value
    if to == "timedelta":  # the grid does not show DuckDB's intervals as pandas' durations yet
        raise model.not_on_engine(ENGINE, "convert to timedelta")
    if textual:
        text = f"CAST({value} AS VARCHAR)"
        if fmt is not None:
            return f"try_strptime({text}, {bound.bind(fmt)})"
        return f"TRY_CAST({text} AS TIMESTAMP)"
    # Cut to whole ns, as pandas; what is out of range (inf, 1e300) is missing (NaT).
    nanos = f"trunc({_float(rel, column)} * {bound.bind(UNIT_NS[unit or 'ns'])})"
    return (f"(CASE WHEN abs({nanos}) < 9.2e18 THEN make_timestamp_ns(CAST({nanos} AS BIGINT)) "
            f"END)")


def convert(rel: Rel, p: Params, bound: Bound) -> str:
    to, column, errors, fmt, unit = read_convert(p)
    after = converted(rel, column, to, fmt, unit, bound)
    if errors == "raise":
        failed = f"{rel.value(column)} IS NOT NULL AND ({after}) IS NULL"
        params = {**rel.params, **bound.values}
        count = rel.scalar(rel.select(["count(*)"], f"WHERE {failed}"), params)[0][0]
        if count:
            first = rel.scalar(rel.select([rel.value(column)], f"WHERE {failed} LIMIT "
                                          f"{SHOWN_FAILURES}"), params)
            raise conversion_failed(count, [row[0] for row in first], column, to)
    return _with_column(rel, column, after)


# -- the other ops -------------------------------------------------------------------------
def rename(rel: Rel, p: Params, bound: Bound) -> str:
    column = p.column("column")
    to = new_name(p, "to", ENGINE, replacing=column)
    return rel.select(rel.carry([f"{rel.ident(c.name)} AS {q(to)}" if c.name == column else
                                 rel.ident(c.name) for c in rel.columns]))


def drop(rel: Rel, p: Params, bound: Bound) -> str:
    gone = set(p.column_list("columns"))
    kept = [rel.ident(c.name) for c in rel.columns if c.name not in gone]
    if not kept:
        p.fail("columns", "names every column: a DuckDB frame keeps at least one")
    return rel.select(rel.carry(kept))


def fill_missing(rel: Rel, p: Params, bound: Bound) -> str:
    column, how, given = read_fill(p, rel.kind.get, lambda c: pandas_dtype(
        rel.kind[c], None, lambda: []))
    value = rel.value(column)
    if how == "value":
        return _with_column(rel, column, f"coalesce({value}, {bound.bind(plain_value(given))})")
    order = f"ORDER BY {q(rel.row)}"
    if given in ("ffill", "bfill"):
        frame = ("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW" if given == "ffill" else
                 "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING")
        function = "last_value" if given == "ffill" else "first_value"
        expr = f"{function}({value} IGNORE NULLS) OVER ({order} {frame})"
        return _with_column(rel, column, expr, order, rel.numbered())
    if given == "mode":
        mode = rel.select([f"{value} AS m"], f"WHERE {value} IS NOT NULL GROUP BY 1 "
                                              f"ORDER BY count(*) DESC, 1 LIMIT 1")
        return _with_column(rel, column, f"coalesce({value}, ({mode}))")
    function = "avg" if given == "mean" else "median"
    return _with_column(rel, column, f"coalesce({value}, {function}({value}) OVER ())",
                        order, rel.numbered())


def replace(rel: Rel, p: Params, bound: Bound) -> str:
    column, mapping = read_replace(p, rel.kind.get, lambda c: pandas_dtype(rel.kind[c]))
    if rel.kind[column] == "object" or not SIMPLE_TYPE.fullmatch(rel.type[column]):
        raise model.not_on_engine(ENGINE, "replace", f" for column '{column}' of type "
                                                     f"{rel.type[column][:40]}")
    value = rel.value(column)
    cases = [f"WHEN {value} = {bound.bind(plain_value(old))} THEN "
             f"{'NULL' if new is None else bound.bind(plain_value(new))}"
             for old, new in mapping.items()]
    # CAST: the bound values take the column's type, not theirs (an int in a float column);
    # the type's name is DuckDB's own, one of SIMPLE_TYPE's words.
    expr = f"CAST(CASE {' '.join(cases)} ELSE {value} END AS {rel.type[column]})"
    return _with_column(rel, column, expr)


def drop_missing(rel: Rel, p: Params, bound: Bound) -> str:
    names = p.column_list("columns", required=False) or [c.name for c in rel.columns]
    how = p.choice("how", model.HOW, default="any")
    joiner = " AND " if how == "any" else " OR "
    keep = joiner.join(f"({rel.value(n)} IS NOT NULL)" for n in names)
    return rel.select([rel.ident(c.name) for c in rel.columns], f"WHERE {keep}")


def drop_duplicates(rel: Rel, p: Params, bound: Bound) -> str:
    names = p.column_list("columns", required=False) or [c.name for c in rel.columns]
    keep = p.choice("keep", model.KEEP, default="first")
    keys = ", ".join(rel.value(n) for n in names)
    row = q(rel.row)
    if keep == "none":
        wanted = f"count(*) OVER (PARTITION BY {keys}) = 1"
    else:
        direction = "ASC" if keep == "first" else "DESC"
        wanted = f"row_number() OVER (PARTITION BY {keys} ORDER BY {row} {direction}) = 1"
    return rel.select([rel.ident(c.name) for c in rel.columns],
                      f"QUALIFY {wanted} ORDER BY {row}", rel.numbered())


def move(rel: Rel, p: Params, bound: Bound) -> str:
    column, to = read_move(p, len(rel.columns))
    order = [c.name for c in rel.columns if c.name != column]
    order.insert(to, column)
    return rel.select(rel.carry([rel.ident(n) for n in order]))


def keep_view(rel: Rel, p: Params, bound: Bound) -> str:
    """The rows the filter keeps, in the sort's order: missing values last, then the rows'
    order (the grid's own sort: DuckDBBackend.order_expr)."""
    text, sort = read_keep_view(p)
    where = ""
    if text.strip():
        _, (condition, values) = read_condition(p, lambda node: compile_where(
            node, rel.resolve, prefix=f"{bound.prefix}c"))
        bound.values.update(values)
        where = f"WHERE {condition}"
    keys = [(rel.ident(n) if rel.kind[n] == "category" else rel.value(n), asc)
            for n, asc in sort]
    return rel.select([rel.ident(c.name) for c in rel.columns],
                      f"{where} ORDER BY {order_by(keys, q(rel.row))}", rel.numbered())


OPS = {"add_column": add_column, "convert": convert, "rename": rename, "drop": drop,
       "move": move, "replace": replace, "fill_missing": fill_missing,
       "drop_missing": drop_missing, "drop_duplicates": drop_duplicates, "keep_view": keep_view}
