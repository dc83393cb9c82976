"""The analysis pages' callbacks, registered on the chart app's instance (never
``dash.callback``): read the settings from the URL (first draw) or the controls, call the
analysis service, and map its answer onto the page. Errors become a message where the figure
would be; a request superseded by a newer one from the same page changes nothing.
"""
from __future__ import annotations

import json
import logging

from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from ...frames.errors import DtaleLiteError, Superseded
from .. import controls
from .pages import ALL_CONTROLS, TITLES
from .service import Analysis

log = logging.getLogger("dtale_lite")
EMPTY_FIGURE = {"data": [], "layout": {}}
PARAMS = ("column", "method", "columns", "x", "y", "freq", "window", "filter")
NUMERIC = ("int", "float")


def analysis_view(pathname: str | None, requests_prefix: str) -> tuple[str | None, str | None]:
    """(frame reference, analysis view) of a page path, (None, None) for another page."""
    frame_ref, view = controls.frame_from_path(pathname, requests_prefix)
    return (frame_ref, view) if view in TITLES else (None, None)


def settings(view: str, args: dict, columns) -> dict:
    """The page's settings from URL arguments, with defaults that fit the frame's columns."""
    numeric = [c.name for c in columns if c.kind in NUMERIC]
    times = [c.name for c in columns if c.kind == "datetime"]
    out = {name: args.get(name) or None for name in PARAMS}
    if view == "outliers":
        out["column"] = out["column"] or (numeric[0] if numeric else None)
        out["method"] = out["method"] or "iqr"
    if view == "timeseries":
        out["x"] = out["x"] or (times[0] if times else None)
        out["y"] = out["y"] or (numeric[0] if numeric else None)
    return out


def _compute(service: Analysis, view, frame_ref, s: dict, client):
    common = {"filter_text": s["filter"], "client": client}
    if view == "missing":
        return service.missing(frame_ref, **common)
    if view == "outliers":
        return service.outliers(frame_ref, s["column"], s["method"], **common)
    if view == "duplicates":
        return service.duplicates(frame_ref, s["columns"], **common)
    return service.timeseries(frame_ref, s["x"], s["y"], s["freq"], s["window"], **common)


def _summary(view: str, answer: dict) -> str:
    if view == "missing":
        total = sum(c["missing"] for c in answer["columns"])
        return f"{answer['rows']:,} rows, {total:,} missing cells"
    if view == "outliers":
        if answer["low"] is None:
            return f"{answer['rows']:,} rows, no values to judge"
        return f"{answer['count']:,} of {answer['rows']:,} rows outside " \
               f"[{answer['low']:.6g}, {answer['high']:.6g}]"
    if view == "duplicates":
        return f"{answer['rows']:,} repeated rows of {answer['total']:,}"
    return f"{answer['rows']:,} rows, {answer['periods']:,} {answer['freq']} periods"


def register_analysis(dash_app, app_state, prefix: str) -> None:
    requests_prefix = f"{prefix}/charts/"
    root = prefix
    service = Analysis(app_state.charts)
    control_inputs = [Input(f"an-{name}", "value") for name in ALL_CONTROLS]

    @dash_app.callback(
        Output("an-graph", "figure"), Output("an-message", "children"),
        Output("an-message", "hidden"), Output("an-note", "children"),
        Output("an-note", "hidden"), Output("an-summary", "children"),
        Output("an-title", "children"), Output("an-grid-link", "href"),
        Output("an-chart-link", "href"), Output("an-show-rows", "href"),
        Output("an-show-rows", "hidden"), Output("an-code", "children"),
        Output("an-column", "options"), Output("an-columns", "options"),
        Output("an-x", "options"), Output("an-y", "options"),
        *[Output(f"an-{name}", "value") for name in ALL_CONTROLS + ("filter",)],
        Output("an-url", "search"),
        Input("an-url", "pathname"), *control_inputs, Input("an-filter", "value"),
        State("an-url", "search"), State("client", "data"))
    def draw_analysis(pathname, *values):
        *control_values, filter_value, search, client = values
        frame_ref, view = analysis_view(pathname, requests_prefix)
        if frame_ref is None:
            raise PreventUpdate
        if ctx.triggered_id in (None, "an-url"):  # first draw: settings from the URL
            args = dict(controls.query_pairs(search))
        else:
            args = dict(zip(ALL_CONTROLS, control_values), filter=filter_value)
            if isinstance(args.get("columns"), list):
                args["columns"] = _json_list(args["columns"])
            args = {k: ("" if v is None else str(v)) for k, v in args.items()}
        title = f"{TITLES[view]} of {frame_ref}"
        try:
            snapshot = app_state.registry.snapshot(frame_ref)
            s = settings(view, args, snapshot.source.columns())
            answer = _compute(service, view, snapshot.id, s, client)
        except Superseded:
            raise PreventUpdate from None
        except DtaleLiteError as error:
            return _failed(error.message, title)
        except Exception:  # noqa: BLE001: a message on the page, the traceback in the log
            log.exception("dtale_lite: analysis %s failed", view)
            return _failed("this page could not be drawn (internal error; see the server "
                           "log)", title)
        return _drawn(view, answer, s, snapshot, app_state.key, root, search)

    @dash_app.callback(Output("nav", "href", allow_duplicate=True),
                       Input("an-graph", "clickData"), State("an-url", "pathname"),
                       prevent_initial_call=True)
    def open_rows(click, pathname):
        """A click on a mark that stands for rows (a column's missing rows, a group of
        repeated rows) opens the grid on them: the mark's customdata is their filter."""
        points = (click or {}).get("points") or []
        custom = points[0].get("customdata") if points else None
        frame_ref, _ = analysis_view(pathname, requests_prefix)
        if frame_ref is None or not isinstance(custom, str) or not custom:
            raise PreventUpdate
        snapshot = app_state.registry.snapshot(frame_ref)
        return controls.grid_url(root, snapshot.id, app_state.key, custom)


def _failed(message: str, title: str) -> tuple:
    """draw_analysis's outputs for a page that cannot be drawn: the message, controls kept."""
    return (EMPTY_FIGURE, message, False, None, True, "", title, None, None, None, True, "",
            *([no_update] * 4), *([no_update] * (len(ALL_CONTROLS) + 1)), no_update)


def _drawn(view: str, answer: dict, s: dict, snapshot, key, root: str, search) -> tuple:
    """draw_analysis's outputs for an answer: figure, texts, links, controls and the URL."""
    columns = snapshot.source.columns()
    label = snapshot.name or f"frame {snapshot.id}"
    shown = answer.get("filter") if view in ("outliers", "duplicates") else None
    message = answer.get("message")
    names = [c.name for c in columns]
    numeric = [c.name for c in columns if c.kind in NUMERIC]
    times = [c.name for c in columns if c.kind == "datetime"]
    params = [(k, v) for k, v in _page_params(view, s) if v]
    chosen = {**s, "columns": answer.get("columns") if view == "duplicates" else None,
              "freq": answer.get("freq") if view == "timeseries" else s["freq"],
              "window": answer.get("window") if view == "timeseries" else None}
    return (
        answer["figure"], message, not message, answer.get("note"), not answer.get("note"),
        _summary(view, answer), f"{TITLES[view]} of {label}",
        controls.grid_url(root, snapshot.id, key, s["filter"]),
        controls.chart_page_url(root, snapshot.id, key,
                                [("filter", s["filter"])] if s["filter"] else []),
        controls.grid_url(root, snapshot.id, key, shown) if shown else None,
        not shown, answer["code"],
        _options(numeric), _options(names), _options(times), _options(numeric),
        *[chosen.get(name) for name in ALL_CONTROLS], s["filter"] or "",
        controls.page_search(search, params, PARAMS))


def _page_params(view: str, s: dict) -> list[tuple[str, str]]:
    out = {"outliers": [("column", s["column"]), ("method", s["method"])],
           "duplicates": [("columns", s["columns"])],
           "timeseries": [("x", s["x"]), ("y", s["y"]), ("freq", s["freq"]),
                          ("window", s["window"])]}.get(view, [])
    return out + [("filter", s["filter"])]


def _options(names) -> list[dict]:
    return [{"label": n, "value": n} for n in names]


def _json_list(values) -> str:
    return json.dumps(values) if values else ""
