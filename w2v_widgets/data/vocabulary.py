"""The training vocabulary: words kept by min_count, in frequency order, with their counts."""

from __future__ import annotations

import weakref

import numpy as np

from ..errors import CorpusError
from .corpus import Corpus


class Vocabulary:
    """Words sorted by decreasing count (ties keep first-appearance order)."""

    def __init__(self, words: list[str], counts: np.ndarray):
        self.words = list(words)
        self.counts = np.asarray(counts, dtype=np.int64)
        if len(self.words) != len(self.counts):
            raise ValueError("words and counts must have the same length")
        self.key_to_index = {w: i for i, w in enumerate(self.words)}
        if len(self.key_to_index) != len(self.words):
            raise ValueError("vocabulary words must be unique")
        # from_corpus's corpus (a weak reference), its number of words and each word's row in it
        self._source: tuple[weakref.ref, int, np.ndarray] | None = None

    @classmethod
    def from_corpus(cls, corpus: Corpus, min_count: int = 5, max_size: int | None = None) -> Vocabulary:
        """Keep words seen at least ``min_count`` times (and the ``max_size`` most frequent)."""
        order = np.argsort(-corpus.counts, kind="stable")
        keep = order[corpus.counts[order] >= min_count]
        if max_size is not None:
            keep = keep[:max_size]
        if len(keep) == 0:
            top = int(corpus.counts.max()) if len(corpus.counts) else 0
            raise CorpusError(
                f"no word occurs at least min_count={min_count} times (the most frequent word "
                f"occurs {top} times); lower min_count or give a larger corpus"
            )
        vocab = cls([corpus.words[i] for i in keep], corpus.counts[keep])
        vocab._source = (weakref.ref(corpus), len(corpus.words), keep)  # encode_corpus's shortcut
        return vocab

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    @property
    def total(self) -> int:
        """Number of corpus tokens that are in the vocabulary."""
        return int(self.counts.sum())

    def frequencies(self) -> np.ndarray:
        """Relative frequency of each word among in-vocabulary tokens (float64)."""
        return self.counts / self.counts.sum()

    def encode_corpus(self, corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
        """Map a corpus to vocabulary ids, dropping out-of-vocabulary tokens.

        Returns ``(ids, sentence_offsets)`` as int32 / int64 arrays; sentences keep their
        boundaries (empty ones remain as zero-length spans).
        """
        lookup = np.full(len(corpus.words), -1, dtype=np.int32)
        source = self._source
        if source is not None and source[0]() is corpus and source[1] == len(corpus.words):
            lookup[source[2]] = np.arange(len(source[2]), dtype=np.int32)  # made from it: no dict
        else:
            corpus_index = {w: i for i, w in enumerate(corpus.words)}
            for vocab_id, word in enumerate(self.words):
                j = corpus_index.get(word)
                if j is not None:
                    lookup[j] = vocab_id
        mapped = lookup[corpus.ids]
        removed = np.flatnonzero(mapped < 0)  # usually few: no pass of 8 bytes a token
        offsets = corpus.sentence_offsets - np.searchsorted(removed, corpus.sentence_offsets)
        return (np.delete(mapped, removed) if len(removed) else mapped), offsets

    def __repr__(self) -> str:
        return f"Vocabulary({len(self):,} words, {self.total:,} tokens)"
