"""Words to ids in machine code (numba): a block of text's bytes split, hashed and looked up in
an open-addressing table, with no Python object per token.

The corpus reader (:mod:`.corpus`) hands each block to :func:`encode_block` in one of two forms:

- ``translate`` set: ASCII text as read; each byte goes through the table (upper to lower case,
  everything but letters, digits and apostrophes to a space, ``"\\n"`` to the line end), and an
  apostrophe stays only between two letters or digits: the default tokeniser's ASCII rule
  (:mod:`.tokenizers`).
- ``translate`` None: words already found (by the default tokeniser's regex), UTF-8, separated by
  spaces, with ``LINE_END`` (byte 1) standing alone where a line ends.

Byte 1 ends a line (id -1 in the output) and separates words, as a space does. Words keep their
ids in order of first appearance; equal bytes are the same word (equal UTF-8 is equal text).
Compiled on a machine's first use and cached on disk (``cache=True``) as the training kernel.
"""

from __future__ import annotations

import os

import numpy as np
from numba import njit

from . import numba_start

SPACE, LINE_END_BYTE, APOSTROPHE = 32, 1, 39
_FNV_OFFSET, _FNV_PRIME, _GOLDEN = 14695981039346656037, 1099511628211, 0x9E3779B97F4A7C15


@njit(nogil=True, cache=True)
def _grown(a: np.ndarray, n: int) -> np.ndarray:
    b = np.empty(max(n, 2 * len(a)), a.dtype)
    b[: len(a)] = a
    return b


@njit(nogil=True, cache=True)
def _slot(h: np.uint64, mask: int) -> np.int64:
    """Where a hash's probe starts: its bits mixed, then the high ones (FNV's low bits alone
    cluster in a table indexed by them)."""
    return np.int64(((h ^ (h >> np.uint64(29))) * np.uint64(_GOLDEN) >> np.uint64(32)) & np.uint64(mask))


@njit(nogil=True, cache=True)
def _rehashed(hashes: np.ndarray, n_words: int, size: int) -> np.ndarray:
    slots = np.full(size, -1, np.int32)
    mask = size - 1
    for w in range(n_words):
        s = _slot(hashes[w], mask)
        while slots[s] >= 0:
            s = (s + 1) & mask
        slots[s] = w
    return slots


@njit(nogil=True, cache=True)
def _cleaned(text: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``text`` through ``table``, then each apostrophe without a letter or digit on both sides
    a space (the neighbours as translated: the default tokeniser's lone-apostrophe rule)."""
    out = np.empty(len(text), np.uint8)
    for i in range(len(text)):
        out[i] = table[text[i]]
    n = len(out)
    for i in range(n):
        if out[i] == APOSTROPHE:
            before = out[i - 1] if i > 0 else SPACE
            after = table[text[i + 1]] if i + 1 < n else SPACE
            if not _is_alnum(before) or not _is_alnum(after):
                out[i] = SPACE
    return out


@njit(nogil=True, cache=True)
def _is_alnum(b: np.uint8) -> bool:
    return b != SPACE and b != LINE_END_BYTE and b != APOSTROPHE


@njit(nogil=True, cache=True)
def encode_block(text, slots, hashes, word_bytes, word_ends, n_words, translate, table):
    """Ids of ``text``'s words (-1 where a line ends), adding new words to the table.

    State, returned updated (arrays may be replaced by larger ones): ``slots`` (word id or -1,
    a power of two long), ``hashes`` (each word's), ``word_bytes``/``word_ends`` (word ``w`` is
    ``word_bytes[word_ends[w]:word_ends[w + 1]]``), ``n_words``. Returns ``(ids, n_words,
    slots, hashes, word_bytes, word_ends)``.
    """
    text = _cleaned(text, table) if translate else text.copy()  # a writable array either way
    ids = np.empty(len(text) // 2 + 1, np.int32)
    mask = len(slots) - 1
    n_ids = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == SPACE:
            i += 1
            continue
        if c == LINE_END_BYTE:
            ids[n_ids] = -1
            n_ids += 1
            i += 1
            continue
        start = i
        h = np.uint64(_FNV_OFFSET)
        while i < n and text[i] != SPACE and text[i] != LINE_END_BYTE:
            h = (h ^ np.uint64(text[i])) * np.uint64(_FNV_PRIME)
            i += 1
        length = i - start
        s = _slot(h, mask)
        w = slots[s]
        while w >= 0:
            if hashes[w] == h and word_ends[w + 1] - word_ends[w] == length:
                first = word_ends[w]
                same = True
                for k in range(length):
                    if word_bytes[first + k] != text[start + k]:
                        same = False
                        break
                if same:
                    break
            s = (s + 1) & mask
            w = slots[s]
        if w < 0:  # a new word
            w = n_words
            if n_words + 2 > len(hashes):
                hashes = _grown(hashes, n_words + 2)
                word_ends = _grown(word_ends, n_words + 2)
            end = word_ends[n_words]
            if end + length > len(word_bytes):
                word_bytes = _grown(word_bytes, end + length)
            word_bytes[end : end + length] = text[start:i]
            word_ends[n_words + 1] = end + length
            hashes[n_words] = h
            slots[s] = w
            n_words += 1
            if 2 * n_words > len(slots):  # half full: double the table
                slots = _rehashed(hashes, n_words, 2 * len(slots))
                mask = len(slots) - 1
        ids[n_ids] = w
        n_ids += 1
    return ids[:n_ids], n_words, slots, hashes, word_bytes, word_ends


def _new_state() -> tuple:
    return (
        np.full(1 << 16, -1, np.int32),
        np.zeros(1 << 15, np.uint64),
        np.zeros(1 << 18, np.uint8),
        np.zeros((1 << 15) + 1, np.int64),
    )


class WordTable:
    """The reader's words and their ids across the blocks of one file (:func:`encode_block`'s
    state); ``words`` is extended as new words come."""

    def __init__(self, words: list[str]):
        self.words = words
        self._slots, self._hashes, self._bytes, self._ends = _new_state()
        self._identity = np.arange(256, dtype=np.uint8)

    def ids(self, data: bytes, table: bytes | None) -> np.ndarray:
        """The ids of the words in ``data`` (-1 where a line ends): ASCII text put through
        ``table``, or (``table`` None) words already split by spaces."""
        before = len(self.words)
        translate = np.frombuffer(table, np.uint8) if table is not None else self._identity
        ids, n_words, self._slots, self._hashes, self._bytes, self._ends = encode_block(
            np.frombuffer(data, np.uint8), self._slots, self._hashes, self._bytes, self._ends,
            before, table is not None, translate,
        )  # fmt: skip
        if n_words > before:  # the new words decoded in one call, a space between each two
            ends = self._ends[before : n_words + 1]
            raw = np.insert(self._bytes[ends[0] : ends[-1]], ends[1:-1] - ends[0], SPACE)
            self.words += raw.tobytes().decode("utf-8").split(" ")
        return ids


def in_cache() -> bool:
    """Whether numba's disk cache holds :func:`encode_block`'s machine code for this source (an
    index left by an older version of the file does not count: numba would compile)."""
    try:
        return all(
            os.path.exists(f._cache._cache_file._index_path) and f._cache._cache_file._load_index()
            for f in (encode_block, _cleaned, _grown, _rehashed, _is_alnum, _slot)
        )
    except Exception:  # numba's internals moved: compile only for big files
        return False


def ready() -> bool:
    """Compile (or load from the cache) :func:`encode_block`; False if numba cannot."""
    try:
        numba_start.load_implementations()  # numba's registries, without importing scipy
        WordTable([]).ids(b"a b\x01a", None)
        WordTable([]).ids(b"A'b\n'c", bytes(range(256)))
        return True
    except Exception:  # numba missing or broken: the Python reader reads the same words
        return False
