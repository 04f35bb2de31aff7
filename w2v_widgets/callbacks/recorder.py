"""Recorder: keeps the model's training history and latest progress figures.

Attached first to every run by :class:`~w2v_widgets.Word2Vec` (the loop only reports facts), so
callbacks after it already see the interval in ``model.history`` and ``model.progress``.
"""

from __future__ import annotations

from typing import Any

from .base import Callback

HISTORY_KEYS = ("epoch", "batch", "words_done", "loss", "smoothed_loss", "lr", "words_per_sec", "elapsed")


class Recorder(Callback):
    """Appends one row per logging interval to ``rows`` (the model's history records)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def on_batch_end(self, model: Any, logs: dict) -> None:
        self.rows.append({k: logs[k] for k in HISTORY_KEYS})
        model._progress = logs
