"""The JSON routes. Thin: parse the request, call the data layer, wrap the answer.

Every answer is ``{"ok": true, ...}``; every error goes through ``app._error_response``.
GET routes only read; reporting a grid's view, removing a frame or stopping the server uses
POST/DELETE.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context

from .state import resolve_frame, state
from ..frames.errors import BadRequest, Conflict
from .grid_view import parse_grid_view, view_code, view_of_args
from .pages import frame_listing
from ..backends.reader import Reader, engine_name
from ..frames.view import Planner, column_by_name, parse_view, parse_window

api = Blueprint("api", __name__)
MAX_VIEW_BYTES = 4_000_000  # a 10,000-character filter and the names of 100,000 columns
api.url_value_preprocessor(resolve_frame)


def ok(**payload):
    return jsonify({"ok": True, **payload})


CLIENT_HEADER = "X-Dtale-Lite-Client"


def reader() -> Reader:
    return Reader(state().registry)


def admitted(lane: str, view=None):
    """This request's place under admission control (see admission.py): the page's client
    id comes in a header (the grid sends one per page) or the ``client`` parameter."""
    client = request.headers.get(CLIENT_HEADER) or request.args.get("client")
    return state().registry.admission.request(client, lane, view)


@api.get("/health")
def health():
    return ok()


@api.get("/api/frames")
def list_frames():
    return ok(frames=frame_listing())


@api.get("/row-count/<frame>")
def row_count(frame):
    count = reader().count(frame)
    return ok(id=frame.id, name=frame.name, rows=count.rows, rows_exact=count.exact)


@api.get("/api/frames/<frame>/schema")
def schema(frame):
    columns = [c.to_dict() for c in frame.source.columns()]
    count = reader().count(frame)
    return ok(id=frame.id, name=frame.name, engine=engine_name(frame), rows=count.rows,
              rows_exact=count.exact, columns=columns)


@api.get("/api/frames/<frame>/rows")
def rows(frame):
    columns = frame.source.columns()
    offset, limit = parse_window(request.args)
    spec = parse_view(request.args, columns)
    # A page whose view is cached computes nothing and never waits; a new sort or filter
    # waits for a slot, and is dropped if the page asks for yet another view meanwhile.
    wanted = spec.column_positions(len(columns))
    with admitted("rows", (frame.id, frame.version, spec.sort, spec.filter_key)) as ticket:
        page = reader().page(frame, spec, offset, limit, wanted)
    # positions: the rows' positions in the user's frame, which a cell edit names (pandas).
    extra = {} if page.positions is None else {"positions": page.positions}
    response = ok(offset=offset, limit=limit, total=page.total.rows,
                  total_exact=page.total.exact, columns=[columns[p].name for p in wanted],
                  index=page.index, data=page.data, **extra)
    # Whether the view had to be computed (a standard header: browsers' devtools show it;
    # the load test tells cached page reads from the others by it).
    response.headers["Server-Timing"] = "view;desc=computed" if ticket.computed else \
        "view;desc=cached"
    return response


@api.get("/api/frames/<frame>/describe")
def describe(frame):
    columns = frame.source.columns()
    column = column_by_name(request.args, columns)
    spec = parse_view(request.args, columns)
    with admitted("describe", (frame.id, frame.version, column.position, spec.filter_key)):
        figures = reader().describe(frame, column.position, spec)
    return ok(column=column.name, kind=column.kind, **figures)


@api.get("/api/frames/<frame>/export")
def export(frame):
    from ..frames.export import FORMATS

    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format '{fmt[:20]}'; use one of {', '.join(FORMATS)}")
    columns = frame.source.columns()
    spec = parse_view(request.args, columns)
    wanted = spec.column_positions(len(columns))
    names = [columns[p].name for p in wanted]
    # No client: a download supersedes nothing.
    if _flag("formatted"):
        chunks = _formatted_export(frame, spec, wanted, names, fmt, columns)
    else:
        chunks = reader().export(frame, spec, wanted, names, fmt)
    mimetype, extension = FORMATS[fmt]
    filename = f"{frame.name or f'frame-{frame.id}'}.{extension}"
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _flag(name: str) -> bool:
    raw = request.args.get(name, "")
    if raw.lower() in ("", "0", "false", "no", "off"):
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    raise BadRequest(f"parameter '{name}' must be true or false, got '{raw[:20]}'")


def _formatted_export(frame, spec, wanted, names, fmt, columns):
    """The view's JSON export, formatted by the ``formats`` parameter (formatted_export.py)."""
    from ..frames.formats import parse_formats
    from ..frames.formatted_export import (check_formatted_format, formatted_chunks,
                                           formatted_frames)

    check_formatted_format(fmt)
    formats = parse_formats(request.args.get("formats"), {c.name: c.kind for c in columns})
    formats = {name: f for name, f in formats.items() if name in names}
    frames = reader().view_frames(frame, spec, wanted, names)
    if frames is not None:
        return formatted_frames(frames, formats, fmt)
    return formatted_chunks(reader().export(frame, spec, wanted, names, "json"), names,
                            formats, fmt)


@api.get("/api/frames/<frame>/view")
def grid_view(frame):
    """The view a grid page reported last (read only), or null."""
    view = frame.grid_view
    return ok(id=frame.id, name=frame.name, view=None if view is None else view.to_dict())


@api.get("/api/frames/<frame>/code")
def code(frame):
    """Pandas code for the view in the parameters (the grid's Code button): what
    ``inst.code()`` writes for that view. A frame not shown from pandas is a 400."""
    view = view_of_args(request.args, frame.source.columns())
    series = not hasattr(state().registry.get(frame.id).data, "columns")
    try:
        text = view_code(frame, view, Planner.of(state().registry), series=series)
    except TypeError as error:
        raise BadRequest(f"no pandas code for this frame: {error}") from None
    return ok(id=frame.id, name=frame.name, code=text)


@api.post("/api/frames/<frame>/view")
def report_grid_view(frame):
    """A grid page reports what it shows (issue 7); ``Instance.view()`` reads it back."""
    if (request.content_length or 0) > MAX_VIEW_BYTES:
        raise BadRequest(f"a view report is at most {MAX_VIEW_BYTES:,} bytes")
    columns = frame.source.columns()
    # An empty body reports the frame as it is: every row and column, in order.
    body = request.get_json(force=True, silent=True) if request.get_data() else {}
    view = parse_grid_view(body, columns)
    # Compute (or find cached: the page fetched these rows already) the filter's mask, so a
    # filter that names a column of the wrong kind is a 400 now, not in view() later.
    reader().check_filter(frame, view.spec(columns))
    stored = state().registry.report_view(frame, view)
    return ok(id=frame.id, name=frame.name, stored=stored, view=view.to_dict())


@api.delete("/api/frames/<frame>")
def delete_frame(frame):
    state().registry.remove(frame.id)
    return ok(id=frame.id, name=frame.name, removed=True)


@api.post("/api/frames/<frame>/rename")
def rename_frame(frame):
    """A new name for a frame (its id and URLs stay): JSON body ``{"name": "..."}``."""
    body = request.get_json(force=True, silent=True)
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str):
        raise BadRequest('send the new name as a JSON body {"name": "..."}')
    entry = state().registry.rename(frame.id, name)
    return ok(id=entry.id, name=entry.name, previous=frame.name)


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

