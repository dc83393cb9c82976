"""What a chart shows: the chart spec, parsed from query parameters, and its defaults.

The chart route and the chart page share these parameter names, so a page URL is also a route
URL: ``type, x, y (repeatable), y2 (repeatable), z, path (repeatable), open, high, low,
close, color, agg, group, facet, freq, bins, log_x, log_y, barmode, dropna, filter, x_min, x_max,
y_min, y_max``, and for maps and animations ``lat, lon, locations, animate_by`` (rules in
``spec_rules``). Every problem is a ``BadRequest`` that says which parameter is wrong and what
would be accepted. Pure: no Flask, Dash or plotly.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from ..frames.aggregate import AGGREGATIONS, FREQUENCIES
from ..frames.columns import Column
from ..frames.errors import BadRequest
from .spec_rules import ANIMATE_KINDS, GEO_ROLES, check_geo_rules

CHART_TYPES = ("bar", "line", "scatter", "histogram", "box", "heatmap", "pie", "density",
               "treemap", "sunburst", "funnel", "candlestick", "scatter3d", "surface", "map")
# Kinds drawn on x and y axes (or, a pie, on a domain), which ``facet`` splits into small
# multiples; and how many values of the facet column get their own (the rest: "Other").
FACET_TYPES = ("bar", "line", "scatter", "histogram", "box", "heatmap", "pie", "density",
               "funnel", "candlestick")
MAX_FACETS = 12
# Kinds whose aggregated values are 'z'.
Z_VALUES = ("heatmap", "surface")
# A candlestick's columns: its figures per period, or one ``y`` they are computed from.
OHLC = ("open", "high", "low", "close")
# Kinds whose marks are parts of a hierarchy: their columns are the ``path``, outermost first.
PATH_TYPES = ("treemap", "sunburst")
MAX_PATH = 4
# A treemap's or sunburst's parent is the sum of its children, so only additive sizes.
PATH_AGGREGATIONS = ("count", "sum")
BARMODES = ("group", "stack")
# Bins per axis, bounded so that no figure carries more than ~50,000 marks (and a heatmap's
# cells, each with its own filter text, stay a few thousand).
MAX_BINS = {"density": 250, "heatmap": 50, "surface": 100, "map": 250}
DEFAULT_MAX_BINS = 1000

NUMBER = ("int", "float", "bool")
CONTINUOUS = ("int", "float", "datetime", "timedelta")
DISCRETE = ("string", "category", "bool", "int", "object")
ANY = ("int", "float", "bool", "string", "category", "datetime", "object")
PATH_KINDS = DISCRETE + ("datetime",)

# The kinds of column each role takes, per chart type (None: the role is not used).
ROLES: dict[str, dict[str, tuple | None]] = {
    "bar": {"x": ANY, "y": NUMBER, "z": None, "group": DISCRETE, "y2": NUMBER,
            "animate_by": ANIMATE_KINDS},
    "line": {"x": ANY, "y": NUMBER, "z": None, "group": DISCRETE, "y2": NUMBER},
    "scatter": {"x": CONTINUOUS, "y": CONTINUOUS, "z": None, "group": DISCRETE,
                "animate_by": ANIMATE_KINDS},
    "histogram": {"x": CONTINUOUS, "y": None, "z": None, "group": DISCRETE},
    "box": {"x": DISCRETE, "y": NUMBER, "z": None, "group": None},
    "heatmap": {"x": ANY, "y": ANY, "z": NUMBER, "group": None},
    "pie": {"x": DISCRETE + ("datetime",), "y": NUMBER, "z": None, "group": None},
    "density": {"x": CONTINUOUS, "y": CONTINUOUS, "z": None, "group": None},
    "treemap": {"x": None, "y": NUMBER, "z": None, "group": None, "path": PATH_KINDS},
    "sunburst": {"x": None, "y": NUMBER, "z": None, "group": None, "path": PATH_KINDS},
    "funnel": {"x": DISCRETE + ("datetime",), "y": NUMBER, "z": None, "group": None},
    "candlestick": {"x": ("datetime",), "y": NUMBER, "z": None, "group": None,
                    **{name: NUMBER for name in OHLC}},
    # Points in space, coloured by groups of a discrete column or a scale of a float one.
    "scatter3d": {"x": CONTINUOUS, "y": CONTINUOUS, "z": CONTINUOUS, "group": None,
                  "color": DISCRETE + ("float",)},
    # z aggregated over a grid of equal-width bins of x and y.
    "surface": {"x": ("int", "float"), "y": ("int", "float"), "z": NUMBER, "group": None},
    # Points at lat/lon, or a value per country (``locations``): see spec_rules.
    "map": {"x": None, "y": NUMBER, "z": None, "group": None, **GEO_ROLES,
            "animate_by": ANIMATE_KINDS},
}
for _type in FACET_TYPES:  # the page's Facet dropdown (checked by _check_facet)
    ROLES[_type]["facet"] = DISCRETE
# Roles a chart cannot do without.
REQUIRED = {"bar": ("x",), "line": ("x",), "scatter": ("x", "y"), "histogram": ("x",),
            "box": ("y",), "heatmap": ("x", "y"), "pie": ("x",), "density": ("x", "y"),
            "treemap": ("path",), "sunburst": ("path",), "funnel": ("x",),
            "candlestick": ("x",), "scatter3d": ("x", "y", "z"), "surface": ("x", "y", "z"),
            "map": ()}
# Roles of maps and animations (issue 16), after the others in the page's controls.
EXTRA_ROLES = ("lat", "lon", "locations", "animate_by")


@dataclass(frozen=True)
class ChartSpec:
    type: str = "histogram"
    x: str | None = None
    y: tuple[str, ...] = ()
    y2: tuple[str, ...] = ()  # bar and line: series on a second y axis, on the right
    z: str | None = None
    path: tuple[str, ...] = ()  # treemap and sunburst: the levels, outermost first
    open: str | None = None  # candlestick: its four columns (or one y)
    high: str | None = None
    low: str | None = None
    close: str | None = None
    color: str | None = None  # scatter3d: the colour of each point
    lat: str | None = None  # map: points at lat/lon, or a choropleth of ``locations``
    lon: str | None = None
    locations: str | None = None
    animate_by: str | None = None  # bar, scatter, map: one frame per value (spec_rules)
    agg: str | None = None  # None: the type's default (see ``effective_agg``)
    group: str | None = None
    freq: str | None = None
    bins: int | None = None
    log_x: bool = False
    log_y: bool = False
    barmode: str = "group"
    filter: str | None = None
    # Leave out the rows without a value on a category axis or in a group (by default they are
    # a mark of their own, "(missing)"); the note counts them either way.
    dropna: bool = False
    x_range: tuple | None = None  # the visible range after a zoom: (lo, hi)
    y_range: tuple | None = None
    # Why a chart asked for without a type shows what it shows (a note on the chart); not a
    # query parameter: a URL that names its chart needs no reason.
    why: str | None = None
    facet: str | None = None  # small multiples: one chart per value of this column
    # The periods of datetime axes fixed for every facet ((column, freq) pairs), so that each
    # small multiple and the exported code group alike; not a query parameter.
    pinned_freqs: tuple = ()

    def effective_agg(self) -> str:
        """The aggregation used: the one asked for, else count without values, else mean
        (sum for pies, whose slices are parts of a whole)."""
        if self.agg:
            return self.agg
        has_values = bool(self.z) if self.type in Z_VALUES else bool(self.y)
        if not has_values:
            return "count"
        return "sum" if self.type in ("pie",) + PATH_TYPES else "mean"


def _get_list(args: Mapping, name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        values = getlist(name)
    else:
        value = args.get(name)
        values = value if isinstance(value, (list, tuple)) else ([] if value is None else [value])
    # Query strings give text; Python callers (chart_url, tests) may pass numbers and booleans.
    values = [str(int(v)) if isinstance(v, bool) else v if isinstance(v, str) else str(v)
              for v in values if v is not None]
    return [v for v in values if v.strip() != ""]


def _get(args: Mapping, name: str) -> str | None:
    values = _get_list(args, name)
    return values[-1] if values else None


def _flag(args: Mapping, name: str) -> bool:
    raw = _get(args, name)
    if raw is None:
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise BadRequest(f"parameter '{name}' must be 1 or 0 (true or false), got '{raw[:20]}'")


def _choice(args: Mapping, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = _get(args, name)
    if raw is not None and raw not in allowed:
        raise BadRequest(f"unknown {name} '{raw[:40]}'; use one of {', '.join(allowed)}")
    return raw


def _bins(args: Mapping, chart_type: str) -> int | None:
    raw = _get(args, "bins")
    if raw is None:
        return None
    try:
        bins = int(raw)
    except ValueError:
        raise BadRequest(f"parameter 'bins' must be a whole number, got '{raw[:20]}'") from None
    limit = MAX_BINS.get(chart_type, DEFAULT_MAX_BINS)
    if not 1 <= bins <= limit:
        raise BadRequest(f"parameter 'bins' must be between 1 and {limit}, got {bins}")
    return bins


def _range(args: Mapping, axis: str, kind: str | None) -> tuple | None:
    lo, hi = _get(args, f"{axis}_min"), _get(args, f"{axis}_max")
    if lo is None and hi is None:
        return None
    if lo is None or hi is None:
        raise BadRequest(f"give both {axis}_min and {axis}_max, or neither")
    bounds = (_bound(lo, f"{axis}_min", kind), _bound(hi, f"{axis}_max", kind))
    if not bounds[0] < bounds[1]:
        raise BadRequest(f"{axis}_min must be less than {axis}_max")
    return bounds


def _bound(raw: str, name: str, kind: str | None) -> float:
    """A zoom bound in the axis' units: a number, or for datetimes an ISO time (nanoseconds)."""
    if kind == "timedelta":  # the axis counts seconds
        return _bound(raw, name, None) * 1e9
    if kind == "datetime":
        try:
            stamp = pd.Timestamp(raw)
        except (ValueError, TypeError):
            stamp = None
        if stamp is None or stamp is pd.NaT:
            raise BadRequest(f"parameter '{name}' must be a date and time, e.g. "
                             f"2021-06-01T12:00:00, got '{raw[:40]}'")
        return float(stamp.tz_localize(None).value if stamp.tzinfo else stamp.value)
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"parameter '{name}' must be a number, got '{raw[:40]}'") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadRequest(f"parameter '{name}' must be a finite number")
    return value


def parse_chart_spec(args: Mapping, columns: list[Column],
                     default: Callable[[], ChartSpec] | None = None) -> ChartSpec:
    """The chart spec in ``args`` (a Werkzeug MultiDict or a dict; ``y`` may repeat), checked
    against ``columns``. With no ``type`` at all, the default chart: ``default()`` (which can
    look at the data, see ``Charts.default_spec``), else ``default_spec(columns)``.

    Raises BadRequest naming the parameter and what it accepts.
    """
    chart_type = _choice(args, "type", CHART_TYPES)
    if chart_type is None:
        base = default() if default is not None else default_spec(columns)
        return replace(base, filter=_get(args, "filter"))
    by_name = {c.name: c for c in columns}
    spec = ChartSpec(
        type=chart_type, x=_get(args, "x"), y=tuple(dict.fromkeys(_get_list(args, "y"))),
        y2=tuple(dict.fromkeys(_get_list(args, "y2"))), facet=_get(args, "facet"),
        z=_get(args, "z"), path=tuple(dict.fromkeys(_get_list(args, "path"))),
        **{name: _get(args, name) for name in OHLC + EXTRA_ROLES}, color=_get(args, "color"),
        agg=_choice(args, "agg", AGGREGATIONS), group=_get(args, "group"),
        freq=_choice(args, "freq", FREQUENCIES), bins=_bins(args, chart_type),
        log_x=_flag(args, "log_x"), log_y=_flag(args, "log_y"),
        barmode=_choice(args, "barmode", BARMODES) or "group", filter=_get(args, "filter"),
        dropna=_flag(args, "dropna"))
    check_columns(spec, by_name)
    x_kind = by_name[spec.x].kind if spec.x else None
    y_kind = by_name[spec.y[0]].kind if spec.y else None
    return replace(spec, x_range=_range(args, "x", x_kind), y_range=_range(args, "y", y_kind))


def check_columns(spec: ChartSpec, by_name: dict[str, Column]) -> None:
    """BadRequest unless every column the spec names exists and fits its role."""
    roles = ROLES[spec.type]
    for role in REQUIRED[spec.type]:
        if not getattr(spec, role):
            raise BadRequest(f"a {spec.type} chart needs '{role}': " + _offer(spec.type, role,
                                                                              by_name))
    named = [("x", spec.x), ("z", spec.z), ("group", spec.group)] + [("y", y) for y in spec.y]
    named += [("path", p) for p in spec.path] + [(n, getattr(spec, n)) for n in OHLC]
    named.append(("color", spec.color))
    named += [("y2", y) for y in spec.y2]
    named += [(n, getattr(spec, n)) for n in EXTRA_ROLES]
    for role, name in named:
        if name is None:
            continue
        if roles.get(role) is None:
            raise BadRequest(f"a {spec.type} chart takes no '{role}'")
        column = by_name.get(name)
        if column is None:
            raise BadRequest(f"unknown column '{name[:100]}' (parameter '{role}')")
        if column.kind not in roles[role]:
            raise BadRequest(f"'{name}' holds {column.kind} values, which a {spec.type} chart "
                             f"cannot use as '{role}'; " + _offer(spec.type, role, by_name))
    _check_kind_rules(spec)
    if spec.facet:
        _check_facet(spec, by_name)
    check_geo_rules(spec, by_name)
    if spec.type in ("scatter", "histogram", "density") and len(spec.y) > 1:
        raise BadRequest(f"a {spec.type} chart takes one 'y'")
    if spec.group and len(spec.y) > 1:
        raise BadRequest("a chart with a 'group' takes one 'y' (each group is a series)")
    if spec.freq and (spec.x is None or by_name[spec.x].kind != "datetime") and not (
            spec.animate_by and by_name[spec.animate_by].kind == "datetime"):
        raise BadRequest("'freq' applies to a datetime 'x'; "
                         f"'{spec.x}' is not a datetime column")
    if spec.agg in ("sum", "mean", "median", "min", "max", "std") and not (
            spec.z if spec.type in Z_VALUES else spec.y):
        values = "z" if spec.type in Z_VALUES else "y"
        raise BadRequest(f"aggregation '{spec.agg}' needs a '{values}' column to aggregate")


def _check_facet(spec: ChartSpec, by_name: dict[str, Column]) -> None:
    if spec.type not in FACET_TYPES:
        raise BadRequest(f"a {spec.type} chart takes no 'facet'; small multiples are for "
                         f"{', '.join(FACET_TYPES)}")
    column = by_name.get(spec.facet)
    if column is None:
        raise BadRequest(f"unknown column '{spec.facet[:100]}' (parameter 'facet')")
    if column.kind not in DISCRETE:
        raise BadRequest(f"'{spec.facet}' holds {column.kind} values, which cannot be a "
                         f"'facet'; " + _offer_kinds(DISCRETE, by_name))
    if spec.facet in (spec.x, spec.group):
        raise BadRequest(f"parameter 'facet' names '{spec.facet}', which is the chart's "
                         f"{'x' if spec.facet == spec.x else 'group'} already")
    if spec.y2:
        raise BadRequest("parameter 'facet' does not go with 'y2' (one right-hand axis per "
                         "small multiple would not be comparable)")


def _offer_kinds(kinds: tuple, by_name: dict[str, Column]) -> str:
    fitting = [c.name for c in by_name.values() if c.kind in kinds]
    if not fitting:
        return "this frame has no column of a fitting kind"
    return "columns that fit: " + ", ".join(fitting[:8]) + (", ..." if len(fitting) > 8 else "")


def _check_kind_rules(spec: ChartSpec) -> None:
    """The rules of the hierarchy and funnel kinds (issue 16)."""
    if len(spec.path) > MAX_PATH:
        raise BadRequest(f"parameter 'path' takes one to {MAX_PATH} columns, got "
                         f"{len(spec.path)}")
    if spec.type in PATH_TYPES + ("funnel", "candlestick", "scatter3d", "surface") and \
            len(spec.y) > 1:
        raise BadRequest(f"a {spec.type} chart takes one 'y' (its sizes)")
    if spec.type == "candlestick":
        given = [name for name in OHLC if getattr(spec, name)]
        if spec.y and given:
            raise BadRequest(f"a candlestick takes one 'y' or the four columns "
                             f"{', '.join(OHLC)}, not both (parameter '{given[0]}')")
        if not spec.y and len(given) < 4:
            missing = [name for name in OHLC if not getattr(spec, name)]
            raise BadRequest(f"a candlestick needs 'y' or all of {', '.join(OHLC)}; "
                             f"parameter '{missing[0]}' is missing")
        if spec.agg:
            raise BadRequest("a candlestick takes no 'agg' (parameter 'agg'): its figures "
                             "are the first, highest, lowest and last value per period")
    if spec.y2 and not spec.y:
        raise BadRequest("parameter 'y2' needs a 'y' (the series on the left-hand axis)")
    if set(spec.y2) & set(spec.y):
        raise BadRequest(f"parameter 'y2' names '{sorted(set(spec.y2) & set(spec.y))[0]}', "
                         f"which is a 'y' already")
    if spec.y2 and spec.group:
        raise BadRequest("parameter 'y2' does not go with a 'group' (each group is a series "
                         "of one y)")
    if spec.type == "scatter3d" and spec.agg:
        raise BadRequest("a scatter3d chart draws rows, it takes no 'agg' (parameter 'agg')")
    if spec.type in PATH_TYPES and spec.agg and spec.agg not in PATH_AGGREGATIONS:
        raise BadRequest(f"parameter 'agg' of a {spec.type} chart must be count or sum (a "
                         f"parent is the sum of its parts), got '{spec.agg}'")


def _offer(chart_type: str, role: str, by_name: dict[str, Column]) -> str:
    return _offer_kinds(ROLES[chart_type].get(role) or (), by_name)


def fitting_columns(chart_type: str, role: str, columns: list[Column]) -> list[Column]:
    """The columns the chart page offers for ``role`` ("x", "y", "z", "group", "path")."""
    if chart_type not in ROLES:
        raise BadRequest(f"unknown type '{chart_type}'; use one of {', '.join(CHART_TYPES)}")
    kinds = ROLES[chart_type].get(role) or ()
    return [c for c in columns if c.kind in kinds]


def default_spec(columns: list[Column],
                 is_row_key: Callable[[Column], bool] = lambda column: False) -> ChartSpec:
    """A first chart worth looking at, with the reason in ``why``: the histogram of the first
    numeric (or datetime) column that is not a row key (``is_row_key``: a unique, evenly
    spaced column such as an id, whose histogram is a flat block); else the counts of the first
    text or category column; else the histogram of a row key, saying so."""
    keys = []
    for column in columns:
        if column.kind in ("int", "float", "datetime"):
            if column.kind != "float" and is_row_key(column):
                keys.append(column.name)
                continue
            skipped = (f" that is not a row key ({_names(keys)}: unique and evenly spaced, "
                       f"so a flat histogram)") if keys else ""
            return ChartSpec(type="histogram", x=column.name,
                             why=f"Default chart: the histogram of '{column.name}', the first "
                                 f"numeric or date column{skipped}.")
    for column in columns:
        if column.kind in DISCRETE and column.name not in keys:
            return ChartSpec(type="bar", x=column.name,
                             why=f"Default chart: the count of rows per value of "
                                 f"'{column.name}', the first text or category column.")
    if keys:
        return ChartSpec(type="histogram", x=keys[0],
                         why=f"Default chart: the histogram of '{keys[0]}'; every numeric or "
                             f"date column is a row key (unique and evenly spaced).")
    return ChartSpec(type="bar", x=columns[0].name) if columns else ChartSpec(type="bar")


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names[:3]) + (", ..." if len(names) > 3 else "")


def spec_params(spec: ChartSpec) -> list[tuple[str, str]]:
    """The query parameters of ``spec`` (route and page alike), defaults left out."""
    params: list[tuple[str, str]] = [("type", spec.type)]
    if spec.x:
        params.append(("x", spec.x))
    params += [("y", y) for y in spec.y]
    params += [("y2", y) for y in spec.y2]
    params += [("path", p) for p in spec.path]
    for name in ("z", *OHLC, "color", *EXTRA_ROLES, "agg", "group", "facet", "freq"):
        value = getattr(spec, name)
        if value:
            params.append((name, value))
    if spec.bins is not None:
        params.append(("bins", str(spec.bins)))
    if spec.log_x:
        params.append(("log_x", "1"))
    if spec.log_y:
        params.append(("log_y", "1"))
    if spec.barmode != "group":
        params.append(("barmode", spec.barmode))
    if spec.dropna:
        params.append(("dropna", "1"))
    if spec.filter:
        params.append(("filter", spec.filter))
    return params
