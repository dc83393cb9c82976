"""Strings as sequences of 4-byte numbers, so that they sort with numpy's integer sort.

Python and pandas order strings by code point, which is the byte order of their UTF-8 form.
Cut that form into big-endian 4-byte "digits", zero-padded after the end, and the strings
compare exactly as their digit sequences do (a string that holds a NUL byte would tie with its
prefix, so then the byte length is one more, last digit). That turns a string sort into a few
passes of numpy's SIMD integer sort (an LSD radix sort over digits), several times faster than
Arrow's or pandas' comparison sorts on 10M short strings. The first page of a string sort needs
no digits: one pass of Arrow's top-k selection finds it (``split_top``).

Digits are read straight from the Arrow buffers of the (non-null) strings, so nothing here
builds a Python string per row.
"""
from __future__ import annotations

import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Strings longer than this (in bytes) are sorted by Arrow instead: past ~16 digits the passes
# cost more than Arrow's comparison sort.
MAX_RADIX_BYTES = 64
# Masks that keep the first 0..4 bytes of a big-endian digit.
_KEEP = np.array([0, 0xFF000000, 0xFFFF0000, 0xFFFFFF00, 0xFFFFFFFF], dtype=np.uint32)


def as_arrow_strings(values) -> pa.Array:
    """A single-chunk Arrow (large_)string array for pandas string data (no copy when it is
    Arrow-backed already). Raises pa.ArrowException/TypeError for non-string data."""
    arr = pa.array(values)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    return arr


class StringDigits:
    """The digits of every string of an Arrow string array (row i is ``arr[i]``)."""

    def __init__(self, arr: pa.Array):
        self.arr = arr
        offset_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
        buffers = arr.buffers()
        # Views of Arrow's buffers: nothing here copies the strings.
        self.offsets = np.frombuffer(buffers[1], dtype=offset_type)[
            arr.offset:arr.offset + len(arr) + 1]
        data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else \
            np.empty(0, dtype=np.uint8)
        if data.size == 0:
            data = np.zeros(1, dtype=np.uint8)
        self.data = data
        lengths = np.diff(self.offsets)
        self.max_length = int(lengths.max(initial=0))
        used = data[int(self.offsets[0]):int(self.offsets[-1])] if len(arr) else data[:0]
        self.has_nul = bool((used == 0).any())
        self.prefix = _common_prefix(arr)
        self.nbytes = 64  # it holds views only (the cache counts bytes)

    @property
    def text_digits(self) -> int:
        return -(-(self.max_length - self.prefix) // 4)

    @property
    def digit_count(self) -> int:
        return self.text_digits + (1 if self.has_nul else 0)

    def digit(self, j: int, rows: np.ndarray | None, descending: bool = False) -> np.ndarray:
        """uint32 digit ``j`` of the strings at ``rows`` (all rows for None); inverted for a
        descending order, so that a smaller digit still means "comes first"."""
        if rows is not None and rows.size * 4 >= self.offsets.size:
            # Reading the strings in row order and then gathering one 4-byte digit per row
            # beats six random reads per row (offsets, ends and four bytes) by ~2x.
            return self.digit(j, None, descending)[rows]
        if rows is None:
            starts, lengths = self.offsets[:-1].astype(np.int64), np.diff(self.offsets)
        else:
            starts = self.offsets[rows].astype(np.int64)
            lengths = self.offsets[rows + 1] - starts
        if j >= self.text_digits:  # the length digit (only when a string holds a NUL byte)
            out = lengths.astype(np.uint32)
        else:
            skip = self.prefix + 4 * j  # digits start after the prefix every string shares
            out = self._read(starts + skip)
            remaining = lengths - skip
            np.clip(remaining, 0, 4, out=remaining)
            out &= _KEEP[remaining]
        if descending:
            np.invert(out, out=out)
        return out

    def _read(self, at: np.ndarray) -> np.ndarray:
        """Big-endian uint32 of the 4 bytes at each offset in ``at`` (bytes past the buffer
        read as its last byte; the caller masks bytes past each string's end)."""
        # Four 1-byte gathers: ~2.5x faster than one gather of 4-byte rows of a strided view.
        out = np.take(self.data, at, mode="clip").astype(np.uint32)
        for _ in range(3):
            at += 1
            out <<= 8
            out |= np.take(self.data, at, mode="clip")
        return out


def _common_prefix(arr: pa.Array) -> int:
    """Bytes every non-null string starts with: those of the smallest and the largest string
    (any string between two others in byte order shares their common prefix). Digits inside
    it would be the same on every row, so they are never read."""
    if len(arr) == arr.null_count:
        return 0
    extremes = pc.min_max(arr)
    low = extremes["min"].as_py().encode("utf-8")
    high = extremes["max"].as_py().encode("utf-8")
    return len(os.path.commonprefix([low, high]))


def _index_bits(size: int) -> int:
    return max(int(size - 1).bit_length(), 1)


def radix_order(digits: StringDigits, rows: np.ndarray, descending: bool,
                check=lambda: None, kept: list | None = None) -> np.ndarray:
    """Positions into ``rows`` that sort those strings stably (LSD radix over the digits).

    ``rows`` are row numbers of non-null strings; ``check`` is called between passes (it
    raises to stop an order nobody waits for any more). ``kept``, if given, receives every
    digit that varies (indexed like ``rows``), for finding runs of equal strings afterwards.
    """
    size = rows.size
    order = np.arange(size, dtype=np.int64)
    if size < 2:
        return order
    if digits.max_length > MAX_RADIX_BYTES:
        taken = digits.arr.take(pa.array(rows))
        keys = [("x", "descending" if descending else "ascending")]
        table = pa.table({"x": taken})
        return np.asarray(pc.sort_indices(table, sort_keys=keys)).astype(np.int64)
    bits = _index_bits(size)
    mask = np.int64((1 << bits) - 1)
    positions = np.arange(size, dtype=np.int64)
    identity = True  # until the first pass, ``order`` is 0..size-1: no gather needed
    for j in reversed(range(digits.digit_count)):
        check()
        digit = digits.digit(j, rows, descending)
        if digit.min() == digit.max():
            continue  # a common prefix ("user_...") orders nothing
        if kept is not None:
            kept.append(digit)
        packed = (digit if identity else digit[order]).astype(np.int64)
        packed <<= bits
        packed |= positions
        packed.sort()  # unique keys, so the fast unstable sort is stable here
        packed &= mask
        order = packed if identity else order[packed]
        identity = False
    return order


def distinct_counts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """(first row of each distinct non-null string, how often it occurs), in sorted order of
    the strings; None when the strings are too long for the radix sort.

    For many distinct values this beats a hash table (Arrow's ``value_counts``): with millions
    of distinct strings every hash probe misses the CPU cache, while the radix passes stream.
    The sort is stable, so each run of equal strings starts at its first appearance.
    """
    digits = StringDigits(arr)
    if digits.max_length > MAX_RADIX_BYTES:
        return None
    present = (np.flatnonzero(np.asarray(arr.is_valid())).astype(np.int64) if arr.null_count
               else np.arange(len(arr), dtype=np.int64))
    if present.size == 0:
        return present, present.copy()
    kept: list[np.ndarray] = []
    order = radix_order(digits, present, False, kept=kept)
    change = np.zeros(present.size, dtype=bool)
    change[0] = True
    for digit in kept:
        ranked = digit[order]
        change[1:] |= ranked[1:] != ranked[:-1]
    starts = np.flatnonzero(change)
    return present[order[starts]], np.diff(starts, append=present.size)


def most_frequent(arr: pa.Array, top: int) -> tuple[int, list[tuple[int, int]]] | None:
    """(distinct count, [(first row, count)] of the ``top`` most frequent strings, ties in
    order of first appearance as Arrow's ``value_counts`` lists them), by the radix sort, for
    columns of many distinct strings (a hash table of millions of strings misses the cache on
    every probe); None for the others, which ``value_counts`` counts faster."""
    sample_size = 10_000
    if len(arr) < 4 * sample_size:
        return None
    sample = arr.take(pa.array(np.linspace(0, len(arr) - 1, sample_size).astype(np.int64)))
    if len(pc.unique(sample)) < sample_size // 10:
        return None
    counted = distinct_counts(arr)
    if counted is None:
        return None
    firsts, counts = counted
    if counts.size > top > 0:
        threshold = np.partition(counts, counts.size - top)[counts.size - top]
        above = np.flatnonzero(counts > threshold)
        tied = np.flatnonzero(counts == threshold)
        wanted = top - above.size
        if tied.size > wanted:
            tied = tied[np.argpartition(firsts[tied], wanted - 1)[:wanted]] if wanted else \
                tied[:0]
        candidates = np.concatenate((above, tied))
    else:
        candidates = np.arange(counts.size if top else 0)
    candidates = candidates[np.lexsort((firsts[candidates], -counts[candidates]))][:top]
    return int(counts.size), [(int(firsts[c]), int(counts[c])) for c in candidates]


def _compare(arr: pa.Array, op, value, present: np.ndarray | None) -> np.ndarray:
    """``op(string, value)`` for the rows ``present`` (None: every row) as a numpy bool array,
    null -> False. Past an eighth of the column, comparing every row and keeping those of
    ``present`` costs less than copying their strings out first."""
    if present is None or present.size * 8 >= len(arr):
        result = op(arr, value)
        result = np.asarray(result.fill_null(False) if result.null_count else result)
        return result if present is None else result[present]
    result = op(arr.take(pa.array(present)), value)
    return np.asarray(result.fill_null(False) if result.null_count else result)


def split_guessed(arr: pa.Array, present: np.ndarray | None, k: int, descending: bool):
    """``split_top`` through a string guessed from a strided sample to have a few times k
    strings before it: one comparison over the column (Arrow's, ~40 ms for 10M strings)
    narrows it to the rows at or before the guess, and only those are copied out. None when
    the column is small or the guess falls short (the caller then splits all of it).
    ``present`` None stands for every row."""
    size = len(arr) if present is None else present.size
    if size < 65_536 or k * 16 > size:
        return None
    sampled = np.arange(0, len(arr), len(arr) // 32_768) if present is None else \
        present[::present.size // 32_768]
    sample = arr.take(pa.array(sampled)).drop_null()
    if len(sample) == 0:
        return None
    at = min(len(sample) - 1, int(k * len(sample) / size * 4) + 8)
    direction = "descending" if descending else "ascending"
    first = sample.take(pc.select_k_unstable(sample, k=at + 1, sort_keys=[("x", direction)]))
    guess = (pc.min if descending else pc.max)(first)
    within = _compare(arr, pc.greater_equal if descending else pc.less_equal, guess, present)
    count = int(np.count_nonzero(within))
    if count < k:
        return None
    rows = np.flatnonzero if present is None else (lambda mask: present[mask])
    if count > 64 * k:
        # Many rows equal the guess (few distinct strings): if fewer than k come before it,
        # the guess is the k-th string and one more comparison splits the rows.
        ahead = _compare(arr, pc.greater if descending else pc.less, guess, present)
        if np.count_nonzero(ahead) < k:
            within &= ~ahead
            return rows(ahead), rows(within)
    return split_top(arr, rows(within), k, descending)


def split_top(arr: pa.Array, present: np.ndarray, k: int, descending: bool):
    """(before, tied): of the strings at rows ``present`` (ascending row numbers, non-null,
    more than ``k`` of them), ``before`` sort strictly before the k-th and ``tied`` equal it,
    so len(before) < k <= len(before) + len(tied). Both keep ascending row order.

    Arrow's heap-based ``select_k_unstable`` finds the k-th string in one pass (no order among
    ties is needed: every row equal to it is returned as tied).
    """
    sub = arr if present.size == len(arr) else arr.take(pa.array(present))
    direction = "descending" if descending else "ascending"
    first_k = sub.take(pc.select_k_unstable(sub, k=k, sort_keys=[("x", direction)]))
    threshold = (pc.min if descending else pc.max)(first_k)
    ahead = (pc.greater if descending else pc.less)(sub, threshold)
    ahead = np.asarray(ahead.fill_null(False)) if ahead.null_count else np.asarray(ahead)
    tied = np.asarray(pc.equal(sub, threshold).fill_null(False))
    return present[ahead], present[tied]
