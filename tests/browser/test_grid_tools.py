"""The grid's tools beside the cells (issue 17): date ranges from the column menu, a refused
filter that says which rows are on screen, the Code dialog and Load data.

Each test drives the page as a person would and checks what they would see.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


pytestmark = pytest.mark.browser


def sales_frame(n: int = 50_000) -> pd.DataFrame:
    """The issue's frame: a date every 15 minutes (96 a day) and a price with a few NaN."""
    rng = np.random.default_rng(17)
    price = rng.uniform(0, 100, n)
    price[rng.random(n) < 0.02] = np.nan
    return pd.DataFrame({
        "date": pd.date_range("2024-01-01", periods=n, freq="15min"),
        "price": price,
        "region": rng.choice(["north", "south", "east", "west"], n),
    })


@pytest.fixture(scope="module")
def sales(dtale_lite_mod):
    return dtale_lite_mod.show(sales_frame(), name="sales")


def wait_first_rows(page) -> None:
    page.wait_for_selector('[row-index="0"] [col-id="date"] [data-testid="cell-value"]')


def row_count(page) -> str:
    return page.inner_text('[data-testid="row-count"]')


def wait_count(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t", arg=text)


def apply_filter(page, text: str) -> None:
    page.fill('[data-testid="filter-input"]', text)
    page.press('[data-testid="filter-input"]', "Enter")


def test_a_date_range_from_the_menu_includes_its_last_day(page, sales):
    frame = sales_frame()
    expected = int(((frame.date >= "2024-02-01") & (frame.date < "2024-02-11")).sum())
    assert expected == 960  # ten days of 96 dates
    page.goto(sales.url)
    wait_first_rows(page)
    page.click('[data-testid="header-date"] [data-testid="header-menu"]')
    page.select_option('[data-testid="menu-filter-op"]', "between")
    page.fill('[data-testid="menu-filter-value"]', "2024-02-01")
    page.fill('[data-testid="menu-filter-value2"]', "2024-02-10")
    page.click('[data-testid="menu-filter-add"]')
    assert page.input_value('[data-testid="filter-input"]') == 'date >= "2024-02-01" and date < "2024-02-11"'
    wait_count(page, "960 of 50,000 rows")
    # The last row of the range is the 10th at 23:45.
    page.click('[data-testid="header-date"] [data-testid="header-label"]')  # ascending
    page.click('[data-testid="header-date"] [data-testid="header-label"]')  # descending
    page.wait_for_function("""() => {
        const c = document.querySelector('[row-index="0"] [col-id="date"]');
        return c && c.textContent.includes('2024-02-10') && c.textContent.includes('23:45');
    }""")


def test_a_refused_filter_marks_the_rows_as_the_last_good_filter(page, sales):
    page.goto(sales.url)
    wait_first_rows(page)
    grid = page.locator('[data-testid="grid"]')
    apply_filter(page, "price > 90")
    frame = sales_frame()
    good = f"{int((frame.price > 90).sum()):,} of 50,000 rows"
    wait_count(page, good)
    assert grid.get_attribute("data-stale") == "false"
    assert page.locator('[data-testid="filter-stale"]').is_hidden()

    apply_filter(page, "price >")
    page.locator('[data-testid="filter-error"]').wait_for()
    stale = page.locator('[data-testid="filter-stale"]')
    stale.wait_for()
    assert stale.inner_text() == "The grid is showing the last good filter: price > 90"
    assert row_count(page) == good  # the count is the rows on screen, and the note says whose
    assert grid.get_attribute("data-stale") == "true"
    opacity = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=grid]')).opacity")
    assert float(opacity) < 0.7  # visibly dimmed
    assert page.locator('[data-testid="row-count"]').get_attribute("title").startswith("rows of the last good filter")

    # A good filter again: the grid is current, the note and the dimming go.
    apply_filter(page, "price > 95")
    wait_count(page, f"{int((frame.price > 95).sum()):,} of 50,000 rows")
    assert stale.is_hidden()
    assert grid.get_attribute("data-stale") == "false"
    opacity = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=grid]')).opacity")
    assert float(opacity) == 1


def test_a_bad_filter_in_the_link_says_all_rows_are_shown(page, sales):
    page.goto(sales.url + "&filter=price%20%3E")
    wait_first_rows(page)
    page.locator('[data-testid="filter-error"]').wait_for()
    assert page.inner_text('[data-testid="filter-stale"]') == "The grid is showing all rows (no filter applied)"
    assert page.locator('[data-testid="grid"]').get_attribute("data-stale") == "true"


def test_the_code_button_shows_the_views_code_to_copy(page, context, sales):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(sales.url)
    wait_first_rows(page)
    apply_filter(page, 'price > 90 and region == "north"')
    frame = sales_frame()
    expected = frame[(frame.price > 90) & (frame.region == "north")]
    wait_count(page, f"{len(expected):,} of 50,000 rows")
    page.click('[data-testid="code-button"]')
    dialog = page.locator('[data-testid="code-dialog"]')
    dialog.wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=code-text]')"
                           ".textContent.includes('view')")
    code = page.inner_text('[data-testid="code-text"]')
    assert "90" in code and "north" in code
    namespace = {"df": frame}
    exec(compile(code, "<code dialog>", "exec"), namespace)  # noqa: S102 - the server's own code
    pd.testing.assert_frame_equal(namespace["view"], expected)

    page.click('[data-testid="code-copy"]')
    page.wait_for_function("() => document.querySelector('[data-testid=code-status]')"
                           ".textContent === 'Copied to the clipboard'")
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    # The grid is still there and still filtered.
    assert row_count(page) == f"{len(expected):,} of 50,000 rows"


def test_load_data_uploads_a_file_and_opens_its_frame(page, sales, tmp_path, dtale_lite_mod):
    good = tmp_path / "cities.csv"
    pd.DataFrame({"city": ["Oslo", "Lima", "Pune"], "people": [709_000, 10_000_000, 3_100_000]}
                 ).to_csv(good, index=False)
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"this is not parquet")
    before = {i.name for i in dtale_lite_mod.instances()}

    page.goto(sales.url)
    wait_first_rows(page)
    page.click('[data-testid="load-button"]')
    page.locator('[data-testid="load-dialog"]').wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=load-limit]')"
                           ".textContent.includes('up to')")
    assert page.inner_text('[data-testid="load-limit"]') == \
        "CSV, TSV, Parquet, JSON or Excel, up to 100 MB"
    assert "allow-url-loads" in page.inner_text('[data-testid="load-url-note"]')
    assert page.locator('[data-testid="load-url"]').is_hidden()

    # A broken file: the server's reason, the dialog stays, no frame is added.
    page.set_input_files('[data-testid="load-file"]', str(bad))
    page.click('[data-testid="load-submit"]')
    error = page.locator('[data-testid="load-error"]')
    page.wait_for_function("() => document.querySelector('[data-testid=load-error]').textContent")
    assert "broken.parquet: could not read it as Parquet" in error.inner_text()
    assert {i.name for i in dtale_lite_mod.instances()} == before

    page.set_input_files('[data-testid="load-file"]', str(good))
    page.click('[data-testid="load-submit"]')
    page.wait_for_selector('[row-index="0"] [col-id="city"] [data-testid="cell-value"]')
    assert page.inner_text('[data-testid="frame-name"]').startswith("cities")
    wait_count(page, "3 rows")
    assert page.inner_text('[row-index="1"] [col-id="city"]').strip() == "Lima"
    assert "cities" in {i.name for i in dtale_lite_mod.instances()}
    dtale_lite_mod.get("cities").kill()
