"""Column formats (issue 16, "the grid's look"): the spec the grid keeps in its URL, checked,
and the text of one value under it, exactly as the grid writes it (frontend/src/col-format.ts
follows the same rules; tests/fixtures/format_cases.json holds the cases both must agree on).

A format spec is a JSON object ``{column name: format}``. A number format (int and float
columns) has any of ``decimals`` (0..12; absent: up to 6, trailing zeros dropped),
``thousands`` (a "," every three digits), ``percent`` (times 100, a "%" after),
``scientific`` (``1.23e+5``) and ``currency`` (up to 4 characters written before the digits,
after a minus sign). A date format (datetime columns) is ``{"date": pattern}`` with the tokens
YYYY, YY, MMM (Jan), MM, DD, HH, mm, ss and the separators in ``DATE_LITERALS``.

Values come in the API's JSON-safe form (what the rows route and the JSON export give): numbers,
the text "inf"/"-inf" (left as they are), None for missing, datetimes as ISO 8601 text written in
their own zone (formatted from their digits: no time-zone conversion). Rounding is half away
from zero on the exact binary value, as JavaScript's ``toFixed``/``toExponential`` round.

Pure: no Flask, no pandas.
"""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from .errors import BadRequest

PARAMETER = "formats"
NUMBER_KEYS = ("decimals", "thousands", "percent", "scientific", "currency")
MAX_DECIMALS = 12
MAX_CURRENCY = 4
MAX_PATTERN = 40
MAX_SPEC_CHARS = 100_000
DATE_TOKENS = ("YYYY", "MMM", "YY", "MM", "DD", "HH", "mm", "ss")
DATE_LITERALS = " -/.:,T"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NUMBER_KINDS = ("int", "float")
DATE_KINDS = ("datetime",)
_ISO = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?")


def _bad(message: str) -> BadRequest:
    return BadRequest(f"parameter '{PARAMETER}': {message}")


def parse_formats(text: str | None, kinds: dict[str, str]) -> dict[str, dict]:
    """The checked spec from the ``formats`` parameter's JSON text (None or "": no formats).

    ``kinds`` maps each column name to its kind. Returns ``{column: format}``; raises
    BadRequest naming the parameter for text that is not a JSON object, an unknown column, a
    format that does not fit the column's kind, or a bad field.
    """
    if not text:
        return {}
    if len(text) > MAX_SPEC_CHARS:
        raise _bad(f"at most {MAX_SPEC_CHARS:,} characters")
    try:
        spec = json.loads(text)
    except (ValueError, RecursionError):
        raise _bad("not valid JSON") from None
    if not isinstance(spec, dict):
        raise _bad('a JSON object of {column: format}, e.g. {"price": {"decimals": 2}}')
    return {name: check_format(name, fmt, kinds) for name, fmt in spec.items()}


def check_format(name: str, fmt, kinds: dict[str, str]) -> dict:
    """One column's format, checked against its kind (see parse_formats)."""
    if name not in kinds:
        raise _bad(f"unknown column {name[:80]!r}")
    if not isinstance(fmt, dict):
        raise _bad(f"column {name[:80]!r}: a format is a JSON object")
    kind = kinds[name]
    if "date" in fmt:
        if kind not in DATE_KINDS:
            raise _bad(f"column {name[:80]!r} ({kind}) takes no date format")
        if set(fmt) != {"date"}:
            raise _bad(f"column {name[:80]!r}: a date format has only 'date'")
        date_tokens(fmt["date"])
        return {"date": fmt["date"]}
    if kind not in NUMBER_KINDS:
        raise _bad(f"column {name[:80]!r} ({kind}) takes only a date format on datetimes "
                   "and number formats on int and float columns")
    unknown = set(fmt) - set(NUMBER_KEYS)
    if unknown:
        raise _bad(f"column {name[:80]!r}: unknown field {sorted(unknown)[0][:40]!r}; "
                   f"allowed: {', '.join(NUMBER_KEYS)}, date")
    decimals = fmt.get("decimals")
    if decimals is not None and (type(decimals) is not int or not 0 <= decimals <= MAX_DECIMALS):
        raise _bad(f"column {name[:80]!r}: decimals must be an integer 0..{MAX_DECIMALS}")
    for flag in ("thousands", "percent", "scientific"):
        if type(fmt.get(flag, False)) is not bool:
            raise _bad(f"column {name[:80]!r}: {flag} must be true or false")
    if fmt.get("percent") and fmt.get("scientific"):
        raise _bad(f"column {name[:80]!r}: percent and scientific do not mix")
    currency = fmt.get("currency", "")
    if not isinstance(currency, str) or len(currency) > MAX_CURRENCY \
            or any(c.isdigit() or c in "-+.,eE" for c in currency):
        raise _bad(f"column {name[:80]!r}: currency is text of at most {MAX_CURRENCY} "
                   "characters, without digits, signs or separators")
    return {k: fmt[k] for k in NUMBER_KEYS if k in fmt}


def date_tokens(pattern) -> list[str]:
    """The pattern split into tokens and literal characters; raises BadRequest for a bad one."""
    if not isinstance(pattern, str) or not 0 < len(pattern) <= MAX_PATTERN:
        raise _bad(f"a date pattern is text of 1..{MAX_PATTERN} characters")
    out, i = [], 0
    while i < len(pattern):
        token = next((t for t in DATE_TOKENS if pattern.startswith(t, i)), None)
        if token is None:
            if pattern[i] not in DATE_LITERALS:
                raise _bad(f"date pattern {pattern!r}: unexpected {pattern[i]!r}; use "
                           f"{', '.join(DATE_TOKENS)} and the separators {DATE_LITERALS!r}")
            token = pattern[i]
        out.append(token)
        i += len(token)
    return out


def format_value(value, fmt: dict):
    """The text of ``value`` (JSON-safe form) under ``fmt``; None stays None (missing), and a
    value the format does not fit (text in a number column, an unreadable date) is kept."""
    if value is None:
        return None
    if "date" in fmt:
        return format_date(value, fmt["date"]) if isinstance(value, str) else value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return format_number(value, fmt)


_FIXED = Context(prec=80, rounding=ROUND_HALF_UP)  # 80 digits: any double to 12 decimals
_STEPS = [Decimal(1).scaleb(-d) for d in range(MAX_DECIMALS + 1)]
_SIGNIFICANT = [Context(prec=d + 1, rounding=ROUND_HALF_UP) for d in range(MAX_DECIMALS + 1)]


def format_number(x: float, fmt: dict) -> str:
    """``x`` under a number format (see the module docstring)."""
    if x != x or x in (float("inf"), float("-inf")):
        return "NaN" if x != x else ("inf" if x > 0 else "-inf")
    if fmt.get("percent"):
        x = x * 100
    decimals = fmt.get("decimals")
    places = 6 if decimals is None else decimals
    exact = Decimal(abs(x))
    if fmt.get("scientific") or abs(x) >= 1e21:
        # Rounded to places + 1 significant digits first, so formatting rounds no more.
        # Decimal writes zero's exponent from its digits ("0.00e+2"); JavaScript writes e+0.
        body = format(_SIGNIFICANT[places].plus(exact), f".{places}e") if exact else \
            f"{0:.{places}f}e+0"
        if decimals is None:
            body = re.sub(r"\.?0+e", "e", body)
    else:
        body = format(exact.quantize(_STEPS[places], context=_FIXED), "f")
        if decimals is None and "." in body:
            body = body.rstrip("0").rstrip(".")
        if fmt.get("thousands"):
            body = _group(body)
    negative = x < 0 and any(c in "123456789" for c in body.split("e")[0])
    return ("-" if negative else "") + fmt.get("currency", "") + body + \
        ("%" if fmt.get("percent") else "")


def _group(body: str) -> str:
    whole, dot, fraction = body.partition(".")
    return f"{int(whole):,}{dot}{fraction}"


def format_date(text: str, pattern: str) -> str:
    """An ISO 8601 datetime text under ``pattern``; text that is not one is kept."""
    match = _ISO.match(text)
    if match is None:
        return text
    year, month, day, hour, minute, second = (g or "00" for g in match.groups())
    if not 1 <= int(month) <= 12:
        return text
    parts = {"YYYY": year, "YY": year[-2:], "MMM": MONTHS[int(month) - 1], "MM": month,
             "DD": day, "HH": hour, "mm": minute, "ss": second}
    return "".join(parts.get(token, token) for token in date_tokens(pattern))
