"""Which backend views a user's object, decided without importing any engine.

``show()`` must stay O(1) and light: the type is recognised by its module name, and an engine
(polars, duckdb) is imported only when the object already comes from it, so its module is
loaded anyway.
"""
from __future__ import annotations

import os

from ..errors import BadRequest


def _module(data) -> str:
    return type(data).__module__.split(".")[0]


def backend_for(data, **options):
    """A Backend for ``data``: a pandas DataFrame or Series, a Polars DataFrame or LazyFrame,
    an Arrow Table (viewed through Polars, zero-copy), or a path/glob of Parquet or CSV files
    (DuckDB; ``options`` go to DuckDBBackend: memory_limit, temp_directory, threads).

    Raises BadRequest for anything else."""
    module = _module(data)
    if module == "pandas":
        from .pandas import PandasBackend

        return PandasBackend(data)
    if module == "polars":
        from .polars import PolarsBackend

        return PolarsBackend(data)
    if module == "pyarrow" and type(data).__name__ == "Table":
        import polars as pl

        from .polars import PolarsBackend

        return PolarsBackend(pl.from_arrow(data))
    if isinstance(data, (str, os.PathLike)):
        from .duckdb import DuckDBBackend

        return DuckDBBackend(data, **options)
    raise BadRequest(f"cannot show a {type(data).__module__}.{type(data).__name__}: expected a "
                     f"pandas or Polars frame, an Arrow table, or a Parquet/CSV path")
