"""The JSON API as an OpenAPI 3.1 document: plain data, built from the same constants as the routes.

``openapi_document()`` returns the dict that ``GET /api/openapi.json`` serves. The enums (chart
types, aggregations, export formats, column kinds ...) are read from the modules that enforce
them, so a new chart type or format shows up here without an edit. What cannot be derived (the
paths, the body shapes) is checked the other way: ``tests/test_openapi.py`` fails when a route of
the app is missing here or a path here has no route, and a schema-driven fuzzer
(``tests/test_openapi_fuzz.py``) checks every answer of a live server against this document.

The HTML pages (``/``, ``/frames/<frame>``), the grid's assets and the Dash chart page under
``/charts/`` are not part of the JSON API and are not described.

Pure: no Flask, no Dash.
"""
from __future__ import annotations

from ..charts.spec import BARMODES, CHART_TYPES, DEFAULT_MAX_BINS
from ..frames.aggregate import AGGREGATIONS, FREQUENCIES
from ..frames.columns import KINDS
from ..frames.correlate import METHODS
from ..frames.view import MAX_LIMIT
from ..server.grid_view import MAX_PAGE_ID
from .openapi_charts import chart_role_parameters

EXPORT_FORMATS = {  # format -> media type, as export.FORMATS (not imported: it loads pyarrow)
    "csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/json",
    "parquet": "application/vnd.apache.parquet"}
CHART_FORMATS = {"csv": "text/csv", "html": "text/html", "py": "text/x-python"}
REDUCTIONS = ("none", "aggregated", "binned", "downsampled", "top_n", "sampled")
FLAGS = ("1", "0", "true", "false", "yes", "no", "on", "off")
OPENAPI_VERSION = "3.1.0"
# As app.KEY_PARAM / app.KEY_HEADER (app imports Flask; tests/test_openapi.py checks they agree).
KEY_PARAM, KEY_HEADER = "key", "X-Dtale-Lite-Key"


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def obj(required: dict, optional: dict | None = None) -> dict:
    """A closed object schema: an undocumented field in an answer is a contract violation."""
    return {"type": "object", "properties": {**required, **(optional or {})},
            "required": list(required), "additionalProperties": False}


def ok_body(**fields) -> dict:
    return obj({"ok": {"const": True}, **fields})


STRING = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
NULLABLE_STRING = {"type": ["string", "null"]}
EXACT = {"type": "boolean", "description": "false when the engine only estimated the count "
                                           "(the page says \"about\")"}
ENGINES = ["pandas", "polars", "duckdb", "dask"]
NUMBER_OR_NULL = {"type": ["number", "null"]}
VALUE = ref("schemas", "Value")

SCHEMAS = {
    "Error": {
        **obj({"ok": {"const": False}, "error": STRING,
               "status": {"type": "integer", "minimum": 400, "maximum": 599}},
              {"position": {**COUNT, "description": "filter errors: the character offset"}}),
        "description": "Every error, with the HTTP status of the response repeated in `status`.",
    },
    "Value": {
        "type": ["null", "boolean", "number", "string"],
        "description": "A cell in JSON-safe form: NaN/NaT/None/pd.NA are null, +/-inf the "
                       "strings \"inf\"/\"-inf\", datetimes and timedeltas ISO 8601, other "
                       "objects their text; strings over 10,000 characters end with "
                       "\"\u2026[truncated]\".",
    },
    "FrameName": {**NULLABLE_STRING, "description": "null for a frame shown without a name"},
    "Column": obj({"name": STRING, "dtype": STRING, "kind": {"enum": list(KINDS)}}),
    "Histogram": obj({"edges": {"type": "array", "items": VALUE},
                      "counts": {"type": "array", "items": COUNT}}),
    "Lengths": obj({"min": {"type": ["integer", "null"]}, "mean": NUMBER_OR_NULL,
                    "max": {"type": ["integer", "null"]}}),
    "SortPairs": {"type": "array",
                  "items": {"type": "array", "prefixItems": [STRING, {"enum": ["asc", "desc"]}],
                            "minItems": 2, "maxItems": 2}},
    "GridView": {
        **obj({"filter": STRING, "sort": {"$ref": "#/components/schemas/SortPairs"},
               "columns": {"type": ["array", "null"], "items": STRING},
               "page": NULLABLE_STRING, "seq": COUNT, "reported_at": {"type": "number"}}),
        "description": "What a grid page shows: its filter, sort and columns (null: all)."},
    "GridViewReport": {
        **obj({}, {"filter": NULLABLE_STRING,
                   "sort": {"anyOf": [{"$ref": "#/components/schemas/SortPairs"},
                                      {"type": "null"}]},
                   "columns": {"type": ["array", "null"], "items": STRING},
                   "page": {"type": ["string", "null"], "minLength": 1,
                            "maxLength": MAX_PAGE_ID},
                   "seq": COUNT}),
        "description": "A grid page's report of its view; every field may be left out (an "
                       "empty body reports the whole frame, in order)."},
}


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref("schemas", "Error")}}}


RESPONSES = {
    "BadRequest": _error_response("a malformed or unknown parameter; the message names it"),
    "Unauthorized": _error_response("no key: send `?key=` or the X-Dtale-Lite-Key header"),
    "Forbidden": _error_response("a wrong key"),
    "NotFound": _error_response("no frame with that id or name"),
    "Conflict": _error_response("superseded by a newer request of the same `client`, or a "
                                "server that cannot stop itself"),
    "PayloadTooLarge": _error_response("an upload over the server's limit; the message states "
                                       "the limit"),
    "UnsupportedMediaType": _error_response("a body that is not application/json"),
}

FRAME = {
    "name": "frame", "in": "path", "required": True, "schema": STRING,
    "description": "The frame's id (digits) or its name (letters, digits, '_', '-', '.', "
                   "starting with a letter or '_').",
}


def query(name: str, schema: dict, description: str, *, required: bool = False,
          empty_is_absent: bool = True, **extra) -> dict:
    """A query parameter. ``empty_is_absent``: the server reads ``name=`` as not given."""
    parameter = {"name": name, "in": "query", "required": required, "schema": schema,
                 "description": description, **extra}
    if empty_is_absent and not required:
        parameter["allowEmptyValue"] = True
    return parameter


def json_query(name: str, schema: dict, description: str) -> dict:
    """A query parameter holding JSON text (OpenAPI's ``content`` form). An empty value counts
    as not given too, but allowEmptyValue would describe the JSON text '""' (a 400)."""
    return {"name": name, "in": "query", "required": False, "description": description,
            "content": {"application/json": {"schema": schema}}}


SORT = json_query(
    "sort", ref("schemas", "SortPairs"), 'A JSON list of [column, "asc"|"desc"] pairs, e.g. [["f1","desc"],["id","asc"]]; stable, '
    "missing values last both ways.")
COLUMNS = json_query("columns", {"type": "array", "items": STRING},
                     "A JSON list of column names to include (default: all, in order).")
FILTER = query("filter", STRING, "An expression of the filter language (see the README), "
                                 "at most 10,000 characters.")
CLIENT = query("client", STRING, "An id of the asking page: a newer request with the same "
                                 "client (for another view) supersedes this one (409).")
CLIENT_HEADER = {"name": "X-Dtale-Lite-Client", "in": "header", "required": False,
                 "schema": STRING, "description": "The same as `client` (the grid sends it)."}
VIEW = [SORT, FILTER, COLUMNS]


def operation(summary: str, ok: dict | None, errors: tuple[str, ...], *,
              parameters: list | None = None, content: dict | None = None,
              public: bool = False, description: str | None = None,
              body: dict | None = None) -> dict:
    """One operation; ``ok`` the JSON schema of the 200 answer, or ``content`` its media types;
    ``body`` the schema of an optional JSON request body."""
    answer = {"description": "success",
              "content": content or {"application/json": {"schema": ok}}}
    out = {"summary": summary, "parameters": parameters or [],
           "responses": {"200": answer, **{str(STATUS[e]): ref("responses", e) for e in errors}}}
    if body is not None:
        out["requestBody"] = {"required": False,
                              "content": {"application/json": {"schema": body}}}
    if description:
        out["description"] = description
    if public:
        out["security"] = []
    return out


STATUS = {"BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404,
          "Conflict": 409, "PayloadTooLarge": 413}
AUTH = ("Unauthorized", "Forbidden")
FRAME_ERRORS = AUTH + ("NotFound",)
VIEW_ERRORS = ("BadRequest",) + FRAME_ERRORS


def _describe_body() -> dict:
    by_kind = {
        "mean": VALUE, "std": VALUE, "min": VALUE, "q25": VALUE, "q50": VALUE, "q75": VALUE,
        "max": VALUE, "inf_count": COUNT, "histogram": ref("schemas", "Histogram"),
        "length": ref("schemas", "Lengths"), "true": COUNT, "false": COUNT,
        "skew": {**NUMBER_OR_NULL, "description": "pandas' skew(); null under 3 values, with "
                                                  "no spread or with an infinity"},
        "kurtosis": {**NUMBER_OR_NULL, "description": "pandas' kurt() (excess); null under 4 "
                                                      "values, with no spread or an infinity"},
        "outliers": {**COUNT, "description": "values below Q1 - 1.5 IQR or above Q3 + 1.5 IQR"},
        "empty": {**COUNT, "description": "text values equal to the empty string"},
        "empty_share": {**NUMBER_OR_NULL, "description": "empty over the non-missing values"}}
    body = ok_body(column=STRING, kind={"enum": list(KINDS)}, count=COUNT, missing=COUNT,
                   unique=COUNT, top={"type": "array", "items": obj({"value": VALUE,
                                                                      "count": COUNT})},
                   approximate={"type": "array", "items": STRING,
                                "description": "the figures the engine estimated"})
    body["properties"].update(by_kind)
    return body


def _chart_parameters() -> list[dict]:
    column = "a column name"
    bins = {"type": "integer", "minimum": 1, "maximum": DEFAULT_MAX_BINS}
    return [
        query("type", {"enum": list(CHART_TYPES)}, "The chart type; without it the default "
              "chart of the frame, and every other parameter but `filter` is ignored."),
        *chart_role_parameters(query, STRING),
        query("agg", {"enum": list(AGGREGATIONS)}, "default: count without y, else mean "
                                                     "(sum for pies, treemaps and sunbursts, "
                                                     "which take count or sum only)"),
        query("freq", {"enum": list(FREQUENCIES)}, "the period of a datetime x (or of a "
              "datetime animate_by)"),
        query("bins", bins, "bins per axis (density at most 250, heatmap at most 50, surface at "
              "most 100; map: grid cells along the longer side, at most 250)"),
        query("log_x", {"enum": list(FLAGS)}, "a log x axis"),
        query("log_y", {"enum": list(FLAGS)}, "a log y axis"),
        query("barmode", {"enum": list(BARMODES)}, "bars side by side or stacked"),
        query("dropna", {"enum": list(FLAGS)}, "leave out the rows without a value on a "
              "category axis or in a group (default: a '(missing)' mark of their own); the "
              "note counts the rows left out"),
        FILTER,
        *(query(f"{axis}_{end}", STRING, "the visible range after a zoom: a number, or an ISO "
                "datetime on a datetime axis (give both ends)")
          for axis in "xy" for end in ("min", "max")),
        query("format", {"enum": ["json", *CHART_FORMATS]}, "json (default): the figure; csv: "
              "its data; html: a standalone page; py: the code that draws it",
              empty_is_absent=False),
        CLIENT,
    ]


def _paths() -> dict:
    frame_ref = [FRAME]
    downloads = {media: {"schema": {"type": "string"}} for media in EXPORT_FORMATS.values()}
    downloads["application/json"] = {"schema": {
        "type": "array", "items": {"type": "object", "additionalProperties": VALUE}}}
    downloads["application/vnd.apache.parquet"] = {"schema": {"type": "string",
                                                              "format": "binary"}}
    chart_body = ok_body(figure={"type": "object"}, code=STRING, rows=COUNT, points=COUNT,
                         reduction={"enum": list(REDUCTIONS)}, note=NULLABLE_STRING,
                         message=NULLABLE_STRING)
    chart_content = {"application/json": {"schema": chart_body},
                     **{media: {"schema": STRING} for media in CHART_FORMATS.values()}}
    window = [
        query("offset", {"type": "integer", "minimum": 0}, "the first row of the window"),
        query("limit", {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT},
              f"rows in the window (default 100, at most {MAX_LIMIT:,})"),
    ]
    return {
        "/health": {"get": operation("Liveness; needs no key", ok_body(), (), public=True)},
        "/api/openapi.json": {"get": operation(
            "This document", {"type": "object", "required": ["openapi", "info", "paths"]},
            AUTH)},
        "/api/frames": {"get": operation("Every frame shown", ok_body(frames={
            "type": "array", "items": obj({
                "id": COUNT, "name": ref("schemas", "FrameName"), "rows": COUNT,
                "columns": COUNT, "engine": {"enum": ENGINES},
                "memory_bytes": {"type": ["integer", "null"], "minimum": 0, "description":
                                 "the engine's cheap estimate; null: not held in memory here"},
                "memory_measure": {**STRING, "description": "what memory_bytes measures"},
                "url": STRING})}),
            AUTH)},
        "/row-count/{frame}": {"get": operation(
            "Rows of a frame (no filter)", ok_body(id=COUNT, name=ref("schemas", "FrameName"),
                                                   rows=COUNT, rows_exact=EXACT), FRAME_ERRORS,
            parameters=frame_ref)},
        "/api/frames/{frame}": {"delete": operation(
            "Stop showing a frame", ok_body(id=COUNT, name=ref("schemas", "FrameName"),
                                            removed={"const": True}), FRAME_ERRORS,
            parameters=frame_ref)},
        "/api/frames/{frame}/rename": {"post": operation(
            "Rename a frame (its id and URLs stay)",
            ok_body(id=COUNT, name=STRING, previous=ref("schemas", "FrameName")),
            ("BadRequest", "Conflict") + FRAME_ERRORS, parameters=frame_ref,
            body=obj({"name": STRING}),
            description="400 for a missing or invalid name (1-64 letters, digits, '_', '-', "
                        "'.', starting with a letter or '_'); 409 when another frame has the "
                        "name.")},
        "/api/frames/{frame}/view": {
            "get": operation("The view a grid page of this frame reported last (null: none)",
                             ok_body(id=COUNT, name=ref("schemas", "FrameName"),
                                     view={"anyOf": [ref("schemas", "GridView"),
                                                     {"type": "null"}]}),
                             FRAME_ERRORS, parameters=frame_ref),
            "post": operation(
                "A grid page reports its view (Instance.view() reads it back)",
                ok_body(id=COUNT, name=ref("schemas", "FrameName"), stored={"type": "boolean"},
                        view=ref("schemas", "GridView")),
                VIEW_ERRORS + ("Conflict",), parameters=frame_ref,
                body=ref("schemas", "GridViewReport"),
                description="`stored` is false for an older report of the page whose report "
                            "is kept (by `page` and `seq`); 409 when the frame was updated "
                            "with other columns meanwhile; at most 4 MB.")},
        "/api/frames/{frame}/schema": {"get": operation(
            "Columns of a frame", ok_body(id=COUNT, name=ref("schemas", "FrameName"),
                                          engine={"enum": ENGINES}, rows=COUNT,
                                          rows_exact=EXACT, columns={"type": "array",
                                                               "items": ref("schemas", "Column")}),
            FRAME_ERRORS, parameters=frame_ref)},
        "/api/frames/{frame}/rows": {"get": operation(
            "A window of the sorted, filtered view", obj({
                "ok": {"const": True}, "offset": COUNT, "limit": COUNT, "total": COUNT,
                "total_exact": EXACT, "columns": {"type": "array", "items": STRING},
                "index": {"type": "array", "items": VALUE},
                "data": {"type": "array", "items": {"type": "array", "items": VALUE}}},
                {"positions": {"type": "array", "items": COUNT,
                               "description": "pandas frames: each row's position in the "
                                              "frame as shown before its steps (what an "
                                              "`edit` step's `row` names)"}}),
            VIEW_ERRORS + ("Conflict",),
            parameters=frame_ref + window + VIEW + [CLIENT, CLIENT_HEADER],
            description="`total` counts the rows after the filter; an offset past the end "
                        "gives no rows.")},
        "/api/frames/{frame}/describe": {"get": operation(
            "Summary statistics of one column over the filtered rows", _describe_body(),
            VIEW_ERRORS + ("Conflict",), parameters=frame_ref + [
                query("column", STRING, "the column to describe", required=True), *VIEW,
                CLIENT, CLIENT_HEADER],
            description="`sort` and `columns` are checked as for rows but change nothing. "
                        "Numbers add mean, std, min, q25, q50, q75, max, inf_count and "
                        "histogram; datetimes min, max, histogram; timedeltas also mean; "
                        "text, categories and objects (complex numbers too) length; booleans "
                        "true and false.")},
        "/api/frames/{frame}/code": {"get": operation(
            "Pandas code that derives the view from the shown frame `df` (inst.code())",
            ok_body(id=COUNT, name=ref("schemas", "FrameName"), code=STRING), VIEW_ERRORS,
            parameters=frame_ref + VIEW,
            description="400 for a frame not shown from pandas (Polars, DuckDB, Dask).")},
        "/api/frames/{frame}/export": {"get": operation(
            "The view as a file (streamed, Content-Disposition: attachment)", None,
            VIEW_ERRORS, content=downloads, parameters=frame_ref + [
                query("format", {"enum": list(EXPORT_FORMATS)}, "default csv",
                      empty_is_absent=False), *VIEW, *_format_parameters()])},
        "/api/frames/{frame}/chart": {"get": operation(
            "A chart of the filtered rows (a Plotly figure), or its data, page or code", None,
            VIEW_ERRORS + ("Conflict",), content=chart_content,
            parameters=frame_ref + _chart_parameters())},
        "/api/frames/{frame}/correlations": {"get": operation(
            "Correlations of the numeric and boolean columns of the filtered rows", ok_body(
                columns={"type": "array", "items": STRING},
                matrix={"type": "array", "items": {"type": "array", "items": NUMBER_OR_NULL}},
                rows=COUNT, method={"enum": list(METHODS)}, note=NULLABLE_STRING),
            VIEW_ERRORS + ("Conflict",), parameters=frame_ref + [
                query("method", {"enum": list(METHODS)}, "default pearson",
                      empty_is_absent=False), FILTER, CLIENT])},
        "/api/upload": _upload_paths(),
        "/shutdown": {"post": operation(
            "Stop the server after answering", ok_body(stopping={"const": True}),
            AUTH + ("Conflict",), description="409 for an app embedded with create_app, "
                                              "which has no server of its own.")},
    }


def _upload_paths() -> dict:
    import sys

    from .openapi_upload import upload_paths

    return upload_paths(sys.modules[__name__])


def _format_parameters() -> list[dict]:
    from .openapi_formats import export_parameters

    return export_parameters(query, json_query, FLAGS)


def _all_paths() -> dict:
    import sys

    from .openapi_analysis import analysis_paths
    from .openapi_steps import paths as step_paths

    return {**_paths(), **step_paths(operation, ok_body, ref, FRAME, COUNT, FRAME_ERRORS),
            **analysis_paths(sys.modules[__name__])}


def openapi_document(server_url: str = "/") -> dict:
    """The OpenAPI 3.1 document of the JSON API, its server at ``server_url``."""
    __version__ = _installed_version()

    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "dtale_lite", "version": __version__,
                 "description": "The JSON API of a dtale_lite viewer. Every route but /health "
                                "needs the server's key; every error is the Error object."},
        "servers": [{"url": server_url or "/"}],
        "security": [{"keyQuery": []}, {"keyHeader": []}],
        "paths": _all_paths(),
        "components": {
            "schemas": SCHEMAS, "responses": RESPONSES,
            "securitySchemes": {
                "keyQuery": {"type": "apiKey", "in": "query", "name": KEY_PARAM},
                "keyHeader": {"type": "apiKey", "in": "header", "name": KEY_HEADER}},
        },
    }


def _installed_version() -> str:
    # From the installed distribution, not ``dtale_lite.__version__``: the package's top imports
    # this layer, so importing it back would close a circle.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dtale_lite")
    except PackageNotFoundError:
        return "0+unknown"
