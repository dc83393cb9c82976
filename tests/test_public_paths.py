"""Imports users already write keep working after the package moved into layer folders: each
old public path once, and the console scripts' targets."""
from __future__ import annotations

import configparser
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["show", "show_file", "get", "instances", "shutdown",
                                  "init_app", "Instance", "create_app", "Hosted", "NotFound",
                                  "BadRequest", "FilterError", "DtaleLiteError"])
def test_the_package_exports(name):
    import dtale_lite

    assert getattr(dtale_lite, name) is not None
    assert name in dtale_lite.__all__


@pytest.mark.parametrize("old, new", [
    ("dtale_lite.streamlit:viewer", "dtale_lite.hosts.streamlit:viewer"),
    ("dtale_lite.streamlit:routes", "dtale_lite.hosts.streamlit:routes"),
    ("dtale_lite.wsgi:serve", "dtale_lite.hosts.wsgi:serve"),
    ("dtale_lite:init_app", "dtale_lite.hosts.flask_host:init_app"),
    ("dtale_lite:Instance", "dtale_lite.server.instance:Instance"),
    ("dtale_lite.app:create_app", "dtale_lite.app.factory:create_app"),
    ("dtale_lite.cli:main", "dtale_lite.cli.command:main"),
])
def test_an_old_public_path_is_the_new_object(old, new):
    def resolve(path):
        module, attribute = path.split(":")
        return getattr(importlib.import_module(module), attribute)

    assert resolve(old) is resolve(new)


def test_every_console_script_resolves():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    scripts = [line.split("=", 1) for line in
               config["options.entry_points"]["console_scripts"].strip().splitlines()]
    assert {name.strip() for name, _ in scripts} == {"dtale-lite", "dtale-lite-streamlit"}
    for _, target in scripts:
        module, attribute = target.strip().split(":")
        assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize("module", ["dtale_lite", "dtale_lite.bench", "dtale_lite.bench.loadtest"])
def test_python_dash_m_still_runs(module):
    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
