"""The pandas + plotly code of map charts (issue 16), in ``code.py``'s manner: it computes what
the chart drew from ``view`` (the filtered frame) and a test runs it and compares.

Country names are mapped with the same table as the chart (``countries.to_iso3``), imported
from dtale_lite, so the code and the chart agree on every name.
"""
from __future__ import annotations

PANDAS_AGG = {"count": "count", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
              "max": "max", "distinct": "nunique", "std": "std"}
GEO = "fig.update_geos(showcountries=True, projection_type='natural earth')"


def map_code(w) -> None:
    """Write the map's lines on the ``code._Writer`` ``w``."""
    spec = w.spec
    if spec.locations:
        _choropleth(w)
        return
    mode = w.resolved.get("__map__", ("points",))
    w.lines += [f"points = pd.concat([{w.col(spec.lat)}, {w.col(spec.lon)}], axis=1).dropna()"
                ".astype(float)",
                "lat, lon = points.iloc[:, 0].to_numpy(), points.iloc[:, 1].to_numpy()",
                "# Coordinates outside the world are left out",
                "inside = (lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180)",
                "lat, lon = lat[inside], lon[inside]"]
    if mode[0] == "points":
        w.lines.append("fig = go.Figure(go.Scattergeo(lat=lat, lon=lon, mode='markers'))")
    else:
        _, lat_edges, lon_edges = mode
        w.lines += [f"lat_edges = np.array({list(lat_edges)!r})",
                    f"lon_edges = np.array({list(lon_edges)!r})",
                    "# Rows per cell of the grid (cells without rows are not drawn)",
                    "counts, _, _ = np.histogram2d(lat, lon, bins=[lat_edges, lon_edges])",
                    "iy, ix = np.nonzero(counts)",
                    "n = counts[iy, ix]",
                    "cell_lat = np.minimum((lat_edges[iy] + lat_edges[iy + 1]) / 2, 90)",
                    "cell_lon = np.minimum((lon_edges[ix] + lon_edges[ix + 1]) / 2, 180)",
                    "fig = go.Figure(go.Scattergeo(lat=cell_lat, lon=cell_lon, mode='markers', "
                    "marker=dict(color=n, size=3 + 17 * np.sqrt(n / n.max()), "
                    "showscale=True)))"]
    w.lines.append(GEO)


def _choropleth(w) -> None:
    spec = w.spec
    agg = PANDAS_AGG[spec.effective_agg()]
    w.lines += ["from dtale_lite.charts.countries import to_iso3  # names to ISO-3 codes",
                "",
                f"names = {w.col(spec.locations)}.astype(object)",
                "codes = names.map(lambda v: None if pd.isna(v) else to_iso3(v))"]
    if spec.y:
        w.lines.append(f"data = {w.col(spec.y[0])}.groupby(codes).agg({agg!r})")
    else:
        w.lines.append("data = codes.value_counts().sort_index()")
    w.lines += ["fig = go.Figure(go.Choropleth(locations=data.index, z=data.to_numpy(), "
                "locationmode='ISO-3'))", GEO]
