"""The benchmark (``python -m dtale_lite.bench``, :mod:`.benchmark`) and the load test
(``python -m dtale_lite.bench.loadtest``, :mod:`.loadtest`): measured figures, never part of the
product's code paths.

May import: any layer and the public ``dtale_lite`` package; nothing imports it.
"""
