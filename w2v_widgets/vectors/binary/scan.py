"""Finding the records of a word2vec binary file, a block at a time, with no Python loop per record.

A record is ``word`` (bytes up to a space), a space, ``4 * d`` bytes of float32 and usually a
newline (read as the start of the next word). :func:`split_records` cuts a block with
``re.split`` and a pattern matching one whole record: the newlines before the word, the word, the
space and ``.{4d}``, the vector's bytes, which the regex engine skips in one step. The gaps that
``re.split`` returns between matches are all empty exactly when the records follow each other,
so an empty set of gaps proves that the cut is the record-by-record reading. A block where that
does not hold (a damaged file, a word of 256 bytes or more, a carriage return) is read by
:func:`scan_records`, one record at a time, which finds what is wrong. :func:`copy_vectors`
then copies each vector into its row of the result, many rows per numpy call.
"""

from __future__ import annotations

import functools
import re

import numpy as np

NEWLINES = b"\r\n"
_FAST_WORD_BYTES = 255  # longer words are read by scan_records
_COPY_ROWS = 2048  # vectors gathered per numpy call (a few MB in flight)


@functools.lru_cache(maxsize=8)
def _record_pattern(need: int) -> re.Pattern[bytes]:
    """One record of ``need`` vector bytes: its word, with the newlines before it, captured."""
    return re.compile(rb"([\r\n]*[^ \r\n][^ \n]{0,%d}) .{%d}" % (_FAST_WORD_BYTES - 1, need), re.DOTALL)


def split_records(block: memoryview, need: int, records: int) -> list[bytes] | None:
    """The words (each with the newlines before it) of the whole records at the start of
    ``block``, at most ``records`` of them; None unless they follow each other from its first byte
    as :func:`scan_records` would read them (then it must read the block)."""
    parts = _record_pattern(need).split(block, records)
    if any(parts[0:-1:2]):  # bytes between two records, or before the first
        return None
    return parts[1::2]


def scan_records(
    buf: bytearray, pos: int, end: int, records: int, need: int, max_word: int
) -> tuple[list[int], list[int], list[bool], int, int]:
    """Read up to ``records`` whole records of ``buf[:end]`` from ``pos``, one at a time: where
    each word starts and ends, whether newlines came before it, the position after the records,
    and a status: 0, stopped at the end of the bytes or after ``records``; 1, no space within
    ``max_word`` bytes of a word's start (a damaged file)."""
    starts: list[int] = []
    ends: list[int] = []
    newline_before: list[bool] = []
    while len(starts) < records:
        start = pos
        while start < end and buf[start] in NEWLINES:
            start += 1
        space = buf.find(b" ", start, min(end, start + max_word + 1))
        if space < 0:
            return starts, ends, newline_before, pos, int(end - start > max_word)
        if space + 1 + need > end:
            break
        starts.append(start)
        ends.append(space)
        newline_before.append(start > pos)
        pos = space + 1 + need
    return starts, ends, newline_before, pos, 0


def copy_vectors(buf: bytearray, end: int, vector_starts: np.ndarray, need: int, out: np.ndarray) -> None:
    """Copy the ``need`` bytes at each of ``vector_starts`` in ``buf[:end]`` into the rows of
    ``out`` (uint8, ``(len(vector_starts), need)``)."""
    data = np.frombuffer(buf, np.uint8, count=end)
    windows = np.lib.stride_tricks.as_strided(data, (end - need + 1, need), (1, 1), writeable=False)
    for at in range(0, len(vector_starts), _COPY_ROWS):
        out[at : at + _COPY_ROWS] = windows[vector_starts[at : at + _COPY_ROWS]]
