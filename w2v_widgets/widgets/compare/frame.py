"""What ``CompareExplorer`` shows, computed once: the shared 2-D frame of both runs, each word's
neighbour overlap and displacement, the colours by overlap and the words that moved most.

The frame is linear and honest: run ``b`` is rotated onto run ``a`` in the full space
(:func:`w2v_widgets.vectors.compare.align_runs`), then one PCA basis is fitted on the plotted
words of both runs together and both are projected with it. A word's 2-D move is the projection
of its full-space displacement; the slider interpolates between the two projections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...vectors.compare import AlignedRuns, neighbour_overlap
from ..explorer.colors import DISTORTION_COLORS, Coloring

MOVED_LISTED = 30  # rows of the moved-words list


@dataclass
class CompareFrame:
    """The plotted words (most frequent shared words first) and everything drawn for them."""

    words: list[str]
    xy_a: np.ndarray  # (n, 2) float32
    xy_b: np.ndarray  # (n, 2) float32, same frame
    overlap: np.ndarray  # (n,) share of k nearest neighbours both runs agree on
    displacement: np.ndarray  # (n,) distance of unit vectors after the alignment (0..2)
    rank: np.ndarray  # (n,) frequency rank in run a


def shared_frame(runs: AlignedRuns, n_words: int, k: int) -> CompareFrame:
    """Project the ``n_words`` most frequent shared words of both runs into one PCA frame;
    overlaps use neighbours searched among all shared words."""
    n = min(n_words, len(runs.words))
    a, b = runs.a[:n], runs.b[:n]
    both = np.vstack([a, b])
    centre = both.mean(axis=0)
    _, _, vt = np.linalg.svd(both - centre, full_matrices=False)
    basis = vt[:2].T if vt.shape[0] >= 2 else np.eye(both.shape[1], 2)
    xy = (both - centre) @ basis
    scale = float(np.percentile(np.abs(xy), 98)) or float(np.abs(xy).max()) or 1.0
    xy = (xy / scale).astype(np.float32)
    return CompareFrame(
        words=runs.words[:n],
        xy_a=xy[:n],
        xy_b=xy[n:],
        overlap=neighbour_overlap(runs.a, runs.b, k, rows=np.arange(n)),
        displacement=np.linalg.norm(a - b, axis=1),
        rank=np.asarray(runs.rank[:n]),
    )


def by_overlap(overlap: np.ndarray, k: int) -> Coloring:
    """Five colours from red (the runs share few of the word's ``k`` neighbours) to green (they
    agree), with a legend in neighbours out of ``k``."""
    edges = np.array([0.0, 0.3, 0.5, 0.7, 0.9])
    codes = (np.searchsorted(edges, np.asarray(overlap) + 1e-9, side="right") - 1).clip(0, 4)
    counts = [int(np.ceil(e * k - 1e-9)) for e in edges] + [k + 1]
    legend = []
    for i in range(5):
        lo, hi = counts[i], counts[i + 1] - 1
        if hi < lo:
            continue
        span = f"{lo}" if lo == hi else f"{lo}–{hi}"
        label = f"{span} of {k} shared" if i == 0 else span
        legend.append({"label": label + (": stable" if i == 4 else ""), "color": i})
    return Coloring(codes.astype(np.int32), list(DISTORTION_COLORS), legend)


def moved_words(frame: CompareFrame, limit: int = MOVED_LISTED) -> list[dict]:
    """The plotted words that moved most (largest displacement, then smallest overlap)."""
    order = np.lexsort((frame.overlap, -frame.displacement))[:limit]
    return [
        {
            "word": frame.words[i],
            "displacement": round(float(frame.displacement[i]), 4),
            "overlap": round(float(frame.overlap[i]), 4),
            "rank": int(frame.rank[i]),
        }
        for i in order.tolist()
    ]
