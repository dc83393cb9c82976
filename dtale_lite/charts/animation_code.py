"""The pandas + plotly code of animated charts (issue 16), in ``code.py``'s manner: the same
groups, periods and sample as the chart, drawn with plotly express's ``animation_frame``. A
test runs it and compares each frame's data with the chart's.
"""
from __future__ import annotations

from ..frames.animation import MAX_FRAMES
from .map_code import GEO, PANDAS_AGG

PX = "import plotly.express as px"


def animation_code(w) -> None:
    """Write an animated chart's lines on the ``code._Writer`` ``w``."""
    spec = w.spec
    if spec.type == "bar" or (spec.type == "map" and spec.locations):
        _aggregated(w)
    else:
        _sampled(w)


def _frames(w, var: str = "f") -> None:
    """``frames``: the frame values in order, "Other" left out, at most MAX_FRAMES."""
    order = w.key(w.spec.animate_by, var)
    values = order or f"sorted({var}.dropna().unique())"
    w.lines.append(f"frames = [v for v in {values} if v != 'Other'][:{MAX_FRAMES}]")


def _aggregated(w) -> None:
    spec = w.spec
    agg = PANDAS_AGG[spec.effective_agg()]
    if spec.type == "bar":
        x_order = w.key(spec.x, "x")
        by = ["x"] + (["g"] if spec.group else [])
        if spec.group:
            w.key(spec.group, "g")
    else:
        w.lines += ["from dtale_lite.charts.countries import to_iso3  # names to ISO-3 codes",
                    f"x = {w.col(spec.locations)}.astype(object).map(lambda v: None if "
                    "pd.isna(v) else to_iso3(v))"]
        x_order, by = None, ["x"]
    _frames(w)
    keys = "[" + ", ".join(by + ["f"]) + "]"
    if spec.y:
        w.lines.append(f"data = {w.col(spec.y[0])}.groupby({keys}).agg({agg!r})")
    else:
        w.lines.append(f"data = view.groupby({keys}).size()")
    names = [repr(n) for n in by] + ["'frame'"]
    w.lines += ["data = data.rename('value').reset_index()",
                f"data.columns = [{', '.join(names)}, 'value']",
                "data = data[data['frame'].isin(frames)]"]
    orders = "{'frame': frames" + (f", 'x': {x_order}" if x_order else "") + "}"
    if spec.type == "bar":
        colour = ", color='g'" if spec.group else ""
        w.lines.append(f"fig = px.bar(data, x='x', y='value'{colour}, animation_frame='frame', "
                       f"category_orders={orders}, barmode={spec.barmode!r})")
    else:
        w.lines += ["fig = px.choropleth(data, locations='x', color='value', "
                    "animation_frame='frame', category_orders={'frame': frames})", GEO]
    w.lines.insert(0, PX)


def _sampled(w) -> None:
    spec = w.spec
    is_map = spec.type == "map"
    names = [spec.lat, spec.lon] if is_map else [spec.x, spec.y[0]]
    picked = names + [spec.animate_by] + ([spec.group] if spec.group and not is_map else [])
    n = w.resolved["__sample__"]
    w.lines += [PX,
                f"points = pd.concat([{', '.join(w.col(c) for c in picked)}], axis=1).dropna()",
                f"if len(points) > {n}:  # the same seeded sample as the chart",
                f"    keep = np.sort(np.random.default_rng(0).choice(len(points), size={n}, "
                "replace=False))",
                "    points = points.iloc[keep]",
                "points.columns = range(points.shape[1])"]
    w.lines.append("view = view.loc[points.index]  # the frames of the sampled rows")
    _frames(w)
    w.lines += ["points['frame'] = f.loc[points.index]",
                "points = points[points['frame'].isin(frames)]"]
    if is_map:
        w.lines += ["points = points[points[0].between(-90, 90) & points[1].between(-180, 180)]",
                    "fig = px.scatter_geo(points, lat=0, lon=1, animation_frame='frame', "
                    "category_orders={'frame': frames})", GEO]
        return
    colour = ", color=3" if spec.group else ""
    w.lines.append(f"fig = px.scatter(points, x=0, y=1{colour}, animation_frame='frame', "
                   "category_orders={'frame': frames})")
