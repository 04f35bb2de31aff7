"""The explorer's arguments checked before anything is built, each with an error that says what
to pass instead."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ConfigError
from ...vectors import projections
from .queries import check_k

_EXTRA_KWARGS = {"layout"}  # passed on to the widget


def check_arguments(kwargs: dict, n_words: Any, k: Any) -> None:
    """No unknown keyword; ``n_words`` a positive whole number or None; ``k`` within bounds."""
    unknown = set(kwargs) - _EXTRA_KWARGS
    if unknown:
        raise ConfigError(
            f"EmbeddingExplorer got unexpected keyword(s) {', '.join(sorted(unknown))}; "
            "accepted: n_words, projection, follow, follow_every, frame, color_by, n_clusters, k, "
            "top_labels, height, seed, page_words"
        )
    if n_words is not None and (not isinstance(n_words, int) or isinstance(n_words, bool) or n_words < 1):
        raise ConfigError(f"n_words must be a positive whole number or None (all words), got {n_words!r}")
    check_k(k)


def parse_projection(projection: Any, n_vocab: int, plot_idx: np.ndarray) -> tuple[str, np.ndarray | None]:
    """``(method, None)`` for a projection's name, or ``("custom", layout)`` for an array of
    positions: one row per plotted word, or one per vocabulary word (the plotted ones kept)."""
    if isinstance(projection, str):
        projections.PROJECTIONS.get(projection)  # ConfigError listing the choices
        return projection, None
    arr = np.asarray(projection, dtype=np.float64)
    n_plot = len(plot_idx)
    if arr.ndim == 2 and arr.shape == (n_vocab, 2) and n_vocab != n_plot:
        arr = arr[plot_idx]
    if arr.shape != (n_plot, 2):
        raise ConfigError(
            f"a projection array must have shape ({n_plot}, 2) (one row per plotted word) "
            f"or ({n_vocab}, 2) (one per vocabulary word), got {arr.shape}"
        )
    return "custom", projections.normalize_layout(arr)
