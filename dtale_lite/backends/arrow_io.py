"""Arrow data out of a backend: JSON-safe window rows, and export streams.

Polars and DuckDB both hand out Arrow (zero-copy for Polars), so the window serializer and the
export writers are shared. Values follow :mod:`dtale_lite.frames.serialize` (the page's contract) and
the formats :mod:`dtale_lite.frames.export` writes, with the differences noted in ``export_stream``.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..frames.export import _csv_writes_well, _drain
from ..frames.serialize import MAX_STRING, json_safe_scalar, json_safe_values
from .base import check_format


def column_values(array: pa.Array | pa.ChunkedArray, *, max_string: int | None = MAX_STRING
                  ) -> list:
    """One Arrow column as JSON-safe Python values (serialize.py's rules)."""
    kind = array.type
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return array.to_pylist()
    if pa.types.is_floating(kind):
        values = array.to_numpy(zero_copy_only=False).astype(np.float64)
        return json_safe_values(pd.Series(values), max_string=max_string)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or \
            pa.types.is_string_view(kind):
        return [v if v is None or len(v) <= (max_string or len(v)) else
                json_safe_scalar(v, max_string=max_string) for v in array.to_pylist()]
    if pa.types.is_dictionary(kind):
        return column_values(array.cast(kind.value_type), max_string=max_string)
    if pa.types.is_timestamp(kind) or pa.types.is_duration(kind):
        return json_safe_values(array.to_pandas(), max_string=max_string)
    return [json_safe_scalar(v, max_string=max_string) for v in array.to_pylist()]


def table_rows(table: pa.Table, *, max_string: int | None = MAX_STRING) -> list[list]:
    """Rows of ``table`` as lists of JSON-safe values."""
    columns = [column_values(c, max_string=max_string) for c in table.columns]
    return [list(row) for row in zip(*columns)] if columns else [[] for _ in
                                                                 range(table.num_rows)]


def _csv_ready(table: pa.Table) -> pa.Table:
    """Columns Arrow's CSV writer cannot format well (durations, nested) as their text."""
    arrays = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
        elif pa.types.is_string_view(kind):
            column = column.cast(pa.large_string())
        elif not (_csv_writes_well(kind) or pa.types.is_timestamp(kind)
                  or pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            text = [None if v is None else str(v) for v in _python(column)]
            column = pa.array(text, type=pa.large_string())
        arrays.append(column)
    return pa.table(arrays, names=table.column_names)


def _python(column) -> list:
    if pa.types.is_duration(column.type):
        return [None if v is None else str(pd.Timedelta(v)) for v in column.to_pylist()]
    return [json_safe_scalar(v, max_string=None) for v in column.to_pylist()]


def export_stream(tables: Iterable[pa.Table], names: list[str], fmt: str) -> Iterator[bytes]:
    """The file in ``fmt`` from ``tables`` (consecutive chunks of the view, already renamed to
    ``names``; at least one, maybe empty, so an empty view still has its header/schema), as
    bytes chunks. One chunk is in memory at a time.

    Differences from export.py (which sees the whole pandas column first): datetimes are
    written at their column's unit (no coarsening to dates/seconds), and an empty view's CSV
    types come from the engine's schema."""
    check_format(fmt)
    tables = iter(tables)
    if fmt == "json":
        return _json(tables, names)
    if fmt == "parquet":
        return _parquet(tables, names)
    return _delimited(tables, names, "," if fmt == "csv" else "\t")


def _renamed(table: pa.Table, names: list[str]) -> pa.Table:
    if table.num_columns > len(names):
        # No column asked for: an engine still selects one (SQL cannot select nothing).
        table = table.select(list(range(len(names))))
    return table.rename_columns(names)


def _delimited(tables: Iterator[pa.Table], names: list[str], sep: str) -> Iterator[bytes]:
    sink, writer = io.BytesIO(), None
    options = pa_csv.WriteOptions(delimiter=sep)
    try:
        for table in tables:
            table = _csv_ready(_renamed(table, names))
            if writer is None:
                writer = pa_csv.CSVWriter(sink, table.schema, write_options=options)
            writer.write_table(table)
            yield _drain(sink)
    finally:
        if writer is not None:
            writer.close()
    yield _drain(sink)


def _json(tables: Iterator[pa.Table], names: list[str]) -> Iterator[bytes]:
    yield b"["
    first = True
    for table in tables:
        if not table.num_rows:
            continue
        body = ",\n".join(json.dumps(dict(zip(names, row)), ensure_ascii=False,
                                     allow_nan=False)
                          for row in table_rows(table, max_string=None))
        yield (body if first else ",\n" + body).encode("utf-8")
        first = False
    yield b"]\n"


def _parquet(tables: Iterator[pa.Table], names: list[str]) -> Iterator[bytes]:
    sink, writer = io.BytesIO(), None
    try:
        for table in tables:
            table = _renamed(table, names)
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(sink, schema)
            writer.write_table(table.cast(schema))
            yield _drain(sink)
    finally:
        if writer is not None:
            writer.close()
    yield _drain(sink)

