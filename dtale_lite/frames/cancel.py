"""Cooperative cancellation of long computations that nobody waits for any more.

The chart service runs a computation inside ``stop_when(is_stale)``; long loops in pure modules
(correlations over millions of rows, say) call the checker from ``checker()`` between steps,
which raises ``Superseded`` once a newer request from the same page has replaced this one, so an
abandoned computation stops within one step instead of keeping a core busy to its end.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import Superseded

_stale: ContextVar[Callable[[], bool] | None] = ContextVar("dtale_lite_stale", default=None)


@contextmanager
def stop_when(is_stale: Callable[[], bool]) -> Iterator[None]:
    """Within this block, ``checker()`` functions raise Superseded once ``is_stale()``."""
    token = _stale.set(is_stale)
    try:
        yield
    finally:
        _stale.reset(token)


def checker() -> Callable[[], None]:
    """A function to call between steps of a long computation. It captures the current
    block's condition, so it also works in worker threads (which do not inherit the context)."""
    is_stale = _stale.get()

    def check() -> None:
        if is_stale is not None and is_stale():
            raise Superseded("a newer request from this page replaced this one; stopped")

    return check
