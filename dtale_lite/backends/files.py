"""Files viewed in place through DuckDB (issue 9): ``show_file(path)`` and
``dtale-lite big.parquet``.

A Parquet file, a directory or glob of them, or CSV opens without loading the data into Python:
DuckDB reads the files' metadata (the row count, the columns) and scans them per request. The
viewer sets DuckDB's ``memory_limit`` and ``threads`` (chosen from the files' size, their rows
and the machine when not given: duckdb/resources.py) and a temporary directory for spilling
sorts (removed when the frame is); each can be given. Flask-free.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

IN_PLACE_SUFFIXES = (".parquet", ".pq", ".csv", ".tsv")


def is_in_place(path) -> bool:
    """Whether ``path`` is a Parquet/CSV file, a glob, or a directory: what DuckDB opens."""
    text = os.fspath(path)
    if glob.has_magic(text):
        return True
    p = Path(text)
    return p.is_dir() or p.name.lower().endswith(IN_PLACE_SUFFIXES)


def file_source(path, *, memory_limit: str | None = None, temp_directory: str | None = None,
                threads: int | None = None):
    """A BackendSource over ``path`` read by DuckDB. Raises ImportError naming the extra when
    duckdb is missing, and NotFound/BadRequest (errors.py) for a path DuckDB cannot open."""
    try:
        from .duckdb.backend import DuckDBBackend
    except ImportError as exc:
        raise ImportError("viewing files in place needs DuckDB: pip install "
                          "'dtale_lite[duckdb]'") from exc
    import duckdb

    from .backend_source import BackendSource
    from ..frames.errors import BadRequest, NotFound

    text = os.fspath(path)
    if not glob.has_magic(text) and not os.path.exists(text):
        raise NotFound(f"{text}: no such file")
    try:
        backend = DuckDBBackend(text, memory_limit=memory_limit,
                                temp_directory=temp_directory, threads=threads)
    except duckdb.Error as exc:  # a corrupt file, a CSV DuckDB cannot sniff
        label = "CSV" if text.lower().endswith((".csv", ".tsv")) else "Parquet"
        raise BadRequest(f"{text}: could not read it as {label}: {exc}") from None
    return BackendSource(backend, data=text)
