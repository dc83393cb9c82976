"""Time the chart kinds of issue 16 on the benchmark frame ("Speed": <= 1 s cold at 10M rows).

    PYTHONPATH=. python benchmarks/chart_kinds_speed.py [--rows 10000000] [--repeats 2]

In chart_speed.py's manner (and with its client and helpers): builds the frame of
``shared/bench-frame.md`` at ``--rows`` rows, ``show()``s it, and times each new kind through
the real route ``GET /api/frames/<frame>/chart`` of the real threaded server with
``requests``: the first call (cold), the median of it and ``--repeats`` more cold calls (the
same frame shown again under a new name, so nothing is cached) and one cached call, with the
figure's JSON size, the marks and the reduction the server reports.

Answers are checked against plain pandas (treemap and sunburst sizes, funnel means, the
candles of one y, the surface's cell count, the 3D sample's size, the map's cell counts and
country means, an animation's first frame); a wrong answer prints
``CHECK FAILED`` and the exit status is 1. Timing never changes the exit status.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart_speed import (MB, Checks, Client, decode, fmt_bytes, fmt_ms,  # noqa: E402
                         fresh_shower, machine, run_case)

TARGET_MS = 1000
CASES = [
    ("treemap: sum f2 by cat / s_lo", {"type": "treemap", "path": ["cat", "s_lo"], "y": "f2",
                                        "agg": "sum"}),
    ("sunburst: rows by s_lo / flag / i_small", {"type": "sunburst",
                                                 "path": ["s_lo", "flag", "i_small"]}),
    ("treemap: rows by s_lo / cat / flag / ts", {"type": "treemap",
                                                 "path": ["s_lo", "cat", "flag", "ts"]}),
    ("funnel: mean f1 by s_lo", {"type": "funnel", "x": "s_lo", "y": "f1", "agg": "mean"}),
    ("candlestick: f3 over ts, daily", {"type": "candlestick", "x": "ts", "y": "f3",
                                        "freq": "day"}),
    ("candlestick: f1/f4/f2/f3 columns, weekly", {
        "type": "candlestick", "x": "ts", "open": "f1", "high": "f4", "low": "f2",
        "close": "f3", "freq": "week"}),
    ("scatter3d: f1 x f3 x f2, colour s_lo", {"type": "scatter3d", "x": "f1", "y": "f3",
                                             "z": "f2", "color": "s_lo"}),
    ("surface: mean f2 over f1 x f3", {"type": "surface", "x": "f1", "y": "f3", "z": "f2",
                                       "agg": "mean"}),
    ("bar y2: mean f1, right mean f2 by s_lo", {"type": "bar", "x": "s_lo", "y": "f1",
                                                "y2": "f2", "agg": "mean"}),
    ("facet bar: mean f1 by s_lo, per flag", {"type": "bar", "x": "s_lo", "y": "f1",
                                              "agg": "mean", "facet": "flag"}),
    ("facet line: mean f1 daily over ts, per cat", {"type": "line", "x": "ts", "y": "f1",
                                                    "agg": "mean", "facet": "cat"}),
    # Maps and animations (issue 16); lat, lon and country are made by ``with_geo``.
    ("map: points at lat/lon (a density)", {"type": "map", "lat": "lat", "lon": "lon"}),
    ("map: mean f1 by country (choropleth)", {"type": "map", "locations": "country",
                                              "y": "f1", "agg": "mean"}),
    ("bar: rows by s_lo, animated by ts month", {"type": "bar", "x": "s_lo",
                                                 "animate_by": "ts", "freq": "month"}),
    ("scatter: f1 x f3, animated by cat", {"type": "scatter", "x": "f1", "y": "f3",
                                           "animate_by": "cat"}),
    ("map: points, animated by flag", {"type": "map", "lat": "lat", "lon": "lon",
                                       "animate_by": "flag"}),
]
# The countries of the choropleth: one per s_lo value (ISO-3 codes and names mixed, and one
# that is neither, as a user's column would have).
COUNTRIES = ["France", "DEU", "United States", "JPN", "Brazil", "IND", "China", "Canada",
             "AUS", "Mexico", "Nigeria", "EGY", "Spain", "ITA", "Russia", "ZAF", "Argentina",
             "KOR", "Indonesia", "Atlantis"]


def with_geo(frame):
    """The benchmark frame with map columns made from its own: lat from f3 (a normal, so a
    few beyond -90..90, which the map leaves out and counts), lon from f2 (uniform, 20%
    missing), country from s_lo."""
    import pandas as pd

    frame["lat"] = frame["f3"] * 25.0
    frame["lon"] = frame["f2"] * 0.36 - 180.0
    codes = frame["s_lo"].str.slice(4).astype(int).to_numpy()
    frame["country"] = pd.Categorical.from_codes(codes, categories=COUNTRIES)
    return frame


def log(message: str) -> None:
    print(f"[chart_kinds_speed] {message}", file=sys.stderr, flush=True)


def nodes(trace: dict) -> dict:
    by_id = dict(zip(trace["ids"], zip(trace["labels"], trace["parents"])))

    def path(node):
        label, parent = by_id[node]
        return (path(parent) if parent else ()) + (label,)

    return {path(i): v for i, v in zip(trace["ids"], decode(trace["values"]).tolist())}


def check_results(frame, results: dict, checks: Checks) -> None:
    import pandas as pd

    def close(a, b):
        return np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-6,
                           equal_nan=True)

    r = results.get("treemap: sum f2 by cat / s_lo")
    if r and "body" in r:
        got = nodes(r["body"]["figure"]["data"][0])
        want = frame.groupby("cat", observed=True)["f2"].sum()
        firsts = {k[0]: v for k, v in got.items() if len(k) == 1}
        kept = [k for k in want.index if str(k) in firsts]  # the 20 kept; the rest in Other
        checks.expect(len(kept) == 20 and all(close(firsts[str(k)], want[k]) for k in kept)
                      and close(sum(firsts.values()), want.sum()),
                      "treemap: each kept cat's size is pandas' sum of f2, and all sum to it")
    r = results.get("sunburst: rows by s_lo / flag / i_small")
    if r and "body" in r:
        got = nodes(r["body"]["figure"]["data"][0])
        firsts = {k[0]: v for k, v in got.items() if len(k) == 1}
        want = frame["s_lo"].value_counts()
        kept = [k for k in want.index if str(k) in firsts]  # the 12 kept; the rest in Other
        checks.expect(len(kept) == 12 and all(firsts[str(k)] == want[k] for k in kept)
                      and sum(firsts.values()) == len(frame),
                      "sunburst: each s_lo's size is its row count, and they sum to the rows")
    r = results.get("funnel: mean f1 by s_lo")
    if r and "body" in r:
        trace = r["body"]["figure"]["data"][0]
        want = frame.groupby("s_lo")["f1"].mean()
        checks.expect(close(decode(trace["x"]), want.reindex(trace["y"]).to_numpy()),
                      "funnel: mean f1 per stage equals pandas")
    r = results.get("candlestick: f3 over ts, daily")
    if r and "body" in r:
        trace = r["body"]["figure"]["data"][0]
        rows = frame[["ts", "f3"]].dropna().sort_values("ts", kind="stable")
        want = rows.groupby(rows.ts.dt.floor("D"))["f3"].agg(["first", "max", "min", "last"])
        checks.expect(all(close(decode(trace[k]), want[c].to_numpy()) for k, c in (
            ("open", "first"), ("high", "max"), ("low", "min"), ("close", "last"))),
            "candlestick: daily open/high/low/close of f3 equal pandas")
    r = results.get("surface: mean f2 over f1 x f3")
    if r and "body" in r:
        z = decode(r["body"]["figure"]["data"][0]["z"])
        checks.expect(z.size == r["points"] and np.isfinite(z).any(),
                      "surface: a grid of cells with values")
    r = results.get("map: points at lat/lon (a density)")
    if r and "body" in r:
        counts = decode(r["body"]["figure"]["data"][0]["marker"]["color"])
        inside = frame.lat.between(-90, 90) & frame.lon.between(-180, 180)
        checks.expect(counts.sum() == inside.sum() and "density" in (r.get("note") or ""),
                      "map: the cells' counts sum to the rows inside the world")
    r = results.get("map: mean f1 by country (choropleth)")
    if r and "body" in r:
        trace = r["body"]["figure"]["data"][0]
        from dtale_lite.charts.countries import to_iso3
        want = frame.groupby("country", observed=True)["f1"].mean()
        want.index = [to_iso3(name) for name in want.index]
        want = want[want.index.notna()]
        checks.expect(close(decode(trace["z"]), want.reindex(trace["locations"]).to_numpy())
                      and len(trace["locations"]) == 19,
                      "map: mean f1 per country equals pandas; Atlantis left out")
    r = results.get("bar: rows by s_lo, animated by ts month")
    if r and "body" in r:
        frames = r["body"]["figure"]["frames"]
        first = frames[0]["data"][0]
        want = frame[frame.ts < pd.Timestamp("2020-02-01")]["s_lo"].value_counts()
        checks.expect(len(frames) == 48 and close(decode(first["y"]),
                                                  want.reindex(first["x"]).to_numpy()),
                      "bar animated: 48 monthly frames, January's counts equal pandas")
    r = results.get("scatter3d: f1 x f3 x f2, colour s_lo")
    if r and "body" in r:
        drawn = sum(len(decode(t["x"])) for t in r["body"]["figure"]["data"])
        checks.expect(drawn == 20_000 and "sample" in (r.get("note") or ""),
                      "scatter3d: a 20,000-point sample, said in the note")
    del pd


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", help="run only the cases whose label contains this text "
                                       "(several: separated by |)")
    args = parser.parse_args(argv)

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    print(f"# chart_kinds_speed {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{machine()}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    log(f"building the {args.rows:,}-row frame")
    start = time.perf_counter()
    frame = with_geo(bench_frame(args.rows))
    log(f"built in {time.perf_counter() - start:.1f} s")
    instance = dtale_lite.show(frame, name="bench")
    client = Client(instance)
    checks = Checks()
    fresh = fresh_shower(dtale_lite, frame)
    results = {}
    for label, params in CASES:
        if args.only and not any(part in label for part in args.only.split("|")):
            continue
        log(label)
        results[label] = run_case(client, "bench", "chart", params, args.repeats, fresh)

    print(f"# ms through the route; first = first call (cold); median = of the first and "
          f"{args.repeats} more cold calls (the frame shown again under a new name each "
          f"time); cached = the same call again; target <= {TARGET_MS} ms cold")
    header = (f"{'chart (' + format(args.rows, ',') + ' rows)':42} {'first':>7} "
              f"{'median':>7} {'cached':>7} {'ok?':>4} {'JSON':>10} {'points':>8}  reduction")
    print(header)
    print("-" * len(header))
    misses = []
    for label, r in results.items():
        if "error" in r:
            print(f"{label:42} FAILED: HTTP {r['status']} {r['error']}")
            checks.expect(False, f"{label}: HTTP {r['status']} {r['error']}")
            continue
        ok = r["median_ms"] <= TARGET_MS and r["first_ms"] <= TARGET_MS
        if not ok:
            misses.append(f"{label}: first {r['first_ms']:.0f} ms, median "
                          f"{r['median_ms']:.0f} ms")
        print(f"{label:42} {fmt_ms(r['first_ms']):>7} {fmt_ms(r['median_ms']):>7} "
              f"{fmt_ms(r['cached_ms']):>7} {'yes' if ok else 'NO':>4} "
              f"{fmt_bytes(r['figure_bytes']):>10} {r['points']:>8,}  {r.get('reduction')}")
        checks.expect(r["figure_bytes"] < MB, f"{label}: figure JSON under 1 MB")
        if r.get("note"):
            print(f"{'':42}   note: {r['note']}")
    print("cold times (ms, first then repeats): " + json.dumps(
        {k: [round(t, 1) for t in r.get("all_ms", [r["first_ms"]])]
         for k, r in results.items()}))
    log("checking answers against pandas")
    check_results(frame, results, checks)
    print("targets missed: " + ("; ".join(misses) if misses else "none"))
    print(f"load average at the end (1/5/15 min): "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"checks: {'ok' if not checks.failed else 'FAILED'} ({len(checks.passed)} passed"
          + (f", failed: {'; '.join(checks.failed)}" if checks.failed else "") + ")")
    dtale_lite.shutdown()
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
