"""Mapping a fresh array's pages ahead of the code that fills it, on another thread.

The first write to each 4 KB page of a fresh array costs a page fault; for a 3.4 GB array
(3M x 300 float32) that was most of a load's kernel time. :class:`Prefault` asks Linux (5.14 or
later) to map the pages in bulk, ``madvise(MADV_POPULATE_WRITE)`` a slice at a time, from a
background thread: ctypes releases the GIL during the call, so the kernel's work runs on another
core while the reader parses. Elsewhere (macOS, Windows, older kernels, no ctypes) it does
nothing and the reader's own writes fault the pages in, as with a plain ``np.empty``.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
import threading
from collections.abc import Callable

import numpy as np

MADV_POPULATE_WRITE = 23  # linux/mman-common.h, Linux 5.14+
MIN_BYTES = 1 << 26  # smaller arrays are filled faster than a thread starts
_SLICE = 1 << 26  # bytes mapped per call: the thread stops within one slice when told


def _load_madvise() -> Callable[[int, int, int], int] | None:
    """libc's ``madvise`` through ctypes (which releases the GIL while it runs), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):  # pragma: no cover - no libc symbols in this process
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise


_MADVISE = _load_madvise()


class Prefault:
    """Map the pages of ``array`` (C-contiguous, writeable) from a background thread until they
    are all mapped or :meth:`stop` is called. Call :meth:`stop` before the array is resized or
    freed (it waits for the thread). ``enabled=False`` does nothing."""

    def __init__(self, array: np.ndarray, enabled: bool = True):
        self.madvise = _MADVISE
        self.mapped = 0  # bytes mapped so far
        self.supported: bool | None = None  # False once the kernel refused the call
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if not enabled or self.madvise is None or array.nbytes < MIN_BYTES or not array.flags.c_contiguous:
            return
        page = mmap.PAGESIZE
        start = array.ctypes.data
        first = start - start % page  # the page holding the first byte: same mapping
        self._range = (first, start + array.nbytes)
        self._array: np.ndarray | None = array  # kept alive while its pages are being mapped
        self._thread = threading.Thread(target=self._run, name="w2v-prefault", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        at, end = self._range
        while at < end and not self._stop.is_set():
            size = min(_SLICE, end - at)
            if self.madvise(at, size, MADV_POPULATE_WRITE) != 0:  # EINVAL before Linux 5.14
                self.supported = False
                return
            self.supported = True
            at += size
            self.mapped += size

    def stop(self) -> None:
        """Stop mapping pages and wait for the thread (at most one slice's call)."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = self._array = None
