"""The candlestick builder (issue 16): open, high, low and close per period of a datetime x.

Either one ``y`` column, whose first, highest, lowest and last value in each period (by x) are
the candle, or four columns ``open, high, low, close``: the first open, the highest high, the
lowest low and the last close of each period. The period is ``freq``, or the finest one with
at most ``AUTO_FREQ_MAX`` periods, so a candlestick of millions of rows is a few hundred
candles. Built from the source's ``ohlc`` primitive (pandas and eager Polars; other engines
answer a 400 naming themselves). Pure: no Flask, no Dash, no plotly import.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import result as F
from .marks import (MS, combine_notes, group_filters, left_out_note, missing_message,
                    nothing)
from .spec import OHLC

FREQ_WORDS = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly",
              "quarter": "quarterly", "year": "yearly"}


def candlestick(ctx) -> F.ChartResult:
    spec = ctx.spec
    key = ctx.key(spec.x, missing=False)
    names = [spec.y[0]] * 4 if spec.y else [getattr(spec, name) for name in OHLC]
    # open: the first value by x; high: the greatest; low: the least; close: the last.
    measures = [(ctx.col(name).position, figure)
                for name, figure in zip(names, ("first", "max", "min", "last"))]
    groups, figures = ctx.source.ohlc(ctx.positions, key, ctx.col(spec.x).position, measures)
    candle = dict(zip(OHLC, figures))
    # A period with no value at all draws nothing: leave it out.
    drawn = ~np.all(np.isnan(np.vstack(list(candle.values()))), axis=0) if groups else []
    kept = [g for g, keep in zip(groups, drawn) if keep]
    if not kept:
        return nothing(ctx, missing_message(ctx, [spec.x, *dict.fromkeys(names)]))
    candle = {name: values[drawn] for name, values in candle.items()}
    x = np.array([g.lo.value for g in kept], float) / MS
    trace = {"type": "candlestick", "name": spec.y[0] if spec.y else spec.close,
             "x": F.typed(x), **{name: F.typed(values) for name, values in candle.items()},
             "customdata": group_filters(ctx, spec.x, kept)}
    word = FREQ_WORDS[key.freq]
    layout = {"title": {"text": f"{word} {'candles of ' + spec.y[0] if spec.y else 'candles'}"
                                f" over {spec.x}"},
              "xaxis": {"title": {"text": spec.x}, "type": "date",
                        "rangeslider": {"visible": False}},
              "yaxis": {"title": {"text": spec.y[0] if spec.y else ", ".join(names)}}}
    note = (f"{len(kept):,} {word} candles: open and close are the first and last value in "
            f"each period by {spec.x}")
    _, (placed,) = ctx.source.group_aggregate(ctx.positions, [],
                                              [(ctx.col(spec.x).position, "count")])
    left_out = left_out_note(ctx.rows - placed[0], [spec.x])
    table = pd.DataFrame({spec.x: [g.lo.isoformat() for g in kept], **candle})
    return F.ChartResult({"data": [trace], "layout": layout}, 0, len(kept), "aggregated",
                         combine_notes(note, left_out), table=table)
