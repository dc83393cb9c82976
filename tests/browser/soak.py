"""Opt-in soak: scroll a 10M-row grid for a while and watch the page's JS heap.

    python tests/browser/soak.py [--minutes 5] [--rows 10000000]

Alternates scrollbar jumps, wheel scrolling and sort/filter changes; every 10 s it forces a
garbage collection (Chrome DevTools Protocol) and samples the used JS heap. Prints one JSON
line at the end; the issue's target is a heap under 300 MB after 5 minutes.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from conftest import CHROMIUM, CHROMIUM_ARGS, FIRST_CELL  # noqa: E402
from frames import bench_frame  # noqa: E402


def heap_mb(cdp, collect: bool) -> float:
    if collect:
        cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()

    import dtale_lite
    from playwright.sync_api import sync_playwright

    inst = dtale_lite.show(bench_frame(args.rows), name="soak")
    rng = random.Random(7)
    samples: list[tuple[float, float]] = []
    actions = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        cdp = page.context.new_cdp_session(page)
        page.goto(inst.url)
        page.wait_for_selector(FIRST_CELL)
        start = time.monotonic()
        samples.append((0.0, heap_mb(cdp, True)))
        next_sample = start + 10
        page.mouse.move(600, 400)
        while time.monotonic() - start < args.minutes * 60:
            roll = rng.random()
            if roll < 0.45:
                page.evaluate("""f => { const v = document.querySelector('.ag-body-vertical-scroll-viewport');
                                      v.scrollTop = f * (v.scrollHeight - v.clientHeight); }""", rng.random())
                page.wait_for_timeout(120)
            elif roll < 0.9:
                for _ in range(10):
                    page.mouse.wheel(0, rng.choice([-1, 1]) * 600)
                    page.wait_for_timeout(30)
            elif roll < 0.95:
                page.locator('[data-testid="header-f%d"] [data-testid="header-label"]' % rng.randint(1, 4)).click()
                page.wait_for_timeout(300)
            else:
                page.fill('[data-testid="filter-input"]', rng.choice(["", "f1 > 1", "i_small < 500", 's_lo == "cat_03"']))
                page.press('[data-testid="filter-input"]', "Enter")
                page.wait_for_timeout(300)
            actions += 1
            if time.monotonic() >= next_sample:
                samples.append((round(time.monotonic() - start, 1), round(heap_mb(cdp, True), 1)))
                next_sample += 10
        final = heap_mb(cdp, True)
        browser.close()
    print(json.dumps({
        "rows": args.rows, "minutes": args.minutes, "actions": actions,
        "heap_mb_start": round(samples[0][1], 1), "heap_mb_end": round(final, 1),
        "heap_mb_max": round(max(s for _, s in samples), 1), "samples": samples,
    }))
    dtale_lite.shutdown()


if __name__ == "__main__":
    main()
