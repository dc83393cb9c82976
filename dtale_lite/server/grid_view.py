"""The view a grid page reports (its filter, sort and visible columns), and that view as a
DataFrame or as pandas code for ``Instance.view()`` / ``Instance.code()`` (issue 7).

The page POSTs its view to ``/api/frames/<frame>/view`` whenever it changes; the registry keeps
the last one per frame. With several pages open on one frame the last report wins. Pure: no
Flask, no Dash; every malformed report is a ``BadRequest`` saying what is wrong.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace


from ..frames.errors import BadRequest, FilterError
from ..frames.view import ViewSpec, parse_view

FIELDS = ("filter", "sort", "columns", "page", "seq")
MAX_PAGE_ID = 100


@dataclass(frozen=True)
class GridView:
    """Column names, as the API names them; ``columns`` None means all, in the frame's order."""

    filter: str = ""
    sort: tuple[tuple[str, bool], ...] = ()  # (column name, ascending)
    columns: tuple[str, ...] | None = None
    page: str | None = None  # the reporting page's id, to order one page's reports
    seq: int = 0
    reported_at: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict:
        return {"filter": self.filter,
                "sort": [[name, "asc" if asc else "desc"] for name, asc in self.sort],
                "columns": None if self.columns is None else list(self.columns),
                "page": self.page, "seq": self.seq, "reported_at": self.reported_at}

    def spec(self, columns) -> ViewSpec:
        """The ViewSpec the rows route would parse from the same view (the same cache keys)."""
        args = {"filter": self.filter,
                "sort": json.dumps([[n, "asc" if a else "desc"] for n, a in self.sort])}
        if self.columns is not None:
            args["columns"] = json.dumps(list(self.columns))
        return parse_view(args, columns)


NO_VIEW = GridView()


def view_of_args(args, columns) -> GridView:
    """The view that the rows route's parameters (``filter``, ``sort``, ``columns``) describe,
    as a GridView (the grid's Code button asks for the code of the view it shows). Raises
    BadRequest/FilterError as the rows route does."""
    spec = parse_view(args, columns)
    names = [c.name for c in columns]
    return GridView(
        filter=(args.get("filter") or "").strip(),
        sort=tuple((names[p], asc) for p, asc in spec.sort),
        columns=None if spec.columns is None else tuple(names[p] for p in spec.columns))


def parse_grid_view(body, columns) -> GridView:
    """The view in a page's JSON report, checked against ``columns`` (``source.columns()``).

    Raises BadRequest for anything malformed, an unknown column in the sort, the columns or
    the filter (a FilterError, with its position), or an unknown field.
    """
    if not isinstance(body, dict):
        raise BadRequest('the body must be a JSON object like {"filter": "f1 > 0", '
                         '"sort": [["f1", "desc"]], "columns": ["id", "f1"]}')
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise BadRequest(f"unknown field '{unknown[0][:50]}'; a view has {', '.join(FIELDS)}")
    # Only a missing field or null means "none": {} or false is a wrong value, not an empty
    # one (they were read as no filter / no sort; found by the OpenAPI fuzzer).
    text = _or_default(body, "filter", "")
    if not isinstance(text, str):
        raise BadRequest("'filter' must be text in the filter language (or empty)")
    page, seq = body.get("page"), body.get("seq", 0)
    if page is not None and (not isinstance(page, str) or not 0 < len(page) <= MAX_PAGE_ID):
        raise BadRequest(f"'page' must be a page id of 1-{MAX_PAGE_ID} characters")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise BadRequest("'seq' must be a whole number >= 0")
    sort, chosen = _or_default(body, "sort", []), body.get("columns")
    # The rows route's parser checks the sort pairs and column names with its own messages.
    args = {"filter": text, "sort": json.dumps(sort)}
    if chosen is not None:
        args["columns"] = json.dumps(chosen)
    spec = parse_view(args, columns)
    if spec.filter_node is not None:
        from ..frames.filter_syntax import columns_used

        names = {c.name for c in columns}
        missing = sorted(columns_used(spec.filter_node) - names)
        if missing:
            raise FilterError(f"unknown column '{missing[0]}'")
    names = [c.name for c in columns]
    return GridView(
        filter=text.strip(),
        sort=tuple((names[p], asc) for p, asc in spec.sort),
        columns=None if spec.columns is None else tuple(names[p] for p in spec.columns),
        page=page, seq=seq, reported_at=time.time())


def _or_default(body: dict, name: str, default):
    value = body.get(name)
    return default if value is None else value


def with_overrides(view: GridView, columns, *, filter=None, sort=None,
                   selected=None) -> GridView:
    """``view`` with any of its parts replaced (``Instance.view(filter=..., ...)``).

    ``sort``: a column name (ascending), or a list of names and ``(name, "asc"|"desc")``
    pairs; ``selected``: a list of column names. Raises BadRequest (a ValueError) as the
    route does for a malformed part.
    """
    body = {"filter": view.filter, "sort": [list(p) for p in view.to_dict()["sort"]],
            "columns": view.to_dict()["columns"]}
    if filter is not None:
        body["filter"] = filter
    if sort is not None:
        items = [sort] if isinstance(sort, str) else list(sort)
        body["sort"] = [[item, "asc"] if isinstance(item, str) else list(item)
                        for item in items]
    if selected is not None:
        body["columns"] = [selected] if isinstance(selected, str) else list(selected)
    return replace(parse_grid_view(body, columns), reported_at=view.reported_at)


def _engine_view(snapshot, spec):
    """A Polars frame's view as Polars: a DataFrame for a DataFrame shown, a LazyFrame (the
    query, not its rows) for a LazyFrame. None for pandas; TypeError for the engines whose
    view may not fit in this process (DuckDB over files, Dask): export it instead."""
    from ..backends.backend_source import BackendSource

    source = snapshot.source
    if not isinstance(source, BackendSource):
        return None
    if source.engine != "polars":
        raise TypeError(f"view() returns a frame in this process, and a {source.engine} "
                        f"frame's view may not fit in it; download the view with the grid's "
                        f"export, or use inst.grid_view for its filter and sort")
    backend = source.backend
    names = [backend.names[p] for p in spec.column_positions(len(backend.names))]
    query = source.view(spec.filter_node, spec.filter_key, spec.sort).stable.select(names)
    return query if backend.eager is None else query.collect()


def _pandas_frame(snapshot):
    frame = getattr(snapshot.source, "frame", None)
    if frame is None:
        raise TypeError("view() and code() need a frame shown from pandas; this one's "
                        f"source is {type(snapshot.source).__name__}")
    return frame


def view_frame(snapshot, view: GridView, planner):
    """The rows of ``view`` in its order, its columns in its order: a new DataFrame taken
    from the shown one by position, through the same cached sort orders and filter masks the
    grid's pages come from (pandas' copy-on-write keeps the shown frame untouched)."""
    columns = snapshot.source.columns()
    spec = view.spec(columns)
    engine_view = _engine_view(snapshot, spec)
    if engine_view is not None:
        return engine_view
    frame = _pandas_frame(snapshot)
    positions = planner.positions(snapshot, spec)
    rows = slice(None) if positions is None else positions
    return frame.iloc[rows, list(spec.column_positions(len(columns)))]


def view_code(snapshot, view: GridView, planner, *, series: bool = False,
              history=None) -> str:
    """Pandas code that derives ``view_frame(...)`` from the shown frame held in ``df``
    (``series``: what was shown is a Series, which the grid shows as a one-column frame;
    ``history``: the frame's steps, whose code comes first)."""
    from ..frames import pandas_code

    frame = _pandas_frame(snapshot)
    columns = snapshot.source.columns()
    spec = view.spec(columns)
    if spec.filter_node is not None:
        # A filter that does not fit the columns' kinds raises here, as in view_frame (the
        # mask is cached: the page computed it already).
        planner.positions(snapshot, replace(spec, sort=()))
    preamble = [f"df = df.to_frame(name={frame.columns[0]!r})"] if series else []
    if history is not None and history.steps:
        from ..frames.steps.code import imports_of, step_lines

        preamble = imports_of(history.state) + step_lines(history.state,
                                                          history.series_name)
    names = [c.name for c in columns]
    sort = [(names[p], asc) for p, asc in spec.sort]
    chosen = None if spec.columns is None else [names[p] for p in spec.columns]
    refs = pandas_code.ColumnRefs(frame, columns)
    return pandas_code.view_code(spec.filter_node, spec.filter_key, sort, chosen, refs, preamble)


def same_columns(old_columns, new_columns) -> bool:
    """Whether a reported view still means the same after ``update()``: the same column
    names of the same kinds (a filter such as ``x > 1`` depends on the kind)."""
    return [(c.name, c.kind) for c in old_columns] == [(c.name, c.kind) for c in new_columns]
