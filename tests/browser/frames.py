"""Frames for the browser tests: the benchmark frame of shared/bench-frame.md and a small one."""
from __future__ import annotations

import numpy as np
import pandas as pd


def bench_frame(n: int) -> pd.DataFrame:
    """The benchmark frame (dtale_lite.frames.benchframe when it is there, the same recipe otherwise)."""
    try:
        from dtale_lite.frames.benchframe import bench_frame as shipped
    except ImportError:
        shipped = None
    if shipped is not None:
        return shipped(n)
    rng = np.random.default_rng(42)

    def with_nan(values, share):
        values[rng.random(n) < share] = np.nan
        return values

    s_lo = np.array([f"cat_{i:02d}" for i in range(20)], dtype=object)
    cat = pd.Categorical.from_codes(rng.integers(0, 50, n), [f"region_{i}" for i in range(50)])
    k = rng.integers(0, max(n // 2, 1), n)
    return pd.DataFrame({
        "id": np.arange(n, dtype=np.int64),
        "i_small": rng.integers(0, 1000, n),
        "i_big": rng.integers(-(2**40), 2**40, n),
        "f1": with_nan(rng.standard_normal(n), 0.05),
        "f2": with_nan(rng.uniform(0, 1000, n), 0.20),
        "f3": rng.standard_normal(n),
        "f4": with_nan(rng.lognormal(3, 1, n), 0.01),
        "s_lo": pd.array(s_lo[rng.integers(0, 20, n)], dtype="str"),
        "s_hi": pd.array(np.char.add("user_", k.astype(str)).astype(object), dtype="str"),
        "cat": cat,
        "ts": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365 * 86400, n), unit="s"),
        "flag": rng.random(n) < 0.3,
    })


def small_frame() -> pd.DataFrame:
    """A few rows with the awkward values: null vs the string "nan", long text, inf, a spaced name."""
    return pd.DataFrame({
        "id": [0, 1, 2, 3, 4],
        "x": [1.5, np.nan, float("inf"), -2.25, 0.1 + 0.2],
        "s": ["a", "nan", None, "x" * 500, ""],
        "my col": [10, 20, 30, 40, 50],
        "when": pd.to_datetime(["2021-01-01 00:00:00", None, "2021-06-01 12:30:00", "2022-02-02 00:00:00", "2020-05-05 00:00:00"], format="ISO8601"),
        "ok": [True, False, True, False, True],
    }, index=pd.Index(["r0", "r1", "r2", "r3", "r4"], name="label"))
