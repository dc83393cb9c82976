"""What a step is: its ``op`` and, per op, its parameters and their values (the vocabulary the
checks, the code, the OpenAPI document and the docs share).

A step is a JSON object such as ``{"op": "rename", "column": "f1", "to": "price"}``. Its
parameters are read and checked against the frame the step applies to by the op's function
(:class:`.params.Params`), so the same checks run again when steps are re-applied to a new
frame (``update(df2)``). Nothing here or there ever evaluates text.
"""
from __future__ import annotations

from ..errors import BadRequest
from .params import text_of

NUMERIC = ("int", "float", "bool")
ORDERED = ("int", "float", "datetime", "timedelta")
TEXTUAL = ("string", "category", "object")
OPERATORS = ("+", "-", "*", "/", "//", "%", "**")
DATETIME_PARTS = ("year", "quarter", "month", "day", "weekday", "hour", "minute", "date")
TRANSFORMS = ("lower", "upper", "strip", "length", "slice")
CUMULATIVE = ("cumsum", "cumcount", "rank", "diff", "pct_change", "shift")
STANDARDIZE = ("zscore", "minmax", "winsorize")
CONVERT_TO = ("int", "float", "string", "bool", "category", "datetime", "timedelta")
UNITS = ("D", "h", "m", "s", "ms", "us", "ns")
ERRORS = ("coerce", "raise")
FILL_METHODS = ("ffill", "bfill", "mean", "median", "mode")
HOW = ("any", "all")
KEEP = ("first", "last", "none")

# op -> add_column kind or None -> {parameter: description}: the OpenAPI document and the docs
# are written from this table, and tests/frames/test_steps.py holds the ops to it.
ADD_KINDS = {
    "arithmetic": {"left": "a numeric column", "operator": " ".join(OPERATORS),
                   "right": "a numeric column, or a number"},
    "datetime_part": {"column": "a datetime column", "part": ", ".join(DATETIME_PARTS)},
    "string": {"columns": "columns joined as text with `sep` (default empty)", "sep": "text",
               "column": "or one text column with `transform`",
               "transform": ", ".join(TRANSFORMS), "start": "slice start", "stop": "slice stop"},
    "bins": {"column": "a numeric column", "bins": "a count, or a list of increasing edges",
             "quantiles": "or a count of equal-frequency bins",
             "labels": "optional: one text label per bin"},
    "cumulative": {"column": "the column (none for cumcount)",
                   "function": ", ".join(CUMULATIVE),
                   "group": "optional: columns whose groups restart the function",
                   "periods": "diff, pct_change, shift: how many rows back (default 1)"},
    "standardize": {"column": "a numeric column", "method": ", ".join(STANDARDIZE),
                    "limits": "winsorize: [lower, upper] quantiles (default [0.05, 0.95])"},
    "condition": {"filter": "filter-language text: the rows it keeps are true"},
    "copy": {"column": "the column to copy"},
}
OPS = {
    "add_column": {"name": "the new column's name", "kind": ", ".join(ADD_KINDS)},
    "convert": {"column": "the column", "to": ", ".join(CONVERT_TO),
                "format": "datetime from text: a strftime format (optional)",
                "unit": f"datetime or timedelta from numbers: {', '.join(UNITS)}",
                "errors": "raise (default: a 400 that counts the failures) or coerce (missing)"},
    "rename": {"column": "the column", "to": "its new name"},
    "drop": {"columns": "the columns to drop"},
    "move": {"column": "the column", "to": "its new position (0 is first)"},
    "edit": {"row": "the row's position in the original frame", "column": "the column",
             "value": "the new value, read as the column's kind (null: missing)"},
    "replace": {"column": "the column",
                "values": "a list of [from, to] pairs, exact matches; a `to` of null makes "
                          "the value missing"},
    "fill_missing": {"column": "the column", "value": "the value to fill in",
                     "method": f"or one of {', '.join(FILL_METHODS)}"},
    "drop_missing": {"columns": "optional: the columns to look at (default all)",
                     "how": "any (default) or all"},
    "drop_duplicates": {"columns": "optional: the columns to compare (default all)",
                        "keep": "first (default), last or none"},
    "keep_view": {"filter": "filter-language text (the grid's filter)",
                  "sort": 'optional: [[column, "asc"|"desc"], ...] (the grid\'s sort)'},
}
MAX_STEPS = 1_000


def check_body(body) -> str:
    """The op of a step's JSON body; BadRequest for a body that is not an object or an
    unknown op."""
    if not isinstance(body, dict):
        raise BadRequest('a step is a JSON object like {"op": "rename", "column": "a", '
                         '"to": "b"}')
    op = body.get("op")
    if not isinstance(op, str) or op not in OPS:  # {} is unhashable (found by the fuzzer)
        raise BadRequest(f"parameter 'op' must be one of {', '.join(OPS)}; got {text_of(op)}")
    return op


def describe(step: dict) -> str:
    """A short title for a step, for the code's comments and the Steps panel."""
    op = step["op"]
    if op == "add_column":
        return f"add column {step.get('name')!r} ({step.get('kind')})"
    target = step.get("column") or step.get("columns")
    return f"{op.replace('_', ' ')} {target!r}" if target else op.replace("_", " ")


# The ops and add_column kinds that Polars and DuckDB frames take (issue 15); the rest are
# pandas-only: a 400 that names the engine and the op (``not_on_engine``).
ENGINE_OPS = ("add_column", "convert", "rename", "drop", "move", "replace", "fill_missing",
              "drop_missing", "drop_duplicates", "keep_view")
ENGINE_ADD_KINDS = ("arithmetic", "datetime_part", "string", "condition", "copy")
ENGINE_SUMMARIES = ("groupby", "pivot", "resample", "value_counts")


def not_on_engine(engine: str, what: str, detail: str = "") -> BadRequest:
    """The 400 for an op (or kind) a frame of ``engine`` does not take."""
    return BadRequest(f"'{what}' is not available on a {engine} frame{detail}: on {engine} "
                      f"frames the steps are {', '.join(ENGINE_OPS)} (add_column: "
                      f"{', '.join(ENGINE_ADD_KINDS)}) and the summaries "
                      f"{', '.join(ENGINE_SUMMARIES)}; show the frame as pandas for the rest")
