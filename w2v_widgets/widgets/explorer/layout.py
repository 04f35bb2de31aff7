"""Background layout jobs for the explorer: one projection at a time in a daemon thread.

:class:`LayoutJobs` starts the explorer's t-SNE/UMAP (or takes it from the projection cache),
shows its progress and intermediate layouts, and turns the finished layout onto the shown one
(:func:`onto_current`). :class:`LayoutWorker` runs the jobs: a job submitted while another runs
waits as *pending* (a newer submission replaces it), so calling ``update`` after every epoch never
piles up t-SNE runs. A job receives a ``threading.Event`` that ``cancel`` sets: a projection's
progress reporter checks it and stops the computation (t-SNE stops within 25 iterations). Results
are delivered by calling ``on_done`` from the worker thread; ``wait`` blocks until the queue is
empty. :class:`LayoutProgress` is a job's progress as the page shows it: a label with the
percentage and the time left, and now and then the layout so far.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ...vectors import projections
from .colors import coloring_for, show_coloring
from .dispatch import page_message

logger = logging.getLogger(__name__)

INTERMEDIATE_EVERY_S = 1.0  # at most one intermediate layout a second reaches the page
# rows whose cached layout is looked up at once, in the caller's thread; above, the worker looks it
# up (the cache key hashes the rows: 3.4 GB at 3M words x 300, seconds the kernel would wait)
LOOKUP_AT_ONCE_BYTES = 64 << 20
_LABELS = {"tsne": "t-SNE", "umap": "UMAP", "pca": "PCA"}
ShowProgress = Callable[[dict, "np.ndarray | None", int], None]

Task = tuple[Callable[[threading.Event], Any], Callable[[Any], None], Callable[[BaseException], None]]


class LayoutWorker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._pending: Task | None = None
        self._running = False
        self._generation = 0
        self._cancelled = threading.Event()

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def submit(
        self,
        compute: Callable[[threading.Event], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``compute(cancelled)`` in the background, then ``on_done(result)`` (or
        ``on_error(exc)``); a job submitted meanwhile waits for the running one."""
        with self._lock:
            self._pending = (compute, on_done, on_error)
            self._idle.clear()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._loop, name="w2v-explorer-layout", daemon=True).start()

    def cancel(self) -> None:
        """Drop the pending job and stop the running one (its result, if any, is ignored)."""
        with self._lock:
            self._pending = None
            self._generation += 1
            self._cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no job is running or pending; False on timeout."""
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                task, self._pending = self._pending, None
                generation = self._generation
                cancelled = self._cancelled = threading.Event()
                if task is None:
                    self._running = False
                    self._idle.set()
                    return
            compute, on_done, on_error = task
            try:
                result = compute(cancelled)
            except BaseException as exc:
                if generation == self._generation:
                    self._deliver(on_error, exc)
                continue
            if generation == self._generation:
                self._deliver(on_done, result)

    @staticmethod
    def _deliver(fn: Callable[[Any], None], value: Any) -> None:
        try:
            fn(value)
        except Exception:
            logger.exception("explorer layout callback failed")


def onto_current(xy: np.ndarray, current: np.ndarray) -> np.ndarray:
    """A finished layout of the first ``len(xy)`` plotted words, turned to best match where they
    are shown now (``current``); words added while it ran keep their places, moved along."""
    n = len(xy)
    xy = projections.align_layout(xy, current[:n])
    if n < len(current):
        shift = xy.mean(axis=0) - current[:n].mean(axis=0)
        xy = np.vstack([xy, current[n:] + shift])
    return xy


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
        self.paced_stage: str | None = None
        self.last_layout = 0.0

    def eta(self, now: float, fraction: float) -> float | None:
        """Seconds left, from the pace since the current stage began: the iterations, then the
        placing of the words t-SNE did not map (the neighbour search before them, and each stage,
        run at another pace)."""
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
        if stage != "finding neighbours" and stage != self.paced_stage:
            self.optimising_since, self.paced_stage = (now, fraction), stage
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


class LayoutJobs:
    """The explorer's background layouts: ``start`` one of its projection (``explorer._method``)
    over the plotted words, ``cancel`` it, ``wait`` for it. Results land in the explorer's
    ``_xy``, ``_projection``, ``_progress`` and ``_message`` traits (under its lock)."""

    def __init__(self, explorer: Any):
        self.explorer = explorer
        self.worker = LayoutWorker()

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def wait(self, timeout: float | None = None) -> bool:
        return self.worker.wait(timeout)

    def start(self, show_pca_first: bool) -> None:
        """Compute the layout in the background, from PCA (``show_pca_first``) or warm-started
        from the shown one; a cached layout is shown at once (from the worker, for large maps)."""
        ex = self.explorer
        method, seed = ex._method, ex._seed
        vectors = ex._plot.unit_vectors()
        init = None if show_pca_first else np.array(ex._xy)
        if vectors.nbytes <= LOOKUP_AT_ONCE_BYTES:
            hit = projections.cached(vectors, method, seed=seed, init=init)
            if hit is not None:
                self.apply(hit, method, len(vectors))
                return
        label = label_of(method)
        started = time.time()
        ex._progress = {"active": True, "label": f"computing {label}…", "started": started}

        def compute(cancelled: threading.Event) -> np.ndarray:
            report = LayoutProgress(self.show_progress, method, len(vectors), started, cancelled)
            return projections.project(vectors, method, seed=seed, init=init, progress=report, unit=True)

        self.worker.submit(compute, lambda xy: self.apply(xy, method, len(vectors)), self.failed)

    def cancel(self, tell: bool = False) -> bool:
        """Stop the running layout (the map keeps its last intermediate one); True if one was
        running, in which case ``tell`` says so on the page."""
        busy = self.worker.busy
        self.worker.cancel()
        if busy and tell:
            ex = self.explorer
            with ex.hold_sync():
                ex._progress = {}
                ex._message = page_message("info", f"{label_of(ex._method)} cancelled")
        return busy

    def show_progress(self, progress: dict, layout: np.ndarray | None, n: int) -> None:
        """From the layout thread: progress, and an intermediate layout when given."""
        ex = self.explorer
        with ex._lock, ex.hold_sync():
            ex._progress = progress
            if layout is not None:
                self.apply(layout, ex._method, n, final=False)

    def apply(self, xy: np.ndarray, method: str, n: int, final: bool = True) -> None:
        """Show a layout of the first ``n`` plotted words (turned onto the shown one); a final
        one also names the projection, ends the progress bar and recolours a distortion map."""
        ex = self.explorer
        with ex._lock:
            if n > len(ex._plot.idx):
                return  # outdated (the plot was rebuilt meanwhile)
            xy = onto_current(xy, np.asarray(ex._xy))
            coloring = None
            if final and ex._colors.mode == "distortion":
                coloring = coloring_for(ex, "distortion", list(ex._words), refit=False, xy=xy)
            with ex.hold_sync():
                ex._xy = xy
                if final:
                    ex._projection = label_of(method)
                    ex._progress = {}
                if coloring is not None:
                    show_coloring(ex, coloring)

    def failed(self, exc: BaseException) -> None:
        logger.error("explorer layout failed", exc_info=exc)
        ex = self.explorer
        with ex.hold_sync():
            ex._progress = {}
            ex._message = page_message("error", f"layout failed: {exc}")
