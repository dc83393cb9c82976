"""DuckDB: Parquet and CSV files read in place and DuckDB relations (:mod:`.backend`), rows by
position (:mod:`.rows`), sorted and filtered views (:mod:`.view`), filters compiled to SQL with
bound parameters (:mod:`.sql`), statistics, group keys and box plots in SQL (:mod:`.stats`,
:mod:`.keys`, :mod:`.box`) and file discovery (:mod:`.schema`)."""

# Imported on first use (PEP 562): importing one module of this folder must not import the
# engine's whole backend, and ``from dtale_lite.backends.duckdb import ...`` keeps working.
_PUBLIC = {"DuckDBBackend", "resolve_files"}


def __getattr__(name: str):
    if name in _PUBLIC:
        from . import backend

        return getattr(backend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
