"""Every file the package needs besides its modules is declared as package data, so that a
plain (non-editable) `pip install` ships it: the grid bundle, templates, demo data and the
chart page's assets (without its key-header script, Dash's own requests would get 401)."""
from __future__ import annotations

import configparser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_data_file_is_package_data():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    declared: set[Path] = set()
    for package, patterns in config["options.package_data"].items():
        base = REPO / package.replace(".", "/")
        for pattern in patterns.split(","):
            declared |= {p for p in base.glob(pattern.strip()) if p.is_file()}
    needed = {p for p in (REPO / "dtale_lite").rglob("*")
              if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert (REPO / "dtale_lite/charts/assets/key-header.js") in needed
    assert needed <= declared, sorted(str(p.relative_to(REPO)) for p in needed - declared)
