"""What a request asks to see (sort, filter, columns, window) and which rows that is.

Parsing here takes any mapping of query parameters (Flask's ``request.args`` or a plain dict),
so it is tested without a server. Every malformed parameter is a ``BadRequest`` whose message
says which parameter and what is accepted.

Sort orders, filter masks and their combination are computed once per frame version and kept in
the registry's bounded ``ResultCache``.
"""
from __future__ import annotations

import json
import time
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace

import numpy as np

from .background import Background
from .cache import ResultCache
from .columns import Column
from .errors import BadRequest, Superseded
from .memory import release_free_memory
from .pagecost import CostModel, choose, is_short

COSTS = CostModel()  # measured on this machine (pagecost.py says where); immutable
# A sort's full order begins once no page of it was selected for this long. The grid asks for
# blocks at most 15 ms apart while the user drags (blockLoadDebounceMillis), so 0.1 s without
# one means the user stopped; the order is then at most 0.1 s later than it was.
QUIET_SECONDS = 0.1

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class ViewSpec:
    sort: tuple[tuple[int, bool], ...] = ()
    filter_node: object | None = None
    filter_key: str | None = None  # canonical filter text, the cache key
    columns: tuple[int, ...] | None = None  # None: all columns

    @property
    def is_identity(self) -> bool:
        return not self.sort and self.filter_node is None

    def column_positions(self, column_count: int) -> tuple[int, ...]:
        """The positions of the columns to show: the ones asked for, else all of them."""
        return self.columns if self.columns is not None else tuple(range(column_count))


def _column_lookup(columns: list[Column]) -> dict[str, Column]:
    return {c.name: c for c in columns}


ABSENT = object()  # a parameter not given (or blank); JSON null is a value, and a wrong one


def _json_param(args: Mapping[str, str], name: str, example: str):
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return ABSENT
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise BadRequest(
            f"parameter '{name}' is not valid JSON ({exc.msg} at character {exc.pos}); "
            f"expected e.g. {example}"
        ) from None


def parse_sort(args: Mapping[str, str], columns: list[Column]) -> tuple[tuple[int, bool], ...]:
    example = '[["f1", "desc"], ["id", "asc"]]'
    value = _json_param(args, "sort", example)
    if value is ABSENT:
        return ()
    if not isinstance(value, list):
        raise BadRequest(f"parameter 'sort' must be a JSON list of [column, direction] pairs, "
                         f"e.g. {example}")
    lookup = _column_lookup(columns)
    keys, seen = [], set()
    for item in value:
        if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                or item[1] not in ("asc", "desc")):
            raise BadRequest(f"each sort item must be [column, \"asc\" or \"desc\"], got "
                             f"{json.dumps(item)[:100]}")
        column = lookup.get(item[0])
        if column is None:
            raise BadRequest(f"sort: unknown column '{item[0]}'")
        if column.position in seen:
            continue  # a repeated column adds nothing to the order
        seen.add(column.position)
        keys.append((column.position, item[1] == "asc"))
    return tuple(keys)


def parse_columns(args: Mapping[str, str], columns: list[Column]) -> tuple[int, ...] | None:
    value = _json_param(args, "columns", '["id", "f1"]')
    if value is ABSENT:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest("parameter 'columns' must be a JSON list of column names, "
                         "e.g. [\"id\", \"f1\"]")
    lookup = _column_lookup(columns)
    missing = [v for v in value if v not in lookup]
    if missing:
        raise BadRequest(f"columns: unknown column '{missing[0]}'")
    return tuple(lookup[v].position for v in value)


def parse_filter(args: Mapping[str, str]):
    text = args.get("filter")
    if text is None or text.strip() == "":
        return None, None
    # Imported on the first filter, not the first page: importing it costs ~15 ms.
    from . import filters

    node = filters.parse(text)
    return node, filters.canonical(node)


def parse_view(args: Mapping[str, str], columns: list[Column]) -> ViewSpec:
    node, key = parse_filter(args)
    return ViewSpec(sort=parse_sort(args, columns), filter_node=node, filter_key=key,
                    columns=parse_columns(args, columns))


def _int_param(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"parameter '{name}' must be a whole number, got '{raw[:50]}'") from None
    if value < 0:
        raise BadRequest(f"parameter '{name}' must not be negative, got {value}")
    return value


def parse_window(args: Mapping[str, str]) -> tuple[int, int]:
    offset = _int_param(args, "offset", 0)
    limit = _int_param(args, "limit", DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise BadRequest(f"parameter 'limit' may be at most {MAX_LIMIT:,}, got {limit:,}; "
                         f"page through larger views with 'offset'")
    return offset, limit


def column_by_name(args: Mapping[str, str], columns: list[Column]) -> Column:
    name = args.get("column")
    if not name:
        raise BadRequest("parameter 'column' is required")
    column = _column_lookup(columns).get(name)
    if column is None:
        raise BadRequest(f"unknown column '{name}'")
    return column


def _releasing(compute):
    """Run a frame-sized computation, then give its freed temporaries back (see memory.py)."""
    def run():
        try:
            return compute()
        finally:
            release_free_memory()
    return run


class Planner:
    """Turns a ViewSpec into row positions, through the cache.

    With a ``Background`` (the registry's), a sorted window whose full order is not cached yet
    is selected around the window (``sortwindow``) and the full order is built in the
    background for the pages after it, once pages of the view stop coming for ``quiet_s``; a
    page that comes while that build is about to end waits for it instead (``pagecost``
    decides, per request). Without one, full orders are computed on the spot.
    """

    def __init__(self, cache: ResultCache, background=None, is_current=None,
                 costs: CostModel = COSTS, clock=time.monotonic, quiet_s: float = QUIET_SECONDS):
        self.cache = cache
        self.background = background
        self.is_current = is_current or (lambda ident, version: True)
        self.costs = costs
        self.clock = clock
        self.quiet_s = quiet_s

    @classmethod
    def of(cls, registry) -> "Planner":
        return cls(registry.cache, registry.background, registry.is_current)

    def positions(self, entry, spec: ViewSpec) -> np.ndarray | None:
        """Row positions of the view in display order, or None for 'all rows, in order'."""
        if spec.is_identity:
            return None
        if not spec.sort:
            return self._filtered(entry, spec)
        return self._full_order(entry, spec)

    def window(self, entry, spec: ViewSpec, offset: int, limit: int) -> tuple[np.ndarray, int]:
        """(row positions of rows offset..offset+limit of the view, the view's row count)."""
        size = entry.source.row_count()
        if spec.is_identity:
            return window(None, size, offset, limit), size
        rows = None if spec.filter_node is None else self._filtered(entry, spec)
        total = size if rows is None else rows.size
        if not spec.sort:
            return window(rows, total, offset, limit), total
        key = self._order_key(entry, spec)
        order = self.cache.peek(key)
        keys = None if order is not None or self.background is None else \
            self._keys(entry, spec.sort)
        if keys is not None:
            order = self._wait_if_cheaper(key, keys, total)
            if order is None:
                return self._select(entry, spec, keys, rows, offset, limit), total
        if order is None:
            order = self._full_order(entry, spec)
        return window(order, total, offset, limit), total

    def _wait_if_cheaper(self, key, keys, total: int) -> np.ndarray | None:
        """The full order if the build under way ends within what selecting would cost (and
        does end in that time); None: select."""
        job = self.background.pending(key)
        started = None if job is None else job.started_at
        kinds = [k.cost_kind for k, _ in keys]
        choice = choose(self.costs, total, kinds,
                        None if started is None else self.clock() - started,
                        None if job is None else job.notes.get("selection seconds"))
        if not choice.wait or not job.wait(choice.wait_budget_s) or job.error is not None:
            return None
        return job.value

    def _select(self, entry, spec: ViewSpec, keys, rows, offset: int, limit: int) -> np.ndarray:
        from .sortwindow import window_rows

        self.cache.on_miss()  # the page computes (admission's Server-Timing says so)
        with self.cache.gate():  # a selection is heavy too: it takes an admission slot
            start = self.clock()
            selected = window_rows(keys, rows, entry.source.row_count(), offset, limit)
            took = self.clock() - start
        # Queued after the page is selected. A long build is held while pages of this view
        # keep coming: each is selected on its own, and a build beside them takes the cores
        # and memory bandwidth they need (5 pages right after a first page, median: 21-22 ms
        # held against 33-41 ms not at 10M rows: the A/B at the end of
        # benchmarks/results/sorted-pages-2026-12-04.txt). A short one starts at once and
        # the next pages wait for it (pagecost.py).
        total = entry.source.row_count() if rows is None else rows.size
        hold = 0.0 if is_short(self.costs, total, [k.cost_kind for k, _ in keys]) \
            else self.quiet_s
        if self.cache.peek(self._order_key(entry, spec)) is None:  # a page beside it built it
            job = self._start_full_order(entry, spec, hold_s=hold)
            if hold:
                job.hold_for(hold)  # a job queued by an earlier page: held from now on
            job.notes.setdefault("selection seconds", took)  # the first page's, for the next
        return _released(selected)

    # -- cached pieces -----------------------------------------------------------------------
    def _filtered(self, entry, spec: ViewSpec) -> np.ndarray:
        base = (entry.id, entry.version)
        mask = self._mask(entry, spec)
        return self.cache.get_or_compute(
            base + ("view", (), spec.filter_key),
            _releasing(lambda: np.flatnonzero(mask).astype(np.int64, copy=False)))

    def _mask(self, entry, spec: ViewSpec) -> np.ndarray:
        return self.cache.get_or_compute(
            (entry.id, entry.version, "mask", spec.filter_key),
            _releasing(lambda: entry.source.filter_mask(spec.filter_node)))

    def _keys(self, entry, sort) -> list | None:
        """(key, ascending) per sort column, each key cached per column; None if a column has
        no fast key (the source then sorts the whole frame its own way)."""
        make = getattr(entry.source, "sort_key", None)
        if make is None:
            return None
        keys = []
        for position, ascending in sort:
            key = self.cache.get_or_compute((entry.id, entry.version, "sortkey", position),
                                            lambda p=position: make(p))
            if key is None:
                return None
            keys.append((key, ascending))
        return keys

    @staticmethod
    def _order_key(entry, spec: ViewSpec) -> tuple:
        if spec.filter_node is None:
            return (entry.id, entry.version, "sort", spec.sort)
        return (entry.id, entry.version, "view", spec.sort, spec.filter_key)

    # -- full orders -------------------------------------------------------------------------
    def _full_order(self, entry, spec: ViewSpec) -> np.ndarray:
        """The view's full order: cached, else built now (joining a background build of the
        same order if one is under way: each order is built once)."""
        key = self._order_key(entry, spec)
        cached = self.cache.peek(key)
        if cached is not None:
            return cached
        if self.background is None:
            return self.cache.get_or_compute(key, _releasing(self._builder(entry, spec)))
        try:
            return self._start_full_order(entry, spec).result()
        except Superseded:
            # This request's snapshot is older than the frame now shown (an update landed
            # while it ran): answer it from its own snapshot, without caching.
            return self._builder(entry, spec)()

    def _start_full_order(self, entry, spec: ViewSpec, hold_s: float = 0.0):
        key = self._order_key(entry, spec)
        build = self._builder(entry, spec)

        def compute() -> np.ndarray:
            cached = self.cache.peek(key)
            if cached is not None:
                return cached
            # The background's own workers (half the cores) are bounded by their pool and take
            # no admission slot: a build must not hold the slot the next click's first page
            # needs (measured: a descending click waited 1.2 s behind the ascending build).
            # A caller that runs the build in its own thread (a deep page, an export) takes
            # one like any other computation.
            with nullcontext() if Background.in_worker() else self.cache.gate():
                order = _releasing(build)()
            if not self.is_current(entry.id, entry.version):
                raise Superseded("the frame changed while its order was built; dropped")
            return self.cache.put(key, order)

        return self.background.submit(key, compute,
                                      lambda: not self.is_current(entry.id, entry.version),
                                      hold_s)

    def _builder(self, entry, spec: ViewSpec):
        """A function computing the view's full order (it calls ``cancel.checker()`` between
        steps, so a build nobody needs any more stops early)."""
        def build() -> np.ndarray:
            from .cancel import checker
            from .sortkeys import stable_order

            check = checker()
            if spec.filter_node is not None:
                rows = self._filtered(entry, spec)
                whole = self.cache.peek(self._order_key(entry, replace(spec, filter_node=None,
                                                                        filter_key=None)))
                if whole is not None:  # filtering a cached order is cheaper than sorting
                    return whole[self._mask(entry, spec)[whole]]
            else:
                rows = None
                derived = self._derived_order(entry, spec.sort)
                if derived is not None:
                    return derived
            keys = self._keys(entry, spec.sort)
            if keys is None:
                if rows is None:
                    return entry.source.sort_order(spec.sort)
                # Built here, not joined: this runs in an admission slot, and waiting for a
                # build another thread claimed (which may itself wait for a slot) could leave
                # every slot waiting on a build that has none.
                whole_spec = replace(spec, filter_node=None, filter_key=None)
                order = self.cache.peek(self._order_key(entry, whole_spec))
                if order is None:
                    order = self._builder(entry, whole_spec)()
                return order[self._mask(entry, spec)[order]]
            return stable_order(keys, rows, entry.source.row_count(), check)

        return build

    def _derived_order(self, entry, sort) -> np.ndarray | None:
        """The second click on a header asks for the reverse of the first: derive it from the
        cached ascending order when the source can (much cheaper than a new sort)."""
        derive = getattr(entry.source, "reverse_order", None)
        if derive is None or len(sort) != 1 or sort[0][1]:
            return None
        ascending = self.cache.peek((entry.id, entry.version, "sort", ((sort[0][0], True),)))
        return None if ascending is None else derive(sort[0][0], ascending)

    def sort_order(self, entry, keys) -> np.ndarray:
        """The full order of the whole frame by ``keys`` ((position, ascending) pairs)."""
        return self._full_order(entry, ViewSpec(sort=tuple(keys)))


def _released(value):
    release_free_memory()
    return value


def window(positions: np.ndarray | None, total: int, offset: int, limit: int) -> np.ndarray:
    """The positions of rows offset..offset+limit of the view: O(limit), whatever ``total``."""
    if positions is None:
        return np.arange(min(offset, total), min(offset + limit, total), dtype=np.int64)
    return positions[offset:offset + limit]


__all__ = ["ViewSpec", "Planner", "parse_view", "parse_window", "window", "column_by_name",
           "MAX_LIMIT"]
