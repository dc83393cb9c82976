"""The chart pages (the Dash app at /charts/) through Flask's test client: mounting, auth,
CSP, prefixes, a real callback, and that nothing imports Dash before a chart is opened."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from dtale_lite import create_app
from dtale_lite.server.registry import Registry
from dtale_lite.server.thread import PrefixMiddleware

from tests.conftest import KEY, small_frame

CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>')
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"')


def dash_config(html: str) -> dict:
    return json.loads(CONFIG.search(html).group(1))


def bundle_paths(html: str) -> list[str]:
    return SCRIPT_SRC.findall(html)


# -- the route table: every chart route, its method and whether it needs the key -----------
ROUTES = [
    ("GET", "/charts/small", True),
    ("GET", "/charts/1", True),
    ("GET", "/charts/small/correlations", True),
    ("GET", "/charts/_dash-layout", True),
    ("GET", "/charts/_dash-dependencies", True),
    ("POST", "/charts/_dash-update-component", True),
    ("GET", "/charts/_reload-hash", True),
    ("GET", "/charts/_geo/world_110m.json", True),  # map shapes (issue 16)
    ("GET", "/charts/_geo/world_50m.json", True),
    ("GET", "/charts/assets/key-header.js", False),
    ("GET", "/charts/assets/charts.css", False),
    ("GET", "/charts/_favicon.ico", False),
]


@pytest.fixture
def opened(client, frames):
    """The charts app built (the chart page opened once with the key)."""
    response = client.get("/charts/small")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("method, path, needs_key", ROUTES)
def test_auth_per_chart_route(app, opened, method, path, needs_key):
    anon = app.test_client()
    body = {"output": "page.children", "outputs": {"id": "page", "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": "/charts/small"}],
            "changedPropIds": ["url.pathname"],
            "state": [{"id": "page-drawn", "property": "data", "value": False}]}
    kwargs = {"json": body} if method == "POST" else {}
    response = anon.open(path, method=method, **kwargs)
    if not needs_key:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response.get_json() == {"ok": False, "status": 401,
                                   "error": response.get_json()["error"]}
    assert "key" in response.get_json()["error"]
    wrong = anon.open(path, method=method, headers={"X-Dtale-Lite-Key": "nope"}, **kwargs)
    assert wrong.status_code == 403 and wrong.get_json()["status"] == 403
    good = anon.open(path, method=method, headers={"X-Dtale-Lite-Key": KEY}, **kwargs)
    assert good.status_code == 200, good.data[:300]
    query = anon.open(f"{path}?key={KEY}", method=method, **kwargs)
    assert query.status_code == 200


def test_component_suites_are_public_once_built(app, opened):
    anon = app.test_client()
    suites = [p for p in bundle_paths(opened) if "/_dash-component-suites/" in p]
    assert suites, "the page loads Dash's bundles from this server"
    for path in suites:
        assert not path.startswith("http"), "nothing from a CDN"
        response = anon.get(path)
        assert response.status_code == 200 and len(response.data) > 100, path
        assert "javascript" in response.content_type


def test_an_unbuilt_prefix_needs_the_key_even_for_bundles(app, frames):
    # Making a Dash app (one per prefix) is work: only a caller with the key may cause it.
    response = app.test_client().get("/charts/_dash-component-suites/dash/deps/x.js")
    assert response.status_code == 401 and response.get_json()["ok"] is False


def test_unauthenticated_cannot_probe_frame_names(anon_client, frames):
    assert anon_client.get("/charts/small").status_code == 401
    assert anon_client.get("/charts/nope").status_code == 401
    assert anon_client.get("/charts/nope/correlations").status_code == 401


@pytest.mark.parametrize("path, status", [
    ("/charts/nope", 404),
    ("/charts/99/correlations", 404),
    ("/charts/small/other", 404),
    ("/charts/small/correlations/more", 404),
])
def test_chart_error_table(client, frames, path, status):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and "Traceback" not in body["error"]


def test_a_prefix_with_markup_is_refused(client, frames):
    response = client.get("/charts/small", headers={"X-Forwarded-Prefix": '/a"><script>'},
                          environ_overrides={"SCRIPT_NAME": '/a"><script>'})
    assert response.status_code == 400 and response.get_json()["ok"] is False


def test_chart_page_security_headers_and_csp(client, frames):
    response = client.get("/charts/small")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    hashes = [s for s in script_src if s.startswith("'sha256-")]
    assert "'self'" in script_src and hashes
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in script_src
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    # Every inline script of the page is allowed by one of the hashes, and nothing else is.
    import base64
    import hashlib
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        html, re.S)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in hashes
    layout = client.get("/charts/_dash-layout")
    assert layout.headers["Cache-Control"] == "no-store"
    assert layout.headers["Content-Security-Policy"] == csp


def test_create_app_twice_in_one_process(frames):
    first, second = Registry(), Registry()
    first.add(small_frame(10), "only_in_first")
    second.add(small_frame(10), "only_in_second")
    a, b = create_app(first, key="a"), create_app(second, key="b")
    assert a.test_client().get("/charts/only_in_first?key=a").status_code == 200
    assert b.test_client().get("/charts/only_in_second?key=b").status_code == 200
    assert b.test_client().get("/charts/only_in_first?key=b").status_code == 404
    assert b.test_client().get("/charts/only_in_second?key=a").status_code == 403
    layout_a = a.test_client().get("/charts/_dash-layout?key=a")
    assert layout_a.status_code == 200


def test_under_an_app_root_and_a_proxy_prefix(registry):
    registry.add(small_frame(10), "small")
    app = create_app(registry, key=KEY, app_root="/proxy/1234")
    # As ServerThread wires it: ProxyFix honours X-Forwarded-Prefix, and the app root is served.
    app.wsgi_app = PrefixMiddleware(ProxyFix(app.wsgi_app, x_prefix=1), "/proxy/1234")
    client = app.test_client()
    direct = client.get(f"/proxy/1234/charts/small?key={KEY}").get_data(as_text=True)
    assert dash_config(direct)["requests_pathname_prefix"] == "/proxy/1234/charts/"
    assert all(p.startswith("/proxy/1234/charts/") for p in bundle_paths(direct))
    proxied = client.get(f"/charts/small?key={KEY}", headers={"X-Forwarded-Prefix": "/proxy/1234"})
    assert dash_config(proxied.get_data(as_text=True))["requests_pathname_prefix"] == \
        "/proxy/1234/charts/"
    # Reached without the prefix, the page's own URLs have none (one Dash app per prefix).
    bare = client.get(f"/charts/small?key={KEY}").get_data(as_text=True)
    assert dash_config(bare)["requests_pathname_prefix"] == "/charts/"
    bundle = bundle_paths(direct)[0]
    assert client.get(bundle).status_code == 200
    assert client.get(f"/proxy/1234/charts/_dash-layout?key={KEY}").status_code == 200


def test_inside_a_host_app_under_dispatcher_middleware(registry):
    registry.add(small_frame(10), "small")
    viewer = create_app(registry, key=KEY)
    host = Flask("host")
    host.get("/")(lambda: "host home")
    host.wsgi_app = DispatcherMiddleware(host.wsgi_app, {"/viewer": viewer})
    client = host.test_client()
    page = client.get(f"/viewer/charts/small?key={KEY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert dash_config(html)["requests_pathname_prefix"] == "/viewer/charts/"
    assert all(p.startswith("/viewer/charts/") for p in bundle_paths(html))
    assert client.get(bundle_paths(html)[0]).status_code == 200
    assert client.get(f"/viewer/charts/_dash-dependencies?key={KEY}").status_code == 200
    assert client.get("/viewer/charts/small").status_code == 401
    assert client.get("/").get_data(as_text=True) == "host home"


# -- a callback through Dash's own route ------------------------------------------------
def callback_payload(client, output_id: str, values: dict, changed: list[str]) -> dict:
    """The body Dash's renderer POSTs to _dash-update-component for the callback that writes
    ``output_id``, with ``values`` by "id.property" (None for the rest)."""
    dependencies = client.get("/charts/_dash-dependencies").get_json()
    callback = next(c for c in dependencies if output_id in c["output"])
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1)))
               for part in callback["output"].strip(".").split("...")]

    def filled(items):
        return [{**item, "value": values.get(f"{item['id']}.{item['property']}")}
                for item in items]
    return {"output": callback["output"], "outputs": outputs,
            "inputs": filled(callback["inputs"]), "state": filled(callback["state"]),
            "changedPropIds": changed}


def draw(client, search: str):
    """The chart page's draw callback for a page opened at /charts/small?<search>."""
    payload = callback_payload(client, "chart-graph.figure", {
        "chart-url.pathname": "/charts/small", "chart-url.search": search,
        "client.data": "page-1",
    }, ["chart-url.search"])
    return client.post("/charts/_dash-update-component", json=payload)


def test_the_draw_callback_returns_a_figure(client, frames, opened):
    response = draw(client, f"?key={KEY}&type=bar&x=s_lo&y=f1&agg=mean")
    assert response.status_code == 200, response.data[:500]
    out = response.get_json()["response"]
    figure = out["chart-graph"]["figure"]
    assert figure["data"] and figure["data"][0]["type"] == "bar"
    assert out["chart-type"]["value"] == "bar" and out["chart-x"]["value"] == "s_lo"
    assert out["chart-message"]["hidden"] is True
    search = out["chart-url"]["search"]
    assert f"key={KEY}" in search and "type=bar" in search and "x=s_lo" in search


def test_a_chart_that_cannot_be_drawn_shows_a_message(client, frames, opened):
    out = draw(client, f"?key={KEY}&type=scatter&x=nope&y=f1").get_json()["response"]
    assert out["chart-message"]["hidden"] is False
    assert "nope" in out["chart-message"]["children"]
    assert out["chart-graph-box"]["hidden"] is True


# -- laziness: no Dash, no Plotly until a chart is opened --------------------------------
def test_import_and_show_do_not_import_dash_or_plotly():
    script = textwrap.dedent("""
        import sys, urllib.request
        import pandas as pd
        import dtale_lite
        inst = dtale_lite.show(pd.DataFrame({"a": range(10)}), name="lazy")
        assert urllib.request.urlopen(inst.url).status == 200
        rows = inst.base_url + f"/api/frames/lazy/rows?key={inst.key}"
        assert urllib.request.urlopen(rows).status == 200
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dash", "plotly"))
        print("before", loaded)
        chart = inst.url.replace("/frames/", "/charts/")
        assert urllib.request.urlopen(chart).status == 200
        print("after", "dash" in sys.modules)
        dtale_lite.shutdown()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "before []" in done.stdout
    assert "after True" in done.stdout  # the same server then serves charts
