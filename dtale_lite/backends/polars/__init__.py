"""Polars: DataFrames, LazyFrames and Arrow tables viewed through Polars (:mod:`.backend`), its
filters compiled to expressions (:mod:`.filter`), group keys and chart primitives (:mod:`.keys`,
:mod:`.charts`) and describe (:mod:`.describe`)."""

# Imported on first use (PEP 562): importing one module of this folder must not import the
# engine's whole backend, and ``from dtale_lite.backends.polars import ...`` keeps working.
_PUBLIC = {"PolarsBackend", "PolarsView", "kind_of_polars", "sort_expr"}


def __getattr__(name: str):
    if name in _PUBLIC:
        from . import backend

        return getattr(backend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
