"""WordVectors' own file format (``wv.save`` / ``WordVectors.load``): never pickle.

A zip with ``meta.json`` (format name, version, dimensions), ``words.json`` (the words, in
order) and ``.npy`` members for the vectors and the optional counts, read back with
``numpy.load(allow_pickle=False)``, so loading a file can never run code. gensim's own
``KeyedVectors.save`` files are pickles: they are refused with a message saying how to convert.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_write
from ..errors import VectorFileError
from ..npy import load_npy, npy_bytes

FORMAT = "w2v-widgets-word-vectors"
VERSION = 1
_PICKLE_PROTOCOL_2_PLUS = b"\x80"


def write_word_vectors(
    path: str | os.PathLike[str], words: list[str], vectors: np.ndarray, counts: np.ndarray | None
) -> Path:
    """Write words, vectors and counts to ``path`` atomically; returns the path."""
    meta = {"format": FORMAT, "version": VERSION, "words": len(words), "dimensions": int(vectors.shape[1])}
    with atomic_write(path) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("meta.json", json.dumps(meta))
        zf.writestr("words.json", json.dumps(words, ensure_ascii=False))
        zf.writestr("vectors.npy", npy_bytes(vectors))
        if counts is not None:
            zf.writestr("counts.npy", npy_bytes(np.asarray(counts, dtype=np.int64)))
    return Path(path)


def _refuse_foreign(path: Path, head: bytes) -> VectorFileError:
    if head[:1] == _PICKLE_PROTOCOL_2_PLUS:
        return VectorFileError(
            f"{path} is a Python pickle (gensim's KeyedVectors.save / Word2Vec.save format); "
            "w2v-widgets never unpickles, because loading a pickle can run any code. In gensim, "
            "export the vectors with kv.save_word2vec_format(path, binary=True) and read that with "
            "WordVectors.load_word2vec_format(path, binary=True)"
        )
    if head[:1].isdigit():
        return VectorFileError(
            f"{path} looks like a word2vec file: read it with WordVectors.load_word2vec_format"
        )
    return VectorFileError(f"{path} is not a word-vectors file saved by WordVectors.save")


_HEADER_ROOM = 1 << 16  # an .npy header is at most 64 KiB


def _check_member_sizes(zf: zipfile.ZipFile, meta: dict[str, Any], damaged: Any) -> None:
    """Refuse members larger than ``meta.json``'s dimensions allow before inflating them (a forged
    file could otherwise decompress gigabytes)."""
    words, dims = meta.get("words"), meta.get("dimensions")
    if not isinstance(words, int) or not isinstance(dims, int) or words < 0 or dims < 0:
        raise damaged(f"meta.json gives no valid words/dimensions ({words!r}, {dims!r})")
    limits = {"vectors.npy": words * dims * 8, "counts.npy": words * 8}
    for name, limit in limits.items():
        if name in zf.namelist() and zf.getinfo(name).file_size > limit + _HEADER_ROOM:
            raise damaged(
                f"{name} holds {zf.getinfo(name).file_size:,} bytes, more than {words:,} x {dims} values"
            )


def read_word_vectors(path: str | os.PathLike[str]) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """``(words, vectors, counts or None)`` from a file written by :func:`write_word_vectors`."""
    path = Path(path)
    with open(path, "rb") as fin:
        head = fin.read(4)
    if head != b"PK\x03\x04":
        raise _refuse_foreign(path, head)
    try:
        with zipfile.ZipFile(path) as zf:
            meta: dict[str, Any] = json.loads(zf.read("meta.json"))
            if meta.get("format") != FORMAT:
                raise VectorFileError(
                    f"{path} is a zip but not a word-vectors file saved by WordVectors.save"
                )
            if meta.get("version", 0) > VERSION:
                raise VectorFileError(
                    f"{path} was saved by a newer w2v-widgets (format version {meta['version']}); "
                    "upgrade w2v-widgets to read it"
                )
            words = json.loads(zf.read("words.json").decode("utf-8"))

            def damaged(reason: str) -> VectorFileError:
                return VectorFileError(f"{path} is damaged: {reason}; save the vectors again")

            _check_member_sizes(zf, meta, damaged)
            vectors = load_npy(zf.read("vectors.npy"), "vectors.npy", damaged)
            counts = (
                load_npy(zf.read("counts.npy"), "counts.npy", damaged)
                if "counts.npy" in zf.namelist()
                else None
            )
    except VectorFileError:
        raise
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise VectorFileError(f"{path} is damaged ({exc}); save the vectors again") from exc
    if not isinstance(words, list) or vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise VectorFileError(f"{path} is damaged: {len(words)} words but vectors of shape {vectors.shape}")
    return words, vectors, counts
