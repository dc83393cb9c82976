"""The package's architecture as tests: layers run one way, no module imports itself back, no
module grows past the size a reader can hold, and each layer says what it may import.

The import graph is read from the source (scripts/import_graph.py, ``ast``): every import
counts, including one deferred into a function.
"""
from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", REPO / "scripts/import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
sys.modules["import_graph"] = import_graph
_spec.loader.exec_module(import_graph)

GRAPH = import_graph.graph()
MAX_LINES = 420  # "about 400" (STYLE.md)


def test_the_graph_sees_the_whole_package():
    assert len(GRAPH) > 90
    assert "dtale_lite.server.api" in GRAPH["dtale_lite.app.factory"]
    # an import deferred into a function is an edge too
    assert "dtale_lite.charts.mount" in GRAPH["dtale_lite.app.factory"]


def test_no_module_imports_one_that_imports_it_back():
    circles = import_graph.cycles(GRAPH)
    assert circles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in circles)


def test_no_import_goes_up_a_layer():
    upward = [f"{a} ({import_graph.layer_of(a)}) imports {b} ({import_graph.layer_of(b)})"
              for a, b in import_graph.upward_imports(GRAPH)]
    assert upward == []


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set(), "c": {"b"}}, []),
])
def test_the_circle_finder_finds_circles(edges, expected):
    assert import_graph.cycles(edges) == expected


def test_the_layer_check_names_an_upward_import():
    edges = {"dtale_lite.frames.view": {"dtale_lite.server.registry"},
             "dtale_lite.server.registry": {"dtale_lite.frames.view"}}
    assert import_graph.upward_imports(edges) == [("dtale_lite.frames.view",
                                                   "dtale_lite.server.registry")]


@pytest.mark.parametrize("module, layer", [
    ("dtale_lite.frames.filter_syntax", "frames"),
    ("dtale_lite.backends.duckdb.view", "backends"),
    ("dtale_lite.server.thread", "server"),
    ("dtale_lite.charts.traces", "charts"),
    ("dtale_lite.app.factory", "app"),
    ("dtale_lite.hosts.streamlit", "hosts"),
    ("dtale_lite", "public"),
    ("dtale_lite.streamlit", "public"),
    ("dtale_lite.cli.command", "cli+bench"),
    ("dtale_lite.__main__", "cli+bench"),
])
def test_layer_of(module, layer):
    assert import_graph.layer_of(module) == layer


def test_the_top_of_the_package_holds_only_what_users_import():
    top = sorted(p.name for p in (REPO / "dtale_lite").iterdir()
                 if p.name != "__pycache__" and not p.name.startswith("."))
    folders = {"app", "backends", "bench", "charts", "cli", "frames", "hosts", "server"}
    # __init__ and __main__, the thin modules that keep old public paths, and folders.
    assert set(top) == folders | {"__init__.py", "__main__.py", "streamlit.py", "wsgi.py"}


@pytest.mark.parametrize("folder", ["frames", "backends", "server", "charts", "app", "hosts",
                                    "cli", "bench"])
def test_every_layer_says_what_it_does_and_what_it_may_import(folder):
    docstring = ast.get_docstring(ast.parse((REPO / "dtale_lite" / folder / "__init__.py")
                                            .read_text()))
    assert docstring and "May import" in docstring


def test_the_data_layer_imports_neither_flask_nor_dash():
    for path in (REPO / "dtale_lite/frames").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in {"flask", "werkzeug", "dash", "plotly"}, \
                    f"{path.name} imports {name}"


def test_no_module_is_longer_than_about_400_lines():
    long = {str(p.relative_to(REPO)): n for p in (REPO / "dtale_lite").rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


ARCHITECTURE = REPO / "docs/architecture.md"


def _where_things_live() -> list[tuple[str, str]]:
    text = ARCHITECTURE.read_text()
    section = text.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith("`") and cells[1] != "Path":
            rows.append((cells[0], cells[1].strip("`")))
    return rows


def test_the_architecture_page_says_where_a_newcomer_finds_things():
    behaviours = " ".join(b for b, _ in _where_things_live()).lower()
    for asked in ("filter grammar", "box plot", "duckdb sort", "streamlit mount", "reaper"):
        assert asked in behaviours


@pytest.mark.parametrize("behaviour, path", _where_things_live())
def test_every_path_in_the_architecture_page_exists(behaviour, path):
    assert (REPO / path).exists(), f"{behaviour}: {path} does not exist"


def test_the_import_graph_picture_is_the_one_the_code_draws():
    committed = (REPO / "docs/images/layers.svg").read_text()
    assert committed == import_graph.svg(GRAPH), (
        "the package's imports changed: run python scripts/import_graph.py --svg "
        "docs/images/layers.svg")
