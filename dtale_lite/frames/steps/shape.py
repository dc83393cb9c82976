"""Ops that change which columns or rows there are, or their order: ``rename``, ``drop``,
``move``, ``drop_missing``, ``drop_duplicates`` and ``keep_view``. None copies a column."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import FilterError
from . import model


def rename(ctx) -> None:
    p = ctx.p
    column = p.column("column")
    to = p.new_name("to", replacing=column)
    pos = ctx.position(column)
    labels = list(ctx.frame.columns)
    labels[pos] = to
    ctx.frame = ctx.frame.set_axis(labels, axis=1)
    label = ctx.refs.label(column)
    ctx.lines.append(f"df = df.rename(columns={{{label}: {to!r}}})" if label is not None else
                     f"df = df.set_axis([*df.columns[:{pos}], {to!r}, *df.columns[{pos + 1}:]], "
                     f"axis=1)")


def drop(ctx) -> None:
    p = ctx.p
    columns = p.column_list("columns")
    gone = {ctx.position(c) for c in columns}
    keep = [i for i in range(ctx.frame.shape[1]) if i not in gone]
    labels = [ctx.refs.label(c) for c in columns]
    if all(label is not None for label in labels):
        code = f"df = df.drop(columns=[{', '.join(labels)}])"
    else:
        code = f"df = df.iloc[:, {keep!r}]"
    ctx.keep_columns(keep, code)


def read_move(p, width: int) -> tuple[str, int]:
    """(the column, its new position), checked; every engine reads ``move`` so."""
    return p.column("column"), p.integer("to", 0, max(width - 1, 0))


def move(ctx) -> None:
    column, to = read_move(ctx.p, ctx.frame.shape[1])
    order = list(range(ctx.frame.shape[1]))
    pos = ctx.position(column)
    order.insert(to, order.pop(pos))
    ctx.lines.append(f"order = list(range({len(order)}))")
    ctx.lines.append(f"order.insert({to}, order.pop({pos}))")
    ctx.keep_columns(order, "df = df.iloc[:, order]")


def _subset(ctx, name: str):
    """(column positions, the code of the frame of those columns) for an optional list."""
    columns = ctx.p.column_list(name, required=False)
    if columns is None:
        return None, "df"
    positions = [ctx.position(c) for c in columns]
    return positions, f"df.iloc[:, {positions!r}]"


def drop_missing(ctx) -> None:
    p = ctx.p
    positions, subset = _subset(ctx, "columns")
    how = p.choice("how", model.HOW, default="any")
    frame = ctx.frame if positions is None else ctx.frame.iloc[:, positions]
    present = frame.notna()
    keep = present.all(axis=1) if how == "any" else present.any(axis=1)
    reduce = "all" if how == "any" else "any"
    ctx.keep_rows(np.flatnonzero(keep.to_numpy(dtype=bool)),
                  f"df = df[{subset}.notna().{reduce}(axis=1).to_numpy(dtype=bool)]")


def drop_duplicates(ctx) -> None:
    p = ctx.p
    positions, subset = _subset(ctx, "columns")
    keep = p.choice("keep", model.KEEP, default="first")
    keep_arg = False if keep == "none" else keep
    frame = ctx.frame if positions is None else ctx.frame.iloc[:, positions]
    duplicated = frame.duplicated(keep=keep_arg).to_numpy(dtype=bool)
    ctx.keep_rows(np.flatnonzero(~duplicated),
                  f"df = df[~{subset}.duplicated(keep={keep_arg!r}).to_numpy(dtype=bool)]")


def keep_view(ctx) -> None:
    """The rows the grid's filter keeps, in its sort order (stable, missing values last)."""
    from ..filter_syntax import parse
    from ..pandas_code import filter_code, sort_code
    from ..source import PandasSource

    p = ctx.p
    text, sort = read_keep_view(p)
    source = PandasSource(ctx.frame)
    rows = np.arange(len(ctx.frame))
    if text.strip():
        try:
            node = parse(text)
            rows = np.flatnonzero(source.filter_mask(node))
        except FilterError as error:
            p.fail("filter", error.message)
        ctx.lines.append(f"df = df[np.asarray({filter_code(node, ctx.refs, 'df')}, "
                         f"dtype=bool)]")
        ctx.numpy = True
        source = PandasSource(ctx.frame.iloc[rows])
    if sort:
        positions = {c.name: c.position for c in ctx.p.columns}
        order = source.sort_order(tuple((positions[n], asc) for n, asc in sort))
        rows = rows[order]
        ctx.lines += sort_code(sort, ctx.refs, "df")
    label = "filter and sort" if text.strip() and sort else ("filter" if text.strip() else "sort")
    ctx.keep_rows(rows, f"# (the rows of the view: its {label})")


def read_keep_view(p) -> tuple[str, list[tuple[str, bool]]]:
    """(the filter's text, "" for none; the sort as (column, ascending) pairs), checked;
    every engine reads ``keep_view`` so."""
    text = p.string("filter", default="")
    sort = _sort_pairs(p)
    if not text.strip() and not sort:
        p.fail("filter", "or 'sort' must be given: a view of every row in its order changes "
                         "nothing")
    return text, sort


def _sort_pairs(p) -> list[tuple[str, bool]]:
    raw = p.raw("sort", required=False)
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > 100:
        p.fail("sort", 'must be a list of [column, "asc"|"desc"] pairs')
    pairs = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2 and item[1] in ("asc", "desc")):
            p.fail("sort", f'must hold [column, "asc"|"desc"] pairs; got {item!r:.60}')
        name = item[0]
        if not isinstance(name, str) or name not in p.by_name:
            p.fail("sort", f"names no column: {str(name)[:60]!r}")
        pairs.append((name, item[1] == "asc"))
    return pairs
