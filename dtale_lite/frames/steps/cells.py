"""Ops that change the values of one column: ``convert``, ``edit``, ``replace`` and
``fill_missing``. Each replaces that one column; the others stay shared with the original."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BadRequest
from . import helpers, model
from .params import text_of
from .values import json_value, literal, parse_value

CONVERTIBLE = {  # target -> the kinds it converts from
    "int": ("int", "float", "bool", "string", "object", "category"),
    "float": ("int", "float", "bool", "string", "object", "category"),
    "bool": ("int", "float", "bool", "string", "object", "category"),
    "string": None, "category": None,
    "datetime": ("int", "float", "string", "object", "category", "datetime"),
    "timedelta": ("int", "float", "string", "object", "category", "timedelta"),
}
SHOWN_FAILURES = 5
MAX_PAIRS = 1_000


def read_convert(p) -> tuple[str, str, str, str | None, str | None]:
    """(target, column, errors, format, unit), checked; every engine reads ``convert`` so."""
    to = p.choice("to", model.CONVERT_TO)
    column = p.column("column", CONVERTIBLE[to])
    errors = p.choice("errors", model.ERRORS, default="raise")
    fmt = p.string("format", limit=200, empty=False) if p.has("format") else None
    unit = p.choice("unit", model.UNITS) if p.has("unit") else None
    if fmt is not None and to != "datetime":
        p.fail("format", "is for a conversion to datetime")
    if unit is not None and to not in ("datetime", "timedelta"):
        p.fail("unit", "is for a conversion to datetime or timedelta")
    return to, column, errors, fmt, unit


def convert(ctx) -> None:
    to, column, errors, fmt, unit = read_convert(ctx.p)
    series, ref = ctx.series(column), ctx.ref(column)
    if to == "string":
        values, expr = series.astype("str"), f"{ref}.astype('str')"
    elif to == "category":
        values, expr = series.astype("category"), f"{ref}.astype('category')"
    else:
        function = f"to_{to}"
        extra = {"format": fmt, "unit": unit} if to == "datetime" else (
            {"unit": unit} if to == "timedelta" else {})
        values = helpers.FUNCTIONS[function](series, **extra)
        args = "".join(f", {k}={v!r}" for k, v in extra.items() if v is not None)
        expr = f"{ctx.helper(function)}({ref}{args})"
    if errors == "raise":
        _check_failures(series, values, column, to)
    ctx.set_column(column, values, expr)


def _check_failures(before: pd.Series, after: pd.Series, column: str, to: str) -> None:
    failed = np.flatnonzero(before.notna().to_numpy(dtype=bool) & after.isna().to_numpy(
        dtype=bool))
    if len(failed):
        raise conversion_failed(len(failed), before.iloc[failed[:SHOWN_FAILURES]].tolist(),
                                column, to)


def conversion_failed(count: int, examples: list, column: str, to: str) -> BadRequest:
    """The 400 of ``convert`` with errors='raise': how many failed, and the first few."""
    shown = ", ".join(text_of(json_value(v), 40) for v in examples[:SHOWN_FAILURES])
    return BadRequest(f"convert: {count:,} value{'s' if count > 1 else ''} of "
                      f"'{column}' could not be converted to {to}, e.g. {shown} (use "
                      f"errors='coerce' to make them missing)")


def edit(ctx) -> None:
    p = ctx.p
    row = p.integer("row", 0, 2**62)
    column = p.column("column")
    series = ctx.series(column)
    value = parse_value(p.raw("value", required=False), ctx.kind(column), series.dtype,
                        f"edit: parameter 'value' for column '{column}'")
    if ctx.origin is None:
        if row >= len(ctx.frame):
            p.fail("row", f"must be a row of the original frame (0 to {len(ctx.frame) - 1:,})")
        position = row
    else:
        found = np.flatnonzero(ctx.origin == row)
        if not len(found):
            p.fail("row", f"names row {row:,} of the original frame, which an earlier step "
                          f"dropped")
        position = int(found[0])
    values = series.copy()
    values.iloc[position] = value
    ref = ctx.ref(column)
    ctx.lines.append(f"column = {ref}.copy()")
    ctx.lines.append(f"column.iloc[{position}] = {literal(value)}")
    ctx.set_column(column, values, "column")


def read_replace(p, kind_of, dtype_of) -> tuple[str, dict]:
    """(the column, {from: to or None for missing}) with the values read as the column's
    kind; every engine reads ``replace`` so."""
    column = p.column("column")
    pairs = p.raw("values")
    if not isinstance(pairs, list) or not 1 <= len(pairs) <= MAX_PAIRS or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        p.fail("values", f"must be a list of 1 to {MAX_PAIRS:,} [from, to] pairs")
    kind = kind_of(column)
    if kind == "category":
        p.fail("column", "is a category column: convert it to string first, or rename its "
                         "categories")
    dtype = dtype_of(column)
    where = f"replace: parameter 'values' for column '{column}'"
    mapping = {}
    for old, new in pairs:
        if old is None:
            p.fail("values", "replaces values, not missing ones: use fill_missing for those")
        old = parse_value(old, kind, dtype, where)
        mapping[old] = None if new is None else parse_value(new, kind, dtype, where)
    return column, mapping


def replace(ctx) -> None:
    column, mapping = read_replace(ctx.p, ctx.kind, lambda c: ctx.series(c).dtype)
    series = ctx.series(column)
    missing = [old for old, new in mapping.items() if new is None]
    values = series.replace({old: new for old, new in mapping.items() if new is not None})
    expr = f"{ctx.ref(column)}.replace({_dict_code(mapping, skip_missing=True)})"
    if missing:
        values = values.mask(series.isin(missing))
        expr = f"{expr}.mask({ctx.ref(column)}.isin({literal(missing)}))"
    ctx.set_column(column, values, expr)


def _dict_code(mapping: dict, skip_missing: bool) -> str:
    items = [(k, v) for k, v in mapping.items() if not (skip_missing and v is None)]
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in items) + "}"


def read_fill(p, kind_of, dtype_of) -> tuple[str, str, object]:
    """(column, "method", method) or (column, "value", the value read as the column's kind);
    ``kind_of(column)``/``dtype_of(column)``: the column's kind and (pandas-like) dtype."""
    column = p.column("column")
    kind = kind_of(column)
    if p.has("method"):
        method = p.choice("method", model.FILL_METHODS)
        if p.has("value"):
            p.fail("value", "goes with no method: give one or the other")
        if method in ("mean", "median") and kind not in model.ORDERED:
            p.fail("method", f"{method} needs numbers, dates or durations; "
                             f"'{column}' is {kind}")
        return column, "method", method
    value = parse_value(p.raw("value"), kind, dtype_of(column),
                        f"fill_missing: parameter 'value' for column '{column}'")
    return column, "value", value


def fill_missing(ctx) -> None:
    column, how, given = read_fill(ctx.p, ctx.kind, lambda c: ctx.series(c).dtype)
    series, ref = ctx.series(column), ctx.ref(column)
    if how == "method":
        method = given
        if method in ("ffill", "bfill"):
            values, expr = getattr(series, method)(), f"{ref}.{method}()"
        elif method == "mode":
            modes = series.mode()
            values = series.fillna(modes.iloc[0]) if len(modes) else series
            expr = f"{ref}.fillna({ref}.mode().iloc[0]) if {ref}.notna().any() else {ref}"
        else:
            values = series.fillna(getattr(series, method)())
            expr = f"{ref}.fillna({ref}.{method}())"
    else:
        values, expr = series.fillna(given), f"{ref}.fillna({literal(given)})"
    ctx.set_column(column, values, expr)
