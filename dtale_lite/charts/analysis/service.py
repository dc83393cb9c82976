"""The analysis pages' answers for a registry, under the charts' admission control.

Each answer is computed once per (frame version, parameters) in one of the admission's slots
and kept in the registry's bounded cache, like a chart (see charts/service.py): a page and its
JSON route share it. The numbers come from the engines' primitives (``nullity``,
``duplicates``, ``box_stats``, ``group_aggregate``; a primitive an engine lacks is a 400 naming
the engine) and frames/analysis; the figures from :mod:`.figures`, the code from :mod:`.code`.
Flask-free.
"""
from __future__ import annotations

import json

import numpy as np

from ...frames.aggregate import GroupKey
from ...frames.analysis import duplicates as dup, missing, outliers, timeseries as ts
from ...frames.errors import BadRequest
from ..selection import combine
from ..service import _Sized
from . import code, figures

MAX_COLUMNS = 100  # the missing-values page shows the first this many columns


class Analysis:
    """The four analysis answers over a ``Charts`` service's registry."""

    def __init__(self, charts):
        self.charts = charts

    def _answer(self, frame, client, params: tuple, build) -> dict:
        snap = self.charts.snapshot(frame)
        key = (snap.id, snap.version, "analysis") + params

        def sized():
            answer = build(snap)
            return _Sized(answer, len(json.dumps(answer["figure"])) + len(answer["code"]))

        return self.charts._admitted(client, key, sized).value

    def _rows(self, snap, filter_text):
        source, positions = self.charts._rows(snap, filter_text)
        rows = source.row_count() if positions is None else len(positions)
        return source, positions, rows

    # -- missing values ----------------------------------------------------------------------
    def missing(self, frame, filter_text=None, client=None) -> dict:
        def build(snap):
            source, positions, rows = self._rows(snap, filter_text)
            shown = source.columns()[:MAX_COLUMNS]
            counts = _primitive(source, "nullity")(positions, [c.position for c in shown],
                                                   missing.MAX_BANDS)
            answer = missing.missing_result([c.name for c in shown], counts)
            shares = answer.pop("matrix")
            notes = [f"rows binned into {answer['bands']} bands of about "
                     f"{rows // max(answer['bands'], 1):,} rows"] if rows > answer["bands"] \
                else []
            if len(source.columns()) > MAX_COLUMNS:
                notes.append(f"the first {MAX_COLUMNS} of {len(source.columns())} columns")
            answer.update(reduction="binned" if notes else "none",
                          note="; ".join(notes) or None, filter=filter_text or None)
            answer["figure"] = figures.missing_figure(answer, shares)
            answer["code"] = code.missing_code(source, filter_text, [c.name for c in
                                                                     source.columns()])
            return answer

        return self._answer(frame, client, ("missing", filter_text or ""), build)

    # -- outliers ----------------------------------------------------------------------------
    def outliers(self, frame, column, method="iqr", filter_text=None, client=None) -> dict:
        method = outliers.check_method(method or "iqr")
        snap = self.charts.snapshot(frame)
        col = outliers.check_column(snap.source.columns(), column)

        def build(snap):
            source, positions, rows = self._rows(snap, filter_text)
            _, box = source.box_stats(positions, [], col.position)
            box = {k: _number(v[0]) if len(v) else None for k, v in box.items()}
            _, (mean, std) = source.group_aggregate(positions, [], [(col.position, "mean"),
                                                                     (col.position, "std")])
            low, high = outliers.fences(method, box["q1"], box["q3"],
                                        _number(mean[0]) if len(mean) else None,
                                        _number(std[0]) if len(std) else None)
            outside = outliers.outside_filter(col.name, low, high)
            count = 0
            shown = None
            if outside is not None:
                shown = combine(filter_text, outside)
                count = self._rows(snap, shown)[2]
            answer = {"column": col.name, "method": method, "low": low, "high": high,
                      "count": count, "rows": rows, "filter": shown,
                      "reduction": "aggregated",
                      "note": f"the box is drawn from the quartiles of {int(box['count'] or 0):,} "
                              f"values, not from every row"}
            answer["figure"] = figures.outliers_figure(answer, box)
            answer["code"] = code.outliers_code(source, filter_text, col.name, method)
            return answer

        return self._answer(frame, client, ("outliers", col.name, method, filter_text or ""),
                            build)

    # -- duplicates --------------------------------------------------------------------------
    def duplicates(self, frame, columns_text=None, filter_text=None, client=None) -> dict:
        snap = self.charts.snapshot(frame)
        chosen = dup.parse_columns(columns_text, snap.source.columns())
        names = [c.name for c in chosen]

        def build(snap):
            source, positions, rows = self._rows(snap, filter_text)
            repeated, largest = _primitive(source, "duplicates")(
                positions, [c.position for c in chosen], dup.TOP_GROUPS)
            groups = [{"values": values, "size": size,
                       "filter": combine(filter_text, dup.group_filter(names, values))}
                      for values, size in largest]
            distinct = rows - repeated
            answer = {"columns": names, "rows": repeated, "total": rows, "distinct": distinct,
                      "groups": groups,
                      "filter": combine(filter_text, dup.groups_filter(names, groups))
                      if groups else None,
                      "reduction": "top_n" if groups else "aggregated",
                      "note": f"the {len(groups)} largest groups of repeated rows"
                      if groups else None}
            answer["figure"] = figures.duplicates_figure(answer)
            answer["code"] = code.duplicates_code(source, filter_text, names, dup.TOP_GROUPS)
            return answer

        return self._answer(frame, client, ("duplicates", tuple(names), filter_text or ""),
                            build)

    # -- time series -------------------------------------------------------------------------
    def timeseries(self, frame, x, y, freq=None, window=None, filter_text=None,
                   client=None) -> dict:
        snap = self.charts.snapshot(frame)
        x_col, y_col = ts.check_columns(snap.source.columns(), x, y)
        freq = ts.check_freq(freq)
        if freq is not None:
            ts.check_window(window, freq)

        def build(snap):
            source, positions, rows = self._rows(snap, filter_text)
            chosen = freq or _auto_freq(source, positions, x_col.position)
            size = ts.check_window(window, chosen)
            (groups,), (means,) = source.group_aggregate(
                positions, [GroupKey(x_col.position, freq=chosen)], [(y_col.position, "mean")])
            series = ts.resampled(groups, means, chosen)
            mean, std = ts.rolling(series, size)
            parts, message = ts.decompose(series, chosen)
            drawn = {"index": [t.isoformat() for t in series.index], "value": series,
                     "rolling_mean": mean, "rolling_std": std, **(parts or {})}
            answer = {"x": x_col.name, "y": y_col.name, "freq": chosen, "window": size,
                      "rows": rows, "periods": len(series), "decomposed": parts is not None,
                      "message": message, "reduction": "aggregated",
                      "note": f"{rows:,} rows resampled into {len(series):,} {chosen} periods "
                              f"(the mean of {y_col.name} per period)"}
            answer["figure"] = figures.timeseries_figure(answer, drawn)
            answer["code"] = code.timeseries_code(source, filter_text, x_col.name, y_col.name,
                                                  chosen, size, parts is not None)
            return answer

        return self._answer(frame, client, ("timeseries", x_col.name, y_col.name, freq or "",
                                            str(window or ""), filter_text or ""), build)


def _primitive(source, name: str):
    """``source.<name>``; a 400 naming the source's type when it has no such primitive (a
    user's own ChartSource written before the analysis pages)."""
    method = getattr(source, name, None)
    if method is None:
        raise BadRequest(f"the {name} of the analysis pages is not available for a "
                         f"{type(source).__name__} source")
    return method


def _number(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _auto_freq(source, positions, column: int) -> str:
    _, (lo, hi) = source.group_aggregate(positions, [], [(column, "min"), (column, "max")])
    if not len(lo) or not np.isfinite(lo[0]) or not np.isfinite(hi[0]):
        return "day"
    return ts.auto_freq(float(hi[0] - lo[0]))

