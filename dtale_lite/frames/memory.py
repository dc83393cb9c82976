"""Hand memory freed by a big computation back to the operating system.

A sort or a describe of a large column allocates temporaries as long as the column. When they
are freed, glibc's malloc keeps the pages of those under its (dynamic, up to 32 MB) mmap
threshold in its heap, and Arrow's mimalloc pool keeps its own; the user's process (we run
inside it) then looks tens of MB bigger after every click in the grid, and those leftovers add
up under the peak of the next computation. Trimming after each one keeps the process near
"frame + cached results". Both calls only release memory that is already free.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only; musl has none
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        try:
            arrow.default_memory_pool().release_unused()
        except Exception:  # noqa: BLE001 - an allocator without release_unused is fine too
            pass
