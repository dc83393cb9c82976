"""A time series of a view: one value column resampled by a datetime column's periods, its
rolling mean and std, and a seasonal decomposition (statsmodels, an optional extra).

The expensive part, the resample, is the chart primitive ``group_aggregate`` (the mean of ``y``
per period of ``x``, one pass over the rows on any engine); everything after works on the small
resampled series (a few hundred to a few thousand periods), with pandas and statsmodels, exactly
as the exported code does. Periods are those of the chart page (``aggregate.FREQUENCIES``: weeks
from Monday, calendar months, quarters and years), in the column's wall time; an empty period is
NaN, as ``resample().mean()``.
"""
from __future__ import annotations

import importlib

import numpy as np
import pandas as pd

from ..aggregate import FREQUENCIES
from ..errors import BadRequest

# pandas' resample rule for each period; with closed="left", label="left" (weeks from Monday)
# it makes the chart's periods.
RESAMPLE_RULES = {"hour": "h", "day": "D", "week": "W-MON", "month": "MS", "quarter": "QS",
                  "year": "YS"}
SEASONS = {"hour": 24, "day": 7, "week": 52, "month": 12, "quarter": 4}
DEFAULT_WINDOW = {"hour": 24, "day": 7, "week": 4, "month": 12, "quarter": 4, "year": 3}
MAX_WINDOW = 1000
MAX_PERIODS = 200_000  # a finer period than this makes a series too long to draw or decompose
INSTALL = "pip install 'dtale_lite[analysis]'"


def check_columns(columns, x: str | None, y: str | None):
    """(x Column, y Column): a datetime and a numeric column; BadRequest naming the parameter."""
    by_name = {c.name: c for c in columns}
    for param, name, kinds, what in (("x", x, ("datetime",), "a datetime column"),
                                     ("y", y, ("int", "float", "bool"), "a numeric column")):
        if not name:
            raise BadRequest(f"parameter '{param}' is required: {what}")
        if name not in by_name:
            raise BadRequest(f"parameter '{param}': no column named '{name[:100]}'")
        if by_name[name].kind not in kinds:
            raise BadRequest(f"parameter '{param}': '{name}' holds {by_name[name].kind} "
                             f"values; it must be {what}")
    return by_name[x], by_name[y]


def check_freq(freq: str | None) -> str | None:
    if freq in (None, ""):
        return None
    if freq not in FREQUENCIES:
        raise BadRequest(f"unknown freq '{str(freq)[:20]}' for parameter 'freq'; use one of "
                         f"{', '.join(FREQUENCIES)}")
    return freq


def check_window(window, freq: str) -> int:
    if window in (None, ""):
        return DEFAULT_WINDOW[freq]
    try:
        value = int(str(window))
    except ValueError:
        raise BadRequest("parameter 'window' must be a whole number of periods") from None
    if not 1 <= value <= MAX_WINDOW:
        raise BadRequest(f"parameter 'window' must be between 1 and {MAX_WINDOW}")
    return value


def auto_freq(span_ns: float, most: int = 400) -> str:
    """The finest period that splits ``span_ns`` into at most ``most`` periods."""
    day = 86_400e9
    for freq, length in (("hour", day / 24), ("day", day), ("week", 7 * day),
                         ("month", 30.4 * day), ("quarter", 91.3 * day)):
        if span_ns / length <= most:
            return freq
    return "year"


def resampled(groups, means: np.ndarray, freq: str) -> pd.Series:
    """The per-period means (``group_aggregate``'s groups, periods with rows only) on every
    period from the first to the last, NaN where none: ``resample(rule).mean()``."""
    if not groups:
        return pd.Series([], dtype=float, index=pd.DatetimeIndex([], name="period"))
    starts = pd.DatetimeIndex([pd.Timestamp(g.lo) for g in groups]).as_unit("ns")
    series = pd.Series(np.asarray(means, dtype=float), index=starts)
    full = pd.date_range(starts[0], starts[-1], freq=RESAMPLE_RULES[freq]).as_unit("ns")
    if len(full) > MAX_PERIODS:
        raise BadRequest(f"parameter 'freq': {freq} makes {len(full):,} periods (at most "
                         f"{MAX_PERIODS:,}); choose a longer period")
    out = series.reindex(full)
    out.index.name = "period"
    return out


def rolling(series: pd.Series, window: int) -> tuple[pd.Series, pd.Series]:
    """(rolling mean, rolling std) over ``window`` periods, as pandas' ``rolling``."""
    roll = series.rolling(window)
    return roll.mean(), roll.std()


def load_statsmodels():
    """``statsmodels.tsa.seasonal.seasonal_decompose``, or None when the extra is missing."""
    try:
        return importlib.import_module("statsmodels.tsa.seasonal").seasonal_decompose
    except ImportError:
        return None


def decompose(series: pd.Series, freq: str) -> tuple[dict | None, str | None]:
    """({"trend", "seasonal", "resid"} Series, None) or (None, why not): an additive seasonal
    decomposition over the season of ``freq`` (24 hours, 7 days, 52 weeks, 12 months,
    4 quarters), gaps filled by linear interpolation first."""
    season = SEASONS.get(freq)
    if season is None:
        return None, "no seasonal decomposition by year (no shorter season to find)"
    filled = series.interpolate(limit_direction="both")
    if filled.notna().sum() < 2 * season:
        return None, (f"a seasonal decomposition needs at least {2 * season} {freq} periods "
                      f"with values; this view has {int(filled.notna().sum())}")
    seasonal_decompose = load_statsmodels()
    if seasonal_decompose is None:
        return None, f"the seasonal decomposition needs statsmodels: {INSTALL}"
    parts = seasonal_decompose(filled, model="additive", period=season)
    return {"trend": parts.trend, "seasonal": parts.seasonal, "resid": parts.resid}, None
