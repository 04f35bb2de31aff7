"""The vectorised word2vec row writers give, byte for byte, what one ``str(numpy.float32)`` per
number (gensim's text) and one ``tobytes`` per row wrote: both paths, numba's (``rows.jit``) and
numpy's (its fallback without numba)."""

from __future__ import annotations

import numpy as np
import pytest

from w2v_widgets.vectors.rows import writer as row_writer
from w2v_widgets.vectors.rows.writer import binary_rows, text_rows


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def path(request, monkeypatch):
    """Every test runs on both paths; numba's must be the one used where numba is installed."""
    if request.param == "numba":
        assert row_writer._compiled() is not None, "numba is installed: rows.jit must compile"
        assert row_writer._jit() is not None, "once compiled, the rows must be formatted by rows.jit"
    else:
        monkeypatch.setattr(row_writer, "_jit", lambda: None)
    return request.param


def one_by_one(words, block) -> bytes:
    rows = zip(words, block.astype(np.float32), strict=True)
    return b"".join(f"{w} {' '.join(map(str, r))}\n".encode() for w, r in rows)


def one_by_one_binary(words, block) -> bytes:
    rows = zip(words, block.astype("<f4"), strict=True)
    return b"".join(w.encode() + b" " + r.tobytes() + b"\n" for w, r in rows)


WORDS = ["w", "é", "東京", "x" * 200, "a\x00b", "", "don't", "%s%d", "two words", " "]


@pytest.mark.parametrize("scale", [1e-5, 1e-4, 1e-3, 0.01, 0.3, 1.0, 10.0, 1e3, 1e5, 1e7, 1e12])
def test_text_rows_equal_str_of_each_float32(scale):
    rng = np.random.default_rng(int(np.log10(scale) + 20))
    block = (rng.standard_normal((300, 7)) * scale).astype(np.float32)
    words = [WORDS[i % len(WORDS)] if i % 5 == 0 else f"w{i}" for i in range(len(block))]
    assert text_rows(words, block) == one_by_one(words, block)


def test_text_rows_special_values_and_float64():
    special = [0.0, -0.0, 0.5, -2.0, 1e-45, 3.4e38, np.inf, -np.inf, np.nan, 0.1, 1e-4, 999999.94, 9.999999]
    block = np.array([special, special[::-1]], dtype=np.float64)
    assert text_rows(["a", "b"], block) == one_by_one(["a", "b"], block)


def test_text_rows_every_float32_of_a_range_and_random_bits():
    start = np.float32(0.1).view(np.uint32)
    dense = (start + np.arange(100_000, dtype=np.uint32)).view(np.float32).reshape(-1, 100)
    bits = np.random.default_rng(1).integers(0, 2**32, (500, 100), dtype=np.uint64).astype(np.uint32)
    for block in (dense, -dense, bits.view(np.float32)):
        words = [f"w{i}" for i in range(len(block))]
        assert text_rows(words, block) == one_by_one(words, block)


def test_binary_rows_equal_the_row_by_row_layout():
    block = np.random.default_rng(2).standard_normal((len(WORDS), 5))
    assert binary_rows(WORDS, block) == one_by_one_binary(WORDS, block)
    short = ["a", "bb", "ccc"]
    assert binary_rows(short, block[:3]) == one_by_one_binary(short, block[:3])
    assert binary_rows([], np.zeros((0, 5))) == b""


def test_text_rows_awkward_values_in_one_block():
    """Negatives, the edges of the fixed-point range (1e-4, just under 1e6, 1e-8 and 1e6 beyond
    them), values needing all 12 decimals, NaN and infinities in the same block as plain rows."""
    edge = np.nextafter(np.float32(1e-4), np.float32(1)), np.nextafter(np.float32(1e6), np.float32(0))
    awkward = [-1e-8, 1e-8, 1e-4, *edge, -edge[1], 1e6, -3.4028235e38, 1.0000001, -0.00012345679]
    rng = np.random.default_rng(3)
    block = (rng.standard_normal((64, len(awkward))) * 0.3).astype(np.float32)
    block[5] = awkward
    block[9, 2] = np.nan
    block[11, 0] = -np.inf
    block[12, 4] = 1e-4  # float32(1e-4) < 1e-4: "1e-04", in a row of plain values
    words = [f"w{i}" for i in range(len(block))]
    words[7], words[13] = "x" * 300, ""
    assert text_rows(words, block) == one_by_one(words, block)


def test_a_small_save_does_not_compile_the_writer_but_a_big_one_does(monkeypatch, path):
    """Compiling rows.jit costs seconds on a machine's first save: only saves of COMPILE_ROWS rows
    pay it; smaller ones use numpy until the machine code is cached."""
    compiles = []
    monkeypatch.setattr(row_writer, "_in_numba_cache", lambda: False)
    monkeypatch.setattr(row_writer, "_compiled", lambda: compiles.append(1))
    row_writer._compiled.cache_info = lambda: type("Info", (), {"currsize": 0})()
    row_writer.prepare(row_writer.COMPILE_ROWS - 1)
    assert compiles == [] and row_writer._jit() is None
    row_writer.prepare(row_writer.COMPILE_ROWS)
    assert compiles == [1]
