"""``LossChart``: the live loss curve of a run (altair ``JupyterChart``, offline).

Per-interval and smoothed loss against words processed, epoch boundaries dashed, at most
``max_points`` points (older intervals are averaged into buckets), redrawn at most once per
``refresh`` seconds.

Why the chart's ``spec`` is set instead of ``.chart``: assigning ``.chart`` makes altair
validate every data row against the Vega-Lite schema (about 0.25 s for 1,000 points here,
half a core at two redraws a second). The chart is validated once, without data, and each
redraw sends that spec with fresh ``datasets``; the front-end re-embeds it either way.

Displayed in a kernel, the chart leaves a static SVG snapshot after it (see
:mod:`.snapshot`), drawn at the display and at each pause or end of training: nbconvert's HTML
shows it offline, where the widget is blank; wherever the chart itself draws, it is hidden.
"""

from __future__ import annotations

import html
import threading
from typing import Any

import altair as alt
import ipywidgets as widgets
import traitlets

from ...charts import chart_svg, enable_offline_jupyter_chart
from ...data import sampling
from ...training.history import MAX_POINTS, LossSeries, TrainingHistory, loss_chart, reference_losses
from ..plain_text import PlainTextRepr
from .base import ENDED_STATES, PAUSED, LiveView
from .snapshot import SnapshotDisplay, StaticSnapshot, snapshot_markup


def offline_jupyter_chart(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """A ``JupyterChart`` whose JavaScript comes from vl-convert, not a CDN (drawn as SVG)."""
    enable_offline_jupyter_chart()
    # logLevel 1 (errors only): an empty dataset (no epoch boundary yet) makes Vega warn
    return alt.JupyterChart(chart, embed_options={"renderer": "svg", "logLevel": 1})


class LossChart(PlainTextRepr, SnapshotDisplay, LiveView, widgets.VBox):
    """Live loss chart of ``model``'s training; usable alone or inside a dashboard.

    ``points`` (a traitlet) counts the intervals recorded; ``redraws`` counts the redraws
    sent. The chart's data lives in the ``JupyterChart``'s ``spec`` trait, so displaying the
    widget again or reloading the page shows the curve so far.
    """

    points = traitlets.Int(0).tag(sync=True)
    redraws = traitlets.Int(0)
    loss_form = traitlets.Unicode("summed")  # or "averaged": the d2l book's loss, summed / (k + 1)

    def __init__(
        self,
        model: Any = None,
        max_points: int = MAX_POINTS,
        refresh: float = 0.5,
        title: str | None = None,
        width: int = 520,
        height: int = 240,
        **kwargs: Any,
    ):
        if max_points < 2:
            raise ValueError(f"max_points must be at least 2, not {max_points}")
        self.max_points = int(max_points)
        self._template = loss_chart(title=title, width=width, height=height)
        self._spec = self._template.to_dict()  # validated once
        self.jchart = offline_jupyter_chart(self._template)
        self._message = widgets.HTML()
        self._form = widgets.ToggleButtons(
            options=[("summed (ours)", "summed"), ("averaged (d2l)", "averaged")],
            description="loss per pair",
            style={"description_width": "initial", "button_width": "auto"},
        )
        self._form.add_class("w2v-loss-form")
        self.snapshot = StaticSnapshot(self.snapshot_html, plain="LossChart: static snapshot")
        children = [self._form, self.jchart, self._message, self.snapshot.hider]
        super().__init__(children=children, **kwargs)
        widgets.link((self._form, "value"), (self, "loss_form"))
        self.observe(lambda _: self.draw(), names="loss_form")
        self.add_class("w2v-loss-chart")
        self.add_class(self.snapshot.owner_class)
        self._lock = threading.RLock()
        self.start_live(refresh)
        self._clear_buffers()
        self.follow(model)
        self.sync_from_model()

    # ------------------------------------------------------------------ data
    def _clear_buffers(self) -> None:
        self.series = LossSeries()

    def sync_from_model(self) -> None:
        """Reload the curve from ``model.history`` (after a reset, or when attached late)."""
        model = self.model
        history = getattr(model, "history", None) if model is not None else None
        with self._lock:
            if history is not None and len(history):
                hist = history if isinstance(history, TrainingHistory) else TrainingHistory(history)
                self.series = hist.loss_series()
            else:
                self._clear_buffers()
            self.draw()

    def clear(self) -> None:
        """Remove every point (after a reset)."""
        with self._lock:
            self._clear_buffers()
            self.draw()
        self.snapshot.refresh()

    def chart_data(self) -> dict[str, list[dict]]:
        """The datasets currently drawn (``loss`` rows and ``epochs`` boundaries)."""
        with self._lock:
            return self.series.chart_data(self.max_points, *self.reference_levels())

    def reference_levels(self) -> tuple[list[tuple[str, float]], float]:
        """The lines to read the loss against (an untrained model, the best frequency-only
        predictor; see :func:`~w2v_widgets.training.history.reference_losses`) for the model's
        settings, and the scale of the loss shown: 1, or ``1 / (k + 1)`` for the averaged form."""
        model = self.model
        config, vocab = getattr(model, "config", None), getattr(model, "vocab", None)
        if config is None or vocab is None or config.loss == "softmax":
            return [], 1.0
        k = config.negative
        keep = None
        if config.sample:
            keep = sampling.keep_probability(vocab.counts, config.sample, config.sample_formula)
        levels = reference_losses(vocab.counts, k, config.ns_exponent, keep)
        scale = 1.0 / (k + 1) if self.loss_form == "averaged" else 1.0
        return [(f"{name} {value * scale:.2f}", value) for name, value in levels.items()], scale

    def draw(self, logs: dict | None = None) -> None:
        """Send the current data to the chart now."""
        with self._lock:
            data = self.chart_data()
            spec = {**self._spec, "datasets": data}
            with self.hold_sync():
                self.jchart.spec = spec
                self.points = len(self.series)
            self.redraws += 1
            self._message.value = ""

    def snapshot_svg(self) -> str | None:
        """The chart as it is now, as SVG drawn in the kernel (None while it has no points)."""
        with self._lock:
            if not len(self.series):
                return None
            return chart_svg({**self._spec, "datasets": self.chart_data()})

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot shown where the widget cannot draw (see :mod:`.snapshot`)."""
        with self._lock:
            svg = self.snapshot_svg()
            if svg is None:
                return snapshot_markup(css_class, text=self.to_text())
            series = self.series
            alt = (
                f"loss chart: {len(series)} intervals, smoothed loss {series.smoothed[-1]:.4f} "
                f"after {int(series.x[-1]):,} words"
            )
        return snapshot_markup(css_class, svg=svg, alt=alt)

    def show_display_error(self, exc: BaseException) -> None:
        self._message.value = (
            '<div style="color:#b71c1c">The loss chart failed to update: '
            f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>"
        )

    def to_text(self) -> str:
        """The last few intervals as plain text (for terminals and scripts)."""
        with self._lock:
            series = self.series
            if not len(series):
                return "loss chart: no points yet"
            last = zip(series.x[-5:], series.loss[-5:], series.smoothed[-5:], strict=True)
            rows = [f"{int(x):>12,}  {loss:8.4f}  {smooth:8.4f}" for x, loss, smooth in last]
            head = [f"loss ({len(series)} intervals)", "       words      loss  smoothed"]
            return "\n".join(head + rows)

    # ------------------------------------------------------------------ training events
    def on_state_change(self, model: Any, logs: dict) -> None:
        super().on_state_change(model, logs)
        if logs["state"] in (PAUSED, *ENDED_STATES):
            self.guard(self.snapshot.refresh)

    def begin(self, logs: dict) -> None:
        self.sync_from_model()  # a reset or new run may have emptied the history

    def record(self, logs: dict) -> None:
        with self._lock:
            self.series.append(
                logs["words_done"],
                logs.get("epoch", 0),
                logs["loss"],
                logs.get("smoothed_loss", logs["loss"]),
            )
