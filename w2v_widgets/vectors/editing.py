"""Changing a WordVectors after it is built, as gensim's ``KeyedVectors`` allows: adding and
replacing vectors, per-word counts (``get_vecattr``), normalising in place, subsets.

:class:`EditableVectors` is a mixin of :class:`~w2v_widgets.vectors.WordVectors`; it works on
``index_to_key``, ``key_to_index``, ``vectors`` and ``counts`` and calls ``_invalidate()`` after
every change so that cached norms and search indexes are rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral
from typing import Any

import numpy as np

from ..errors import ConfigError


def check_words(words: list[Any], start: int = 0) -> None:
    """Raise ``ConfigError`` unless every item is a non-empty string (``start``: row of the first)."""
    for i, word in enumerate(words, start=start):
        if not isinstance(word, str):
            raise ConfigError(f"words must be strings; item {i} is {type(word).__name__} {word!r}")
        if not word:
            raise ConfigError(f"word {i} is the empty string; every word needs a character")


class EditableVectors:
    """Mutation methods of gensim's ``KeyedVectors`` (see the module docstring)."""

    index_to_key: list[str]
    key_to_index: dict[str, int]
    vectors: np.ndarray
    counts: np.ndarray | None

    def _invalidate(self) -> None:  # pragma: no cover - defined by WordVectors
        raise NotImplementedError

    def get_index(self, key: Any, default: int | None = None) -> int:  # pragma: no cover
        raise NotImplementedError

    def __len__(self) -> int:  # pragma: no cover
        raise NotImplementedError

    # ------------------------------------------------------------------ counts
    def _effective_counts(self) -> np.ndarray:
        """The counts, or gensim's made-up descending counts (n, n-1, ..., 1) when unknown."""
        if self.counts is not None:
            return self.counts
        return np.arange(len(self.index_to_key), 0, -1, dtype=np.int64)

    @staticmethod
    def _check_attr(attr: str) -> None:
        if attr != "count":
            raise ConfigError(f"WordVectors keeps one attribute per word, 'count'; {attr!r} is not kept")

    def get_vecattr(self, key: str | int, attr: str) -> int:
        """A word's ``'count'`` (gensim's ``get_vecattr``). Vectors read from a file without a
        vocabulary file get gensim's made-up descending counts (first word: the number of words)."""
        self._check_attr(attr)
        return int(self._effective_counts()[self.get_index(key)])

    def set_vecattr(self, key: str | int, attr: str, value: int) -> None:
        """Set a word's ``'count'``."""
        self._check_attr(attr)
        index = self.get_index(key)
        if not isinstance(value, Integral) or value < 0:
            raise ConfigError(f"a count must be a whole number >= 0, got {value!r}")
        if self.counts is None:
            self.counts = self._effective_counts().copy()
        self.counts[index] = int(value)
        self._invalidate()

    # ------------------------------------------------------------------ adding vectors
    def add_vectors(
        self,
        keys: str | Iterable[str],
        weights: Any,
        extras: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> None:
        """Append words and their vectors (gensim's ``add_vectors``). Words already present keep
        their vector unless ``replace``; ``extras={'count': [...]}`` sets the new words' counts
        (else 0 where counts are kept)."""
        if isinstance(keys, str):
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        keys = list(keys)
        check_words(keys)
        arr = np.asarray(weights.detach().cpu().numpy() if hasattr(weights, "detach") else weights)
        if arr.ndim == 1 and len(keys) == 1:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape != (len(keys), self.vectors.shape[1]):
            raise ConfigError(
                f"{len(keys)} words need weights of shape ({len(keys)}, {self.vectors.shape[1]}), "
                f"got {arr.shape}"
            )
        if arr.dtype.kind not in "fiu":
            raise ConfigError(f"weights must be numbers, got dtype {arr.dtype}")
        arr = arr.astype(self.vectors.dtype)
        if not np.isfinite(arr).all():
            raise ConfigError("weights contain NaN or infinity (or values too large for the vectors' dtype)")
        extra_counts = None
        if extras:
            unknown = set(extras) - {"count"}
            if unknown:
                raise ConfigError(f"extras may only hold 'count'; got {sorted(unknown)}")
            extra_counts = np.asarray(extras["count"], dtype=np.int64).reshape(-1)
            if extra_counts.shape != (len(keys),):
                raise ConfigError(f"extras['count'] needs one count per word ({len(keys)})")
        known = np.array([k in self.key_to_index for k in keys], dtype=bool)
        new_rows = np.flatnonzero(~known)
        new_keys = [keys[i] for i in new_rows]
        if len(set(new_keys)) != len(new_keys):
            raise ConfigError("the new words must be unique; one is given twice")
        if extra_counts is not None and self.counts is None:
            self.counts = self._effective_counts().copy()
        if new_keys:
            start = len(self.index_to_key)
            for offset, key in enumerate(new_keys):
                self.key_to_index[key] = start + offset
            self.index_to_key.extend(new_keys)
            self.vectors = np.vstack([self.vectors, arr[new_rows]])
            if self.counts is not None:
                added = (
                    extra_counts[new_rows] if extra_counts is not None else np.zeros(len(new_keys), np.int64)
                )
                self.counts = np.concatenate([self.counts, added])
        if replace and known.any():
            rows = [self.key_to_index[keys[i]] for i in np.flatnonzero(known)]
            vectors = self.vectors if self.vectors.flags.writeable else self.vectors.copy()
            vectors[rows] = arr[known]
            self.vectors = vectors
            if extra_counts is not None and self.counts is not None:
                self.counts[rows] = extra_counts[known]
        self._invalidate()

    def add_vector(self, key: str, vector: Any) -> int:
        """Add one word (or replace its vector); returns its row."""
        self.add_vectors([key], np.asarray(vector).reshape(1, -1), replace=True)
        return self.key_to_index[key]

    def __setitem__(self, keys: str | list[str], weights: Any) -> None:
        """``wv['word'] = vector`` or ``wv[['a', 'b']] = [va, vb]``: add or replace."""
        if not isinstance(keys, list):
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        self.add_vectors(keys, weights, replace=True)

    # ------------------------------------------------------------------ whole-table changes
    def unit_normalize_all(self) -> None:
        """Scale every vector to length 1 in place (zero vectors stay zero); the original
        lengths are lost."""
        norms = np.linalg.norm(self.vectors.astype(np.float32), axis=1, keepdims=True)
        self.vectors = (self.vectors / np.where(norms > 0, norms, 1)).astype(self.vectors.dtype)
        self._invalidate()

    def vectors_for_all(
        self, keys: Iterable[str], allow_inference: bool = True, copy_vecattrs: bool = False
    ) -> Any:
        """A new WordVectors with the given words that are in the vocabulary (duplicates and
        unknown words left out; ``allow_inference`` is accepted for gensim's signature, a word2vec
        model infers nothing). ``copy_vecattrs`` copies the counts."""
        found = [k for k in dict.fromkeys(keys) if isinstance(k, str) and k in self.key_to_index]
        rows = np.array([self.key_to_index[k] for k in found], dtype=np.int64)
        counts = self._effective_counts()[rows] if copy_vecattrs else None
        if not found:
            return type(self)(vector_size=self.vectors.shape[1], dtype=self.vectors.dtype)
        return type(self)(found, self.vectors[rows], counts=counts, dtype=self.vectors.dtype)
