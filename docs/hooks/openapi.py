"""MkDocs hook: the JSON API's OpenAPI document in the built site.

The document is the one a running viewer serves at ``GET /api/openapi.json``, built by
``dtale_lite.app.openapi.openapi_document()``, so the site can never describe another API than
the code's. This hook
- adds it to the site as ``openapi.json`` (a generated file, so ``[openapi.json](openapi.json)``
  on api.md is a link that ``mkdocs build --strict`` checks like any other), and
- replaces the marker ``<!-- openapi-operations -->`` on a page with a table of the document's
  operations (method, path, what it does, the statuses it may answer).

Declared under ``hooks:`` in mkdocs.yml; it needs dtale_lite importable (the repository root is
on ``sys.path`` under ``python -m mkdocs``, and scripts/test.sh installs the package first).
"""
from __future__ import annotations

import json

from mkdocs.structure.files import File

from dtale_lite.app.openapi import openapi_document

MARKER = "<!-- openapi-operations -->"
SITE_PATH = "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


def on_files(files, config):
    # server "/": the site's copy describes a viewer at the root of its host.
    text = json.dumps(openapi_document("/"), indent=2, sort_keys=False) + "\n"
    files.append(File.generated(config, SITE_PATH, content=text))
    return files


def operations_table(document: dict) -> str:
    rows = ["| method | path | what it does | statuses |", "|---|---|---|---|"]
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            statuses = ", ".join(sorted(operation.get("responses", {})))
            summary = operation.get("summary", "").replace("|", "\\|")
            rows.append(f"| `{method.upper()}` | `{path}` | {summary} | {statuses} |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, operations_table(openapi_document("/")))
