"""The pandas (and plotly) that computes each analysis page's figure from the shown frame ``df``.

As the chart builder's code (charts/code.py): the filter is translated by ``pandas_code`` (never
``query`` strings), column names are written with ``repr``, and a test runs the code on the same
frame and compares its figure's numbers with the page's.
"""
from __future__ import annotations

from ...frames.analysis.missing import MAX_BANDS
from ...frames.analysis.outliers import IQR_FACTOR, Z_LIMIT
from ...frames.analysis.timeseries import RESAMPLE_RULES, SEASONS
from ...frames.filter_syntax import canonical, parse
from ...frames.pandas_code import ColumnRefs, filter_code

HEAD = ["import numpy as np", "import pandas as pd", "import plotly.graph_objects as go", "",
        "# df: the frame shown in dtale_lite"]


class _Code:
    def __init__(self, source, filter_text: str | None):
        self.refs = ColumnRefs(getattr(source, "frame", None), source.columns())
        self.names = [c.name for c in source.columns()]
        self.filter_text = filter_text
        self.lines: list[str] = []

    def col(self, name: str) -> str:
        return self.refs.col(name, "view")

    def text(self) -> str:
        body = []
        if self.filter_text:
            node = parse(self.filter_text)
            body += [f"# filter: {canonical(node)}", f"view = df[{filter_code(node, self.refs)}]"]
        else:
            body.append("view = df")
        extra = ["import numbers"] if "numbers" in self.refs.imports() else []
        parts = extra + HEAD + [""] + [h + "\n" for h in self.refs.helper_text()] + body
        return "\n".join(parts + self.lines).rstrip() + "\nfig.show()\n"


def missing_code(source, filter_text, names: list[str]) -> str:
    w = _Code(source, filter_text)
    w.lines += [
        f"missing = view.isna().set_axis({names!r}, axis=1)",
        "rows = len(missing)",
        "counts = missing.sum()",
        "share = counts / rows if rows else counts * 0.0",
        f"bands = min({MAX_BANDS}, rows)",
        "band = np.arange(rows) * bands // max(rows, 1)",
        "matrix = missing.groupby(band).mean()  # each band's share missing, per column",
        "partial = counts[(counts > 0) & (counts < rows)].index",
        "corr = missing[partial].astype(float).corr()",
        "fig = go.Figure([go.Bar(x=counts.index, y=share),",
        "                 go.Heatmap(z=matrix.to_numpy(), x=matrix.columns, xaxis='x2', "
        "yaxis='y2'),",
        "                 go.Heatmap(z=corr.to_numpy(), x=corr.columns, y=corr.index, "
        "xaxis='x3', yaxis='y3')])",
        "fig.update_layout(yaxis_domain=[0.78, 1], xaxis_domain=[0, 0.62],",
        "                  xaxis2=dict(domain=[0, 0.62], anchor='y2'), "
        "yaxis2=dict(domain=[0, 0.72], anchor='x2'),",
        "                  xaxis3=dict(domain=[0.7, 0.98], anchor='y3'), "
        "yaxis3=dict(domain=[0.5, 1], anchor='x3'))",
    ]
    return w.text()


def outliers_code(source, filter_text, column: str, method: str) -> str:
    w = _Code(source, filter_text)
    w.lines.append(f"values = {w.col(column)}.astype(float)")
    if method == "iqr":
        w.lines += ["q1, q3 = values.quantile([0.25, 0.75])",
                    f"low, high = q1 - {IQR_FACTOR} * (q3 - q1), q3 + {IQR_FACTOR} * (q3 - q1)"]
    else:
        w.lines += ["mean, std = values.mean(), values.std()",
                    f"low, high = mean - {Z_LIMIT} * std, mean + {Z_LIMIT} * std"]
    w.lines += [
        "outside = (values < low) | (values > high)",
        "count = int(outside.sum())",
        "present = values.dropna()",
        "b1, median, b3 = present.quantile([0.25, 0.5, 0.75])",
        "inside = present[(present >= b1 - 1.5 * (b3 - b1)) & (present <= b3 + 1.5 * (b3 - b1))]",
        f"fig = go.Figure(go.Box(name={column!r}, x=[{column!r}], q1=[b1], median=[median], "
        "q3=[b3],",
        "                        mean=[present.mean()], lowerfence=[inside.min()], "
        "upperfence=[inside.max()]))",
        "for fence in (low, high):",
        "    fig.add_hline(y=fence, line_dash='dash', line_color='#d62728')",
    ]
    return w.text()


def duplicates_code(source, filter_text, columns: list[str], top: int) -> str:
    w = _Code(source, filter_text)
    parts = ", ".join(w.col(c) for c in columns)
    w.lines += [
        f"keys = pd.concat([{parts}], axis=1, keys=range({len(columns)}))",
        "rows = int(keys.duplicated().sum())",
        f"sizes = keys.groupby(list(range({len(columns)})), dropna=False, sort=False, "
        "observed=True).size()",
        f"largest = sizes[sizes > 1].sort_values(ascending=False, kind='stable').head({top})",
        "labels = [' / '.join(map(str, k if isinstance(k, tuple) else (k,))) "
        "for k in largest.index]",
        "fig = go.Figure(go.Bar(x=largest.to_numpy(), y=labels, orientation='h'))",
        "fig.update_yaxes(type='category', autorange='reversed')",
    ]
    return w.text()


def timeseries_code(source, filter_text, x: str, y: str, freq: str, window: int,
                    decomposed: bool) -> str:
    w = _Code(source, filter_text)
    w.lines += [
        f"when = {w.col(x)}",
        "if when.dt.tz is not None:",
        "    when = when.dt.tz_localize(None)  # periods of the wall time, as the page",
        f"values = pd.Series({w.col(y)}.astype(float).to_numpy(), index=when)",
        # Left-closed periods labelled by their start (weeks from Monday), as the page.
        f"series = values[values.index.notna()].resample({RESAMPLE_RULES[freq]!r}, "
        "closed='left', label='left').mean()",
        f"rolling_mean = series.rolling({window}).mean()",
        f"rolling_std = series.rolling({window}).std()",
        "panels = [('resampled mean', series), ('rolling mean', rolling_mean),",
        "          ('rolling std', rolling_std)]",
    ]
    if decomposed:
        w.lines += [
            "from statsmodels.tsa.seasonal import seasonal_decompose  # dtale_lite[analysis]",
            "",
            "parts = seasonal_decompose(series.interpolate(limit_direction='both'), "
            f"model='additive', period={SEASONS[freq]})",
            "panels += [('trend', parts.trend), ('seasonal', parts.seasonal), "
            "('resid', parts.resid)]",
        ]
    w.lines += [
        "fig = go.Figure([go.Scatter(x=s.index, y=s.to_numpy(), name=name, mode='lines')",
        "                 for name, s in panels])",
    ]
    return w.text()
