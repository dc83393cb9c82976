"""D-Tale 3.22.0's build-column, edit-cell, duplicates and reshape routes next to dtale_lite's
steps and summaries, on one machine in one run (issue 15).

    PYTHONPATH=. python benchmarks/dtale_steps_side_by_side.py [--rows 10000000] [--repeats 2]
        [--venv benchmarks/.venv-dtale]

Each side runs in its own fresh process, one after the other, on the benchmark frame
(``dtale_lite/frames/benchframe.py``):

- D-Tale: ``dtale.views.startup`` on ``dtale.app.build_app`` (no server) and its own routes
  through Flask's test client: ``/dtale/build-column`` (numeric multiply, datetime month,
  type conversion to category), ``/dtale/edit-cell``, ``/dtale/duplicates`` (remove) and
  ``/dtale/reshape`` (aggregate, pivot, resample, output=new). D-Tale mutates its stored copy,
  so each repeat builds a column under a new name.
- dtale_lite: ``show()`` and the real HTTP routes on 127.0.0.1: ``POST /api/frames/<f>/steps``
  (then ``/steps/undo``, untimed, so every repeat starts from the same frame) and
  ``POST /api/frames/<f>/summarize`` (the new frame is removed, untimed), after one step and
  one summary on a 10-row frame (the steps' modules load on first use).

Printed: the first call and the median of it and the repeats, per side, and the ratio.
Calls slower than 5 s are not repeated.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _sidebyside import (DEFAULT_VENV, DTALE_VERSION, HERE, REPO, SLOW_MS, ensure_venv,
                         load_benchframe, machine_line, run_child, secs, venv_env)
from _sidebyside import log as _log

# label -> (D-Tale route and its arguments (``{n}`` numbers a new column), dtale_lite route
# ("steps" or "summarize") and its JSON body)
CASES = [
    ("column: f1 * f2",
     ("build-column", {"type": "numeric", "name": "g{n}", "cfg": {
         "left": {"col": "f1"}, "right": {"col": "f2"}, "operation": "multiply"}}),
     ("steps", {"op": "add_column", "name": "g", "kind": "arithmetic", "left": "f1",
                "operator": "*", "right": "f2"})),
    ("column: month of ts",
     ("build-column", {"type": "datetime", "name": "m{n}", "cfg": {
         "col": "ts", "property": "month"}}),
     ("steps", {"op": "add_column", "name": "m", "kind": "datetime_part", "column": "ts",
                "part": "month"})),
    ("convert s_lo to category",
     ("build-column", {"type": "type_conversion", "name": "c{n}", "cfg": {
         "col": "s_lo", "from": "object", "to": "category"}}),
     ("steps", {"op": "convert", "column": "s_lo", "to": "category"})),
    ("edit one cell of f1",
     ("edit-cell", {"col": "f1", "rowIndex": 5, "updated": "1.5"}),
     ("steps", {"op": "edit", "row": 5, "column": "f1", "value": 1.5})),
    ("drop duplicates of s_lo, i_small",
     ("duplicates", {"type": "rows", "action": "execute", "cfg": {
         "subset": ["s_lo", "i_small"], "keep": "first"}}),
     ("steps", {"op": "drop_duplicates", "columns": ["s_lo", "i_small"], "keep": "first"})),
    ("groupby s_lo: mean, sum, max of f1",
     ("reshape", {"type": "aggregate", "output": "new", "cfg": {
         "index": ["s_lo"], "agg": {"type": "col", "cols": {"f1": ["mean", "sum", "max"]}}}}),
     ("summarize", {"kind": "groupby", "by": ["s_lo"],
                    "aggregations": {"f1": ["mean", "sum", "max"]}})),
    ("pivot s_lo x flag, mean of f1",
     ("reshape", {"type": "pivot", "output": "new", "cfg": {
         "index": ["s_lo"], "columns": ["flag"], "values": ["f1"], "aggfunc": "mean"}}),
     ("summarize", {"kind": "pivot", "index": "s_lo", "columns": "flag", "values": "f1",
                    "aggregation": "mean"})),
    ("resample ts by day, mean of f1",
     ("reshape", {"type": "resample", "output": "new", "cfg": {
         "index": "ts", "columns": ["f1"], "freq": "D", "agg": "mean"}}),
     ("summarize", {"kind": "resample", "on": "ts", "freq": "day",
                    "aggregations": {"f1": ["mean"]}})),
]


def log(message: str) -> None:
    _log("steps_side_by_side", message)


def timed_calls(call, repeats: int) -> dict:
    """First call, then ``repeats`` more unless it was slower than SLOW_MS; a failure is a
    result (its text), not a crash."""
    try:
        first, error = call(0)
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    if error:
        return {"first_ms": first, "error": error[:300]}
    times = [first]
    if first < SLOW_MS:
        for n in range(1, repeats + 1):
            times.append(call(n)[0])
    return {"first_ms": first, "median_ms": statistics.median(times), "all_ms": times}


# ------------------------------------------------------------------------ the D-Tale child
def dtale_child(rows: int, repeats: int) -> dict:
    import pandas as pd

    out = {"side": "dtale", "rows": rows, "pandas": pd.__version__}
    frame = load_benchframe().bench_frame(rows)
    from dtale.app import build_app
    from dtale.views import startup

    app = build_app(reaper_on=False)
    start = time.perf_counter()
    with app.app_context():
        startup("", data=frame, data_id="1", ignore_duplicate=True)
    out["startup_s"] = time.perf_counter() - start
    del frame  # D-Tale holds its own copy
    client = app.test_client()

    def caller(route: str, args: dict):
        def call(n: int):
            query = {k: (json.dumps(v) if isinstance(v, (dict, list)) else
                         (v.format(n=n) if isinstance(v, str) else v)) for k, v in args.items()}
            start = time.perf_counter()
            response = client.get(f"/dtale/{route}/1", query_string=query)
            elapsed = (time.perf_counter() - start) * 1000
            body = response.get_json(silent=True) or {}
            error = body.get("error") if isinstance(body, dict) else None
            if response.status_code != 200 and not error:
                error = f"HTTP {response.status_code}"
            return elapsed, error
        return call

    results = {}
    for label, (route, args), _ in CASES:
        if route == "duplicates":  # it replaces D-Tale's data: run it last
            continue
        log(f"D-Tale: {label}")
        results[label] = timed_calls(caller(route, args), repeats)
    for label, (route, args), _ in CASES:
        if route == "duplicates":
            log(f"D-Tale: {label}")
            results[label] = timed_calls(caller(route, args), 0)
    out["results"] = results
    return out


# --------------------------------------------------------------------- the dtale_lite child
def lite_child(rows: int, repeats: int) -> dict:
    sys.path.insert(0, str(REPO))
    import pandas as pd
    import requests

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    out = {"side": "dtale_lite", "rows": rows, "pandas": pd.__version__}
    frame = bench_frame(rows)
    start = time.perf_counter()
    instance = dtale_lite.show(frame, name="bench")
    out["startup_s"] = time.perf_counter() - start
    session = requests.Session()
    session.headers["X-Dtale-Lite-Key"] = instance.key
    base = f"{instance.base_url}/api/frames/bench"
    # One step and one summary on a 10-row frame first: the steps' modules load on first use
    # (show() imports nothing heavy), and D-Tale's startup has loaded all of its own.
    warm = dtale_lite.show(frame.head(10), name="warm")
    warm.apply("add_column", name="w", kind="copy", column="f1")
    warm.summarize("groupby", by=["s_lo"], aggregations={"f1": ["mean"]}).kill()
    warm.kill()

    def caller(route: str, body: dict):
        def call(_n: int):
            start = time.perf_counter()
            response = session.post(f"{base}/{route}", json=body, timeout=600)
            elapsed = (time.perf_counter() - start) * 1000
            answer = response.json()
            if response.status_code != 200:
                return elapsed, f"HTTP {response.status_code}: {answer.get('error')}"
            if route == "steps":
                session.post(f"{base}/steps/undo", json={}, timeout=600).raise_for_status()
            else:
                dtale_lite.get(answer["frame"]["id"]).kill()
            return elapsed, None
        return call

    results = {}
    for label, _, (route, body) in CASES:
        log(f"dtale_lite: {label}")
        results[label] = timed_calls(caller(route, body), repeats)
    out["results"] = results
    dtale_lite.shutdown()
    return out


# -------------------------------------------------------------------------------- parent
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--dtale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dtale_lite-child", dest="lite_child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dtale_child:
        print(json.dumps(dtale_child(args.dtale_child, args.repeats)), flush=True)
        return 0
    if args.lite_child:
        print(json.dumps(lite_child(args.lite_child, args.repeats)), flush=True)
        return 0

    print(f"# D-Tale {DTALE_VERSION} and dtale_lite, shaping steps side by side, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(machine_line())
    print(f"# frame: the benchmark frame (dtale_lite/frames/benchframe.py), {args.rows:,} rows; "
          f"first call and the median of it and {args.repeats} more")
    python, how = ensure_venv(args.venv.resolve())
    print(f"# D-Tale venv: {how}")
    me = str(Path(__file__).resolve())
    dtale = ({"failed": how} if python is None else
             run_child([str(python), me, "--dtale-child", str(args.rows), "--repeats",
                        str(args.repeats)], "dtale", env=venv_env()))
    lite = run_child([sys.executable, me, "--dtale_lite-child", str(args.rows), "--repeats",
                      str(args.repeats)], "dtale_lite")
    for side in (dtale, lite):
        if "failed" in side:
            print(f"# {side.get('side', 'dtale')}: {side['failed']}")
    if "startup_s" in dtale:
        print(f"# D-Tale: startup (load the frame) {dtale['startup_s']:.1f} s; routes through "
              "its Flask test client")
    if "startup_s" in lite:
        print(f"# dtale_lite: show() {lite['startup_s'] * 1000:.0f} ms; routes over HTTP on "
              "127.0.0.1")
    print()
    print(f"{'':36} | {'D-Tale first':>12} {'median':>9} | {'dtale_lite first':>16} "
          f"{'median':>9} | D-Tale / dtale_lite (medians)")
    print("-" * 118)
    notes = []
    for label, _, _ in CASES:
        d = dtale.get("results", {}).get(label, {})
        li = lite.get("results", {}).get(label, {})
        cells = []
        for who, r in (("D-Tale", d), ("dtale_lite", li)):
            if "error" in r:
                notes.append(f"{who}, {label}: {r['error']}")
                cells.append(f"{'FAILS [' + str(len(notes)) + ']':>22}")
            else:
                cells.append(f"{secs(r.get('first_ms')):>12} {secs(r.get('median_ms')):>9}")
        ratio = ""
        if d.get("median_ms") and li.get("median_ms"):
            ratio = f"{d['median_ms'] / li['median_ms']:.1f}x"
        elif d.get("first_ms") and li.get("median_ms") and "error" not in d:
            ratio = f"{d['first_ms'] / li['median_ms']:.1f}x (D-Tale's first call)"
        print(f"{label:36} | {cells[0]} | {cells[1]:>26} | {ratio}")
    for number, note in enumerate(notes, 1):
        print(f"[{number}] {note}")
    print("load average at the end (1/5/15 min): " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print()
    print("raw: " + json.dumps({"dtale": dtale, "dtale_lite": lite}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
