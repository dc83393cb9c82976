"""A real ``streamlit run`` (or ``dtale-lite-streamlit run``) on 127.0.0.1 for the browser tests,
and what the tests ask of the Streamlit page that shows dtale_lite's example (issue 7)."""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "streamlit"
STREAMLIT_OPTIONS = ["--server.headless", "true", "--server.address", "127.0.0.1",
                     "--server.port", "0", "--browser.gatherUsageStats", "false",
                     "--server.fileWatcherType", "none"]
GRID = 'iframe[src*="/frames/"]'
PLOT_DRAWN = """() => {
    const gd = document.querySelector('[data-testid="chart-graph"] .js-plotly-plot');
    return gd && gd._fullData && gd._fullData.length && gd.querySelector('.trace.bars .point');
}"""


@dataclass
class StreamlitServer:
    proc: subprocess.Popen
    url: str = ""  # Streamlit's page: the origin, and the base URL path when one is set
    output: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        """What the page's origin-relative links (the grid's iframe, the charts) start from."""
        return "/".join(self.url.split("/")[:3])

    @property
    def viewer(self) -> str:
        """The mounted viewer: /dtale_lite below the base URL path."""
        return f"{self.url}/dtale_lite"

    def stop(self) -> None:
        """Stop it with SIGTERM, as a service manager does, and check that it stopped cleanly.

        Streamlit stops its sessions and uvicorn shuts down gracefully, then re-raises the
        signal (uvicorn's Server.capture_signals), so an st.App server ends by SIGTERM and a
        plain ``streamlit run`` with status 0; neither may leave a traceback.
        """
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail("streamlit did not stop within 20 s of SIGTERM:\n" + self.log())
        assert status in (0, -signal.SIGTERM), self.log()
        assert "Traceback" not in "".join(self.output), self.log()

    def log(self) -> str:
        return "".join(self.output[-60:])


def start_streamlit(command: list[str], script: Path, *options: str) -> StreamlitServer:
    """Start ``command run script`` on a free port (Streamlit binds port 0 and prints the URL)
    and wait until its health check answers."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*command, "run", str(script), *STREAMLIT_OPTIONS, *options],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=script.parent)
    server = StreamlitServer(proc)
    lines: queue.Queue = queue.Queue()

    def drain():  # keep reading, or a full pipe would block the server
        for line in proc.stdout:
            server.output.append(line)
            lines.put(line)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.url and time.monotonic() < deadline:
        try:
            found = re.search(r"URL: (http://127\.0\.0\.1:\d+\S*)", lines.get(timeout=0.5))
        except queue.Empty:
            found = None
            if proc.poll() is not None:
                break
        if found:
            server.url = found.group(1).rstrip("/")
    while server.url and time.monotonic() < deadline:
        try:
            if requests.get(f"{server.url}/_stcore/health", timeout=2).status_code == 200:
                return server
        except requests.RequestException:  # not listening yet, or busy starting up
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    pytest.fail(f"streamlit did not start within 60 s:\n{server.log()}")


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def grid_src(page, index: int = 0) -> str:
    page.wait_for_selector(GRID)
    return page.locator(GRID).nth(index).get_attribute("src")


def key_of(src: str) -> str:
    return parse_qs(urlsplit(src).query)["key"][0]


def frames_listed(server: StreamlitServer, key: str) -> list[dict]:
    answer = requests.get(f"{server.viewer}/api/frames", params={"key": key}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["frames"]


def wait_frames(server: StreamlitServer, key: str, expected: int) -> list[dict]:
    """The frame listing once it holds ``expected`` frames (sessions end asynchronously)."""
    deadline = time.monotonic() + 15
    while True:
        frames = frames_listed(server, key)
        if len(frames) == expected or time.monotonic() > deadline:
            assert len(frames) == expected, frames
            return frames
        time.sleep(0.1)
