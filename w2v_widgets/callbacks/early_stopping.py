"""Early stopping: end training when the epoch loss stops improving."""

from __future__ import annotations

from typing import Any

from .base import Callback


class EarlyStopping(Callback):
    """Stop when the epoch loss has not improved by ``min_delta`` for ``patience`` epochs."""

    def __init__(self, patience: int = 1, min_delta: float = 0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.wait = 0
        self.stopped_epoch: int | None = None

    def on_train_begin(self, model: Any, logs: dict) -> None:
        if not logs.get("resumed"):  # a stopped run that continues keeps what it had seen
            self.best, self.wait, self.stopped_epoch = float("inf"), 0, None

    def state_dict(self) -> dict:
        """What a checkpoint keeps of this callback (restored when the model is loaded)."""
        return {"best": self.best, "wait": self.wait, "stopped_epoch": self.stopped_epoch}

    def load_state_dict(self, state: dict) -> None:
        self.best, self.wait, self.stopped_epoch = state["best"], state["wait"], state["stopped_epoch"]

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        if logs["loss"] < self.best - self.min_delta:
            self.best, self.wait = logs["loss"], 0
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = logs["epoch"]
            model.stop(f"early stopping: no improvement for {self.wait} epoch(s)")
