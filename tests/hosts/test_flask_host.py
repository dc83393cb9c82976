"""dtale_lite.init_app: the viewer inside a host's Flask app, in process and as a real server."""
from __future__ import annotations

import re

import pandas as pd
import pytest
import requests
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

import dtale_lite
from dtale_lite.frames.benchframe import bench_frame

from tests.live_servers import check_viewer, start_flask_example


def host() -> Flask:
    app = Flask(__name__)
    app.add_url_rule("/", "home", lambda: "host home")
    app.add_url_rule("/tools", "tools", lambda: "tools")
    app.add_url_rule("/reports/<name>", "report", lambda name: f"report {name}")
    app.add_url_rule("/docs/intro", "intro", lambda: "intro")
    return app


def rows_of(client, prefix: str, key: str | None, frame="1"):
    query = f"?key={key}" if key else ""
    return client.get(f"{prefix}/api/frames/{frame}/rows{query}")


@pytest.mark.parametrize("served_first", [False, True])
def test_mounts_before_or_after_the_host_served_requests(served_first):
    app = host()
    client = app.test_client()
    if served_first:
        assert client.get("/").text == "host home"  # Flask now refuses new routes
    hosted = dtale_lite.init_app(app, "/viewer")
    inst = hosted.show(pd.DataFrame({"a": [1, 2, 3]}), name="abc")
    assert inst.url == f"/viewer/frames/1?key={hosted.key}"
    body = rows_of(client, "/viewer", hosted.key, "abc").get_json()
    assert body["total"] == 3 and body["data"] == [[1], [2], [3]]
    page = client.get(inst.url)
    assert page.status_code == 200 and "/viewer/assets/grid/" in page.text
    # The host's own routes are untouched, and its 404s stay its own (HTML, not our JSON).
    assert client.get("/tools").text == "tools"
    assert client.get("/reports/x").text == "report x"
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").content_type.startswith("text/html")


def test_the_key_guards_the_mount_and_none_turns_it_off():
    app = host()
    hosted = dtale_lite.init_app(app, "/viewer", key="chosen-key")
    hosted.show(pd.DataFrame({"a": [1]}))
    client = app.test_client()
    assert rows_of(client, "/viewer", None).status_code == 401
    assert rows_of(client, "/viewer", "wrong").status_code == 403
    assert rows_of(client, "/viewer", "chosen-key").status_code == 200
    assert client.get("/viewer/health").status_code == 200

    with pytest.warns(UserWarning, match="authentication is OFF"):
        open_one = dtale_lite.init_app(app, "/open", key=None)
    open_one.show(pd.DataFrame({"b": [2]}))
    assert open_one.key is None and open_one.get(1).url == "/open/frames/1"
    assert rows_of(client, "/open", None).get_json()["data"] == [[2]]
    assert rows_of(client, "/viewer", None).status_code == 401  # the other mount keeps its key


def test_two_viewers_and_a_shared_registry():
    app = host()
    first = dtale_lite.init_app(app, "/one")
    second = dtale_lite.init_app(app, "/tools/two", registry=first.registry)
    first.show(pd.DataFrame({"a": [5, 6]}), name="shared")
    client = app.test_client()
    assert rows_of(client, "/tools/two", second.key, "shared").get_json()["total"] == 2
    assert rows_of(client, "/tools/two", first.key, "shared").status_code == 403
    assert client.get("/tools").text == "tools"  # a static route above a mount still answers


@pytest.mark.parametrize("prefix, message", [
    ("", "not ''"),
    ("/", "not '/'"),
    ("///", "not '///'"),
    (None, "not None"),
    ("/a b", "may only hold"),
    ("/viewer/../admin", "may only hold"),
    ("/<x>", "may only hold"),
    ("/tools", "route '/tools'"),
    ("/reports", "route '/reports/<name>'"),
    ("/reports/monthly", "route '/reports/<name>'"),  # the variable route answers it
    ("/docs", "route '/docs/intro'"),  # the mount would hide the host's page
    ("/static", "route '/static/<path:filename>'"),
    ("/dash2", "mounted at '/dash2'"),
    ("/dash2/inner", "mounted at '/dash2'"),
    ("/viewer", "mounted at '/viewer'"),
])
def test_refuses_an_empty_root_unsafe_or_clashing_prefix(prefix, message):
    app = host()
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/dash2": Flask("other")})
    dtale_lite.init_app(app, "/viewer")
    with pytest.raises(ValueError, match="url_prefix") as raised:
        dtale_lite.init_app(app, prefix)
    assert message in str(raised.value)


def test_a_viewer_hidden_behind_another_middleware_still_clashes():
    from werkzeug.middleware.proxy_fix import ProxyFix

    app = host()
    dtale_lite.init_app(app, "/viewer", build_charts=False)
    app.wsgi_app = ProxyFix(app.wsgi_app)
    with pytest.raises(ValueError, match="mounted at '/viewer'"):
        dtale_lite.init_app(app, "/viewer/inner")


@pytest.mark.parametrize("prefix, mounted", [
    ("data", "/data"), ("/data/", "/data"), ("/tools/data", "/tools/data"),
    ("/docs/other", "/docs/other"), ("/a.b_c~d@e+f-g", "/a.b_c~d@e+f-g"),
])
def test_accepts_and_normalizes_a_prefix(prefix, mounted):
    app = host()
    hosted = dtale_lite.init_app(app, prefix)
    hosted.show(pd.DataFrame({"a": [1]}))
    assert hosted.get(1).url.startswith(f"{mounted}/frames/1?key=")
    assert rows_of(app.test_client(), mounted, hosted.key).status_code == 200


def test_a_dash_app_on_the_host_server_is_a_clash_and_keeps_working():
    from dash import Dash, html

    app = host()
    dash_app = Dash(__name__, server=app, url_base_pathname="/dash1/")
    dash_app.layout = html.Div("one", id="one")
    with pytest.raises(ValueError, match="/dash1/"):
        dtale_lite.init_app(app, "/dash1")
    dtale_lite.init_app(app, "/viewer")
    layout = app.test_client().get("/dash1/_dash-layout").get_json()
    assert layout["props"]["children"] == "one"


def test_init_app_does_not_import_dash():
    import subprocess
    import sys

    code = ("import sys, flask, dtale_lite; app = flask.Flask('h');"
            "h = dtale_lite.init_app(app, build_charts=False); print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in {'dash', 'plotly'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def flask_example():
    live, origin, key = start_flask_example()
    yield origin, key
    live.stop()


def test_the_example_serves_its_own_routes_its_dash_apps_and_the_viewer(flask_example):
    origin, key = flask_example
    home = requests.get(f"{origin}/", timeout=30)
    assert home.status_code == 200 and "The host's own page" in home.text
    assert f"/viewer/frames/1?key={key}" in home.text
    for prefix, title in (("/dash1", "Dash one"), ("/dash2", "Dash two")):
        layout = requests.get(f"{origin}{prefix}/_dash-layout", timeout=30).json()
        assert layout["props"]["children"][0]["props"]["children"] == title
        assert requests.get(f"{origin}{prefix}/", timeout=30).status_code == 200
    expected = bench_frame(20_000)  # the example's demo frame
    check_viewer(origin, "/viewer", key, "1", expected)
    check_viewer(origin, "/viewer", key, "demo", expected)


def test_prepared_charts_serve_their_scripts_without_the_key():
    # Behind several worker processes the page comes from one and its scripts from another:
    # a process that built its chart app at start must serve them to a request without key.
    page_worker, script_worker, lazy_worker = host(), host(), host()
    shown = dtale_lite.init_app(page_worker, "/viewer", key="k")
    shown.show(pd.DataFrame({"a": [1, 2]}))
    dtale_lite.init_app(script_worker, "/viewer", key="k")
    dtale_lite.init_app(lazy_worker, "/viewer", key="k", build_charts=False)
    page = page_worker.test_client().get("/viewer/charts/1?key=k").text
    scripts = re.findall(r'src="(/viewer/charts/_dash-component-suites/[^"]+)"', page)
    assert scripts
    for path in scripts:
        assert script_worker.test_client().get(path).status_code == 200, path
        # One that has built nothing yet does not build for a request without the key.
        assert lazy_worker.test_client().get(path).status_code == 401


def test_key_none_with_the_hosts_own_login_guarding_the_prefix():
    # The host's before_request hooks do not run for the viewer's paths (the dispatcher sends
    # them past the host's Flask app), so a host that turns the key off guards the prefix in a
    # WSGI layer around everything, reading its own session in its own request context.
    from flask import abort, request, session
    from werkzeug.wrappers import Response

    app = host()
    app.secret_key = "host-secret"
    app.add_url_rule("/login", "login", lambda: session.update(user="ada") or "logged in")
    app.before_request(lambda: None if session.get("user") or request.path == "/login"
                       else abort(401))
    with pytest.warns(UserWarning, match="authentication is OFF"):
        hosted = dtale_lite.init_app(app, "/viewer", key=None, build_charts=False)
    hosted.show(pd.DataFrame({"a": [1, 2]}))
    client = app.test_client()
    assert client.get("/tools").status_code == 401  # the host's hook guards its own routes...
    assert rows_of(client, "/viewer", None).status_code == 200  # ...but not the viewer's

    inner = app.wsgi_app

    def require_login(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/viewer/"):
            with app.request_context(environ):
                if not session.get("user"):
                    return Response("log in first", 401)(environ, start_response)
        return inner(environ, start_response)

    app.wsgi_app = require_login
    assert rows_of(client, "/viewer", None).status_code == 401
    assert client.get("/login").text == "logged in"
    assert rows_of(client, "/viewer", None).get_json()["data"] == [[1], [2]]
    assert client.get("/tools").text == "tools"
