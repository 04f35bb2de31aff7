"""The per-interval record of a training run, as a DataFrame that can draw its loss curve.

``model.history`` is a :class:`TrainingHistory`: one row per logging interval with the columns
in :data:`COLUMNS`. It behaves like any ``pandas.DataFrame`` (slicing and filtering keep the
type and its metadata) and adds :meth:`TrainingHistory.plot`, a static altair chart that
displays as SVG with no network (:mod:`w2v_widgets.charts`).

The chart itself is built by :func:`loss_chart`, which the live loss widget shares: the chart
refers to two named datasets (``loss`` and ``epochs``), filled from a :class:`LossSeries`, so a
live view can validate the chart once and then only swap the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import altair as alt

    from ..charts import StaticChart

COLUMNS = ("epoch", "words_done", "loss", "smoothed_loss", "lr", "words_per_sec", "elapsed")
MAX_POINTS = 1000
MAX_RULES = 30  # epoch boundaries drawn at most
MAX_LABELS = 6  # epoch boundaries labelled at most
LOSS_DATA = "loss"
EPOCH_DATA = "epochs"
REFERENCE_DATA = "references"  # horizontal reference lines: untrained, frequency-only


class TrainingHistory(pd.DataFrame):
    """Rows of ``epoch, words_done, loss, smoothed_loss, lr, words_per_sec, elapsed``.

    A model trained again after a finished run starts a new run whose ``words_done`` counts
    from zero again; :meth:`plot` lays runs end to end. ``params`` (metadata, optional) holds
    the model's settings and becomes the chart's subtitle.
    """

    _metadata: ClassVar[list[str]] = ["params"]
    params: dict | None = None

    @property
    def _constructor(self):
        return TrainingHistory

    @classmethod
    def from_records(cls, rows: Sequence[dict[str, Any]] = (), params: dict | None = None) -> TrainingHistory:
        """Build a history from ``on_batch_end`` logs (extra keys are dropped)."""
        rows = list(rows)  # one snapshot: a run in the background appends while we read
        frame = cls({c: [row.get(c, np.nan) for row in rows] for c in COLUMNS}, columns=list(COLUMNS))
        if len(frame) == 0:
            frame = frame.astype({"epoch": "int64", "words_done": "int64"})
        frame.params = dict(params) if params is not None else None
        return frame

    def loss_series(self) -> LossSeries:
        """The rows as a :class:`LossSeries` (runs end to end, epoch and run marks)."""
        series = LossSeries()
        if len(self):
            series.extend(
                self["words_done"].to_numpy(dtype=np.float64),
                self["epoch"].to_numpy(),
                self["loss"].to_numpy(dtype=np.float64),
                self["smoothed_loss"].to_numpy(dtype=np.float64),
            )
        return series

    def plot(self, max_points: int = MAX_POINTS, title: str | None = None) -> StaticChart:
        """A static altair chart: per-interval and smoothed loss against words processed.

        Epoch (and run) boundaries are dashed rules; more than ``max_points`` rows are
        averaged into ``max_points`` buckets. Save it with ``.save("loss.png")`` or show it
        in a notebook: it shows as an SVG drawn in the kernel (no CDN, so it works offline in
        JupyterLab, Notebook 7, Voila and nbconvert's HTML); ``alt.renderers.enable(...)``
        picks another display.
        """
        from ..charts import static_chart

        subtitle = None
        if self.params:
            keys = ("loss", "optimizer", "vector_size", "window", "negative", "alpha")
            subtitle = ", ".join(f"{k}={self.params[k]}" for k in keys if k in self.params)
        chart = loss_chart(title=title or ("training loss" if subtitle else None),
                           subtitle=subtitle)  # fmt: skip
        return static_chart(chart.properties(datasets=self.loss_series().chart_data(max_points)))


class LossSeries:
    """Loss points along a words axis that keeps growing across runs, with boundary marks.

    Rows arrive in training order (``append`` one interval, or ``extend`` many). A drop in
    ``words_done`` starts a new run, laid after the previous one (mark ``run N``); a change
    of ``epoch`` within a run is marked ``epoch N`` at the end of the previous interval.
    """

    def __init__(self) -> None:
        self.x: list[float] = []
        self.loss: list[float] = []
        self.smoothed: list[float] = []
        self.marks: list[tuple[float, str]] = []
        self._last_raw: float | None = None
        self._offset = 0.0
        self._epoch: Any = None
        self._run = 0

    def __len__(self) -> int:
        return len(self.x)

    def append(self, words_done: float, epoch: int, loss: float, smoothed: float) -> None:
        raw = float(words_done)
        if self._last_raw is not None:
            if raw < self._last_raw:
                self._offset += self._last_raw
                self._run += 1
                self.marks.append((self.x[-1], f"run {self._run + 1}"))
            elif epoch != self._epoch:
                self.marks.append((self.x[-1], f"epoch {int(epoch) + 1}"))
        self._last_raw, self._epoch = raw, epoch
        self.x.append(raw + self._offset)
        self.loss.append(float(loss))
        self.smoothed.append(float(smoothed))

    def extend(self, words_done: Any, epoch: Any, loss: Any, smoothed: Any) -> None:
        for row in zip(words_done, epoch, loss, smoothed, strict=True):
            self.append(*row)

    def chart_data(
        self, max_points: int = MAX_POINTS, references: Sequence[tuple[str, float]] = (), scale: float = 1.0
    ) -> dict[str, list[dict[str, Any]]]:
        """The datasets of :func:`loss_chart`, downsampled to ``max_points`` rows; losses and
        ``references`` times ``scale`` (``1 / (k + 1)``: the d2l book's averaged loss)."""
        return loss_chart_data(
            np.asarray(self.x, dtype=np.float64),
            np.asarray(self.loss, dtype=np.float64) * scale,
            np.asarray(self.smoothed, dtype=np.float64) * scale,
            self.marks,
            max_points=max_points,
            references=[(label, value * scale) for label, value in references],
        )


def downsample(columns: Sequence[np.ndarray], max_points: int) -> list[np.ndarray]:
    """Average equally long columns into at most ``max_points`` consecutive buckets.

    Buckets differ in size by at most one row and keep their order; columns with no more
    than ``max_points`` rows are returned unchanged. NaNs are ignored inside a bucket.
    """
    if max_points < 1:
        raise ValueError(f"max_points must be >= 1, not {max_points}")
    arrays = [np.asarray(c, dtype=np.float64) for c in columns]
    n = len(arrays[0]) if arrays else 0
    if any(len(a) != n for a in arrays):
        raise ValueError("columns must have the same length")
    if n <= max_points:
        return arrays
    # bucket b holds rows [starts[b], starts[b+1])
    starts = (np.arange(max_points + 1) * n) // max_points
    out = []
    for a in arrays:
        valid = ~np.isnan(a)
        sums = np.add.reduceat(np.where(valid, a, 0.0), starts[:-1])
        counts = np.add.reduceat(valid.astype(np.int64), starts[:-1])
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(counts > 0, sums / np.maximum(counts, 1), np.nan))
    return out


def loss_chart_data(
    words_done: np.ndarray,
    loss: np.ndarray,
    smoothed_loss: np.ndarray,
    marks: Sequence[tuple[float, str]] = (),
    max_points: int = MAX_POINTS,
    references: Sequence[tuple[str, float]] = (),
) -> dict[str, list[dict[str, Any]]]:
    """The named datasets of :func:`loss_chart`: loss rows downsampled to ``max_points``,
    ``(words, label)`` marks drawn as rules (epoch and run boundaries), and ``(label, loss)``
    reference levels drawn as horizontal lines."""
    x, y, s = downsample([words_done, loss, smoothed_loss], max_points)
    rows = [
        {"words_done": _num(a), "loss": _num(b), "smoothed_loss": _num(c)}
        for a, b, c in zip(x.tolist(), y.tolist(), s.tolist(), strict=True)
    ]
    bounds = [{"words_done": _num(float(w)), "label": label} for w, label in thin_marks(marks)]
    levels = [{"loss": _num(float(v)), "label": label} for label, v in references]
    return {LOSS_DATA: rows, EPOCH_DATA: bounds, REFERENCE_DATA: levels}


def reference_losses(
    counts: Any, negative: int, ns_exponent: float = 0.75, keep: Any = None
) -> dict[str, float]:
    """Two levels to read the summed negative-sampling loss per pair against.

    ``untrained``: every score 0, so each of the ``k + 1`` guesses costs ``ln 2``:
    ``(k + 1) ln 2``. ``frequency only``: the best a model can do that sees the candidate word
    but not the centre word. A candidate ``c`` is the true context with probability mass
    ``p(c)`` (the corpus frequency, times ``keep`` when subsampling keeps words with those
    probabilities) and a noise word with mass ``k q(c)`` (``q`` = counts^ns_exponent,
    normalised); the best score gives ``σ = p / (p + k q)`` and the expected loss
    ``Σ_c p log((p + k q) / p) + k q log((p + k q) / (k q))``. A model below this line has
    learned something about which words go together.
    """
    counts = np.asarray(counts, dtype=np.float64)
    k = int(negative)
    p = counts * (np.asarray(keep, dtype=np.float64) if keep is not None else 1.0)
    p = p / p.sum()
    q = counts**ns_exponent
    q = k * q / q.sum()
    both = p + q
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(both / p), 0.0) + np.where(q > 0, q * np.log(both / q), 0.0)
    return {"untrained": (k + 1) * float(np.log(2.0)), "frequency only": float(terms.sum())}


def thin_marks(
    marks: Sequence[tuple[float, str]], max_rules: int = MAX_RULES, max_labels: int = MAX_LABELS
) -> list[tuple[float, str]]:
    """Keep the chart readable with many epochs: at most ``max_rules`` epoch rules and
    ``max_labels`` labels, evenly spread (the others keep their rule with an empty label).
    Run boundaries are always kept and labelled."""
    epochs = [i for i, (_, label) in enumerate(marks) if not str(label).startswith("run")]
    rule_step = max(1, -(-len(epochs) // max_rules))
    kept_epochs = epochs[rule_step - 1 :: rule_step]
    label_step = max(1, -(-len(kept_epochs) // max_labels))
    labelled = set(kept_epochs[label_step - 1 :: label_step])
    keep = set(kept_epochs) | (set(range(len(marks))) - set(epochs))
    return [
        (float(w), str(label) if (i in labelled or i not in epochs) else "")
        for i, (w, label) in enumerate(marks)
        if i in keep
    ]


def _num(v: float) -> float | None:
    return None if v != v or v in (float("inf"), float("-inf")) else v  # JSON has no NaN


def loss_chart(
    title: str | None = None, width: int = 520, height: int = 240, subtitle: str | None = None
) -> alt.LayerChart:
    """The loss chart with no data: fill the ``loss`` and ``epochs`` datasets to draw it."""
    import altair as alt

    series = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=["per interval", "smoothed"], range=["#9ecae1", "#d62728"]),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    x = alt.X("words_done:Q", title="words processed", axis=alt.Axis(format="~s"))
    points = alt.Chart(alt.NamedData(name=LOSS_DATA))
    raw = (
        points.transform_calculate(series="'per interval'")
        .mark_line(strokeWidth=1, opacity=0.8)
        .encode(x=x, y=alt.Y("loss:Q", title="loss", scale=alt.Scale(zero=False)), color=series)
    )
    smooth = (
        points.transform_calculate(series="'smoothed'")
        .mark_line(strokeWidth=2.5)
        .encode(x=x, y=alt.Y("smoothed_loss:Q", scale=alt.Scale(zero=False)), color=series)
    )
    bounds = alt.Chart(alt.NamedData(name=EPOCH_DATA))
    rules = bounds.mark_rule(strokeDash=[4, 4], color="#888").encode(x="words_done:Q")
    # epoch labels on the top row, run labels on a second row: a new run's "run N" and its
    # "epoch 2" (one epoch later) would otherwise cover each other
    is_run = "indexof(datum.label, 'run ') === 0"
    label_at = {"x": "words_done:Q", "y": alt.value(0), "text": "label:N"}
    labels = (
        bounds.transform_filter(f"!({is_run})")
        .mark_text(align="left", baseline="top", dx=3, dy=2, color="#666")
        .encode(**label_at)
    )
    run_labels = (
        bounds.transform_filter(is_run)
        .mark_text(align="left", baseline="top", dx=3, dy=16, color="#333", fontWeight="bold")
        .encode(**label_at)
    )
    levels = alt.Chart(alt.NamedData(name=REFERENCE_DATA))
    level_rules = levels.mark_rule(strokeDash=[2, 3], color="#2e7d32").encode(y="loss:Q")
    level_labels = levels.mark_text(align="right", baseline="bottom", dy=-2, color="#2e7d32").encode(
        x=alt.value(width), y="loss:Q", text="label:N"
    )
    layers = (raw, smooth, rules, labels, run_labels, level_rules, level_labels)
    chart = alt.layer(*layers).properties(width=width, height=height)
    if title:
        chart = chart.properties(title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined))
    return chart
