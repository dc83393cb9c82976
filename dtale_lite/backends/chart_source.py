"""Today's chart builder over a DataView, unchanged: the ChartSource shape (source.py) whose
``positions`` argument is the view itself.

The chart code (charts/figure.py, traces.py, distribution.py) calls ``source.group_aggregate(positions, ...)``
and friends with the positions the Planner computed. Over a view, the rows are already the
view's, so this adapter drops the argument: ``build_chart(ViewChartSource(view), None, spec)``
builds the same figure on any backend that implements the primitive. A primitive the backend
lacks is a 400 naming the backend, never an AttributeError (a 500).
"""
from __future__ import annotations

from ..frames.errors import BadRequest


class ViewChartSource:
    """ChartSource over one DataView (``positions`` arguments are ignored: always None)."""

    def __init__(self, backend, view):
        self.backend, self.view = backend, view

    def columns(self):
        return self.backend.columns()

    def row_count(self) -> int:
        return self.view.count().rows

    def _primitive(self, name: str):
        method = getattr(self.view, name, None)
        if method is None:
            raise BadRequest(f"{name.replace('_', ' ')} is not available on the "
                             f"{self.backend.capabilities.name} backend yet")
        return method

    def group_aggregate(self, positions, keys, measures):
        return self._primitive("group_aggregate")(keys, measures)

    def box_stats(self, positions, keys, column):
        return self._primitive("box_stats")(keys, column)

    def facet_positions(self, positions, key):
        # Small multiples build each facet over its rows' positions; a view has none to give.
        raise BadRequest(f"facets (small multiples) are not available on the "
                         f"{self.backend.capabilities.name} backend yet")

    def ohlc(self, positions, key, time, measures):
        method = getattr(self.view, "ohlc", None)
        if method is None:  # first and last values by time: no native form on this engine yet
            raise BadRequest(f"candlestick charts are not available on the "
                             f"{self.backend.capabilities.name} backend yet")
        return method(key, time, measures)

    def histogram(self, positions, column, bins, value_range=None, key=None):
        return self._primitive("histogram")(column, bins, value_range, key)

    def bins2d(self, positions, x, y, x_bins, y_bins, x_range=None, y_range=None):
        return self._primitive("bins2d")(x, y, x_bins, y_bins, x_range, y_range)

    def downsample(self, positions, x, y, buckets, x_range=None, key=None):
        return self._primitive("downsample")(x, y, buckets, x_range, key)

    def sample(self, positions, columns, n):
        return self._primitive("sample")(columns, n)

    def correlations(self, positions, columns, method):
        return self._primitive("correlations")(columns, method)

    def nullity(self, positions, columns, bands):
        return self._primitive("nullity")(columns, bands)

    def duplicates(self, positions, columns, top):
        return self._primitive("duplicates")(columns, top)
