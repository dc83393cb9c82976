"""Summaries: a new frame computed from a shown one (its steps applied), never a change to it:
``groupby``, ``pivot``, ``resample``, ``melt``, ``transpose``, ``value_counts``, ``merge`` and
``stack``. Each computes the frame with pandas and writes the same computation as code.

Summaries work on the frame's columns by their API names (unique strings), so the code starts
by naming the columns so when the frame's own labels are not unique strings.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..aggregate import FREQUENCIES
from ..columns import api_names
from ..errors import BadRequest, DtaleLiteError
from .apply import REFUSED
from .params import Params, text_of

AGGREGATIONS = ("count", "sum", "mean", "median", "min", "max", "std", "nunique", "first",
                "last")
PIVOT_TOP = 50
MAX_TRANSPOSE_ROWS = 1_000
MAX_MELT_CELLS = 100_000_000
HOW = ("inner", "left", "right", "outer")
# The chart page's period names -> pandas frequencies (weeks start on Mondays, as on the
# charts: a period ending on Sunday).
FLOOR = {"hour": "h", "day": "D"}
PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
KINDS = {
    "groupby": {"by": "columns", "aggregations": "{column: [" + ", ".join(AGGREGATIONS) + "]}",
                "dropna": "drop groups whose key is missing (default true)"},
    "pivot": {"index": "the rows' column", "columns": f"the column whose top {PIVOT_TOP} "
              "values become columns (the rest: \"Other\")", "values": "the column aggregated",
              "aggregation": ", ".join(AGGREGATIONS)},
    "resample": {"on": "a datetime column", "freq": ", ".join(FREQUENCIES),
                 "aggregations": "{column: [aggregation, ...]}"},
    "melt": {"id_columns": "columns kept as they are",
             "value_columns": "columns turned into (variable, value) rows (default: the rest)"},
    "transpose": {},
    "value_counts": {"columns": "columns", "normalize": "proportions instead of counts"},
    "merge": {"right": "another shown frame (id or name)", "how": ", ".join(HOW),
              "on": "columns in both", "left_on": "or these columns of this frame",
              "right_on": "matched with these of the right one"},
    "stack": {"frames": "other shown frames (ids or names) appended below, columns aligned by "
                        "name"},
}


@dataclass
class Summary:
    frame: pd.DataFrame
    lines: list[str]  # code from the (stepped) frame in ``df`` to the result in ``df``
    note: str | None = None


def _named(frame: pd.DataFrame, var: str = "df") -> tuple[pd.DataFrame, list[str]]:
    names = api_names(frame.columns)
    if list(frame.columns) == names and all(isinstance(c, str) for c in frame.columns):
        return frame, []
    return frame.set_axis(names, axis=1), [f"{var} = {var}.set_axis({names!r}, axis=1)"]


def summarize(frame: pd.DataFrame, body: dict, others=None) -> Summary:
    """The summary ``body`` asks for (``kind`` and its parameters) of ``frame``.

    ``others(id_or_name)`` gives another shown frame (its steps applied) as (frame, label)
    for merge and stack. Raises BadRequest naming the parameter.
    """
    if not isinstance(body, dict):
        raise BadRequest('a summary is a JSON object like {"kind": "groupby", "by": ["a"], '
                         '"aggregations": {"b": ["mean"]}}')
    kind = body.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadRequest(f"parameter 'kind' must be one of {', '.join(KINDS)}; got "
                         f"{text_of(kind)}")
    named, lines = _named(frame)
    p = Params(body, named, kind)
    p.used.update({"kind", "name"})
    try:
        result = _KINDS[kind](p, named, others)
    except DtaleLiteError:
        raise
    except REFUSED as error:
        raise BadRequest(f"{kind}: pandas refused it ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    p.check_unknown()
    result.lines = lines + result.lines
    return result


def _aggregations(p: Params, name: str = "aggregations") -> dict[str, list[str]]:
    raw = p.raw(name)
    if not isinstance(raw, dict) or not raw:
        p.fail(name, 'must be an object like {"f1": ["mean", "max"]}')
    out = {}
    for column, aggs in raw.items():
        if column not in p.by_name:
            p.fail(name, f"names no column: {text_of(column)}")
        aggs = [aggs] if isinstance(aggs, str) else aggs
        if not isinstance(aggs, list) or not aggs or any(a not in AGGREGATIONS for a in aggs):
            p.fail(name, f"lists for {column!r} aggregations among {', '.join(AGGREGATIONS)}")
        out[column] = list(dict.fromkeys(aggs))
    return out


def _named_aggs(aggs: dict[str, list[str]]) -> tuple[dict, str]:
    spec = {f"{c}_{a}": (c, a) for c, items in aggs.items() for a in items}
    return spec, ", ".join(f"{k!r}: {v!r}" for k, v in spec.items())


def groupby(p: Params, df: pd.DataFrame, others) -> Summary:
    by = p.column_list("by")
    aggs = _aggregations(p)
    dropna = p.flag("dropna", True)
    spec, text = _named_aggs(aggs)
    result = df.groupby(by, dropna=dropna, observed=True, sort=True).agg(**spec).reset_index()
    return Summary(result, [f"df = df.groupby({by!r}, dropna={dropna!r}, observed=True, "
                            f"sort=True).agg(**{{{text}}}).reset_index()"])


def read_pivot(p: Params) -> tuple[str, str, str, str]:
    """(index, columns, values, aggregation), checked; every engine reads ``pivot`` so."""
    index = p.column("index")
    columns = p.column("columns")
    values = p.column("values")
    agg = p.choice("aggregation", AGGREGATIONS, default="mean")
    if len({index, columns}) < 2:
        p.fail("columns", "must differ from 'index'")
    return index, columns, values, agg


def pivot_columns(cells: pd.DataFrame, index: str) -> pd.DataFrame:
    """Another engine's pivot cells (columns ``index``, ``__key``, ``__other``, ``__value``:
    one row per pair present; ``__other`` true for the rows of the keys past the top ones)
    laid out as ``pivot`` lays them: a row per index value, a column per key named by its
    text, sorted as pandas sorts them, a missing cell where a pair has no rows."""
    keys = cells["__key"]
    if cells["__other"].any():
        keys = keys.astype(object).where(~cells["__other"].astype(bool), "Other")
    result = cells["__value"].groupby([cells[index], keys], sort=True).first().unstack()
    return result.set_axis([str(c) for c in result.columns], axis=1).reset_index()


def pivot(p: Params, df: pd.DataFrame, others) -> Summary:
    index, columns, values, agg = read_pivot(p)
    lines, note, keys = [], None, df[columns]
    counts = keys.value_counts()
    if len(counts) > PIVOT_TOP:
        top = counts.index[:PIVOT_TOP]
        keys = keys.astype(object).where(keys.isin(top), "Other")
        note = f"'{columns}' has {len(counts):,} values: the top {PIVOT_TOP} by rows, the " \
               f"rest as \"Other\""
        lines.append(f"top = df[{columns!r}].value_counts().index[:{PIVOT_TOP}]")
        lines.append(f"keys = df[{columns!r}].astype(object).where(df[{columns!r}].isin(top), "
                     f"'Other')")
        key_code = "keys"
    else:
        key_code = f"df[{columns!r}]"
    result = df[values].groupby([df[index], keys], observed=True, sort=True).agg(agg).unstack()
    result = result.set_axis([str(c) for c in result.columns], axis=1).reset_index()
    lines.append(f"df = df[{values!r}].groupby([df[{index!r}], {key_code}], observed=True, "
                 f"sort=True).agg({agg!r}).unstack()")
    lines.append("df = df.set_axis([str(c) for c in df.columns], axis=1).reset_index()")
    return Summary(result, lines, note)


def resample(p: Params, df: pd.DataFrame, others) -> Summary:
    """Rows grouped by the period of ``on`` (periods with no rows are left out, as on the
    chart page). By each row's period start rather than ``pd.Grouper``: 50x faster."""
    on = p.column("on", ("datetime",))
    freq = p.choice("freq", FREQUENCIES)
    spec, text = _named_aggs(_aggregations(p))
    if freq in FLOOR:
        keys = df[on].dt.floor(FLOOR[freq])
        key_code = f"df[{on!r}].dt.floor({FLOOR[freq]!r})"
    else:
        keys = df[on].dt.to_period(PERIODS[freq]).dt.start_time
        key_code = f"df[{on!r}].dt.to_period({PERIODS[freq]!r}).dt.start_time"
    result = df.groupby(keys.rename(on), sort=True).agg(**spec).reset_index()
    return Summary(result, [f"keys = {key_code}.rename({on!r})",
                            f"df = df.groupby(keys, sort=True).agg(**{{{text}}}).reset_index()"])


def melt(p: Params, df: pd.DataFrame, others) -> Summary:
    ids = p.column_list("id_columns", empty=True)
    values = p.column_list("value_columns", required=False)
    if values is None:
        values = [c.name for c in p.columns if c.name not in ids]
    if set(ids) & set(values):
        p.fail("value_columns", "must not repeat an id column")
    if len(df) * max(len(values), 1) > MAX_MELT_CELLS:
        p.fail("value_columns", f"would make more than {MAX_MELT_CELLS:,} rows; filter or "
                                f"choose fewer columns first")
    result = df.melt(id_vars=ids, value_vars=values)
    return Summary(result, [f"df = df.melt(id_vars={ids!r}, value_vars={values!r})"])


def transpose(p: Params, df: pd.DataFrame, others) -> Summary:
    if len(df) > MAX_TRANSPOSE_ROWS:
        raise BadRequest(f"transpose: the frame has {len(df):,} rows; a transposed frame "
                         f"has a column per row, so at most {MAX_TRANSPOSE_ROWS:,}: filter "
                         f"(keep_view) or summarize it first")
    result = df.T
    result = result.set_axis(api_names(result.columns), axis=1)
    return Summary(result, ["df = df.T",
                            f"df = df.set_axis({list(result.columns)!r}, axis=1)"])


def value_counts(p: Params, df: pd.DataFrame, others) -> Summary:
    columns = p.column_list("columns")
    normalize = p.flag("normalize", False)
    result = df.value_counts(subset=columns, normalize=normalize, dropna=False).reset_index()
    return Summary(result, [f"df = df.value_counts(subset={columns!r}, normalize={normalize!r},"
                            f" dropna=False).reset_index()"])


def _other(p: Params, name: str, value, others):
    if others is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        p.fail(name, f"must be a shown frame's id or name; got {text_of(value)}")
    frame, label = others(value)
    named, _ = _named(frame)
    return named, label


def merge(p: Params, df: pd.DataFrame, others) -> Summary:
    right, label = _other(p, "right", p.raw("right"), others)
    how = p.choice("how", HOW, default="inner")
    on = p.column_list("on", required=False)
    if on is not None:
        missing = [c for c in on if c not in right.columns]
        if missing:
            p.fail("on", f"names a column the right frame lacks: {text_of(missing[0])}")
        args = f"on={on!r}"
        result = df.merge(right, how=how, on=on, suffixes=("", "_right"))
    else:
        left_on = p.column_list("left_on")
        right_on = p.raw("right_on")
        if not isinstance(right_on, list) or len(right_on) != len(left_on) or any(
                c not in right.columns for c in right_on):
            p.fail("right_on", f"must list {len(left_on)} columns of the right frame")
        args = f"left_on={left_on!r}, right_on={right_on!r}"
        result = df.merge(right, how=how, left_on=left_on, right_on=right_on,
                          suffixes=("", "_right"))
    return Summary(result, [f"# right: {label} as shown in dtale_lite (its steps applied, its "
                            f"columns named as the grid names them)",
                            f"df = df.merge(right, how={how!r}, {args}, "
                            f"suffixes=('', '_right'))"])


def stack(p: Params, df: pd.DataFrame, others) -> Summary:
    raw = p.raw("frames")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 100:
        p.fail("frames", "must list 1 to 100 shown frames (ids or names)")
    found = [_other(p, "frames", value, others) for value in raw]
    result = pd.concat([df, *(f for f, _ in found)], ignore_index=True)
    names = ", ".join(f"other_{i}" for i in range(1, len(found) + 1))
    lines = [f"# other_{i}: {label} as shown in dtale_lite (its steps applied)"
             for i, (_, label) in enumerate(found, 1)]
    return Summary(result, lines + [f"df = pd.concat([df, {names}], ignore_index=True)"])


_KINDS = {"groupby": groupby, "pivot": pivot, "resample": resample, "melt": melt,
          "transpose": transpose, "value_counts": value_counts, "merge": merge, "stack": stack}
