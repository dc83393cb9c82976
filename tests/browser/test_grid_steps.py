"""Shaping the data in the grid (issue 15): the column menu's steps, Build column, editing a
cell, the Steps panel (undo, redo, the code to copy) and Summarize opening a new frame.

Each test shows its own frame (steps live on the server, per frame) and checks what a person
sees: the header names, the cells, the row count, the panel's list and code.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.browser


def prices_frame(n: int = 1_000) -> pd.DataFrame:
    rng = np.random.default_rng(15)
    qty = rng.integers(1, 10, n)
    return pd.DataFrame({
        "id": np.arange(n),
        "price": np.round(rng.uniform(1, 100, n), 2),
        "qty_text": qty.astype(str),
        "region": rng.choice(["north", "south", "east"], n),
        "when": pd.date_range("2024-01-01", periods=n, freq="h"),
    })


@pytest.fixture
def prices(dtale_lite_mod, request):
    frame = prices_frame()
    inst = dtale_lite_mod.show(frame, name=f"prices_{request.node.name[5:35]}")
    yield inst, frame
    inst.kill()


def wait_rows(page) -> None:
    page.wait_for_selector('[row-index="0"] [col-id="id"] [data-testid="cell-value"]')


def cell_text(page, row: int, col: str) -> str:
    return page.inner_text(f'[row-index="{row}"] [col-id="{col}"]').strip()


def wait_cell(page, row: int, col: str, text: str) -> None:
    page.wait_for_function(
        """([row, col, text]) => {
            const c = document.querySelector(`[row-index="${row}"] [col-id="${col}"] [data-testid=cell-value]`);
            return c && c.textContent.trim() === text;
        }""", arg=[row, col, text])


SHOWN_ORDER = """() => [...document.querySelectorAll('.ag-header-cell[col-id]')]
    .filter(e => !e.getAttribute('col-id').startsWith('__'))
    .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
    .map(e => e.getAttribute('col-id')).join(',')"""


def open_menu(page, column: str) -> None:
    page.click(f'[data-testid="header-{column}"] [data-testid="header-menu"]')
    page.locator('[data-testid="column-menu"]').wait_for()


def steps_listed(page) -> list[str]:
    return page.eval_on_selector_all('[data-testid="step-item"]', "els => els.map(e => e.textContent)")


def test_convert_and_rename_from_the_column_menu(page, prices):
    inst, frame = prices
    page.goto(inst.url)
    wait_rows(page)
    # Convert the text column to int: its badge and alignment follow, the values stay.
    open_menu(page, "qty_text")
    page.click('[data-testid="menu-convert"]')
    dialog = page.locator('[data-testid="convert-dialog"]')
    options = page.eval_on_selector_all('[data-testid="field-to"] option', "os => os.map(o => o.value)")
    assert "int" in options and "string" not in options  # the conversions that fit text
    page.select_option('[data-testid="field-to"]', "int")
    page.click('[data-testid="convert-dialog-submit"]')
    dialog.wait_for(state="detached")
    page.wait_for_function("() => document.querySelector('[data-testid=header-qty_text]').textContent.includes('int')")
    wait_cell(page, 0, "qty_text", frame.qty_text.iloc[0])
    assert "dl-num" in page.locator('[row-index="0"] [col-id="qty_text"]').get_attribute("class")
    # A conversion that fails says how many values failed, in the dialog.
    open_menu(page, "region")
    page.click('[data-testid="menu-convert"]')
    page.select_option('[data-testid="field-to"]', "float")
    page.click('[data-testid="convert-dialog-submit"]')
    error = page.locator('[data-testid="convert-dialog-error"]')
    error.wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=convert-dialog-error]').textContent.includes('1,000 values')")
    page.keyboard.press("Escape")
    # Rename: the header shows the new name, in the same place.
    open_menu(page, "price")
    page.click('[data-testid="menu-rename"]')
    page.fill('[data-testid="field-to"]', "unit_price")
    page.press('[data-testid="field-to"]', "Enter")
    page.locator('[data-testid="header-unit_price"]').wait_for()
    assert page.locator('[data-testid="header-price"]').count() == 0
    page.wait_for_function("() => document.querySelector('[row-index=\"0\"] [col-id=\"unit_price\"] [data-testid=cell-value]')")
    assert float(cell_text(page, 0, "unit_price")) == frame.price.iloc[0]
    assert [s["op"] for s in inst.steps] == ["convert", "rename"]
    assert "unit_price" in inst.view().columns and "price" in frame.columns  # the user's frame untouched


def test_drop_and_move_from_the_menu_change_the_columns(page, prices):
    inst, frame = prices
    page.goto(inst.url)
    wait_rows(page)
    open_menu(page, "region")
    page.click('[data-testid="menu-move-left"]')
    page.wait_for_function(f"() => ({SHOWN_ORDER})() === 'id,price,region,qty_text,when'")
    open_menu(page, "when")
    page.click('[data-testid="menu-drop"]')
    page.locator('[data-testid="header-when"]').wait_for(state="detached")
    assert page.evaluate(SHOWN_ORDER) == "id,price,region,qty_text"
    assert list(inst.view().columns) == ["id", "price", "region", "qty_text"]


def test_build_column_adds_a_column_the_grid_shows(page, prices):
    inst, frame = prices
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
    expected = frame.price.iloc[0] * 2
    page.wait_for_function("() => document.querySelector('[row-index=\"0\"] [col-id=\"double\"] [data-testid=cell-value]')")
    assert float(cell_text(page, 0, "double").replace(",", "")) == pytest.approx(expected)
    # A kind's wrong parameter is the server's 400, shown in the dialog, nothing applied.
    page.click('[data-testid="build-button"]')
    page.select_option('[data-testid="build-dialog-kind"]', "condition")
    page.fill('[data-testid="field-name"]', "big")
    page.fill('[data-testid="field-filter"]', "nope > 3")
    page.click('[data-testid="build-dialog-submit"]')
    page.wait_for_function("() => document.querySelector('[data-testid=build-dialog-error]').textContent.includes('nope')")
    page.fill('[data-testid="field-filter"]', "price > 50")
    page.click('[data-testid="build-dialog-submit"]')
    page.locator('[data-testid="header-big"]').wait_for()
    assert inst.view()["big"].tolist() == (frame.price > 50).tolist()


def test_a_cell_edit_saves_on_enter_and_cancels_on_escape(page, prices):
    inst, frame = prices
    page.goto(inst.url)
    wait_rows(page)
    # Sort descending by price: the top row is not the frame's first.
    page.click('[data-testid="header-price"] [data-testid="header-label"]')
    page.click('[data-testid="header-price"] [data-testid="header-label"]')
    top = frame.sort_values("price", ascending=False, kind="stable").iloc[0]
    wait_cell(page, 0, "id", f"{top.id:,}")
    page.dblclick('[row-index="0"] [col-id="region"]')
    editor = page.locator('[data-testid="cell-editor"]')
    editor.wait_for()
    assert editor.input_value() == top.region
    editor.fill("west")
    editor.press("Escape")
    editor.wait_for(state="detached")
    assert cell_text(page, 0, "region") == top.region and inst.steps == []
    # A value that does not fit the column's kind: the message shows next to the cell.
    page.dblclick('[row-index="0"] [col-id="price"]')
    editor.wait_for()
    editor.fill("cheap")
    editor.press("Enter")
    page.locator('[data-testid="cell-edit-error"]').wait_for()
    assert "float" in page.inner_text('[data-testid="cell-edit-error"]')
    editor.fill("1000.5")
    editor.press("Enter")
    editor.wait_for(state="detached")
    wait_cell(page, 0, "price", "1000.5")
    assert inst.steps == [{"op": "edit", "row": int(top.id), "column": "price", "value": "1000.5"}]
    assert inst.view().loc[int(top.id), "price"] == 1000.5  # by its index label
    assert frame.price.iloc[int(top.id)] != 1000.5


def test_the_steps_panel_undoes_redoes_and_copies_the_code(page, context, prices):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    inst, frame = prices
    inst.apply("add_column", name="total", kind="arithmetic", left="price", operator="*", right=3)
    inst.apply("drop_missing", columns=["price"])
    page.goto(inst.url)
    wait_rows(page)
    page.click('[data-testid="steps-button"]')
    page.locator('[data-testid="steps-panel"]').wait_for()
    assert "panel=steps" in page.url
    assert steps_listed(page) == ["1. add column 'total' (arithmetic)", "2. drop missing 'price'"]
    page.locator('[data-testid="header-total"]').wait_for()
    # Undo twice: the column goes; redo: it is back.
    page.click('[data-testid="steps-undo"]')
    page.wait_for_function("() => document.querySelectorAll('[data-testid=step-item]').length === 1")
    page.click('[data-testid="steps-undo"]')
    page.wait_for_function("() => document.querySelectorAll('[data-testid=step-item]').length === 0")
    page.locator('[data-testid="header-total"]').wait_for(state="detached")
    assert page.locator('[data-testid="steps-undo"]').is_disabled()
    page.click('[data-testid="steps-redo"]')
    page.locator('[data-testid="header-total"]').wait_for()
    assert steps_listed(page) == ["1. add column 'total' (arithmetic)"]
    # The code runs on the user's frame and gives what the grid shows.
    code = page.inner_text('[data-testid="steps-code"]')
    namespace = {"df": frame.copy()}
    exec(compile(code, "<steps panel>", "exec"), namespace)  # noqa: S102 - the server's own code
    pd.testing.assert_frame_equal(namespace["df"], inst.view())
    page.click('[data-testid="steps-copy"]')
    page.wait_for_function("() => document.querySelector('[data-testid=steps-copy-status]').textContent === 'Copied to the clipboard'")
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    # A reload reopens the panel (panel=steps in the URL) with the server's steps.
    page.reload()
    wait_rows(page)
    page.locator('[data-testid="steps-panel"]').wait_for()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=step-item]').length === 1")
    page.click('[data-testid="steps-close"]')
    assert "panel=steps" not in page.url


def test_a_step_from_a_stale_page_says_to_reload(page, prices):
    inst, frame = prices
    page.goto(inst.url)
    wait_rows(page)
    page.click('[data-testid="steps-button"]')
    page.wait_for_function("() => document.querySelector('[data-testid=steps-empty]') && !document.querySelector('[data-testid=steps-empty]').hidden")
    inst.apply("drop", columns=["when"])  # another page (here: Python) changes the frame
    open_menu(page, "price")
    page.click('[data-testid="menu-rename"]')
    page.fill('[data-testid="field-to"]', "p")
    page.press('[data-testid="field-to"]', "Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=rename-dialog-error]').textContent.includes('changed in another page; reload')")
    assert [s["op"] for s in inst.steps] == ["drop"]


def test_summarize_opens_the_new_frame_in_the_grid(page, prices):
    inst, frame = prices
    page.goto(inst.url)
    wait_rows(page)
    open_menu(page, "region")
    page.click('[data-testid="menu-summarize"]')
    page.locator('[data-testid="summarize-dialog"]').wait_for()
    assert page.eval_on_selector('[data-testid="field-by"]', "s => [...s.selectedOptions].map(o => o.value)") == ["region"]
    page.select_option('[data-testid="field-agg_columns"]', ["price"])
    page.select_option('[data-testid="field-agg_functions"]', ["sum", "count"])
    page.click('[data-testid="summarize-dialog-submit"]')
    # The source's URL is also under /frames/, so wait for the new frame's name and count
    # (a full run once read the count before the new grid had written it).
    page.wait_for_function("n => document.querySelector('[data-testid=frame-name]')?.textContent.startsWith(n)",
                           arg=f"{inst.name}_groupby")
    expected = frame.groupby("region").price.agg(["sum", "count"])
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]')?.textContent === t",
                           arg=f"{len(expected)} rows")
    page.wait_for_selector('[row-index="0"] [col-id="region"] [data-testid="cell-value"]')
    assert cell_text(page, 0, "region") == expected.index[0]
    # The source frame has no step.
    assert inst.steps == []
