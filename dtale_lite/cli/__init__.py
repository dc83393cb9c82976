"""The command line: ``dtale-lite FILE...`` and ``python -m dtale_lite`` (:mod:`.command`).

May import: any layer and the public ``dtale_lite`` package; nothing imports it.
"""
from .command import main

__all__ = ["main"]
