"""The engines: one module family per engine (pandas, polars*, duckdb*, dask*) behind the
view-level interface of :mod:`.base`, and what the server reads any frame through
(:mod:`.backend_source`, :mod:`.reader`), plus files opened in place by DuckDB (:mod:`.files`).

May import: :mod:`dtale_lite.frames`. Never Flask or Dash. Nothing is imported here: each backend
imports its engine only when used, so ``import dtale_lite`` stays fast and engines stay extras.
"""
