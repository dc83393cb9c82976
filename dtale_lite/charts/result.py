"""What a chart build makes and what every trace builder shares: the bounds on marks, the
``ChartResult``, the build's ``Context`` (column lookups, how each column is grouped) and
numbers as Plotly typed arrays.

Pure: no Flask, no Dash, no plotly import. :mod:`.figure` drives a build; :mod:`.traces` and
:mod:`.distribution` draw each chart type with these pieces.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..frames.aggregate import GroupKey
from .spec import ChartSpec

POINT_BOUND = 5_000  # raw scatter points; more become a density plot
LINE_BUCKETS = 2_000  # per chart: a line keeps at most 2 points per bucket
MAX_MARKS = 50_000  # no figure carries more bars, points or cells than this
TOP = {"bar": 50, "line": 50, "heatmap": 50, "pie": 10, "box": 20}
TOP_GROUPS = 20
DEFAULT_BINS = {"histogram": 50, "density": 200, "heatmap": 20, "bar": 20, "line": 200,
                "pie": 10, "box": 20}
AUTO_FREQ_MAX = 400  # datetime x without a frequency: the finest with at most this many periods
HEATMAP_MAX_PERIODS = 60


@dataclass
class ChartResult:
    """What ``build_chart`` returns; ``figure`` is JSON-ready."""

    figure: dict
    rows: int
    points: int = 0
    reduction: str = "none"
    note: str | None = None
    message: str | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    code: str = ""
    # Settings the spec left to the chart, as it chose them ({"agg": "mean", "freq": "day"}):
    # the page's controls show them.
    used: dict = field(default_factory=dict)
    # How each column was grouped (``Context.resolved``): the exported code of facets reuses it.
    resolved: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {"figure": self.figure, "code": self.code, "rows": self.rows,
                "points": self.points, "reduction": self.reduction, "note": self.note,
                "message": self.message}


@dataclass
class Context:
    """One build: the source, the view's rows and the spec, with column lookups."""

    source: object
    positions: np.ndarray | None
    spec: ChartSpec
    columns: dict
    resolved: dict = field(default_factory=dict)  # how each column was grouped (for the code)
    rows: int = 0  # the rows of the view

    def col(self, name: str):
        return self.columns[name]

    def kind(self, name: str) -> str:
        return self.columns[name].kind

    def shows_missing(self, key: GroupKey) -> bool:
        """Whether the missing group of ``key`` is drawn: on a value (category) axis or as a
        series, unless the spec says ``dropna``."""
        return key.missing and not (key.bins or key.freq or self.spec.dropna)

    def key(self, name: str, top: int | None = None, bins: int | None = None,
            missing: bool = True, periods: int | None = None) -> GroupKey:
        """How to group by column ``name``: datetime periods, float bins, or values (top N).
        ``missing``: the rows without a value form a group (drawn for values unless the spec
        says ``dropna``; always left out, and counted, on a period or bin axis). ``periods``:
        at most this many periods of a datetime column without a frequency."""
        column = self.columns[name]
        if column.kind == "datetime":
            key = GroupKey(column.position, freq=self.spec.freq if name == self.spec.x and
                           self.spec.freq else self.auto_freq(name, periods), missing=missing)
        elif column.kind == "float" or (bins and column.kind == "int"):
            key = GroupKey(column.position, bins=bins or self.spec.bins or
                           DEFAULT_BINS.get(self.spec.type, 20), missing=missing)
        else:
            key = GroupKey(column.position, top=top, missing=missing)
        self.resolved[name] = key
        return key

    def auto_freq(self, name: str, most: int | None = None) -> str:
        """The finest period that splits the view's time span into at most ``most`` periods,
        by default AUTO_FREQ_MAX (fewer on a heatmap axis, whose cells must stay readable)."""
        pinned = dict(self.spec.pinned_freqs).get(name)
        if pinned is not None:  # the same periods in every facet (see charts/facets.py)
            return pinned
        if most is None:
            most = HEATMAP_MAX_PERIODS if self.spec.type == "heatmap" else AUTO_FREQ_MAX
        position = self.columns[name].position
        _, (lo, hi) = self.source.group_aggregate(self.positions, [],
                                                  [(position, "min"), (position, "max")])
        span = float(hi[0] - lo[0]) if len(lo) and np.isfinite(lo[0]) else 0.0
        day = 86_400e9
        for freq, length in (("hour", day / 24), ("day", day), ("week", 7 * day),
                             ("month", 30.4 * day), ("quarter", 91.3 * day)):
            if span / length <= most:
                return freq
        return "year"


# -- typed arrays ---------------------------------------------------------------------------
def typed(values) -> dict:
    """A numeric array as Plotly's typed-array spec (float64 or int32; 2D arrays get a
    ``shape``). Missing values stay NaN, which Plotly draws as gaps."""
    array = np.asarray(values)
    if array.dtype.kind in "iub" and array.size and array.min() >= -2**31 and \
            array.max() < 2**31:
        array, dtype = array.astype("<i4"), "i4"
    else:
        array, dtype = array.astype("<f8"), "f8"
    spec = {"dtype": dtype, "bdata": base64.b64encode(np.ascontiguousarray(array).tobytes())
            .decode("ascii")}
    if array.ndim == 2:
        spec["shape"] = f"{array.shape[0]},{array.shape[1]}"
    return spec


def decode(spec) -> np.ndarray:
    """The numbers of a typed-array spec (or a plain list): for tests and the CSV table."""
    if isinstance(spec, dict) and "bdata" in spec:
        array = np.frombuffer(base64.b64decode(spec["bdata"]), dtype="<" + spec["dtype"])
        if "shape" in spec:
            array = array.reshape([int(n) for n in spec["shape"].split(",")])
        return array
    return np.asarray(spec)
