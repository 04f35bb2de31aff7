"""The small parts every live widget shares: a redraw throttle, the state machine of the
training controls, where the code runs (a kernel with a front-end, or a terminal), and
:class:`Follower`, the base of a widget that follows a model's training events.

Nothing here draws anything; the pure parts (:class:`Throttle`, :class:`Controls`) are unit
tested without a kernel.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...callbacks.base import Callback
from ...errors import TrainingStateError
from ...training.control import (
    ENDED_STATES,
    FAILED,
    IDLE,
    PAUSED,
    RUNNING,
    STOPPED,
    STOPPING,
    TrainingState,
)
from ..closing import close_tree
from .relay import Relay, shared_relay

logger = logging.getLogger(__name__)

TRAINER_STATES = tuple(TrainingState)


class Throttle:
    """Lets an action through at most once per ``interval`` seconds.

    ``throttle()`` returns True (and starts a new interval) when the action may run now;
    ``throttle(force=True)`` always does. Events refused in between are not queued: callers
    force a final redraw when it matters (end of an epoch, a pause, the end of training).

    ``budget`` bounds the share of time the action may take: after :meth:`spent` reports
    that one run cost ``c`` seconds, the next waits at least ``c / budget`` (a neighbour
    query on a huge vocabulary then runs less often, instead of slowing training).
    ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        interval: float,
        budget: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ):
        if interval < 0:
            raise ValueError(f"interval must be >= 0 seconds, not {interval}")
        if not 0 < budget <= 1:
            raise ValueError(f"budget must be in (0, 1], not {budget}")
        self.base_interval = self.interval = float(interval)
        self.budget = float(budget)
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()
        self.passed = 0  # how many calls were let through
        self.refused = 0

    def __call__(self, force: bool = False) -> bool:
        now = self._clock()
        with self._lock:
            if force or self._last is None or now - self._last >= self.interval:
                self._last = now
                self.passed += 1
                return True
            self.refused += 1
            return False

    def spent(self, seconds: float) -> None:
        """The action just let through took ``seconds``: stretch the interval to the budget."""
        with self._lock:
            self.interval = max(self.base_interval, seconds / self.budget)

    def timed(self, action: Callable[[], Any]) -> Any:
        """Run ``action`` and report its cost to :meth:`spent`."""
        start = self._clock()
        try:
            return action()
        finally:
            self.spent(self._clock() - start)

    def reset(self) -> None:
        """Forget the last pass: the next call goes through."""
        with self._lock:
            self._last = None


@dataclass(frozen=True)
class ControlsView:
    """What the buttons and the settings form show in one state."""

    start: bool
    start_label: str
    pause: bool
    pause_label: str
    stop: bool
    reset: bool
    settings: bool


# The trainer states an action waits for before the controls unlock again.
_TARGETS = {
    "start": frozenset(TRAINER_STATES) - {IDLE},
    "pause": frozenset({PAUSED, STOPPING, *ENDED_STATES}),
    "resume": frozenset({RUNNING, STOPPING, *ENDED_STATES}),
    "stop": frozenset({STOPPING, *ENDED_STATES}),
    "reset": frozenset({IDLE}),
}
ACTIONS = tuple(_TARGETS)


class Controls:
    """The dashboard's button logic as a state machine.

    ``state`` mirrors the trainer's state (fed by :meth:`observe`). After a click,
    :meth:`request` records the action as *pending* until the trainer reaches one of the
    states that action leads to: meanwhile the buttons that would conflict are disabled, so a
    double click cannot start two runs. :meth:`abandon` clears a pending action whose call
    failed. Thread-safe: clicks arrive on the kernel's main thread, states on the training one.
    """

    def __init__(self, state: str = IDLE, can_start: bool = True):
        self._lock = threading.Lock()
        self.state = self._check_state(state)
        self.pending: str | None = None
        self.can_start = can_start

    @staticmethod
    def _check_state(state: str) -> str:
        if state not in TRAINER_STATES:
            raise ValueError(f"unknown trainer state {state!r}")
        return state

    def allowed(self, action: str) -> bool:
        """Whether ``action`` may be requested now."""
        if action not in _TARGETS:
            raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        with self._lock:
            return self._allowed(action)

    def _allowed(self, action: str) -> bool:
        state, pending = self.state, self.pending
        if action == "stop":
            return state in (RUNNING, PAUSED) and pending not in ("stop", "start", "reset")
        if pending is not None:
            return False
        if action == "start":
            return self.can_start and state in (IDLE, *ENDED_STATES)
        if action == "pause":
            return state == RUNNING
        if action == "resume":
            return state == PAUSED
        return state in (IDLE, *ENDED_STATES)  # reset

    def request(self, action: str) -> None:
        """Mark ``action`` pending, or raise TrainingStateError if the state forbids it."""
        if action not in _TARGETS:
            raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        with self._lock:
            if not self._allowed(action):
                why = f" (waiting for {self.pending})" if self.pending else ""
                raise TrainingStateError(f"cannot {action}: training is {self.state}{why}")
            self.pending = action

    def observe(self, state: str) -> None:
        """The trainer is now in ``state``; clear the pending action if it has taken effect."""
        state = self._check_state(state)
        with self._lock:
            self.state = state
            if self.pending is not None and state in _TARGETS[self.pending]:
                self.pending = None

    def abandon(self) -> None:
        """The pending action's call failed: unlock the controls."""
        with self._lock:
            self.pending = None

    def view(self) -> ControlsView:
        with self._lock:
            state = self.state
            paused = state == PAUSED or self.pending == "pause"
            return ControlsView(
                start=self._allowed("start"),
                start_label="Continue" if state in (STOPPED, FAILED) else "Start",
                pause=self._allowed("resume" if state == PAUSED else "pause"),
                pause_label="Resume" if paused else "Pause",
                stop=self._allowed("stop"),
                reset=self._allowed("reset"),
                settings=self.pending is None and state in (IDLE, *ENDED_STATES),
            )


def environment() -> str:
    """``"kernel"`` in a Jupyter kernel, ``"terminal"`` in IPython without one, else ``"script"``.

    Only a kernel can show widgets; whether a front-end actually renders them is known per
    widget from its view count (see :func:`has_view`).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return "script"
    shell = get_ipython()
    if shell is None:
        return "script"
    if getattr(shell, "kernel", None) is not None:
        return "kernel"
    return "terminal"


def has_view(widget: Any) -> bool:
    """Whether a front-end has rendered ``widget`` (needs ``_view_count`` tracking on)."""
    count = getattr(widget, "_view_count", None)
    return bool(count)


class Follower(Callback):
    """A callback that follows one model at a time; base of the live widgets.

    ``follow(model)`` moves the subscription (``model.add_callback``) from the previous model
    to ``model``. Event handlers run through :meth:`guard`: an exception while drawing is
    logged and passed to :meth:`show_display_error` instead of failing the training run.
    """

    model: Any = None

    def follow(self, model: Any) -> None:
        old = getattr(self, "_followed", None)
        if old is model:
            return
        if old is not None:
            old.remove_callback(self)
        self._followed = model
        if model is not None:
            model.add_callback(self)
        self.model = model

    def unfollow(self) -> None:
        self.follow(None)

    def close(self) -> None:
        """Stop following the model, then close the widget and every widget it holds."""
        self.unfollow()
        close_tree(self)  # type: ignore[arg-type]

    def guard(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # a display bug must not kill training
            logger.exception("%s failed to update", type(self).__name__)
            self.show_display_error(exc)
            return None

    def show_display_error(self, exc: BaseException) -> None:
        """Override to show the error in the widget."""

    def to_text(self) -> str:
        """A plain-text rendering, for terminals, scripts and nbconvert outputs."""
        return type(self).__name__

    def __str__(self) -> str:
        return self.to_text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The widget in a kernel (with :meth:`to_text` as its text/plain), else text only."""
        text = self.to_text()
        if environment() != "kernel":
            return {"text/plain": text}
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        bundle["text/plain"] = text
        return bundle


class LiveView(Follower):
    """Base of the live widgets: it decides *when* to draw, subclasses only draw.

    Every interval's figures go to :meth:`record` (cheap bookkeeping, never throttled); drawing
    (:meth:`draw`) happens at most once per ``refresh`` seconds and within a share of the
    training time (:class:`Throttle`'s budget), at the end of an epoch through the same throttle
    (epochs of milliseconds must not flood the front-end), and always at a pause and at the end
    of training. Every draw runs in :meth:`guard`: a display bug is shown, never kills training.
    Subclasses call :meth:`start_live` in ``__init__`` and implement :meth:`draw`; the hooks
    :meth:`begin`, :meth:`record`, :meth:`record_epoch`, :meth:`epoch_figures` and
    :meth:`state_figures` default to doing nothing special.
    """

    redraw_on_every_state = False  # draw on every state change, not only at pauses and ends

    def start_live(self, refresh: float) -> None:
        """Set the redraw interval and add the hidden :class:`~.relay.Relay` that resends the
        widget's state from the main thread where the page lost the training thread's messages
        (inside a container built under :func:`~.relay.sharing`, the container's relay)."""
        self._throttle = Throttle(refresh)
        shared = shared_relay()
        if shared is not None:
            self.relay = shared
            return
        self.relay = Relay(self)
        self.relay.is_active = self._model_active
        self.children = (*self.children, self.relay)  # type: ignore[attr-defined]

    def _model_active(self) -> bool:
        return bool(getattr(self.model, "active", False))

    # -- what subclasses implement
    def draw(self, logs: dict) -> None:
        """Show the latest state (``logs``: the figures of the event that asked for it)."""
        raise NotImplementedError

    def begin(self, logs: dict) -> None:
        """A run starts: by default draw at once."""
        self.draw(logs)

    def record(self, logs: dict) -> None:
        """Keep one interval's figures (every interval, drawn or not)."""

    def record_epoch(self, logs: dict) -> None:
        """Keep what an epoch's end must keep (every epoch, drawn or not)."""

    def epoch_figures(self, logs: dict) -> dict:
        return logs

    def state_figures(self, model: Any, logs: dict) -> dict:
        return logs

    # -- when to draw
    def redraw(self, logs: dict | None = None, force: bool = False) -> None:
        """Draw now if the throttle lets it (always with ``force``)."""
        if self._throttle(force):
            self.guard(self._throttle.timed, lambda: self.draw(logs or {}))
            self.relay.touch()

    def on_train_begin(self, model: Any, logs: dict) -> None:
        self.guard(self.begin, logs)

    def on_batch_end(self, model: Any, logs: dict) -> None:
        self.guard(self.record, logs)
        self.redraw(logs)

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        self.guard(self.record_epoch, logs)
        self.redraw(self.epoch_figures(logs))

    def on_state_change(self, model: Any, logs: dict) -> None:
        ended = logs["state"] in (PAUSED, *ENDED_STATES)
        if ended or self.redraw_on_every_state:
            self.redraw(self.state_figures(model, logs), force=True)
