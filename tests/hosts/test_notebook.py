"""Run notebooks/quickstart.ipynb in a real Jupyter kernel and use its server from outside.

The kernel is ipykernel's own spec for this interpreter (nothing to install: jupyter_client
finds it whenever ipykernel is importable, and it ignores user kernelspecs that may point at
another Python). The kernel imports dtale_lite from this checkout, not from whatever is
installed.
"""
import ast
import html
import os
import re
import time
from pathlib import Path

import nbclient
import nbformat
import pytest
import requests
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"
IFRAME_SRC = re.compile(r'<iframe[^>]*\bsrc="(?P<src>[^"]+)"')
FRAME_URL = re.compile(
    r"http://127\.0\.0\.1:(?P<port>\d+)/frames/(?P<id>\d+)\?key=(?P<key>[\w-]+)")


def kernel_manager() -> AsyncKernelManager:
    # kernel_dirs=[]: only the built-in "python3" spec, i.e. this very interpreter.
    return AsyncKernelManager(kernel_name="python3",
                              kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def kernel_env() -> dict:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def cell(nb, cell_id):
    return next(i for i, c in enumerate(nb.cells) if c.get("id") == cell_id)


def result_of(nb, cell_id) -> dict:
    outputs = [o for o in nb.cells[cell(nb, cell_id)].outputs if o.output_type == "execute_result"]
    assert len(outputs) == 1, nb.cells[cell(nb, cell_id)].outputs
    return outputs[0]["data"]


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def inst_chart_url_is_the_page(shown, base, key, session) -> bool:
    src = html.unescape(IFRAME_SRC.search(shown["text/html"])["src"])
    assert src.startswith(f"{base}/charts/") and f"key={key}" in src and "type=bar" in src
    return session.get(src, timeout=60).status_code == 200


def test_quickstart_runs_in_a_kernel_and_serves_over_http():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # One extra cell, in the test's copy only: which dtale_lite did the kernel import?
    nb.cells.append(nbformat.v4.new_code_cell("import dtale_lite; dtale_lite.__file__",
                                              id="which-package"))
    km = kernel_manager()
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=120,
                                     shutdown_kernel="graceful",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    session = requests.Session()
    done = 0  # cells executed so far, in order

    def run_until(cell_id):
        # Raises CellExecutionError if a cell fails.
        nonlocal done
        while done <= cell(nb, cell_id):
            client.execute_cell(nb.cells[done], done)
            done += 1

    with client.setup_kernel(env=kernel_env(), cleanup_kc=True):
        process = km.provisioner.process
        run_until("show-demo")
        shown = result_of(nb, "show-demo")
        match = IFRAME_SRC.search(shown["text/html"])
        assert match, shown
        url = html.unescape(match["src"])
        parts = FRAME_URL.fullmatch(url)
        assert parts, url
        key = parts["key"]
        base = f"http://127.0.0.1:{parts['port']}"

        # Real HTTP from this process into the server thread inside the kernel.
        page = session.get(url, timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
        count = session.get(f"{base}/row-count/demo", params={"key": key}, timeout=10).json()
        assert count["ok"] and count["rows"] == 100_000 and count["id"] == int(parts["id"])
        assert session.get(f"{base}/row-count/demo", timeout=10).status_code == 401

        run_until("chart-demo")
        assert result_of(nb, "chart-demo")["text/plain"] == "(100000, 20, 'aggregated')"
        assert inst_chart_url_is_the_page(result_of(nb, "chart-page"), base, key, session)

        run_until("update-demo")
        flagged = int(result_of(nb, "update-demo")["text/plain"])
        assert 0 < flagged < 100_000
        count = session.get(f"{base}/row-count/demo", params={"key": key}, timeout=10).json()
        assert count["rows"] == flagged

        run_until("which-package")
        assert str(REPO) in result_of(nb, "which-package")["text/plain"]
        gone = session.get(f"{base}/row-count/demo", params={"key": key}, timeout=10)
        assert gone.status_code == 404 and gone.json()["ok"] is False
        assert process.poll() is None
    # Leaving the context shuts the kernel down; whether it exits cleanly is the next test's.
    process.wait(timeout=15)
    assert not km.has_kernel
    with pytest.raises(requests.ConnectionError):
        session.get(f"{base}/health", timeout=2)


def kernel_exit(code: str) -> tuple[int, float]:
    """Run ``code`` in a fresh kernel, shut it down gracefully: (return code, seconds to exit)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    km = kernel_manager()
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=60,
                                     shutdown_kernel="graceful")
    with client.setup_kernel(env=kernel_env(), cleanup_kc=True):
        process = km.provisioner.process
        client.execute_cell(nb.cells[0], 0)
        started = time.monotonic()
    process.wait(timeout=15)
    return process.returncode, time.monotonic() - started


def test_a_kernel_running_the_server_exits_cleanly():
    """The server runs in a daemon thread, so the kernel exits by itself at once. A kernel that
    does not is terminated by jupyter_client after its shutdown wait (return code -15, which a
    non-daemon server thread gives every time).

    Up to three kernels: on this machine about one plain ipykernel 7 kernel in 25-50 (running
    only ``1+1``, no dtale_lite) also misses the graceful exit and is terminated, so one such
    miss is the kernel's, while a non-daemon thread fails all three.
    """
    code = ("import pandas as pd, dtale_lite, requests\n"
            "inst = dtale_lite.show(pd.DataFrame({'a': [1, 2]}), 'k')\n"
            "assert requests.get(inst.base_url + '/row-count/k?key=' + inst.key).ok")
    attempts = []
    for _ in range(3):
        returncode, seconds = kernel_exit(code)
        attempts.append((returncode, round(seconds, 2)))
        if returncode == 0 and seconds < 4:
            return
    pytest.fail(f"the kernel did not exit cleanly within 4 s in 3 tries: {attempts}")


WALKTHROUGH = REPO / "notebooks" / "walkthrough.ipynb"


def test_walkthrough_is_stored_without_outputs():
    nb = nbformat.read(WALKTHROUGH, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_walkthrough_runs_in_a_kernel_with_a_view_reported_as_the_grid_does():
    """Names and the named row-count URL, filter and export through the API, a chart page, and
    ``inst.view()``/``inst.code()`` after the grid page reported a view (POSTed here exactly as
    the page does, between the cells, while the kernel serves it)."""
    from dtale_lite.frames.benchframe import bench_frame

    from tests.conftest import run_view_code

    nb = nbformat.read(WALKTHROUGH, as_version=4)
    km = kernel_manager()
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=120,
                                     shutdown_kernel="graceful",
                                     resources={"metadata": {"path": str(WALKTHROUGH.parent)}})
    done = 0

    def run_until(cell_id):
        nonlocal done
        while done <= cell(nb, cell_id):
            client.execute_cell(nb.cells[done], done)
            done += 1

    def text(cell_id) -> str:
        return result_of(nb, cell_id)["text/plain"]

    frame = bench_frame(200_000)
    with client.setup_kernel(env=kernel_env(), cleanup_kc=True):
        run_until("show")
        src = html.unescape(IFRAME_SRC.search(result_of(nb, "show")["text/html"])["src"])
        assert 'height="420"' in result_of(nb, "show")["text/html"]
        parts = FRAME_URL.fullmatch(src)
        base, key = f"http://127.0.0.1:{parts['port']}", parts["key"]

        run_until("row-count")
        assert text("row-count") == "(200000, True)"
        run_until("filter")
        expected = frame[(frame.f1 > 1) & frame.s_lo.isin(["cat_01", "cat_02"])]
        total, names, first = ast.literal_eval(text("filter"))
        top = expected.sort_values("f1", ascending=False, kind="stable").iloc[0]
        assert (total, names, first[0]) == (len(expected), ["id", "i_small", "i_big", "f1"],
                                            top["id"])
        run_until("export")
        assert text("export") == f"(({len(expected)}, 3), True)"
        run_until("chart")
        chart_src = IFRAME_SRC.search(result_of(nb, "chart")["text/html"])["src"]
        assert requests.get(html.unescape(chart_src), timeout=60).status_code == 200

        # The grid page reports its view (what a user's sort, filter and column choice send).
        reported = {"filter": "f2 < 100 and flag == true", "sort": [["ts", "desc"]],
                    "columns": ["ts", "id", "f2"], "page": "walkthrough-test", "seq": 1}
        answer = requests.post(f"{base}/api/frames/sales/view", json=reported,
                               headers={"X-Dtale-Lite-Key": key}, timeout=10)
        assert answer.status_code == 200 and answer.json()["stored"] is True
        run_until("view")
        wanted = frame[(frame.f2 < 100) & frame.flag].sort_values(
            "ts", ascending=False, kind="stable", na_position="last")[["ts", "id", "f2"]]
        assert text("view") == f"({len(wanted)}, 3)"
        printed = "".join(o.get("text", "") for o in nb.cells[cell(nb, "view")].outputs
                          if o.output_type == "stream")
        # The printed code, run here on the same frame, gives the rows the grid shows.
        pd_view = run_view_code(printed, frame)
        assert pd_view.equals(wanted)
        run_until("cleanup")
        assert text("cleanup") == "[]"
