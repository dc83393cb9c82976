"""Stream a view of a frame (its rows in display order, some of its columns) as a file.

``export_chunks`` yields the file as bytes, ``chunk_rows`` rows at a time, so a 5M-row export
holds about one chunk in memory, never the whole file. Formats: see FORMATS.

Index rule: the frame's index is written as the leading column(s) only when it carries
information, i.e. when it is not the default ``RangeIndex(0..n)`` without a name. It is named by
its name, else "index" (a MultiIndex: each level by its name, else "level_<i>"); a name already
used by a column gets " (2)", " (3)", ... appended, as column names do.

Per format:
- csv/tsv: written by Arrow's CSV writer (about 10x faster than pandas' ``to_csv``): UTF-8,
  "\\n" line ends, a header line of the quoted names, then one line per row. Style: every
  string value and name in double quotes (an embedded quote doubled), other values bare;
  missing values are empty fields (an empty string is ``""``); booleans ``true``/``false``;
  floats in their shortest round-trip form (``2.0`` is written ``2``, so a float column of
  whole numbers reads back as ints of equal value; +/-inf ``inf``/``-inf``); datetimes
  ``2020-01-01 10:00:00`` with as many fraction digits as the column needs (a column of
  midnights is written as dates), tz-aware ones in their own zone with the offset
  (``2020-03-01 12:30:00+0100``, UTC as ``...Z``); categoricals their values; timedeltas
  pandas' text (``1 days 10:00:00``); object columns other than all-text/float/bool (mixed,
  nested, Decimal, ...) their text, as in JSON but never cut. ``pd.read_csv`` reads the values
  back (``pd.to_datetime(..., format="ISO8601")`` the datetimes; pass ``utc=True`` when
  offsets differ within a column, e.g. across a DST change). An empty view gives the header
  only;
- json: one JSON array of row objects, one row per line, values in the API's JSON-safe form
  (NaN/NaT -> null, +/-inf -> "inf"/"-inf", dates ISO 8601 with their offset, other objects
  their text; long strings are not cut); valid JSON even for an empty view;
- parquet: one row group per chunk; an empty view still gives a valid file with the schema.
  Object columns Arrow cannot type as one type (mixed values, lists, custom objects) are
  written as their text.
"""
from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
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


# Rows per chunk. JSON builds Python objects for every value of a chunk: at 100k rows its peak
# RSS grew by 217 MB on a 1M-row bench frame, at 10k by 13 MB, in the same time
# (benchmarks/export_speed.py).
CHUNK_ROWS = {"csv": 100_000, "tsv": 100_000, "json": 10_000, "parquet": 100_000}


def export_chunks(frame: pd.DataFrame, rows: np.ndarray | None, columns: list[int],
                  names: list[str], fmt: str, *,
                  chunk_rows: int | None = None) -> Iterator[bytes]:
    """The view's file in ``fmt``, as an iterator of byte chunks (see the module docstring).

    ``rows`` are row positions in display order (None: all rows in order); ``columns`` column
    positions; ``names`` their unique header names; ``chunk_rows`` rows are formatted at a time
    (None: ``CHUNK_ROWS[fmt]``). Raises BadRequest, before anything is yielded, for an unknown
    format, names that do not match the columns, or out-of-range positions.
    """
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if chunk_rows is None:
        chunk_rows = CHUNK_ROWS[fmt]
    _check_view(frame, rows, columns, names, chunk_rows)
    view = _View(frame, rows, list(columns), list(names), chunk_rows)
    if fmt in ("csv", "tsv"):
        return _delimited(view, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _json(view)
    return _parquet(view)


def view_frames(frame: pd.DataFrame, rows: np.ndarray | None, columns: list[int],
                names: list[str], *, chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """The view's rows as frames of at most ``chunk_rows`` rows, named as the exports' columns
    (index levels first, by the index rule above); one empty frame for an empty view. For the
    export "as formatted" (formatted_export.py). Raises BadRequest as export_chunks does."""
    _check_view(frame, rows, columns, names, chunk_rows)
    return _View(frame, rows, list(columns), list(names), chunk_rows).chunks()


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

    def full_column(self, position: int) -> pd.Series | pd.Index:
        """Output column ``position`` over the whole frame (index levels first), unsliced."""
        if position < len(self.index_names):
            return self.frame.index.get_level_values(position)
        return self.frame.iloc[:, self.columns[position - len(self.index_names)]]

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
    empty = view._chunk(0, 0)
    converters = [_csv_converter(view.full_column(i), empty.iloc[:, i])
                  for i in range(len(view.names))]
    # The types come from the plan, not from each chunk, so every chunk casts to the same schema.
    schema = pa.schema([pa.field(name, convert(empty.iloc[:, i]).type)
                        for i, (name, convert) in enumerate(zip(view.names, converters))])
    sink = io.BytesIO()
    writer = pa_csv.CSVWriter(sink, schema, write_options=pa_csv.WriteOptions(delimiter=sep))
    try:  # the writer has put the header in the sink; the first chunk carries it out
        for chunk in view.chunks():
            arrays = [convert(chunk.iloc[:, i]) for i, convert in enumerate(converters)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            yield _drain(sink)
    finally:
        writer.close()


Converter = Callable[[pd.Series], "pa.Array | pa.ChunkedArray"]



def _csv_converter(full: pd.Series | pd.Index, empty: pd.Series) -> Converter:
    """How to turn a chunk of this column into an Arrow array the CSV writer formats well.

    Decided once from the whole column, so every chunk gets the same type and style.
    """
    dtype = full.dtype
    if ptypes.is_object_dtype(dtype):
        arrow_type = _CSV_OBJECT_TYPES.get(ptypes.infer_dtype(full, skipna=True))
        if arrow_type is None:
            return _text_array
        return lambda part: pa.array(part, type=arrow_type, from_pandas=True)
    if ptypes.is_datetime64_any_dtype(dtype):
        target = _timestamp_type(full, pa.array(empty, from_pandas=True).type)
        return lambda part: pa.array(part, from_pandas=True).cast(target)
    try:
        arrow_type = _decoded(pa.array(empty, from_pandas=True)).type
    except (pa.ArrowException, TypeError, ValueError):
        return _text_array
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        arrow_type = pa.large_string()
    elif not _csv_writes_well(arrow_type):
        return _text_array
    return lambda part: _decoded(pa.array(part, from_pandas=True)).cast(arrow_type)


def _csv_writes_well(arrow_type: pa.DataType) -> bool:
    # Not durations (written as bare tick counts), binary (raw bytes), nested types (refused).
    return (pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type)
            or pa.types.is_boolean(arrow_type) or pa.types.is_decimal(arrow_type)
            or pa.types.is_date(arrow_type) or pa.types.is_null(arrow_type))


def _decoded(array):
    """A dictionary (categorical) array as its values; any other array unchanged."""
    if pa.types.is_dictionary(array.type):
        if isinstance(array, pa.ChunkedArray):
            return pa.chunked_array([c.dictionary_decode() for c in array.chunks],
                                    type=array.type.value_type)
        return array.dictionary_decode()
    return array


_TICKS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _timestamp_type(full: pd.Series | pd.Index, arrow_type: pa.TimestampType) -> pa.DataType:
    """The coarsest Arrow type that holds every value of a datetime column exactly.

    Arrow writes all the digits its unit has ("10:00:00.000000000" in ns); a column with no
    fractions is written in seconds, and a naive column of midnights as dates.
    """
    array = full.array
    per_second = _TICKS_PER_SECOND[array.unit]
    ticks, missing = array.asi8, np.asarray(array.isna())
    exact = dict.fromkeys(["day", "s", "ms", "us"], True)
    block = 1_000_000  # bounded temporaries on a 5M-row column
    for start in range(0, len(ticks), block):
        part = ticks[start:start + block][~missing[start:start + block]]
        for unit in list(exact):
            step = 86_400 * per_second if unit == "day" else \
                per_second // _TICKS_PER_SECOND[unit]
            if exact[unit] and step > 1 and (part % step).any():
                exact[unit] = False
    if arrow_type.tz is None and exact["day"]:
        return pa.date32()
    for unit in ("s", "ms", "us"):
        if exact[unit] and _TICKS_PER_SECOND[unit] <= per_second:
            return pa.timestamp(unit, tz=arrow_type.tz)
    return arrow_type


def _text(value) -> str | None:
    if isinstance(value, (pd.Timedelta, np.timedelta64)) and not pd.isna(value):
        return str(pd.Timedelta(value))  # "1 days 10:00:00", which pd.to_timedelta reads
    value = json_safe_scalar(value, max_string=None)
    return value if value is None or isinstance(value, str) else str(value)


def _text_array(part: pd.Series) -> pa.Array:
    return pa.array([_text(v) for v in part.tolist()], type=pa.large_string())


# ---- json ------------------------------------------------------------------------------------


def _json(view: _View) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in view.chunks():
        if not len(chunk):
            continue
        # json_safe_values keeps the API's value rules (inf, offsets, full float precision),
        # which pandas' to_json does not (inf -> null, dates -> UTC milliseconds).
        columns = [json_safe_values(chunk.iloc[:, i], max_string=None)
                   for i in range(chunk.shape[1])]
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
              for v in (json_safe_scalar(v, max_string=None) for v in series.tolist())]
    return pd.Series(values, index=series.index, dtype=object)


_INFERRED_TYPES = {"string": pa.large_string(), "empty": pa.large_string(),
                   "floating": pa.float64(),
                   "mixed-integer-float": pa.float64(), "boolean": pa.bool_(),
                   "bytes": pa.binary()}
# Object columns the CSV writer takes as they are (raw bytes would be written as bytes); any
# other object column is written as its text.
_CSV_OBJECT_TYPES = {k: v for k, v in _INFERRED_TYPES.items() if k != "bytes"}


def _object_type(column: pd.Series) -> pa.DataType | None:
    """The Arrow type to write an object column as, or None to write its text."""
    inferred = ptypes.infer_dtype(column, skipna=True)
    if inferred in _INFERRED_TYPES:
        return _INFERRED_TYPES[inferred]
    if inferred in ("integer", "decimal", "date", "datetime", "time"):
        # Tried on the whole column: one int beyond int64 or one odd Decimal makes it text.
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
            arrow_type = _object_type(view.full_column(view.names.index(name)))
            if arrow_type is None:
                as_text.add(name)
                arrow_type = pa.large_string()
        else:
            try:
                arrow_type = pa.Schema.from_pandas(empty[[name]],
                                                   preserve_index=False).field(0).type
            except (pa.ArrowException, TypeError, ValueError):  # e.g. complex numbers
                as_text.add(name)
                arrow_type = pa.large_string()
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
