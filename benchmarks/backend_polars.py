"""Polars frames through the real server (issue 9): ``python benchmarks/backend_polars.py
[--rows 10000000] [--engine polars|polars-lazy|pandas]``.

The benchmark frame (dtale_lite/frames/benchframe.py) is built as a Polars DataFrame (converted once
from the pandas builder, before timing), shown with ``dtale_lite.show`` (no conversion back),
and read through the HTTP API with a ``requests.Session`` on 127.0.0.1, as the grid does.
Targets at 10M rows: page <= 5 ms, first sorted page <= 400 ms, filtered pages <= 6 ms.
Each answer is checked against pandas on the same data; the figures are printed with the
machine's load average (other work on the machine inflates them).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

TARGETS_MS = {"page_median": 5, "sort_first": 400, "filter_pages_median": 6}


def timed(session, url, **params):
    started = time.perf_counter()
    response = session.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    if not body.get("ok"):
        raise SystemExit(f"{url} {params}: {body}")
    return elapsed, body


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--engine", choices=("polars", "polars-lazy", "pandas"),
                        default="polars", help="what to show: the Polars DataFrame (default), "
                        "a LazyFrame of it, or the pandas frame itself (the same run's "
                        "reference under the same machine load)")
    args = parser.parse_args()

    import polars as pl
    import requests

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    print(f"building {args.rows:,} rows ...", file=sys.stderr, flush=True)
    pandas_frame = bench_frame(args.rows)
    frame = pl.from_pandas(pandas_frame)
    data = {"polars": frame, "polars-lazy": frame.lazy(), "pandas": pandas_frame}[args.engine]
    started = time.perf_counter()
    inst = dtale_lite.show(data, name="bench")  # the first show also starts the server
    show_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    dtale_lite.show(data, name="again")
    show_later_ms = (time.perf_counter() - started) * 1000
    session = requests.Session()
    session.headers["X-Dtale-Lite-Key"] = inst.key
    rows_url = f"{inst.base_url}/api/frames/bench/rows"
    rng = random.Random(0)
    out = {"rows": args.rows, "engine": args.engine, "load_before": os.getloadavg(),
           "show_first_ms": round(show_ms, 2), "show_later_ms": round(show_later_ms, 3)}

    timed(session, rows_url, limit=100)  # the first request warms the server's thread
    pages = [timed(session, rows_url, offset=rng.randrange(args.rows - 100), limit=100)[0]
             for _ in range(50)]
    out["page_median_ms"] = round(statistics.median(pages), 2)
    out["page_p95_ms"] = round(sorted(pages)[int(0.95 * len(pages))], 2)

    sort = json.dumps([["f1", "asc"]])
    out["sort_first_ms"], first = timed(session, rows_url, sort=sort, limit=100)
    want = pandas_frame.sort_values("f1", kind="stable", na_position="last").index[:100]
    checks = {"sort_first": first["index"] == want.tolist()}
    sorted_pages = [timed(session, rows_url, sort=sort, limit=100,
                          offset=rng.randrange(args.rows - 100))[0] for _ in range(20)]
    out["sort_pages_median_ms"] = round(statistics.median(sorted_pages), 2)
    out["sort_s_hi_desc_first_ms"], _ = timed(session, rows_url, limit=100,
                                              sort=json.dumps([["s_hi", "desc"]]))

    text = "f1 > 1"
    out["filter_first_ms"], first = timed(session, rows_url, filter=text, limit=100)
    n = int((pandas_frame.f1 > 1).sum())
    checks["filter_total"] = first["total"] == n
    filtered = [timed(session, rows_url, filter=text, limit=100,
                      offset=rng.randrange(n - 100))[0] for _ in range(50)]
    out["filter_pages_median_ms"] = round(statistics.median(filtered), 2)

    describe_url = f"{inst.base_url}/api/frames/bench/describe"
    for column in ("f1", "s_lo", "s_hi"):
        out[f"describe_{column}_ms"], _ = timed(session, describe_url, column=column)
    chart_url = f"{inst.base_url}/api/frames/bench/chart"
    out["chart_bar_ms"], _ = timed(session, chart_url, type="bar", x="s_lo", y="f1", agg="mean")
    out["chart_histogram_ms"], _ = timed(session, chart_url, type="histogram", x="f1")

    for key, value in list(out.items()):
        if key.endswith("_ms"):
            out[key] = round(value, 2)
    for name, target in TARGETS_MS.items():
        out[f"{name}_target_ms"] = target
        out[f"{name}_pass"] = out[f"{name}_ms"] <= target
    out["checks"] = "ok" if all(checks.values()) else [k for k, v in checks.items() if not v]
    out["load_after"] = os.getloadavg()
    print(json.dumps(out))
    dtale_lite.shutdown()
    return 0 if out["checks"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
