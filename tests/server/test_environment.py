"""Where the viewer says it lives: app roots from the environment (JupyterHub, any proxy) and
the notebook display's height."""
from __future__ import annotations

import pandas as pd
import pytest
import requests

from dtale_lite.server.environment import app_root_from
from dtale_lite.app.viewer import Viewer


@pytest.mark.parametrize("explicit, environ, expected", [
    (None, {}, None),
    (None, {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/"}, "/user/alice/proxy/{port}"),
    (None, {"JUPYTERHUB_SERVICE_PREFIX": "/hub-x/user/b%40c/"}, "/hub-x/user/b%40c/proxy/{port}"),
    (None, {"DTALE_LITE_APP_ROOT": "/lab/proxy/{port}"}, "/lab/proxy/{port}"),
    # The viewer's own variable beats the hub's guess; an explicit argument beats both.
    (None, {"DTALE_LITE_APP_ROOT": "/mine", "JUPYTERHUB_SERVICE_PREFIX": "/user/a/"}, "/mine"),
    ("/given/{port}", {"DTALE_LITE_APP_ROOT": "/mine"}, "/given/{port}"),
    # "" given explicitly: reach the server directly, whatever the environment says.
    ("", {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/"}, ""),
    (None, {"DTALE_LITE_APP_ROOT": "  ", "JUPYTERHUB_SERVICE_PREFIX": ""}, None),
])
def test_app_root_from_the_environment(explicit, environ, expected):
    assert app_root_from(explicit, environ) == expected


@pytest.fixture
def viewer():
    v = Viewer()
    yield v
    v.shutdown()


def test_under_jupyterhub_urls_go_through_the_hubs_proxy(viewer, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    monkeypatch.delenv("DTALE_LITE_APP_ROOT", raising=False)
    inst = viewer.show(pd.DataFrame({"a": [1, 2]}), name="hub")
    port = viewer.server.port
    assert inst.frame_path == f"/user/alice/proxy/{port}/frames/{inst.id}?key={inst.key}"
    assert f'src="/user/alice/proxy/{port}/frames/{inst.id}?key={inst.key}"' in (
        inst._repr_html_())
    # The printed URL still answers on the machine itself (the server also serves the prefix).
    assert requests.get(inst.url, timeout=10).status_code == 200


def test_an_explicit_empty_app_root_ignores_the_hub(viewer, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    inst = viewer.show(pd.DataFrame({"a": [1]}), app_root="")
    assert inst.frame_path == f"/frames/{inst.id}?key={inst.key}"
    assert inst.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("height, shown", [(None, 475), (300, 300), (1200, 1200)])
def test_show_sets_the_notebook_display_height(viewer, height, shown):
    inst = viewer.show(pd.DataFrame({"a": [1]}), height=height)
    assert f'height="{shown}"' in inst._repr_html_()


@pytest.mark.parametrize("height", [0, 99, 10_001, 2.5, "600", True])
def test_a_bad_height_says_what_it_takes(viewer, height):
    with pytest.raises(ValueError, match="integer from 100 to 10000"):
        viewer.show(pd.DataFrame({"a": [1]}), height=height)


def test_a_bad_height_registers_nothing(viewer):
    viewer.show(pd.DataFrame({"a": [1]}), name="kept")
    with pytest.raises(ValueError):
        viewer.show(pd.DataFrame({"a": [2]}), name="other", height=5)
    assert [i.name for i in viewer.instances()] == ["kept"]


@pytest.mark.parametrize("name", [None, "sales", "q3.sales-v2"])
def test_the_iframe_holds_a_note_for_notebooks_that_drop_it(viewer, name):
    # JupyterLab and Notebook 7 strip the iframe from an untrusted output and keep its text
    # (tests/browser/test_jupyter_ui.py).
    from html import unescape

    from dtale_lite.server.instance import UNTRUSTED_HINT

    inst = viewer.show(pd.DataFrame({"a": [1]}), name=name)
    shown = inst._repr_html_()
    assert shown.count("</iframe>") == 1 and shown.endswith("</iframe>")
    inner = unescape(shown.split(">", 1)[1].rsplit("</iframe>", 1)[0])
    label = f" {name!r}" if name else ""
    assert inner == f"dtale_lite frame {inst.id}{label}: {UNTRUSTED_HINT}"
