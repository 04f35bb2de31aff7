"""Word vectors from what a user has at hand: a trained model, a ``WordVectors``, a saved file or
a gensim ``KeyedVectors``. One rule for every widget and comparison that takes "a run"."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .word_vectors import WordVectors

_checkpoint_reader: Callable[[Path], WordVectors] | None = None


def register_checkpoint_reader(reader: Callable[[Path], WordVectors]) -> None:
    """How a ``Word2Vec`` checkpoint becomes word vectors: the training layer (above this one)
    registers it when imported, so this layer never imports the trainer."""
    global _checkpoint_reader
    _checkpoint_reader = reader


def load_run(path: str | os.PathLike, name: str = "run") -> WordVectors:
    """The word vectors in a file: a checkpoint written by ``Word2Vec.save`` (or the
    ``SaveCheckpoint`` callback) or a file written by ``WordVectors.save``; never unpickles."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{name}: no file at {str(path)!r} (give a checkpoint or WordVectors.save file)")
    try:
        with zipfile.ZipFile(path) as zf:
            members = set(zf.namelist())
    except zipfile.BadZipFile:
        members = set()
    if "state.json" in members:
        if _checkpoint_reader is None:  # the training layer registers it on import
            raise ConfigError(f"{name}: reading a checkpoint needs w2v_widgets.training imported")
        return _checkpoint_reader(path)
    if "meta.json" in members:
        return WordVectors.load(path)
    raise ConfigError(
        f"{name}: {str(path)!r} is neither a Word2Vec checkpoint nor a WordVectors.save file; "
        "for word2vec text or binary files use w2v.load_word2vec_format(path) and pass the result"
    )


def as_word_vectors(obj: Any, name: str = "run", needs: str | None = None) -> WordVectors:
    """``obj`` as :class:`WordVectors`: a trained ``Word2Vec`` (its ``.wv``), a ``WordVectors``,
    the path of a checkpoint or of a ``WordVectors.save`` file, or anything shaped like gensim's
    ``KeyedVectors`` (``index_to_key`` and ``vectors``, with its counts; gensim's ``Word2Vec``
    through its ``.wv``). An object with WordVectors' queries (``nearest``, ``complete``) is kept
    as it is. ``needs`` replaces the start of the error message ("``name`` must be")."""
    if isinstance(obj, WordVectors) or _has_queries(obj):
        return obj
    if isinstance(obj, str | os.PathLike):
        return load_run(obj, name)
    wv = getattr(obj, "wv", None)
    if wv is not None and not isinstance(obj, WordVectors):
        return as_word_vectors(wv, name, needs)
    words, vectors = getattr(obj, "index_to_key", None), getattr(obj, "vectors", None)
    if words is None or vectors is None:
        raise ConfigError(
            f"{needs or name + ' must be'} a trained w2v.Word2Vec, a WordVectors, a checkpoint path "
            f"or a gensim KeyedVectors, not a {type(obj).__name__}"
        )
    return WordVectors(list(words), vectors, counts=_gensim_counts(obj, len(words)))


def _has_queries(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("index_to_key", "vectors", "nearest", "complete"))


def _gensim_counts(obj: Any, n: int) -> np.ndarray | None:
    """The corpus counts a gensim ``KeyedVectors`` keeps (``expandos["count"]``, also read by
    ``get_vecattr``), or None."""
    expandos = getattr(obj, "expandos", None)
    if isinstance(expandos, dict) and "count" in expandos and len(expandos["count"]) == n:
        return np.asarray(expandos["count"], dtype=np.int64)
    if hasattr(obj, "get_vecattr"):
        try:
            return np.asarray([int(obj.get_vecattr(w, "count")) for w in obj.index_to_key], dtype=np.int64)
        except (KeyError, ValueError, TypeError):
            return None
    return None
