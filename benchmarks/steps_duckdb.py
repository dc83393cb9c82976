"""Steps on a 10M-row Parquet file read by DuckDB (issue 15), through the routes.

    python benchmarks/steps_duckdb.py [--rows 10000000] [--path FILE] [--engine polars]

Writes the benchmark frame (dtale_lite/frames/benchframe.py) as one Parquet file if it is
missing (default /tmp/dtale-lite-bench-<rows>.parquet, never inside the repo), then, in a
child process (so the writer's memory is not counted), shows it with ``show_file``'s source
and times, through the Flask test client: the POST of a step (DuckDB checks the query; a
step that drops rows is written once into a table), the first page after it, the row count
and a page in the middle of the stepped frame; then a groupby summary (the aggregate, stored
by DuckDB in a database file of its own). The child's peak RSS is printed at the end. One
run each: the figures are single measurements. ``--engine polars`` reads the file into a Polars DataFrame first and shows that instead (the
RSS growth of a step is then what it copies).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS = {
    "arithmetic column f1 * f2": {"op": "add_column", "name": "g", "kind": "arithmetic",
                                  "left": "f1", "operator": "*", "right": "f2"},
    "drop_duplicates s_lo, i_small": {"op": "drop_duplicates",
                                      "columns": ["s_lo", "i_small"]},
}
GROUPBY = {"kind": "groupby", "by": ["s_lo"], "aggregations": {"f1": ["mean", "sum", "max"]}}


def write_file(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dtale_lite.frames.benchframe import bench_frame

    table = pa.Table.from_pandas(bench_frame(rows), preserve_index=False)
    pq.write_table(table, path, row_group_size=122_880)


def ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def measure(path: str, engine: str) -> dict:
    from dtale_lite import create_app
    from dtale_lite.backends.files import file_source
    from dtale_lite.server.registry import Registry

    registry = Registry()
    client = create_app(registry, key="k").test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = "k"
    results = {}
    if engine == "polars":
        import polars as pl

        frame = pl.read_parquet(path)

        def shown():
            return frame
    else:
        def shown():
            return file_source(path)
    for label, step in STEPS.items():
        ident = registry.add(shown()).id
        client.get(f"/api/frames/{ident}/rows?limit=100")  # the file opened, as a user sees it
        before = rss_mb()
        start = time.perf_counter()
        body = client.post(f"/api/frames/{ident}/steps", json=step).get_json()
        post = ms(start)
        grew = round(rss_mb() - before)
        assert body["ok"], body
        start = time.perf_counter()
        page = client.get(f"/api/frames/{ident}/rows?limit=100").get_json()
        first = ms(start)
        start = time.perf_counter()
        count = client.get(f"/row-count/{ident}").get_json()
        count_ms = ms(start)
        middle = count["rows"] // 2
        start = time.perf_counter()
        deep = client.get(f"/api/frames/{ident}/rows?limit=100&offset={middle}").get_json()
        results[label] = {"POST step ms": post, "RSS growth of the step MB": grew,
                          "first page ms": first,
                          "row count ms": count_ms, "rows": count["rows"],
                          f"page at row {middle:,} ms": ms(start),
                          "ok": page["ok"] and deep["ok"] and len(deep["data"]) == 100}
        registry.remove(ident)
    ident = registry.add(shown()).id
    start = time.perf_counter()
    body = client.post(f"/api/frames/{ident}/summarize", json=GROUPBY).get_json()
    results["groupby s_lo, 3 aggs of f1"] = {"POST summarize ms": ms(start), "ok": body["ok"]}
    registry.clear()
    results["peak RSS MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--path")
    parser.add_argument("--engine", choices=["duckdb", "polars"], default="duckdb",
                        help="polars: the file read into a Polars DataFrame first")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = Path(args.path or f"/tmp/dtale-lite-bench-{args.rows}.parquet")
    if args.child:
        print(json.dumps(measure(str(path), args.engine)))
        return
    if not path.exists():
        write_file(path, args.rows)
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows")
    print(f"engine: {args.engine}")
    done = subprocess.run([sys.executable, __file__, "--child", "--path", str(path),
                           "--engine", args.engine],
                          check=True, capture_output=True, text=True)
    for label, figures in json.loads(done.stdout.strip().splitlines()[-1]).items():
        print(f"{label}: {figures}")


if __name__ == "__main__":
    main()
