"""Shaping a Polars frame and a DuckDB file in the grid (issue 15, engines): Build column adds
a column the grid shows, the Steps panel lists the steps (with no pandas code) and undoes
them, a kind the engine does not take shows the server's message naming the engine, and
Summarize opens a new frame of the same engine.
"""
from __future__ import annotations

import polars as pl
import pytest

from tests.browser.test_grid_steps import cell_text, open_menu, prices_frame, steps_listed, \
    wait_rows

pytestmark = pytest.mark.browser


@pytest.fixture(params=["polars", "duckdb"])
def shown(request, dtale_lite_mod, tmp_path):
    frame = prices_frame()
    name = f"prices_{request.param}_{request.node.name[5:25]}"
    if request.param == "polars":
        inst = dtale_lite_mod.show(pl.from_pandas(frame), name=name)
    else:
        path = tmp_path / "prices.parquet"
        pl.from_pandas(frame).write_parquet(path)
        inst = dtale_lite_mod.show_file(path, name=name)
    yield request.param, inst, frame
    inst.kill()


def test_build_column_steps_panel_and_undo_on_an_engine(page, shown):
    engine, inst, frame = shown
    page.goto(inst.url)
    wait_rows(page)
    page.click('[data-testid="build-button"]')
    page.locator('[data-testid="build-dialog"]').wait_for()
    page.select_option('[data-testid="build-dialog-kind"]', "arithmetic")
    page.fill('[data-testid="field-name"]', "double")
    page.select_option('[data-testid="field-left"]', "price")
    page.select_option('[data-testid="field-operator"]', "*")
    page.fill('[data-testid="field-right"]', "2")
    page.click('[data-testid="build-dialog-submit"]')
    page.locator('[data-testid="build-dialog"]').wait_for(state="detached")
    page.locator('[data-testid="header-double"]').wait_for()
    page.wait_for_function("() => document.querySelector('[row-index=\"0\"] [col-id=\"double\"] [data-testid=cell-value]')")
    assert float(cell_text(page, 0, "double").replace(",", "")) == pytest.approx(
        frame.price.iloc[0] * 2)
    # A kind this engine does not take: the server's 400 names the engine, in the dialog.
    page.click('[data-testid="build-button"]')
    page.select_option('[data-testid="build-dialog-kind"]', "bins")
    page.fill('[data-testid="field-name"]', "band")
    page.select_option('[data-testid="field-column"]', "price")
    page.fill('[data-testid="field-bins"]', "4")
    page.click('[data-testid="build-dialog-submit"]')
    page.wait_for_function(
        "(engine) => document.querySelector('[data-testid=build-dialog-error]').textContent"
        ".includes(`on a ${engine} frame`)", arg=engine)
    page.keyboard.press("Escape")
    page.locator('[data-testid="build-dialog"]').wait_for(state="detached")
    # The Steps panel: the step, no pandas code for this engine, and undo.
    page.click('[data-testid="steps-button"]')
    page.locator('[data-testid="steps-panel"]').wait_for()
    assert steps_listed(page) == ["1. add column 'double' (arithmetic)"]
    assert "another engine" in page.inner_text('[data-testid="steps-code"]')
    page.click('[data-testid="steps-undo"]')
    page.locator('[data-testid="header-double"]').wait_for(state="detached")
    assert inst.steps == []


def test_summarize_opens_a_frame_of_the_same_engine(page, shown):
    engine, inst, frame = shown
    page.goto(inst.url)
    wait_rows(page)
    open_menu(page, "region")
    page.click('[data-testid="menu-value-counts"]')
    # The source's URL is also under /frames/: wait for the new frame's name.
    page.wait_for_function("n => document.querySelector('[data-testid=frame-name]')"
                           "?.textContent.startsWith(n)", arg=f"{inst.name}_value_counts")
    page.locator('[data-testid="frame-engine"]').wait_for()
    assert page.inner_text('[data-testid="frame-engine"]') == engine
    page.wait_for_selector('[row-index="0"] [col-id="count"] [data-testid="cell-value"]')
    counts = frame.region.value_counts()
    assert int(cell_text(page, 0, "count").replace(",", "")) == counts.max()
