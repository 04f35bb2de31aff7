"""Probe words: which words to watch while embeddings form."""

from __future__ import annotations

import random
from collections.abc import Sequence


def default_probe_words(
    words: Sequence[str], n_frequent: int = 8, n_mid: int = 8, seed: int = 0
) -> list[str]:
    """The lessons' validation words: ``n_frequent`` drawn from the 100 most frequent words and
    ``n_mid`` from frequency ranks 1000-1100 (scaled down for vocabularies under 1,100 words).

    ``words`` must be in decreasing frequency order (a :class:`Vocabulary`'s ``words``).
    """
    words = list(words)
    n = len(words)
    rng = random.Random(seed)
    top = list(range(min(100, n)))
    if n >= 1100:
        mid = list(range(1000, 1100))
    else:
        lo = min(len(top), n)
        mid = list(range(max(lo, n // 2), n)) or top
    frequent = rng.sample(top, min(n_frequent, len(top)))
    rest = [i for i in mid if i not in frequent]
    chosen = frequent + rng.sample(rest, min(n_mid, len(rest)))
    return [words[i] for i in chosen]
