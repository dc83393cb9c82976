"""Which backend views a user's object, decided without importing any engine.

``show()`` must stay O(1) and light: the type is recognised by its module name, and an engine
(polars, duckdb) is imported only when the object already comes from it, so its module is
loaded anyway.
"""
from __future__ import annotations

import os

from ..frames.errors import BadRequest


# (module, class names) of the objects show() takes, by engine. Recognised by name, so that
# telling a Polars frame from a pandas one imports neither engine.
SHOWABLE = {
    "pandas": ("pandas", {"DataFrame", "Series"}),
    "polars": ("polars", {"DataFrame", "LazyFrame", "Series"}),
    "arrow": ("pyarrow", {"Table", "RecordBatch"}),
    "duckdb": ("duckdb", {"DuckDBPyRelation"}),
    "dask": ("dask", {"DataFrame", "Series"}),
}


def engine_of(data) -> str | None:
    """The engine a shown object belongs to ("pandas", "polars", "arrow", "duckdb", "dask"),
    or None when show() does not take it. Subclasses (a GeoDataFrame) count as their base."""
    for klass in type(data).__mro__:
        module, name = klass.__module__.split(".")[0], klass.__name__
        for engine, (engine_module, names) in SHOWABLE.items():
            if module == engine_module and name in names:
                return engine
    return None


def backend_for(data, **options):
    """A Backend for ``data``: a pandas DataFrame or Series, a Polars DataFrame or LazyFrame,
    an Arrow Table (viewed through Polars, zero-copy), or a path/glob of Parquet or CSV files
    (DuckDB; ``options`` go to DuckDBBackend: memory_limit, temp_directory, threads).

    Raises BadRequest for anything else."""
    engine = engine_of(data)
    if engine == "pandas":
        from .pandas import PandasBackend

        return PandasBackend(data)
    if engine in ("polars", "arrow"):
        import polars as pl

        from .polars.backend import PolarsBackend

        if type(data).__name__ in ("Series", "Table", "RecordBatch"):
            # A Series is shown as a one-column frame; Arrow data is wrapped zero-copy.
            data = data.to_frame() if engine == "polars" else pl.from_arrow(data)
        return PolarsBackend(data)
    if engine == "duckdb":
        from .duckdb.backend import DuckDBBackend

        return DuckDBBackend.from_relation(data, **options)
    if engine == "dask":
        from .dask.backend import DaskBackend

        if type(data).__name__ == "Series":
            data = data.to_frame()
        return DaskBackend(data)
    if isinstance(data, (str, os.PathLike)):
        from .duckdb.backend import DuckDBBackend

        return DuckDBBackend(data, **options)
    raise BadRequest(f"cannot show a {type(data).__module__}.{type(data).__name__}: expected a "
                     f"pandas or Polars frame, an Arrow table, or a Parquet/CSV path")
