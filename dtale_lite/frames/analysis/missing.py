"""Missing values of a view: per column counts, a nullity matrix of row bands, and the
nullity correlation between columns.

The matrix bins the view's rows, in order, into at most ``MAX_BANDS`` bands of (nearly) equal
size: band ``b`` holds the rows ``i`` with ``i * bands // rows == b``. Each cell is the share of
the band's rows missing in that column, so the picture is the same size at 100 rows and 100M.

The nullity correlation is pandas' ``df.isna().corr()`` (missingno's heatmap) over the columns
missing in some rows but not all (the others have no variance): for 0/1 indicators it follows
from the counts alone (each column's missing count and each pair's rows missing in both), so
an engine only counts.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_BANDS = 500
# Each pair of partly missing columns costs a pass over the rows: the first this many columns
# get a correlation (the answer says so when there are more).
MAX_CORRELATED = 40


@dataclass
class Nullity:
    """What an engine counts for the missing-values page (``nullity`` primitive)."""

    rows: int
    missing: np.ndarray  # per column: rows missing
    band_rows: np.ndarray  # per band: rows in it
    band_missing: np.ndarray  # (bands x columns): rows of the band missing in the column
    both: np.ndarray  # (columns x columns): rows missing in both (diagonal: ``missing``)


def band_count(rows: int, bands: int = MAX_BANDS) -> int:
    return max(0, min(bands, rows))


def band_starts(rows: int, bands: int) -> np.ndarray:
    """The first row of each band: the least ``i`` with ``i * bands // rows == b``."""
    b = np.arange(bands, dtype=np.int64)
    return -(-b * rows // bands)


def nullity_of_masks(masks: list[np.ndarray], rows: int, bands: int = MAX_BANDS) -> Nullity:
    """Nullity from one boolean array per column (True: missing), numpy passes only."""
    k, bands = len(masks), band_count(rows, bands)
    missing = np.array([np.count_nonzero(m) for m in masks], dtype=np.int64)
    starts = band_starts(rows, bands)
    band_rows = np.diff(np.append(starts, rows)) if bands else np.zeros(0, np.int64)
    band_missing = np.zeros((bands, k), dtype=np.int64)
    for j, mask in enumerate(masks):
        if bands and missing[j]:
            # reduceat over contiguous bands: one pass, no per-row band index.
            band_missing[:, j] = np.add.reduceat(mask.view(np.uint8), starts, dtype=np.int64)
    both = missing_in_both(missing, rows, lambda pairs: [np.count_nonzero(masks[i] & masks[j])
                                                         for i, j in pairs])
    return Nullity(rows, missing, band_rows, band_missing, both)


def partly_missing(missing: np.ndarray, rows: int) -> list[int]:
    """The columns (at most MAX_CORRELATED, in order) missing in some rows but not all."""
    return [j for j in range(len(missing)) if 0 < missing[j] < rows][:MAX_CORRELATED]


def missing_in_both(missing: np.ndarray, rows: int, pair_counts) -> np.ndarray:
    """Nullity.both: each column's own count on the diagonal, and for each pair (i, j) of
    partly missing columns the rows missing in both, one count per pair from
    ``pair_counts(pairs)`` (each engine counts them its own way)."""
    both = np.diag(missing).astype(np.int64)
    partial = partly_missing(missing, rows)
    pairs = [(i, j) for a, i in enumerate(partial) for j in partial[a + 1:]]
    if pairs:
        for (i, j), value in zip(pairs, pair_counts(pairs)):
            both[i, j] = both[j, i] = int(value or 0)
    return both


def nullity_of_series(columns: list[pd.Series], rows: int, bands: int = MAX_BANDS) -> Nullity:
    """Nullity of pandas columns (missing as ``isna``: None, NaN, NaT, pd.NA)."""
    return nullity_of_masks([np.ascontiguousarray(c.isna().to_numpy(dtype=bool))
                             for c in columns], rows, bands)


def nullity_correlation(n: Nullity) -> tuple[list[int], np.ndarray]:
    """(the columns with some but not all rows missing, their correlation matrix), as
    ``df.isna().corr()`` over those columns."""
    rows = n.rows
    kept = partly_missing(n.missing, rows)
    if not kept:
        return [], np.zeros((0, 0))
    p = n.missing[kept] / rows
    both = n.both[np.ix_(kept, kept)] / rows
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = both - np.outer(p, p)
        var = p * (1 - p)
        corr = cov / np.sqrt(np.outer(var, var))
    np.fill_diagonal(corr, 1.0)
    return kept, np.clip(corr, -1.0, 1.0)


def missing_result(names: list[str], n: Nullity) -> dict:
    """The JSON answer's figures: per column ``{name, missing, share}``, the band shares and
    the nullity correlation (rounded: it is drawn)."""
    rows = n.rows
    columns = [{"name": name, "missing": int(m), "share": (float(m) / rows) if rows else 0.0}
               for name, m in zip(names, n.missing)]
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = n.band_missing / n.band_rows[:, None] if len(n.band_rows) else \
            np.zeros((0, len(names)))
    kept, corr = nullity_correlation(n)
    return {"rows": rows, "columns": columns, "bands": len(n.band_rows),
            "matrix": shares, "correlation": {
                "columns": [names[j] for j in kept],
                "matrix": [[round(float(v), 6) + 0.0 for v in row] for row in corr]}}
