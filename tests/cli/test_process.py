"""dtale_lite in other processes: import cost, a pdb breakpoint, the command line."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest
import requests

PY = sys.executable


def run_py(code: str, timeout=60) -> str:
    out = subprocess.run([PY, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         timeout=timeout, check=True)
    return out.stdout


def test_import_starts_nothing_and_skips_dash_and_plotly():
    out = run_py("""
        import json, sys, threading
        import pandas
        before = set(sys.modules)
        import dtale_lite
        print(json.dumps({
            "threads": [t.name for t in threading.enumerate()],
            "heavy": sorted(m for m in set(sys.modules) - before
                            if m.split(".")[0] in {"dash", "plotly"}),
        }))
    """)
    seen = json.loads(out)
    assert seen == {"threads": ["MainThread"], "heavy": []}


def test_script_exits_cleanly_with_the_server_running():
    start = time.monotonic()
    out = run_py("""
        import pandas as pd, dtale_lite, requests
        inst = dtale_lite.show(pd.DataFrame({"a": [1, 2]}), "x")
        print(requests.get(inst.base_url + "/row-count/x?key=" + inst.key).json()["rows"])
    """)
    assert out.strip() == "2"
    assert time.monotonic() - start < 20  # a non-daemon thread would hang until the timeout


def test_server_answers_while_the_main_thread_is_paused_in_pdb(tmp_path):
    script = tmp_path / "paused.py"
    script.write_text(textwrap.dedent("""
        import pandas as pd, dtale_lite
        inst = dtale_lite.show(pd.DataFrame({"a": range(5)}), "paused")
        print("URL", inst.base_url, inst.key, flush=True)
        breakpoint()
        print("resumed", flush=True)
    """))
    env = {**os.environ, "PYTHONBREAKPOINT": "pdb.set_trace", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([PY, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("URL"), line
        _, base, key = line.split()
        time.sleep(0.5)  # the main thread is now at the (Pdb) prompt
        assert proc.poll() is None
        body = requests.get(f"{base}/row-count/paused?key={key}", timeout=10).json()
        assert body["rows"] == 5
        out, _ = proc.communicate("c\n", timeout=30)
        assert "resumed" in out and proc.returncode == 0
    finally:
        proc.kill()
        proc.communicate(timeout=10)  # reap it and close its pipes


def _lines_of(proc) -> "queue.Queue[str]":
    """The process's output lines, read by a thread so that a test waits with a timeout."""
    lines: queue.Queue[str] = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _read_until(lines, marker: str, timeout: float = 30) -> str:
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"no {marker!r} in the output: {''.join(seen)[-2000:]}")


def test_view_and_code_from_pdb_after_a_page_reported_its_view(tmp_path):
    # The issue 7 workflow: stopped at a breakpoint, show(df), look at it in the browser, then
    # inst.view() and inst.code() at the same (Pdb) prompt. The test plays the page's part
    # and POSTs the view exactly as the grid does.
    script = tmp_path / "debugged.py"
    script.write_text(textwrap.dedent("""
        import numpy as np, pandas as pd
        df = pd.DataFrame({"a": [3.0, 1.0, np.nan, 1.0, 5.0], "s": ["x", "y", None, "x", "z"],
                           "n": [10, 20, 30, 40, 50]})
        breakpoint()
        print("resumed", flush=True)
    """))
    env = {**os.environ, "PYTHONBREAKPOINT": "pdb.set_trace", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([PY, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    lines = _lines_of(proc)

    def pdb(command: str, marker: str) -> str:
        """Everything printed up to the line with ``marker``, that line from the marker on
        last (pdb's prompt has no newline, so it starts the next line)."""
        proc.stdin.write(command + "\n")
        proc.stdin.flush()
        out = _read_until(lines, marker)
        return out[:out.rindex(marker)] + out[out.rindex(marker):].rstrip("\n")

    try:
        _, url, key = pdb("import dtale_lite; inst = dtale_lite.show(df)\n"
                          "print('URL', inst.base_url, inst.key)", "URL ").split()[-3:]
        frame = pdb("print('FRAME', inst.id)", "FRAME ").split()[-1]
        response = requests.post(f"{url}/api/frames/{frame}/view",
                                 json={"filter": 'a >= 1 and s != "z"', "sort": [["a", "desc"]],
                                       "columns": ["s", "a"], "page": "p", "seq": 1},
                                 headers={"X-Dtale-Lite-Key": key}, timeout=10)
        assert response.status_code == 200, response.text
        rows = pdb("print('ROWS', inst.view().index.tolist(), list(inst.view().columns))", "ROWS")
        # a descending, ties (1.0) in the frame's order, NaN and "z" filtered out
        assert rows.endswith("ROWS [0, 1, 3] ['s', 'a']")
        code = pdb("print(inst.code()); print('END')", "END")
        assert "view = df[(df['a'] >= 1) & (df['s'] != 'z')]" in code
        assert "view.sort_values('a', ascending=False, kind=\"stable\", na_position=\"last\")" in code
        same = pdb("exec(inst.code()); print('SAME', view.equals(inst.view()), len(view))", "SAME")
        assert same.endswith("SAME True 3")
        assert "resumed" in pdb("c", "resumed")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        proc.communicate(timeout=10)


@pytest.mark.parametrize("args, message", [
    (["nope.csv"], "nope.csv: no such file"),
    (["{tmp}/data.xyz"], "unsupported file type '.xyz'"),
    (["{tmp}/bad.parquet"], "could not read it as Parquet"),
    ([], "give at least one FILE, or --demo"),
    (["--name", "a", "{tmp}/data.csv", "{tmp}/data.csv"], "--name needs exactly one FILE"),
])
def test_cli_errors_name_the_file(tmp_path, args, message):
    (tmp_path / "data.xyz").write_text("x")
    (tmp_path / "bad.parquet").write_text("not parquet")
    (tmp_path / "data.csv").write_text("a\n1\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    out = subprocess.run([PY, "-m", "dtale_lite", *argv], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode != 0 and message in out.stderr


def write_formats(folder) -> dict:
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", None]})
    paths = {
        "csv": folder / "f.csv", "tsv": folder / "f.tsv", "parquet": folder / "f.parquet",
        "json": folder / "f.json", "feather": folder / "f.feather", "xlsx": folder / "f.xlsx",
        "csvgz": folder / "g.csv.gz",
    }
    frame.to_csv(paths["csv"], index=False)
    frame.to_csv(paths["tsv"], sep="\t", index=False)
    frame.to_parquet(paths["parquet"])
    frame.to_json(paths["json"], orient="records")
    frame.to_feather(paths["feather"])
    frame.to_excel(paths["xlsx"], index=False)
    frame.to_csv(paths["csvgz"], index=False)
    return paths


def test_cli_serves_every_format_until_interrupted(tmp_path):
    paths = write_formats(tmp_path)
    proc = subprocess.Popen([PY, "-m", "dtale_lite", "--no-browser", *map(str, paths.values())],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(len(paths) + 1)]
        assert lines[-1].startswith("all frames: http://127.0.0.1:"), lines
        home = lines[-1].split()[-1]
        base, key = home.split("/?key=")
        frames = requests.get(f"{base}/api/frames?key={key}", timeout=10).json()["frames"]
        assert sorted(f["name"] for f in frames) == ["f", "f_2", "f_3", "f_4", "f_5", "f_6", "g"]
        assert {f["rows"] for f in frames} == {3}
        proc.send_signal(2)  # Ctrl-C
        proc.wait(timeout=20)
        assert proc.returncode == 0
    finally:
        proc.kill()
        proc.communicate(timeout=10)  # reap it and close its pipes


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet", "json", "feather", "xlsx", "csvgz"])
def test_loaders_read_each_format(tmp_path, fmt):
    from dtale_lite.frames.loaders import load_file

    frame = load_file(write_formats(tmp_path)[fmt])
    assert frame["a"].tolist() == [1, 2, 3] and frame["b"].isna().tolist() == [False, False, True]


def test_cli_demo_serves_the_builtin_datasets():
    proc = subprocess.Popen([PY, "-m", "dtale_lite", "--demo", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith("gapminder: 1,704 rows  http://127.0.0.1:"), first
        url = first.split()[-1]
        assert requests.get(url, timeout=10).status_code == 200
    finally:
        proc.kill()
        proc.communicate(timeout=10)  # reap it and close its pipes


def test_demo_needs_no_plotly_for_its_synthetic_frame(monkeypatch):
    import importlib.util

    from dtale_lite.frames import loaders

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(loaders.importlib.util, "find_spec",
                        lambda name, *a: None if name == "plotly" else real_find_spec(name, *a))
    frames = loaders.demo_frames(synthetic_rows=1000)
    assert list(frames) == ["synthetic"] and len(frames["synthetic"]) == 1000


def test_cli_opens_a_directory_and_a_glob_of_parquet_in_place_through_duckdb(tmp_path):
    """`dtale-lite data/ 'data/*.parquet'`: DuckDB reads the files where they are; the rows of
    several files keep one order; Ctrl-C removes what DuckDB wrote in --temp-dir."""
    data = tmp_path / "data"
    data.mkdir()
    for part in range(3):
        pd.DataFrame({"id": range(part * 100, part * 100 + 100),
                      "v": [float(i % 7) for i in range(100)]}).to_parquet(
            data / f"part-{part}.parquet")
    spill = tmp_path / "spill"
    proc = subprocess.Popen([PY, "-m", "dtale_lite", "--no-browser", "--temp-dir", str(spill),
                             "--memory-limit", "256MB", str(data), str(data / "*.parquet")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        home = lines[-1].split()[-1]
        base, key = home.split("/?key=")
        frames = requests.get(f"{base}/api/frames?key={key}", timeout=10).json()["frames"]
        assert [(f["name"], f["rows"]) for f in frames] == [("data", 300), ("_", 300)]
        for frame in frames:
            schema = requests.get(f"{base}/api/frames/{frame['id']}/schema?key={key}",
                                  timeout=10).json()
            assert schema["engine"] == "duckdb"
            page = requests.get(f"{base}/api/frames/{frame['id']}/rows", timeout=10, params={
                "key": key, "sort": '[["v", "desc"]]', "limit": 3}).json()
            assert page["index"] == [6, 13, 20] and [r[0] for r in page["data"]] == [6, 13, 20]
        assert any(spill.iterdir())  # DuckDB's database of view tables lives there
        proc.send_signal(2)  # Ctrl-C
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert "in place (DuckDB)" in err and "leaked" not in err, err[-2000:]
        # --memory-limit wins over the limit the viewer would choose (128 MiB for these files)
        assert "(DuckDB: memory limit 244.1 MiB, " in err, err[-2000:]
        assert not any(p.name.startswith("dtale-lite-views") for p in spill.iterdir())
    finally:
        proc.kill()
        proc.communicate(timeout=10)


def test_cli_chooses_duckdbs_memory_limit_and_takes_its_threads(tmp_path):
    """Without --memory-limit the limit comes from the file (a small file: the 128 MiB
    floor, not 2 GB); --threads wins over the one thread a one-row-group file would get."""
    path = tmp_path / "small.parquet"
    pd.DataFrame({"v": range(10)}).to_parquet(path)
    proc = subprocess.Popen([PY, "-m", "dtale_lite", "--no-browser", "--threads", "2",
                             str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().startswith("small:")  # serving
        proc.send_signal(2)  # Ctrl-C
        _, err = proc.communicate(timeout=20)
        assert "(DuckDB: memory limit 128.0 MiB, 2 threads)" in err, err[-2000:]
    finally:
        proc.kill()
        proc.communicate(timeout=10)
