"""The OpenAPI paths of Load data (``server/upload.py``), beside ``openapi.py``."""
from __future__ import annotations

from ..frames.loaders import UPLOAD_FORMATS


def upload_paths(base) -> dict:
    """Load data (the grid's dialog): the limits, and the upload of a file or a URL.
    ``base`` is the openapi module (its schemas and helpers), passed in so that this module
    does not import it back."""
    count, string = base.COUNT, base.STRING
    frame = base.ok_body(id=count, name=string, rows=count, columns=count, url=string)
    post = base.operation(
        "Load a CSV, TSV, Parquet, JSON or Excel file (or a URL) into a new frame", frame,
        ("BadRequest",) + base.AUTH + ("Conflict", "PayloadTooLarge"),
        description="400: no file, an unknown format or a file its reader refuses; 403 also "
                    "for a URL on a server started without allow_url_loads; 409: `name` is "
                    "taken; 413: over `max_bytes` (GET). Nothing is registered on an error.")
    fields = {"file": {"type": "string", "format": "binary"},
              "url": {**base.STRING, "description": "http(s), only with allow_url_loads"},
              "name": {**base.STRING, "description": "the new frame's name (default: the file's)"},
              "format": {"enum": sorted(UPLOAD_FORMATS),
                         "description": "default: from the file name"}}
    post["requestBody"] = {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "properties": fields}}}}
    limits = base.ok_body(max_bytes=base.COUNT, formats={"type": "array", "items": base.STRING},
                     from_url={"type": "boolean"})
    return {"get": base.operation("What Load data accepts: the size limit, formats, URLs", limits,
                             base.AUTH), "post": post}
