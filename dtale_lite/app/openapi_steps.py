"""The steps and summaries routes in the OpenAPI document (issue 15), written from the same
tables the data layer checks steps against (``frames/steps/model.py``, ``summaries.py``).

Pure: no Flask, no Dash.
"""
from __future__ import annotations

from ..frames.steps import model
from ..frames.steps.summaries import KINDS as SUMMARY_KINDS

STRING = {"type": "string"}
ANY = {}
VERSION = {"type": ["integer", "null"], "description": "the frame's version the page saw "
                                                       "(null or absent: any)"}


def _params(table: dict) -> str:
    return "; ".join(f"`{name}`: {text}" for name, text in table.items())


def step_schema() -> dict:
    """A step: an object with `op` and the op's parameters (each op one alternative)."""
    alternatives = []
    for op, params in model.OPS.items():
        description = _params(params)
        if op == "add_column":
            description += ". Kinds: " + " | ".join(
                f"{kind} ({_params(p)})" for kind, p in model.ADD_KINDS.items())
        alternatives.append({"type": "object", "title": op, "description": description,
                             "properties": {"op": {"const": op}, "version": VERSION,
                                            **{name: ANY for name in params}},
                             "required": ["op"]})
    return {"oneOf": alternatives,
            "description": "A step. `version` (optional): the frame's version the page saw; "
                           "another one is a 409."}


def summary_schema() -> dict:
    alternatives = [{"type": "object", "title": kind, "description": _params(params),
                     "properties": {"kind": {"const": kind}, "name": {"type": ["string", "null"]},
                                    **{name: ANY for name in params}},
                     "required": ["kind"]} for kind, params in SUMMARY_KINDS.items()]
    return {"oneOf": alternatives, "description": "A summary: `kind`, its parameters, and an "
                                                  "optional `name` for the new frame."}


def paths(operation, ok_body, ref, frame_param, count, frame_errors) -> dict:
    """The steps paths, built with openapi.py's helpers (passed in: no import circle)."""
    steps_body = ok_body(steps={"type": "array", "items": {"type": "object"}}, version=count,
                         code=STRING)
    errors = ("BadRequest",) + frame_errors + ("Conflict",)
    empty = {"type": "object", "properties": {"version": VERSION}}

    def post(summary, body, answer=steps_body, description=None):
        out = operation(summary, answer, errors, parameters=[frame_param], body=body,
                        description=description)
        out["requestBody"]["required"] = True
        out["responses"]["415"] = ref("responses", "UnsupportedMediaType")
        return out

    summary_answer = ok_body(frame={"type": "object", "properties": {
        "id": count, "name": {"type": ["string", "null"]}, "url": STRING},
        "required": ["id", "name", "url"], "additionalProperties": False}, code=STRING,
        note={"type": ["string", "null"]})
    return {
        "/api/frames/{frame}/steps": {
            "get": operation("The frame's steps, its version and their pandas code",
                             steps_body, frame_errors, parameters=[frame_param]),
            "post": post("Apply a step (JSON only)", step_schema(), description=(
                "400 naming the parameter when the step does not fit (nothing is applied); "
                "409 when `version` is not the frame's; 400 naming the engine and the op for an "
                "op that Polars and DuckDB frames do not take, and for Dask frames."))},
        "/api/frames/{frame}/steps/undo": {"post": post(
            "Undo the last step (409: nothing to undo)", empty)},
        "/api/frames/{frame}/steps/redo": {"post": post(
            "Redo the last undone step (409: nothing to redo)", empty)},
        "/api/frames/{frame}/summarize": {"post": post(
            "A summary of the frame (its steps applied) as a new shown frame",
            summary_schema(), summary_answer, description=(
                "`note` says when the summary cut something (a pivot's top 50 columns). "
                "409 when `name` is taken."))},
    }
