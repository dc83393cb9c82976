"""dtale_lite.wsgi.serve behind a real gunicorn: several workers, --preload, the key in the log."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
import requests

from dtale_lite.frames.benchframe import bench_frame
from dtale_lite.frames.loaders import LoadError
from dtale_lite.wsgi import frame_names, serve

from tests.live_servers import check_viewer, gunicorn


@pytest.fixture(scope="module")
def data_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn-data")
    frame = bench_frame(5_000)
    frame.to_csv(folder / "sales.csv", index=False)
    frame.to_parquet(folder / "orders.parquet")
    return folder


@pytest.fixture(scope="module")
def preloaded(data_files):
    """The documented command: two workers (four threads each) sharing frames loaded once."""
    live, origin = gunicorn(data_files, 'dtale_lite.wsgi:serve("sales.csv", "orders.parquet")',
                            "--preload", "--workers", "2", "--threads", "4",
                            env={"DTALE_LITE_KEY": ""})
    key = live.wait_for(r"key generated at start .*: (\S+)$")[1]
    yield live, origin, key
    live.stop()


def test_fresh_workers_serve_a_chart_pages_scripts_all_at_once(preloaded):
    # Runs first: neither worker has served a chart request. The browser asks for the page's
    # scripts in parallel, and they reach both workers (Dash used to answer 500 to the
    # requests that came in while its first-request setup was still running).
    _, origin, key = preloaded
    page = requests.get(f"{origin}/charts/sales", params={"key": key}, timeout=60).text
    scripts = re.findall(r'src="(/charts/_dash-component-suites/[^"]+)"', page)
    assert len(scripts) > 3
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(
            lambda path: requests.get(f"{origin}{path}", timeout=60).status_code, scripts * 4))
    assert statuses == [200] * len(statuses)


def test_preloaded_workers_serve_both_files_with_the_logged_key(preloaded, data_files):
    live, origin, key = preloaded
    # Each file is logged once (by the master, before the fork), with its link.
    for name, number in (("sales", 1), ("orders", 2)):
        lines = [line for line in live.lines if f"dtale_lite: {name}: 5,000 rows" in line]
        assert len(lines) == 1 and lines[0].endswith(f"/frames/{number}?key={key}")
    check_viewer(origin, "", key, "sales", pd.read_csv(data_files / "sales.csv"))
    check_viewer(origin, "", key, "orders", pd.read_parquet(data_files / "orders.parquet"))
    # Fresh connections land on either worker: all of them know the frames and the key.
    for _ in range(20):
        assert requests.get(f"{origin}/row-count/orders", params={"key": key},
                            timeout=30).json()["rows"] == 5_000


def test_it_is_read_only(preloaded):
    _, origin, key = preloaded
    refused = requests.delete(f"{origin}/api/frames/sales", params={"key": key}, timeout=30)
    assert refused.status_code == 405
    assert refused.json() == {"ok": False, "status": 405, "error": refused.json()["error"]}
    assert "read-only" in refused.json()["error"]
    assert requests.post(f"{origin}/shutdown", params={"key": key}, timeout=30).status_code == 409
    assert requests.get(f"{origin}/api/frames", params={"key": key},
                        timeout=30).json()["ok"] is True
    assert requests.get(f"{origin}/row-count/sales", params={"key": key},
                        timeout=30).json()["rows"] == 5_000


def test_the_key_from_the_environment_under_a_prefix_without_preload(data_files):
    # Without --preload every worker loads the files itself: DTALE_LITE_KEY makes them agree.
    chosen = "a-key-the-operator-chose"
    live, origin = gunicorn(
        data_files, 'dtale_lite.wsgi:serve("orders.parquet", url_prefix="/data", names=["o"])',
        "--workers", "2", env={"DTALE_LITE_KEY": chosen})
    try:
        check_viewer(origin, "/data", chosen, "o", pd.read_parquet(data_files / "orders.parquet"))
        for _ in range(10):
            assert requests.get(f"{origin}/data/row-count/o", params={"key": chosen},
                                timeout=30).status_code == 200
        wrong = requests.get(f"{origin}/data/row-count/o", params={"key": "x"}, timeout=30)
        assert wrong.status_code == 403
        outside = requests.get(f"{origin}/row-count/o", params={"key": chosen}, timeout=30)
        assert outside.status_code == 404 and outside.json()["ok"] is False
        assert "key from DTALE_LITE_KEY" in live.output and chosen not in live.output
    finally:
        live.stop()


@pytest.mark.parametrize("paths, names, expected", [
    (["a/sales.csv", "b/orders.parquet"], None, ["sales", "orders"]),
    (["data.csv", "data.parquet", "x/data.csv"], None, ["data", "data_2", "data_3"]),
    (["2024 sales.csv"], None, ["_2024_sales"]),
    (["a.csv", "b.csv"], ["first", "second"], ["first", "second"]),
])
def test_frame_names(paths, names, expected):
    assert frame_names(paths, names) == expected


@pytest.mark.parametrize("paths, names, error, message", [
    ((), None, ValueError, "at least one data file"),
    (("a.csv", "b.csv"), ["one"], ValueError, "one distinct name per file"),
    (("a.csv", "b.csv"), ["x", "x"], ValueError, "one distinct name per file"),
    (("missing.csv",), None, LoadError, "missing.csv: no such file"),
    (("{tmp}/ok.csv",), ["1bad"], ValueError, "invalid frame name"),
])
def test_serve_refuses_bad_arguments(tmp_path, paths, names, error, message):
    (tmp_path / "ok.csv").write_text("a\n1\n")
    paths = [p.format(tmp=tmp_path) for p in paths]
    with pytest.raises(error, match=message):
        serve(*paths, names=names)
