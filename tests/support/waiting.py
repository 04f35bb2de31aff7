"""Waiting in tests: on the trainer's own events where it offers one, else by polling a condition."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


def wait_until(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll ``predicate`` every 20 ms until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


class StateEvents:
    """A callback that sets an event for each trainer state reached: ``wait("paused")`` blocks on
    the trainer's own ``on_state_change`` instead of polling. Attach with ``model.add_callback``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, threading.Event] = {}

    def _event(self, state: str) -> threading.Event:
        with self._lock:
            return self._events.setdefault(str(state), threading.Event())

    def on_state_change(self, model: Any, logs: dict) -> None:
        self._event(logs["state"]).set()

    def clear(self, state: str) -> None:
        self._event(state).clear()

    def wait(self, state: str, timeout: float = 30.0) -> None:
        if not self._event(state).wait(timeout):
            raise AssertionError(f"the trainer did not reach {state!r} within {timeout:g} s")
