"""The chart pages' callbacks, registered on one Dash app's instance (never ``dash.callback``).

Each callback is thin: it turns component values into query parameters (``controls``), calls
the charts service or a pure function (``spec``, ``selection``), and maps the answer onto
components. A request superseded by a newer one from the same page changes nothing; any other
error becomes a message where the chart would be, never a traceback.
"""
from __future__ import annotations

import logging

from dash import ClientsideFunction, Input, Output, State, ctx, no_update
from dash.exceptions import MissingCallbackContextException, PreventUpdate

from ..frames.errors import DtaleLiteError, Superseded
from . import controls, layout
from .analysis.callbacks import register_analysis
from .analysis.pages import VIEWS as ANALYSIS_VIEWS, analysis_page
from .correlations import correlation_figure
from .selection import filter_for_point, filter_for_range
from .spec import AGGREGATIONS, CHART_TYPES, EXTRA_ROLES, FREQUENCIES, parse_chart_spec

log = logging.getLogger("dtale_lite")

CONTROLS = ("type", "x", "y", "y2", "z", "path", "open", "high", "low", "close", "color",
            "facet", "group", "agg", "freq", "bins", "log", "barmode", "dropna", "filter",
            *EXTRA_ROLES)
# The property each control keeps its setting in.
CONTROL_PROPS = {name: "value" for name in CONTROLS}
EMPTY_FIGURE = {"data": [], "layout": {}}
# The dropdowns whose choices the callback sets (so a value from the URL that is not a choice
# can be added, see ``controls.with_unknown_options``).
OPTIONED = ("type", "agg", "freq") + controls.ROLE_NAMES
TYPE_OPTIONS = [{"label": layout.TYPE_LABELS[t], "value": t} for t in CHART_TYPES]
AGG_OPTIONS = [{"label": layout.AGG_LABELS[a], "value": a} for a in AGGREGATIONS]
FREQ_OPTIONS = [{"label": f, "value": f} for f in FREQUENCIES]


def register(dash_app, app_state, prefix: str):
    """Register the chart pages' callbacks on ``dash_app``, serving ``app_state``'s frames to
    pages under ``<prefix>/charts/``. Returns ``first_page(page_url)``: the page for a chart
    page's path and query, already drawn, for the layout (see ``layout.page_shell``)."""
    requests_prefix = f"{prefix}/charts/"
    root = prefix

    def columns_of(frame_ref):
        return app_state.registry.snapshot(frame_ref).source.columns()

    @dash_app.callback(Output("page", "children"), Input("url", "pathname"),
                       State("page-drawn", "data"))
    def route(pathname, drawn_by_layout):
        if drawn_by_layout:
            raise PreventUpdate  # the layout already holds this page
        _, view = controls.frame_from_path(pathname, requests_prefix)
        return _page_of(view)

    outputs = {
        **{name: Output(f"chart-{name}", CONTROL_PROPS[name]) for name in CONTROLS},
        **{f"options_{name}": Output(f"chart-{name}", "options") for name in OPTIONED},
        **{f"hide_{field}": Output(f"field-{field}", "hidden")
           for field in ("x", "y", "y2", "z", "path", "open", "high", "low", "close", "color",
                         "facet", *EXTRA_ROLES, "group", "agg", "freq", "bins", "barmode",
                         "dropna")},
        "figure": Output("chart-graph", "figure"),
        "hide_graph": Output("chart-graph-box", "hidden"),
        "message": Output("chart-message", "children"),
        "hide_message": Output("chart-message", "hidden"),
        "note": Output("chart-note", "children"),
        "hide_note": Output("chart-note", "hidden"),
        "rows": Output("chart-rows", "children"),
        "code": Output("chart-code", "children"),
        "export_html": Output("chart-export-html", "href"),
        "export_csv": Output("chart-export-csv", "href"),
        "search": Output("chart-url", "search"),
        "spec": Output("chart-spec", "data"),
        "defaults": Output("chart-defaults", "data"),
        "reduction": Output("chart-reduction", "data"),
        "title": Output("chart-title", "children"),
        "grid_link": Output("chart-grid-link", "href"),
        "corr_link": Output("chart-corr-link", "href"),
    }
    inputs = {
        "pathname": Input("chart-url", "pathname"), "search": Input("chart-url", "search"),
        **{name: Input(f"chart-{name}", CONTROL_PROPS[name]) for name in CONTROLS},
        "relayout": Input("chart-zoom", "data"),
        "client": State("client", "data"), "reduction": State("chart-reduction", "data"),
        "drawn": State("chart-spec", "data"), "defaults": State("chart-defaults", "data"),
    }

    # Only zooms reach draw_chart: an autosize report right after a zoom would make Dash drop
    # the zoom's answer as outdated (assets/zoom-relay.js says more).
    dash_app.clientside_callback(ClientsideFunction("dtaleLite", "zoomOnly"),
                                 Output("chart-zoom", "data"),
                                 Input("chart-graph", "relayoutData"))

    @dash_app.callback(output=outputs, inputs=inputs)
    def draw_chart(pathname, search, relayout, client, reduction, drawn, defaults, **values):
        if pathname is None:
            raise PreventUpdate  # the Location has not read the browser's URL yet
        frame_ref, _ = controls.frame_from_path(pathname, requests_prefix)
        trigger = _trigger(_triggered_prop_ids())
        if trigger is None and drawn is not None:
            raise PreventUpdate  # the page's first call: the layout drew this chart already
        if trigger == "chart-zoom":
            ranges = controls.ranges_from_relayout(relayout)
            if ranges is None or reduction not in controls.REZOOM_REDUCTIONS:
                if _controls_match_drawn(values, drawn, defaults, columns_or_none(frame_ref)):
                    raise PreventUpdate  # an ordinary zoom: Plotly redraws it by itself
                # A control changed while this relayout (Plotly's autosize, say) was on its
                # way: Dash drops the older answer to that change as outdated, so this one
                # must draw it.
                trigger = "controls"
            else:
                args = {name: value for name, value in controls.args_from_search(search).items()
                        if name not in controls.RANGE_PARAMS}
                args.update(ranges)
        elif trigger in (None, "chart-url"):
            args = controls.args_from_search(search)
            if drawn is not None and trigger == "chart-url" and _same(args, drawn):
                raise PreventUpdate  # the URL change this callback itself just made
        if trigger not in (None, "chart-url", "chart-zoom"):
            args = controls.args_from_controls(values, defaults)
        try:
            columns = columns_of(frame_ref)
            if trigger not in (None, "chart-url", "chart-zoom"):
                args = controls.fit_to_type(args, columns)
            spec = parse_chart_spec(args, columns,
                                    default=lambda: app_state.charts.default_spec(frame_ref))
        except DtaleLiteError as error:
            return _unparsed(args, error.message, frame_ref, search, columns_or_none(frame_ref))
        try:
            result = app_state.charts.chart(frame_ref, spec, client=client)
        except Superseded:
            raise PreventUpdate from None  # a newer request from this page will answer
        except DtaleLiteError as error:
            return _unparsed(args, error.message, frame_ref, search, columns)
        except Exception:  # noqa: BLE001: a message on the page, the traceback in the log
            log.exception("dtale_lite: chart failed for %r", spec)
            return _unparsed(args, "this chart could not be drawn (internal error; see the "
                             "server log)", frame_ref, search, columns)
        params = controls.page_params(spec, args)
        snapshot = app_state.registry.snapshot(frame_ref)
        return {
            **_controls_out(controls.control_values(spec, result.used), spec.type, spec.x,
                            columns),
            **_chart_out(result),
            "code": result.code,
            "export_html": controls.chart_route_url(root, snapshot.id, app_state.key,
                                                    params, "html"),
            "export_csv": controls.chart_route_url(root, snapshot.id, app_state.key,
                                                   params, "csv"),
            "search": controls.page_search(search, params),
            "spec": params, "reduction": result.reduction,
            "defaults": controls.defaults_used(spec, result.used),
            **_header_out(root, snapshot, app_state.key, spec.filter),
        }

    def columns_or_none(frame_ref):
        try:
            return columns_of(frame_ref)
        except DtaleLiteError:
            return []

    def _unparsed(args, message, frame_ref, search, columns):
        """The page for settings that cannot be drawn: the message where the chart would be,
        the controls as they were (so they can be fixed)."""
        values = controls.control_values_from_args(args)
        return {
            **_controls_out(values, values["type"], values["x"], columns),
            "figure": EMPTY_FIGURE, "hide_graph": True, "message": message,
            "hide_message": False, "note": None, "hide_note": True, "rows": "", "code": "",
            "export_html": None, "export_csv": None,
            "search": controls.page_search(search, controls.page_params(None, args)),
            "spec": None, "defaults": None, "reduction": None,
            "title": f"Chart of {frame_ref}",
            "grid_link": None, "corr_link": None,
        }

    def _header_out(root_path, snapshot, key, filter_text):
        label = snapshot.name or f"frame {snapshot.id}"
        return {
            "title": f"Chart of {label}",
            "grid_link": controls.grid_url(root_path, snapshot.id, key, filter_text),
            "corr_link": f"{root_path}/charts/{snapshot.id}/correlations?" + controls.with_key(
                [("filter", filter_text)] if filter_text else [], key),
        }

    @dash_app.callback(
        Output("chart-show-rows", "href"), Output("chart-show-rows", "hidden"),
        Output("chart-selection", "children"), Output("chart-selection", "hidden"),
        Input("chart-graph", "clickData"), Input("chart-graph", "selectedData"),
        State("chart-spec", "data"), State("chart-url", "pathname"), prevent_initial_call=True)
    def show_selection(click, selected, params, pathname):
        frame_ref, _ = controls.frame_from_path(pathname, requests_prefix)
        if not params:
            raise PreventUpdate
        try:
            snapshot = app_state.registry.snapshot(frame_ref)
            spec = parse_chart_spec(_args(params), snapshot.source.columns())
            kinds = {c.name: c.kind for c in snapshot.source.columns()}
            filter_text = _selection_filter(spec, kinds, click, selected,
                                            ctx.triggered_prop_ids)
        except DtaleLiteError as error:
            return None, True, error.message, False
        if filter_text is None:
            return None, True, None, True
        return (controls.grid_url(root, snapshot.id, app_state.key, filter_text), False,
                filter_text, False)

    register_correlations(dash_app, app_state, prefix)
    register_analysis(dash_app, app_state, prefix)

    def first_page(page_url: str | None):
        """The page at ``page_url`` (the browser's path and query, sent with the layout
        request by ``assets/key-header.js``): the builder with its controls and figure
        filled in as ``draw_chart`` would fill them, or the correlations view (drawn by its
        own callback). None without a URL: the routing callback then fills the page.

        Drawing the first chart here saves the page two round trips (routing, then drawing)
        and lets the graph load plotly.js as soon as the page renders (issue 17)."""
        if not page_url:
            return None
        path, _, query = page_url.partition("?")
        frame_ref, view = controls.frame_from_path(path, requests_prefix)
        if frame_ref is None:
            return None
        if view != "chart":
            # Correlations and the analysis pages draw in their own callbacks.
            return _page_of(view)
        page = layout.builder()
        try:
            drawn = draw_chart(path, f"?{query}", None, None, None, None, None,
                               **{name: None for name in CONTROLS})
        except (PreventUpdate, Superseded):
            return None
        for name, value in drawn.items():
            if name != "search" and value is not no_update:
                output = outputs[name]
                setattr(page[output.component_id], output.component_property, value)
        # The path only: the Location reads the query from the browser as it mounts, which
        # calls draw_chart once, to put the settings it drew into the URL if they are not.
        page["chart-url"].pathname = path
        return page

    return first_page


def _page_of(view: str):
    """The page for a view other than the builder's (drawn by its own callback)."""
    if view == "correlations":
        return layout.correlations()
    if view in ANALYSIS_VIEWS:
        return analysis_page(view)
    return layout.builder()


def _triggered_prop_ids():
    """The callback's triggering properties; none outside a callback (the layout's own draw)."""
    try:
        return ctx.triggered_prop_ids
    except (MissingCallbackContextException, LookupError):  # LookupError: in a new thread
        return {}


def _selection_filter(spec, kinds, click, selected, prop_ids) -> str | None:
    """The filter for what was clicked or box-selected, None when nothing is."""
    if any(p.endswith(".selectedData") for p in prop_ids):
        box = (selected or {}).get("range")
        if not box:
            return None
        return filter_for_range(spec, tuple(box["x"]) if "x" in box else None,
                                tuple(box["y"]) if "y" in box else None, kinds)
    points = (click or {}).get("points") or []
    return filter_for_point(spec, points[0]) if points else None


def _args(params) -> dict:
    """Query parameters (a list of pairs, as stored) as the args ``parse_chart_spec`` takes."""
    args: dict = {}
    for name, value in params:
        if name in controls.LIST_PARAMS:
            args.setdefault(name, []).append(value)
        else:
            args[name] = value
    return args


CONTROL_IDS = {f"chart-{name}" for name in CONTROLS}


def _trigger(prop_ids) -> str | None:
    """What one request of ``draw_chart`` answers: a control change wins over a URL change,
    which wins over a zoom. Dash batches inputs that changed together (Plotly reports its
    autosize ``relayoutData`` as a type is picked), and the first id it lists is arbitrary:
    answering the zoom alone would drop the user's change."""
    ids = [prop.split(".", 1)[0] for prop in prop_ids or ()]
    for id_ in ids:
        if id_ in CONTROL_IDS:
            return id_
    for id_ in ("chart-url", "chart-zoom"):
        if id_ in ids:
            return id_
    return None


def _controls_match_drawn(values: dict, drawn, defaults, columns) -> bool:
    """Whether the controls show the chart that is drawn (zoom ranges aside)."""
    if not drawn or not columns:
        return True
    try:
        shown = parse_chart_spec(controls.fit_to_type(
            controls.args_from_controls(values, defaults), columns), columns)
        params = {k: v for k, v in _args(drawn).items() if k not in controls.RANGE_PARAMS}
        return parse_chart_spec(params, columns) == shown
    except DtaleLiteError:
        return True  # settings that cannot be drawn: the control's own callback says so


def _same(args: dict, params) -> bool:
    return args == {k: v for k, v in _args(params).items()}


def _controls_out(values: dict, chart_type, x, columns) -> dict:
    offered = controls.control_options(chart_type, x, columns, values.get("animate_by"))
    out = dict(values)
    fixed = {"type": TYPE_OPTIONS, "agg": AGG_OPTIONS, "freq": FREQ_OPTIONS}
    for name in OPTIONED:
        options = fixed.get(name) or [{"label": n, "value": n}
                                      for n in offered["options"][name]]
        # A setting the page cannot draw stays in its box, next to the message saying why.
        out[f"options_{name}"] = controls.with_unknown_options(options, values.get(name))
    for field, shown in offered["shown"].items():
        out[f"hide_{field}"] = not shown
    return out


def _chart_out(result) -> dict:
    if result.message:
        return {"figure": EMPTY_FIGURE, "hide_graph": True, "message": result.message,
                "hide_message": False, "note": result.note, "hide_note": not result.note,
                "rows": f"{result.rows:,} rows"}
    return {"figure": result.figure, "hide_graph": False, "message": None,
            "hide_message": True, "note": result.note, "hide_note": not result.note,
            "rows": f"{result.rows:,} rows, {result.points:,} marks"}


def register_correlations(dash_app, app_state, prefix: str) -> None:
    requests_prefix = f"{prefix}/charts/"
    root = prefix

    @dash_app.callback(
        Output("corr-graph", "figure"), Output("corr-message", "children"),
        Output("corr-message", "hidden"), Output("corr-rows", "children"),
        Output("corr-title", "children"), Output("corr-grid-link", "href"),
        Output("corr-chart-link", "href"), Output("corr-method", "value"),
        Output("corr-filter", "value"), Output("corr-url", "search"),
        Input("corr-url", "pathname"), Input("corr-method", "value"),
        Input("corr-filter", "value"), State("corr-url", "search"), State("client", "data"))
    def draw_correlations(pathname, method, filter_text, search, client):
        if pathname is None:
            raise PreventUpdate  # the Location has not read the browser's URL yet
        frame_ref, _ = controls.frame_from_path(pathname, requests_prefix)
        if ctx.triggered_id in (None, "corr-url"):  # first draw: settings from the URL
            args = dict(controls.query_pairs(search))
            method, filter_text = args.get("method", "pearson"), args.get("filter", "")
        try:
            snapshot = app_state.registry.snapshot(frame_ref)
            result = app_state.charts.correlations(frame_ref, method, filter_text or None,
                                                   client=client)
        except Superseded:
            raise PreventUpdate from None
        except DtaleLiteError as error:
            return (EMPTY_FIGURE, error.message, False, "", f"Correlations of {frame_ref}",
                    None, None, method, filter_text, no_update)
        params = [("method", method)] + ([("filter", filter_text)] if filter_text else [])
        key = app_state.key
        label = snapshot.name or f"frame {snapshot.id}"
        return (correlation_figure(result), None, True, f"{result['rows']:,} rows",
                f"Correlations of {label}",
                controls.grid_url(root, snapshot.id, key, filter_text or None),
                controls.chart_page_url(root, snapshot.id, key, params[1:]),
                method, filter_text,
                controls.page_search(search, params, ("method", "filter")))

    @dash_app.callback(Output("nav", "href"), Input("corr-graph", "clickData"),
                       State("corr-url", "pathname"), State("corr-url", "search"),
                       prevent_initial_call=True)
    def open_pair(click, pathname, search):
        points = (click or {}).get("points") or []
        if not points:
            raise PreventUpdate
        frame_ref, _ = controls.frame_from_path(pathname, requests_prefix)
        filter_text = dict(controls.query_pairs(search)).get("filter")
        params = [("type", "scatter"), ("x", str(points[0]["x"])), ("y", str(points[0]["y"]))]
        if filter_text:
            params.append(("filter", filter_text))
        return controls.chart_page_url(root, frame_ref, app_state.key, params)

