"""Where a vector that is not a plotted word goes on the map.

A linear layout (PCA, and any rotation, shift or scaling of it) is an affine function of the unit
vectors: :func:`affine_map` recovers that function from the plotted words (least squares, checked
to fit them exactly), so any vector is projected exactly as the words were. t-SNE, UMAP and
custom layouts are no function of the vectors: :func:`place_by_neighbours` puts a vector at the
similarity-weighted mean position of its nearest plotted words (an approximation, and said so).
"""

from __future__ import annotations

import numpy as np

PLACE_NEIGHBOURS = 5  # plotted neighbours that place a vector (same rule as the JS page)
FIT_ROWS = 2000  # plotted words the affine map is fitted on (the first, most frequent ones)
FIT_MARGIN = 10  # more rows than unknowns needed before an exact fit means "linear"
LINEAR_TOLERANCE = 1e-3  # largest residual, relative to the layout's extent, of a linear layout


def place_by_neighbours(
    queries: np.ndarray, plot_unit: np.ndarray, xy: np.ndarray, m: int = PLACE_NEIGHBOURS
) -> np.ndarray:
    """``(q, 2)`` positions for ``(q, d)`` unit query vectors: the mean of their ``m`` nearest
    plotted words' positions (by cosine), weighted by similarity (floored at 1e-3)."""
    scores = np.atleast_2d(queries) @ plot_unit.T
    m = min(m, scores.shape[1])
    best = np.argsort(-scores, axis=1, kind="stable")[:, :m]
    weights = np.maximum(np.take_along_axis(scores, best, axis=1), 1e-3).astype(np.float64)
    xy = np.asarray(xy, dtype=np.float64)
    placed = np.einsum("ij,ijk->ik", weights, xy[best]) / weights.sum(axis=1, keepdims=True)
    return placed.astype(np.float32)


def affine_map(plot_unit: np.ndarray, xy: np.ndarray, rows: int = FIT_ROWS) -> np.ndarray | None:
    """The ``(d + 1, 2)`` matrix ``W`` with ``[u, 1] @ W`` = a word's position, when the layout is
    an affine function of the unit vectors (fitted on the first ``rows`` words within
    ``LINEAR_TOLERANCE``); None when it is not (t-SNE, UMAP, words placed by neighbours) or when
    too few words are plotted to tell."""
    n, d = plot_unit.shape
    m = min(n, rows)
    if m < d + 1 + FIT_MARGIN:
        return None
    from threadpoolctl import threadpool_limits

    design = np.hstack([np.asarray(plot_unit[:m], dtype=np.float64), np.ones((m, 1))])
    target = np.asarray(xy[:m], dtype=np.float64)
    with threadpool_limits(1, user_api="blas"):  # a small problem: threads on busy cores cost 100x
        w, *_ = np.linalg.lstsq(design, target, rcond=None)
    extent = float(np.abs(target - target.mean(axis=0)).max()) or 1.0
    if float(np.abs(design @ w - target).max()) > LINEAR_TOLERANCE * extent:
        return None
    return w


def project_affine(w: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """``(q, 2)`` positions of ``(q, d)`` vectors under an :func:`affine_map`."""
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    return (vectors @ w[:-1] + w[-1]).astype(np.float32)
