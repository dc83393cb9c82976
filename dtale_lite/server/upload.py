"""Load data from the browser (issue 17): a file uploaded into a new frame, or a URL when the
server was started to allow it.

``GET /api/upload`` states the limits the Load data dialog shows; ``POST /api/upload`` takes a
multipart body with the file in ``file`` (or a ``url`` field), and optionally ``name`` and
``format``, registers the frame and answers its id and page. Thin: the files are read by
``backends/files.py`` and ``frames/loaders.py``. A bad file is a 400, a file over the limit a
413, a URL on a server that does not allow them a 403; none registers anything.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .pages import frame_url
from .registry import validate_name
from .state import state
from ..backends.files import fetch_url, read_upload
from ..frames.errors import BadRequest, Conflict, Forbidden, PayloadTooLarge
from ..frames.loaders import UPLOAD_FORMATS, name_for

uploads = Blueprint("uploads", __name__)
# The multipart envelope around the file (boundaries, the other fields) may pass the limit.
ENVELOPE_BYTES = 64 * 1024


def limits() -> dict:
    """What the dialog says: the size limit, the formats and whether URLs are loaded."""
    app_state = state()
    return {"max_bytes": app_state.max_upload_bytes, "formats": sorted(set(UPLOAD_FORMATS)),
            "from_url": app_state.allow_url_loads}


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the file is larger than this server's upload limit of "
                           f"{limit:,} bytes ({limit / 2**20:.0f} MB); it was not loaded")


@uploads.get("/api/upload")
def upload_limits():
    return jsonify({"ok": True, **limits()})


@uploads.post("/api/upload")
def upload():
    limit = state().max_upload_bytes
    if (request.content_length or 0) > limit + ENVELOPE_BYTES:
        raise too_large(limit)  # said before a byte of the body is read
    request.max_content_length = limit + ENVELOPE_BYTES  # a chunked body has no length
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise too_large(limit) from None
    stream, filename = _body_stream(form, files, limit)
    name = _new_name(form.get("name") or name_for(filename))
    frame = read_upload(stream, filename, form.get("format") or None)
    entry = state().registry.add(frame, name)
    return jsonify({"ok": True, "id": entry.id, "name": entry.name, "rows": len(frame),
                    "columns": len(frame.columns), "url": frame_url(entry)})


def _body_stream(form, files, limit: int):
    """The uploaded file's stream and name, or the URL's body when the server allows URLs."""
    upload_file = files.get("file")
    if upload_file is not None and upload_file.filename:
        stream = upload_file.stream
        stream.seek(0, 2)
        if stream.tell() > limit:
            raise too_large(limit)
        stream.seek(0)
        return stream, upload_file.filename
    url = (form.get("url") or "").strip()
    if not url:
        raise BadRequest("send the file in the multipart field 'file' (or a 'url')")
    if not state().allow_url_loads:
        raise Forbidden("this server does not load data from URLs; start it with "
                        "allow_url_loads=True (show(), create_app()) or "
                        "dtale-lite --allow-url-loads to allow it")
    return fetch_url(url, limit)


def _new_name(wanted: str) -> str:
    """``wanted`` if no frame has it; a name from a file gets _2, _3 ... instead of replacing
    a frame (an upload never replaces one)."""
    try:
        validate_name(wanted)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    taken = {s.name for s in state().registry.snapshots()}
    if wanted not in taken:
        return wanted
    if request.form.get("name"):
        raise Conflict(f"a frame named '{wanted}' is shown already; choose another name")
    n = 2
    while f"{wanted[:60]}_{n}" in taken:
        n += 1
    return f"{wanted[:60]}_{n}"
