"""word2vec rows as bytes, a block of words at a time, formatted by numpy (no Python per number).

Text rows hold each float32 as the shortest decimal that reads back to it, exactly as
``str(numpy.float32)`` writes it (gensim's files byte for byte). For a value with
``1e-4 <= |x| < 1e6`` that string is ``x`` rounded to the fewest decimals ``d`` whose rounding
reads back to ``x`` (at least one decimal: ``"2.0"``). ``|x| * 10**d`` is exact in float64
there (``d <= 12``), so ``rint`` rounds it as ``printf`` would; whether ``d`` decimals read back
grows with ``d``, so ``d`` is found by bisection, four passes over the block. The digits are then
laid out in fixed-width fields of a byte matrix and the unused cells masked away. Rows with any
other value (zero, tiny, huge, non-finite, a power of two, whose rounding interval is lopsided),
or with a word too long for the matrix, are written by ``str`` one number at a time.

Where numba is importable, :mod:`.jit` formats the rows instead, by the same rule, one loop
per number in machine code (about three times as fast again), once its machine code is in
numba's cache or a save of ``COMPILE_ROWS`` rows compiles it; this numpy path is the fallback.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from types import ModuleType

import numpy as np

_MAX_DECIMALS = 12  # |x| * 10**d stays exact in float64 for float32 x up to here
_POW10 = 10.0 ** np.arange(24)


_MAX_WORD_BYTES = 64  # longer words go the slow way (the matrix is as wide as the longest)


def _slow_text_row(word: str, row: np.ndarray) -> bytes:
    return f"{word} {' '.join(map(str, row))}\n".encode()


def _decimals(mag: np.ndarray) -> np.ndarray:
    """Fewest decimals (0..12) whose rounding of ``mag`` reads back as the same float32; 13
    where none does (four bisection steps narrow 0..13 to one value)."""
    wide = mag.astype(np.float64)
    lo = np.zeros(mag.shape, dtype=np.int64)
    hi = np.full(mag.shape, _MAX_DECIMALS + 1, dtype=np.int64)
    for _ in range(4):
        mid = (lo + hi) >> 1
        scale = _POW10[mid]
        ok = (np.rint(wide * scale) / scale).astype(np.float32) == mag
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid + 1)
    return lo


_FOUR_DIGITS = np.array([f"{i:04d}".encode() for i in range(10_000)], dtype="S4").view(np.uint32)


def _fields(
    values: np.ndarray, decimals: np.ndarray, n_int: int, n_decimals: int
) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-width fields of ``" " + str(float32)`` for 1-d ``values`` in the fast range, with room
    for ``n_int`` integer digits and ``n_decimals`` decimals, and which of their bytes are used.
    Every write is one long strided column (numpy is slow on short inner loops)."""
    scaled = np.rint(np.abs(values).astype(np.float64) * _POW10[decimals]).astype(np.int64)
    number = scaled * _POW10[n_decimals - decimals].astype(np.int64)  # the point fixed
    groups = -(-(n_int + n_decimals) // 4)  # the digits four at a time, from a table
    quads = np.empty((len(values), groups), dtype=np.uint32)
    for g in range(groups - 1, 0, -1):
        number, quads[:, g] = np.divmod(number, 10_000)
    quads[:, 0] = number
    digits = _FOUR_DIGITS[quads].view(np.uint8)
    skip = 4 * groups - n_int - n_decimals
    width = 3 + n_int + n_decimals
    cells = np.empty((len(values), width), dtype=np.uint8)
    keep = np.empty((len(values), width), dtype=bool)
    cells[:, 0], keep[:, 0] = ord(" "), True
    cells[:, 1], keep[:, 1] = ord("-"), np.signbit(values)
    point = 2 + n_int
    for k in range(n_int):  # integer digits; the units always ("0.5")
        cells[:, 2 + k] = digits[:, skip + k]
        keep[:, 2 + k] = True if k == n_int - 1 else scaled >= _POW10[decimals + n_int - 1 - k]
    cells[:, point], keep[:, point] = ord("."), True
    for j in range(1, n_decimals + 1):  # the j-th decimal; the first always ("2.0")
        cells[:, point + j] = digits[:, skip + n_int + j - 1]
        keep[:, point + j] = True if j == 1 else decimals >= j
    return cells, keep


# Rows from which compiling .jit on a machine's first save (a few CPU seconds; 39 s wall
# under load 25) pays for itself; smaller saves use numpy until the machine code is cached.
COMPILE_ROWS = 300_000


@functools.cache
def _compiled() -> ModuleType | None:
    """:mod:`.jit`, compiled (or loaded from its cache); None without numba or when it
    cannot compile (the numpy path then writes the same bytes)."""
    try:
        from . import jit

        names, ends = np.frombuffer(b"ab", dtype=np.uint8), np.array([1, 2])
        block = np.array([[1 / 3, 0], [2, 0]], np.float32)
        jit.text_rows(names, ends, block, block != 0, *_packed([b"0.0", b"0.0"]), np.ones(2, dtype=bool))
        jit.binary_rows(names, ends, np.zeros((2, 8), np.uint8))
        return jit
    except Exception:  # numba missing or broken: numpy formats the rows
        return None


def _in_numba_cache() -> bool:
    """Whether numba's disk cache holds .jit's machine code (loading it takes milliseconds)."""
    try:
        from . import jit

        functions = (jit.text_rows, jit.binary_rows, jit._write_number)
        return all(os.path.exists(f._cache._cache_file._index_path) for f in functions)
    except Exception:  # numba missing, or its internals moved: compile only for big saves
        return False


def compile_jit() -> bool:
    """Compile :mod:`.jit` now (or load it from numba's cache): later saves of any size use it.
    False where numba cannot."""
    return _compiled() is not None


def prepare(rows: int) -> None:
    """Before writing ``rows`` rows: compile .jit if it is not cached and the save is big
    enough to pay for the compile."""
    if rows >= COMPILE_ROWS:
        _compiled()


def _jit() -> ModuleType | None:
    """:mod:`.jit` if it is compiled or cached, else None (numpy's path)."""
    if _compiled.cache_info().currsize or _in_numba_cache():
        return _compiled()
    return None


def packed_words(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_packed` of the words' UTF-8, encoded in one call when no word holds a space
    (the spaces between them then mark where each ends)."""
    joined = np.frombuffer(" ".join(words).encode("utf-8"), dtype=np.uint8)
    spaces = np.flatnonzero(joined == 32)
    if len(spaces) != len(words) - 1 or not len(words):
        return _packed([w.encode("utf-8") for w in words])
    ends = np.append(spaces, len(joined)) - np.arange(len(words))
    return joined[joined != 32], ends


def _packed(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The words' bytes end to end, and where each one ends."""
    ends = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), ends


def _fast_values(block: np.ndarray) -> np.ndarray:
    """Which float32 values may be written with a fixed point (see the module's docstring)."""
    mag = np.abs(block)
    # float32(1e-4) is just under 1e-4, so str writes it as "1e-04": the range starts above it
    return (mag > np.float32(1e-4)) & (mag < 1e6) & ((block.view(np.uint32) & 0x7FFFFF) != 0)


def _splice_slow_rows(out: bytes, ends: np.ndarray, fast_row: np.ndarray, words, block) -> bytes:
    """``out`` (the fast rows, each ending at ``ends``) with the other rows written by ``str``."""
    slow = np.flatnonzero(~fast_row)
    if not slow.size:
        return out
    pieces, start = [], 0
    for i in slow.tolist():
        pieces += [out[start : ends[i]], _slow_text_row(words[i], block[i])]
        start = int(ends[i])
    pieces.append(out[start:])
    return b"".join(pieces)


def text_rows(words: Sequence[str], block: np.ndarray) -> bytes:
    """``word v1 v2 ...\n`` for each word and row of ``block`` (as float32), gensim's bytes."""
    block = np.ascontiguousarray(block, dtype=np.float32)
    n, dim = block.shape
    fast = _fast_values(block)
    jit = _jit()
    if jit is not None:  # the other values (about 1 in 4000 of trained vectors) by str
        others = _packed([str(x).encode() for x in block[~fast]])
        written = np.ones(n, dtype=bool)
        buffer, size, ends = jit.text_rows(*packed_words(words), block, fast, *others, written)
        return _splice_slow_rows(buffer[:size].tobytes(), ends, written, words, block)
    encoded = [w.encode("utf-8") for w in words]
    mag = np.abs(block)
    decimals = np.full(block.shape, _MAX_DECIMALS + 1, dtype=np.int64)
    decimals[fast] = _decimals(mag[fast])
    fast &= decimals <= _MAX_DECIMALS
    word_len = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    fast_row = fast.all(axis=1) & (word_len <= _MAX_WORD_BYTES) & (word_len > 0)
    fast_row &= np.fromiter((b"\x00" not in w for w in encoded), dtype=bool, count=n)
    if not fast_row.any():
        return b"".join(_slow_text_row(w, r) for w, r in zip(words, block, strict=True))
    width = int(word_len[fast_row].max())
    values = np.where(fast_row[:, None], block, np.float32(1))
    decimals = np.where(fast_row[:, None], decimals, 0)
    n_int = len(str(int(mag[fast_row].max().round())))  # at least the integer digits written
    field = 3 + n_int + int(decimals.max())  # " -" + integer digits + "." + decimals
    rows = np.empty((n, width + dim * field + 1), dtype=np.uint8)
    mask = np.empty(rows.shape, dtype=bool)
    names = np.array([w if ok else b"" for w, ok in zip(encoded, fast_row, strict=True)], dtype=f"S{width}")
    rows[:, :width] = names.view(np.uint8).reshape(n, width)
    mask[:, :width] = np.arange(width) < word_len[:, None]
    cells, keep = _fields(values.ravel(), decimals.ravel(), n_int, field - 3 - n_int)
    rows[:, width:-1] = cells.reshape(n, dim * field)
    mask[:, width:-1] = keep.reshape(n, dim * field)
    rows[:, -1], mask[:, -1] = ord("\n"), True
    mask[~fast_row] = False
    return _splice_slow_rows(rows[mask].tobytes(), np.cumsum(mask.sum(axis=1)), fast_row, words, block)


def binary_rows(words: Sequence[str], block: np.ndarray) -> bytes:
    """``word`` + space + little-endian float32s + newline for each word and row of ``block``."""
    vectors = np.ascontiguousarray(block, dtype="<f4").view(np.uint8)
    n, row_bytes = vectors.shape
    jit = _jit()
    if jit is not None:
        return jit.binary_rows(*packed_words(words), vectors).tobytes()
    encoded = [w.encode("utf-8") + b" " for w in words]
    word_len = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    if n == 0:
        return b""
    width = int(word_len.max())
    if width > _MAX_WORD_BYTES or any(b"\x00" in w for w in encoded):
        return b"".join(w + bytes(r) + b"\n" for w, r in zip(encoded, vectors, strict=True))
    rows = np.empty((n, width + row_bytes + 1), dtype=np.uint8)
    mask = np.ones(rows.shape, dtype=bool)
    rows[:, :width] = np.array(encoded, dtype=f"S{width}").view(np.uint8).reshape(n, width)
    mask[:, :width] = np.arange(width) < word_len[:, None]
    rows[:, width:-1] = vectors
    rows[:, -1] = ord("\n")
    return rows[mask].tobytes()
