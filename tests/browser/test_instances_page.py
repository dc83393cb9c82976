"""The instances page (``/``) in headless Chromium: rename and remove a frame without a
reload, and the page legible in the light and the dark colour scheme (issue 17)."""
from __future__ import annotations

import uuid

import pandas as pd
import pytest

pytestmark = pytest.mark.browser

# WCAG relative luminance and contrast of two computed "rgb(r, g, b)" colours, in the page.
CONTRAST = """(el) => {
    const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
        const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let node = el; node && !bg; node = node.parentElement) {
        const c = getComputedStyle(node).backgroundColor;
        if (c && !/rgba\\(.*,\\s*0\\)$/.test(c) && c !== "transparent") bg = c;
    }
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def index_url(inst) -> str:
    return f"{inst.base_url}/" + (f"?key={inst.key}" if inst.key else "")


def row_of(page, inst):
    return page.locator(f'[data-testid="frame-row"][data-id="{inst.id}"]')


def test_rename_and_remove_a_frame_on_the_page(page, dtale_lite_mod):
    tag = uuid.uuid4().hex[:8]
    keep = dtale_lite_mod.show(pd.DataFrame({"a": range(5), "b": list("vwxyz")}),
                               name=f"keep_{tag}")
    gone = dtale_lite_mod.show(pd.DataFrame({"c": [1.5]}), name=f"gone_{tag}")
    page.goto(index_url(keep))
    row = row_of(page, keep)
    assert row.locator('[data-testid="frame-size"]').inner_text() == "5 × 2"
    assert row.locator('[data-testid="frame-engine"]').inner_text() == "pandas"
    assert row.locator('[data-testid="frame-memory"]').inner_text().endswith("B")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    row.locator('input[name="name"]').fill(f"renamed_{tag}")
    row.get_by_role("button", name="Rename").click()
    page.get_by_text(f'Frame #{keep.id} is now "renamed_{tag}".').wait_for()
    assert row.locator('[data-testid="frame-open-name"]').inner_text() == f"renamed_{tag}"
    assert keep.name == f"renamed_{tag}"  # the Python handle sees the new name

    # A name in use: the page says why and nothing changes.
    row.locator('input[name="name"]').fill(f"gone_{tag}")
    row.get_by_role("button", name="Rename").click()
    page.get_by_text("already used by frame").wait_for()
    assert keep.name == f"renamed_{tag}"

    row_of(page, gone).get_by_role("button", name="Remove").click()
    row_of(page, gone).wait_for(state="detached")
    page.get_by_text(f'Removed "gone_{tag}" (#{gone.id}).').wait_for()
    assert not gone.alive and keep.alive
    assert navigations == []  # no reload
    page.reload()
    assert row_of(page, gone).count() == 0
    assert row_of(page, keep).locator('[data-testid="frame-open-name"]').inner_text() == \
        f"renamed_{tag}"
    keep.kill()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_is_legible_in_both_colour_schemes(page, dtale_lite_mod, scheme):
    inst = dtale_lite_mod.show(pd.DataFrame({"a": [1]}), name=f"scheme_{scheme}")
    page.emulate_media(color_scheme=scheme)
    page.goto(index_url(inst))
    row_of(page, inst).locator('[data-testid="frame-remove"]').wait_for()
    selectors = ["header span", "h1", "th", '[data-testid="frame-open-name"]', ".id",
                 '[data-testid="frame-size"]', '[data-testid="frame-engine"]',
                 '[data-testid="frame-memory"]', '[data-testid="frame-open"]', "input",
                 "button", "button.danger", "p.hint", "code"]
    low = {}
    for selector in selectors:
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        if ratio < 4.5:
            low[selector] = round(ratio, 2)
    assert low == {}, f"text below 4.5:1 contrast in the {scheme} scheme: {low}"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(18, 18, 18)" if scheme == "dark" else "rgb(255, 255, 255)")
    inst.kill()
