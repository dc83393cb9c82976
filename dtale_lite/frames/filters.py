r"""Row filters typed by users, parsed by hand and compiled to vectorised boolean masks.

The server never evaluates filter text: no ``eval``, ``DataFrame.query`` or ``pd.eval``
(D-Tale's ``query`` path had remote-code-execution advisories). Text is parsed into a small
tree (:mod:`dtale_lite.frames.filter_syntax`) and each predicate becomes one numpy/Arrow operation.

Grammar (keywords are case-insensitive)::

    expr      := or
    or        := and ("or" and)*
    and       := not ("and" not)*
    not       := "not" not | primary
    primary   := "(" expr ")" | predicate
    predicate := column ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") value
               | column ["not"] "in" "[" [value ("," value)*] "]"
               | column "is" ["not"] "null"
               | column ("contains" | "startswith" | "endswith") string
    column    := [A-Za-z_][A-Za-z0-9_.]*   |   `any name`   (`` inside means one `)
    value     := number | string | "true" | "false" | "null"
    number    := -0.5, 3, 1e6, .5 ...      (integers beyond int64 are read as floats)
    string    := "..." or '...' with the escapes \\ \" \' \n \t \r \uXXXX

Meaning, following pandas:
- a comparison with a missing value is false; ``!=`` is the negation of ``==`` (``x != 5``
  keeps missing rows, ``x == 5`` drops them); ``not in`` is the negation of ``in``;
- ``= `` is the same as ``==``; ``x == null`` is ``x is null`` and ``x != null`` is
  ``x is not null``; ``null`` inside an ``in`` list matches missing values;
- numbers compare with int/float columns, ``true``/``false`` with bool columns, quoted text
  with text columns (ordering is lexicographic), category columns with their category
  values, datetime columns with dates written as text (``ts >= "2021-06-01"``, read by
  ``pd.Timestamp``; a date without a zone is taken in the column's zone, and a date without
  a time is its midnight, so ``ts <= "2024-02-10"`` leaves out the rest of the 10th: write
  ``ts < "2024-02-11"`` for the whole day, as the grid's column menu does) and timedelta
  columns with durations as text (``"1 day"``);
- ``contains``/``startswith``/``endswith`` match literal text, case-sensitive, on text,
  category and object columns (the last two by their values' string form);
- on object columns a number matches cells holding numbers, ``true``/``false`` cells holding
  booleans, and text is compared with every cell's string form;
- a keyword used as a column name needs backquotes: `` `in` == 1 ``.

Any problem (syntax, unknown column, a value of the wrong type, a bad date) raises
:class:`~dtale_lite.frames.errors.FilterError` with the character position. Filters are limited to
10,000 characters and 100 levels of nesting.
"""
from __future__ import annotations

import operator
from numbers import Number
from typing import Callable

import numpy as np
import pandas as pd

from .columns import kind_of
from .errors import FilterError
from .filter_syntax import (  # noqa: F401  (re-exported: the public API lives here)
    And,
    Column,
    Compare,
    In,
    IsNull,
    Literal,
    Node,
    Not,
    Or,
    StringMatch,
    canonical,
    columns_used,
    literal_text,
    parse,
)

Resolve = Callable[[str], "pd.Series | None"]

_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_KIND_WORDS = {
    "int": "numbers",
    "float": "numbers",
    "bool": "true/false values",
    "string": "text",
    "category": "categories",
    "datetime": "dates",
    "timedelta": "durations",
    "object": "mixed values",
}


def filter_mask(text: str, resolve: Resolve, n_rows: int) -> np.ndarray | None:
    """The mask for ``text``, or None when it is empty or only whitespace (no filter)."""
    if text is None or not text.strip():
        return None
    return compile_mask(parse(text), resolve, n_rows)


def compile_mask(node: Node, resolve: Resolve, n_rows: int) -> np.ndarray:
    """A numpy bool array of length ``n_rows``: True for the rows ``node`` keeps.

    ``resolve(name)`` gives a column as a Series (read by position) or None when there is no
    such column. Raises FilterError for an unknown column or a value that does not fit it.
    """
    cache: dict[str, pd.Series] = {}

    def column(ref: Column) -> pd.Series:
        if ref.name not in cache:
            series = resolve(ref.name)
            if series is None:
                raise FilterError(f"unknown column '{ref.name}'", ref.position)
            if len(series) != n_rows:
                raise ValueError(f"column {ref.name!r} has {len(series)} rows, not {n_rows}")
            cache[ref.name] = series
        return cache[ref.name]

    def walk(n: Node) -> np.ndarray:
        if isinstance(n, Not):
            return ~walk(n.operand)
        if isinstance(n, (And, Or)):
            combine = np.logical_and if isinstance(n, And) else np.logical_or
            out = walk(n.operands[0])
            for operand in n.operands[1:]:
                out = combine(out, walk(operand), out=out if out.flags.writeable else None)
            return out
        series = column(n.column)
        try:
            return predicate_mask(n, series)
        except FilterError:
            raise
        except (TypeError, ValueError, ArithmeticError, NotImplementedError) as error:
            # A safety net for dtypes no rule covers (pandas/Arrow refusing an operation):
            # the user gets a 400 naming the column, never a 500.
            raise FilterError(
                f"column '{n.column.name}' ({series.dtype}) does not support "
                f"'{_operator_text(n)}' with these values",
                n.column.position,
            ) from error

    return np.asarray(walk(node), dtype=bool)


def _operator_text(node: Node) -> str:
    if isinstance(node, In):
        return "not in" if node.negated else "in"
    if isinstance(node, IsNull):
        return "is not null" if node.negated else "is null"
    return node.op


def predicate_mask(node: Node, series: pd.Series) -> np.ndarray:
    """The mask of one predicate over ``series``; ``!=`` and ``not in`` negate ``==``/``in``."""
    if isinstance(node, IsNull):
        missing = series.isna().to_numpy(dtype=bool)
        return ~missing if node.negated else missing
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _category_mask(node, series)
    if isinstance(node, StringMatch):
        return _string_match(node, series)
    name, kind = node.column.name, kind_of(series.dtype)
    if kind in ("datetime", "timedelta") and isinstance(series.dtype, pd.ArrowDtype):
        # pandas refuses ordering between Arrow timestamps and Timestamp; numpy-backed works.
        series = series.astype(series.dtype.pyarrow_dtype.to_pandas_dtype())
    if isinstance(node, In):
        values = [v for v in node.values if v.value is not None]
        found = _isin(series, [_coerce(v, kind, name, series) for v in values])
        if len(values) < len(node.values):  # null in the list matches missing cells
            found = found | series.isna().to_numpy(dtype=bool)
        return ~found if node.negated else found
    value = _coerce(node.value, kind, name, series)
    if node.op == "!=":
        return ~_compare(series, "==", value, kind)
    return _compare(series, node.op, value, kind)


def _as_bool(result) -> np.ndarray:
    """A plain numpy bool array from a pandas/Arrow result; missing becomes False."""
    if isinstance(result, np.ndarray) and result.dtype == bool:
        return result
    return np.asarray(pd.Series(result).to_numpy(dtype=bool, na_value=False))


def _compare(series: pd.Series, op: str, value: object, kind: str) -> np.ndarray:
    if kind == "object":
        return _object_compare(series, op, value)
    if kind in ("int", "float", "bool") and isinstance(series.dtype, np.dtype):
        with np.errstate(invalid="ignore"):  # NaN compares false by itself; no warning needed
            return _OPS[op](series.to_numpy(), value)
    return _as_bool(_OPS[op](series, value))


def _isin(series: pd.Series, values: list) -> np.ndarray:
    if kind_of(series.dtype) == "object":
        return _object_isin(series, values)
    if not values:
        return np.zeros(len(series), dtype=bool)
    return _as_bool(series.isin(values))


# Object columns hold anything. Compare like with like: text with each cell's string form,
# numbers with cells holding numbers, true/false with cells holding booleans.


def _object_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    # pandas 3 keeps missing cells missing in astype(str); pandas 2 makes them "None"/"nan",
    # so the explicit mask keeps missing cells from matching text there too.
    present = ~series.isna().to_numpy(dtype=bool)
    return series.astype(str).astype("str"), present


def _object_numbers(series: pd.Series) -> np.ndarray:
    def number(cell):
        # numbers.Number admits Decimal (Arrow decimal columns land here) as well as numpy.
        if isinstance(cell, (bool, np.bool_)) or not isinstance(cell, Number):
            return np.nan
        try:
            return float(cell)
        except (OverflowError, TypeError, ValueError):
            return np.nan

    return np.fromiter((number(c) for c in series.to_numpy(dtype=object)), float, len(series))


def _object_bools(series: pd.Series) -> np.ndarray:
    """1 for a true cell, 0 for a false one, -1 for anything else."""
    return np.fromiter(
        (int(c) if isinstance(c, (bool, np.bool_)) else -1 for c in series.to_numpy(dtype=object)),
        np.int8,
        len(series),
    )


def _object_compare(series: pd.Series, op: str, value: object) -> np.ndarray:
    if isinstance(value, str):
        text, present = _object_text(series)
        return _as_bool(_OPS[op](text, value)) & present
    if isinstance(value, bool):
        bools = _object_bools(series)
        return (bools >= 0) & _OPS[op](bools, int(value))
    return _OPS[op](_object_numbers(series), value)


def _object_isin(series: pd.Series, values: list) -> np.ndarray:
    found = np.zeros(len(series), dtype=bool)
    texts = [v for v in values if isinstance(v, str)]
    flags = [int(v) for v in values if isinstance(v, bool)]
    numbers = [v for v in values if not isinstance(v, (str, bool))]
    if texts:
        text, present = _object_text(series)
        found |= _as_bool(text.isin(texts)) & present
    if flags:
        found |= np.isin(_object_bools(series), flags)
    if numbers:
        found |= np.isin(_object_numbers(series), numbers)
    return found


def _coerce(literal: Literal, kind: str, name: str, series: pd.Series) -> object:
    """The literal as a value comparable with the column, or FilterError saying why not."""
    value = literal.value
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "object":
        return value
    if kind in ("int", "float") and is_number:
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "string" and isinstance(value, str):
        return value
    if kind in ("datetime", "timedelta") and isinstance(value, str):
        return _temporal(literal, kind, name, series)
    raise FilterError(
        f"column '{name}' holds {_KIND_WORDS[kind]}, so it cannot be compared with {literal_text(value)}"
        + _hint(kind),
        literal.position,
    )


def _hint(kind: str) -> str:
    return {
        "string": " (put text in quotes)",
        "bool": " (use true or false)",
        "datetime": ' (write dates in quotes, e.g. "2021-06-01")',
        "timedelta": ' (write durations in quotes, e.g. "1 day")',
    }.get(kind, "")


def _temporal(literal: Literal, kind: str, name: str, series: pd.Series):
    text = literal.value
    try:
        if kind == "timedelta":
            return pd.Timedelta(text)
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        what = "duration" if kind == "timedelta" else "date"
        raise FilterError(f"{literal_text(text)} is not a {what}", literal.position) from None
    if stamp is pd.NaT:
        raise FilterError(f"{literal_text(text)} is not a date", literal.position)
    column_tz = getattr(series.dtype, "tz", None)
    if column_tz is not None and stamp.tz is None:
        return stamp.tz_localize(column_tz)
    if column_tz is None and stamp.tz is not None:
        raise FilterError(
            f"column '{name}' has no time zone; write the date without one",
            literal.position,
        )
    return stamp


def _string_match(node: StringMatch, series: pd.Series) -> np.ndarray:
    kind, text = kind_of(series.dtype), node.value.value
    if kind == "object":
        series, present = _object_text(series)
    elif kind == "string":
        present = None
    else:
        raise FilterError(
            f"'{node.op}' needs a text column; '{node.column.name}' holds {_KIND_WORDS[kind]}",
            node.position,
        )
    if node.op == "contains":
        result = _as_bool(series.str.contains(text, regex=False))
    else:
        result = _as_bool(getattr(series.str, node.op)(text))
    return result if present is None else result & present


def _category_mask(node: Node, series: pd.Series) -> np.ndarray:
    """Evaluate the predicate once per category, then spread it over the rows by code.

    Categories are few, so this is fast whatever they hold, and ordering works on unordered
    categoricals (by value) where pandas would refuse.
    """
    categories = series.cat.categories
    if isinstance(node, StringMatch):
        values = pd.Series(categories.astype(str), dtype="str")
    else:
        values = pd.Series(categories)
    negated = (isinstance(node, Compare) and node.op == "!=") or (
        isinstance(node, In) and node.negated
    )
    per_category = predicate_mask(node, values)
    # A negated predicate is spread in its positive form and negated after, so that a missing
    # row (code -1) counts as "not equal", as in pandas.
    positive = ~per_category if negated else per_category
    null_listed = isinstance(node, In) and any(v.value is None for v in node.values)
    rows = _spread(positive, series, missing=null_listed)
    return ~rows if negated else rows


def _spread(per_category: np.ndarray, series: pd.Series, missing: bool) -> np.ndarray:
    codes = series.cat.codes.to_numpy()
    lookup = np.append(np.asarray(per_category, dtype=bool), missing)  # code -1 → last slot
    return lookup[codes]
