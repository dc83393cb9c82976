"""Speed of the grid on a 10M-row benchmark frame, measured in headless Chromium.

Prints the figures (the README reports them); the assertions only catch regressions well
beyond the targets of issue 3 (first cells <= 1 s, a scrollbar jump <= 300 ms, a sort by a float
column <= 2 s), since a shared 2-core CI machine is noisy.

    pytest -m browser tests/browser/test_speed.py -s
"""
from __future__ import annotations

import json
import os
import statistics
import time

import pytest

from conftest import FIRST_CELL
from frames import bench_frame

pytestmark = pytest.mark.browser

N_ROWS = int(os.environ.get("DTALE_LITE_SPEED_ROWS", 10_000_000))
SLACK = float(os.environ.get("DTALE_LITE_SPEED_SLACK", 3.0))

FIRST_CELL_JS = """sel => {
    const c = document.querySelector(sel);
    return c && c.textContent !== '' ? performance.now() : false;
}"""

JUMP_JS = """async fraction => {
    // Drag the scrollbar to `fraction` in one move, then wait (each animation frame) until
    // every row in view shows its cells; id == row index in the unsorted frame, so check it.
    const grid = window.dtaleLite.grid;
    const bar = document.querySelector('.ag-body-vertical-scroll-viewport');
    const body = document.querySelector('.ag-grid-viewport');
    const v = bar && bar.clientHeight > 0 ? bar : body;
    const t0 = performance.now();
    v.scrollTop = fraction * (v.scrollHeight - v.clientHeight);
    v.dispatchEvent(new Event('scroll'));
    return await new Promise((resolve, reject) => {
        const check = () => {
            const first = grid.getFirstDisplayedRowIndex();
            const last = grid.getLastDisplayedRowIndex();
            let ok = last >= first;
            for (let i = first; ok && i <= last; i++) {
                const c = document.querySelector(`[row-index="${i}"] [col-id="id"] [data-testid="cell-value"]`);
                ok = !!c && c.textContent === String(i);
            }
            if (ok) return resolve({ ms: performance.now() - t0, first, last });
            if (performance.now() - t0 > 10000) return reject(new Error(`rows ${first}-${last} not shown`));
            requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
    });
}"""


@pytest.fixture(scope="module")
def frame_10m():
    t = time.perf_counter()
    df = bench_frame(N_ROWS)
    print(f"\nbuilt the {N_ROWS:,}-row frame in {time.perf_counter() - t:.1f} s")
    return df


@pytest.fixture(scope="module")
def bench_10m(dtale_lite_mod, frame_10m):
    inst = dtale_lite_mod.show(frame_10m, name="bench10m")
    yield inst
    inst.kill()


def first_cells_ms(page, url) -> float:
    page.goto(url)
    return page.wait_for_function(FIRST_CELL_JS, arg=FIRST_CELL, polling="raf").json_value()


def test_speed_on_10m_rows(page, bench_10m, frame_10m):
    figures: dict[str, object] = {"rows": N_ROWS}
    # 1. first cells after navigation (ms since navigation start, in the page's clock)
    firsts = [first_cells_ms(page, bench_10m.url) for _ in range(3)]
    figures["first_cells_ms"] = [round(x) for x in firsts]
    assert page.inner_text('[data-testid="row-count"]') == f"{N_ROWS:,} rows"

    # 2. scrollbar jumps to positions across the frame, including the very end
    jumps = []
    for fraction in (0.5, 0.123, 0.987, 0.3, 0.75, 0.05, 0.6, 1.0):
        result = page.evaluate(JUMP_JS, fraction)
        jumps.append(result["ms"])
        page.wait_for_timeout(100)
    figures["jump_ms"] = {"median": round(statistics.median(jumps)), "max": round(max(jumps)),
                          "all": [round(j) for j in jumps]}
    assert result["last"] == N_ROWS - 1, "the scrollbar's end shows the last row"
    heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : null")
    figures["js_heap_mb_after_jumps"] = round(heap / 2**20, 1) if heap else None
    figures["row_cache_pages"] = page.evaluate("() => window.dtaleLite.cacheSize")

    # 3. sort by a float column: click to sorted cells
    page.evaluate(JUMP_JS, 0.0)
    want = frame_10m.f1.min()
    text = f"{want:.6f}".rstrip("0").rstrip(".")
    t0 = page.evaluate("() => performance.now()")
    page.locator('[data-testid="header-f1"] [data-testid="header-label"]').click()
    t1 = page.wait_for_function(
        """text => { const c = document.querySelector('[row-index="0"] [col-id="f1"]');
                     return c && c.textContent.trim() === text ? performance.now() : false; }""",
        arg=text, polling="raf", timeout=30_000).json_value()
    figures["sort_f1_ms"] = round(t1 - t0)
    # a second view under the same sort (descending is another order: also measured)
    t0 = page.evaluate("() => performance.now()")
    page.locator('[data-testid="header-f1"] [data-testid="header-label"]').click()
    want = f"{frame_10m.f1.max():.6f}".rstrip("0").rstrip(".")
    t1 = page.wait_for_function(
        """text => { const c = document.querySelector('[row-index="0"] [col-id="f1"]');
                     return c && c.textContent.trim() === text ? performance.now() : false; }""",
        arg=want, polling="raf", timeout=30_000).json_value()
    figures["sort_f1_desc_ms"] = round(t1 - t0)

    print("\nGRID SPEED " + json.dumps(figures))
    assert min(firsts) <= 1000 * SLACK
    assert statistics.median(jumps) <= 300 * SLACK
    assert figures["sort_f1_ms"] <= 2000 * SLACK
