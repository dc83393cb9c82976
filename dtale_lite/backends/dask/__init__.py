"""Dask: a Dask DataFrame computed on the cluster its Client points at (:mod:`.backend`), with
work per partition (:mod:`.parts`), sort order brackets (:mod:`.order`), describe and charts
that add up across partitions (:mod:`.describe`, :mod:`.charts`) and the cluster handle
(:mod:`.cluster`)."""

# Imported on first use (PEP 562): importing one module of this folder must not import the
# engine's whole backend, and ``from dtale_lite.backends.dask import ...`` keeps working.
_PUBLIC = {"DaskBackend", "DaskView"}


def __getattr__(name: str):
    if name in _PUBLIC:
        from . import backend

        return getattr(backend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
