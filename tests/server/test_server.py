"""The live server: real HTTP on 127.0.0.1, threads, reaper, shutdown and restart."""
from __future__ import annotations

import concurrent.futures
import threading
import time

import pandas as pd
import pytest
import requests

from dtale_lite.app.viewer import Viewer

from tests.conftest import small_frame


@pytest.fixture
def viewer():
    viewer = Viewer()
    yield viewer
    viewer.shutdown()


def get(inst, path, **kw):
    return requests.get(inst.base_url + path, headers={"X-Dtale-Lite-Key": inst.key}, timeout=10,
                        **kw)


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_show_starts_one_daemon_server_and_reuses_it(viewer):
    a = viewer.show(small_frame(), "a")
    b = viewer.show(small_frame(10), "b")
    assert a.base_url == b.base_url and a.base_url.startswith("http://127.0.0.1:")
    assert a.url == f"{a.base_url}/frames/{a.id}?key={a.key}"
    assert get(a, "/row-count/b").json()["rows"] == 10
    assert requests.get(a.base_url + "/health", timeout=5).json() == {"ok": True}
    port = a.base_url.rsplit(":", 1)[1]
    mine = [t for t in threading.enumerate() if t.name.endswith(f"-{port}")]
    assert sorted(t.name for t in mine) == [f"dtale_lite-reaper-{port}",
                                            f"dtale_lite-server-{port}"]
    assert all(t.daemon for t in threading.enumerate() if t.name.startswith("dtale_lite"))


def test_asking_for_another_port_while_running_warns(viewer):
    viewer.show(small_frame(5), "a")
    with pytest.warns(UserWarning, match="already running"):
        viewer.show(small_frame(5), "b", port=1)


def test_instance_api(viewer):
    frame = small_frame()
    inst = viewer.show(frame, "sales")
    assert inst.data is frame and inst.name == "sales" and inst.id == 1
    assert f'src="{inst.url}"' in inst._repr_html_()
    assert viewer.get("sales").id == inst.id and viewer.get(1).name == "sales"
    inst.update(small_frame(7))
    assert get(inst, "/row-count/sales").json()["rows"] == 7
    assert [i.name for i in viewer.instances()] == ["sales"]


def test_showing_under_an_existing_name_keeps_id_and_url(viewer):
    first = viewer.show(small_frame(), "sales")
    second = viewer.show(small_frame(3), "sales")
    assert (second.id, second.url) == (first.id, first.url)
    assert get(second, "/row-count/sales").json()["rows"] == 3


@pytest.mark.parametrize("bad", ["", "1abc", "has space", "x" * 65, "a/b", "ü"])
def test_invalid_names_are_rejected_clearly(viewer, bad):
    with pytest.raises(ValueError, match="letters, digits"):
        viewer.show(small_frame(), bad)


@pytest.mark.parametrize("data", [[1, 2], {"a": [1]}, None, "df"])
def test_show_rejects_what_it_cannot_show(viewer, data):
    with pytest.raises(TypeError, match=r"pandas DataFrame or Series, a Polars DataFrame.*; got "
                                        r"builtins\..*show_file\(path\)"):
        viewer.show(data)
    assert viewer.server is None  # nothing was started for a bad call


def test_kill_removes_one_frame_and_the_server_stays(viewer):
    a = viewer.show(small_frame(), "a")
    b = viewer.show(small_frame(), "b")
    a.kill()
    assert get(b, "/row-count/a").status_code == 404
    assert get(b, "/row-count/b").status_code == 200
    a.kill()  # twice is harmless


def test_reaper_stops_an_idle_server_and_show_restarts(viewer):
    inst = viewer.show(small_frame(), "a", reaper_timeout=1.0)
    port = inst.base_url.rsplit(":", 1)[1]
    # Requests keep it alive past its timeout (2 s of requests against a 1 s timeout) ...
    for _ in range(10):
        assert get(inst, "/health").status_code == 200
        time.sleep(0.2)
    assert viewer.server is not None
    # ... and without them it stops, frees the port and drops the frames.
    assert wait_until(lambda: viewer.server is None, timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(inst.base_url + "/health", timeout=2)
    assert viewer.instances() == []
    again = viewer.show(small_frame(), "a")
    assert get(again, "/row-count/a").status_code == 200 and again.key != inst.key
    assert not any(t.name == f"dtale_lite-server-{port}" for t in threading.enumerate())


def test_post_shutdown_stops_the_server(viewer):
    inst = viewer.show(small_frame(), "a", reaper_timeout=None)
    assert requests.post(inst.base_url + "/shutdown", timeout=5).status_code == 401
    response = requests.post(inst.base_url + "/shutdown", headers={"X-Dtale-Lite-Key": inst.key},
                             timeout=5)
    assert response.json() == {"ok": True, "stopping": True}
    assert wait_until(lambda: viewer.server is None)
    with pytest.raises(requests.ConnectionError):
        requests.get(inst.base_url + "/health", timeout=2)


def test_shutdown_then_restart(viewer):
    inst = viewer.show(small_frame(), "a")
    viewer.shutdown()
    assert viewer.server is None and viewer.instances() == []
    port = inst.base_url.rsplit(":", 1)[1]
    assert wait_until(lambda: not any(t.name.endswith(f"-{port}")
                                      for t in threading.enumerate()))
    with pytest.raises(LookupError):
        viewer.get("a")
    fresh = viewer.show(small_frame(), "a")
    assert get(fresh, "/row-count/a").status_code == 200
    assert inst.base_url != fresh.base_url or inst.key != fresh.key


def test_a_handle_from_a_stopped_server_cannot_touch_the_next_servers_frames(viewer):
    old = viewer.show(small_frame(5), "a")
    viewer.shutdown()
    new = viewer.show(small_frame(7), "b")
    assert new.id == old.id == 1  # a new server numbers its frames afresh
    old.kill()
    with pytest.raises(LookupError):
        old.update(small_frame(3))
    assert get(new, "/row-count/b").json()["rows"] == 7


def test_explicit_port_and_app_root(viewer):
    probe = Viewer()
    port = probe.show(small_frame(5)).base_url.rsplit(":", 1)[1]
    probe.shutdown()
    inst = viewer.show(small_frame(5), "a", port=int(port), app_root="/proxy/x/")
    assert inst.base_url == f"http://127.0.0.1:{port}/proxy/x"
    # reached directly, the prefixed URL works ...
    assert requests.get(inst.url, timeout=5).status_code == 200
    assert get(inst, "/row-count/a").json()["rows"] == 5
    # ... and behind a proxy that strips the prefix and sends X-Forwarded-Prefix, links keep it
    bare = f"http://127.0.0.1:{port}/api/frames?key={inst.key}"
    listed = requests.get(bare, headers={"X-Forwarded-Prefix": "/proxy/x"}, timeout=5).json()
    assert listed["frames"][0]["url"].startswith("/proxy/x/frames/1")


def test_concurrent_requests_share_one_sort(viewer):
    frame = small_frame(20_000)
    inst = viewer.show(frame, "big")
    sort = '[["f1","desc"]]'

    def page(offset):
        return get(inst, f"/api/frames/big/rows?offset={offset}&limit=50&sort={sort}").json()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(page, range(0, 4000, 100)))
    expected = frame.sort_values("f1", ascending=False, kind="stable", na_position="last")
    for offset, body in zip(range(0, 4000, 100), pages):
        assert body["index"] == expected.index[offset:offset + 50].tolist()
    assert viewer.registry.background.wait_idle()
    # f1's sort key and the full order, once each (first pages are selected, not cached)
    assert viewer.registry.cache.computed == 2


def test_frame_page_and_index_over_http(viewer):
    inst = viewer.show(pd.DataFrame({"a": [1, None]}), "p")
    page = requests.get(inst.url, timeout=5)
    assert page.status_code == 200 and "dtale-config" in page.text
    home = requests.get(f"{inst.base_url}/?key={inst.key}", timeout=5)
    assert home.status_code == 200 and f"/frames/{inst.id}?key={inst.key}" in home.text


def test_mixed_concurrent_traffic_with_updates_never_errors(viewer):
    """Reads, sorts, filters, describes and exports race update() and kill(): every answer is
    a well-formed 200, 400 or 404, never a 500. Bounded: 6 threads x 40 requests."""
    import json
    import random

    inst = viewer.show(small_frame(3000), "race")
    headers = {"X-Dtale-Lite-Key": inst.key}
    paths = [
        "/api/frames/race/rows?offset=100&limit=50",
        '/api/frames/race/rows?sort=[["f1","desc"],["id","asc"]]&limit=20',
        "/api/frames/race/rows?filter=f1 > 0 and i_small < 5&offset=10",
        '/api/frames/race/rows?filter=s_lo in ["cat_01"]&sort=[["ts","asc"]]',
        "/api/frames/race/describe?column=s_lo&filter=flag == true",
        "/api/frames/race/export?format=csv&filter=f1 > 1",
        "/api/frames/race/rows?filter=f1 >",  # always a 400
        "/row-count/race",
    ]
    statuses = []

    def client(seed):
        rng = random.Random(seed)
        session = requests.Session()
        for i in range(40):
            if seed == 0 and i % 8 == 4:
                try:
                    inst.update(small_frame(rng.randint(0, 3000), seed=i))
                except LookupError:
                    pass  # killed by the other thread already: updating it is an error
                continue
            if seed == 1 and i == 30:
                inst.kill()
                continue
            response = session.get(inst.base_url + rng.choice(paths), headers=headers,
                                   timeout=30)
            body = json.loads(response.content) if "json" in response.headers.get(
                "Content-Type", "") else {"ok": True}
            statuses.append(response.status_code)
            assert response.status_code in (200, 400, 404), body
            assert body["ok"] is (response.status_code == 200)

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(client, range(6)))
    assert 200 in statuses and 400 in statuses and 500 not in statuses


def test_memory_goes_back_once_requests_stop_and_only_then():
    """The watcher hands freed memory back (``on_idle``) about a second after the last
    request ends, once per quiet spell, and never while the server stays unused."""
    from dtale_lite import create_app
    from dtale_lite.server.registry import Registry
    from dtale_lite.server.thread import ServerThread

    calls = []
    registry = Registry()
    registry.add(small_frame(), name="a")
    server = ServerThread(create_app(registry, key="k"), reaper_timeout=None,
                          on_idle=lambda: calls.append(time.monotonic()),
                          idle_after=0.3).start()
    try:
        time.sleep(0.8)
        assert calls == []  # nothing was asked: nothing to hand back
        base = f"http://127.0.0.1:{server.port}"
        for _ in range(3):
            assert requests.get(f"{base}/row-count/a?key=k", timeout=5).status_code == 200
        ended = time.monotonic()
        assert wait_until(lambda: len(calls) == 1, timeout=5)
        assert calls[0] - ended >= 0.25
        time.sleep(0.8)
        assert len(calls) == 1  # one hand-back per quiet spell
        requests.get(f"{base}/row-count/a?key=k", timeout=5)
        assert wait_until(lambda: len(calls) == 2, timeout=5)
    finally:
        server.stop()
