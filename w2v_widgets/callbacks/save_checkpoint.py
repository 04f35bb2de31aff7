"""Saving checkpoints (resumable model files) while training, so no work is lost."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .base import Callback


class SaveCheckpoint(Callback):
    """Save the model every ``every_epochs`` epochs and/or every ``every_seconds`` seconds, and
    when training ends (also after a stop or a failure, so no work is lost).

    ``path`` may contain ``{epoch}`` (the number of epochs completed, format specs allowed:
    ``"run-{epoch:02d}.w2v"``) to keep one file per epoch instead of replacing one file, e.g. to
    compare two epochs of a run (``w2v.compare_runs("run-01.w2v", "run-10.w2v")``)."""

    def __init__(
        self, path: str | os.PathLike, every_epochs: int | None = 1, every_seconds: float | None = None
    ):
        self.path = Path(path)
        try:
            str(self.path).format(epoch=0)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"checkpoint path {str(self.path)!r}: the only field it may hold is {{epoch}} ({exc!r}); "
                "double the braces ({{ }}) for literal ones"
            ) from None
        self.every_epochs = every_epochs
        self.every_seconds = every_seconds
        self._last = time.monotonic()
        self.saved = 0

    def path_for(self, epochs_done: int) -> Path:
        """Where the checkpoint after ``epochs_done`` completed epochs is written."""
        return Path(str(self.path).format(epoch=epochs_done))

    def _save(self, model: Any) -> None:
        model.save(self.path_for(len(model.epoch_losses)))
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
