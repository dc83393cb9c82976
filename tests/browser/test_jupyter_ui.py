"""The notebook display in the real JupyterLab 4 and Notebook 7 UIs, in headless Chromium
(issue 7). Slow-ish: one `jupyter lab` server for the module, three UI page loads and three
kernels, ~30-60 s in all.

A person opens a notebook, runs a cell ending with ``dtale_lite.show(df, height=360)`` and sees
the grid inline: the output holds a 360 px iframe, and inside it the grid's cells render and a
header click sorts. ``jupyter lab`` serves both UIs from one process (JupyterLab at /lab,
Notebook 7 at /notebooks/<file> when the ``notebook`` package is installed). The kernels import
dtale_lite from this checkout (PYTHONPATH in the server's environment, which kernels inherit).

The remote case: the "proxied" kernel's environment sets DTALE_LITE_APP_ROOT=/proxy/{port}, so
the iframe's address is relative and the browser reaches the grid through the Jupyter server's
own origin and jupyter-server-proxy (as under JupyterHub), with only Jupyter's login cookie.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest
import requests
from playwright.sync_api import expect

from dtale_lite.server.instance import UNTRUSTED_HINT

from live_jupyter import TOKEN, start_jupyter, stop_jupyter

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
HEIGHT = 360
ROWS = 200
# The cell's frame, computed the same way here: x is a permutation-like column whose sorted
# order differs from the id order both ways.
X = [(i * 37 + 100) % 211 for i in range(ROWS)]
CELL = (
    "import dtale_lite, pandas as pd\n"
    "print(dtale_lite.__file__)\n"
    f"ids = range({ROWS})\n"
    "x = [(i * 37 + 100) % 211 for i in ids]\n"
    f"dtale_lite.show(pd.DataFrame({{'id': ids, 'x': x}}), height={HEIGHT})"
)
NOTEBOOKS = {"lab.ipynb": "python3", "notebook7.ipynb": "python3", "proxied.ipynb": "proxied"}
WAIT = 30_000  # ms: the machine may be busy; a real failure still ends the test
OUTPUT_IFRAME = ".jp-OutputArea-output iframe"
DIRECT_SRC = re.compile(r"^http://127\.0\.0\.1:\d+/frames/\d+\?key=")
PROXIED_SRC = re.compile(r"^/proxy/\d+/frames/\d+\?key=")


def write_kernelspec(data_dir: Path, name: str, env: dict) -> None:
    # In the server's own data folder, so it wins over any "python3" spec on the machine and
    # the kernel is this very interpreter.
    spec = data_dir / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({name})", "language": "python", "env": env}))


def write_lab_settings(config_dir: Path) -> None:
    # A quiet JupyterLab: no "build recommended" dialog (dash ships a source extension that
    # JupyterLab offers to build), no news or update toasts, no requests to the internet.
    (config_dir / "labconfig").mkdir(parents=True)
    (config_dir / "labconfig" / "page_config.json").write_text(
        json.dumps({"buildCheck": False, "buildAvailable": False}))
    settings = config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def write_saved_elsewhere(path: Path) -> None:
    """A notebook with the output of a real show() whose server has since stopped, not signed
    by this Jupyter (as when it was saved on another machine): its outputs are untrusted."""
    import pandas as pd
    from dtale_lite.app.viewer import Viewer

    viewer = Viewer()
    try:
        inst = viewer.show(pd.DataFrame({"id": range(3)}), name="sales", height=HEIGHT)
        output = nbformat.v4.new_output("execute_result", execution_count=1, data={
            "text/html": inst._repr_html_(), "text/plain": repr(inst)})
    finally:
        viewer.shutdown()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(CELL, outputs=[output], execution_count=1))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "python3",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyter-ui")
    write_kernelspec(home / "data", "python3", {})
    write_kernelspec(home / "data", "proxied", {"DTALE_LITE_APP_ROOT": "/proxy/{port}"})
    write_lab_settings(home / "config")
    write_saved_elsewhere(home / "saved.ipynb")
    for name, kernel in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(CELL))
        nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel,
                                     "language": "python"}
        nbformat.write(nb, home / name)
    pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    proc, base = start_jupyter(
        home, app="jupyterlab", env={"PYTHONPATH": pythonpath},
        # jupyter_lsp (language servers) plays no part here and slows start and stop.
        args=("--ServerApp.jpserver_extensions", "jupyter_lsp=False", "--LabApp.news_url=None",
              "--LabApp.check_for_updates_class="
              "jupyterlab.handlers.announcements.NeverCheckForUpdate"))
    yield base
    stop_jupyter(proc)


@pytest.fixture
def page(context, jupyter):
    """A page that fails its test on an uncaught error, except the UI's own: Notebook 7.6.5
    throws "Cannot read properties of undefined (reading 'schema')" and "Command
    'filebrowser:open-path' not registered" from its own bundle while it loads (also with no
    notebook output at all)."""
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []

    def record(error):
        if f"{jupyter}/static/" not in (error.stack or ""):
            errors.append(f"{error.message}\n{error.stack}")

    pg.on("pageerror", record)
    yield pg
    assert not errors, f"uncaught errors in the page: {errors}"


def lab_url(jupyter: str, notebook: str) -> str:
    # A workspace of its own per notebook: JupyterLab reopens a workspace's earlier tabs, and
    # another notebook's cells in a hidden tab would match the selectors below.
    return f"{jupyter}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?token={TOKEN}"


def wait_for_kernel(jupyter: str, notebook: str, timeout: float = 60) -> None:
    """Until the UI's kernel for ``notebook`` is connected and idle (a cell run before the
    websocket is up can be dropped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = requests.get(f"{jupyter}/api/sessions?token={TOKEN}", timeout=5).json()
        kernel = next((s["kernel"] for s in sessions if s["path"] == notebook), None)
        if kernel and kernel["connections"] >= 1 and kernel["execution_state"] == "idle":
            return
        time.sleep(0.2)
    pytest.fail(f"the kernel of {notebook} was not connected and idle within {timeout:.0f} s")


def run_first_cell(page, jupyter: str, notebook: str):
    """Run the notebook's first cell as a person does (click into it, Shift+Enter); returns
    the output's iframe element once the cell has finished."""
    first = page.locator(".jp-Notebook .jp-Cell").first
    editor = first.locator(".cm-content")
    editor.wait_for()
    wait_for_kernel(jupyter, notebook)
    editor.click()
    page.keyboard.press("Shift+Enter")
    expect(first.locator(".jp-InputPrompt")).to_have_text("[1]:", timeout=60_000)
    stream = first.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']")
    # The kernel imported dtale_lite from this checkout, not from an installed copy.
    expect(stream).to_contain_text(str(REPO / "dtale_lite" / "__init__.py"))
    return first.locator(OUTPUT_IFRAME)


def check_the_grid(iframe, height: int) -> None:
    """What a person sees: a ``height`` px frame, the grid's rows, and a header click sorting."""
    expect(iframe).to_have_attribute("height", str(height))
    # The text kept for untrusted outputs stays out of sight beside a working frame.
    assert UNTRUSTED_HINT not in iframe.locator("xpath=..").inner_text()
    box = iframe.bounding_box()
    assert box is not None and round(box["height"]) == height and box["width"] > 300, box
    grid = iframe.content_frame
    expect(grid.locator('[data-testid="row-count"]')).to_have_text(f"{ROWS:,} rows", timeout=WAIT)

    def first_row(col: str):
        return grid.locator(f'[row-index="0"] [col-id="{col}"] [data-testid="cell-value"]')

    expect(first_row("id")).to_have_text("0", timeout=WAIT)
    expect(first_row("x")).to_have_text(str(X[0]), timeout=WAIT)
    header = grid.locator('[col-id="x"] [data-testid="header-label"]')
    header.click()
    expect(first_row("x")).to_have_text(str(min(X)), timeout=WAIT)
    expect(first_row("id")).to_have_text(str(X.index(min(X))), timeout=WAIT)
    header.click()  # descending
    expect(first_row("x")).to_have_text(str(max(X)), timeout=WAIT)
    expect(first_row("id")).to_have_text(str(X.index(max(X))), timeout=WAIT)


def test_jupyterlab_shows_the_grid_inline(jupyter, page):
    page.goto(lab_url(jupyter, "lab.ipynb"))
    iframe = run_first_cell(page, jupyter, "lab.ipynb")
    expect(iframe).to_have_attribute("src", DIRECT_SRC)
    check_the_grid(iframe, HEIGHT)


def test_notebook7_shows_the_grid_inline(jupyter, page):
    page.goto(f"{jupyter}/notebooks/notebook7.ipynb?token={TOKEN}")
    iframe = run_first_cell(page, jupyter, "notebook7.ipynb")
    expect(iframe).to_have_attribute("src", DIRECT_SRC)
    check_the_grid(iframe, HEIGHT)


def test_jupyterlab_shows_the_grid_through_jupyters_own_origin(jupyter, page):
    page.goto(lab_url(jupyter, "proxied.ipynb"))
    iframe = run_first_cell(page, jupyter, "proxied.ipynb")
    # Relative to the page: the browser asks the Jupyter server, never the viewer's port.
    expect(iframe).to_have_attribute("src", PROXIED_SRC)
    check_the_grid(iframe, HEIGHT)
    frame_url = iframe.element_handle().content_frame().url
    assert frame_url.startswith(f"{jupyter}/proxy/"), frame_url


def test_an_untrusted_output_says_what_it_was_instead_of_nothing(jupyter, page):
    # Notebook 7 (JupyterLab's sanitizer is the same) drops the iframe of an output it does
    # not trust; the text inside the iframe is what remains.
    page.goto(f"{jupyter}/notebooks/saved.ipynb?token={TOKEN}")
    output = page.locator(".jp-OutputArea-output[data-mime-type='text/html']")
    expect(output).to_contain_text(f"dtale_lite frame 1 'sales': {UNTRUSTED_HINT}",
                                   timeout=30_000)
    assert output.locator("iframe").count() == 0
    # The page started a kernel: let it come up, so the server does not stop mid-start.
    wait_for_kernel(jupyter, "saved.ipynb")
