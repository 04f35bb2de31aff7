"""``TrainingStatus``: state, epoch, words done of total, words/s, learning rate, loss, elapsed
time and ETA of a run, with a progress bar; the figures live in traitlets."""

from __future__ import annotations

import html
import math
import threading
from typing import Any

import ipywidgets as widgets
import traitlets

from ..plain_text import PlainTextRepr
from .base import ENDED_STATES, FAILED, PAUSED, RUNNING, LiveView

_STATE_COLORS = {
    "idle": "#777",
    "running": "#2e7d32",
    "paused": "#ef6c00",
    "stopping": "#ef6c00",
    "stopped": "#555",
    "finished": "#1565c0",
    "failed": "#c62828",
}

_EMPTY = {
    "epoch": 0,
    "words_done": 0,
    "words_per_sec": 0.0,
    "lr": None,
    "loss": None,
    "elapsed": 0.0,
    "eta": None,
}


def format_duration(seconds: float | None) -> str:
    """``75.2`` -> ``"1:15"``, ``3725`` -> ``"1:02:05"``; ``None``/NaN -> ``"–"``."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = round(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_count(n: float) -> str:
    """Words per second and counts: ``812345`` -> ``"812k"``, ``2.5e6`` -> ``"2.50M"``."""
    if not math.isfinite(n):
        return "–"
    if abs(n) >= 1e6:
        return f"{n / 1e6:.2f}M"
    if abs(n) >= 1e4:
        return f"{n / 1e3:.0f}k"
    return f"{n:,.0f}"


def error_text(error: Any) -> str:
    """``"TypeName: message"`` for an exception (or its string)."""
    if error is None or error == "":
        return ""
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}"
    return str(error)


class TrainingStatus(PlainTextRepr, LiveView, widgets.VBox):
    """A one-line summary of a run and a progress bar, updated from training events.

    ``TrainingStatus(model)`` follows ``model`` on its own; a dashboard embeds one. All the
    figures are traitlets (``state, epoch, epochs, words_done, words_total, words_per_sec,
    lr, loss, elapsed, eta, error``), so a second display or a reloaded page shows the same.
    Redraws are throttled to one per ``refresh`` seconds; pauses and the ends of epochs and
    of training are always drawn.
    """

    state = traitlets.Unicode("idle").tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)  # 0-based, as in the logs
    epochs = traitlets.Int(0).tag(sync=True)
    words_done = traitlets.Int(0).tag(sync=True)
    words_total = traitlets.Int(0).tag(sync=True)
    words_per_sec = traitlets.Float(0.0).tag(sync=True)
    lr = traitlets.Float(None, allow_none=True).tag(sync=True)
    loss = traitlets.Float(None, allow_none=True).tag(sync=True)
    elapsed = traitlets.Float(0.0).tag(sync=True)
    eta = traitlets.Float(None, allow_none=True).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)

    _FIGURES = (
        "state",
        "epoch",
        "epochs",
        "words_done",
        "words_total",
        "words_per_sec",
        "lr",
        "loss",
        "elapsed",
        "eta",
        "error",
    )

    def __init__(self, model: Any = None, refresh: float = 0.25, **kwargs: Any):
        self._summary = widgets.HTML(layout=widgets.Layout(margin="0"))
        self._bar = widgets.FloatProgress(
            value=0.0, min=0.0, max=1.0, layout=widgets.Layout(width="100%", height="14px", margin="2px 0")
        )
        self._error_box = widgets.HTML(layout=widgets.Layout(margin="0"))
        super().__init__(children=[self._summary, self._bar, self._error_box], **kwargs)
        self.add_class("w2v-training-status")
        self.start_live(refresh)
        self._lock = threading.RLock()
        self._batching = False
        self.observe(self._on_figure, names=list(self._FIGURES))
        self.follow(model)
        self.sync_from_model()
        self.render()

    # ------------------------------------------------------------------ model -> traits
    def sync_from_model(self) -> None:
        """Read the state and latest figures from the followed model."""
        model = self.model
        if model is None:
            return
        progress = dict(getattr(model, "progress", {}) or {})
        logs = progress if progress else dict(_EMPTY)
        logs["state"] = getattr(model, "state", self.state)
        error = getattr(model, "error", None)
        logs["error"] = error_text(error) if logs["state"] == FAILED else ""
        self.update(logs)

    def update(self, logs: dict) -> None:
        """Set the figures found in ``logs`` (keys as in training events) and redraw once."""
        values = {}
        for name in self._FIGURES:
            if name in logs and logs[name] is not None:
                values[name] = logs[name]
            elif name in ("lr", "loss", "eta") and name in logs:
                values[name] = None
        if "error" in values:
            values["error"] = error_text(values["error"])
        with self._lock:
            self._batching = True
            try:
                with self.hold_sync():
                    for name, value in values.items():
                        trait = self.traits()[name]
                        if isinstance(trait, traitlets.Int):
                            value = int(value)
                        elif isinstance(trait, traitlets.Float) and value is not None:
                            value = float(value)
                        setattr(self, name, value)
                    self.render()
            finally:
                self._batching = False

    def clear(self) -> None:
        """Back to an empty idle display (after a reset)."""
        self.update({**_EMPTY, "state": "idle", "error": ""})

    def _on_figure(self, change: dict) -> None:
        if not self._batching:
            self.render()

    # ------------------------------------------------------------------ drawing
    def render(self) -> None:
        """Redraw the summary line, the bar and the error box from the traits."""
        state = self.state
        done, total = self.words_done, self.words_total
        fraction = min(1.0, done / total) if total > 0 else 0.0
        color = _STATE_COLORS.get(state, "#777")
        cells = [
            f'<b style="color:{color}">{html.escape(state)}</b>',
            f"epoch {min(self.epoch + 1, self.epochs) if self.epochs else 0}/{self.epochs or '–'}",
            f"{done:,} / {total:,} words ({fraction:.1%})" if total else f"{done:,} words",
            f"{format_count(self.words_per_sec)} words/s",
            f"lr {self.lr:.3g}" if self.lr is not None else "lr –",
            f"loss {self.loss:.4f}" if self.loss is not None else "loss –",
            f"{format_duration(self.elapsed)} elapsed",
            f"ETA {format_duration(self.eta if state in (RUNNING, PAUSED) else None)}",
        ]
        sep = '<span style="color:#bbb"> · </span>'
        self._summary.value = (
            '<div class="w2v-status-line" style="font-family:var(--jp-ui-font-family,sans-serif);'
            f'font-size:13px">{sep.join(cells)}</div>'
        )
        self._bar.value = fraction
        self._bar.bar_style = {
            "running": "info",
            "paused": "warning",
            "stopping": "warning",
            "finished": "success",
            "failed": "danger",
        }.get(state, "")
        if self.error:
            self._error_box.value = (
                '<div class="w2v-status-error" style="color:#b71c1c;background:#fdecea;'
                'padding:4px 8px;border-radius:3px;white-space:pre-wrap;font-size:13px">'
                f"<b>Training failed.</b> {html.escape(self.error)}</div>"
            )
        else:
            self._error_box.value = ""

    def to_text(self) -> str:
        """The status as one plain-text line."""
        total = f" / {self.words_total:,}" if self.words_total else ""
        lr = f", lr {self.lr:.3g}" if self.lr is not None else ""
        loss = f", loss {self.loss:.4f}" if self.loss is not None else ""
        error = f"\nerror: {self.error}" if self.error else ""
        return (
            f"{self.state}: epoch {min(self.epoch + 1, self.epochs) if self.epochs else 0}/"
            f"{self.epochs or '-'}, {self.words_done:,}{total} words, "
            f"{format_count(self.words_per_sec)} words/s{lr}{loss}, "
            f"{format_duration(self.elapsed)} elapsed{error}"
        )

    def show_display_error(self, exc: BaseException) -> None:
        self._error_box.value = (
            f'<div style="color:#b71c1c">The status display failed: {html.escape(error_text(exc))}</div>'
        )

    # ------------------------------------------------------------------ training events
    redraw_on_every_state = True  # the state line shows every transition

    def draw(self, logs: dict) -> None:
        self.update(logs)

    def begin(self, logs: dict) -> None:
        self.update({**logs, "error": ""})

    def epoch_figures(self, logs: dict) -> dict:
        return {k: v for k, v in logs.items() if k != "loss"}  # the epoch mean, not the last

    def state_figures(self, model: Any, logs: dict) -> dict:
        update = {"state": logs["state"]}
        if logs["state"] in (PAUSED, *ENDED_STATES):
            update = {**(getattr(model, "progress", {}) or {}), **update}
        return update

    def on_epoch_begin(self, model: Any, logs: dict) -> None:
        self.guard(self.update, logs)

    def on_train_end(self, model: Any, logs: dict) -> None:
        progress = dict(getattr(model, "progress", {}) or {})
        error = logs.get("error")
        self.guard(self.update, {**progress, **logs, "error": error_text(error), "eta": None})
        self.relay.touch()
