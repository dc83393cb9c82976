"""The JSON routes. Thin: parse the request, call the data layer, wrap the answer.

Every answer is ``{"ok": true, ...}``; every error goes through ``app._error_response``.
GET routes only read; removing a frame or stopping the server uses DELETE/POST.
"""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, jsonify, request, stream_with_context

from .app import resolve_frame, state
from .errors import BadRequest, Conflict
from .pages import frame_listing
from .view import Planner, column_by_name, parse_view, parse_window, window

api = Blueprint("api", __name__)
api.url_value_preprocessor(resolve_frame)


def ok(**payload):
    return jsonify({"ok": True, **payload})


def planner() -> Planner:
    return Planner(state().registry.cache)


@api.get("/health")
def health():
    return ok()


@api.get("/api/openapi.json")
def openapi():
    from .openapi import openapi_document
    from .pages import root

    # The document itself, not wrapped in {"ok": true}: OpenAPI tools read it as it is.
    return jsonify(openapi_document(server_url=root() or "/"))


@api.get("/api/frames")
def list_frames():
    return ok(frames=frame_listing())


@api.get("/row-count/<frame>")
def row_count(frame):
    return ok(id=frame.id, name=frame.name, rows=frame.source.row_count())


@api.get("/api/frames/<frame>/schema")
def schema(frame):
    columns = [c.to_dict() for c in frame.source.columns()]
    return ok(id=frame.id, name=frame.name, rows=frame.source.row_count(), columns=columns)


@api.get("/api/frames/<frame>/rows")
def rows(frame):
    columns = frame.source.columns()
    offset, limit = parse_window(request.args)
    spec = parse_view(request.args, columns)
    positions = planner().positions(frame, spec)
    total = frame.source.row_count() if positions is None else len(positions)
    wanted = spec.column_positions(len(columns))
    index, data = frame.source.rows(window(positions, total, offset, limit), wanted)
    return ok(offset=offset, limit=limit, total=total,
              columns=[columns[p].name for p in wanted], index=index, data=data)


@api.get("/api/frames/<frame>/describe")
def describe(frame):
    columns = frame.source.columns()
    column = column_by_name(request.args, columns)
    spec = parse_view(request.args, columns)
    # Sorting does not change a description; only the filter matters.
    positions = planner().positions(frame, replace(spec, sort=()))
    return ok(column=column.name, kind=column.kind, **frame.source.describe(column.position,
                                                                            positions))


@api.get("/api/frames/<frame>/export")
def export(frame):
    from .export import FORMATS

    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format '{fmt[:20]}'; use one of {', '.join(FORMATS)}")
    columns = frame.source.columns()
    spec = parse_view(request.args, columns)
    positions = planner().positions(frame, spec)
    wanted = spec.column_positions(len(columns))
    chunks = frame.source.export(positions, wanted, [columns[p].name for p in wanted], fmt)
    mimetype, extension = FORMATS[fmt]
    filename = f"{frame.name or f'frame-{frame.id}'}.{extension}"
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@api.delete("/api/frames/<frame>")
def delete_frame(frame):
    state().registry.remove(frame.id)
    return ok(id=frame.id, name=frame.name, removed=True)


@api.post("/shutdown")
def shutdown():
    hook = state().on_shutdown
    if hook is None:
        raise Conflict("this app is embedded in another server and has no server of its own "
                       "to stop")
    response = ok(stopping=True)
    # Stop after the answer is sent: shutting down from inside the request would cut it off.
    response.call_on_close(hook)
    return response

