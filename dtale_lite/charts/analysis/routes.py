"""The analysis pages' JSON routes: thin, behind the same key, filter and error shape as the
chart route (``GET /api/frames/<frame>/chart``). Each answers ``{ok, ..., figure, code}``."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ...server.state import resolve_frame, state
from .service import Analysis

analysis_api = Blueprint("analysis_api", __name__)
analysis_api.url_value_preprocessor(resolve_frame)


def _analysis() -> Analysis:
    return Analysis(state().charts)


def _common() -> dict:
    return {"filter_text": request.args.get("filter") or None,
            "client": request.args.get("client")}


@analysis_api.get("/api/frames/<frame>/missing")
def missing(frame):
    return jsonify({"ok": True, **_analysis().missing(frame, **_common())})


@analysis_api.get("/api/frames/<frame>/outliers")
def outliers(frame):
    args = request.args
    return jsonify({"ok": True, **_analysis().outliers(
        frame, args.get("column"), args.get("method") or "iqr", **_common())})


@analysis_api.get("/api/frames/<frame>/duplicates")
def duplicates(frame):
    return jsonify({"ok": True, **_analysis().duplicates(frame, request.args.get("columns"),
                                                         **_common())})


@analysis_api.get("/api/frames/<frame>/timeseries")
def timeseries(frame):
    args = request.args
    return jsonify({"ok": True, **_analysis().timeseries(
        frame, args.get("x"), args.get("y"), args.get("freq"), args.get("window"),
        **_common())})
