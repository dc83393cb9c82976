"""Hand memory freed by a big computation back to the operating system.

A sort or a describe of a large column allocates temporaries as long as the column. When they
are freed, glibc's malloc keeps the pages of those under its (dynamic, up to 32 MB) mmap
threshold in its heap, and Arrow's mimalloc pool keeps its own; the user's process (we run
inside it) then looks tens of MB bigger after every click in the grid, and those leftovers add
up under the peak of the next computation. Trimming after each one keeps the process near
"frame + cached results". Both calls only release memory that is already free.

Trimming is not enough when many threads compute at once (Werkzeug runs a thread per request):
glibc gives threads arenas of their own and a freed block inside an arena, below the others'
live blocks, cannot be trimmed. Measured in-process under load (8 clients, 1M rows, issue 14):
the arenas held 210-330 MB free while 60-150 MB were in use, and kept 273 MB after the load.
``serve_large_blocks_by_mmap`` fixes malloc's mmap threshold at 1 MiB: every array of 1 MiB or
more gets pages of its own, returned to the system the moment it is freed (arenas then held
16-21 MB free; the process grew 45 MB after the load instead of 205 MB, same run).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import lru_cache

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc's malloc.h)
LARGE_BLOCK = 1 << 20
OPT_OUT_VAR = "DTALE_LITE_MALLOC_TUNING"  # "0": leave the process's malloc as it is


@lru_cache(maxsize=1)
def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # glibc only; musl has neither
        return libc
    except (OSError, AttributeError):
        return None


def _malloc_trim():
    libc = _glibc()
    return None if libc is None else libc.malloc_trim


def serve_large_blocks_by_mmap(threshold: int = LARGE_BLOCK, environ=os.environ) -> bool:
    """Have glibc serve every allocation of ``threshold`` bytes or more by its own mmap (so a
    freed column-sized temporary goes back to the system at once, whatever thread freed it).
    Called when a viewer server starts in the process; ``DTALE_LITE_MALLOC_TUNING=0`` opts
    out. Returns whether it applied (False off glibc). Process-wide: small allocations, which
    are most of any program's, are untouched; large ones cost a page fault per page of first
    use, as they already do above glibc's default threshold."""
    libc = _glibc()
    if libc is None or environ.get(OPT_OUT_VAR, "").strip() == "0":
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, int(threshold)))


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
