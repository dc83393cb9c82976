"""Pandas code for what the grid shows: a filter as a boolean mask, a sort, a column selection.

Shared by the chart code export (``charts/code.py``) and ``Instance.code()``. Pure: it reads a
frame's labels and dtypes, never its rows, and imports no Flask or Dash.

The code must select exactly the rows the grid's filter keeps and order them exactly as the
grid's sort does, so it follows :mod:`dtale_lite.frames.filters` case by case where pandas alone
would differ: a comparison with a missing value is false and ``!=`` / ``not in`` are their
negations (nullable dtypes answer ``<NA>`` instead, hence ``.fillna(False)``); categories
compare by their values, even unordered ones; mixed object columns compare as text with text,
as numbers with numbers, and sort by their text. Column names and values are written with
``repr``, so any label round-trips; the code never uses ``query`` or ``eval`` strings.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from .columns import api_names, kind_of
from .filter_syntax import And, Compare, In, IsNull, Not, Or, StringMatch

HELPERS = {
    "categories_where": '''
def categories_where(column, keep):
    """Rows whose category passes keep (a test of the categories themselves): categories
    compare by value, even unordered ones, and a missing category passes nothing."""
    categories = pd.Series(column.cat.categories)
    return column.isin(categories[keep(categories).to_numpy(dtype=bool)])
''',
    "object_text": '''
def object_text(column):
    """A mixed column's cells as text, missing cells missing."""
    return column.astype(str).astype("str").where(column.notna())
''',
    "object_numbers": '''
def object_numbers(column):
    """A mixed column's numeric cells as floats; text, booleans and the rest NaN."""
    def number(value):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
            return np.nan
        try:
            return float(value)
        except (OverflowError, TypeError, ValueError):
            return np.nan
    return column.map(number).astype(float)
''',
    "object_flags": '''
def object_flags(column):
    """A mixed column's true/false cells as 1.0/0.0; every other cell NaN."""
    return column.map(lambda v: float(v) if isinstance(v, (bool, np.bool_)) else np.nan)
''',
    "sort_text": '''
def sort_text(column):
    """Mixed values do not compare with each other: the grid sorts such a column by each
    cell's text, missing cells last."""
    def text(value):
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):  # a list or array cell is not missing
            pass
        return str(value)
    return column.map(text).astype("string")
''',
}
# What each helper needs imported besides pandas.
HELPER_IMPORTS = {"object_numbers": ("numpy", "numbers"), "object_flags": ("numpy",)}
SIMPLE_LABEL = (str, int, float, bool)


def _label_repr(label) -> str | None:
    """``repr`` of a label that reads back as itself, or None (then the code uses iloc)."""
    if isinstance(label, tuple):
        parts = [_label_repr(p) for p in label]
        return None if None in parts else f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
    if isinstance(label, (np.integer, np.str_)):  # df[3] finds a numpy 3 label too
        label = label.item()
    if isinstance(label, float) and not math.isfinite(label):
        return None  # repr(nan) is not Python
    if isinstance(label, SIMPLE_LABEL) and not isinstance(label, np.generic):
        return repr(label)
    return None


class ColumnRefs:
    """How code names a frame's columns, and the dtype behind each API column name."""

    def __init__(self, frame: pd.DataFrame | None, columns=None):
        if frame is not None:
            labels = list(frame.columns)
            names = api_names(labels)
            self.dtypes = dict(zip(names, frame.dtypes.tolist()))
        else:  # a source that is not pandas: names and kinds only
            labels, names = [], [c.name for c in columns]
            self.dtypes = {}
        self.kinds = {c.name: c.kind for c in columns} if columns is not None else {
            n: kind_of(d) for n, d in self.dtypes.items()}
        self.positions = {name: i for i, name in enumerate(names)}
        counts = Counter(labels)
        self.labels = {name: (_label_repr(label) if counts[label] == 1 else None)
                       for name, label in zip(names, labels)}
        self.helpers: list[str] = []

    def label(self, name: str) -> str | None:
        """The label's repr when it names one column unambiguously, else None."""
        return self.labels.get(name)

    def col(self, name: str, frame: str = "df") -> str:
        label = self.label(name)
        if label is None:
            return f"{frame}.iloc[:, {self.positions[name]}]"
        return f"{frame}[{label}]"

    def use(self, helper: str) -> str:
        if helper not in self.helpers:
            self.helpers.append(helper)
        return helper

    def helper_text(self) -> list[str]:
        return [HELPERS[h].strip("\n") for h in self.helpers]

    def imports(self) -> set[str]:
        return {m for h in self.helpers for m in HELPER_IMPORTS.get(h, ())}


# -- the filter -------------------------------------------------------------------------------
def filter_code(node, refs: ColumnRefs, frame: str = "df") -> str:
    """The boolean Series of rows a parsed filter keeps, as pandas code over ``frame``."""
    if isinstance(node, And):
        return " & ".join(f"({filter_code(o, refs, frame)})" for o in node.operands)
    if isinstance(node, Or):
        return " | ".join(f"({filter_code(o, refs, frame)})" for o in node.operands)
    if isinstance(node, Not):
        return f"~({filter_code(node.operand, refs, frame)})"
    name = node.column.name
    return predicate_code(node, refs.col(name, frame), refs.kinds[name],
                          refs.dtypes.get(name), refs)


def _needs_fill(dtype) -> bool:
    """Whether comparisons on this dtype can answer <NA> (numpy and the NaN-valued "str"
    dtype answer False)."""
    if isinstance(dtype, np.dtype):
        return False
    return not (isinstance(dtype, pd.StringDtype) and dtype.na_value is not pd.NA)


def _negate(text: str) -> str:
    return f"~({text})" if not text.startswith("(") else f"~{text}"


def predicate_code(node, c: str, kind: str, dtype, refs: ColumnRefs) -> str:
    """One predicate over the column expression ``c`` (see the module docstring)."""
    if isinstance(node, IsNull):
        return f"{c}.{'notna' if node.negated else 'isna'}()"
    if kind == "category" and dtype is not None:
        return _category_code(node, c, dtype, refs)
    if kind == "object":
        return _object_code(node, c, refs)
    fill = ".fillna(False)" if _needs_fill(dtype) else ""
    if isinstance(node, StringMatch):
        extra = ", regex=False" if node.op == "contains" else ""
        return f"{c}.str.{node.op}({node.value.value!r}{extra}){fill}"
    if isinstance(node, In):
        values = [_literal(v.value, kind, dtype) for v in node.values if v.value is not None]
        text = f"{c}.isin([{', '.join(values)}])"
        if len(values) < len(node.values):
            text = f"({text} | {c}.isna())"
        return _negate(text) if node.negated else text
    value = _literal(node.value.value, kind, dtype)
    if node.op == "!=" and fill:
        return f"~({c} == {value}){fill}"
    return f"({c} {node.op} {value}){fill}" if fill else f"{c} {node.op} {value}"


def _category_code(node, c: str, dtype, refs: ColumnRefs) -> str:
    # The grid tests each category once, then spreads the answer over the rows; a negated
    # test is spread in its positive form and negated after, so missing rows pass '!='.
    negated = (isinstance(node, Compare) and node.op == "!=") or (
        isinstance(node, In) and node.negated)
    positive = node
    if isinstance(node, Compare) and negated:
        positive = Compare(node.column, "==", node.value)
    if isinstance(node, In):  # missing rows are added below: categories are never missing
        positive = In(node.column, tuple(v for v in node.values if v.value is not None), False)
    categories = dtype.categories
    if isinstance(node, StringMatch):
        inner = predicate_code(node, "v.astype(str)", "string", pd.StringDtype(na_value=np.nan),
                               refs)
    else:
        inner = predicate_code(positive, "v", kind_of(categories.dtype), categories.dtype, refs)
    text = f"{refs.use('categories_where')}({c}, lambda v: {inner})"
    if isinstance(node, In) and any(v.value is None for v in node.values):
        text = f"({text} | {c}.isna())"
    return _negate(text) if negated else text


def _object_code(node, c: str, refs: ColumnRefs) -> str:
    if isinstance(node, StringMatch):
        extra = ", regex=False" if node.op == "contains" else ""
        return f"{refs.use('object_text')}({c}).str.{node.op}({node.value.value!r}{extra})"
    if isinstance(node, In):
        values = [v.value for v in node.values if v.value is not None]
        parts = []
        texts = [v for v in values if isinstance(v, str)]
        flags = [int(v) for v in values if isinstance(v, bool)]
        nums = [v for v in values if not isinstance(v, (str, bool))]
        if texts:
            parts.append(f"{refs.use('object_text')}({c}).isin({texts!r})")
        if flags:
            parts.append(f"{refs.use('object_flags')}({c}).isin({flags!r})")
        if nums:
            parts.append(f"{refs.use('object_numbers')}({c}).isin({nums!r})")
        if len(values) < len(node.values):
            parts.append(f"{c}.isna()")
        text = " | ".join(parts) if parts else f"{c}.isin([])"
        text = f"({text})" if len(parts) > 1 else text
        return _negate(text) if node.negated else text
    value = node.value.value
    helper = ("object_text" if isinstance(value, str) else
              "object_flags" if isinstance(value, bool) else "object_numbers")
    literal = repr(int(value)) if isinstance(value, bool) else repr(value)
    # NaN answers False to every comparison but '!=', which is what the grid's negated '=='
    # gives a cell of another type.
    return f"{refs.use(helper)}({c}) {node.op} {literal}"


def _literal(value, kind: str, dtype) -> str:
    if kind == "datetime" and isinstance(value, str):
        tz = getattr(dtype, "tz", None)
        stamp = pd.Timestamp(value)
        if tz is not None and stamp.tz is None:
            return f"pd.Timestamp({value!r}, tz={str(tz)!r})"
        return f"pd.Timestamp({value!r})"
    if kind == "timedelta" and isinstance(value, str):
        return f"pd.Timedelta({value!r})"
    return repr(value)


# -- sort and columns -------------------------------------------------------------------------
def sort_code(sort, refs: ColumnRefs, frame: str = "view") -> list[str]:
    """Lines that sort ``frame`` as the grid does: stable (ties keep the frame's order),
    missing values last in both directions, mixed object columns by their text.

    ``sort``: ``(column name, ascending)`` pairs.
    """
    if not sort:
        return []
    names = [name for name, _ in sort]
    ascending = [asc for _, asc in sort]
    asc_text = repr(ascending[0]) if len(sort) == 1 else repr(ascending)
    stable = 'kind="stable", na_position="last"'
    texts = [n for n in names if refs.kinds[n] == "object"]
    labels = [refs.label(n) for n in names]
    if all(label is not None for label in labels):
        by = labels[0] if len(sort) == 1 else f"[{', '.join(labels)}]"
        key = ""
        if texts:
            listed = ", ".join(refs.label(n) for n in texts)
            key = (f", key=lambda column: {refs.use('sort_text')}(column) "
                   f"if column.name in [{listed}] else column")
        return [f"{frame} = {frame}.sort_values({by}, ascending={asc_text}, {stable}{key})"]
    # A label that names several columns (or no readable one): sort by position instead.
    keys = [f"{refs.use('sort_text')}({refs.col(n, frame)})" if n in texts else
            refs.col(n, frame) for n in names]
    return [f"keys = pd.concat([{', '.join(keys)}], axis=1, keys=range({len(keys)}))"
            ".reset_index(drop=True)",
            f"order = keys.sort_values({list(range(len(keys)))}, ascending={ascending!r}, "
            f"{stable}).index",
            f"{frame} = {frame}.iloc[order]"]


def columns_code(columns, refs: ColumnRefs, frame: str = "view") -> list[str]:
    """The line that keeps ``columns`` (API names) in this order; none for every column in
    the frame's order."""
    if columns is None or list(columns) == list(refs.positions):
        return []
    labels = [refs.label(n) for n in columns]
    if all(label is not None for label in labels):
        return [f"{frame} = {frame}[[{', '.join(labels)}]]"]
    return [f"{frame} = {frame}.iloc[:, {[refs.positions[n] for n in columns]!r}]"]


def view_code(filter_node, filter_text: str | None, sort, columns, refs: ColumnRefs,
              preamble: list[str] = ()) -> str:
    """A runnable script that derives the view from ``df``: imports, helpers, then ``view``."""
    body = list(preamble)
    if filter_node is not None:
        body.append(f"# filter: {filter_text}")
        body.append(f"view = df[{filter_code(filter_node, refs, 'df')}]")
    else:
        body.append("view = df")
    body += sort_code(sort, refs) + columns_code(columns, refs)
    modules = refs.imports()
    head = [f"import {m}" for m in ("numbers", "numpy as np") if m.split()[0] in modules]
    head += ["import pandas as pd", "", "# df: the frame shown in dtale_lite", ""]
    helpers = [h + "\n" for h in refs.helper_text()]
    return "\n".join(head + helpers + body) + "\n"
