"""The inner loop of reading word2vec binary files, compiled with numba.

A record is ``word`` (bytes up to a space), a space, ``4 * d`` bytes of float32 and usually a
newline (read as the start of the next word and skipped). Finding where each record starts needs
the length of every word before it, a loop over the records that Python runs at ~1 µs a record;
here it runs over the bytes of a block, copying each vector straight into its row of the result
and checking there that it holds no NaN or infinity (no second pass over the array).
"""

from __future__ import annotations

import numpy as np
from numba import njit

SPACE = 32
NEWLINE = 10
RETURN = 13
EXPONENT = 0x7F800000  # a float32's exponent bits: all set for NaN and the infinities


@njit(nogil=True, cache=True)
def scan_records(
    buf: np.ndarray,
    pos: int,
    records: int,
    need: int,
    max_word: int,
    out: np.ndarray,
    out_bits: np.ndarray,
    row: int,
    word_starts: np.ndarray,
    word_ends: np.ndarray,
    newline_before: np.ndarray,
) -> tuple[int, int, int]:
    """Scan up to ``records`` whole records of ``buf`` (uint8) from ``pos``, copying each vector's
    bytes into ``out`` (uint8 rows of ``need`` bytes) from ``row`` on and each word's byte range
    into ``word_starts`` / ``word_ends`` (``newline_before``: whether newlines preceded the word).
    ``out_bits`` is ``out`` seen as uint32 (a row's little-endian float32 bit patterns).

    Returns ``(records scanned, position after them, status)``; status 0: stopped at the end of
    ``buf`` or after ``records``; 1: a word longer than ``max_word`` bytes (a damaged file); 2:
    the vector of the record after those scanned holds NaN or infinity (its word's range is
    stored).
    """
    n = buf.shape[0]
    k = 0
    while k < records:
        start = pos
        while start < n and (buf[start] == NEWLINE or buf[start] == RETURN):
            start += 1
        end = start
        while end < n and buf[end] != SPACE:
            end += 1
            if end - start > max_word:
                return k, pos, 1
        if end + 1 + need > n:
            break
        word_starts[k] = start
        word_ends[k] = end
        newline_before[k] = start > pos
        target = out[row + k]
        source = end + 1
        for j in range(need):
            target[j] = buf[source + j]
        bits = out_bits[row + k]
        special = 0
        for j in range(bits.shape[0]):
            special |= (bits[j] & EXPONENT) == EXPONENT
        if special:
            return k, pos, 2
        pos = end + 1 + need
        k += 1
    return k, pos, 0


@njit(nogil=True, cache=True)
def gather_words(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, out: np.ndarray) -> int:
    """Copy the words ``buf[starts[i]:ends[i]]`` into ``out`` separated by spaces (words of a
    binary file hold no space); returns the bytes written."""
    at = 0
    for i in range(starts.shape[0]):
        if i:
            out[at] = SPACE
            at += 1
        for j in range(starts[i], ends[i]):
            out[at] = buf[j]
            at += 1
    return at
