"""Finding the rows at a given rank of a sorted view, from sorted runs kept on the cluster.

Each partition's kept rows, sorted by the view's keys and then by row, form a *run* that stays
on the workers (``dask_parts.Run``). The view's order is the merge of the runs, and the rows at
ranks ``offset..end`` are found without moving the runs: a sample of every run (every s-th key,
a few thousand per run, fetched once per view) brackets the window between two sample keys
``low`` and ``high``; each run then returns how many of its rows sort at or before ``low`` and
its keys in ``(low, high]`` (a binary search and a slice, on the worker); the few thousand keys
that come back are merged here. Two round trips per page, O(sample + window) data each.

Why not ``sort_values`` (a shuffle of every row to sort by key, then row): it moves the whole
frame between workers and rebuilds partitions for every new sort, seconds to minutes, where the
runs cost one sort per partition in place and nothing moves.

The bracket comes from the sample: if run i has m samples at or before key x (stride s_i, n_i
rows), at least (m - 1) s_i + 1 and at most min(m s_i, n_i) of its rows sort at or before x
(none when m is 0: a run's first sample is its first row).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

SAMPLES_PER_RUN = 2_048
MIN_STRIDE = 64  # a sample is at most 1/64 of a run's keys, however small the run


def stride_for(size: int, per_run: int, min_stride: int) -> int:
    """Every how many keys a run of ``size`` is sampled (``per_run`` samples, or fewer)."""
    return max(min_stride, -(-size // per_run))


@dataclass
class Bracket:
    """The merged samples of every run, with bounds on how many rows sort at or before each."""

    keys: list  # sample keys in view order
    at_least: list[int]  # rows sorting at or before keys[j]: a lower bound ...
    at_most: list[int]  # ... and an upper bound (both non-decreasing in j)

    @classmethod
    def build(cls, samples: list[list], sizes: list[int], strides: list[int]) -> "Bracket":
        merged = sorted(((key, run) for run, keys in enumerate(samples) for key in keys),
                        key=lambda pair: pair[0])
        seen = [0] * len(sizes)
        at_least, at_most, low, high = [], [], 0, 0
        for _, run in merged:
            m, s, n = seen[run] + 1, strides[run], sizes[run]
            seen[run] = m
            # Replace run's previous contribution to both bounds with the one for m samples.
            low += ((m - 1) * s + 1) - (((m - 2) * s + 1) if m > 1 else 0)
            high += min(m * s, n) - (min((m - 1) * s, n) if m > 1 else 0)
            at_least.append(low)
            at_most.append(high)
        return cls([key for key, _ in merged], at_least, at_most)

    def around(self, offset: int, end: int) -> tuple:
        """(low, high): sample keys with at most ``offset`` rows at or before ``low`` and at
        least ``end`` at or before ``high`` (None: the view's start / end)."""
        j = bisect_right(self.at_most, offset) - 1
        low = self.keys[j] if j >= 0 else None
        k = bisect_left(self.at_least, end)
        high = self.keys[k] if k < len(self.keys) else None
        return low, high


def pick(starts: list[int], between: list[list], offset: int, end: int) -> list[tuple]:
    """The keys at ranks offset..end from each run's (rows before, keys in range)."""
    base = sum(starts)
    keys = sorted(key for keys in between for key in keys)
    if not base <= offset or base + len(keys) < end:  # cannot happen if the bracket holds
        raise RuntimeError("sorted runs changed under the view")
    return keys[offset - base:end - base]
