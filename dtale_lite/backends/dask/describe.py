"""describe() of one column of a Dask view, computed where the partitions are.

Nothing larger than a partition is ever in one place, and every figure is exact:
- count, missing, mean, std (Chan's pairwise combination of per-partition means and squared
  deviations), min, max, infinities, string lengths, true/false: per-partition figures added up;
- distinct values and the most frequent ones: each partition counts its values (with the first
  row each appears in) and splits the counts by a hash of the value into as many buckets as
  there are partitions; one task per bucket adds its pieces up (a value's counts all land in
  one bucket) and returns its number of distinct values and its own top candidates;
- the histogram: describe.py's edges from the finite min and max, then per-partition counts;
- quartiles: the order statistics describe.py interpolates between, found in the column's
  sorted runs like the rows of a deep sorted page (:mod:`.order`).
The dict is assembled by :mod:`.summary`, as for Polars and DuckDB. Object columns (mixed
Python values) take the one-worker path of :mod:`.charts` instead.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import parts as dask_parts
from ...frames.describe_numbers import central_sums, shape_scale
from ..summary import Figures, _quantiles, assemble, counts_from_thresholds, outlier_fences

TOP, BINS = 10, 20
NUMBER_KINDS = ("int", "float")
TIME_KINDS = ("datetime", "timedelta")


# -- on the workers ---------------------------------------------------------------------------
def _present(series: pd.Series, kind: str):
    """(values to count and measure, without missing ones; their positions in ``series``)."""
    if kind in TIME_KINDS:
        missing, ticks = dask_parts.sort_arrays(series, kind)
        keep = np.flatnonzero(~missing)
        return ticks[keep], keep
    if kind == "category":
        codes = series.cat.codes.to_numpy()
        keep = np.flatnonzero(codes >= 0)
        return codes[keep].astype(np.int64), keep
    if kind == "float":
        # + 0.0 makes -0.0 0.0: one value, as describe.py counts them (and one hash bucket).
        values = series.to_numpy(dtype=np.float64, na_value=np.nan) + 0.0
        keep = np.flatnonzero(~np.isnan(values))
        return values[keep], keep
    if kind == "int":
        keep = np.flatnonzero(series.notna().to_numpy())
        target = np.uint64 if getattr(series.dtype, "kind", "i") == "u" else np.int64
        return series.to_numpy(dtype=target, na_value=0)[keep], keep
    if kind == "bool":
        keep = np.flatnonzero(series.notna().to_numpy())
        return series.to_numpy(dtype=object)[keep].astype(bool), keep
    keep = np.flatnonzero(series.notna().to_numpy())
    return series.to_numpy(dtype=object)[keep], keep


def partial(part, kept, column: int, kind: str, offset: int, buckets: int) -> dict:
    """One partition's figures for ``column`` over its kept rows, and its value counts split
    into ``buckets`` pieces by the values' hash."""
    series = part.iloc[:, column] if kept is None else part.iloc[kept, column]
    rows = (np.arange(len(part)) if kept is None else kept) + offset
    values, keep = _present(series, kind)
    out = {"count": int(values.size), "length": len(series)}
    if kind in NUMBER_KINDS:
        as_float = values.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            mean = float(as_float.mean()) if values.size else 0.0
            out.update(sum=float(as_float.sum()), m2=float(((as_float - mean) ** 2).sum()),
                       mean=mean)
        finite = values[np.isfinite(as_float)]
        out["inf_count"] = int(values.size - finite.size)
        out["min"] = values.min().item() if values.size else None
        out["max"] = values.max().item() if values.size else None
    elif kind in TIME_KINDS:
        finite = values
        out["tick_sum"] = float(values.astype(np.float64).sum())
        index = pd.DatetimeIndex(series) if kind == "datetime" else pd.TimedeltaIndex(series)
        out["unit"], out["tz"] = index.unit, str(index.tz) if kind == "datetime" and \
            index.tz is not None else None
    else:
        finite = None
    if finite is not None and finite.size:
        out["finite"] = (finite.min().item(), finite.max().item())
    if kind == "bool":
        out["bools"] = (int(values.sum()), int(values.size - values.sum()))
    if kind in ("string", "category"):
        lengths = np.fromiter((len(str(v)) for v in (
            series.cat.categories if kind == "category" else [])), dtype=np.int64)
        lengths = lengths[values] if kind == "category" else \
            series.str.len().to_numpy(dtype=np.int64, na_value=0)[keep]
        out["lengths"] = (int(lengths.min()), int(lengths.sum()), int(lengths.max())) \
            if lengths.size else None
        out["empty"] = int(np.count_nonzero(lengths == 0))
    out["pieces"] = _split(_counted(values, rows[keep]), buckets)
    return out


def _counted(values: np.ndarray, firsts: np.ndarray, weights: np.ndarray | None = None
             ) -> pd.DataFrame:
    """v, n (occurrences, or the sum of ``weights``), first (the smallest of ``firsts``) per
    distinct value: a hash factorization and bincounts, several times cheaper than a groupby."""
    codes, uniques = pd.factorize(values, sort=False)
    n = np.bincount(codes, weights=weights, minlength=len(uniques)).astype(np.int64)
    first = np.full(len(uniques), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, codes, firsts)
    return pd.DataFrame({"v": uniques, "n": n, "first": first})


def _split(counted: pd.DataFrame, buckets: int) -> list[pd.DataFrame]:
    """``counted`` in ``buckets`` pieces by the values' hash (equal values, same piece)."""
    if buckets == 1 or not len(counted):
        return [counted] + [counted.iloc[:0]] * (buckets - 1)
    bucket = pd.util.hash_pandas_object(counted["v"], index=False).to_numpy() \
        % np.uint64(buckets)
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(buckets + 1))
    return [counted.iloc[order[bounds[b]:bounds[b + 1]]] for b in range(buckets)]


def figures_only(partial_figures: dict) -> dict:
    return {k: v for k, v in partial_figures.items() if k != "pieces"}


def piece(partial_figures: dict, bucket: int) -> pd.DataFrame:
    """One bucket's piece of a partition's counts (so a bucket's task fetches only those)."""
    return partial_figures["pieces"][bucket]


def bucket_top(bucket: int, kind: str, top: int, *pieces) -> tuple[int, pd.DataFrame]:
    """(distinct values in ``bucket``, its ``top`` most frequent: v, n, first)."""
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return 0, pd.DataFrame({"v": [], "n": [], "first": []})
    both = pd.concat(pieces) if len(pieces) > 1 else pieces[0]
    counted = _counted(both["v"].to_numpy(), both["first"].to_numpy(),
                       both["n"].to_numpy()) if len(pieces) > 1 else both
    return len(counted), _ranked(counted, kind, top)


def _ranked(counted: pd.DataFrame, kind: str, top: int) -> pd.DataFrame:
    """The ``top`` most frequent of ``counted``; ties as describe.py orders them: by first
    appearance for text, by value for the rest."""
    if len(counted) > top:  # only counts at or above the top-th largest can make it
        n = counted["n"].to_numpy()
        counted = counted[n >= np.partition(n, len(n) - top)[len(n) - top]]
    tie = "first" if kind == "string" else "v"
    return counted.sort_values(["n", tie], ascending=[False, True], kind="stable").head(top)


def thresholds(part, kept, column: int, kind: str, edges: list) -> tuple[list, int]:
    """#(finite values >= edge) per edge but the last, and #(values > last edge)."""
    series = part.iloc[:, column] if kept is None else part.iloc[kept, column]
    values, _ = _present(series, kind)
    if kind in NUMBER_KINDS:
        values = values[np.isfinite(values.astype(np.float64))]
    ordered = np.sort(values)
    edges = np.asarray(edges, dtype=ordered.dtype if kind in TIME_KINDS else np.float64)
    at_least = (ordered.size - np.searchsorted(ordered, edges[:-1], side="left")).tolist()
    return at_least, int(ordered.size - np.searchsorted(ordered, edges[-1], side="right"))


def shape_part(part, kept, column: int, kind: str, scale: float, center: float | None,
               low: float | None, high: float | None) -> tuple:
    """(m2, m3, m4 of the values / scale about ``center``, or zeros without a center; how many
    values lie below ``low`` or above ``high``) over one partition's kept rows."""
    series = part.iloc[:, column] if kept is None else part.iloc[kept, column]
    values, _ = _present(series, kind)
    outside = (int(np.count_nonzero(values < low)) if low is not None else 0) + \
        (int(np.count_nonzero(values > high)) if high is not None else 0)
    sums = (0.0, 0.0, 0.0) if center is None else \
        central_sums(values.astype(np.float64) / scale, center)
    return (*sums, outside)


# -- here ---------------------------------------------------------------------------------
def _numbers(parts: list[dict]) -> dict:
    n = sum(p["count"] for p in parts)
    total = sum(p["sum"] for p in parts)
    # Chan et al.: the squared deviations of a union from each piece's own.
    count, mean, m2 = 0, 0.0, 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        for p in parts:
            if not p["count"]:
                continue
            if count == 0:
                count, mean, m2 = p["count"], p["mean"], p["m2"]
                continue
            both = count + p["count"]
            delta = np.float64(p["mean"]) - mean
            m2 = m2 + p["m2"] + delta * delta * count * p["count"] / both
            mean = mean + delta * p["count"] / both
            count = both
        std = float(np.sqrt(m2 / (n - 1))) if n > 1 else None
    present = [p for p in parts if p["min"] is not None]
    return {"mean": total / n if n else None, "std": std,
            "min": min(p["min"] for p in present) if present else None,
            "max": max(p["max"] for p in present) if present else None,
            "inf_count": sum(p["inf_count"] for p in parts)}


def describe(view, column: int) -> dict:
    """describe.py's dict for ``column`` over the view's rows (see the module's doc)."""
    backend, cluster = view.backend, view.cluster
    kind = backend.columns()[column].kind
    offsets = backend.offsets()
    # A bucket per worker thread, about: enough to spread the adding up, few enough that the
    # pieces' tasks (partitions x buckets) stay cheap.
    buckets = max(1, min(len(backend.parts), 2 * backend.threads()))
    handles = [cluster.submit(partial, part, kept, column, kind, int(offsets[i]), buckets)
               for i, (part, kept) in enumerate(zip(backend.parts, view.kept))]
    tops = [cluster.submit(bucket_top, b, kind, TOP,
                           *[cluster.submit(piece, h, b) for h in handles])
            for b in range(buckets)]
    found = cluster.gather([cluster.submit(figures_only, h) for h in handles] + tops)
    parts, tops = found[:len(handles)], found[len(handles):]
    count = sum(p["count"] for p in parts)
    ranked = _ranked(pd.concat([t for _, t in tops]), kind, TOP) if count else None
    top = [] if ranked is None else list(zip(ranked["v"].tolist(), ranked["n"].tolist()))
    if kind == "category":
        categories = backend.meta.iloc[:, column].cat.categories
        top = [(categories[int(code)], n) for code, n in top]
    figures = Figures(count=count, length=sum(p["length"] for p in parts),
                      unique=sum(u for u, _ in tops), top=top)
    finite = [p["finite"] for p in parts if p.get("finite") is not None]
    if finite:
        figures.finite = (min(f[0] for f in finite), max(f[1] for f in finite))
    if kind in NUMBER_KINDS:
        figures.numbers = _numbers(parts)
        if count:
            figures.numbers.update(_quantiles(count, _order_stats(view, column, count)))
            _shape(view, column, kind, figures)
    if kind == "timedelta" and count:
        figures.time_mean = sum(p["tick_sum"] for p in parts) / count
    if kind == "bool":
        figures.bools = tuple(sum(p["bools"][i] for p in parts) for i in (0, 1))
    if kind in ("string", "category"):
        figures.empty = sum(p["empty"] for p in parts)
        lengths = [p["lengths"] for p in parts if p["lengths"] is not None]
        figures.lengths = (min(x[0] for x in lengths), sum(x[1] for x in lengths),
                           max(x[2] for x in lengths)) if lengths else None

    def count_between(edges: list) -> list:
        found = cluster.gather([cluster.submit(thresholds, part, kept, column, kind, edges)
                                for part, kept in zip(backend.parts, view.kept)])
        at_least = np.sum([f[0] for f in found], axis=0).tolist()
        return counts_from_thresholds(at_least, sum(f[1] for f in found))

    unit = next((p["unit"] for p in parts if "unit" in p), "ns")
    tz = next((p["tz"] for p in parts if "tz" in p), None)
    return assemble(kind, figures, BINS, count_between, unit=unit, tz=tz)


def _shape(view, column: int, kind: str, figures: Figures) -> None:
    """The sums of central powers (about the mean found, as describe_numbers scales the values)
    and the count outside the IQR fences, in one more pass over the partitions."""
    n, cluster = figures.numbers, view.cluster
    center, scale = None, 1.0
    if not n["inf_count"] and n["min"] != n["max"] and figures.count >= 3 and \
            n["mean"] is not None and np.isfinite(n["mean"]):
        scale = shape_scale(n["min"], n["max"])
        center = n["mean"] / scale
    low, high = outlier_fences(n)
    found = cluster.gather([cluster.submit(shape_part, part, kept, column, kind, scale, center,
                                           low, high)
                            for part, kept in zip(view.backend.parts, view.kept)])
    n["outliers"] = sum(f[3] for f in found)
    if center is not None:
        figures.moments = tuple(sum(f[i] for f in found) for i in range(3))


def _order_stats(view, column: int, count: int):
    """k -> the k-th smallest present value of ``column`` in the view (0-based), for the
    ranks summary._quantiles asks (found in one round trip, before it asks)."""
    ranks = set()
    for q in (0.25, 0.5, 0.75):
        low = int(np.floor(q * (count - 1)))
        ranks.update({low, min(low + 1, count - 1)})
    # The view's own class (a DaskView), not imported: dask.py imports this module.
    ordered = type(view)(view.backend, view.node, ((column, True),), kept=view.kept)
    ranks = sorted(ranks)
    # ((0, value), row): the column is the only key
    found = {k: keys[0][0][1] for k, keys in zip(ranks, ordered.keys_at([(k, k + 1)
                                                                           for k in ranks]))}
    return found.__getitem__
