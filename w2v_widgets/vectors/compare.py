"""Two runs compared word by word: shared neighbours, and displacement after alignment.

Two trainings of word2vec (two seeds, two settings, two epochs of one run) give vectors that
differ by an arbitrary rotation even where they agree, so raw coordinates cannot be compared.
:func:`align_runs` fits the orthogonal map that best lays run ``b`` onto run ``a`` (orthogonal
Procrustes, on unit vectors of the frequent words, in the full space); :func:`compare_runs`
then reports, for every shared word, how many of its nearest neighbours the runs agree on and
how far it still sits from itself after the alignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError
from .evaluation import SCORE_BLOCK
from .sources import as_word_vectors, load_run
from .top_k import top_rows
from .word_vectors import WordVectors

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AlignedRuns", "align_runs", "as_word_vectors", "compare_runs", "load_run", "neighbour_overlap",
    "procrustes_rotation",
]  # fmt: skip


def procrustes_rotation(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal ``R`` (d x d) minimising ``||source @ R - target||`` (Frobenius):
    ``R = U V^T`` from the SVD ``source^T target = U S V^T`` (Schönemann 1966)."""
    source = np.asarray(source, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if source.shape != target.shape or source.ndim != 2:
        shapes = f"{source.shape} and {target.shape}"
        raise ConfigError(f"source and target must be two arrays of one shape (n, d), got {shapes}")
    u, _, vt = np.linalg.svd(source.T @ target)
    return u @ vt


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _pad(matrix: np.ndarray, dim: int) -> np.ndarray:
    if matrix.shape[1] == dim:
        return matrix
    return np.hstack([matrix, np.zeros((matrix.shape[0], dim - matrix.shape[1]))])


@dataclass
class AlignedRuns:
    """Shared words (in ``a``'s order, most frequent first) and their unit vectors in both runs,
    ``b`` rotated onto ``a``. Runs of different dimension are padded with zeros to the larger."""

    words: list[str]
    a: np.ndarray  # (n, d) unit vectors of run a
    b: np.ndarray  # (n, d) unit vectors of run b after the rotation
    rotation: np.ndarray  # (d, d), applied to b's (padded) unit vectors
    n_fit: int  # the first n_fit shared words fitted the rotation
    rank: np.ndarray  # frequency rank in run a (1 = most frequent)


def _frequency_order(wv: WordVectors) -> np.ndarray:
    """Row indices of ``wv`` from most to least frequent (vocabulary order without counts)."""
    if wv.counts is None:
        return np.arange(len(wv))
    return np.argsort(-wv.counts, kind="stable")


def align_runs(a: Any, b: Any, n_fit: int = 1000) -> AlignedRuns:
    """Lay run ``b`` onto run ``a``: unit vectors, shared words, and the orthogonal rotation
    fitted on the ``n_fit`` most frequent shared words (frequent words are trained best, so they
    anchor the frame; rare ones are then free to show how far they moved)."""
    wa, wb = as_word_vectors(a, "a"), as_word_vectors(b, "b")
    if not isinstance(n_fit, int) or n_fit < 2:
        raise ConfigError(f"n_fit must be an int >= 2 (the words that fit the alignment), not {n_fit!r}")
    order = _frequency_order(wa)
    words = [wa.index_to_key[i] for i in order if wa.index_to_key[i] in wb.key_to_index]
    if len(words) < 2:
        raise ConfigError(f"the two runs share {len(words)} word(s); comparing them needs at least 2")
    rank_of = np.empty(len(wa), dtype=np.int64)
    rank_of[order] = np.arange(1, len(wa) + 1)
    ia = np.array([wa.key_to_index[w] for w in words])
    ib = np.array([wb.key_to_index[w] for w in words])
    dim = max(wa.vector_size, wb.vector_size)
    va = _pad(_unit_rows(wa.vectors[ia]), dim)
    vb = _pad(_unit_rows(wb.vectors[ib]), dim)
    fit = min(n_fit, len(words))
    rotation = procrustes_rotation(vb[:fit], va[:fit])
    return AlignedRuns(words, va, vb @ rotation, rotation, fit, rank_of[ia])


def _neighbour_sets(
    unit: np.ndarray, k: int, rows: np.ndarray, block_values: int = SCORE_BLOCK
) -> np.ndarray:
    """``(len(rows), k)`` indices of the ``k`` nearest other rows of each of ``rows`` by cosine
    (unit rows given), searched among all rows: blocks of at most ``block_values`` scores (16 MiB),
    each cut by :func:`~w2v_widgets.vectors.top_k.top_rows`."""
    table = np.ascontiguousarray(unit, dtype=np.float32)
    block = max(1, block_values // max(1, table.shape[0]))
    out = np.empty((len(rows), k), dtype=np.int64)
    for start in range(0, len(rows), block):
        these = np.asarray(rows[start : start + block], dtype=np.int64)
        sims = table[these] @ table.T
        sims[np.arange(len(these)), these] = -np.inf
        out[start : start + len(these)] = top_rows(sims, k)[0]
    return out


def neighbour_overlap(a_unit: np.ndarray, b_unit: np.ndarray, k: int, rows: Any = None) -> np.ndarray:
    """Share of each row's ``k`` nearest rows (cosine) that are the same in both matrices; for
    the given ``rows`` only (indices; all rows by default), their neighbours still searched
    among all rows."""
    rows = np.arange(a_unit.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
    na, nb = _neighbour_sets(a_unit, k, rows), _neighbour_sets(b_unit, k, rows)
    n = na.shape[0]
    hits = np.zeros(n, dtype=np.int64)
    for j in range(k):  # na[i, j] in nb[i]: compare against each column of nb
        hits += (na[:, j : j + 1] == nb).any(axis=1)
    return hits / k


def compare_runs(a: Any, b: Any, k: int = 10, n_fit: int = 1000) -> pd.DataFrame:
    """Compare two runs word by word; one row per word the runs share.

    ``a`` and ``b``: trained ``Word2Vec`` models, ``WordVectors``, checkpoint paths (or
    ``WordVectors.save`` files), or gensim ``KeyedVectors``.

    Columns: ``word``; ``overlap``, the share of its ``k`` nearest neighbours (cosine, among the
    shared words) that both runs agree on; ``displacement``, the distance between its unit vector
    in ``a`` and in ``b`` after ``b`` is rotated onto ``a`` (orthogonal Procrustes in the full
    space, fitted on the ``n_fit`` most frequent shared words; 0 = same place, 2 = opposite);
    ``rank``, its frequency rank in ``a`` (1 = most frequent). Sorted by change: largest
    displacement first, ties broken by smaller overlap.
    """
    if not isinstance(k, int) or k < 1:
        raise ConfigError(f"k must be a positive int (neighbours compared per word), not {k!r}")
    runs = align_runs(a, b, n_fit)
    n = len(runs.words)
    if k >= n:
        raise ConfigError(f"k={k} neighbours need more than {k} shared words; the runs share {n}")
    overlap = neighbour_overlap(runs.a, runs.b, k)
    displacement = np.linalg.norm(runs.a - runs.b, axis=1)
    import pandas as pd

    frame = pd.DataFrame(
        {"word": runs.words, "overlap": overlap, "displacement": displacement, "rank": runs.rank}
    )
    frame = frame.sort_values(["displacement", "overlap"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)
