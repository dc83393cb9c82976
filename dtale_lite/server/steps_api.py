"""The steps and summaries routes (issue 15). Thin: read the JSON body, call frame_steps.

Every POST needs the key (as every route) and a JSON body sent as ``application/json``: a
cross-site HTML form (urlencoded or multipart) cannot apply a step.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..frames.errors import BadRequest, UnsupportedMediaType
from . import frame_steps
from .state import resolve_frame, state

steps_api = Blueprint("steps_api", __name__)
steps_api.url_value_preprocessor(resolve_frame)
MAX_BODY_BYTES = 1_000_000


def json_body() -> dict:
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise BadRequest(f"a step is at most {MAX_BODY_BYTES:,} bytes")
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def ok(**payload):
    return jsonify({"ok": True, **payload})


@steps_api.get("/api/frames/<frame>/steps")
def list_steps(frame):
    return ok(**frame_steps.listing(state().registry.get(frame.id)))


@steps_api.post("/api/frames/<frame>/steps")
def apply_step(frame):
    body = json_body()
    return ok(**frame_steps.change(state().registry, frame.id, "apply", body))


@steps_api.post("/api/frames/<frame>/steps/undo")
def undo(frame):
    body = json_body()
    return ok(**frame_steps.change(state().registry, frame.id, "undo", body))


@steps_api.post("/api/frames/<frame>/steps/redo")
def redo(frame):
    body = json_body()
    return ok(**frame_steps.change(state().registry, frame.id, "redo", body))


@steps_api.post("/api/frames/<frame>/summarize")
def summarize(frame):
    body = json_body()
    entry, code, note = frame_steps.make_summary(state().registry, frame.id, body)
    from .pages import frame_url

    return ok(frame={"id": entry.id, "name": entry.name, "url": frame_url(entry)}, code=code,
              note=note)
