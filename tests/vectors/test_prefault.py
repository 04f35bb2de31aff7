"""The binary reader's array with its pages mapped ahead by a thread (``vectors/binary/prefault.py``):
the pages really are mapped where Linux can, and where the call is missing or refused the reader
gives the same arrays, and errors leave no thread behind."""

from __future__ import annotations

import errno
import sys
import threading

import numpy as np
import pytest

from w2v_widgets.errors import VectorFileTruncatedError
from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors.binary import prefault
from w2v_widgets.vectors.formats import _without_huge_pages

from .test_load_large_files import word_like, write_file


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * prefault.mmap.PAGESIZE


def prefault_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "w2v-prefault"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MADV_POPULATE_WRITE is Linux's")
def test_pages_are_mapped_before_the_array_is_written():
    array = _without_huge_pages(np.empty, ((256 << 20) // 1200, 300), np.float32)  # untouched
    before = resident_bytes()
    mapping = prefault.Prefault(array)
    mapping._thread.join(timeout=300)
    mapping.stop()
    if mapping.supported is False:
        pytest.skip("this kernel refuses MADV_POPULATE_WRITE (Linux < 5.14)")
    assert mapping.mapped >= array.nbytes
    assert resident_bytes() - before >= 0.9 * array.nbytes


def test_small_arrays_and_disabled_ones_start_no_thread():
    assert prefault.Prefault(np.empty((10, 300), np.float32))._thread is None
    assert prefault.Prefault(np.empty((1 << 16, 300), np.float32), enabled=False)._thread is None


def refused(address: int, size: int, advice: int) -> int:
    return -errno.EINVAL  # as libc's madvise on a kernel without the advice (it returns -1)


@pytest.fixture
def table():
    rng = np.random.default_rng(5)
    return word_like(500, rng), (rng.standard_normal((500, 300)) * 0.1).astype(np.float32)


@pytest.mark.parametrize("madvise", ["libc", "refused", "missing"])
def test_reader_gives_the_same_arrays_with_or_without_the_call(tmp_path, table, monkeypatch, madvise):
    words, vectors = table
    path = write_file(tmp_path / "v.bin", words, vectors, True)
    monkeypatch.setattr(prefault, "MIN_BYTES", 0)  # a thread even for this small file
    if madvise == "refused":
        monkeypatch.setattr(prefault, "_MADVISE", refused)
    elif madvise == "missing":  # macOS, Windows: no thread at all
        monkeypatch.setattr(prefault, "_MADVISE", None)
    started = []
    monkeypatch.setattr(
        prefault.Prefault, "_run", lambda self, run=prefault.Prefault._run: started.append(run(self))
    )
    for chunk in (4096, 1 << 24):
        ours = WordVectors.load_word2vec_format(path, binary=True, binary_chunk_size=chunk)
        assert ours.index_to_key == words
        np.testing.assert_array_equal(ours.vectors, vectors)
        assert not prefault_threads()
    assert len(started) == (0 if madvise == "missing" or not sys.platform.startswith("linux") else 2)


def test_an_error_stops_the_thread(tmp_path, table, monkeypatch):
    words, vectors = table
    raw = write_file(tmp_path / "v.bin", words, vectors, True).read_bytes()
    (tmp_path / "cut.bin").write_bytes(raw[: len(raw) // 2])
    monkeypatch.setattr(prefault, "MIN_BYTES", 0)
    with pytest.raises(VectorFileTruncatedError):
        WordVectors.load_word2vec_format(tmp_path / "cut.bin", binary=True, binary_chunk_size=4096)
    assert not prefault_threads()
