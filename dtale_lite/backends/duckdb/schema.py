"""What DuckDB is asked to read: the files behind a path, and the kind of each column type."""
from __future__ import annotations

import glob
import os
from pathlib import Path

from ...frames.errors import BadRequest, NotFound


def kind_of_duckdb(type_name: str) -> str:
    """One of columns.KINDS for a DuckDB type name."""
    t = type_name.upper()
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):
        return "object"
    if t == "BOOLEAN":
        return "bool"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT"):
        return "int"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "float"
    if t == "VARCHAR":
        return "string"
    if t.startswith("ENUM"):
        return "category"
    if t.startswith("TIMESTAMP") or t == "DATE":
        return "datetime"
    if t == "INTERVAL":
        return "timedelta"
    return "object"


def resolve_files(path) -> tuple[list[str], str]:
    """(sorted absolute file paths, "parquet" or "csv") for a file, directory or glob.

    Raises NotFound when nothing matches, BadRequest for an unknown file type or a mix."""
    text = os.fspath(path)
    if os.path.isdir(text):
        files = [str(p) for p in Path(text).iterdir()
                 if p.suffix.lower() in (".parquet", ".csv", ".pq") and p.is_file()]
    elif glob.has_magic(text):
        files = [p for p in glob.glob(text, recursive=True) if os.path.isfile(p)]
    else:
        files = [text] if os.path.isfile(text) else []
    if not files:
        raise NotFound(f"no Parquet or CSV file at {text!r}")
    kinds = {"csv" if f.lower().endswith((".csv", ".csv.gz", ".tsv")) else "parquet"
             for f in files}
    if len(kinds) > 1:
        raise BadRequest(f"{text!r} mixes CSV and Parquet files; open them separately")
    return sorted(os.path.abspath(f) for f in files), kinds.pop()
