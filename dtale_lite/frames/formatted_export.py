"""The export "as formatted" (issue 16): the view's file with the grid's column formats applied.

Every engine already streams its view as the JSON export (export.py, backends/arrow_io.py): one
row object per line, values in the API's JSON-safe form, long text never cut, the index rule of
the other exports. That is the form the grid formats in the browser, so reading that stream and
formatting its values with formats.py gives the file the same text the grid shows, on every
engine, without a formatter per engine.

Written as csv or tsv (Python's csv module: fields quoted only where needed, missing values
empty, booleans true/false, floats in their shortest form) or json (an array of row objects,
formatted values as text). Parquet keeps types, so it has no formatted form (a 400).

Pure: no Flask.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator

from .errors import BadRequest
from .formats import format_value

FORMATTED_FORMATS = ("csv", "tsv", "json")
ROWS_PER_CHUNK = 10_000


def check_formatted_format(fmt: str) -> None:
    """Raise BadRequest (naming ``formatted``) for a format without a formatted form."""
    if fmt not in FORMATTED_FORMATS:
        raise BadRequest(f"parameter 'formatted': a {fmt} export keeps its types; formatted "
                         f"exports are {', '.join(FORMATTED_FORMATS)}")


def json_rows(chunks: Iterable[bytes]) -> Iterator[dict]:
    """The row objects of a JSON export stream (one row per line, see the module docstring)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        lines = pending.split(b"\n")
        pending = lines.pop()
        yield from _rows(lines)
    yield from _rows([pending])


def _rows(lines: list[bytes]) -> list[dict]:
    # "[{...}", ",{...}", "{...}," or "{...}]": a row object always ends with "}". One
    # json.loads for the chunk's rows: about twice as fast as one per row.
    rows = [text for text in (line.strip().lstrip(b"[,").rstrip(b"],") for line in lines) if text]
    return json.loads(b"[" + b",".join(rows) + b"]") if rows else []


def formatted_chunks(chunks: Iterable[bytes], names: list[str], formats: dict[str, dict],
                     fmt: str) -> Iterator[bytes]:
    """The file in ``fmt`` (csv, tsv or json) from the JSON export ``chunks`` of a view of the
    columns ``names``, ``formats`` applied by column name. The header is the first row's keys
    (the index levels the export wrote first, then the columns), or ``names`` for no rows."""
    check_formatted_format(fmt)
    rows = json_rows(chunks)
    first = next(rows, None)
    if first is not None:
        names = list(first)
        rows = itertools.chain([first], rows)
    if fmt == "json":
        return _json(rows, names, formats)
    return _delimited(rows, names, formats, "," if fmt == "csv" else "\t")


def _formatted(row: dict, names: list[str], formats: dict[str, dict]) -> list:
    values = list(row.values()) if len(row) == len(names) else [row.get(n) for n in names]
    for i, name in enumerate(names):
        if name in formats:
            values[i] = format_value(values[i], formats[name])
    return values


# Values the csv module would write in Python's way (True, {'a': 1}); None it writes empty.
_FIELD = {bool: lambda v: "true" if v else "false",
          dict: lambda v: json.dumps(v, ensure_ascii=False),
          list: lambda v: json.dumps(v, ensure_ascii=False)}


def _delimited(rows: Iterator[dict], names, formats, sep: str) -> Iterator[bytes]:
    sink = io.StringIO()
    writer = csv.writer(sink, delimiter=sep, lineterminator="\n")
    writer.writerow(names)
    formats = {name: f for name, f in formats.items() if name in names}
    batch = []
    for row in rows:
        values = _formatted(row, names, formats) if formats else list(row.values())
        batch.append([_FIELD[type(v)](v) if type(v) in _FIELD else v for v in values])
        if len(batch) == ROWS_PER_CHUNK:
            writer.writerows(batch)
            batch = []
            yield _drain(sink)
    writer.writerows(batch)
    yield _drain(sink)


def _json(rows: Iterator[dict], names, formats) -> Iterator[bytes]:
    yield b"["
    sep = ""
    batch = []
    for row in rows:
        batch.append(sep + json.dumps(dict(zip(names, _formatted(row, names, formats))),
                                      ensure_ascii=False))
        sep = ",\n"
        if len(batch) == ROWS_PER_CHUNK:
            yield "".join(batch).encode("utf-8")
            batch = []
    yield ("".join(batch) + "]\n").encode("utf-8")


def _drain(sink: io.StringIO) -> bytes:
    data = sink.getvalue().encode("utf-8")
    sink.seek(0)
    sink.truncate()
    return data
