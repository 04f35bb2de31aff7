"""word2vec rows formatted by numba into one byte buffer: a loop per number in machine code.

The same rule as :mod:`.writer`'s numpy path (whose docstring explains it): a value with
``1e-4 <= |x| < 1e6`` is written with the fewest decimals ``d`` (at least one shown) whose
float64 ``rint(|x| * 10**d) / 10**d`` reads back as the same float32, found by the same
four-step bisection (so both paths pick the same ``d``), the digits written straight into the
buffer.
Other values (zero, tiny, huge, non-finite, powers of two) come in as strings the caller made
with ``str``; a row holding a value with no such ``d`` up to 12 is left out and flagged, for the
caller to write by ``str``. Compiled on a
machine's first save and cached on disk (``cache=True``) as the training kernel is.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MAX_DECIMALS = 12
POW10 = 10.0 ** np.arange(MAX_DECIMALS + 1)
NUMBER_BYTES = 2 + 7 + 1 + MAX_DECIMALS  # " -" + integer digits (< 1e6, rounded) + "." + decimals


@njit(nogil=True, cache=True)
def _write_number(x: np.float32, out: np.ndarray, pos: int) -> int:
    """Write ``" " + str(x)`` at ``pos``; return the new end, or -1 if no ``d <= 12`` fits."""
    mag = abs(np.float64(x))
    target = np.float32(mag)
    lo, hi = 0, MAX_DECIMALS + 1
    for _ in range(4):  # the numpy path's bisection, so both pick the same d
        mid = (lo + hi) >> 1
        if np.float32(np.rint(mag * POW10[mid]) / POW10[mid]) == target:
            hi = mid
        else:
            lo = mid + 1
    d = lo
    if d > MAX_DECIMALS:
        return -1
    scaled = np.int64(np.rint(mag * POW10[d]))
    out[pos] = 32
    pos += 1
    if x < 0:
        out[pos] = 45
        pos += 1
    shown = max(d, 1)
    number = scaled * 10 if d == 0 else scaled  # "2.0": one decimal at least
    integer = number // np.int64(POW10[shown])
    n_int = 1
    probe = integer
    while probe >= 10:
        probe //= 10
        n_int += 1
    end = pos + n_int + 1 + shown
    k = end - 1
    for _ in range(shown):
        out[k] = 48 + number % 10
        number //= 10
        k -= 1
    out[k] = 46
    k -= 1
    for _ in range(n_int):
        out[k] = 48 + number % 10
        number //= 10
        k -= 1
    return end


@njit(nogil=True, cache=True)
def text_rows(
    names: np.ndarray,
    name_ends: np.ndarray,
    block: np.ndarray,
    fast: np.ndarray,
    others: np.ndarray,
    other_ends: np.ndarray,
    written: np.ndarray,
):
    """``word v1 v2 ...\n`` of every row, concatenated: values with ``fast`` set formatted here,
    the others copied from ``others`` (their strings end to end, in row order). Returns the
    buffer, its length, and each row's end in it; a row with a fast value that no ``d <= 12``
    fits takes no bytes and has ``written`` cleared, for the caller to write by ``str``."""
    n, dim = block.shape
    out = np.empty(len(names) + len(others) + n * (dim * NUMBER_BYTES + 1), dtype=np.uint8)
    ends = np.empty(n, dtype=np.int64)
    pos = 0
    start = 0
    other = 0  # the next of ``others``
    for i in range(n):
        stop = name_ends[i]
        row_start, row_other = pos, other
        for k in range(start, stop):
            out[pos] = names[k]
            pos += 1
        for j in range(dim):
            if fast[i, j]:
                pos = _write_number(block[i, j], out, pos)
                if pos < 0:
                    break
            else:
                out[pos] = 32
                pos += 1
                first = other_ends[other - 1] if other else 0
                for k in range(first, other_ends[other]):
                    out[pos] = others[k]
                    pos += 1
                other += 1
        if pos < 0:
            pos = row_start
            written[i] = False
            other = row_other
            for j in range(dim):
                other += not fast[i, j]
        else:
            out[pos] = 10
            pos += 1
        ends[i] = pos
        start = stop
    return out, pos, ends


@njit(nogil=True, cache=True)
def binary_rows(names: np.ndarray, name_ends: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """``word`` + space + the row's float32 bytes + newline for each row, concatenated."""
    n, row_bytes = vectors.shape
    out = np.empty(len(names) + n * (row_bytes + 2), dtype=np.uint8)
    pos = 0
    start = 0
    for i in range(n):
        stop = name_ends[i]
        out[pos : pos + stop - start] = names[start:stop]
        pos += stop - start
        out[pos] = 32
        out[pos + 1 : pos + 1 + row_bytes] = vectors[i]
        out[pos + 1 + row_bytes] = 10
        pos += row_bytes + 2
        start = stop
    return out
