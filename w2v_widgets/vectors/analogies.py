"""Analogy maths over a whole vocabulary: ``a : b :: c : ?`` scored for every word.

3CosAdd ranks words by cosine to ``b̂ - â + ĉ`` (``WordVectors.most_similar``); 3CosMul by
``cos'(x,b) cos'(x,c) / (cos'(x,a) + 1e-6)`` with ``cos' = (1 + cos) / 2`` (Levy & Goldberg 2014,
``WordVectors.most_similar_cosmul``), as gensim does. Both return every word's score here, so the
question words can be left out of the answers or kept in (with them in, ``b`` often wins).
Used by the ``AnalogyLab`` teaching widget and the explorer's analogy arrows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ConfigError

METHODS = ("3CosAdd", "3CosMul")


def analogy_scores(wv: Any, a: str, b: str, c: str, method: str) -> np.ndarray:
    """Score of every word as the answer to ``a : b :: c : ?`` (higher is better): 3CosAdd, the
    cosine to ``b̂ - â + ĉ``; 3CosMul, ``cos'(x,b) cos'(x,c) / (cos'(x,a) + 1e-6)`` with
    ``cos' = (1 + cos) / 2`` (as gensim)."""
    if method == "3CosAdd":
        return np.asarray(wv.most_similar(positive=[b, c], negative=[a], topn=None))
    if method == "3CosMul":
        return np.asarray(wv.most_similar_cosmul(positive=[b, c], negative=[a], topn=None))
    raise ConfigError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def ranked(scores: np.ndarray, exclude: list[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``n`` best scores (ties: vocabulary order) with ``exclude`` left out; NaN
    scores never rank. Partial sort first, so a million words cost one pass."""
    masked = scores.astype(np.float64).copy()
    masked[exclude] = -np.inf
    masked[np.isnan(masked)] = -np.inf
    n = max(0, min(int(n), int(np.isfinite(masked).sum())))
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    if n < len(masked):
        threshold = np.partition(masked, len(masked) - n)[len(masked) - n]
        candidates = np.flatnonzero(masked >= threshold)  # every tie at the boundary too
    else:
        candidates = np.arange(len(masked))
    order = candidates[np.lexsort((candidates, -masked[candidates]))][:n]
    return order, masked[order]


def rank_of(scores: np.ndarray, target: int, exclude: list[int]) -> int | None:
    """1-based rank of word ``target`` (None if it is excluded): 1 + words scored higher."""
    if target in exclude:
        return None
    better = scores > scores[target]
    better[exclude] = False
    return int(better.sum()) + 1


def answer_vector(wv: Any, a: str, b: str, c: str) -> np.ndarray:
    """``b̂ - â + ĉ`` (unit vectors, not normalised): the point the offset arrows end at. Its
    weights sum to 1, so any affine map (PCA) sends it to ``xy_b - xy_a + xy_c`` exactly."""
    return (
        wv.get_vector(b, norm=True).astype(np.float64)
        - wv.get_vector(a, norm=True).astype(np.float64)
        + wv.get_vector(c, norm=True).astype(np.float64)
    )
