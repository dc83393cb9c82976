"""The export "as formatted" (issue 16): the view's file with the grid's column formats applied.

The grid formats values in their JSON-safe form (serialize.py), so the file is made from that
form too, with formats.py, whatever the engine:
- pandas frames (``formatted_frames``): the view's rows as frames (export.py's ``view_frames``,
  the other exports' index rule), each column's JSON-safe values formatted;
- every other engine (``formatted_chunks``): its JSON export stream (backends/arrow_io.py), one
  row object per line, long text never cut, read back row by row. No formatter per engine, at
  the price of writing and reading the JSON (about 3x slower than the pandas path).

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
from .serialize import json_safe_values

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
    return _write(names, _row_batches(rows, names, formats), fmt)


def formatted_frames(frames: Iterable, formats: dict[str, dict], fmt: str) -> Iterator[bytes]:
    """The file in ``fmt`` from the view's rows as DataFrame chunks (export.view_frames: at
    least one, maybe empty, named as the file's columns), ``formats`` applied by column name."""
    check_formatted_format(fmt)
    frames = iter(frames)
    first = next(frames)
    names = [str(name) for name in first.columns]
    return _write(names, _frame_batches(itertools.chain([first], frames), names, formats), fmt)


def _format_columns(columns: list[list], names: list[str], formats: dict[str, dict]) -> list:
    for i, name in enumerate(names):
        if name in formats:
            fmt = formats[name]
            columns[i] = [format_value(v, fmt) for v in columns[i]]
    return columns


def _row_batches(rows: Iterator[dict], names, formats) -> Iterator[list[list]]:
    """Columns of ROWS_PER_CHUNK rows at a time, formatted."""
    width = len(names)
    batch: list[list] = []
    for row in rows:
        batch.append(list(row.values()) if len(row) == width else [row.get(n) for n in names])
        if len(batch) == ROWS_PER_CHUNK:
            yield _format_columns([list(c) for c in zip(*batch)], names, formats)
            batch = []
    if batch:
        yield _format_columns([list(c) for c in zip(*batch)], names, formats)


def _frame_batches(frames, names, formats) -> Iterator[list[list]]:
    for frame in frames:
        if len(frame):
            columns = [json_safe_values(frame.iloc[:, i], max_string=None)
                       for i in range(frame.shape[1])]
            yield _format_columns(columns, names, formats)


# Values the csv module would write in Python's way (True, {'a': 1}); None it writes empty.
_FIELD = {bool: lambda v: "true" if v else "false",
          dict: lambda v: json.dumps(v, ensure_ascii=False),
          list: lambda v: json.dumps(v, ensure_ascii=False)}


def _csv_column(values: list) -> list:
    if not any(type(v) in _FIELD for v in values):
        return values
    return [_FIELD[type(v)](v) if type(v) in _FIELD else v for v in values]


def _write(names: list[str], batches: Iterator[list[list]], fmt: str) -> Iterator[bytes]:
    if fmt == "json":
        return _json(names, batches)
    return _delimited(names, batches, "," if fmt == "csv" else "\t")


def _delimited(names, batches, sep: str) -> Iterator[bytes]:
    sink = io.StringIO()
    writer = csv.writer(sink, delimiter=sep, lineterminator="\n")
    writer.writerow(names)
    for columns in batches:
        writer.writerows(zip(*[_csv_column(c) for c in columns]))
        yield _drain(sink)
    yield _drain(sink)


def _json(names, batches) -> Iterator[bytes]:
    yield b"["
    sep = ""
    for columns in batches:
        body = ",\n".join(json.dumps(dict(zip(names, row)), ensure_ascii=False)
                          for row in zip(*columns))
        yield (sep + body).encode("utf-8")
        sep = ",\n"
    yield b"]\n"


def _drain(sink: io.StringIO) -> bytes:
    data = sink.getvalue().encode("utf-8")
    sink.seek(0)
    sink.truncate()
    return data
