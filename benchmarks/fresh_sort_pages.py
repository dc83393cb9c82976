"""Pages right after a new sort's first page, at random offsets within the first ``--within``
rows of the view: ``python benchmarks/fresh_sort_pages.py --rows 1000000 --within 100000``.

The shipped benchmark (``python -m dtale_lite.bench``) draws those offsets over the whole view;
this one keeps them near the top, where the code before issue 14 selected a top-k of
``offset + limit`` rows for each page instead of waiting for the full order. Same frame, same
rounds (each a fresh name, after the round before's background work ended), same checks
against pandas' stable sort, through the real HTTP API. Prints one JSON line.
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import dtale_lite  # noqa: E402
from dtale_lite.app.viewer import default_viewer  # noqa: E402
from dtale_lite.bench.benchmark import PAGE, Client, p95  # noqa: E402
from dtale_lite.frames.benchframe import bench_frame  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--within", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    frame = bench_frame(args.rows)
    expected = frame["f1"].sort_values(kind="stable", na_position="last").index.to_numpy()
    client = Client(dtale_lite.show(frame, name="bench"))
    client.rows("bench", 0)
    rng = np.random.default_rng(7)
    sort = json.dumps([["f1", "asc"]])
    firsts, pages, wrong = [], [], 0
    for round_ in range(args.rounds):
        default_viewer().registry.background.wait_idle(600)
        instance = dtale_lite.show(frame, name=f"fresh_{round_}")
        body, first_ms = client.rows(instance.name, 0, sort=sort)
        firsts.append(first_ms)
        wrong += body["index"] != expected[:PAGE].tolist()
        for offset in rng.integers(0, min(args.within, args.rows) - PAGE, 5):
            body, ms = client.rows(instance.name, int(offset), sort=sort)
            pages.append(ms)
            wrong += body["index"] != expected[offset:offset + PAGE].tolist()
        instance.kill()
    print(json.dumps({"rows": args.rows, "within": args.within,
                      "first_ms": round(statistics.median(firsts), 1),
                      "pages_median_ms": round(statistics.median(pages), 1),
                      "pages_p95_ms": round(p95(pages), 1), "slowest_ms": round(max(pages), 1),
                      "wrong_pages": wrong}))
    dtale_lite.shutdown()
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
