"""The describe panel shows skew, kurtosis, the IQR outliers and empty strings (issue 17)."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import wait_first_rows

pytestmark = pytest.mark.browser


def describe(page, column: str):
    page.click(f'[data-testid="header-{column}"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    page.locator('[data-testid="panel-figures"]').wait_for()


def figure(page, name: str) -> str:
    return page.locator(f'[data-testid="figure-{name}"] td').inner_text().strip()


def test_panel_shows_the_shape_and_empty_strings(page, dtale_lite_mod):
    values = pd.Series([1.0, 2, 3, 10, 2, 3, 100])
    inst = dtale_lite_mod.show(pd.DataFrame({
        "id": range(7), "x": values, "t": ["", "a", "", "bb", None, "c", "d"]}),
        name="shape_panel")
    page.goto(inst.url)
    wait_first_rows(page)
    describe(page, "x")
    assert float(figure(page, "skew")) == pytest.approx(values.skew(), rel=1e-3)
    assert float(figure(page, "kurtosis")) == pytest.approx(values.kurt(), rel=1e-3)
    assert figure(page, "outliers") == "1"
    assert "1.5 IQR" in page.locator('[data-testid="figure-outliers"]').get_attribute("title")
    page.click('[data-testid="panel-close"]')
    describe(page, "t")
    assert figure(page, "empty") == "2 (33.3%)"
    assert figure(page, "length-max") == "2"
    inst.kill()
