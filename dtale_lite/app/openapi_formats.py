"""The export's `formatted` and `formats` parameters in the OpenAPI document (issue 16),
written from the limits formats.py checks.

Pure: no Flask, no Dash.
"""
from __future__ import annotations

from ..frames import formats as f
from ..frames.formatted_export import FORMATTED_FORMATS

NUMBER = {"type": "object", "additionalProperties": False, "properties": {
    "decimals": {"type": "integer", "minimum": 0, "maximum": f.MAX_DECIMALS},
    "thousands": {"type": "boolean"}, "percent": {"type": "boolean"},
    "scientific": {"type": "boolean"},
    "currency": {"type": "string", "maxLength": f.MAX_CURRENCY}}}
DATE = {"type": "object", "additionalProperties": False, "required": ["date"], "properties": {
    "date": {"type": "string", "minLength": 1, "maxLength": f.MAX_PATTERN}}}


def export_parameters(query, json_query, flags) -> list[dict]:
    """`formatted` and `formats`, built with openapi.py's helpers (passed in: no circle)."""
    return [
        query("formatted", {"enum": list(flags)}, "Write the values as the grid shows them "
              f"under `formats` ({', '.join(FORMATTED_FORMATS)} only; parquet is a 400)."),
        json_query("formats", {"type": "object", "additionalProperties": {
            "oneOf": [NUMBER, DATE]}}, (
            'The grid\'s column formats, a JSON object {column: format}, e.g. {"price": '
            '{"decimals": 2, "thousands": true, "currency": "$"}, "when": {"date": '
            '"DD MMM YYYY"}}. Numbers (int, float): decimals, thousands, percent, scientific '
            f"(not with percent), currency (no digits, signs or separators). Datetimes: a "
            f"pattern of {', '.join(f.DATE_TOKENS)} and the separators '{f.DATE_LITERALS}'. "
            "Used only with `formatted`; a bad one is a 400 naming `formats`.")),
    ]
