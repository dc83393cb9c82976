"""The rules of map charts and of animations (issue 16), checked with the rest of the spec.

A map is either points (``lat`` and ``lon``, numbers) or a choropleth (``locations``: ISO-3
codes or country names, with an optional ``y`` and ``agg``), never both. ``animate_by`` (on
bar, scatter and map) names the column whose values are the frames. Every problem is a
``BadRequest`` naming the parameter. Pure: no Flask, Dash or plotly.
"""
from __future__ import annotations

from ..frames.errors import BadRequest

COORDINATES = ("int", "float")
LOCATION_KINDS = ("string", "category", "object")
# The kinds of column ``animate_by`` takes: values (top 100) or datetime periods.
ANIMATE_KINDS = ("string", "category", "bool", "int", "object", "datetime")
GEO_ROLES = {"lat": COORDINATES, "lon": COORDINATES, "locations": LOCATION_KINDS}
MAX_FRAMES = 100


def check_geo_rules(spec, by_name: dict) -> None:
    """BadRequest unless a map names points or locations (not both), and a map of points
    has no ``y`` or ``agg`` (it counts rows); an animation is not split into facets or given a
    second axis (each frame would need its own grid of them)."""
    for other in ("facet", "y2"):
        if spec.animate_by and getattr(spec, other):
            raise BadRequest(f"parameter 'animate_by' does not go with '{other}': animate the "
                             f"chart, or split it, not both")
    if spec.type != "map":
        return
    if spec.locations and (spec.lat or spec.lon):
        given = "lat" if spec.lat else "lon"
        raise BadRequest(f"a map takes 'lat' and 'lon' (points) or 'locations' (countries), not "
                         f"both (parameter '{given}')")
    if not spec.locations:
        for role in ("lat", "lon"):
            if not getattr(spec, role):
                fitting = [c.name for c in by_name.values() if c.kind in COORDINATES][:8]
                raise BadRequest(f"a map needs 'lat' and 'lon' (numbers) or 'locations'; "
                                 f"parameter '{role}' is missing (numeric columns: "
                                 f"{', '.join(fitting) or 'none'})")
        for role in ("y", "agg"):
            if getattr(spec, role):
                raise BadRequest(f"a map of points counts rows, it takes no '{role}' (parameter "
                                 f"'{role}'); use 'locations' for a value per country")
    if len(spec.y) > 1:
        raise BadRequest("a map takes one 'y' (parameter 'y')")
    if spec.agg in ("sum", "mean", "median", "min", "max", "std") and not spec.y:
        raise BadRequest(f"aggregation '{spec.agg}' needs a 'y' column (parameter 'agg')")


LAT_NAMES, LON_NAMES = ("lat", "latitude", "y_lat"), ("lon", "lng", "long", "longitude")


def fit_map_args(args: dict, fitting: dict) -> dict:
    """The chart page's settings for a map (``fitting``: the columns that fit each role): a
    choropleth keeps its ``locations``; else points at ``lat``/``lon``, chosen by name where
    the frame has columns named so, else the first two numeric columns. Points take no
    ``y`` or ``agg``."""
    if args.get("locations"):
        args.pop("lat", None), args.pop("lon", None)
        args["y"] = args.get("y", [])[:1]
        return args
    for role, names in (("lat", LAT_NAMES), ("lon", LON_NAMES)):
        if not args.get(role):
            named = [c for c in fitting[role] if c.lower() in names]
            others = [c for c in fitting[role] if c not in (args.get("lat"), args.get("lon"))]
            chosen = (named or others or [None])[0]
            if chosen:
                args[role] = chosen
    args["y"] = []
    args.pop("agg", None)
    return args
