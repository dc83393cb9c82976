"""Freed column-sized blocks go back to the system (issue 14): with malloc's mmap threshold
fixed, a block of 1 MiB or more is mapped on its own even after a bigger one was freed (which
otherwise raises glibc's dynamic threshold and puts the next blocks in a heap arena)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from dtale_lite.frames.memory import OPT_OUT_VAR, _glibc, serve_large_blocks_by_mmap

pytestmark = pytest.mark.skipif(_glibc() is None, reason="glibc's malloc only")

PROBE = textwrap.dedent("""
    import ctypes, sys
    from dtale_lite.frames.memory import serve_large_blocks_by_mmap

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks",
                    "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    applied = serve_large_blocks_by_mmap() if sys.argv[1] == "tuned" else False
    libc.free(libc.malloc(8 << 20))  # freeing a mapped 8 MiB block raises the dynamic threshold
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(2 << 20)
    mapped = libc.mallinfo2().hblkhd - before
    libc.free(block)
    print(applied, mapped >= 2 << 20)
""")


def _probe(mode: str) -> str:
    # Without glibc's MALLOC_* variables: setting any of them (distributed sets
    # MALLOC_TRIM_THRESHOLD_ when a LocalCluster starts) also turns the dynamic threshold off.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    return subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                          check=True, env=env).stdout.strip()


def test_a_freed_large_block_no_longer_moves_the_next_ones_into_the_heap():
    assert _probe("plain") == "False False"  # glibc's default: the 2 MiB block is in a heap
    assert _probe("tuned") == "True True"    # fixed threshold: mapped on its own


def test_the_tuning_can_be_turned_off():
    assert serve_large_blocks_by_mmap(environ={OPT_OUT_VAR: "0"}) is False
