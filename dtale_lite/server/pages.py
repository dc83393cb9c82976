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
from ..backends.reader import Reader

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
    """Every frame as ``{"id", "name", "rows", "columns", "url"}`` (the API's and the index's)."""
    reader = Reader(state().registry)
    return [{"id": e.id, "name": e.name, "rows": reader.count(e).rows,
             "columns": len(e.source.columns()), "url": frame_url(e)}
            for e in state().registry.snapshots()]


@pages.get("/")
def index():
    return render_template("index.html", frames=frame_listing())


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
