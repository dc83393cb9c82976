"""The synthetic benchmark frame described in ``shared/bench-frame.md``.

Shared by the shipped benchmark and the measurement scripts so every figure is taken on the
same data. Built vectorised: 5M rows take a few seconds, dominated by the string columns.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

_START = np.datetime64("2020-01-01T00:00:00", "s")
_FOUR_YEARS_S = 4 * 365 * 24 * 3600 + 24 * 3600  # 2020..2023 holds one leap day


def _with_nans(values: np.ndarray, rng: np.random.Generator, fraction: float) -> np.ndarray:
    values[rng.random(values.size) < fraction] = np.nan
    return values


def _labels(prefix: str, codes: np.ndarray, width: int = 0) -> pd.Series:
    # Formatting each distinct code once and taking by code is ~10x faster than formatting
    # N Python strings; the result is then converted to pandas' default ``str`` dtype.
    distinct = np.array([f"{prefix}{k:0{width}d}" for k in range(int(codes.max(initial=-1)) + 1)],
                        dtype=object)
    return pd.Series(distinct[codes], dtype="str")


def bench_frame(n: int, seed: int = 42) -> pd.DataFrame:
    """The n-row benchmark frame for ``seed`` (12 columns, see bench-frame.md)."""
    rng = np.random.default_rng(seed)
    half = max(n // 2, 1)
    frame = pd.DataFrame({
        "id": np.arange(n, dtype=np.int64),
        "i_small": rng.integers(0, 1000, n, dtype=np.int64),
        "i_big": rng.integers(-(2**40), 2**40, n, dtype=np.int64),
        "f1": _with_nans(rng.standard_normal(n), rng, 0.05),
        "f2": _with_nans(rng.uniform(0, 1000, n), rng, 0.20),
        "f3": rng.standard_normal(n),
        "f4": _with_nans(rng.lognormal(3, 1, n), rng, 0.01),
    })
    frame["s_lo"] = _labels("cat_", rng.integers(0, 20, n), width=2)
    frame["s_hi"] = _labels("user_", rng.integers(0, half, n))
    regions = [f"region_{k}" for k in range(50)]
    frame["cat"] = pd.Categorical.from_codes(rng.integers(0, 50, n), categories=regions)
    seconds = rng.integers(0, _FOUR_YEARS_S, n).astype("timedelta64[s]")
    # Nanoseconds, the unit frames built by pandas 2 (and D-Tale's figures) have.
    frame["ts"] = (_START + seconds).astype("datetime64[ns]")
    frame["flag"] = rng.random(n) < 0.3
    return frame
