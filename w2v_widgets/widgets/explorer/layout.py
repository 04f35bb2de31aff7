"""Background layout jobs for the explorer: one projection at a time in a daemon thread.

A job submitted while another runs waits as *pending* (a newer submission replaces it), so
calling ``update`` after every epoch never piles up t-SNE runs. A job receives a
``threading.Event`` that ``cancel`` sets: a projection's progress reporter checks it and stops
the computation (t-SNE stops within 25 iterations). Results are delivered by calling ``on_done``
from the worker thread; ``wait`` blocks until the queue is empty.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from ...vectors import projections

logger = logging.getLogger(__name__)

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
