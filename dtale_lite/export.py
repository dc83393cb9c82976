"""Stream a view of a frame (its rows in display order, some of its columns) as a file.

``export_chunks`` yields the file as bytes, ``chunk_rows`` rows at a time, so a 5M-row export
holds about one chunk in memory, never the whole file. Formats: see FORMATS.

Index rule: the frame's index is written as the leading column(s) only when it carries
information, i.e. when it is not the default ``RangeIndex(0..n)`` without a name. It is named by
its name, else "index" (a MultiIndex: each level by its name, else "level_<i>"); a name already
used by a column gets " (2)", " (3)", ... appended, as column names do.

Per format:
- csv/tsv: a header line, then one line per row (pandas ``to_csv``, UTF-8, "\\n" line ends);
- json: one JSON array of row objects, one row per line, values in the API's JSON-safe form
  (NaN/NaT -> null, +/-inf -> "inf"/"-inf", dates ISO 8601 with their offset, other objects
  their text); valid JSON even for an empty view;
- parquet: one row group per chunk; an empty view still gives a valid file with the schema.
  Object columns Arrow cannot type as one type (mixed values, lists, custom objects) are
  written as their text.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pandas.api import types as ptypes

from .columns import label_to_name
from .errors import BadRequest
from .serialize import json_safe_scalar, json_safe_values

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "json": ("application/json", "json"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


def export_chunks(frame: pd.DataFrame, rows: np.ndarray | None, columns: list[int],
                  names: list[str], fmt: str, *, chunk_rows: int = 100_000) -> Iterator[bytes]:
    """The view's file in ``fmt``, as an iterator of byte chunks (see the module docstring).

    ``rows`` are row positions in display order (None: all rows in order); ``columns`` column
    positions; ``names`` their unique header names. Raises BadRequest, before anything is
    yielded, for an unknown format, names that do not match the columns, or out-of-range
    positions.
    """
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    _check_view(frame, rows, columns, names, chunk_rows)
    view = _View(frame, rows, list(columns), list(names), chunk_rows)
    if fmt in ("csv", "tsv"):
        return _delimited(view, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _json(view)
    return _parquet(view)


def _check_view(frame, rows, columns, names, chunk_rows) -> None:
    if chunk_rows < 1:
        raise BadRequest("chunk_rows must be >= 1")
    if len(columns) != len(names) or len(set(names)) != len(names):
        raise BadRequest("export needs one unique name per column")
    width = frame.shape[1]
    if any(not 0 <= int(c) < width for c in columns):
        raise BadRequest(f"column position out of range (the frame has {width} columns)")
    if rows is not None and len(rows):
        if not (0 <= int(np.min(rows)) and int(np.max(rows)) < len(frame)):
            raise BadRequest(f"row position out of range (the frame has {len(frame)} rows)")


class _View:
    """The rows and columns to export, handed out chunk by chunk as renamed frames."""

    def __init__(self, frame, rows, columns, names, chunk_rows):
        self.frame, self.rows, self.columns, self.chunk_rows = frame, rows, columns, chunk_rows
        index = frame.index
        self.with_index = not (isinstance(index, pd.RangeIndex) and index.start == 0
                               and index.step == 1 and index.name is None)
        if self.with_index:
            # Column names keep theirs; an index level whose name is taken is the one renamed.
            taken = set(names)
            self.index_names = [
                _free(label_to_name(label) if label is not None
                      else ("index" if index.nlevels == 1 else f"level_{i}"), taken)
                for i, label in enumerate(index.names)]
        else:
            self.index_names = []
        self.names = self.index_names + list(names)
        self.total = len(frame) if rows is None else len(rows)

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Renamed frames of at most chunk_rows rows; one empty frame for an empty view."""
        for start in range(0, max(self.total, 1), self.chunk_rows):
            yield self._chunk(start, min(start + self.chunk_rows, self.total))

    def _chunk(self, start: int, stop: int) -> pd.DataFrame:
        where = slice(start, stop) if self.rows is None else self.rows[start:stop]
        part = self.frame.iloc[where, self.columns]
        # Rebuilt from its columns by position: labels may repeat or not be strings.
        data = {}
        if self.with_index:
            levels = part.index.to_frame(index=False)
            for i, name in enumerate(self.index_names):
                data[name] = levels.iloc[:, i]
        for i, name in enumerate(self.names[len(self.index_names):]):
            data[name] = part.iloc[:, i].reset_index(drop=True)
        return pd.DataFrame(data, columns=self.names, copy=False)


def _free(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


# ---- csv / tsv -------------------------------------------------------------------------------


def _delimited(view: _View, sep: str) -> Iterator[bytes]:
    first = True
    for chunk in view.chunks():
        text = chunk.to_csv(sep=sep, header=first, index=False, lineterminator="\n")
        first = False
        yield text.encode("utf-8")


# ---- json ------------------------------------------------------------------------------------


def _json(view: _View) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in view.chunks():
        if not len(chunk):
            continue
        # json_safe_values keeps the API's value rules (inf, offsets, full float precision),
        # which pandas' to_json does not (inf -> null, dates -> UTC milliseconds).
        columns = [json_safe_values(chunk.iloc[:, i]) for i in range(chunk.shape[1])]
        names = view.names
        body = ",\n".join(json.dumps(dict(zip(names, row)), ensure_ascii=False,
                                     allow_nan=False)
                          for row in zip(*columns))
        yield (body if first else ",\n" + body).encode("utf-8")
        first = False
    yield b"]\n"


# ---- parquet ---------------------------------------------------------------------------------


def _as_text(series: pd.Series) -> pd.Series:
    """An object column as strings (missing stays missing), for Arrow."""
    values = [v if v is None or isinstance(v, str) else str(v)
              for v in map(json_safe_scalar, series.tolist())]
    return pd.Series(values, index=series.index, dtype=object)


_INFERRED_TYPES = {"string": pa.large_string(), "empty": pa.large_string(),
                   "integer": pa.int64(), "floating": pa.float64(),
                   "mixed-integer-float": pa.float64(), "boolean": pa.bool_(),
                   "bytes": pa.binary()}


def _object_type(column: pd.Series) -> pa.DataType | None:
    """The Arrow type to write an object column as, or None to write its text."""
    inferred = ptypes.infer_dtype(column, skipna=True)
    if inferred in _INFERRED_TYPES:
        return _INFERRED_TYPES[inferred]
    if inferred in ("decimal", "date", "datetime", "time"):
        try:
            return pa.array(column, from_pandas=True).type
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return None
    return None


def _parquet_plan(view: _View) -> tuple[pa.Schema, set[str]]:
    """The file's schema and the object columns written as text."""
    empty = view._chunk(0, 0)
    as_text: set[str] = set()
    fields = []
    for name in view.names:
        column = empty[name]
        if ptypes.is_object_dtype(column.dtype):
            # Typed from the whole column, not one chunk, so every row group agrees.
            position = view.names.index(name)
            if position < len(view.index_names):
                full = view.frame.index.get_level_values(position)
            else:
                full = view.frame.iloc[:, view.columns[position - len(view.index_names)]]
            arrow_type = _object_type(full)
            if arrow_type is None:
                as_text.add(name)
                arrow_type = pa.large_string()
        else:
            arrow_type = pa.Schema.from_pandas(empty[[name]], preserve_index=False).field(0).type
        fields.append(pa.field(name, arrow_type))
    return pa.schema(fields), as_text


def _parquet(view: _View) -> Iterator[bytes]:
    schema, as_text = _parquet_plan(view)
    sink = io.BytesIO()
    writer = pq.ParquetWriter(sink, schema)
    try:
        for chunk in view.chunks():
            for name in as_text:
                chunk[name] = _as_text(chunk[name])
            table = pa.Table.from_pandas(chunk, schema=schema, preserve_index=False)
            writer.write_table(table)
            yield _drain(sink)
    finally:
        writer.close()
    yield _drain(sink)


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data
