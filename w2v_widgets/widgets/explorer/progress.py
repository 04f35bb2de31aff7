"""A background layout's progress as the explorer shows it: a label with the percentage and the
time left, and now and then the layout so far."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ...vectors import projections

INTERMEDIATE_EVERY_S = 1.0  # at most one intermediate layout a second reaches the page
_LABELS = {"tsne": "t-SNE", "umap": "UMAP", "pca": "PCA"}
ShowProgress = Callable[[dict, "np.ndarray | None", int], None]


def label_of(method: str) -> str:
    """A projection's name as the page shows it (``t-SNE``)."""
    return _LABELS.get(method, method)


class LayoutProgress:
    """A projection's progress reporter: percentage, ETA and (at most once a second) the
    intermediate layout, handed to ``show(progress, layout or None, n)``; raises
    ``LayoutCancelled`` once the job is cancelled."""

    def __init__(self, show: ShowProgress, method: str, n: int, started: float, cancelled: Any):
        self.show, self.method, self.n = show, method, n
        self.started, self.cancelled = started, cancelled
        self.optimising_since: tuple[float, float] | None = None  # (time, fraction) at its start
        self.last_layout = 0.0

    def eta(self, now: float, fraction: float) -> float | None:
        """Seconds left, from the pace since the iterations began (the neighbour search before
        them runs at another pace)."""
        if self.optimising_since is None:
            return None
        t0, f0 = self.optimising_since
        if fraction - f0 < 0.02:
            return None
        return (now - t0) / (fraction - f0) * (1 - fraction)

    def __call__(self, fraction: float, stage: str, layout: np.ndarray | None) -> None:
        if self.cancelled.is_set():
            raise projections.LayoutCancelled(f"{self.method} cancelled")
        now = time.time()
        if stage == "optimising" and self.optimising_since is None:
            self.optimising_since = (now, fraction)
        label = label_of(self.method)
        eta = self.eta(now, fraction)
        progress = {
            "active": True,
            "label": f"{label} {stage} {fraction:.0%}"
            + (f", about {eta:.0f} s left" if eta is not None else ""),
            "fraction": float(fraction),
            "eta_s": eta,
            "started": self.started,
            "cancellable": True,
        }
        due = layout is not None and fraction < 1 and now - self.last_layout >= INTERMEDIATE_EVERY_S
        if due:
            self.last_layout = now
            layout = projections.normalize_layout(layout)
        self.show(progress, layout if due else None, self.n)
