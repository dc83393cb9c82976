"""The describe panel's histogram is labelled like a chart (issue 17, defect 8): round ticks on
the value axis, a count axis, and the bin range and count of the bar under the pointer."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.browser

TICKS = '[data-testid="histogram"] [data-testid="histogram-tick"]'
COUNT_TICKS = '[data-testid="histogram"] [data-testid="histogram-count-tick"]'


@pytest.fixture(scope="module")
def scores(dtale_lite_mod):
    frame = pd.DataFrame({"score": np.linspace(0, 100, 1000), "k": np.arange(1000)})
    inst = dtale_lite_mod.show(frame, name="scores")
    yield inst
    inst.kill()


def open_describe(page, inst, column: str) -> None:
    page.goto(inst.url)
    page.wait_for_selector('[row-index="0"] [col-id="score"] [data-testid="cell-value"]')
    page.click(f'[data-testid="header-{column}"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    page.locator('[data-testid="histogram"]').wait_for()


def test_the_histogram_has_round_ticks_a_count_axis_and_says_what_a_bar_holds(page, scores):
    open_describe(page, scores, "score")
    ticks = page.locator(TICKS).all_text_contents()
    assert ticks[0] == "0" and ticks[-1] == "100", ticks
    assert len(ticks) >= 3 and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    steps = {int(b) - int(a) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and steps.pop() in (10, 20, 25, 50), ticks  # evenly spaced
    for tick in page.locator(TICKS).all():
        assert tick.is_visible()
    counts = page.locator(COUNT_TICKS).all_text_contents()
    assert counts[0] == "0" and len(counts) >= 2, counts

    readout = page.locator('[data-testid="histogram-hover"]')
    assert "Point at a bar" in readout.inner_text()
    page.hover('[data-testid="histogram-bin-0"]')
    first = readout.inner_text()
    match = re.fullmatch(r"0 – ([\d.]+): ([\d,]+) values", first)
    assert match, first
    upper, count = float(match[1]), int(match[2].replace(",", ""))
    expected = int(((np.linspace(0, 100, 1000) >= 0) & (np.linspace(0, 100, 1000) < upper)).sum())
    assert count == expected
    page.hover('[data-testid="histogram-bin-1"]')
    assert readout.inner_text().startswith(f"{match[1]} – ")
    page.mouse.move(5, 5)
    assert "Point at a bar" in readout.inner_text()
