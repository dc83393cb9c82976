"""The map builder (issue 16): points at ``lat``/``lon``, or a choropleth of ``locations``.

- Points: up to ``POINT_BOUND`` rows with both coordinates are drawn as they are; more become
  a density: counts in the cells of a lat/lon grid (``bins`` cells along the longer side of
  the occupied extent, ``DEFAULT_CELLS`` by default), drawn as scattergeo markers sized and
  coloured by count. One ``bins2d`` pass over a 1-degree world grid finds the counts and the
  occupied extent; a coarser grid sums its cells, a finer one (a city's worth of points)
  takes one more pass over the extent. Values outside -90..90 (lat) or -180..180 (lon) are
  left out and counted.
- Choropleth: ``y`` aggregated by ``agg`` (count of rows without ``y``) per value of
  ``locations``, ISO-3 codes or country names mapped to codes by ``countries.to_iso3``;
  names it does not know are left out and counted.

Built from ``sample``, ``bins2d`` and ``group_aggregate``, primitives every engine has. The
shapes come from this server (``geo_assets``). Pure: no Flask, no Dash, no plotly import.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames.aggregate import Group
from . import result as F
from .countries import to_iso3
from .marks import MAX_FILTERED_MARKS, combine_notes, left_out_note, missing_message, nothing
from .selection import combine, group_filter

DEFAULT_CELLS = 120
LOCATION_TOP = 1000  # distinct locations kept (there are 255 countries); others left out
# Aggregations that combine over names of one country (USA, United States) from their parts.
COMBINABLE = {"count": np.add, "sum": np.add, "min": np.fmin, "max": np.fmax}
# Centred on Greenwich (plotly.js centres a choropleth on its locations' longitudes). Land in
# a see-through grey, legible on either scheme's paper: Plotly's default yellow land read as
# the top of the Viridis scale (a country without data looked like the largest value).
GEO = {"showcountries": True, "showland": True, "showcoastlines": True,
       "landcolor": "rgba(140, 140, 140, 0.25)",
       "projection": {"type": "natural earth", "rotation": {"lon": 0}}, "resolution": 110}
COLOURS = "Viridis"


def map_chart(ctx) -> F.ChartResult:
    return choropleth(ctx) if ctx.spec.locations else points(ctx)


def in_world(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return (lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180)


def _range_note(rows: int, spec) -> str | None:
    if rows <= 0:
        return None
    return (f"{int(rows):,} {'row' if rows == 1 else 'rows'} with {spec.lat} outside -90..90 "
            f"or {spec.lon} outside -180..180 left out")


def points(ctx) -> F.ChartResult:
    spec = ctx.spec
    lat_col, lon_col = ctx.col(spec.lat).position, ctx.col(spec.lon).position
    frame, total = ctx.source.sample(ctx.positions, [lat_col, lon_col], F.POINT_BOUND)
    missing = left_out_note(ctx.rows - total, [spec.lat, spec.lon])
    if total > F.POINT_BOUND:
        return density(ctx, total, missing)
    lat = frame.iloc[:, 0].to_numpy(float)
    lon = frame.iloc[:, 1].to_numpy(float)
    inside = in_world(lat, lon)
    lat, lon = lat[inside], lon[inside]
    note = combine_notes(_range_note(int((~inside).sum()), spec), missing)
    if not lat.size:
        return nothing(ctx, missing_message(ctx, [spec.lat, spec.lon]) if not total else
                       f"No values to chart: {note}")
    ctx.resolved["__map__"] = ("points",)
    trace = {"type": "scattergeo", "mode": "markers", "lat": F.typed(lat),
             "lon": F.typed(lon), "name": "rows", "marker": {"size": 5, "opacity": 0.7}}
    if lat.size <= MAX_FILTERED_MARKS:
        trace["customdata"] = [combine(spec.filter, _equals(spec.lat, a), _equals(spec.lon, b))
                               for a, b in zip(lat, lon)]
    table = pd.DataFrame({spec.lat: lat, spec.lon: lon})
    return F.ChartResult(_figure([trace], f"{spec.lat} and {spec.lon}", fit=True), 0,
                         int(lat.size),
                         "none", note, table=table)


def _equals(name: str, value: float) -> str:
    return group_filter(name, Group(label=value, value=float(value)))


def density(ctx, total: int, missing: str | None) -> F.ChartResult:
    """Rows per cell of a lat/lon grid, as markers sized and coloured by count."""
    spec = ctx.spec
    lat_col, lon_col = ctx.col(spec.lat).position, ctx.col(spec.lon).position
    _, _, world = ctx.source.bins2d(ctx.positions, lon_col, lat_col, 360, 180, (-180.0, 180.0),
                                    (-90.0, 90.0))
    inside = int(world.sum())
    note = combine_notes(_range_note(total - inside, spec), missing)
    if inside == 0:
        return nothing(ctx, f"No values to chart: {note}")
    cells_wanted = spec.bins or DEFAULT_CELLS
    lat_used, lon_used = np.flatnonzero(world.sum(axis=1)), np.flatnonzero(world.sum(axis=0))
    lat_lo, lat_hi = -90 + lat_used[0], -90 + lat_used[-1] + 1
    lon_lo, lon_hi = -180 + lon_used[0], -180 + lon_used[-1] + 1
    span = max(lat_hi - lat_lo, lon_hi - lon_lo)
    if span >= cells_wanted:  # cells of whole degrees: sums of the world grid's cells
        size = int(np.ceil(span / cells_wanted))
        counts = _blocks(world, size)
        lat_edges = -90.0 + size * np.arange(counts.shape[0] + 1)
        lon_edges = -180.0 + size * np.arange(counts.shape[1] + 1)
    else:  # a small extent: finer cells, one more pass over it
        size = span / cells_wanted
        nx = max(1, int(np.ceil((lon_hi - lon_lo) / size)))
        ny = max(1, int(np.ceil((lat_hi - lat_lo) / size)))
        lon_range = (float(lon_lo), float(min(180.0, lon_lo + nx * size)))
        lat_range = (float(lat_lo), float(min(90.0, lat_lo + ny * size)))
        lon_edges, lat_edges, counts = ctx.source.bins2d(ctx.positions, lon_col, lat_col, nx,
                                                         ny, lon_range, lat_range)
    ctx.resolved["__map__"] = ("density", tuple(map(float, lat_edges)),
                               tuple(map(float, lon_edges)))
    iy, ix = np.nonzero(counts)
    n = counts[iy, ix].astype(float)
    lat = np.minimum((lat_edges[iy] + lat_edges[iy + 1]) / 2, 90.0)
    lon = np.minimum((lon_edges[ix] + lon_edges[ix + 1]) / 2, 180.0)
    trace = {"type": "scattergeo", "mode": "markers", "lat": F.typed(lat), "lon": F.typed(lon),
             "name": "rows per cell", "text": [f"{int(c):,} rows" for c in n],
             "hovertemplate": "%{text}<br>%{lat:.2f}, %{lon:.2f}<extra></extra>",
             "marker": {"size": F.typed(3 + 17 * np.sqrt(n / n.max())), "color": F.typed(n),
                        "colorscale": COLOURS, "showscale": True, "opacity": 0.8,
                        "colorbar": {"title": {"text": "rows"}}, "line": {"width": 0}}}
    if n.size <= MAX_FILTERED_MARKS:
        trace["customdata"] = [combine(spec.filter, _cell(spec.lat, lat_edges, i),
                                       _cell(spec.lon, lon_edges, j)) for i, j in zip(iy, ix)]
    what = (f"{total:,} points: drawn as a density, rows per cell of {_degrees(size)} "
            f"({n.size:,} cells with rows)")
    table = pd.DataFrame({spec.lat: lat, spec.lon: lon, "rows": n})
    return F.ChartResult(_figure([trace], f"rows per cell of {spec.lat} and {spec.lon}", True), 0,
                         int(n.size), "binned", combine_notes(what, note), table=table)


def _blocks(world: np.ndarray, size: int) -> np.ndarray:
    """The 1-degree grid's counts summed over ``size`` x ``size`` blocks from (-90, -180)."""
    ny, nx = -(-world.shape[0] // size), -(-world.shape[1] // size)
    padded = np.zeros((ny * size, nx * size), world.dtype)
    padded[:world.shape[0], :world.shape[1]] = world
    return padded.reshape(ny, size, nx, size).sum(axis=(1, 3))


def _cell(name: str, edges: np.ndarray, i: int) -> str:
    last = i == len(edges) - 2
    return group_filter(name, Group(label=edges[i], lo=float(edges[i]),
                                    hi=float(edges[i + 1]), closed=last))


def _degrees(size: float) -> str:
    return f"{size:g} x {size:g} degrees" if size >= 0.01 else f"{size:.2g} degrees"


def _figure(data: list, title: str, fit: bool = False) -> dict:
    geo = {**GEO, "fitbounds": "locations"} if fit else dict(GEO)  # zoomed to the points
    layout = {"title": {"text": title}, "geo": geo,
              "margin": {"l": 10, "r": 10, "t": 60, "b": 10}}
    return {"data": data, "layout": layout}


# -- choropleth -----------------------------------------------------------------------------
def choropleth(ctx) -> F.ChartResult:
    spec = ctx.spec
    key = ctx.key(spec.locations, top=LOCATION_TOP, missing=False)
    agg = spec.effective_agg()
    ctx.resolved["__agg__"] = agg
    values_of = ctx.col(spec.y[0]).position if spec.y else None
    measures = [(values_of, agg if values_of is not None else "count"), (None, "count")]
    if agg == "mean" and values_of is not None:  # combined over names as sum / count
        measures += [(values_of, "sum"), (values_of, "count")]
    (groups,), results = ctx.source.group_aggregate(ctx.positions, [key], measures)
    values, rows = results[0], results[1]
    placed = {}  # ISO-3 code -> the group positions of its names
    unknown_rows, unknown_names, other_rows = 0.0, [], 0.0
    for i, group in enumerate(groups):
        if group.is_other:
            other_rows += rows[i]
            continue
        code = to_iso3(group.value)
        if code is None:
            unknown_rows += rows[i]
            unknown_names.append(str(group.value))
        else:
            placed.setdefault(code, []).append(i)
    if not placed:
        return nothing(ctx, missing_message(ctx, [spec.locations]) if not groups else
                       f"No country to draw: none of the {len(unknown_names):,} values of "
                       f"{spec.locations} is an ISO-3 code or a country name this table knows")
    codes, z, merged = _per_country(placed, values, rows, results, agg)
    notes = [_unknown_note(unknown_names, unknown_rows, spec.locations),
             left_out_note(ctx.rows - rows.sum(), [spec.locations])]
    if other_rows:
        notes.append(f"{spec.locations} has more than {LOCATION_TOP:,} values: the rows of "
                     f"the least frequent ({int(other_rows):,}) are left out")
    if merged:
        notes.append(merged)
    title = (f"{agg} of {spec.y[0]}" if spec.y else "count of rows") + f" by {spec.locations}"
    filters = [combine(spec.filter, " or ".join(f"({group_filter(spec.locations, groups[i])})"
                                                if len(placed[c]) > 1 else
                                                group_filter(spec.locations, groups[i])
                                                for i in placed[c])) for c in codes]
    trace = {"type": "choropleth", "locationmode": "ISO-3", "locations": codes,
             "z": F.typed(z), "colorscale": COLOURS, "customdata": filters,
             "text": [", ".join(str(groups[i].value) for i in placed[c]) for c in codes],
             "hovertemplate": "%{text} (%{location})<br>%{z}<extra></extra>",
             "colorbar": {"title": {"text": title.split(" by ")[0]}},
             "marker": {"line": {"width": 0.5}}}
    table = pd.DataFrame({"iso3": codes, title.split(" by ")[0]: z})
    return F.ChartResult(_figure([trace], title), 0, len(codes), "aggregated",
                         combine_notes(*notes), table=table)


def _per_country(placed: dict, values, rows, results, agg: str):
    """(codes, one value per code, a note or None): the names of one country combined."""
    codes = sorted(placed)
    z = np.empty(len(codes))
    collided = []
    for k, code in enumerate(codes):
        index = placed[code]
        if len(index) == 1:
            z[k] = values[index[0]]
        elif agg == "mean" and len(results) == 4:
            z[k] = results[2][index].sum() / results[3][index].sum()
        elif agg in COMBINABLE:
            z[k] = COMBINABLE[agg].reduce(values[index])
        else:  # a median or distinct count does not combine from its parts
            z[k] = values[max(index, key=lambda i: rows[i])]
            collided.append(code)
    note = (f"several names of {', '.join(collided[:5])}: the {agg} of the name with the most "
            f"rows is drawn") if collided else None
    return codes, z, note


def _unknown_note(names: list[str], rows: float, column: str) -> str | None:
    if not names:
        return None
    shown = ", ".join(repr(n) for n in names[:3]) + (", ..." if len(names) > 3 else "")
    values = "1 value" if len(names) == 1 else f"{len(names):,} values"
    return (f"{values} of {column} {'is' if len(names) == 1 else 'are'} not a country this "
            f"table knows ({shown}): {int(rows):,} rows left out")
