"""The viewer mounted in an ASGI app (FastAPI) through a2wsgi, served by a real uvicorn."""
from __future__ import annotations

import sys
import textwrap

import pytest
import requests

from dtale_lite.frames.benchframe import bench_frame

from tests.live_servers import ROOT, LiveProcess, check_viewer, free_port, wait_http

EXAMPLE = ROOT / "examples" / "asgi_host"


def uvicorn(app: str, extra_path: str | None = None):
    port = free_port()
    live = LiveProcess([sys.executable, "-m", "uvicorn", app, "--app-dir", str(EXAMPLE),
                        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                       env={"DTALE_LITE_KEY": "", "PYTHONPATH": extra_path or ""})
    key = live.wait_for(r"dtale_lite viewer: /viewer/frames/1\?key=(\S+)")[1]
    origin = f"http://127.0.0.1:{port}"
    wait_http(f"{origin}/api/hello", proc=live)
    return live, origin, key


@pytest.fixture(scope="module")
def expected():
    return bench_frame(20_000)  # the example's demo frame


def test_fastapi_mount_serves_the_viewer_next_to_its_own_routes(expected):
    live, origin, key = uvicorn("app:app")
    try:
        hello = requests.get(f"{origin}/api/hello", timeout=30).json()
        assert hello == {"hello": "from the host", "viewer": f"/viewer/frames/1?key={key}"}
        check_viewer(origin, "/viewer", key, "demo", expected)
        # Starlette's Mount redirects the bare prefix to the index of frames.
        index = requests.get(f"{origin}/viewer", params={"key": key}, timeout=30)
        assert index.status_code == 200 and "/viewer/frames/1?key=" in index.text
    finally:
        live.stop()


def test_a_host_under_its_own_root_path_serves_links_under_both_prefixes(tmp_path, expected):
    # The FastAPI app is itself mounted at /outer (a sub-application; uvicorn --root-path
    # behind a proxy is the same to the app): the ASGI root_path becomes "/outer/viewer", which
    # a2wsgi hands on as SCRIPT_NAME, and every link of the grid and the chart pages follows it.
    (tmp_path / "outer.py").write_text(textwrap.dedent("""
        from starlette.applications import Starlette
        from starlette.routing import Mount

        from app import app as inner

        outer = Starlette(routes=[Mount("/outer", app=inner)])
    """))
    live, origin, key = uvicorn("outer:outer", extra_path=str(tmp_path))
    try:
        check_viewer(origin, "/outer/viewer", key, "demo", expected)
        assert requests.get(f"{origin}/viewer/frames/1", params={"key": key},
                            timeout=30).status_code == 404
    finally:
        live.stop()
