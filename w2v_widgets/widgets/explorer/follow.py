"""The explorer follows a model while it trains: the map in a stable frame, and for each pinned
word the neighbours it gained and lost since the previous update.

A :class:`MapFollower` is a training callback. On the trainer's events (throttled as the live
widgets are, :class:`~w2v_widgets.widgets.live.base.Throttle`, within a share of the training
time) it takes the model's vectors, places the plotted words in a frame that does not spin
from one update to the next, and hands the explorer the new positions (the page animates the
move). Two frames:

``"aligned"`` (default)
    the PCA of each state, rotated or reflected onto the previous layout by orthogonal
    Procrustes (:func:`~w2v_widgets.vectors.projections.align_layout`): the map shows the
    current geometry as well as PCA can, and only turns as much as the vectors do.
``"fixed"``
    the PCA basis (mean, two directions, centre and scale) of a reference state, the vectors
    when following began, kept: a word whose vector does not change does not move at all.

With ``projection="tsne"`` each update is a t-SNE started from the layout shown, aligned by
Procrustes, computed in the explorer's background worker (costlier: it shares the CPU with
training).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg

from ...callbacks.base import Callback
from ...errors import ConfigError, TrainingStateError
from ...training.control import ENDED_STATES, PAUSED
from ...vectors import projections
from ...vectors.top_k import top_rows
from ..live.base import Throttle
from .colors import coloring_for, show_coloring
from .dispatch import page_message
from .layout import LayoutWorker

logger = logging.getLogger(__name__)

FRAMES = ("aligned", "fixed")
FOLLOW_REFRESH_S = 1.0  # at most one update a second on batch ends
FOLLOW_BUDGET = 0.05  # an update may take at most this share of the training time
MAX_CHANGED = 30  # pinned words whose gained/lost neighbours are listed


# ---------------------------------------------------------------------------------- frames
_controller: Any = None


def one_blas_thread() -> Any:
    """BLAS on one thread for these small products (as projections' PCA: on busy cores, threaded
    BLAS was many times slower); the library scan is done once, not at every update."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


@dataclass(frozen=True)
class Basis:
    """A fixed 2-D frame: ``xy = ((unit - mean) @ components.T - centre) / scale``."""

    mean: np.ndarray  # (d,)
    components: np.ndarray  # (2, d)
    centre: np.ndarray  # (2,)
    scale: float

    def place(self, unit: np.ndarray) -> np.ndarray:
        xy = (np.asarray(unit, dtype=np.float64) - self.mean) @ self.components.T
        return ((xy - self.centre) / self.scale).astype(np.float32)


def fit_basis(unit: np.ndarray) -> Basis:
    """The PCA basis of ``unit`` (rows), with the centre and scale that :func:`normalize_layout`
    would give its layout (98th percentile of ``|coordinate|`` = 1)."""
    x = np.asarray(unit, dtype=np.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ConfigError(f"a frame needs at least 2 vectors in a 2-D array, got shape {x.shape}")
    mean = x.mean(axis=0)
    centred = x - mean
    d = x.shape[1]
    with one_blas_thread():  # the top two eigenvectors of the scatter matrix only (ascending)
        _, eigvecs = scipy.linalg.eigh(centred.T @ centred, subset_by_index=[max(0, d - 2), d - 1])
    components = np.zeros((2, d))
    top = eigvecs[:, ::-1].T
    signs = np.sign(top[np.arange(len(top)), np.abs(top).argmax(axis=1)])
    components[: len(top)] = top * np.where(signs == 0, 1, signs)[:, None]
    xy = centred @ components.T
    centre = xy.mean(axis=0)
    scale = float(np.percentile(np.abs(xy - centre), 98)) or float(np.abs(xy - centre).max()) or 1.0
    return Basis(mean, components, centre, scale)


class FixedFrame:
    """The PCA basis of the first state placed (the reference), kept for every later state."""

    name = "fixed"

    def __init__(self) -> None:
        self.basis: Basis | None = None

    def reset(self) -> None:
        self.basis = None

    def place(self, unit: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
        if self.basis is None or self.basis.mean.shape[0] != np.shape(unit)[1]:
            self.basis = fit_basis(unit)
        return self.basis.place(unit)


class AlignedFrame:
    """Each state's own PCA, rotated or reflected onto the previous layout (orthogonal
    Procrustes), so the map turns only as much as the vectors do."""

    name = "aligned"

    def reset(self) -> None:
        pass

    def place(self, unit: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
        xy = fit_basis(unit).place(unit)
        if previous is not None and np.shape(previous) == xy.shape:
            xy = projections.align_layout(xy, previous)
        return xy


def make_frame(frame: str) -> FixedFrame | AlignedFrame:
    if frame == "fixed":
        return FixedFrame()
    if frame == "aligned":
        return AlignedFrame()
    raise ConfigError(f"frame must be one of {', '.join(map(repr, FRAMES))}, got {frame!r}")


# ---------------------------------------------------------------------------------- neighbours
def neighbour_changes(previous: Sequence[str], current: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(gained, lost)``: words in ``current`` and not in ``previous`` (in ``current``'s order),
    and words in ``previous`` no longer in ``current`` (in ``previous``'s order)."""
    before, after = set(previous), set(current)
    return [w for w in current if w not in before], [w for w in previous if w not in after]


class NeighbourWatch:
    """The top-``k`` neighbours of the pinned words at each update, and what changed since the
    previous update a word was watched in."""

    def __init__(self) -> None:
        self.previous: dict[str, list[str]] = {}
        self.rows: dict[str, dict] = {}  # the last reported row of each word

    def reset(self) -> None:
        self.previous.clear()
        self.rows.clear()

    def pinned(self, wv: Any, words: Sequence[str], k: int) -> list[dict]:
        """The rows to show when the pinned words change between updates: the last row of a
        word already watched, the current neighbours of a new one (changes then count from
        now)."""
        words = [w for w in dict.fromkeys(words) if w in wv.key_to_index][:MAX_CHANGED]
        new = [w for w in words if w not in self.rows]
        if new:
            idx = np.array([wv.key_to_index[w] for w in new], dtype=np.int64)
            for word, row in zip(new, _top_k(wv.get_normed_vectors(), idx, k), strict=True):
                now = [wv.index_to_key[i] for i in row]
                self.previous[word] = now
                self.rows[word] = {"word": word, "neighbours": now, "gained": [], "lost": [], "first": True}
        return [self.rows[w] for w in words]

    def update(self, wv: Any, words: Sequence[str], k: int) -> list[dict]:
        """One entry per word in the vocabulary: ``word, neighbours, gained, lost, first``
        (``first``: no earlier list to compare with)."""
        words = [w for w in dict.fromkeys(words) if w in wv.key_to_index][:MAX_CHANGED]
        if not words:
            self.previous = {}
            return []
        idx = np.array([wv.key_to_index[w] for w in words], dtype=np.int64)
        top = _top_k(wv.get_normed_vectors(), idx, k)
        rows = []
        current: dict[str, list[str]] = {}
        for word, row in zip(words, top, strict=True):
            now = [wv.index_to_key[i] for i in row]
            current[word] = now
            before = self.previous.get(word)
            gained, lost = neighbour_changes(before, now) if before is not None else ([], [])
            rows.append(
                {"word": word, "neighbours": now, "gained": gained, "lost": lost, "first": before is None}
            )
        self.previous = current  # unpinned words are forgotten: pinning again starts afresh
        self.rows = {row["word"]: row for row in rows}
        return rows


# ---------------------------------------------------------------------------------- the callback
def check_follow_every(every: Any) -> str | int | None:
    if every is None or every == "epoch":
        return every
    if isinstance(every, int) and not isinstance(every, bool) and every > 0:
        return every
    raise ConfigError(
        f"follow_every must be None (as often as the throttle allows), 'epoch' or a positive "
        f"number of words, got {every!r}"
    )


def check_followable(model: Any, projection: Any, frame: str, every: Any) -> None:
    """Raise ``ConfigError`` unless an explorer can follow ``model`` with these settings."""
    if not hasattr(model, "add_callback") or not hasattr(model, "wv"):
        raise ConfigError(
            "follow=True needs a w2v.Word2Vec model (e.g. training with fit(corpus, "
            f"background=True)), not a {type(model).__name__}; pass the model itself, not model.wv"
        )
    if not isinstance(projection, str):
        raise ConfigError('follow=True needs a projection by name ("pca" or "tsne"), not a fixed layout')
    make_frame(frame)
    check_follow_every(every)


class MapFollower(Callback):
    """Moves an explorer's points as ``model`` trains (see the module docstring).

    ``every``: ``None`` updates at most once per ``refresh`` seconds on batch ends and epoch
    ends; ``"epoch"`` at each epoch's end; an int ``N`` each time another ``N`` words are
    trained. Every update also goes through the throttle's budget (an update that took ``c``
    seconds waits at least ``c / FOLLOW_BUDGET`` for the next), and a final one is always shown
    at a pause and at the end of training.
    """

    def __init__(
        self,
        explorer: Any,
        model: Any,
        *,
        frame: str = "aligned",
        every: str | int | None = None,
        refresh: float = FOLLOW_REFRESH_S,
    ):
        self.explorer = explorer
        self.model = model
        self.frame = make_frame(frame)
        self.every = check_follow_every(every)
        self.throttle = Throttle(refresh, budget=FOLLOW_BUDGET)
        self.neighbours = NeighbourWatch()
        self.updates = 0
        self._next_words = 0
        self._worker = LayoutWorker()  # updates run here, off the training thread
        model.add_callback(self)
        explorer.observe(self._pinned_changed, names="pinned")

    def stop(self) -> None:
        """Stop following (the map keeps its last layout)."""
        self.model.remove_callback(self)
        self.explorer.unobserve(self._pinned_changed, names="pinned")
        self._worker.cancel()

    def _pinned_changed(self, change: dict) -> None:
        """A word pinned or unpinned between updates: list it at once (its changes count from
        the next update)."""
        ex = self.explorer
        with ex._lock:
            if ex._follow:
                changes = self.neighbours.pinned(ex._plot.wv, change["new"], ex.k)
                ex._follow = {**ex._follow, "changes": changes}

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the updates handed to the background are shown; False on timeout."""
        return self._worker.wait(timeout)

    # -- one update
    def update(self, logs: dict | None = None) -> None:
        """Take the model's vectors now and show them (positions, neighbour changes, label)."""
        try:
            wv = self.model.wv
        except TrainingStateError:
            return
        self.show(wv, logs)

    def show(self, wv: Any, logs: dict | None = None) -> None:
        """Show the vectors ``wv`` (a snapshot of the model's) on the map."""
        logs = dict(logs or {})
        ex = self.explorer
        with ex._lock:
            if not _same_words(ex._plot.wv, wv):
                self._rebase(wv)
            ex._plot.wv = wv
            ex._queries.wv = wv
            changes = self.neighbours.update(wv, ex.pinned, ex.k)
            final = bool(logs.get("final"))
            state = {
                "active": not final and getattr(self.model, "active", False),
                "update": self.updates + 1,
                "label": self.label(logs),
                "frame": self.frame.name if ex._method == "pca" else f"{ex._method} from the previous layout",
                "changes": changes,
            }
            if ex._method != "pca":  # t-SNE/UMAP: warm-started in the background, then aligned
                ex._follow = state
                ex._layouts.start(show_pca_first=False)
            else:
                xy = self.frame.place(ex._plot.unit_vectors(), np.asarray(ex._xy))
                coloring = None
                if final and ex._colors.mode in ("cluster", "distortion"):
                    coloring = coloring_for(ex, ex.color_by, list(ex._words), refit=True, xy=xy)
                with ex.hold_sync():
                    ex._xy = xy
                    ex._follow = state
                    if coloring is not None:
                        show_coloring(ex, coloring)
        self.updates += 1

    def _rebase(self, wv: Any) -> None:
        """The vocabulary changed (a new run with other settings): start the map afresh."""
        self.explorer.update(wv)
        self.frame.reset()
        self.neighbours.reset()

    def label(self, logs: dict) -> str:
        progress = getattr(self.model, "progress", None) or {}
        epoch, epochs = logs.get("epoch", progress.get("epoch")), logs.get("epochs", progress.get("epochs"))
        state = logs.get("state")
        if not state and getattr(self.model, "state", None) in ENDED_STATES:
            state = self.model.state  # followed after the run ended (as in Voilà, once every cell has run)
        parts = [f"training {state}" if state else "following training"]
        parts.append(f"update {self.updates + 1}")
        if epoch is not None and epochs:
            parts.append(f"epoch {min(int(epoch) + 1, int(epochs))} of {int(epochs)}")
        fraction = progress.get("progress")
        if isinstance(fraction, float):
            parts.append(f"{fraction:.0%} trained")
        return " · ".join(parts)

    def _safe_update(self, logs: dict, force: bool = False) -> None:
        """On the training thread: only a snapshot of the vectors (a copy of the table); the
        frame, the neighbours and the messages to the page are computed in the background,
        whose cost stretches the throttle's interval (``FOLLOW_BUDGET``)."""
        if not self.throttle(force):
            return
        try:
            wv = self.model.wv
        except TrainingStateError:
            return

        def show(_cancelled: Any) -> None:
            self.throttle.timed(lambda: self.show(wv, logs))

        self._worker.submit(show, lambda _: None, self._failed)

    def _failed(self, exc: BaseException) -> None:  # a display bug must not stop training
        logger.error("the explorer failed to follow training", exc_info=exc)
        text = f"the map stopped following training: {type(exc).__name__}: {exc}"
        self.explorer._message = page_message("error", text)

    # -- training events
    def on_train_begin(self, model: Any, logs: dict) -> None:
        self._next_words = self.every if isinstance(self.every, int) else 0
        self._safe_update(logs, force=True)

    def on_batch_end(self, model: Any, logs: dict) -> None:
        if self.every == "epoch":
            return
        if isinstance(self.every, int):
            done = int(logs.get("words_done", 0))
            if done < self._next_words:
                return
            self._next_words = (done // self.every + 1) * self.every
        self._safe_update(logs)

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        self._safe_update(logs, force=self.every == "epoch")

    def on_state_change(self, model: Any, logs: dict) -> None:
        if logs.get("state") in (PAUSED, *ENDED_STATES):
            self._safe_update({**logs, "final": logs.get("state") != PAUSED}, force=True)


def _top_k(unit: np.ndarray, idx: np.ndarray, k: int) -> list[list[int]]:
    """Each ``idx`` row's ``k`` nearest rows of ``unit`` by cosine, best first, itself left out
    (the hover's rule; numpy on one BLAS thread: a few rows against the vocabulary)."""
    k = max(0, min(k, len(unit) - 1))
    with one_blas_thread():
        scores = unit[idx] @ unit.T  # (q, V)
    scores[np.arange(len(idx)), idx] = -np.inf
    return top_rows(scores, k)[0].tolist()


def _same_words(a: Any, b: Any) -> bool:
    return a is b or (len(a.index_to_key) == len(b.index_to_key) and a.index_to_key == b.index_to_key)
