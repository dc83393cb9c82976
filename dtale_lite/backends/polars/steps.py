"""Steps on a Polars frame (issue 15): each step is a Polars expression applied to a LazyFrame
built on the user's data (Polars frames are immutable: the user's object is never changed).

The parameters are read with the pandas steps' own checks (frames/steps: ``Params`` and the
``read_*`` functions), so a bad step gets the same 400 on every engine. What each op computes
follows the pandas op (the reference; tests/server/test_engines_steps.py compares them):
NaN counts as missing, ``//`` and ``%`` floor as Python does, weekdays start at Monday = 0.
Values are ``pl.lit`` literals of parsed JSON values: no text is ever evaluated.
"""
from __future__ import annotations

import polars as pl

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
from ...frames.steps.shape import read_keep_view, read_move
from .backend import kind_of_polars, sort_expr
from .filter import PolarsColumn, compile_filter, value_expr

ENGINE = "polars"
PARTS = {"year": "year", "quarter": "quarter", "month": "month", "day": "day",
         "hour": "hour", "minute": "minute"}


class Frame:
    """A LazyFrame with its columns as the steps' checks see them; ``eager``: the user's
    frame was a DataFrame (each step is then collected once, and pages read memory)."""

    def __init__(self, lazy: pl.LazyFrame, eager: bool = False):
        self.lazy, self.eager = lazy, eager
        schema = lazy.collect_schema()
        self.names, self.dtypes = list(schema.names()), list(schema.dtypes())
        self.columns = [Column(i, n, str(t), kind_of_polars(t)) for i, (n, t) in
                        enumerate(zip(api_names(self.names), self.dtypes))]
        self.dtype = dict(zip(self.names, self.dtypes))
        self.kind = {c.name: c.kind for c in self.columns}

    def value(self, name: str) -> pl.Expr:
        """Column ``name`` with NaN as missing, categories as text, dates as datetimes."""
        return value_expr(name, self.dtype[name])

    def resolve(self, name: str) -> PolarsColumn | None:
        if name not in self.dtype:
            return None
        return PolarsColumn(self.value(name), self.kind[name],
                            getattr(self.dtype[name], "time_zone", None))


def params_of(frame: Frame, step: dict, what: str) -> Params:
    return Params(step, None, what, columns=frame.columns)


def apply_step(frame: Frame, step: dict) -> Frame:
    """``frame`` with ``step`` applied (lazily). BadRequest naming the parameter, or naming
    the engine and the op when Polars frames do not take it."""
    op = model.check_body(step)
    if op not in model.ENGINE_OPS:
        raise model.not_on_engine(ENGINE, op)
    p = params_of(frame, step, op)
    try:
        lazy = OPS[op](frame, p)
        p.check_unknown()
        result = Frame(lazy, frame.eager)  # resolves the plan's schema: a type error shows here
    except pl.exceptions.PolarsError as error:
        raise BadRequest(f"{op}: polars refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    return result


# -- add_column ----------------------------------------------------------------------------
def add_column(frame: Frame, p: Params) -> pl.LazyFrame:
    name = new_name(p, "name", ENGINE)
    kind = p.choice("kind", tuple(model.ADD_KINDS))
    if kind not in model.ENGINE_ADD_KINDS:
        raise model.not_on_engine(ENGINE, f"add_column of kind {kind}")
    return frame.lazy.with_columns(KINDS[kind](frame, p).alias(name))


def _number(frame: Frame, name: str) -> pl.Expr:
    value = frame.value(name)
    return value.cast(pl.Int64) if frame.kind[name] == "bool" else value


def arithmetic(frame: Frame, p: Params) -> pl.Expr:
    left, op, right, is_column = read_arithmetic(p)
    a = _number(frame, left)
    b = _number(frame, right) if is_column else pl.lit(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    floats = frame.kind[left] == "float" or (
        frame.kind[right] == "float" if is_column else isinstance(right, float))
    if op in ("//", "%") and floats:
        return numpy_divmod(a, b, op)
    if op == "//":
        return a // b  # floors, as Python (an integer divided by 0 is missing, not inf)
    if op == "%":
        return a % b
    return a.pow(b)


def numpy_divmod(a: pl.Expr, b: pl.Expr, op: str) -> pl.Expr:
    """``a // b`` or ``a % b`` of floats by numpy's own ufuncs, as pandas computes them (NaN,
    inf and 0 included; Polars gives -inf for inf // -1.5, pandas NaN)."""
    import numpy as np

    ufunc = np.floor_divide if op == "//" else np.remainder

    def run(pair: pl.Series) -> pl.Series:
        x, y = (pair.struct.field(f).cast(pl.Float64).to_numpy() for f in ("a", "b"))
        with np.errstate(all="ignore"):
            return pl.Series(ufunc(x, y), dtype=pl.Float64).fill_nan(None)

    return pl.struct(a.alias("a"), b.alias("b")).map_batches(run, return_dtype=pl.Float64)


def datetime_part(frame: Frame, p: Params) -> pl.Expr:
    column, part = read_datetime_part(p)
    value = frame.value(column)
    if part == "date":
        return value.dt.truncate("1d")
    if part == "weekday":
        return (value.dt.weekday() - 1).cast(pl.Int32)  # Polars: Monday is 1; pandas: 0
    return getattr(value.dt, PARTS[part])().cast(pl.Int32)


def text_of(frame: Frame, name: str, what: str) -> pl.Expr:
    """Column ``name`` as pandas' ``astype("str")`` writes it (missing stays missing)."""
    kind = frame.kind[name]
    value = frame.value(name)
    if kind in ("string", "category"):
        return value.cast(pl.String)
    if kind == "bool":
        return pl.when(value).then(pl.lit("True")).when(~value).then(pl.lit("False"))
    if kind in ("int", "float"):
        return value.cast(pl.String)
    raise refuse_text_of(ENGINE, what, name, kind)


def string(frame: Frame, p: Params) -> pl.Expr:
    read = read_string(p)
    if read[0] == "join":
        _, columns, sep = read
        return pl.concat_str([text_of(frame, c, "add_column of kind string")
                              for c in columns], separator=sep)
    _, column, transform, start, stop = read
    text = frame.value(column).cast(pl.String)
    if transform == "lower":
        return text.str.to_lowercase()
    if transform == "upper":
        return text.str.to_uppercase()
    if transform == "strip":
        return text.str.strip_chars()
    if transform == "length":
        return text.str.len_chars().cast(pl.Int64)
    n = text.str.len_chars().cast(pl.Int64)
    first, last = _bound(start, n, 0), _bound(stop, n, None)
    return text.str.slice(first, pl.max_horizontal(last - first, pl.lit(0)))


def _bound(value, n: pl.Expr, default):
    """A Python slice bound (None, negative from the end) as a position in 0..n."""
    if value is None:
        return pl.lit(0, dtype=pl.Int64) if default == 0 else n
    if value < 0:
        return pl.max_horizontal(n + value, pl.lit(0))
    return pl.min_horizontal(pl.lit(value, dtype=pl.Int64), n)


def condition(frame: Frame, p: Params) -> pl.Expr:
    _, expr = read_condition(p, lambda node: compile_filter(node, frame.resolve))
    return expr


def copy(frame: Frame, p: Params) -> pl.Expr:
    return pl.col(p.column("column"))


KINDS = {"arithmetic": arithmetic, "datetime_part": datetime_part, "string": string,
         "condition": condition, "copy": copy}


# -- convert -------------------------------------------------------------------------------
def _float(frame: Frame, column: str) -> pl.Expr:
    kind, value = frame.kind[column], frame.value(column)
    if kind in ("string", "category", "object"):
        value = value.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
    return value.cast(pl.Float64).fill_nan(None)


def converted(frame: Frame, column: str, to: str, fmt, unit) -> pl.Expr:
    kind, value = frame.kind[column], frame.value(column)
    textual = kind in ("string", "category", "object")
    if to == "float":
        return _float(frame, column)
    if to == "int":
        number = _float(frame, column)
        whole = (number % 1 == 0) & (number.abs() < 2.0**63)
        return pl.when(whole).then(number.cast(pl.Int64))
    if to == "bool":
        text = (text_of(frame, column, "convert to bool") if kind == "bool" else
                value.cast(pl.String)).str.strip_chars().str.to_lowercase()
        return text.replace_strict(BOOL_WORDS, default=None, return_dtype=pl.Boolean)
    if to == "string":
        return text_of(frame, column, "convert to string")
    if to == "category":
        if kind not in ("string", "category"):
            raise model.not_on_engine(ENGINE, "convert to category",
                                      f" from a column of kind {kind}")
        return value.cast(pl.String).cast(pl.Categorical)
    if to == "datetime":
        if kind == "datetime":
            return value
        if textual:
            text = value.cast(pl.String)
            if fmt is not None:
                parsed = text.str.strptime(pl.Datetime("us"), fmt, strict=False)
                # A format without a year: Python (pandas) reads year 1900, Polars year 1.
                return parsed if any(y in fmt for y in ("%Y", "%y", "%G", "%C")) else \
                    parsed.dt.offset_by("1899y")
            return text.str.to_datetime(time_unit="us", strict=False)
        return pl.from_epoch(_nanos(frame, column, unit), time_unit="ns")
    # timedelta
    if kind == "timedelta":
        return value
    if textual:
        raise model.not_on_engine(ENGINE, "convert to timedelta", " from text")
    return _nanos(frame, column, unit).cast(pl.Duration("ns"))


def _nanos(frame: Frame, column: str, unit) -> pl.Expr:
    """Numbers in ``unit`` as whole nanoseconds (cut, as pandas); out of range (inf, 1e300):
    missing, as pandas' NaT."""
    nanos = _float(frame, column) * UNIT_NS[unit or "ns"]
    return pl.when(nanos.abs() < 9.2e18).then(nanos).cast(pl.Int64)


def convert(frame: Frame, p: Params) -> pl.LazyFrame:
    to, column, errors, fmt, unit = read_convert(p)
    after = converted(frame, column, to, fmt, unit)
    if errors == "raise":
        failed = frame.value(column).is_not_null() & after.is_null()
        found = frame.lazy.select(failed.sum().alias("n"), frame.value(column).filter(
            failed).head(SHOWN_FAILURES).implode().alias("first")).collect()
        count = int(found["n"][0])
        if count:
            raise conversion_failed(count, found["first"][0].to_list(), column, to)
    return frame.lazy.with_columns(after.alias(column))


# -- the other ops -------------------------------------------------------------------------
def rename(frame: Frame, p: Params) -> pl.LazyFrame:
    column = p.column("column")
    return frame.lazy.rename({column: new_name(p, "to", ENGINE, replacing=column)})


def drop(frame: Frame, p: Params) -> pl.LazyFrame:
    return frame.lazy.drop(p.column_list("columns"))


def fill_missing(frame: Frame, p: Params) -> pl.LazyFrame:
    column, how, given = read_fill(p, frame.kind.get, lambda c: pandas_dtype(
        frame.kind[c], getattr(frame.dtype[c], "time_zone", None), lambda: _categories(
            frame, c)))
    value = frame.value(column) if frame.kind[column] == "float" else pl.col(column)
    if how == "value":
        filled = value.fill_null(pl.lit(plain_value(given), dtype=frame.dtype[column]))
    elif given == "ffill":
        filled = value.forward_fill()
    elif given == "bfill":
        filled = value.backward_fill()
    elif given == "mode":
        filled = value.fill_null(value.drop_nulls().mode().sort().first())
    else:
        filled = value.fill_null(getattr(value, given)())
    return frame.lazy.with_columns(filled.alias(column))


def replace(frame: Frame, p: Params) -> pl.LazyFrame:
    column, mapping = read_replace(p, frame.kind.get, lambda c: pandas_dtype(
        frame.kind[c], getattr(frame.dtype[c], "time_zone", None)))
    if frame.kind[column] == "object":
        raise model.not_on_engine(ENGINE, "replace", f" for column '{column}' of kind object")
    value = frame.value(column) if frame.kind[column] == "float" else pl.col(column)
    dtype = frame.dtype[column]
    kept = {k: v for k, v in mapping.items() if v is not None}
    missing = [plain_value(k) for k, v in mapping.items() if v is None]
    result = value
    if kept:
        result = value.replace(pl.Series([plain_value(k) for k in kept], dtype=dtype),
                               pl.Series([plain_value(v) for v in kept.values()], dtype=dtype))
    if missing:
        result = pl.when(value.is_in(pl.Series(missing, dtype=dtype).implode())).then(
            None).otherwise(result)
    return frame.lazy.with_columns(result.alias(column))


def _categories(frame: Frame, column: str) -> list:
    dtype = frame.dtype[column]
    if isinstance(dtype, pl.Enum):
        return dtype.categories.to_list()
    return frame.lazy.select(pl.col(column).drop_nulls().unique().cast(pl.String)).collect(
    ).to_series().sort().to_list()


def _present(frame: Frame, names: list[str]) -> list[pl.Expr]:
    return [frame.value(n).is_not_null() for n in names]


def drop_missing(frame: Frame, p: Params) -> pl.LazyFrame:
    names = p.column_list("columns", required=False) or frame.names
    how = p.choice("how", model.HOW, default="any")
    present = _present(frame, names)
    keep = pl.all_horizontal(present) if how == "any" else pl.any_horizontal(present)
    return frame.lazy.filter(keep)


def drop_duplicates(frame: Frame, p: Params) -> pl.LazyFrame:
    names = p.column_list("columns", required=False) or frame.names
    keep = p.choice("keep", model.KEEP, default="first")
    rows = pl.struct([frame.value(n).alias(n) for n in names])
    if keep == "first":
        return frame.lazy.filter(rows.is_first_distinct())
    if keep == "last":
        return frame.lazy.filter(rows.is_last_distinct())
    return frame.lazy.filter(~rows.is_duplicated())


def move(frame: Frame, p: Params) -> pl.LazyFrame:
    column, to = read_move(p, len(frame.names))
    order = [n for n in frame.names if n != column]
    order.insert(to, column)
    return frame.lazy.select(order)


def keep_view(frame: Frame, p: Params) -> pl.LazyFrame:
    """The rows the filter keeps, in the sort's order: stable, missing values last (the
    grid's own sort: backend.sort_expr)."""
    text, sort = read_keep_view(p)
    lazy = frame.lazy
    if text.strip():
        _, condition = read_condition(p, lambda node: compile_filter(node, frame.resolve))
        lazy = lazy.filter(condition)
    if sort:
        lazy = lazy.sort([sort_expr(name, frame.dtype[name]) for name, _ in sort],
                         descending=[not asc for _, asc in sort], nulls_last=True,
                         maintain_order=True)
    return lazy


OPS = {"add_column": add_column, "convert": convert, "rename": rename, "drop": drop,
       "move": move, "replace": replace, "fill_missing": fill_missing,
       "drop_missing": drop_missing, "drop_duplicates": drop_duplicates, "keep_view": keep_view}
