"""The grid's view back in Python (issue 7), driven in a real headless Chromium: what a person
sorts, filters, hides and pins in the grid is what ``inst.view()`` returns in this process."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import cell, wait_first_rows

pytestmark = pytest.mark.browser


def view_frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    f1 = rng.standard_normal(n).round(2)  # rounded: many ties, so stability shows
    f1[rng.random(n) < 0.1] = np.nan
    s_lo = pd.Series([f"cat_{k:02d}" for k in rng.integers(0, 5, n)], dtype="str")
    s_lo[rng.random(n) < 0.05] = None
    return pd.DataFrame({
        "id": np.arange(n),
        "f1": f1,
        "s_lo": s_lo,
        "cat": pd.Categorical([f"region_{k}" for k in rng.integers(0, 4, n)]),
        "flag": rng.random(n) < 0.3,
    })


def wait_for_view(inst, predicate, timeout=10.0) -> dict:
    """The view the page reported, once ``predicate`` holds for it (reports are debounced)."""
    deadline = time.monotonic() + timeout
    view = inst.grid_view
    while time.monotonic() < deadline:
        view = inst.grid_view
        if view is not None and predicate(view):
            return view
        time.sleep(0.05)
    raise AssertionError(f"the page did not report the expected view; last: {view}")


def click_header(page, name, **kw):
    page.locator(f'[data-testid="header-{name}"] [data-testid="header-label"]').click(**kw)


def wait_count(page, text):
    page.wait_for_function("t => document.querySelector('[data-testid=row-count]').textContent === t",
                           arg=text)


def test_sort_filter_hide_and_pin_in_the_grid_then_view_in_python(page, dtale_lite_mod):
    df = view_frame()
    inst = dtale_lite_mod.show(df, name="viewback")
    page.goto(inst.url)
    wait_first_rows(page)
    wait_for_view(inst, lambda v: v["filter"] == "" and v["sort"] == [])  # the page reports on load
    pd.testing.assert_frame_equal(inst.view(), df)

    click_header(page, "f1")
    click_header(page, "f1")  # second click: descending
    page.fill('[data-testid="filter-input"]', 's_lo == "cat_03" or f1 > 1')
    page.press('[data-testid="filter-input"]', "Enter")
    mask = (df.s_lo == "cat_03") | (df.f1 > 1)
    wait_count(page, f"{int(mask.sum()):,} of {len(df):,} rows")
    page.click('[data-testid="header-cat"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-hide"]')
    page.click('[data-testid="header-s_lo"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-pin"]')  # pinned columns come first in the grid
    page.wait_for_function("() => new URLSearchParams(location.search).get('pinned') === '[\"s_lo\"]'")

    view = wait_for_view(inst, lambda v: v["columns"] == ["s_lo", "id", "f1", "flag"])
    assert view["filter"] == 's_lo == "cat_03" or f1 > 1' and view["sort"] == [["f1", "desc"]]
    expected = df[mask].sort_values("f1", ascending=False, kind="stable",
                                    na_position="last")[["s_lo", "id", "f1", "flag"]]
    got = inst.view()
    pd.testing.assert_frame_equal(got, expected)
    # The grid's own first rows are those rows, in that order.
    for row in range(8):
        assert cell(page, row, "id").inner_text().strip() == str(got.id.iloc[row])
    namespace = {"df": df}
    exec(compile(inst.code(), "<grid view code>", "exec"), namespace)  # noqa: S102
    pd.testing.assert_frame_equal(namespace["view"], expected)

    # Clearing the filter and the sort in the grid gives the whole frame back (columns stay).
    page.click('[data-testid="filter-clear"]')
    click_header(page, "f1")  # third click: no sort
    wait_for_view(inst, lambda v: v["filter"] == "" and v["sort"] == [])
    pd.testing.assert_frame_equal(inst.view(), df[["s_lo", "id", "f1", "flag"]])


def test_with_two_tabs_the_last_reported_view_wins(page, context, dtale_lite_mod):
    df = view_frame(100)
    inst = dtale_lite_mod.show(df, name="twotabs")
    page.goto(inst.url)
    wait_first_rows(page)
    page.fill('[data-testid="filter-input"]', "id < 10")
    page.press('[data-testid="filter-input"]', "Enter")
    wait_for_view(inst, lambda v: v["filter"] == "id < 10")
    other = context.new_page()
    try:
        other.goto(inst.url)  # the second tab opens on the whole frame and says so
        wait_first_rows(other)
        wait_for_view(inst, lambda v: v["filter"] == "")
        assert len(inst.view()) == 100
        click_header(page, "id")  # back in the first tab: its view is the latest again
        wait_for_view(inst, lambda v: v["filter"] == "id < 10" and v["sort"] == [["id", "asc"]])
        assert list(inst.view().id) == list(range(10))
    finally:
        other.close()


def test_enter_applies_a_filter_while_a_sort_is_still_loading(page, dtale_lite_mod):
    """A sort marks the filter bar busy until its first rows arrive. Enter in the filter box
    then must still apply the filter: the busy bar disabled its Apply button, and a form whose
    default button is disabled ignores Enter (a full run on loaded cores lost a filter so)."""
    df = view_frame()
    inst = dtale_lite_mod.show(df, name="sortthenfilter")
    page.goto(inst.url)
    wait_first_rows(page)
    held = []

    def hold_sorted_pages(route):  # the sort's own pages wait; the filter's check goes on
        query = parse_qs(urlsplit(route.request.url).query)
        if "sort" in query and "filter" not in query:
            held.append(route)
        else:
            route.continue_()

    page.route("**/rows?**", hold_sorted_pages)
    click_header(page, "f1")
    page.wait_for_function("() => document.querySelector('[data-testid=row-count]')"
                           ".textContent.startsWith('Sorting')")
    page.fill('[data-testid="filter-input"]', "f1 > 1")
    page.press('[data-testid="filter-input"]', "Enter")
    try:
        wait_count(page, f"{int((df.f1 > 1).sum()):,} of {len(df):,} rows")
    finally:
        page.unroute("**/rows?**")
        for route in held:
            try:
                route.continue_()
            except PlaywrightError:  # the page gave up on it (a newer view)
                pass
    inst.kill()
