"""Real servers in subprocesses for the host tests: the Flask example, gunicorn, uvicorn.

``LiveProcess(cmd)`` runs ``cmd`` with this checkout first on PYTHONPATH (then ``env``'s) and
reads its merged output in a thread, so a chatty server never blocks on a full pipe;
``wait_for(pattern)`` returns the first line matching it or fails the test with the output.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    # gunicorn and uvicorn need their port up front; the tiny race of asking first is fine here.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveProcess:
    def __init__(self, cmd: list[str], env: dict | None = None, cwd: Path | None = None):
        env = env or {}
        paths = [str(ROOT), env.get("PYTHONPATH"), os.environ.get("PYTHONPATH")]
        full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=full_env, cwd=cwd or ROOT)
        self.lines: list[str] = []
        self._new_line = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()
        with self._new_line:
            self._new_line.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        """The first output line matching ``pattern``; fails the test after ``timeout`` s."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._new_line:
            while True:
                for line in self.lines[seen:]:
                    match = regex.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    break
                self._new_line.wait(min(left, 0.5))
        self.stop()
        pytest.fail(f"no line matching {pattern!r} within {timeout} s; output:\n"
                    f"{self.output[-4000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reader.join(timeout=10)


def wait_http(url: str, timeout: float = 60, proc: LiveProcess | None = None) -> None:
    """Wait until ``url`` answers at all (any status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still loading
            if proc is not None and proc.proc.poll() is not None:
                break
            time.sleep(0.2)
    output = proc.output[-4000:] if proc else ""
    pytest.fail(f"{url} did not answer within {timeout} s\n{output}")


def start_flask_example() -> tuple[LiveProcess, str, str]:
    """The Flask host example on a free port: (process, origin, the viewer's key)."""
    live = LiveProcess([sys.executable, str(ROOT / "examples" / "flask_host" / "app.py"),
                        "--port", "0"])
    origin = live.wait_for(r"serving on (http://127\.0\.0\.1:\d+)/")[1]
    key = live.wait_for(r"viewer: \S+\?key=(\S+)")[1]
    return live, origin, key


def values(array) -> list:
    """A figure's array as a list: Plotly sends numbers as ``{"dtype", "bdata"}`` (base64)."""
    import base64

    import numpy as np

    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def check_viewer(origin: str, prefix: str, key: str, frame: str, expected) -> None:
    """Every part of a viewer mounted at ``origin + prefix`` serving the DataFrame ``expected``
    as ``frame``: the grid page, rows, a chart page with its Dash layout, a chart's JSON, and
    401 without the key. ``expected`` needs the benchmark frame's columns s_lo and f1."""
    import numpy as np

    base = f"{origin}{prefix}"
    auth = {"key": key}
    page = requests.get(f"{base}/frames/{frame}", params=auth, timeout=30)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    # The page loads its bundle from under the prefix, where the browser will find it.
    assert f'{prefix}/assets/grid/' in page.text

    rows = requests.get(f"{base}/api/frames/{frame}/rows",
                        params={**auth, "offset": 0, "limit": 5}, timeout=30).json()
    assert rows["ok"] and rows["total"] == len(expected)
    assert rows["index"] == list(range(5))
    assert [row[rows["columns"].index("id")] for row in rows["data"]] == \
        expected["id"].head(5).tolist()

    spec = {"type": "bar", "x": "s_lo", "y": "f1", "agg": "mean"}
    chart_page = requests.get(f"{base}/charts/{frame}", params={**auth, **spec}, timeout=60)
    assert chart_page.status_code == 200
    # Dash's scripts are asked for under the prefix too (Dash bakes the prefix into the page).
    script = re.search(rf'src="({re.escape(prefix)}/charts/_dash-component-suites/[^"]+)"',
                       chart_page.text)
    assert script, chart_page.text[:2000]
    assert requests.get(f"{origin}{script[1]}", timeout=30).status_code == 200
    layout = requests.get(f"{base}/charts/_dash-layout", params=auth, timeout=60)
    assert layout.status_code == 200 and layout.json()["props"]

    chart = requests.get(f"{base}/api/frames/{frame}/chart", params={**auth, **spec},
                         timeout=60).json()
    assert chart["ok"] and chart["rows"] == len(expected)
    trace = chart["figure"]["data"][0]
    means = expected.groupby("s_lo")["f1"].mean()
    assert values(trace["x"]) == means.index.tolist()
    assert np.allclose(values(trace["y"]), means.to_numpy())

    for path in (f"/frames/{frame}", f"/api/frames/{frame}/rows", f"/charts/{frame}",
                 f"/api/frames/{frame}/chart"):
        refused = requests.get(f"{base}{path}", timeout=30)
        assert refused.status_code == 401, path
        assert refused.json()["ok"] is False and refused.json()["status"] == 401


def gunicorn(folder, app: str, *options: str, env: dict | None = None):
    """gunicorn serving ``app`` from ``folder`` on a free port: (process, origin)."""
    port = free_port()
    live = LiveProcess([sys.executable, "-m", "gunicorn", "--no-control-socket",
                        "--graceful-timeout", "3", "-b", f"127.0.0.1:{port}", *options, app],
                       env=env, cwd=folder)
    live.wait_for(r"Listening at: http://127\.0\.0\.1")
    origin = f"http://127.0.0.1:{port}"
    wait_http(f"{origin}/health", proc=live)
    return live, origin
