"""Thread-safe run control: the trainer's state machine and its pause/resume/stop requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import StrEnum

from ..errors import TrainingStateError


class TrainingState(StrEnum):
    """The trainer's states; each is also its plain string (``TrainingState.RUNNING == "running"``)."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    STOPPED = "stopped"
    FINISHED = "finished"
    FAILED = "failed"


IDLE, RUNNING, PAUSED, STOPPING, STOPPED, FINISHED, FAILED = TrainingState
ACTIVE_STATES = (RUNNING, PAUSED, STOPPING)
ENDED_STATES = (STOPPED, FINISHED, FAILED)

_ALLOWED = {
    IDLE: {RUNNING},
    RUNNING: {PAUSED, STOPPING, FINISHED, FAILED},
    PAUSED: {RUNNING, STOPPING, FAILED},
    STOPPING: {STOPPED, FINISHED, FAILED},
    STOPPED: {RUNNING, IDLE},
    FINISHED: {RUNNING, IDLE},
    FAILED: {RUNNING, IDLE},
}


class RunControl:
    """Holds the state and lets any thread pause, resume or stop the training thread.

    The training loop calls :meth:`pause_point` between batches: it blocks while paused and
    returns ``True`` once a stop was asked for, so every request takes effect within one batch.
    ``on_change(state, previous)`` is called (outside the lock) on every transition.
    """

    def __init__(self, on_change: Callable[[str, str], None] | None = None):
        self._cond = threading.Condition()
        self._state: TrainingState = IDLE
        self._stop_requested = False
        self._pause_requested = False
        self._paused_seconds = 0.0
        self.stop_reason: str | None = None
        self.on_change = on_change

    @property
    def state(self) -> TrainingState:
        return self._state

    @property
    def active(self) -> bool:
        return self._state in ACTIVE_STATES

    def _set(self, new: TrainingState | str) -> None:
        new = TrainingState(new)
        with self._cond:
            old = self._state
            if new == old:
                return
            if new not in _ALLOWED[old]:
                raise TrainingStateError(f"cannot go from {old!r} to {new!r}")
            self._state = new
            self._cond.notify_all()
        if self.on_change is not None:
            self.on_change(new, old)

    # -- called by the training thread
    def begin(self) -> None:
        with self._cond:
            self._stop_requested = self._pause_requested = False
            self.stop_reason = None
        self._set(RUNNING)

    def end(self, state: str) -> None:
        if self._state == PAUSED and state != FAILED:
            self._set(STOPPING)
        self._set(state)

    def pause_point(self) -> bool:
        """Block while paused; return True if training should stop now."""
        if self._pause_requested and not self._stop_requested:
            self._set(PAUSED)
            start = time.perf_counter()
            with self._cond:
                while self._pause_requested and not self._stop_requested:
                    self._cond.wait(0.5)
            self._paused_seconds += time.perf_counter() - start
            if not self._stop_requested:
                self._set(RUNNING)
        if self._stop_requested and self._state in (RUNNING, PAUSED):
            self._set(STOPPING)
        return self._stop_requested

    def take_paused_seconds(self) -> float:
        seconds, self._paused_seconds = self._paused_seconds, 0.0
        return seconds

    # -- called from any thread
    def pause(self) -> None:
        if self._state not in (RUNNING, PAUSED):
            raise TrainingStateError(f"cannot pause: training is {self._state}")
        with self._cond:
            self._pause_requested = True

    def resume(self) -> None:
        if self._state not in (RUNNING, PAUSED):
            raise TrainingStateError(f"cannot resume: training is {self._state}")
        with self._cond:
            self._pause_requested = False
            self._cond.notify_all()

    def stop(self, reason: str = "stopped by request") -> None:
        """Ask the run to stop after the current batch (a no-op when nothing runs)."""
        with self._cond:
            if self._state not in ACTIVE_STATES:
                return
            self._stop_requested = True
            self.stop_reason = self.stop_reason or reason
            self._cond.notify_all()

    def reset(self) -> None:
        if self.active:
            raise TrainingStateError("cannot reset while training; stop it first")
        self._set(IDLE)
