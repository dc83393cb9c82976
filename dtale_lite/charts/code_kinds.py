"""The exported Python of the chart kinds of issue 16 (treemap and sunburst, candlestick,
scatter3d, surface): each a writer of :mod:`.code`'s ``_Writer`` lines, like the writers there.
A test runs each on the frame and compares its figure's data with the chart's.
"""
from __future__ import annotations

PANDAS_AGG = {"count": "count", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
              "max": "max", "distinct": "nunique", "std": "std"}


def treemap(w) -> None:
    spec = w.spec
    names = []
    for i, name in enumerate(spec.path):
        w.key(name, f"level{i}")
        names.append(f"level{i}")
    by = f"[{', '.join(names)}]"
    if spec.y:
        agg = PANDAS_AGG[spec.effective_agg()]
        w.lines.append(f"sizes = {w.col(spec.y[0])}.groupby({by}, observed=True).agg({agg!r})")
    else:
        w.lines.append(f"sizes = view.groupby({by}, observed=True).size()")
    trace = {"treemap": "Treemap", "sunburst": "Sunburst"}[spec.type]
    w.lines += [f"ids, labels, parents, values = {w.use('hierarchy')}(sizes)",
                f"fig = go.Figure(go.{trace}(ids=ids, labels=labels, parents=parents, "
                "values=values, branchvalues='total'))"]


def candlestick(w) -> None:
    spec = w.spec
    freq = w.resolved[spec.x].freq
    numbers = w.use("as_numbers")
    w.lines.append(f"t = {w.use('periods')}({w.col(spec.x)}, {freq!r})")
    names = [spec.y[0]] if spec.y else [spec.open, spec.high, spec.low, spec.close]
    values = ", ".join(f"'v{i}': {numbers}({w.col(name)})" for i, name in enumerate(names))
    w.lines += [f"rows = pd.DataFrame({{'t': t, 'x': {w.col(spec.x)}, {values}}})",
                "# First and last by time (ties in row order); missing values skipped",
                "rows = rows.dropna(subset=['t', 'x']).sort_values('x', kind='stable')"]
    if spec.y:
        w.lines.append("candles = rows.groupby('t').agg(open=('v0', 'first'), high=('v0', "
                       "'max'), low=('v0', 'min'), close=('v0', 'last'))")
    else:
        w.lines.append("candles = rows.groupby('t').agg(open=('v0', 'first'), high=('v1', "
                       "'max'), low=('v2', 'min'), close=('v3', 'last'))")
    w.lines += ["candles = candles.dropna(how='all')",
                "fig = go.Figure(go.Candlestick(x=candles.index, open=candles['open'], "
                "high=candles['high'], low=candles['low'], close=candles['close']))",
                "fig.update_layout(xaxis_rangeslider_visible=False)"]


def scatter3d(w) -> None:
    spec = w.spec
    names = [spec.x, spec.y[0], spec.z] + ([spec.color] if spec.color else [])
    n = w.resolved["__sample__"]
    w.lines += [f"points = pd.concat([{', '.join(w.col(c) for c in names)}], axis=1).dropna()",
                f"if len(points) > {n}:  # the same seeded sample as the chart",
                f"    keep = np.sort(np.random.default_rng(0).choice(len(points), size={n}, "
                "replace=False))",
                "    points = points.iloc[keep]",
                f"xyz = [{w.use('as_numbers')}(points.iloc[:, i]) for i in range(3)]"]
    if spec.color and w.columns[spec.color].kind == "float":
        w.lines.append("fig = go.Figure(go.Scatter3d(x=xyz[0], y=xyz[1], z=xyz[2], "
                       "mode='markers', marker=dict(color=points.iloc[:, 3])))")
    elif spec.color:
        order = w.key(spec.color, "g")
        w.lines += ["g = g.loc[points.index]",
                    "fig = go.Figure([go.Scatter3d(x=xyz[0][g == name], y=xyz[1][g == name], "
                    "z=xyz[2][g == name], mode='markers', name=str(name))",
                    f"                 for name in {order or 'g.unique()'} "
                    "if (g == name).any()])"]
    else:
        w.lines.append("fig = go.Figure(go.Scatter3d(x=xyz[0], y=xyz[1], z=xyz[2], "
                       "mode='markers'))")


def surface(w) -> None:
    spec = w.spec
    agg = PANDAS_AGG[spec.effective_agg()]
    w.key(spec.x, "x")
    w.key(spec.y[0], "y")
    w.lines += [f"data = {w.col(spec.z)}.groupby([x, y]).agg({agg!r}).unstack()",
                "z = data.T  # rows: y, columns: x; a cell without rows is a hole (NaN)",
                "fig = go.Figure(go.Surface(x=z.columns, y=z.index, z=z))"]
