"""Giving back to the system the memory a large stage freed, before the next stage allocates.

glibc's malloc keeps freed memory in the arena of the thread that freed it, for that thread to
reuse. A big map's stages run on different threads (the neighbour index's build, t-SNE's worker,
placement, the kernel's queries), so what one stage frees is not reused by the next, and the
process's resident set grows by it. ``malloc_trim(0)`` returns the free pages of every arena.
Elsewhere (macOS, Windows, musl's malloc) :func:`release_free_memory` does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable


def _load_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` through ctypes, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_MALLOC_TRIM = _load_malloc_trim()


def release_free_memory() -> bool:
    """Return freed heap memory to the system (glibc); True if some was returned."""
    return _MALLOC_TRIM is not None and bool(_MALLOC_TRIM(0))
