"""Country names to ISO 3166-1 alpha-3 codes, for choropleth maps (issue 16).

The table is the one plotly.js uses for ``locationmode="country names"`` (npm
``country-regex``, shipped in ``geodata/``): one regular expression per code, matched against
the lower-cased name, first match wins. A value that is already an ISO-3 code of the table
maps to itself. Values are matched once per distinct value (a choropleth has a few hundred at
most), never per row. Pure: no Flask, Dash or plotly.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

TABLE = Path(__file__).parent / "geodata" / "country_regex.json"


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    return tuple((code, re.compile(pattern)) for code, pattern in table.items())


def iso3_codes() -> frozenset[str]:
    return frozenset(code for code, _ in _patterns())


@functools.lru_cache(maxsize=4096)
def to_iso3(value) -> str | None:
    """The ISO-3 code of a country code or name, or None when the table knows neither."""
    if value is None:
        return None
    text = str(value).strip()
    if text.upper() in iso3_codes():
        return text.upper()
    lowered = text.lower()
    for code, pattern in _patterns():
        if pattern.search(lowered):
            return code
    return None
