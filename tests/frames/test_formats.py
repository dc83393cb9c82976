"""Column formats (issue 16): the server's formats.py agrees with the grid's col-format.ts on
one shared table, and a bad spec is a 400 that names the parameter."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.formats import format_value, parse_formats

CASES = json.loads((Path(__file__).parents[2] / "frontend" / "test" / "format-cases.json")
                   .read_text(encoding="utf-8"))["cases"]
KINDS = {"price": "float", "n": "int", "when": "datetime", "name": "string"}


@pytest.mark.parametrize("value, fmt, text", CASES)
def test_the_same_text_as_the_grid(value, fmt, text):
    # None in the table: the value is written as it is (missing stays missing).
    assert format_value(value, fmt) == (value if text is None else text)


def test_a_good_spec_is_kept_field_by_field():
    spec = parse_formats(json.dumps({"price": {"decimals": 2, "thousands": True, "currency": "$"},
                                     "n": {"scientific": True},
                                     "when": {"date": "DD MMM YYYY HH:mm"}}), KINDS)
    assert spec == {"price": {"decimals": 2, "thousands": True, "currency": "$"},
                    "n": {"scientific": True}, "when": {"date": "DD MMM YYYY HH:mm"}}
    assert parse_formats(None, KINDS) == {} and parse_formats("", KINDS) == {}


@pytest.mark.parametrize("spec, message", [
    ("{", "not valid JSON"),
    ("[1]", "a JSON object"),
    ('{"nope": {"decimals": 1}}', "unknown column 'nope'"),
    ('{"price": 2}', "a format is a JSON object"),
    ('{"price": {"decimals": 13}}', "decimals must be an integer 0..12"),
    ('{"price": {"decimals": 1.5}}', "decimals must be an integer"),
    ('{"price": {"decimals": true}}', "decimals must be an integer"),
    ('{"price": {"thousands": "yes"}}', "thousands must be true or false"),
    ('{"price": {"percent": true, "scientific": true}}', "do not mix"),
    ('{"price": {"currency": "US$1"}}', "currency is text"),
    ('{"price": {"currency": "dollars"}}', "currency is text"),
    ('{"price": {"colour": "red"}}', "unknown field 'colour'"),
    ('{"price": {"date": "YYYY"}}', "takes no date format"),
    ('{"name": {"decimals": 1}}', "(string) takes only"),
    ('{"when": {"decimals": 1}}', "(datetime) takes only"),
    ('{"when": {"date": "YYYY %"}}', "unexpected '%'"),
    ('{"when": {"date": ""}}', "a date pattern is text"),
    ('{"when": {"date": "YYYY", "decimals": 1}}', "a date format has only 'date'"),
])
def test_a_bad_spec_names_the_parameter(spec, message):
    with pytest.raises(BadRequest) as caught:
        parse_formats(spec, KINDS)
    assert caught.value.message.startswith("parameter 'formats': ")
    assert message in caught.value.message


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
       st.integers(min_value=0, max_value=6), st.booleans(), st.booleans())
def test_a_number_format_reads_back_as_the_value_within_half_a_step(x, decimals, thousands,
                                                                   percent):
    fmt = {"decimals": decimals, "thousands": thousands, "percent": percent, "currency": "$"}
    text = format_value(x, fmt)
    shown = float(text.replace("$", "").replace(",", "").rstrip("%"))
    value = x * 100 if percent else x
    assert abs(shown - value) <= 0.5 * 10 ** -decimals + abs(value) * 1e-15
    assert (thousands or "," not in text) and text.endswith("%") == percent


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v != 0),
       st.integers(min_value=0, max_value=12))
def test_scientific_keeps_its_significant_digits(x, decimals):
    text = format_value(x, {"scientific": True, "decimals": decimals})
    mantissa, _ = text.lstrip("-").split("e")
    assert len(mantissa.replace(".", "")) == decimals + 1 and 1 <= float(mantissa) < 10
    assert text.startswith("-") == (x < 0)
    # Compared as decimals: 1.5e308 rounds to 2e+308, past the largest float.
    assert abs(Decimal(text) - Decimal(x)) <= abs(Decimal(x)) * Decimal(10) ** -decimals
