"""Exact order statistics (the k-th smallest value) of a column of a DuckDB view, in memory that
does not grow with the rows: what describe's quartiles are interpolated from (issue 14).

Why not ``quantile_cont``: it keeps every value of the column in one growing buffer that the
buffer manager cannot spill. At 10M doubles it asked for a 128 MiB block on top of the 96 MiB it
held, and failed under a 192 MiB memory limit, the size of limit a 10M-row file now gets.

How: count the values per bin of ``BINS`` equal-width bins between the smallest and the largest
value (one GROUP BY: a hash table of at most BINS groups), keep the bin that holds the rank with
its own min and max as the next range, and repeat (one query per level for every bin kept);
once a bin holds one distinct value, that is the answer, and once it holds at most
``FETCH_ROWS`` values, the bins left are read in one query that numbers their values in order
(a sort of at most a few FETCH_ROWS values). A bin is a non-decreasing function of the value
(a clamped ``floor`` of a scaled difference), so every value of a bin sorts before every value
of a later bin and the counts add up exactly, even where rounding puts a value into the bin
next to the one exact arithmetic would. Infinities are counted apart and the rest narrowed
among finite values. Values are bound parameters, as everywhere in this backend. At 10M rows
the quartiles of ``f1`` took one counting pass and the fetch; of the skewed ``f4``, two.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

BINS = 1024
FETCH_ROWS = 65_536
MAX_LEVELS = 12  # a guard: each level divides a bin's range by about BINS

Query = Callable[[str, dict], list]  # (SQL, parameters) -> rows


def order_statistics(query: Query, source: str, params: dict, value: str, ranks: Iterable[int],
                     count: int, low, high, *, infinite: int = 0, bins: int = BINS,
                     fetch_rows: int = FETCH_ROWS) -> dict:
    """{rank: the rank-th smallest non-null ``value`` (0-based)} over ``source``.

    ``source`` is ``FROM ... WHERE ...`` text (conditions are appended with AND), ``params``
    its parameters; ``count`` is how many values are not null, ``low``/``high`` the smallest
    and largest finite one (None when there is none), ``infinite`` how many are infinite.
    Raises IndexError for a rank outside 0..count-1."""
    wanted, out = sorted(set(ranks)), {}
    if any(r < 0 or r >= count for r in wanted):
        raise IndexError(f"ranks {wanted} outside 0..{count - 1}")
    # The value once, under a name no column can shadow (the subquery has no other column).
    values = f"(SELECT {value} AS v FROM {source}) AS os_values"
    below = above = 0
    if infinite:
        below, above = query(f"SELECT count(*) FILTER (WHERE v = '-inf'::DOUBLE), "
                             f"count(*) FILTER (WHERE v = 'inf'::DOUBLE) FROM {values}",
                             params)[0]
    for rank in wanted:
        if rank < below:
            out[rank] = -math.inf
        elif rank >= count - above:
            out[rank] = math.inf
    inside = [(r, r - below) for r in wanted if r not in out]
    if inside:
        search = _Search(query, values, params, bins, fetch_rows)
        search.run(_Node("isfinite(v)" if infinite else "v IS NOT NULL", {}, low, high,
                         count - below - above, inside), out)
    return out


@dataclass
class _Node:
    """Values meeting ``where`` (with parameters ``bound``): ``count`` of them, spanning
    low..high, and the ranks among them wanted (as (rank overall, rank in the node))."""

    where: str
    bound: dict
    low: object
    high: object
    count: int
    ranks: list
    bin_sql: str = ""  # its bin of v, once it is split


class _Search:
    def __init__(self, query: Query, values: str, params: dict, bins: int, fetch_rows: int):
        self.query, self.values, self.params = query, values, params
        self.bins, self.fetch_rows = bins, fetch_rows
        self.names = 0  # parameters are named $os<n>: unique in every statement

    def bind(self, bound: dict, value) -> str:
        name = f"os{self.names}"
        self.names += 1
        bound[name] = value
        return "$" + name

    def run(self, root: _Node, out: dict) -> None:
        """Narrow level by level (one query per level for all its nodes), then read the
        nodes left small enough in one query."""
        level, nodes, finals = 0, [root], []
        while nodes:
            split = []
            for node in nodes:
                if node.low == node.high:  # one distinct value
                    out.update((rank, node.low) for rank, _ in node.ranks)
                elif node.count <= self.fetch_rows or level >= MAX_LEVELS or \
                        self._step(node) is None:
                    finals.append(node)
                else:
                    split.append(node)
            nodes = self._split(split, finals) if split else []
            level += 1
        if finals:
            self._fetch(finals, out)

    def _step(self, node: _Node):
        """(scaled low, step): bins of node's range, scaled by 1/bins so that a range of
        -1e308..1e308 does not overflow; None when rounding leaves no width."""
        scale_low = float(node.low) / self.bins
        step = (float(node.high) / self.bins - scale_low) / self.bins
        return (scale_low, step) if step > 0 and math.isfinite(step) else None

    def _split(self, nodes: list[_Node], finals: list[_Node]) -> list[_Node]:
        """The next level: each node's values counted per bin (one query), and for each bin
        holding a wanted rank, a node of that bin with its own min and max."""
        bound, which, bin_of = {}, [], []
        for i, node in enumerate(nodes):
            scale_low, step = self._step(node)
            node.bin_sql = (f"CAST(greatest(least(floor((CAST(v AS DOUBLE) / {self.bins} - "
                            f"{self.bind(node.bound, scale_low)}) / "
                            f"{self.bind(node.bound, step)}), {self.bins - 1}), 0) AS BIGINT)")
            bound.update(node.bound)
            which.append(f"WHEN {node.where} THEN {i}")
            bin_of.append(f"WHEN {node.where} THEN {node.bin_sql}")
        rows = self.query(
            f"SELECT CASE {' '.join(which)} END, CASE {' '.join(bin_of)} END, count(*), min(v), "
            f"max(v) FROM {self.values} WHERE {' OR '.join(f'({n.where})' for n in nodes)} "
            f"GROUP BY 1, 2 ORDER BY 1, 2", {**self.params, **bound})
        children, before = [], [0] * len(nodes)
        for i, bin_, n, lo, hi in rows:
            node = nodes[i]
            inside = [(rank, k - before[i]) for rank, k in node.ranks
                      if before[i] <= k < before[i] + n]
            before[i] += n
            if not inside:
                continue
            if n == node.count:  # rounding cannot split this range: read it as it is
                finals.append(node)
                continue
            child = dict(node.bound)
            children.append(_Node(f"{node.where} AND {node.bin_sql} = {self.bind(child, bin_)}",
                                  child, lo, hi, n, inside))
        return children

    def _fetch(self, finals: list[_Node], out: dict) -> None:
        """The wanted ranks of the ``finals``, in one query: nodes are disjoint ranges of the
        order, so their union sorted is each node's values one after another."""
        bound, at_position, start = {}, {}, 0
        for node in sorted(finals, key=lambda n: n.low):
            bound.update(node.bound)
            at_position.update((start + k, rank) for rank, k in node.ranks)
            start += node.count
        listed = ", ".join(self.bind(bound, p) for p in sorted(at_position))
        kept = " OR ".join(f"({n.where})" for n in finals)
        rows = self.query(f"SELECT i, v FROM (SELECT v, row_number() OVER (ORDER BY v) - 1 AS i "
                          f"FROM {self.values} WHERE {kept}) WHERE i IN ({listed})",
                          {**self.params, **bound})
        for position, found in rows:
            out[at_position[position]] = found
