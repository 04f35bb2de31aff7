"""The callback protocol: how anything outside the trainer follows and steers training.

A callback is any object with some of the methods of :class:`Callback`. Each receives the
:class:`~w2v_widgets.Word2Vec` being trained and a plain ``dict`` of figures (``logs``), in the
spirit of Keras. Widgets, progress bars and loggers are all callbacks; the trainer knows nothing
of them. A callback asks training to stop by calling ``model.stop()``.

Events and the keys of their ``logs``:

``on_train_begin``   ``epochs, words_total, vocab_size, device, state``
``on_epoch_begin``   ``epoch`` (0-based), ``epochs``
``on_batch_end``     every ``log_every`` batches: ``epoch, epochs, batch, loss`` (mean over the
                     interval), ``smoothed_loss`` (exponential moving average), ``lr``,
                     ``words_done, words_total, progress`` (0..1 over the whole run),
                     ``epoch_fraction``, ``words_per_sec``, ``elapsed, eta`` (seconds)
``on_epoch_end``     ``epoch, epochs, loss`` (the true mean loss of that epoch, float64),
                     ``words_done, words_total, elapsed``
``on_train_end``     ``state`` (``finished``, ``stopped`` or ``failed``), ``words_done, elapsed``,
                     ``error`` (the exception or None)
``on_state_change``  ``state, previous``: every transition of the trainer's state machine
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

EVENTS = (
    "on_train_begin",
    "on_epoch_begin",
    "on_batch_end",
    "on_epoch_end",
    "on_train_end",
    "on_state_change",
)


class Callback:
    """Base class with no-op handlers; override the events you need."""

    def on_train_begin(self, model: Any, logs: dict) -> None: ...

    def on_epoch_begin(self, model: Any, logs: dict) -> None: ...

    def on_batch_end(self, model: Any, logs: dict) -> None: ...

    def on_epoch_end(self, model: Any, logs: dict) -> None: ...

    def on_train_end(self, model: Any, logs: dict) -> None: ...

    def on_state_change(self, model: Any, logs: dict) -> None: ...


class CallbackList:
    """Dispatches events to callbacks in order.

    An exception raised by a callback propagates and fails the run (it would otherwise be lost),
    except during ``on_train_end`` and ``on_state_change``, where it is logged so that every
    callback still learns how training ended.
    """

    def __init__(self, callbacks: list[Any] | None = None):
        self.callbacks = list(callbacks or [])

    def add(self, callback: Any) -> None:
        if callback not in self.callbacks:
            self.callbacks.append(callback)

    def remove(self, callback: Any) -> None:
        if callback in self.callbacks:
            self.callbacks.remove(callback)

    def fire(self, event: str, model: Any, logs: dict) -> None:
        tolerant = event in ("on_train_end", "on_state_change")
        for callback in list(self.callbacks):
            handler = getattr(callback, event, None)
            if handler is None:
                continue
            if not tolerant:
                handler(model, logs)
                continue
            try:
                handler(model, logs)
            except Exception:
                logger.exception("callback %r failed in %s", callback, event)

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)
