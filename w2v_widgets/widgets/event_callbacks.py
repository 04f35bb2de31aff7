"""The Python callbacks a widget calls on an event from the page (``on_hover``, ``on_select``):
each added once, removed on request, called in order; one that raises is logged (and reported
through ``failed``) and the others still run, so a user's bug never breaks the widget."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

Callback = Callable[[dict], Any]


class EventCallbacks:
    """The callbacks of one event, named ``name`` (``"on_hover"``) in the log and in errors."""

    def __init__(
        self, name: str, logger: logging.Logger, failed: Callable[[str, Exception], None] | None = None
    ) -> None:
        self.name = name
        self._logger = logger
        self._failed = failed
        self._callbacks: list[Callback] = []

    def register(self, callback: Callback, remove: bool = False) -> None:
        """Add ``callback`` (once), or with ``remove=True`` take it off (if it is there)."""
        if remove:
            if callback in self._callbacks:
                self._callbacks.remove(callback)
        elif callback not in self._callbacks:
            self._callbacks.append(callback)

    def fire(self, event: dict) -> None:
        """Call each callback with ``event``; a failure is logged, then passed to ``failed(name, exc)``."""
        for cb in list(self._callbacks):
            try:
                cb(event)
            except Exception as exc:
                self._logger.exception("%s callback %r failed", self.name, cb)
                if self._failed is not None:
                    self._failed(self.name, exc)
