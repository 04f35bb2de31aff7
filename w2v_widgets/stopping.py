"""Callbacks that stop training: early stopping on the epoch loss, and periodic checkpoints."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .callbacks import Callback


class EarlyStopping(Callback):
    """Stop when the epoch loss has not improved by ``min_delta`` for ``patience`` epochs."""

    def __init__(self, patience: int = 1, min_delta: float = 0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.wait = 0
        self.stopped_epoch: int | None = None

    def on_train_begin(self, model: Any, logs: dict) -> None:
        self.best, self.wait, self.stopped_epoch = float("inf"), 0, None

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        if logs["loss"] < self.best - self.min_delta:
            self.best, self.wait = logs["loss"], 0
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = logs["epoch"]
            model.stop(f"early stopping: no improvement for {self.wait} epoch(s)")


class Checkpoint(Callback):
    """Save the model every ``every_epochs`` epochs and/or every ``every_seconds`` seconds, and
    when training ends (also after a stop or a failure, so no work is lost)."""

    def __init__(
        self, path: str | os.PathLike, every_epochs: int | None = 1, every_seconds: float | None = None
    ):
        self.path = Path(path)
        self.every_epochs = every_epochs
        self.every_seconds = every_seconds
        self._last = time.monotonic()
        self.saved = 0

    def _save(self, model: Any) -> None:
        model.save(self.path)
        self._last = time.monotonic()
        self.saved += 1

    def on_batch_end(self, model: Any, logs: dict) -> None:
        if self.every_seconds and time.monotonic() - self._last >= self.every_seconds:
            self._save(model)

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        if self.every_epochs and (logs["epoch"] + 1) % self.every_epochs == 0:
            self._save(model)

    def on_train_end(self, model: Any, logs: dict) -> None:
        if model.module is not None:
            self._save(model)
