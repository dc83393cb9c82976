"""Rows that repeat over chosen columns, as ``df.duplicated(columns)`` sees them.

``rows`` is ``df.duplicated(columns).sum()``: every row of a group of equal rows but its first,
i.e. the view's rows minus its distinct groups (missing values equal each other, as pandas).
The groups come from factorizing each column (a hash of its values, once) and combining the
codes into one integer per row, re-factorized whenever the product of the codes' ranges could
overflow; then a bincount gives each group's size. No groupby over strings, no sort of the rows.

The largest groups (``TOP_GROUPS``, ties: the group seen first) come back with their first row,
whose values the answer shows and "Show these rows" filters on.
"""
from __future__ import annotations

import json
from collections.abc import Hashable

import numpy as np
import pandas as pd

from ..errors import BadRequest
from ..filter_syntax import Column as FilterColumn
from ..filter_tree import column_text, literal_text

TOP_GROUPS = 10
_SAFE = 1 << 62


def parse_columns(text: str | None, columns) -> list:
    """The Columns a ``columns`` parameter names (a JSON list of names; absent: all columns,
    as ``df.duplicated()``). BadRequest naming ``columns`` otherwise."""
    if text is None or text == "":
        return list(columns)
    try:
        names = json.loads(text)
    except ValueError:
        raise BadRequest("parameter 'columns' must be a JSON list of column names") from None
    if not isinstance(names, list) or not names or \
            not all(isinstance(n, str) for n in names):
        raise BadRequest("parameter 'columns' must be a non-empty JSON list of column names")
    by_name = {c.name: c for c in columns}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise BadRequest(f"parameter 'columns': no column named '{unknown[0][:100]}'")
    return [by_name[n] for n in dict.fromkeys(names)]


def group_codes(columns: list[pd.Series]) -> tuple[np.ndarray, int]:
    """(one group code per row, numbered in order of first appearance; how many groups)."""
    rows = len(columns[0]) if columns else 0
    codes, size = np.zeros(rows, dtype=np.int64), 1
    for series in columns:
        c, uniques = _factorize(series)
        n = max(len(uniques), 1)
        if size * n >= _SAFE:
            codes, uniques_ = pd.factorize(codes)
            size = max(len(uniques_), 1)
        codes = codes * n + c
        size *= n
    codes, uniques = pd.factorize(codes)
    return codes.astype(np.int64, copy=False), len(uniques)


def _factorize(series: pd.Series):
    try:
        return pd.factorize(series, use_na_sentinel=False)
    except TypeError:
        # Unhashable cells (lists, dicts): equal when their text is equal.
        text = series.map(lambda v: v if isinstance(v, Hashable) else
                          f"{type(v).__name__}:{v!r}")
        return pd.factorize(text, use_na_sentinel=False)


def duplicate_groups(columns: list[pd.Series], top: int = TOP_GROUPS):
    """(rows that repeat an earlier row, [(first row position, group size)] of the largest
    groups of two or more, largest first, ties by first appearance)."""
    rows = len(columns[0]) if columns else 0
    if rows == 0:
        return 0, []
    codes, groups = group_codes(columns)
    sizes = np.bincount(codes, minlength=groups)
    repeated = int(rows - groups)
    if repeated == 0:
        return 0, []
    # Codes count up in order of first appearance: a row is a group's first where the
    # running maximum of the codes steps up.
    firsts = np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]])
    many = np.flatnonzero(sizes > 1)
    order = many[np.lexsort((many, -sizes[many]))][:top]
    return repeated, [(int(firsts[g]), int(sizes[g])) for g in order]


def group_filter(names: list[str], values: list) -> str:
    """The filter-language text of the rows equal to ``values`` (JSON-safe) in ``names``."""
    parts = []
    for name, value in zip(names, values):
        col = column_text(FilterColumn(name))
        parts.append(f"{col} is null" if value is None else
                     f"{col} == {literal_text(value)}")
    return " and ".join(parts)


def groups_filter(names: list[str], groups: list[dict]) -> str | None:
    """The rows of all ``groups`` (each ``{"values": [...]}``), or None without groups."""
    texts = [group_filter(names, g["values"]) for g in groups]
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else " or ".join(f"({t})" for t in texts)
