"""VS Code's debugger workflow on a real debugpy session (VS Code's own Python debug adapter):
a script pauses at ``breakpoint()``, ``dtale_lite.show(df)`` is typed in the Debug Console, and
the grid's server answers while the program stays paused. (The editor UI is not run here.)"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap

import pytest
import requests

from tests.hosts.dap import DapClient
from tests.live_servers import free_port



@pytest.fixture
def paused(tmp_path):
    script = tmp_path / "paused.py"
    script.write_text(textwrap.dedent("""
        import pandas as pd
        df = pd.DataFrame({"a": [3, 1, 2, None], "b": ["x", "y", "z", "w"]})
        breakpoint()
        print("resumed", flush=True)
    """))
    port = free_port()
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "debugpy", "--listen", f"127.0.0.1:{port}",
                             "--wait-for-client", str(script)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    client = DapClient(port)
    try:
        yield client, client.attach(), proc
    finally:
        client.close()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def test_show_from_the_debug_console_while_paused(paused):
    client, thread, proc = paused
    client.repl(thread, "import dtale_lite; inst = dtale_lite.show(df, name='paused')")
    url = ast.literal_eval(client.repl(thread, "inst.url"))
    base, key = url.split("/frames/")[0], url.split("key=")[1]
    # The program is paused at its breakpoint, and the server answers.
    rows = requests.get(f"{base}/api/frames/paused/rows", params={"key": key}, timeout=10).json()
    assert rows["total"] == 4 and rows["data"][0] == [3.0, "x"]
    assert requests.get(url, timeout=10).status_code == 200
    assert proc.poll() is None
    client.request("continue", threadId=thread)
    client.request("disconnect")
    out, _ = proc.communicate(timeout=20)
    assert "resumed" in out and proc.returncode == 0
