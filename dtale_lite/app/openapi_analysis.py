"""The analysis pages' JSON routes (issue 16) in the OpenAPI document, beside ``openapi.py``.

Pure: no Flask, no Dash.
"""
from __future__ import annotations

from ..frames.aggregate import FREQUENCIES
from ..frames.analysis.outliers import METHODS
from ..frames.analysis.timeseries import MAX_WINDOW


def analysis_paths(base) -> dict:
    """The four analysis routes. ``base`` is the openapi module (its schemas and helpers),
    passed in so that this module does not import it back."""
    count, string, nullable = base.COUNT, base.STRING, base.NULLABLE_STRING
    number = base.NUMBER_OR_NULL
    reduction = {"enum": list(base.REDUCTIONS)}
    common = {"figure": {"type": "object"}, "code": string, "reduction": reduction,
              "note": nullable}
    params = [base.FRAME]
    tail = [base.FILTER, base.CLIENT]
    errors = base.VIEW_ERRORS + ("Conflict",)
    row_filter = {**nullable, "description": "the filter-language text of the rows shown "
                                             "(\"Show these rows\"), the view's filter with it"}
    missing = base.ok_body(
        rows=count, bands=count, filter=nullable,
        columns={"type": "array", "items": base.obj({
            "name": string, "missing": count, "share": {"type": "number", "minimum": 0,
                                                        "maximum": 1}})},
        correlation=base.obj({"columns": {"type": "array", "items": string},
                              "matrix": {"type": "array", "items": {
                                  "type": "array", "items": {"type": "number"}}}}),
        **common)
    outliers = base.ok_body(column=string, method={"enum": list(METHODS)}, low=number,
                            high=number, count=count, rows=count, filter=row_filter, **common)
    group = base.obj({"values": {"type": "array", "items": base.VALUE}, "size": count,
                      "filter": string})
    duplicates = base.ok_body(columns={"type": "array", "items": string}, rows=count,
                              total=count, distinct=count,
                              groups={"type": "array", "items": group}, filter=row_filter,
                              **common)
    timeseries = base.ok_body(x=string, y=string, freq={"enum": list(FREQUENCIES)},
                              window=count, rows=count, periods=count,
                              decomposed={"type": "boolean"}, message=nullable, **common)

    def get(summary, body, extra=(), description=None):
        return {"get": base.operation(summary, body, errors, parameters=params + list(extra)
                                      + tail, description=description)}

    return {
        "/api/frames/{frame}/missing": get(
            "Missing values of the filtered rows: per column, a nullity matrix of row bands "
            "and the nullity correlation", missing, description=(
                "The matrix bins the rows into at most 500 bands (`bands`); the correlation "
                "is df.isna().corr() over the columns missing in some rows but not all.")),
        "/api/frames/{frame}/outliers": get(
            "Values outside the IQR or z-score fences of a numeric column", outliers, [
                base.query("column", string, "a numeric column", required=True),
                base.query("method", {"enum": list(METHODS)}, "iqr (default): Q1 - 1.5 IQR "
                           "and Q3 + 1.5 IQR; zscore: mean -/+ 3 std")],
            description="400 naming `column` for an unknown or non-numeric column."),
        "/api/frames/{frame}/duplicates": get(
            "Rows that repeat over chosen columns, and the largest groups", duplicates, [
                base.json_query("columns", {"type": "array", "items": string},
                                "A JSON list of column names (default: all).")],
            description="`rows` is df.duplicated(columns).sum()."),
        "/api/frames/{frame}/timeseries": get(
            "A value resampled by a datetime column's periods: rolling mean and std and a "
            "seasonal decomposition", timeseries, [
                base.query("x", string, "a datetime column", required=True),
                base.query("y", string, "a numeric column", required=True),
                base.query("freq", {"enum": list(FREQUENCIES)}, "the period (default: the "
                           "finest with at most 400 periods)"),
                base.query("window", {"type": "integer", "minimum": 1,
                                      "maximum": MAX_WINDOW},
                           "the rolling window in periods")],
            description="`message` says why there is no decomposition (too few periods, "
                        "or statsmodels not installed: pip install 'dtale_lite[analysis]')."),
    }
