"""Summaries of a Polars frame (issue 15): ``groupby``, ``pivot``, ``resample`` and
``value_counts`` as Polars aggregations over the stepped LazyFrame; the result is a new Polars
DataFrame (a summary is collected: it is what the user looks at next).

Parameters are read with the pandas summaries' checks; the result has the pandas summary's
columns, rows and order (tests compare them): keys sorted with missing ones last, aggregations
skipping missing values, ``first``/``last`` the first/last value present. Ties in
``value_counts`` are ordered by the keys.
"""
from __future__ import annotations

import polars as pl

from ...frames.aggregate import FREQUENCIES
from ...frames.errors import BadRequest, DtaleLiteError
from ...frames.steps import model
from ...frames.steps.apply import REFUSED
from ...frames.steps.params import text_of
from ...frames.steps.summaries import (KINDS, PIVOT_TOP, _aggregations, pivot_columns,
                                       read_pivot)
from ..step_values import cells_frame, checked_names
from .steps import ENGINE, Frame, params_of

TRUNCATE = {"hour": "1h", "day": "1d", "week": "1w", "month": "1mo", "quarter": "1q",
            "year": "1y"}


def summarize(frame: Frame, body: dict):
    """(the summary as a Polars DataFrame, a note or None). BadRequest naming the parameter,
    or the engine and the kind for a summary Polars frames do not make."""
    kind = body.get("kind") if isinstance(body, dict) else None
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadRequest(f"parameter 'kind' must be one of {', '.join(KINDS)}; got "
                         f"{text_of(kind)}")
    if kind not in model.ENGINE_SUMMARIES:
        raise model.not_on_engine(ENGINE, f"summarize {kind}")
    p = params_of(frame, body, kind)
    p.used.update({"kind", "name"})
    try:
        result, note = SUMMARIES[kind](frame, p)
        p.check_unknown()
        return result.collect() if isinstance(result, pl.LazyFrame) else result, note
    except DtaleLiteError:
        raise
    except (pl.exceptions.PolarsError, *REFUSED) as error:  # REFUSED: pandas laying out a pivot
        who = "polars" if not isinstance(error, REFUSED) else "pandas"
        raise BadRequest(f"{kind}: {who} refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None


def aggregation(frame: Frame, column: str, agg: str) -> pl.Expr:
    value = frame.value(column)
    if frame.kind[column] == "category":  # by its text, as the page shows it
        value = value.cast(pl.String)
    present = value.drop_nulls()
    if agg == "count":
        return value.count().cast(pl.Int64)
    if agg == "nunique":
        return present.n_unique().cast(pl.Int64)
    if agg == "first":
        return present.first()
    if agg == "last":
        return present.last()
    if agg == "sum":
        return (value.cast(pl.Int64) if frame.kind[column] == "bool" else value).sum()
    return getattr(value, {"std": "std"}.get(agg, agg))()


def _specs(frame: Frame, aggs: dict[str, list[str]]) -> list[pl.Expr]:
    return [aggregation(frame, c, a).alias(f"{c}_{a}") for c, items in aggs.items()
            for a in items]


def _key(frame: Frame, name: str) -> pl.Expr:
    """A group key as pandas groups it: NaN as missing; a category by its text."""
    value = frame.value(name)
    return value if frame.kind[name] != "category" else value.cast(pl.String)


def groupby(frame: Frame, p):
    by = p.column_list("by")
    aggs = _aggregations(p)
    dropna = p.flag("dropna", True)
    lazy = frame.lazy
    if dropna:
        lazy = lazy.filter(pl.all_horizontal([frame.value(b).is_not_null() for b in by]))
    grouped = lazy.group_by([_key(frame, b).alias(b) for b in by]).agg(_specs(frame, aggs))
    return grouped.sort(by, nulls_last=True, maintain_order=True), None


def resample(frame: Frame, p):
    on = p.column("on", ("datetime",))
    freq = p.choice("freq", FREQUENCIES)
    aggs = _aggregations(p)
    key = frame.value(on).dt.truncate(TRUNCATE[freq]).alias(on)
    lazy = frame.lazy.filter(frame.value(on).is_not_null())
    return lazy.group_by(key).agg(_specs(frame, aggs)).sort(on), None


def value_counts(frame: Frame, p):
    columns = p.column_list("columns")
    normalize = p.flag("normalize", False)
    counts = frame.lazy.group_by([_key(frame, c).alias(c) for c in columns]).agg(
        pl.len().cast(pl.Int64).alias("count"))
    counts = counts.sort(["count", *columns], descending=[True] + [False] * len(columns),
                         nulls_last=True)
    if normalize:
        counts = counts.with_columns((pl.col("count") / pl.col("count").sum()).alias(
            "proportion")).drop("count")
    return counts, None


def pivot(frame: Frame, p):
    """The aggregation per (index, column value) in Polars; the few cells it gives are then
    laid out as pandas' ``unstack`` lays them (``summaries.pivot_columns``)."""
    index, columns, values, agg = read_pivot(p)
    keys = _key(frame, columns)
    counts = frame.lazy.filter(keys.is_not_null()).group_by(keys.alias("k")).agg(
        pl.len().alias("n")).sort(["n", "k"], descending=[True, False]).collect()
    note, other = None, pl.lit(False)
    if counts.height > PIVOT_TOP:
        top = counts["k"].head(PIVOT_TOP)
        note = f"'{columns}' has {counts.height:,} values: the top {PIVOT_TOP} by rows, the " \
               f"rest as \"Other\""
        other = ~keys.is_in(top.implode())
        keys = pl.when(other).then(None).otherwise(keys)
    rows = frame.lazy.filter(_key(frame, index).is_not_null() & _key(frame, columns)
                             .is_not_null())
    cells = rows.group_by([_key(frame, index).alias(index), keys.alias("__key"),
                           other.alias("__other")]).agg(
        aggregation(frame, values, agg).alias("__value")).collect()
    laid_out = checked_names(pivot_columns(cells_frame(cells.to_arrow()), index), ENGINE,
                             columns)
    return pl.from_pandas(laid_out), note



SUMMARIES = {"groupby": groupby, "pivot": pivot, "resample": resample,
             "value_counts": value_counts}
