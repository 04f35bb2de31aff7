"""A tqdm progress bar (notebook-aware through ``tqdm.auto``) as a training callback."""

from __future__ import annotations

from typing import Any

from .base import Callback


class ProgressBar(Callback):
    """Shows words done, words/s, loss and learning rate; says so when training stops early."""

    def __init__(self, leave: bool = True, **tqdm_kwargs: Any):
        self.leave = leave
        self.tqdm_kwargs = tqdm_kwargs
        self.bar = None

    def on_train_begin(self, model: Any, logs: dict) -> None:
        from tqdm.auto import tqdm

        done = int(model.progress.get("words_done", 0)) if model.progress else 0
        self.bar = tqdm(
            total=logs["words_total"],
            initial=done,
            unit="word",
            unit_scale=True,
            leave=self.leave,
            desc="training",
            mininterval=0.2,
            **self.tqdm_kwargs,
        )

    def on_batch_end(self, model: Any, logs: dict) -> None:
        if self.bar is None:
            return
        self.bar.update(max(0, logs["words_done"] - self.bar.n))
        self.bar.set_postfix(
            epoch=f"{logs['epoch'] + 1}/{logs['epochs']}",
            loss=f"{logs['smoothed_loss']:.3f}",
            lr=f"{logs['lr']:.2g}",
            refresh=False,
        )

    def on_train_end(self, model: Any, logs: dict) -> None:
        if self.bar is None:
            return
        if logs["state"] == "finished":
            self.bar.update(self.bar.total - self.bar.n)
        else:
            self.bar.set_description(f"training {logs['state']}")
        self.bar.close()
        self.bar = None
