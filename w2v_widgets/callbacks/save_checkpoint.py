"""Saving checkpoints (resumable model files) while training, so no work is lost."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .base import Callback


class SaveCheckpoint(Callback):
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


Checkpoint = SaveCheckpoint  # the name before 0.2
