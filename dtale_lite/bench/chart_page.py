"""The chart page's load time in headless Chromium (issue 17, defect 7):

    python -m dtale_lite.bench.chart_page [--rows 50000] [--runs 3]

Each run is a fresh Python process (this script re-invokes itself with ``--one``) that builds
the benchmark frame, ``show()``s it and opens chart pages in a new headless Chromium context:

- cold: the first chart page after the server started, with an empty browser cache (the Dash
  app is built by this request, every script is fetched and compiled);
- warm: a second chart page (another chart of the same frame) in the same browser context, so
  with the browser's cache and the built Dash app.

A page counts as loaded when its figure is drawn: the first ``.main-svg`` of the chart holds
its traces. Times are the page's own clock (``performance.now()``, 0 = navigation start). Each
run also reports where the cold load's time went, from the browser's navigation and resource
timings: the document's response (includes building the Dash app), the scripts, the Dash
requests (layout, dependencies, callbacks, with the server's time for each), plotly.js.

Prints one JSON line per run and a summary line (medians, and whether the targets hold: cold
<= 2000 ms, warm <= 1000 ms). Timing never changes the exit status; 1 means a page did not draw
(60 s) and 2 that there is no Chromium or Playwright.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

TARGETS_MS = {"cold_ms": 2000, "warm_ms": 1000}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
GRAPH = '[data-testid="chart-graph"] .js-plotly-plot'
# performance.now() once the chart's first .main-svg holds drawn traces, else false.
DRAWN_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const svg = gd && gd.querySelector('.main-svg');
    if (!svg || !gd._fullData || !gd._fullData.length) return false;
    return svg.querySelector('g.trace') ? performance.now() : false;
}"""
# Where a load's time went, from the navigation and resource timings (ms since navigation).
TIMINGS_JS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const out = {document_server_ms: Math.round(nav.responseStart - nav.requestStart),
                 document_ms: Math.round(nav.responseEnd),
                 dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd), requests: []};
    let bytes = 0;
    for (const r of performance.getEntriesByType('resource')) {
        const name = r.name.split('?')[0].split('/').slice(-1)[0];
        bytes += r.transferSize;
        if (/_dash-|plotly|\\.js$/.test(r.name)) {
            out.requests.push([name, Math.round(r.startTime), Math.round(r.responseEnd),
                               Math.round(r.responseStart - r.requestStart), r.transferSize]);
        }
    }
    out.transferred_kb = Math.round(bytes / 1024);
    return out;
}"""


def log(message: str) -> None:
    print(f"[chart_page] {message}", file=sys.stderr, flush=True)


def chromium_path() -> str | None:
    path = os.environ.get("DTALE_LITE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def drawn_at(page, timeout_ms: int = 60_000) -> float:
    return page.wait_for_function(DRAWN_JS, arg=GRAPH, polling="raf",
                                  timeout=timeout_ms).json_value()


def run_one(rows: int) -> dict:
    """One cold and one warm chart page on a server started in this process."""
    import playwright.sync_api as playwright

    import dtale_lite
    from dtale_lite.frames.benchframe import bench_frame

    frame = bench_frame(rows)
    inst = dtale_lite.show(frame, name="bench")
    cold_url = inst.chart_url(type="bar", x="s_lo")
    warm_url = inst.chart_url(type="bar", x="cat", y="f1", agg="mean")
    out: dict = {"rows": rows}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto("about:blank")  # the browser is up before the clock starts
            page.goto(cold_url)
            out["cold_ms"] = round(drawn_at(page))
            out["cold_breakdown"] = page.evaluate(TIMINGS_JS)
            page.goto(warm_url)
            out["warm_ms"] = round(drawn_at(page))
            warm = page.evaluate(TIMINGS_JS)
            out["warm_transferred_kb"] = warm["transferred_kb"]
            out["warm_document_server_ms"] = warm["document_server_ms"]
        finally:
            browser.close()
    dtale_lite.shutdown()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dtale_lite.bench.chart_page",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (cold loads)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        import playwright  # noqa: F401
    except ImportError:
        log("needs Python Playwright (pip install playwright)")
        return 2
    if chromium_path() is None:
        log("needs Chromium (apt-get install chromium, or set DTALE_LITE_CHROMIUM)")
        return 2
    if args.one:
        print(json.dumps(run_one(args.rows)), flush=True)
        return 0

    log(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    runs = []
    for i in range(args.runs):
        log(f"run {i + 1} of {args.runs}: {args.rows:,} rows")
        child = subprocess.run([sys.executable, "-m", "dtale_lite.bench.chart_page", "--one",
                                "--rows", str(args.rows)], stdout=subprocess.PIPE, text=True)
        if child.returncode != 0:
            log(f"run {i + 1}: the page did not draw (exit {child.returncode})")
            return 1
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        runs.append(figures)
        print(json.dumps(figures), flush=True)
    summary: dict = {"rows": args.rows, "runs": len(runs)}
    for name, target in TARGETS_MS.items():
        values = [r[name] for r in runs]
        summary[name] = values
        summary[f"{name}_median"] = round(statistics.median(values))
        summary[name.removesuffix("_ms") + "_pass"] = statistics.median(values) <= target
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
