"""What a request asks to see (sort, filter, columns, window) and which rows that is.

Parsing here takes any mapping of query parameters (Flask's ``request.args`` or a plain dict),
so it is tested without a server. Every malformed parameter is a ``BadRequest`` whose message
says which parameter and what is accepted.

Sort orders, filter masks and their combination are computed once per frame version and kept in
the registry's bounded ``ResultCache``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .cache import ResultCache
from .columns import Column
from .errors import BadRequest
from .memory import release_free_memory

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
    """Turns a ViewSpec into row positions, through the cache."""

    def __init__(self, cache: ResultCache):
        self.cache = cache

    def positions(self, entry, spec: ViewSpec) -> np.ndarray | None:
        """Row positions of the view in display order, or None for 'all rows, in order'."""
        if spec.is_identity:
            return None
        base = (entry.id, entry.version)
        if spec.filter_node is None:
            return self.sort_order(entry, spec.sort)
        mask = self.cache.get_or_compute(
            base + ("mask", spec.filter_key),
            _releasing(lambda: entry.source.filter_mask(spec.filter_node)))

        def combine() -> np.ndarray:
            if not spec.sort:
                return np.flatnonzero(mask).astype(np.int64, copy=False)
            order = self.sort_order(entry, spec.sort)
            return order[mask[order]]

        return self.cache.get_or_compute(base + ("view", spec.sort, spec.filter_key),
                                         _releasing(combine))

    def sort_order(self, entry, keys) -> np.ndarray:
        base = (entry.id, entry.version, "sort")

        def compute() -> np.ndarray:
            # The second click on a header asks for the reverse of the first: derive it from
            # the cached ascending order when the source can (much cheaper than a new sort).
            derive = getattr(entry.source, "reverse_order", None)
            if derive is not None and len(keys) == 1 and not keys[0][1]:
                ascending = self.cache.peek(base + (((keys[0][0], True),),))
                if ascending is not None:
                    derived = derive(keys[0][0], ascending)
                    if derived is not None:
                        return derived
            return entry.source.sort_order(keys)

        return self.cache.get_or_compute(base + (keys,), _releasing(compute))


def window(positions: np.ndarray | None, total: int, offset: int, limit: int) -> np.ndarray:
    """The positions of rows offset..offset+limit of the view: O(limit), whatever ``total``."""
    if positions is None:
        return np.arange(min(offset, total), min(offset + limit, total), dtype=np.int64)
    return positions[offset:offset + limit]


__all__ = ["ViewSpec", "Planner", "parse_view", "parse_window", "window", "column_by_name",
           "MAX_LIMIT"]
