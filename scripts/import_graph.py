"""dtale_lite's import graph, read from the source with ``ast`` (nothing is imported).

Used by ``tests/test_layers.py`` (no circles, no import up a layer) and to draw the picture of
the layers in the architecture page:

    python scripts/import_graph.py --svg docs/images/layers.svg

Every ``import`` and ``from ... import`` counts, at module level or inside a function (an
import deferred for speed is still a dependency). ``from package import name`` is an edge to
``package.name`` when that is a module, else to ``package``. A package's ``__init__`` being run
when one of its modules is imported is Python's doing, not an edge.
"""
from __future__ import annotations

import argparse
import ast
import html
from collections import defaultdict
from pathlib import Path

PACKAGE = "dtale_lite"
ROOT = Path(__file__).resolve().parents[1]

# Bottom to top. A module may import its own layer and the layers below it, never one above.
LAYERS: tuple[tuple[str, str], ...] = (
    ("frames", "pure data logic over pandas"),
    ("backends", "the engines: pandas, Polars, DuckDB, Dask"),
    ("server", "Flask routes, registry, Instance, threaded server"),
    ("charts", "chart spec, figures, Dash page, chart routes"),
    ("app", "create_app, OpenAPI, the viewer behind show()"),
    ("hosts", "Streamlit, Flask hosts, WSGI, ASGI"),
    ("public", "dtale_lite/__init__ and the old public paths"),
    ("cli+bench", "the command line, the benchmark, the load test"),
)
LAYER_OF_FOLDER = {"frames": "frames", "backends": "backends", "server": "server",
                   "charts": "charts", "app": "app", "hosts": "hosts", "cli": "cli+bench",
                   "bench": "cli+bench"}
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer_of(module: str) -> str:
    """The layer a module belongs to: its folder under dtale_lite, else the public top."""
    parts = module.split(".")
    if module == f"{PACKAGE}.__main__":
        return "cli+bench"
    if len(parts) >= 2 and parts[1] in LAYER_OF_FOLDER:
        return LAYER_OF_FOLDER[parts[1]]
    return "public"  # dtale_lite itself and the thin modules kept for old public paths


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the package modules it imports."""
    known = modules(root)
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in known.items():
        is_package = path.name == "__init__.py"
        edges[module]  # every module is a node, even one that imports nothing
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known:
                        edges[module].add(alias.name)
            elif isinstance(node, ast.ImportFrom):
                target = _target(module, is_package, node)
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    if child in known:
                        edges[module].add(child)
                    elif target in known:
                        edges[module].add(target)
    for module in edges:
        edges[module].discard(module)
    return dict(edges)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's SCC)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep graph cannot hit the recursion limit.
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def upward_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs where the imported module sits in a higher layer."""
    return sorted((a, b) for a, targets in edges.items() for b in targets
                  if RANK[layer_of(b)] > RANK[layer_of(a)])


def layer_edges(edges: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """(layer, layer below) -> how many module imports run between them."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for a, targets in edges.items():
        for b in targets:
            if layer_of(a) != layer_of(b):
                counts[(layer_of(a), layer_of(b))] += 1
    return dict(counts)


def svg(edges: dict[str, set[str]]) -> str:
    """The layers as a stack of boxes (top layer first), each listing its modules, with an
    arrow for every pair of layers that imports (one layer's module imports the other's)."""
    members: dict[str, list[str]] = defaultdict(list)
    for module, path in modules().items():
        # The module's path inside its layer's folder: duckdb/view, not a bare "view".
        parts = list(path.relative_to(ROOT / PACKAGE).with_suffix("").parts)
        if layer_of(module) not in ("public", "cli+bench"):
            parts = parts[1:]
        members[layer_of(module)].append("/".join(parts) or "__init__")
    width, box_h, gap, left = 980, 96, 30, 250
    order = [name for name, _ in reversed(LAYERS)]
    y_of = {name: 20 + i * (box_h + gap) for i, name in enumerate(order)}
    height = 20 + len(order) * (box_h + gap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
           '</defs>', f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    descriptions = dict(LAYERS)
    for name in order:
        y = y_of[name]
        names = sorted(members.get(name, []))
        lines, line = [], ""
        for item in names:
            if len(line) + len(item) + 2 > 112:
                lines.append(line)
                line = ""
            line = f"{line}, {item}" if line else item
        lines.append(line)
        out.append(f'<rect x="{left}" y="{y}" width="{width - left - 20}" height="{box_h}" '
                   f'rx="6" fill="#eef3fb" stroke="#3a6db5"/>')
        out.append(f'<text x="{left + 10}" y="{y + 18}" font-weight="bold" fill="#1b3a66">'
                   f'{html.escape(name)} ({len(names)} modules): '
                   f'{html.escape(descriptions[name])}</text>')
        for i, text in enumerate(lines[:4]):
            out.append(f'<text x="{left + 10}" y="{y + 36 + i * 15}" fill="#333">'
                       f'{html.escape(text)}</text>')
    # Arrows on the left: one per pair of layers with imports, from importer down to imported.
    pairs = sorted(layer_edges(edges).items(), key=lambda kv: (RANK[kv[0][0]], RANK[kv[0][1]]))
    for i, ((upper, lower), _) in enumerate(pairs):
        x = 20 + (i % 23) * 10
        y1, y2 = y_of[upper] + box_h / 2, y_of[lower] + box_h / 2
        out.append(f'<path d="M{left},{y1} H{x} V{y2} H{left - 2}" fill="none" '
                   f'stroke="#555" stroke-width="1" marker-end="url(#arrow)">'
                   f'<title>{html.escape(upper)} imports {html.escape(lower)}</title></path>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, help="write the picture of the layers here")
    args = parser.parse_args()
    edges = graph()
    if args.svg:
        args.svg.write_text(svg(edges))
    for group in cycles(edges):
        print("circle:", " <-> ".join(group))
    for a, b in upward_imports(edges):
        print(f"upward: {a} ({layer_of(a)}) imports {b} ({layer_of(b)})")
    for (upper, lower), count in sorted(layer_edges(edges).items()):
        print(f"{upper} -> {lower}: {count}")


if __name__ == "__main__":
    main()
