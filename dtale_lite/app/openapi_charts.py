"""The chart route's column parameters in the OpenAPI document (issue 16 grew them past what
openapi.py could hold): which columns each chart kind takes. Built with openapi.py's helpers,
passed in, so that this module does not import it back."""
from __future__ import annotations

from ..charts.spec import OHLC


def chart_role_parameters(query, string) -> list[dict]:
    column = "a column name"
    return [
        query("x", string, column), query("z", string, column + " (a heatmap's values)"),
        query("y", {"type": "array", "items": string}, column + "; repeat for several series",
              style="form", explode=True),
        query("y2", {"type": "array", "items": string}, column + ": bar and line series on a "
              "second y axis, on the right; repeat for several", style="form", explode=True),
        query("path", {"type": "array", "items": string, "maxItems": 4}, "treemap and "
              "sunburst: one to four columns, outermost first; repeat for each level",
              style="form", explode=True),
        *(query(name, string, column + f": a candlestick's {name} (all four, or one y)")
          for name in OHLC),
        query("color", string, column + ": a scatter3d's colour (groups, or a scale of floats)"),
        query("group", string, column + ": one colour per group"),
        query("facet", string, column + ": small multiples, one chart per value (12 and "
              "'Other'); pandas only"),
        *(query(name, string, f"{column}: {text}") for name, text in (
            ("lat", "a map's latitudes (-90..90)"), ("lon", "a map's longitudes (-180..180)"),
            ("locations", "a choropleth's ISO-3 codes or country names (not lat/lon)"),
            ("animate_by", "bar, scatter, map: a frame per value (per freq period), <= 100"))),
    ]
