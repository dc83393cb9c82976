"""Browser-test fixtures: one headless Debian Chromium per session, a page per test, frames
served by dtale_lite.show() in this process, and a screenshot on failure in test-artifacts/.

Run with:  pytest -m browser tests/browser
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from frames import bench_frame, small_frame  # noqa: E402

CHROMIUM = os.environ.get("DTALE_LITE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FIRST_CELL = '[row-index="0"] [col-id="id"] [data-testid="cell-value"]'


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real headless Chromium against a live server")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-120:]
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception:  # the page may be gone; the failure itself is what matters
                pass


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        # Under CI a missing browser is a failure, never a quiet skip of every browser test.
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import playwright.sync_api as playwright
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.page_errors = errors  # type: ignore[attr-defined]
    yield pg
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture(scope="session")
def dtale_lite_mod():
    import dtale_lite

    yield dtale_lite
    dtale_lite.shutdown()


@pytest.fixture(scope="session")
def frame_1m():
    return bench_frame(1_000_000)


@pytest.fixture(scope="session")
def bench_1m(dtale_lite_mod, frame_1m):
    return dtale_lite_mod.show(frame_1m, name="bench1m")


@pytest.fixture(scope="session")
def small(dtale_lite_mod):
    return dtale_lite_mod.show(small_frame(), name="small")


def cell(page, row: int, col: str):
    return page.locator(f'[row-index="{row}"] [col-id="{col}"]').first


def wait_first_rows(page):
    page.wait_for_selector(FIRST_CELL)


def readme_scene(page, url: str, *, describe: str, sort: str, ready: str) -> None:
    """The README pictures' scene: the frame filtered, sorted by ``sort``, with ``describe``
    described in the side panel, once ``ready`` (a selector in the panel) shows."""
    page.set_viewport_size({"width": 1280, "height": 640})
    page.goto(url)
    wait_first_rows(page)
    page.click(f'[data-testid="header-{describe}"] [data-testid="header-menu"]')
    page.click('[data-testid="menu-describe"]')
    page.fill('[data-testid="filter-input"]', 'f1 > 1 and s_lo in ["cat_01", "cat_02"]')
    page.press('[data-testid="filter-input"]', "Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=row-count]')"
                           ".textContent.includes(' of ')")
    page.locator(f'[data-testid="header-{sort}"] [data-testid="header-label"]').click()
    page.locator(f'[data-testid="header-{sort}"] [data-testid="sort-indicator"]').wait_for()
    page.locator(ready).first.wait_for()
    page.mouse.move(5, 5)
    page.wait_for_timeout(400)


def save_screenshot(page, name: str, *, for_readme: bool = True) -> Path:
    """The page as docs/images/<name> when asked for (DTALE_LITE_SCREENSHOT=1, so a test run
    leaves the tree clean), else test-artifacts/<name>."""
    root = Path(__file__).resolve().parents[2]
    wanted = for_readme and os.environ.get("DTALE_LITE_SCREENSHOT")
    out = root / ("docs/images" if wanted else "test-artifacts") / name
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000
    return out
