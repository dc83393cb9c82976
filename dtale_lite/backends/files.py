"""Files viewed in place through DuckDB (issue 9): ``show_file(path)`` and
``dtale-lite big.parquet``.

A Parquet file, a directory or glob of them, or CSV opens without loading the data into Python:
DuckDB reads the files' metadata (the row count, the columns) and scans them per request. The
viewer sets DuckDB's ``memory_limit`` and ``threads`` (chosen from the files' size, their rows
and the machine when not given: duckdb/resources.py) and a temporary directory for spilling
sorts (removed when the frame is); each can be given.

Files uploaded from the grid (issue 17) are read into pandas here: Parquet by DuckDB when it is
installed, the rest by frames/loaders.py; and from a URL, when the server allows it. Flask-free.
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


# -- files uploaded from the grid's Load data dialog (issue 17) ------------------------------
PARQUET_KINDS = (".parquet", ".pq")


def read_upload(stream, filename: str, fmt: str | None = None):
    """An uploaded file (a seekable binary stream) as a pandas DataFrame: Parquet read by
    DuckDB when it is installed (else by pandas and pyarrow), every other format by pandas
    (frames/loaders.py). Raises LoadError (a 400) naming the file for anything unreadable."""
    from ..frames import loaders

    kind = loaders.upload_kind(filename, fmt)
    if kind in PARQUET_KINDS and _has_duckdb():
        return _parquet_by_duckdb(stream, filename)
    return loaders.read_upload(stream, filename, kind)


def _has_duckdb() -> bool:
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


def _parquet_by_duckdb(stream, filename: str):
    import shutil
    import tempfile

    import duckdb

    from ..frames.loaders import LoadError

    # DuckDB reads Parquet from a path: the upload goes to a temporary file for the read.
    with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
        shutil.copyfileobj(stream, tmp)
        tmp.flush()
        con = duckdb.connect()
        try:
            return con.read_parquet(tmp.name).df()
        except duckdb.Error as exc:
            reason = str(exc).strip().splitlines()[0][:300]
            raise LoadError(f"{filename}: could not read it as Parquet: {reason}") from None
        finally:
            con.close()


URL_SCHEMES = ("http://", "https://")


def fetch_url(url: str, limit: int, *, timeout: float = 30.0):
    """The body of ``url`` (http or https only) as a seekable stream, and the file name its
    path ends with. Raises BadRequest for another scheme, an unreachable address or an answer
    that is not 200, and PayloadTooLarge once the body passes ``limit`` bytes (read no
    further)."""
    import io
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    from ..frames.errors import BadRequest, PayloadTooLarge

    if not url.lower().startswith(URL_SCHEMES):
        raise BadRequest("only http:// and https:// URLs are loaded")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - scheme checked
            body = answer.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise BadRequest(f"{url[:200]}: the server answered {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise BadRequest(f"{url[:200]}: could not fetch it: {exc}") from None
    if len(body) > limit:
        raise PayloadTooLarge(f"{url[:200]} is larger than this server's upload limit of "
                              f"{limit:,} bytes")
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or "download"
    return io.BytesIO(body), name
