"""The chart page's controls and URL, as plain data (pure: no Dash, no Flask).

The page keeps its settings in its URL with the chart route's parameter names, so these
functions translate between three shapes: the page's query string, the controls' values, and
the ``ChartSpec``. Callbacks stay thin by calling them.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from ..frames.columns import Column
from .spec import (EXTRA_ROLES, MAX_PATH, OHLC, PATH_TYPES, REQUIRED, ROLES, ChartSpec,
                   fitting_columns, spec_params)
from .spec_rules import fit_map_args

SPEC_PARAMS = ("type", "x", "y", "y2", "z", "path", "open", "high", "low", "close", "color", "agg",
               "group", "facet",
               "freq", "bins", "log_x", "log_y", "barmode", "dropna", "filter", "x_min", "x_max",
               "y_min", "y_max", *EXTRA_ROLES)
RANGE_PARAMS = ("x_min", "x_max", "y_min", "y_max")
ROLE_NAMES = ("x", "y", "y2", "z", "group", "path", *OHLC, "color", "facet", *EXTRA_ROLES)
LIST_PARAMS = ("y", "y2", "path")  # parameters that repeat
# Which optional controls a chart type shows (the column roles follow spec.ROLES).
AGG_TYPES = ("bar", "line", "pie", "heatmap", "treemap", "sunburst", "funnel", "surface", "map")
BIN_TYPES = ("histogram", "density", "surface", "map")
FREQ_TYPES = ("bar", "line", "pie", "heatmap", "funnel", "candlestick")
# Types that can draw rows without a value as a mark ("(missing)"): a category axis or groups.
MISSING_TYPES = ("bar", "line", "pie", "box", "heatmap", "histogram", "treemap", "sunburst",
                 "funnel")
# Settings a chart may choose by itself; the controls show the choice (see ``used``).
DEFAULTED = ("agg", "freq")
# Zooming these re-requests the visible range from the server (re-binned or re-downsampled).
REZOOM_REDUCTIONS = ("binned", "downsampled")


def args_from_search(search: str | None) -> dict[str, object]:
    """The spec parameters in a query string (``y`` as a list), others left out."""
    args: dict[str, object] = {}
    for name, value in parse_qsl((search or "").lstrip("?"), keep_blank_values=False):
        if name in LIST_PARAMS:
            args.setdefault(name, []).append(value)
        elif name in SPEC_PARAMS:
            args[name] = value
    return args


def args_from_controls(values: dict, defaults: dict | None = None) -> dict[str, object]:
    """The spec parameters the controls hold (``values`` by control name: type, x, y, z,
    group, agg, freq, bins, log (a list of "log_x"/"log_y"), barmode, filter).

    ``defaults``: the aggregation and frequency the drawn chart chose by itself (the controls
    show them); a control still showing its default stays a default, so it follows the next
    chart (a bar without 'y' counts, a new datetime x gets its own frequency)."""
    args: dict[str, object] = {"type": values.get("type")}
    defaults = defaults or {}
    for name in ("x", "z", "group", *OHLC, "color", "facet", *EXTRA_ROLES, "agg", "freq",
                 "barmode",
                 "filter"):
        if values.get(name) in (None, "") or (name in DEFAULTED and
                                               values.get(name) == defaults.get(name)):
            continue
        args[name] = str(values[name])
    args["y"] = [str(y) for y in (values.get("y") or [])]
    for name in ("y2", "path"):
        if values.get(name):
            args[name] = [str(v) for v in values[name]]
    if values.get("bins") not in (None, ""):
        args["bins"] = str(int(values["bins"]))
    for flag in values.get("log") or ():
        args[flag] = "1"
    if "dropna" in (values.get("dropna") or ()):
        args["dropna"] = "1"
    return args


def fit_to_type(args: dict, columns: list[Column]) -> dict:
    """``args`` with the columns that do not fit the chart type dropped and the roles it needs
    filled with the first fitting column, so changing the type draws a chart right away."""
    chart_type = args.get("type")
    if chart_type not in ROLES:
        return args
    fitted = dict(args)
    fitting = {role: [c.name for c in fitting_columns(chart_type, role, columns)]
               for role in ROLE_NAMES}
    for role in ("x", "z", "group", *OHLC, "color", "facet", *EXTRA_ROLES):
        if fitted.get(role) not in fitting[role]:
            fitted.pop(role, None)
    fitted["y"] = [y for y in fitted.get("y") or [] if y in fitting["y"]]
    fitted["path"] = [p for p in fitted.get("path") or [] if p in fitting["path"]][:MAX_PATH]
    fitted["y2"] = [y for y in fitted.get("y2") or [] if y in fitting["y2"]
                    and y not in fitted["y"]]
    for name in ("path", "y2"):
        if not fitted[name]:
            fitted.pop(name)
    if chart_type in ("scatter", "histogram", "density", "funnel", "candlestick", "scatter3d",
                      "surface") + PATH_TYPES:
        fitted["y"] = fitted["y"][:1]
    if fitted.get("group") and len(fitted["y"]) > 1:
        fitted["y"] = fitted["y"][:1]
    if fitted.get("group"):
        fitted.pop("y2", None)  # a group's series are of one y: no second axis
    if fitted.get("facet") and (fitted["facet"] in (fitted.get("x"), fitted.get("group"))
                                or fitted.get("y2")):
        fitted.pop("facet")  # a facet splits by another column, without a second axis
    if chart_type == "candlestick" and not fitted["y"] and fitting["y"] and not all(
            fitted.get(name) for name in OHLC):
        fitted["y"] = fitting["y"][:1]  # one y draws at once; its four columns are a choice
    if chart_type == "candlestick" and fitted["y"]:
        for name in OHLC:
            fitted.pop(name, None)
    for role in REQUIRED[chart_type]:
        if not fitted.get(role) and fitting[role]:
            others = [n for n in fitting[role] if n != fitted.get("x")] or fitting[role]
            fitted[role] = [others[0]] if role in LIST_PARAMS else others[0]
    if chart_type == "map":
        fitted = fit_map_args(fitted, fitting)
    if fitted.get("freq") and not _is_datetime(fitted.get("x"), columns) and not _is_datetime(
            fitted.get("animate_by"), columns):
        fitted.pop("freq")
    if chart_type not in AGG_TYPES:
        fitted.pop("agg", None)
    if chart_type not in BIN_TYPES:
        fitted.pop("bins", None)
    return fitted


def _is_datetime(name: str | None, columns: list[Column]) -> bool:
    return any(c.name == name and c.kind == "datetime" for c in columns)


def control_values(spec: ChartSpec, used: dict | None = None) -> dict[str, object]:
    """What each control shows for ``spec``: where the spec left the aggregation or the
    frequency to the chart, the one the chart used (``used``, from ``ChartResult.used``)."""
    used = used or {}
    return {"type": spec.type, "x": spec.x, "y": list(spec.y), "y2": list(spec.y2),
            "z": spec.z,
            "path": list(spec.path), **{name: getattr(spec, name) for name in OHLC},
            "color": spec.color, "facet": spec.facet,
            **{name: getattr(spec, name) for name in EXTRA_ROLES},
            "group": spec.group, "agg": spec.agg or used.get("agg"),
            "freq": spec.freq or used.get("freq"), "bins": spec.bins,
            "log": [name for name in ("log_x", "log_y") if getattr(spec, name)],
            "barmode": spec.barmode, "dropna": ["dropna"] if spec.dropna else [],
            "filter": spec.filter or ""}


def control_values_from_args(args: dict) -> dict[str, object]:
    """What each control shows for settings that did not parse (so the person can fix them)."""
    def one(name):
        return args.get(name) or None
    return {"type": one("type"), "x": one("x"), "y": list(args.get("y") or []),
            "y2": list(args.get("y2") or []), "z": one("z"),
            "path": list(args.get("path") or []), **{name: one(name) for name in OHLC},
            "color": one("color"), "facet": one("facet"),
            **{name: one(name) for name in EXTRA_ROLES},
            "group": one("group"), "agg": one("agg"), "freq": one("freq"),
            "bins": _int_or_none(args.get("bins")),
            "log": [n for n in ("log_x", "log_y") if args.get(n) in ("1", "true")],
            "barmode": one("barmode") or "group",
            "dropna": ["dropna"] if args.get("dropna") in ("1", "true") else [],
            "filter": one("filter") or ""}


def defaults_used(spec: ChartSpec, used: dict | None) -> dict[str, str]:
    """The settings in ``used`` that the spec left to the chart (what ``args_from_controls``
    keeps as defaults)."""
    return {name: value for name, value in (used or {}).items()
            if name in DEFAULTED and value and not getattr(spec, name)}


def with_unknown_options(options: list[dict], value) -> list[dict]:
    """``options`` and, after them, each value of ``value`` (one or a list) that they lack: a
    dropdown drops a value it has no option for, and with it the setting that a message on the
    page says is wrong (issue 17: x=nosuchcol became the first datetime column)."""
    known = {option["value"] for option in options}
    values = value if isinstance(value, list) else [value]
    extra = [{"label": str(v), "value": v} for v in values if v not in (None, "")
             and v not in known]
    return list(options) + extra


def _int_or_none(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def control_options(chart_type: str | None, x: str | None, columns: list[Column],
                    animate_by: str | None = None) -> dict:
    """The column choices for each role and which optional fields show, for a chart type
    (``animate_by``: a datetime column animated by periods also shows the frequency)."""
    if chart_type not in ROLES:
        chart_type = "bar"
    options = {role: [c.name for c in fitting_columns(chart_type, role, columns)]
               for role in ROLE_NAMES}
    shown = {role: ROLES[chart_type].get(role) is not None for role in ROLE_NAMES}
    shown.update(agg=chart_type in AGG_TYPES, bins=chart_type in BIN_TYPES,
                 barmode=chart_type == "bar", dropna=chart_type in MISSING_TYPES,
                 freq=(chart_type in FREQ_TYPES and _is_datetime(x, columns)) or (
                     "animate_by" in ROLES[chart_type] and _is_datetime(animate_by, columns)))
    return {"options": options, "shown": shown}


def page_params(spec: ChartSpec | None, args: dict) -> list[tuple[str, str]]:
    """The page's chart parameters: the spec's own, plus the zoom range as it was given (a
    ``ChartSpec`` holds datetime bounds as numbers); the raw ``args`` when nothing parsed."""
    if spec is None:
        params = []
        for name in SPEC_PARAMS:
            value = args.get(name)
            for item in (value if isinstance(value, list) else [value]):
                if item not in (None, ""):
                    params.append((name, str(item)))
        return params
    return spec_params(spec) + [(n, str(args[n])) for n in RANGE_PARAMS if args.get(n)]


def query_pairs(search: str | None) -> list[tuple[str, str]]:
    return parse_qsl((search or "").lstrip("?"), keep_blank_values=True)


def page_search(current_search: str | None, params: list[tuple[str, str]],
                names: tuple[str, ...] = SPEC_PARAMS) -> str:
    """The page's new query string: its other parameters (the key, Jupyter's token) kept,
    the page's own parameters (``names``) replaced by ``params``."""
    kept = [(n, v) for n, v in query_pairs(current_search) if n not in names]
    return "?" + urlencode(kept + params, quote_via=quote)


def ranges_from_relayout(relayout: dict | None) -> dict[str, str] | None:
    """The zoom range Plotly reports in ``relayoutData`` as x_min/x_max/y_min/y_max, ``{}``
    for "back to the full range" (autorange), None when the event is not a zoom."""
    if not relayout:
        return None
    if relayout.get("xaxis.autorange") or relayout.get("yaxis.autorange"):
        return {}
    ranges = {}
    for axis in ("x", "y"):
        lo = relayout.get(f"{axis}axis.range[0]")
        hi = relayout.get(f"{axis}axis.range[1]")
        if lo is None and isinstance(relayout.get(f"{axis}axis.range"), list):
            lo, hi = relayout[f"{axis}axis.range"][:2]
        if lo is not None and hi is not None:
            ranges[f"{axis}_min"], ranges[f"{axis}_max"] = str(lo), str(hi)
    return ranges or None


# The pages below a frame's chart page: correlations and the analysis pages (issue 16).
VIEWS = ("correlations", "missing", "outliers", "duplicates", "timeseries")


def frame_from_path(pathname: str | None, requests_prefix: str) -> tuple[str | None, str]:
    """``(frame reference, "chart" or one of VIEWS)`` from the page's path."""
    path = pathname or ""
    if not path.startswith(requests_prefix):
        return None, "chart"
    rest = path[len(requests_prefix):].strip("/")
    for view in VIEWS:
        if rest.endswith(f"/{view}"):
            return rest[:-len(view) - 1] or None, view
    return rest or None, "chart"


def with_key(params: list[tuple[str, str]], key: str | None) -> str:
    return urlencode(([("key", key)] if key else []) + params, quote_via=quote)


def grid_url(root: str, frame_id, key: str | None, filter_text: str | None) -> str:
    """The grid page of a frame, filtered (``filter`` is what the grid's URL state reads)."""
    return f"{root}/frames/{frame_id}?" + with_key(
        [("filter", filter_text)] if filter_text else [], key)


def chart_page_url(root: str, frame_ref, key: str | None, params) -> str:
    return f"{root}/charts/{quote(str(frame_ref), safe='')}?" + with_key(list(params), key)


def chart_route_url(root: str, frame_id, key: str | None, params, fmt: str) -> str:
    """The JSON route's URL for ``params`` in ``fmt`` (json, csv, html, py)."""
    return f"{root}/api/frames/{frame_id}/chart?" + with_key(
        list(params) + [("format", fmt)], key)
