"""Whether a page of a sorted view waits for the full order being built or selects its rows.

A sort's first page is selected around its window (``sortwindow``) and the view's full order
is then built in the background for the pages after it. A page asked for while that build runs
can either wait for it (the page is then a slice of the order) or select around its own window
(O(rows) per key, whatever the offset).

- A short build (``CostModel.short_build_s``: 1M rows here) starts at once, and the pages
  after the first wait for it: one of them waits up to about the build's time, every later one
  is a slice of the order. Waiting is bounded by the build's expected end plus one selection.
- A long build (10M rows here) is held while pages keep coming (``Planner``), and a page waits
  for it only when its expected remaining time is no more than what its selection is expected
  to cost, and then for at most that long, so no page waits much longer than a selection. A
  build past its estimate (a machine busier than when the model was measured) has no end one
  can tell: pages select.

What a selection costs is measured per view: the first page of a sort is a selection, and the
Planner keeps its time; before that (or for a view it has not seen) the model's figure stands
in. What a build costs comes from the model, scaled by the rows and the kinds of the keys.

Pure: costs, clocks and elapsed times come in as arguments, so tests inject them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def _measured_build_ns() -> dict[str, float]:
    # ns per row x log2(rows), one key: medians of three runs of ``benchmarks/page_costs.py``
    # on this machine (2 shared cores, load 1.2-2.1) at 1M and 10M rows, 2026-12-04; numbers
    # from f1 (floats with NaN, the slowest numeric key there: 5.4-10.5), strings from s_hi
    # and s_lo (4.0-12.8). See benchmarks/results/page-costs-2026-12-04.txt.
    return {"number": 8.7, "string": 7.8}


def _measured_select_ns() -> dict[str, float]:
    # ns per row, one key, a window at a random offset (same runs: numbers 1.1-1.9, strings
    # 9.4-18.2).
    return {"number": 1.7, "string": 12.9}


@dataclass(frozen=True)
class CostModel:
    """Expected seconds of a full order and of a selection around one window."""

    build_ns: Mapping[str, float] = field(default_factory=_measured_build_ns)
    select_ns: Mapping[str, float] = field(default_factory=_measured_select_ns)
    select_base_s: float = 0.0003  # a selection's fixed part (sample, partition, Python)
    # A full order expected to take no longer than this is started at once and waited for by
    # the pages after the first: one wait this short goes unnoticed while scrolling, and every
    # page after it is a slice of the order (selecting instead costs a pass over every row per
    # page, and a build running beside those passes slows both on 2 cores). At 1M rows the
    # order takes 0.11-0.16 s here; at 10M about 2 s, which pages must not wait for.
    short_build_s: float = 0.25

    def build_seconds(self, rows: int, kinds: Sequence[str]) -> float:
        """An LSD sort passes over every key: the keys' costs add up."""
        work = rows * math.log2(max(rows, 2))
        return work * sum(self.build_ns[kind] for kind in kinds) * 1e-9

    def select_seconds(self, rows: int, kinds: Sequence[str]) -> float:
        """The first key's pass over every row dominates; later keys only see runs of ties,
        counted here as full passes too (an estimate on the high side)."""
        return self.select_base_s + rows * sum(self.select_ns[kind] for kind in kinds) * 1e-9


@dataclass(frozen=True)
class Choice:
    wait: bool
    select_s: float  # what selecting this page is expected to cost
    remaining_s: float | None  # when the build is expected to end (None: none is running)

    budget_s: float = 0.0  # how long the page waits for the build before it selects after all

    @property
    def wait_budget_s(self) -> float:
        return self.budget_s if self.wait else 0.0


def choose(model: CostModel, rows: int, kinds: Sequence[str], build_elapsed_s: float | None,
           measured_select_s: float | None = None) -> Choice:
    """Wait for the full order being built, or select around the window.

    ``rows``: the view's row count; ``kinds``: the sort keys' ``cost_kind``;
    ``build_elapsed_s``: how long the build has run (None: not running, e.g. only queued
    behind another, where waiting would mean building it all); ``measured_select_s``: what a
    selection of this view took when last measured (None: use the model).
    """
    select = (measured_select_s if measured_select_s is not None
              else model.select_seconds(rows, kinds))
    if build_elapsed_s is None:
        return Choice(False, select, None)
    build = model.build_seconds(rows, kinds)
    remaining = build - build_elapsed_s
    if is_short(model, rows, kinds):
        # A short build is waited for until its expected end plus one selection's worth (a
        # busy machine runs late), never past: then the page selects after all.
        return Choice(True, select, remaining, max(remaining, 0.0) + select)
    return Choice(0.0 <= remaining <= select, select, remaining, select)


def is_short(model: CostModel, rows: int, kinds: Sequence[str]) -> bool:
    """Whether the view's full order is cheap enough to start at once and wait for."""
    return model.build_seconds(rows, kinds) <= model.short_build_s
