"""The view-level data interface every backend implements (issue 9).

Today's ``FrameSource`` hands out full-length row-position arrays (a sort order, a filter mask),
which cannot work for data larger than memory or spread over a cluster. Here the seam is a
*view*: a ``Backend`` makes a ``DataView`` from (filter, sort), and the view answers the count,
a window of rows at an offset, describe of a column, an export stream and the chart
aggregation primitives. How a backend finds the rows (numpy positions, a Polars expression, a
materialized order table in DuckDB) stays inside it.

Contract every backend keeps, checked against pandas by tests/backends/:
- sorts are stable with missing values (null, NaN, NaT) last in both directions, and always end
  with the row position as a tiebreaker, so pages never repeat or skip rows;
- filters mean what :mod:`dtale_lite.frames.filters` says (the numpy masks are the reference);
- window values are JSON-safe as :mod:`dtale_lite.frames.serialize` makes them;
- describe has the keys of :mod:`dtale_lite.frames.describe` plus ``approximate``: the names of the
  figures that are estimates (an empty list when all are exact), so the page can say "about".
Nothing here imports Flask or Dash.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..frames.columns import Column
from ..frames.errors import BadRequest

SortKeys = tuple[tuple[int, bool], ...]  # (column position, ascending) pairs, as today
Window = tuple[list, list[list]]  # (index labels, rows of JSON-safe values)
EXPORT_FORMATS = ("csv", "tsv", "json", "parquet")


@dataclass(frozen=True)
class Count:
    """How many rows a view has; ``exact`` False when the backend only estimated it."""

    rows: int
    exact: bool = True

    def to_dict(self) -> dict:
        return {"rows": self.rows, "exact": self.exact}


@dataclass(frozen=True)
class Capabilities:
    """What a backend does exactly, approximately, or not at all (for the API and the page).

    ``approximate``: describe figures that may be estimates on this backend (``count`` means
    the row count); ``chart_primitives``: the DataView methods it implements.
    """

    name: str
    approximate: frozenset[str] = frozenset()
    chart_primitives: frozenset[str] = frozenset({"group_aggregate", "histogram"})


@runtime_checkable
class DataView(Protocol):
    """One (filter, sort) view of a backend's data. Columns are addressed by position."""

    def count(self) -> Count: ...

    def window(self, offset: int, limit: int, columns: Sequence[int]) -> Window:
        """Rows offset..offset+limit of the view: (index labels, JSON-safe row values)."""

    def describe(self, column: int) -> dict:
        """describe.py's dict for one column over the view's rows, plus ``approximate``."""

    def export(self, columns: Sequence[int], names: Sequence[str], fmt: str) -> Iterator[bytes]:
        """The view's rows in display order as a file in ``fmt`` (EXPORT_FORMATS), streamed."""

    def group_aggregate(self, keys, measures) -> tuple[list, list]:
        """As ChartSource.group_aggregate (source.py), over the view's rows."""

    def histogram(self, column: int, bins: int, value_range=None, key=None) -> tuple:
        """As ChartSource.histogram: (edges, counts [groups x bins], groups or None)."""

    # Optional: ``close()`` releases what the view made (a DuckDB order table); idempotent.
    # BackendSource calls it when the view leaves its LRU or the frame goes.


@runtime_checkable
class Backend(Protocol):
    """A user's data object (a frame, a lazy frame, files) seen through one engine."""

    capabilities: Capabilities

    def columns(self) -> list[Column]: ...

    def view(self, filter_node, sort_keys: SortKeys = ()) -> DataView:
        """The view of the rows ``filter_node`` keeps (None: all) in ``sort_keys`` order.

        Raises FilterError for a filter that names an unknown column or does not fit one."""

    def close(self) -> None:
        """Release engine resources (connections, temporary tables); idempotent."""


def check_window(offset: int, limit: int) -> None:
    if offset < 0 or limit < 0:
        raise BadRequest("offset and limit must be >= 0")


def check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}; allowed: {', '.join(EXPORT_FORMATS)}")


def check_export_names(columns: Sequence[int], names: Sequence[str]) -> None:
    if len(columns) != len(names) or len(set(names)) != len(names):
        raise BadRequest("export needs one unique name per column")


def check_sort_keys(keys: SortKeys, width: int) -> None:
    for position, ascending in keys:
        if not 0 <= int(position) < width or not isinstance(ascending, bool):
            raise BadRequest(f"bad sort key ({position!r}, {ascending!r})")


def check_plain_keys(keys, backend: str) -> None:
    """Group keys this backend cannot do yet (periods, bins, top-N folding) are a 400."""
    for key in keys:
        if key.freq is not None or key.bins is not None or key.top is not None:
            raise BadRequest(f"grouping by periods, bins or top values is not available on "
                             f"the {backend} backend yet; group by the column's values")


class ChartPrimitivesVia:
    """A view's chart primitives (see ``source.ChartSource``) answered by a module of functions
    taking the view first: set ``chart_module`` on the view class."""

    chart_module = None

    def group_aggregate(self, keys, measures):
        return self.chart_module.group_aggregate(self, keys, measures)

    def histogram(self, column: int, bins: int, value_range=None, key=None):
        return self.chart_module.histogram(self, column, bins, value_range, key)

    def bins2d(self, x, y, x_bins, y_bins, x_range=None, y_range=None):
        return self.chart_module.bins2d(self, x, y, x_bins, y_bins, x_range, y_range)

    def downsample(self, x, y, buckets, x_range=None, key=None):
        return self.chart_module.downsample(self, x, y, buckets, x_range, key)

    def sample(self, columns, n):
        return self.chart_module.sample(self, columns, n)
