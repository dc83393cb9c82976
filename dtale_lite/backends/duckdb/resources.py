"""DuckDB's memory limit and threads for files read in place, when the user gives none: chosen
from the files and the machine (issue 14), not a fixed 2 GB.

Why: reading in place is worth it only if it costs well under what loading would. Loading
costs at least the data's size (Parquet is compressed: the 10M-row benchmark file is 712 MiB on
disk and 952 MiB as a pandas frame). DuckDB spills sorts and hash tables to its temporary
directory once its buffer pool reaches ``memory_limit``, so the limit is what the engine's
share of the process can grow to; with 2 GB the 10M-row run peaked at 0.89 x the pandas frame
(describe's hash tables and sorts filled the pool, and the allocator kept the pages after).

The rule (``choose``, pure; ``machine()`` reads the machine):
- memory limit: a quarter of the files' bytes, at least ``FLOOR`` (what DuckDB's operators
  need to work at all: a hash aggregate or a sort of 10M rows ran at 128 MiB) and at most
  the lower of ``CEILING`` and a quarter of the memory available. Past 4 GiB of files the
  ceiling holds: the 100M-row file (7.5 GB) ran every page, sort, filter and describe
  under a 1 GiB limit within a 2 GiB resident cap, and a larger pool buys only speed;
- threads: the cores, at most one per Parquet row group (a second thread has nothing to
  read in a one-row-group file, and each thread holds its own buffers), and at most one per
  ``THREAD_MEMORY`` of the limit. DuckDB's guides ask ~125 MB a thread; this viewer's
  queries (hash aggregates of 10M distinct values, the sort of 10M rows) ran with two
  threads under 128 MiB, and on the 10M-row run a second thread under the 177 MiB limit
  cost 10-15 MiB of peak and made describe 1.5-2x faster.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

MiB = 2**20
FLOOR = 128 * MiB
CEILING = 1024 * MiB
FILE_SHARE = 4  # the limit is the files' bytes over this
AVAILABLE_SHARE = 4  # and at most the available memory over this
THREAD_MEMORY = 64 * MiB
ROW_GROUP_ROWS = 122_880  # DuckDB's (and Polars') Parquet row group size


@dataclass(frozen=True)
class Machine:
    available_bytes: int  # memory available to this process now
    cores: int  # cores this process may run on


@dataclass(frozen=True)
class Resources:
    memory_limit: int  # bytes
    threads: int

    @property
    def memory_setting(self) -> str:
        """The limit as DuckDB's ``memory_limit`` setting reads it."""
        return f"{max(self.memory_limit // MiB, 1)}MiB"


def choose(file_bytes: int, rows: int | None, machine: Machine) -> Resources:
    """DuckDB's memory limit and threads for files of ``file_bytes`` bytes holding ``rows``
    rows (None: not known, e.g. CSV) on ``machine``; see the module's docstring."""
    ceiling = max(min(CEILING, machine.available_bytes // AVAILABLE_SHARE), FLOOR)
    limit = min(max(file_bytes // FILE_SHARE, FLOOR), ceiling)
    threads = max(machine.cores, 1)
    if rows is not None:
        threads = min(threads, max(math.ceil(rows / ROW_GROUP_ROWS), 1))
    threads = max(min(threads, limit // THREAD_MEMORY), 1)
    return Resources(limit, threads)


def machine() -> Machine:
    """This machine as ``choose`` sees it: memory available (the kernel's MemAvailable, or
    less under a cgroup limit) and the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return Machine(_available_memory(), cores)


def _available_memory() -> int:
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if available is None:
        try:
            available = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            available = 4 * 1024 * MiB  # unknown: assume a small machine
    try:  # a container's own limit (cgroup v2)
        with open("/sys/fs/cgroup/memory.max") as cap, \
                open("/sys/fs/cgroup/memory.current") as used:
            text = cap.read().strip()
            if text.isdigit():
                available = min(available, int(text) - int(used.read().strip()))
    except (OSError, ValueError):
        pass
    return max(available, 0)
