"""The Python (pandas + plotly) that draws the same chart from the frame, held in ``df``.

The code filters (the filter translated to pandas operations by ``pandas_code``, shared with
``Instance.code()``; never ``query`` strings),
aggregates exactly as the chart did (the same top-N and "Other", periods, bins and
quantiles) and plots with ``plotly.graph_objects``. A test runs it on the same frame and
compares its figure's data with the chart's. Column names and values are written with
``repr``, so any label round-trips.
"""
from __future__ import annotations

from dataclasses import replace

from ..frames.filter_syntax import canonical, parse
from ..frames.pandas_code import ColumnRefs, filter_code
from .animation_code import animation_code
from .code_kinds import PANDAS_AGG, candlestick, scatter3d, surface, treemap
from .facets import grid
from .map_code import map_code

HELPERS = {
    "as_numbers": '''
def as_numbers(column):
    """A column as floats: datetimes (wall time) and durations in nanoseconds, missing NaN."""
    if column.dtype.kind in "mM":
        if getattr(column.dt, "tz", None) is not None:
            column = column.dt.tz_localize(None)
        unit = "datetime64[ns]" if column.dtype.kind == "M" else "timedelta64[ns]"
        ns = column.to_numpy(dtype=unit).view("int64").astype(float)
        return pd.Series(ns, index=column.index).where(column.notna())
    return column.astype(float)
''',
    "top_values": '''
def top_values(key, n, missing=False):
    """The n most frequent values of key (ties: the value seen first) and 'Other' for the
    rest; the kept values in their sorted order; with missing, rows without a value are
    '(missing)', last."""
    counts = key.value_counts(sort=False)
    counts = counts[counts > 0]
    top = counts.sort_values(ascending=False, kind="stable").index[:n]
    order = [v for v in counts.sort_index().index if v in set(top)]
    if len(counts) > n:
        key = key.astype(object).where(key.isin(top) | key.isna(), "Other")
        order.append("Other")
    if missing and key.isna().any():
        key = key.astype(object).where(key.notna(), "(missing)")
        order.append("(missing)")
    return key, order
''',
    "equal_bins": '''
def equal_bins(values, n):
    """Each value's bin among n equal-width bins over the finite values (last bin closed)."""
    values = values.astype(float)
    finite = values[np.isfinite(values)]
    lo, hi = finite.min(), finite.max()
    edges = np.linspace(lo - 0.5, hi + 0.5, n + 1) if lo == hi else np.linspace(lo, hi, n + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, n - 1)
    left = pd.Series(edges[index], index=values.index).where(np.isfinite(values))
    return left + (edges[1] - edges[0]) / 2  # the bin's centre
''',
    "periods": '''
def periods(ts, freq):
    """The start of each value's period (hour, day, week from Monday, month, quarter, year)."""
    if ts.dt.tz is not None:
        ts = ts.dt.tz_localize(None)  # wall time in the column's own zone
    alias = {"hour": "h", "day": "D", "week": "W-SUN", "month": "M", "quarter": "Q",
             "year": "Y"}[freq]
    return ts.dt.to_period(alias).dt.start_time
''',
    "hierarchy": '''
def hierarchy(sizes):
    """Every node of a treemap: the leaves of sizes (a Series over the path's levels) and each
    prefix of their levels, whose value is the sum of its children's."""
    ids, labels, parents, values = [], [], [], []
    sizes = sizes.fillna(0).clip(lower=0)  # an area cannot be negative
    depth = sizes.index.nlevels
    for level in range(1, depth + 1):
        part = sizes if level == depth else sizes.groupby(level=list(range(level))).sum()
        for key, value in part.items():
            key = key if isinstance(key, tuple) else (key,)
            ids.append(" / ".join(map(str, key)))
            labels.append(str(key[-1]))
            parents.append(" / ".join(map(str, key[:-1])))
            values.append(float(value))
    return ids, labels, parents, values
''',
    "minmax": '''
def minmax(x, y, buckets):
    """The points of the line (x, y) that are the min or max of y in each bucket of x."""
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(x) <= 2 * buckets:
        order = np.argsort(x, kind="stable")
        return x[order], y[order]
    edges = np.linspace(x.min(), x.max(), buckets + 1)
    bucket = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, buckets - 1)
    groups = pd.Series(y).groupby(bucket)
    picks = np.unique(np.concatenate([groups.idxmin().to_numpy(), groups.idxmax().to_numpy()]))
    picks = picks[np.lexsort((x[picks], bucket[picks]))]
    return x[picks], y[picks]
''',
}


class _Writer:
    def __init__(self, spec, source, resolved):
        self.spec, self.resolved = spec, resolved
        self.columns = {c.name: c for c in source.columns()}
        # The filter's code and column references are shared with Instance.code().
        self.refs = ColumnRefs(getattr(source, "frame", None), source.columns())
        self.helpers: list[str] = []
        self.lines: list[str] = []

    def col(self, name: str, frame: str = "view") -> str:
        """How the code reads column ``name``: by label when that is unambiguous."""
        return self.refs.col(name, frame)

    def use(self, helper: str) -> str:
        if helper not in self.helpers:
            self.helpers.append(helper)
        return helper

    def key(self, name: str, var: str) -> str | None:
        """Write ``var = <the grouping of column name>``; returns the order variable or None."""
        key = self.resolved.get(name)
        if key is not None and key.freq:
            self.lines.append(f"{var} = {self.use('periods')}({self.col(name)}, {key.freq!r})")
            return None
        if key is not None and key.bins:
            self.lines.append(f"{var} = {self.use('equal_bins')}({self.col(name)}, {key.bins})")
            return None
        top = key.top if key is not None else None
        if top:
            # Rows without a value: their own bar, slice, box or series unless dropna.
            missing = ", missing=True" if key.missing and not self.spec.dropna else ""
            self.lines.append(f"{var}, {var}_order = {self.use('top_values')}({self.col(name)}, "
                              f"{top}{missing})")
            return f"{var}_order"
        self.lines.append(f"{var} = {self.col(name)}")
        return None

    def text(self) -> str:
        body = []
        if self.spec.filter:
            node = parse(self.spec.filter)
            # The canonical text: a filter typed over several lines would end the comment.
            body.append(f"# filter: {canonical(node)}")
            body.append(f"view = df[{filter_code(node, self.refs)}]")
        else:
            body.append("view = df")
        extra = ["import numbers"] if "numbers" in self.refs.imports() else []
        head = extra + ["import numpy as np", "import pandas as pd",
                        "import plotly.graph_objects as go", "",
                        "# df: the frame shown in dtale_lite"]
        helpers = self.refs.helper_text() + [HELPERS[h].strip("\n") for h in self.helpers]
        parts = head + [""] + [h + "\n" for h in helpers] + body + self.lines
        return "\n".join(parts).rstrip() + "\nfig.show()\n"


def chart_code(spec, source, resolved: dict | None = None) -> str:
    """Python that draws ``spec``'s chart from ``df`` (see the module docstring)."""
    if spec.facet:
        return _facets(spec, source, resolved or {})
    w = _Writer(spec, source, resolved or {})
    (animation_code if spec.animate_by else WRITERS[spec.type])(w)
    if spec.y2:
        w.lines += [f"for trace in fig.data:  # on the right-hand axis: {', '.join(spec.y2)}",
                    f"    if trace.name in {list(spec.y2)!r}:",
                    "        trace.update(yaxis='y2')",
                    "fig.update_layout(yaxis2=dict(overlaying='y', side='right'))"]
    return w.text()


def _facets(spec, source, resolved: dict) -> str:
    """Small multiples: one chart per facet value, each drawn by the type's code over the
    facet's rows (with the periods, bins and top values the first facet's chart used: every
    facet's chart was built with the same settings, see facets.py), then laid out in a grid."""
    results = resolved["__facets__"]
    inner = _Writer(replace(spec, facet=None), source,
                    {**results[0].resolved, spec.facet: resolved[spec.facet]})
    WRITERS[spec.type](inner)
    body, inner.lines = inner.lines, []
    order = inner.key(spec.facet, "facet")
    rows, cols = grid(len(results))
    kind = "'domain'" if spec.type == "pie" else "'xy'"
    inner.lines += [
        "from plotly.subplots import make_subplots", "",
        f"facets = make_subplots(rows={rows}, cols={cols}, specs=[[{{'type': {kind}}}] * {cols}] "
        f"* {rows},", f"                       subplot_titles=[str(v) for v in {order}])",
        "full = view", f"for i, value in enumerate({order}):",
        "    view = full[facet == value]  # this facet's rows",
        *("    " + line for line in body),
        "    for trace in fig.data:",
        f"        facets.add_trace(trace, row=i // {cols} + 1, col=i % {cols} + 1)",
        "fig = facets"]
    return inner.text()


# -- per type -------------------------------------------------------------------------------
def _grouped(w) -> None:
    """``data``: the aggregate by x (and group), in the chart's order."""
    spec = w.spec
    order = w.key(spec.x, "x")
    agg = spec.effective_agg()
    values = spec.z if spec.type == "heatmap" else (spec.y[0] if len(spec.y) == 1 else None)
    second = spec.group or (spec.y[0] if spec.type == "heatmap" else None)
    group_order = w.key(second, "g") if second else None
    by = "[x, g]" if second else "x"
    ys = spec.y + spec.y2
    if spec.type != "heatmap" and len(ys) > 1:
        picked = ", ".join(repr(y) for y in ys)
        w.lines.append(f"data = view.groupby(x)[[{picked}]].agg({PANDAS_AGG[agg]!r})")
    elif values is None:
        w.lines.append(f"data = view.groupby({by}).size()")
    else:
        w.lines.append(f"data = {w.col(values)}.groupby({by}).agg({PANDAS_AGG[agg]!r})")
    if second:
        fill = ", fill_value=0" if agg in ("count", "distinct") or values is None else ""
        w.lines.append(f"data = data.unstack({'' if not fill else 'fill_value=0'})")
        if group_order:
            w.lines.append(f"data = data.reindex(columns={group_order}{fill})")
    if order:
        w.lines.append(f"data = data.reindex({order})")
    if not second and not (spec.type != "heatmap" and len(ys) > 1):
        name = spec.y[0] if spec.y else "count"
        w.lines.append(f"data = data.to_frame({name!r})")


def bar(w) -> None:
    _grouped(w)
    mode = "stack" if w.spec.barmode == "stack" else "group"
    w.lines += ["fig = go.Figure([go.Bar(x=data.index.astype(str), y=data[c], name=str(c))",
                "                 for c in data.columns])",
                f"fig.update_layout(barmode={mode!r})"]


def pie(w) -> None:
    _grouped(w)
    w.lines += ["values = data.iloc[:, 0].fillna(0).clip(lower=0)",
                "fig = go.Figure(go.Pie(labels=data.index.astype(str), values=values, "
                "sort=False))"]


def line(w) -> None:
    spec = w.spec
    if spec.freq or spec.agg or w.columns[spec.x].kind not in ("int", "float", "datetime") \
            or not spec.y:
        _grouped(w)
        w.lines += ["fig = go.Figure([go.Scatter(x=data.index, y=data[c], name=str(c), "
                    "mode='lines')", "                 for c in data.columns])"]
        return
    w.use("minmax")
    x = w.col(spec.x)
    w.lines.append(f"x = {w.use('as_numbers')}({x}).to_numpy()")
    w.lines.append("fig = go.Figure()")
    buckets = w.resolved.get("__buckets__", 2000)
    if spec.group:
        order = w.key(spec.group, "g")
        w.lines += [f"for name in {order or 'g.dropna().unique()'}:",
                    "    rows = (g == name).to_numpy()",
                    f"    xs, ys = minmax(x[rows], as_numbers({w.col(spec.y[0])}).to_numpy()"
                    f"[rows], {buckets})",
                    "    fig.add_scatter(x=xs, y=ys, name=str(name), mode='lines')"]
        return
    for y in spec.y + spec.y2:
        w.lines += [f"xs, ys = minmax(x, as_numbers({w.col(y)}).to_numpy(), {buckets})",
                    f"fig.add_scatter(x=xs, y=ys, name={y!r}, mode='lines')"]


def scatter(w) -> None:
    spec = w.spec
    if w.resolved.get("__density__"):
        density(w)
        return
    picked = [w.col(spec.x), w.col(spec.y[0])] + ([w.col(spec.group)] if spec.group else [])
    w.lines.append(f"points = pd.concat([{', '.join(picked)}], axis=1).dropna()")
    if spec.group:
        order = w.key(spec.group, "g")
        w.lines += ["g = g.loc[points.index]",
                    "fig = go.Figure([go.Scatter(x=points.iloc[:, 0][g == name], "
                    "y=points.iloc[:, 1][g == name], mode='markers', name=str(name))",
                    f"                 for name in {order or 'g.unique()'}])"]
    else:
        w.lines.append("fig = go.Figure(go.Scatter(x=points.iloc[:, 0], y=points.iloc[:, 1], "
                       "mode='markers'))")


def density(w) -> None:
    spec = w.spec
    nx, ny = w.resolved["__bins2d__"]
    w.lines += [f"points = pd.concat([{w.col(spec.x)}, {w.col(spec.y[0])}], axis=1)",
                f"xy = [{w.use('as_numbers')}(c).to_numpy() for _, c in points.items()]",
                "keep = np.isfinite(xy[0]) & np.isfinite(xy[1])",
                "x, y = xy[0][keep], xy[1][keep]",
                f"edges = [np.linspace(v.min(), v.max(), n + 1) for v, n in ((x, {nx}), "
                f"(y, {ny}))]",
                "counts, x_edges, y_edges = np.histogram2d(x, y, bins=edges)",
                "z = np.where(counts.T > 0, counts.T, np.nan)",
                "fig = go.Figure(go.Heatmap(x=(x_edges[:-1] + x_edges[1:]) / 2, "
                "y=(y_edges[:-1] + y_edges[1:]) / 2, z=z))"]


def histogram(w) -> None:
    spec = w.spec
    bins = spec.bins or 50
    x = w.col(spec.x)
    w.lines.append(f"values = {w.use('as_numbers')}({x})")
    w.lines += ["finite = values[np.isfinite(values)]",
                f"edges = np.histogram_bin_edges(finite, bins={bins})"]
    if spec.group:
        order = w.key(spec.group, "g")
        w.lines += ["fig = go.Figure()",
                    f"for name in {order or 'g.dropna().unique()'}:",
                    "    counts, _ = np.histogram(values[(g == name) & np.isfinite(values)], "
                    "bins=edges)",
                    "    fig.add_bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, name=str(name))",
                    "fig.update_layout(barmode='overlay', bargap=0)"]
    else:
        w.lines += ["counts, _ = np.histogram(finite, bins=edges)",
                    "fig = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts))",
                    "fig.update_layout(bargap=0)"]


def box(w) -> None:
    spec = w.spec
    if spec.x:
        order = w.key(spec.x, "x")
    else:
        w.lines.append("x = pd.Series('all', index=view.index)")
        order = None
    w.lines.append("fig = go.Figure()")
    for y in spec.y:
        w.lines += [f"v = {w.use('as_numbers')}({w.col(y)})",
                    "q = v.groupby(x).quantile([0.25, 0.5, 0.75]).unstack()"
                    + (f".reindex({order}).dropna(how='all')" if order else ""),
                    "iqr = q[0.75] - q[0.25]",
                    "low = v[v >= (q[0.25] - 1.5 * iqr).reindex(x).to_numpy()].groupby(x).min()",
                    "high = v[v <= (q[0.75] + 1.5 * iqr).reindex(x).to_numpy()].groupby(x).max()",
                    "mean = v.groupby(x).mean()",
                    f"fig.add_box(name={y!r}, x=q.index.astype(str), q1=q[0.25], median=q[0.5], "
                    "q3=q[0.75], lowerfence=low.reindex(q.index), "
                    "upperfence=high.reindex(q.index), mean=mean.reindex(q.index))"]
    w.lines.append("fig.update_layout(boxmode='group')")


def heatmap(w) -> None:
    _grouped(w)
    w.lines += ["z = data.T",
                "fig = go.Figure(go.Heatmap(x=z.columns.astype(str), y=z.index.astype(str), "
                "z=z.where(z != 0) if z.dtypes.iloc[0].kind == 'i' else z))"]




def funnel(w) -> None:
    _grouped(w)
    w.lines.append("fig = go.Figure(go.Funnel(y=data.index.astype(str), x=data.iloc[:, 0]))")








WRITERS = {"treemap": treemap, "sunburst": treemap, "funnel": funnel,
           "candlestick": candlestick, "scatter3d": scatter3d, "surface": surface,
           "bar": bar, "pie": pie, "line": line,
           "scatter": scatter, "density": density, "histogram": histogram, "box": box,
           "heatmap": heatmap, "map": map_code}
