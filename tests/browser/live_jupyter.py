"""Real Jupyter servers for the browser tests: started on loopback with a token and their own
runtime, config and data folders, so nothing the machine's user has set up leaks in."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.live_servers import free_port

TOKEN = "jupyter-test-token"



def jupyter_env(home, extra: dict | None = None) -> dict:
    return {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
            **(extra or {})}


def start_jupyter(home, base_url: str = "/", *, app: str = "jupyter_server",
                  args: tuple[str, ...] = (), env: dict | None = None, timeout: float = 60):
    """Run ``python -m <app>`` (``jupyter_server``, or ``jupyterlab`` as ``jupyter lab`` does)
    serving ``home`` on 127.0.0.1; returns (process, base address) once /api/status answers."""
    port = free_port()
    # The log goes to a file: a pipe nobody reads would stall a chatty server once it is full.
    log = open(home / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", app, "--allow-root", "--no-browser",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={home}",
         f"--ServerApp.base_url={base_url}", *args],
        env=jupyter_env(home, env), stdout=subprocess.DEVNULL, stderr=log)
    log.close()  # the child has its own copy
    base = f"http://127.0.0.1:{port}"
    status = f"{base}{base_url.rstrip('/')}/api/status?token={TOKEN}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(status, timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
        assert proc.poll() is None, (home / "server.log").read_text()[-2000:]
    else:
        proc.kill()
        pytest.fail(f"jupyter server did not start within {timeout:.0f} s")
    return proc, base


def stop_jupyter(proc, timeout: float = 60) -> None:
    """SIGTERM: the server shuts its kernels down before it exits. One that takes longer
    than ``timeout`` (a loaded machine) is killed with its kernels, so none outlives the test."""
    import psutil

    children = psutil.Process(proc.pid).children(recursive=True)
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass  # it exited with the server, as it should
