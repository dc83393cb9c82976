"""``Instance``: what ``show()`` returns, a handle on one frame of a running viewer."""
from __future__ import annotations

import html
from urllib.parse import urlencode

import numpy as np

from ..frames.errors import NotFound

# The chart page's query parameters besides type, x and y, in the page's order (issue 6;
# dtale_lite/charts/spec.py reads the same names).
CHART_PARAMS = ("y2", "z", "path", "open", "high", "low", "close", "color", "agg", "group",
                "facet", "freq", "bins", "log_x", "log_y", "barmode", "dropna", "filter", "x_min",
                "x_max", "y_min", "y_max",
                "lat", "lon", "locations", "animate_by")  # maps, animations (issue 16)
ANALYSIS_PAGES = ("missing", "outliers", "duplicates", "timeseries")
CORRELATION_METHODS = ("pearson", "spearman")
# Shown instead of the grid where a notebook drops the iframe (an output it does not trust).
UNTRUSTED_HINT = "run this cell to show the grid here (Jupyter shows inline frames only in " \
                 "outputs it trusts)."
DEFAULT_HEIGHT = 475  # px: the notebook iframe shows the toolbar and about a dozen rows


def _query_value(value) -> str:
    """A parameter's text: booleans (numpy's too) as 1/0, dates and times in ISO 8601."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def check_height(height) -> int:
    """The notebook iframe's height in pixels (None: the default)."""
    if height is None:
        return DEFAULT_HEIGHT
    if isinstance(height, bool) or not isinstance(height, (int, np.integer)) or not (
            100 <= height <= 10_000):
        raise ValueError(f"height is the notebook display's height in pixels, an integer from "
                         f"100 to 10000; got {height!r}")
    return int(height)


class Instance:
    """A frame being shown. ``url`` opens its page, ``chart_url()`` and ``correlations_url()``
    its charts; ``update``/``kill`` change it; ``view()`` and ``code()`` give back what its
    grid shows, as a DataFrame and as pandas code."""

    def __init__(self, viewer, entry, *, height: int | None = None):
        # The registry of the server this frame was shown on: after that server stops, a new
        # server numbers its frames from 1 again, and this handle must not reach those.
        self._registry = viewer.registry
        self._entry = entry
        self._key = viewer.key
        self._base_url = viewer.base_url
        self._app_root = viewer.app_root
        self.height = check_height(height)

    @property
    def id(self) -> int:
        return self._entry.id

    @property
    def name(self) -> str | None:
        return self._entry.name

    @property
    def data(self):
        """The object that was shown: the user's own frame, never a copy."""
        return self._entry.data

    @property
    def version(self) -> int:
        """How many times the frame was replaced (``update()``, or a show under its name)."""
        return self._entry.version

    @property
    def alive(self) -> bool:
        """False once the frame was killed or its server stopped."""
        try:
            return self._registry.get(self.id) is self._entry
        except NotFound:
            return False

    @property
    def key(self) -> str | None:
        return self._key

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def _page(self) -> str:
        """The frame page's path below the app root, with the key."""
        return f"/frames/{self.id}" + (f"?key={self._key}" if self._key else "")

    @property
    def url(self) -> str:
        return f"{self._base_url}{self._page}"

    def update(self, new_data) -> "Instance":
        """Show ``new_data`` under the same id, name and URL; cached views are dropped. The
        frame's steps are re-applied to it; those that no longer fit are dropped, listed in
        ``dropped_steps`` and named in a warning."""
        entry = self._registry.update(self.id, new_data)
        if entry.dropped:
            import warnings

            reasons = "; ".join(f"{d['step'].get('op')}: {d['reason']}" for d in entry.dropped)
            warnings.warn(f"update() dropped {len(entry.dropped)} step(s) that no longer fit "
                          f"the new frame: {reasons}", UserWarning, stacklevel=2)
        return self

    # -- steps and summaries (issue 15) -------------------------------------------------------
    @property
    def steps(self) -> list[dict]:
        """The frame's steps, in order, as JSON-like dicts (a copy)."""
        from .frame_steps import listing

        return listing(self._registry.get(self.id))["steps"]

    @property
    def dropped_steps(self) -> list[dict]:
        """The steps the last ``update()`` dropped: ``{"step", "reason"}`` dicts."""
        return list(self._entry.dropped)

    def apply(self, op: str, **params) -> "Instance":
        """Apply one step (``op`` and its parameters, as the steps route takes them, e.g.
        ``inst.apply("rename", column="f1", to="price")``) and return this instance. Raises
        BadRequest (a ValueError naming the parameter) when it does not fit; nothing is
        applied then."""
        from .frame_steps import change

        change(self._registry, self.id, "apply", {"op": op, **params})
        return self

    def undo(self) -> "Instance":
        """Undo the last step; Conflict when there is none."""
        from .frame_steps import change

        change(self._registry, self.id, "undo")
        return self

    def redo(self) -> "Instance":
        """Redo the last undone step; Conflict when there is none."""
        from .frame_steps import change

        change(self._registry, self.id, "redo")
        return self

    def summarize(self, kind: str, *, name: str | None = None, **params) -> "Instance":
        """Show a summary of this frame (its steps applied) as a new frame and return its
        Instance, e.g. ``inst.summarize("groupby", by=["s_lo"], aggregations={"f1":
        ["mean"]})``. The kinds: groupby, pivot, resample, melt, transpose, value_counts,
        merge, stack (see the docs)."""
        from .frame_steps import make_summary

        entry, _, _ = make_summary(self._registry, self.id, {"kind": kind, "name": name,
                                                            **params})
        other = object.__new__(Instance)
        other.__dict__.update(self.__dict__)
        other._entry = entry
        return other

    def kill(self) -> None:
        """Remove this frame only; the server and other frames stay."""
        try:
            self._registry.remove(self.id)
        except NotFound:
            pass  # already gone (killed twice, or the server was reaped): nothing to do

    @property
    def frame_path(self) -> str:
        """The frame page's URL from the root of the server the browser talks to."""
        return f"{self._app_root}{self._page}"

    def _link(self, path: str, params: list[tuple[str, object]]) -> str:
        """The URL of ``path`` below the app root with the key first, then ``params``."""
        pairs = [("key", self._key)] if self._key else []
        pairs += [(name, _query_value(value)) for name, value in params]
        return f"{self._base_url}{path}" + (f"?{urlencode(pairs)}" if pairs else "")

    def chart_url(self, type: str | None = None, x: str | None = None,
                  y: str | list[str] | tuple[str, ...] | None = None, **params) -> str:
        """The URL of the chart builder page showing this frame with these settings.

        ``type`` is the chart type ("bar", "line", "scatter", "histogram", "box", "heatmap",
        "pie", "density", "treemap", "sunburst", "funnel", "candlestick", "scatter3d",
        "surface", "map"), ``x`` a column name, ``y`` one column name or a list of them (one
        series each, a repeated ``y`` parameter). Other keywords are the page's parameters:
        ``y2`` (bar and line series on a right-hand axis, one or a list), ``z``, ``path`` (a
        treemap's or sunburst's columns, one or a list), ``open, high, low, close`` (a
        candlestick's), ``color`` (a scatter3d's), ``lat, lon`` or ``locations`` (a map's),
        ``animate_by`` (bar, scatter, map), ``agg, group, facet, freq, bins, log_x, log_y,
        barmode, dropna, filter, x_min, x_max, y_min, y_max``. Booleans become 1/0, dates ISO
        8601; None values and an empty filter are left
        out, and with no settings the page picks a first chart itself. The path holds the
        frame's id and the query the key, e.g.
        ``inst.chart_url(type="bar", x="s_lo", y="f1", agg="mean")``.

        The settings are checked by the page, which explains what is wrong with them; only an
        unknown keyword raises here (``TypeError``, like any unexpected argument).
        """
        unknown = sorted(set(params) - set(CHART_PARAMS))
        if unknown:
            raise TypeError(f"chart_url() got unexpected keyword arguments {unknown}; "
                            f"the chart parameters are type, x, y, {', '.join(CHART_PARAMS)}")
        ys = [y] if isinstance(y, str) else list(y or ())
        pairs = [("type", type), ("x", x), *(("y", name) for name in ys)]
        for name in CHART_PARAMS:
            value = params.get(name)
            values = list(value) if isinstance(value, (list, tuple)) else [value]
            pairs += [(name, item) for item in values]
        pairs = [(name, value) for name, value in pairs
                 if value is not None and not (name == "filter" and not str(value).strip())]
        return self._link(f"/charts/{self.id}", pairs)

    def correlations_url(self, method: str = "pearson", filter: str | None = None) -> str:
        """The URL of the correlations page of this frame: the ``method`` ("pearson" or
        "spearman") matrix of its numeric and boolean columns over the rows that pass
        ``filter`` (filter-language text; None or empty for all rows). Raises ``ValueError``
        for another method."""
        if method not in CORRELATION_METHODS:
            raise ValueError(f"method must be one of {', '.join(CORRELATION_METHODS)}, "
                             f"not {method!r}")
        pairs: list[tuple[str, object]] = [("method", method)]
        if filter is not None and filter.strip():
            pairs.append(("filter", filter))
        return self._link(f"/charts/{self.id}/correlations", pairs)

    def analysis_url(self, page: str, **params) -> str:
        """The URL of an analysis page of this frame (issue 16): ``page`` is "missing",
        "outliers", "duplicates" or "timeseries"; ``params`` its settings (``column``,
        ``method``, ``columns`` as a JSON list, ``x``, ``y``, ``freq``, ``window``,
        ``filter``), checked by the page. Raises ``ValueError`` for another page."""
        if page not in ANALYSIS_PAGES:
            raise ValueError(f"page must be one of {', '.join(ANALYSIS_PAGES)}, not {page!r}")
        pairs = [(name, value) for name, value in params.items()
                 if value is not None and str(value).strip()]
        return self._link(f"/charts/{self.id}/{page}", pairs)

    # -- the grid's view back in Python (issue 7) ---------------------------------------------
    @property
    def grid_view(self) -> dict | None:
        """The view a grid page reported last: ``{"filter", "sort", "columns", "page", "seq",
        "reported_at"}`` (column names as the API names them), or None before any page has
        reported one. Raises NotFound once the frame is killed."""
        view = self._registry.snapshot(self.id).grid_view
        return None if view is None else view.to_dict()

    def _grid_view(self, filter, sort, columns):
        """The frame's snapshot and its reported view with any overrides applied."""
        from .grid_view import NO_VIEW, with_overrides

        snapshot = self._registry.snapshot(self.id)
        view = snapshot.grid_view or NO_VIEW
        if filter is not None or sort is not None or columns is not None:
            view = with_overrides(view, snapshot.source.columns(), filter=filter, sort=sort,
                                  selected=columns)
        return snapshot, view

    def view(self, *, filter: str | None = None, sort=None, columns=None):
        """The DataFrame the grid shows now: the rows that pass its filter, in its sort order,
        with its visible columns in the grid's order (a new frame; the shown one is untouched).

        The grid page reports its view to the server whenever it changes; with several pages
        open on this frame the last report wins. Before any page has reported, the view is the
        whole frame. Keywords replace a part of the reported view: ``filter`` (filter-language
        text, "" for none), ``sort`` (a column name, or a list of names and
        ``(name, "asc"|"desc")`` pairs; [] for none), ``columns`` (a list of names). Raises
        ``BadRequest``/``FilterError`` (ValueErrors) for a bad override, ``NotFound`` once the
        frame is killed, TypeError for a frame that is not pandas.
        """
        from .grid_view import view_frame
        from ..frames.view import Planner

        snapshot, view = self._grid_view(filter, sort, columns)
        return view_frame(snapshot, view, Planner.of(self._registry))

    def code(self, *, filter: str | None = None, sort=None, columns=None) -> str:
        """Runnable pandas code that derives ``view()`` from the shown frame held in ``df``:
        its steps, then the filter as a boolean mask, a stable sort with missing values last,
        the columns. Takes the same keywords as ``view()``; running it leaves the result in
        ``view``."""
        from .grid_view import view_code
        from ..frames.view import Planner

        snapshot, view = self._grid_view(filter, sort, columns)
        series = not hasattr(self._entry.data, "columns")  # shown as a one-column frame
        history = self._registry.get(self.id).history
        return view_code(snapshot, view, Planner.of(self._registry), series=series,
                         history=history)

    def _repr_html_(self) -> str:
        # A notebook cell ending with show(df) displays the grid inline. With an app root the
        # browser reaches the server through a proxy on the notebook's own origin (Jupyter's
        # /proxy/<port>), so the iframe's address is relative to that origin.
        src = html.escape(self.frame_path if self._app_root else self.url, quote=True)
        # Browsers never render an iframe's inner text, but JupyterLab 4 and Notebook 7 strip
        # the iframe from an output they do not trust (a notebook saved on another machine)
        # and keep its text: such an output then says what it was instead of being blank.
        label = f" {self.name!r}" if self.name else ""
        fallback = html.escape(f"dtale_lite frame {self.id}{label}: {UNTRUSTED_HINT}")
        return (f'<iframe src="{src}" width="100%" height="{self.height}" style="border:0" '
                f'allow="clipboard-write" title="dtale_lite frame {self.id}">{fallback}</iframe>')

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<dtale_lite.Instance {self.id}{label} {self.url}>"
