"""The HTML pages: the list of frames and each frame's grid page, and the grid's assets.

The pages are shells; the grid fetches its rows from the JSON API. URLs they build start with
the app root (from ``create_app(app_root=...)`` or the proxy's X-Forwarded-Prefix), and carry
the key so that a link opened from the page keeps working.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Blueprint, render_template, request, send_from_directory

from .state import resolve_frame, state
from ..frames.errors import NotFound
from ..backends.footprint import memory_estimate
from ..backends.reader import Reader, engine_name

PREVIEW_ROWS = 50
PREVIEW_COLUMNS = 50

STATIC_DIR = Path(__file__).parent / "static"

pages = Blueprint("pages", __name__, template_folder="templates")
pages.url_value_preprocessor(resolve_frame)


def root() -> str:
    # request.script_root is the mount point (DispatcherMiddleware, a proxy's prefix through
    # ProxyFix); app_root is what show() was told the outside world sees.
    return state().app_root or request.script_root.rstrip("/")


def key_query() -> str:
    key = state().key
    return f"?{urlencode({'key': key})}" if key else ""


def frame_url(entry) -> str:
    return f"{root()}/frames/{entry.id}{key_query()}"


def frame_listing() -> list[dict]:
    """Every frame as ``{"id", "name", "rows", "columns", "engine", "memory_bytes",
    "memory_measure", "url"}`` (the API's and the instances page's). ``memory_bytes`` is the
    engine's cheap estimate or null (see backends/footprint.py): never a deep scan."""
    reader = Reader(state().registry)
    listing = []
    for e in state().registry.snapshots():
        memory, measure = memory_estimate(e.source)
        listing.append({"id": e.id, "name": e.name, "rows": reader.count(e).rows,
                        "columns": len(e.source.columns()), "engine": engine_name(e),
                        "memory_bytes": memory, "memory_measure": measure,
                        "url": frame_url(e)})
    return listing


def size_text(n: int | None) -> str:
    """Bytes as the instances page shows them: "1.5 MB" (powers of 1,024), "-" for unknown."""
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} B" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"  # pragma: no cover


@pages.get("/")
def index():
    """The instances page: every frame with its size, engine and memory, to open, rename
    (POST /api/frames/<frame>/rename) or remove (DELETE /api/frames/<frame>)."""
    return render_template("index.html", frames=frame_listing(), size_text=size_text,
                           key=state().key or "", root=root(),
                           script=f"{root()}/assets/instances.js{key_query()}")


@pages.get("/frames/<frame>")
def frame_page(frame):
    config = {
        "frameId": frame.id,
        "frameName": frame.name,
        "key": state().key,
        "root": root(),
        "assets": f"{root()}/assets/grid/",
        "title": f"{frame.name or f'frame {frame.id}'} - dtale_lite",
    }
    columns = frame.source.columns()
    reader = Reader(state().registry)
    index, data = reader.head(frame, PREVIEW_ROWS, [c.position for c in columns[:PREVIEW_COLUMNS]])
    # The preview is the page's content without JavaScript (and before the grid has loaded).
    preview = {"columns": [c.name for c in columns[:PREVIEW_COLUMNS]], "index": index,
               "data": data}
    return render_template("grid.html", config=config,
                           rows=reader.count(frame).rows, columns=len(columns), preview=preview)


@pages.get("/assets/<path:filename>")
def assets(filename: str):
    if not (STATIC_DIR / filename).resolve().is_relative_to(STATIC_DIR.resolve()):
        raise NotFound(f"no asset '{quote(filename)}'")
    if not (STATIC_DIR / filename).is_file():
        raise NotFound(f"no asset '{quote(filename)}'")
    return send_from_directory(STATIC_DIR, filename, max_age=0)
