"""Which words the explorer plots: their vocabulary indices, their point numbers, their unit
vectors, and where new points go.

Points are numbered in plot order (the ``n_words`` most frequent words, then words added from
Python or the page). :class:`PlottedWords` knows nothing of traitlets; the widget copies its
words and positions into its synced traits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ...errors import ConfigError, UnknownWordError
from ...vectors import projections
from .placement import place_by_neighbours

MAX_POINTS = 3_000_000  # plotted words a page holds (GoogleNews's 3M: benchmarks/explorer_scale.py)


def frequency_order(wv: Any) -> np.ndarray:
    """Vocabulary indices, most frequent first (vocabulary order when counts are unknown)."""
    n = len(wv.index_to_key)
    if getattr(wv, "counts", None) is None:
        return np.arange(n)
    return np.lexsort((np.arange(n), -np.asarray(wv.counts)))


def plotted_count(n_words: int | None, n_vocab: int) -> int:
    """How many words a map of ``n_words`` (``None``: all) plots, at most ``MAX_POINTS``."""
    n_plot = n_vocab if n_words is None else min(n_words, n_vocab)
    if n_plot > MAX_POINTS:
        raise ConfigError(
            f"{n_plot:,} words is more than a page can plot ({MAX_POINTS:,}); pass n_words="
            f"{MAX_POINTS:,} or fewer (hover and search still answer over all {n_vocab:,} words)"
        )
    return n_plot


def ensure_index(wv: Any) -> None:
    """Build the neighbour index (unit rows, one float32 copy) now, with a clear error when it
    does not fit in memory."""
    try:
        wv.get_normed_vectors()
    except MemoryError:
        n_vocab = len(wv.index_to_key)
        need = n_vocab * wv.vector_size * 4 / 2**30
        raise ConfigError(
            f"not enough memory for the neighbour index of {n_vocab:,} words ({need:.1f} GiB "
            "more, a unit-length copy of the vectors); keep fewer words, e.g. "
            "WordVectors(wv.index_to_key[:n], wv.vectors[:n])"
        ) from None


class PointNumbers(Mapping[str, int]):
    """Word -> point number. When every word is plotted in vocabulary order the point number is
    the vocabulary index, so the vocabulary's own ``key_to_index`` answers (no second dict: about
    280 MB at 3M words); words the vocabulary gains later (``add_vector``) are not points."""

    def __init__(self) -> None:
        self._own: dict[str, int] = {}
        self._shared: Mapping[str, int] | None = None
        self._n = 0

    def renumber(self, words: list[str]) -> None:
        """Number ``words`` 0, 1, ... in a dict of their own."""
        self._own, self._shared, self._n = {w: i for i, w in enumerate(words)}, None, len(words)

    def share(self, key_to_index: Mapping[str, int], n: int) -> None:
        """Number a vocabulary's first ``n`` words (every word plotted, in vocabulary order) by
        its own ``key_to_index``."""
        self._own, self._shared, self._n = {}, key_to_index, n

    def add(self, word: str) -> int:
        """Number ``word`` after the others."""
        if self._shared is not None:  # leave the vocabulary's dict alone: copy the points once
            self._own = {w: i for w, i in self._shared.items() if i < self._n}
            self._shared = None
        self._own[word] = self._n
        self._n += 1
        return self._n - 1

    def __getitem__(self, word: str) -> int:
        if self._shared is None:
            return self._own[word]
        i = self._shared[word]
        if i >= self._n:
            raise KeyError(word)
        return i

    def __contains__(self, word: object) -> bool:
        if self._shared is None:
            return word in self._own
        i = self._shared.get(word, self._n)  # type: ignore[call-overload]
        return i < self._n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        if self._shared is None:
            return iter(self._own)
        return (w for w, i in self._shared.items() if i < self._n)


class PlottedWords:
    """The plotted words of ``wv``: ``idx`` (vocabulary index of each point) and ``points``
    (word -> point number; the same mapping for the widget's life, the query handler holds it)."""

    def __init__(self, wv: Any, n_plot: int):
        self.wv = wv
        self.idx = frequency_order(wv)[:n_plot]
        self.points = PointNumbers()
        self._number()

    def words(self) -> list[str]:
        """The plotted words, in point order."""
        return [self.wv.index_to_key[i] for i in self.idx.tolist()]

    def _number(self) -> None:
        if self.whole_vocabulary_in_order():  # no list of every word built only to be counted
            self.points.share(self.wv.key_to_index, len(self.idx))
        else:
            self.points.renumber(self.words())

    def check_known(self, words: list[str]) -> None:
        """``UnknownWordError`` (with suggestions) for the first word not in the vocabulary."""
        unknown = [w for w in words if w not in self.wv.key_to_index]
        if unknown:
            suggestions = self.wv.suggest(unknown[0]) if hasattr(self.wv, "suggest") else []
            raise UnknownWordError(unknown[0], suggestions)

    def missing(self, words: tuple[str, ...] | list[str]) -> list[str]:
        """The words not plotted yet, once each; ``UnknownWordError`` for a word the
        vocabulary lacks, before anything changes."""
        missing = [w for w in dict.fromkeys(words) if w not in self.points]
        for w in missing:
            self.wv.get_index(w)
        return missing

    def whole_vocabulary_in_order(self) -> bool:
        n = len(self.idx)
        return n == len(self.wv.index_to_key) and bool((self.idx == np.arange(n)).all())

    def unit_vectors(self) -> np.ndarray:
        """Unit rows of the plotted words: the ``WordVectors`` cache itself (no copy) when every
        word is plotted in vocabulary order, as at 1M words."""
        normed = self.wv.get_normed_vectors()
        return normed if self.whole_vocabulary_in_order() else normed[self.idx]

    def pca(self) -> np.ndarray:
        """The PCA layout of the plotted words."""
        return projections.project(self.unit_vectors(), "pca", unit=True)

    def append(self, words: list[str], xy: np.ndarray) -> np.ndarray:
        """Plot ``words`` (not plotted yet) after the others, whose positions are ``xy``;
        returns the new points' positions: the similarity-weighted mean of their nearest
        plotted words (the origin on an empty map)."""
        vocab_idx = np.array([self.wv.key_to_index[w] for w in words], dtype=np.int64)
        if len(self.idx):
            placed = place_by_neighbours(self.wv.get_normed_vectors()[vocab_idx], self.unit_vectors(), xy)
        else:
            placed = np.zeros((len(words), 2), np.float32)
        self.idx = np.concatenate([self.idx, vocab_idx])
        for w in words:
            self.points.add(w)
        return placed

    def renew(self, wv: Any) -> bool:
        """Plot the same number of words of new vectors ``wv``: the same words when ``wv`` has
        them all (True), else its most frequent ones (False)."""
        old_words = self.words()
        same = all(w in wv.key_to_index for w in old_words)
        if same:
            idx = np.array([wv.key_to_index[w] for w in old_words], dtype=np.int64)
        else:
            idx = frequency_order(wv)[: len(old_words)]
        self.wv, self.idx = wv, idx
        self._number()
        return same
