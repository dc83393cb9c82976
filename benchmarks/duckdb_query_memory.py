"""Where DuckDB's memory goes on the 10M-row file (issue 14): the peak resident set of each
query the viewer runs for a sort and a describe, under a given memory limit.

    python benchmarks/duckdb_query_memory.py [--path FILE] [--threads 2] 1.8GiB 256MiB 177MiB

One fresh process per memory limit (this script re-runs itself), one plain DuckDB connection
(no viewer, no Flask); before each query the kernel's high-water mark is reset (``echo 5 >
/proc/self/clear_refs``), so each line's peak belongs to that query alone. The queries are the
viewer's own shapes: describe's distinct count and top values (hash aggregates), the
quantile_cont describe used before issue 14, and a sorted view's top-k and full order.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

QUERIES = {
    "count(DISTINCT f1)": "SELECT count(DISTINCT f1) FROM {p}",
    "quantile_cont(f1, quartiles)": "SELECT quantile_cont(f1, [0.25, 0.5, 0.75]) FROM {p}",
    "top 10 values of f1": "SELECT f1, count(*) FROM {p} WHERE f1 IS NOT NULL GROUP BY 1 "
                           "ORDER BY 2 DESC, 1 LIMIT 10",
    "count(DISTINCT s_hi)": "SELECT count(DISTINCT s_hi) FROM {p}",
    "top 10 values of s_hi": "SELECT s_hi, count(*) FROM {p} WHERE s_hi IS NOT NULL GROUP BY 1 "
                             "ORDER BY 2 DESC, min(file_row_number) LIMIT 10",
    "top-k positions by f1 (first page)": "SELECT file_row_number FROM {p} ORDER BY f1 NULLS "
                                          "LAST, file_row_number LIMIT 200",
    "full order by f1 (order table)": "CREATE OR REPLACE TABLE o AS SELECT file_row_number AS r "
                                      "FROM {p} ORDER BY f1 NULLS LAST, file_row_number",
}


def status() -> tuple[int, int]:
    """(resident, high-water mark) of this process in MiB."""
    text = Path("/proc/self/status").read_text()
    return tuple(int(re.search(rf"{k}:\s+(\d+)", text).group(1)) // 1024
                 for k in ("VmRSS", "VmHWM"))


def one_limit(path: str, limit: str, threads: int, spill: str) -> None:
    import duckdb

    con = duckdb.connect(f"{spill}/db.duckdb", config={
        "memory_limit": limit, "threads": threads, "temp_directory": spill})
    scan = f"read_parquet('{path}', file_row_number=true)"
    (setting,), = con.execute("SELECT current_setting('memory_limit')").fetchall()
    print(f"memory_limit {limit} ({setting}), threads {threads}; process at start "
          f"{status()[0]} MiB", flush=True)
    for name, sql in QUERIES.items():
        Path("/proc/self/clear_refs").write_text("5")
        before, started = status()[0], time.perf_counter()
        try:
            con.execute(sql.format(p=scan)).fetchall()
            outcome = ""
        except duckdb.OutOfMemoryException as exc:
            outcome = "  OUT OF MEMORY: " + str(exc).splitlines()[0][:90]
        seconds = time.perf_counter() - started
        now, peak = status()
        print(f"  {name:36} {seconds * 1000:7.0f} ms  RSS before {before:4} peak {peak:4} "
              f"after {now:4} MiB (peak - before {peak - before:4}){outcome}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("limits", nargs="*", default=["1.8GiB", "256MiB", "177MiB"])
    parser.add_argument("--path", default="/work/data/bench-10000000.parquet")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="duckdb-query-memory-") as spill:
            one_limit(args.path, args.one, args.threads, spill)
        return
    print(f"{args.path}; load {Path('/proc/loadavg').read_text().strip()}", flush=True)
    for limit in args.limits:
        subprocess.run([sys.executable, __file__, "--one", limit, "--path", args.path,
                        "--threads", str(args.threads)], check=True)
    print(f"load {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
