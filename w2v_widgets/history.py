"""The per-interval record of a training run, as a DataFrame that can draw its loss curve.

``model.history`` is a :class:`TrainingHistory`: one row per logging interval with the columns
in :data:`COLUMNS`. It behaves like any ``pandas.DataFrame`` (slicing and filtering keep the
type and its metadata) and adds :meth:`TrainingHistory.plot`, a static altair chart.

The chart itself is built by :func:`loss_chart`, which the live loss widget shares: the chart
refers to two named datasets (``loss`` and ``epochs``), filled by :func:`loss_chart_data`, so a
live view can validate the chart once and then only swap the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import altair as alt

COLUMNS = ("epoch", "words_done", "loss", "smoothed_loss", "lr", "words_per_sec", "elapsed")
MAX_POINTS = 1000
LOSS_DATA = "loss"
EPOCH_DATA = "epochs"


class TrainingHistory(pd.DataFrame):
    """Rows of ``epoch, words_done, loss, smoothed_loss, lr, words_per_sec, elapsed``.

    ``epoch_ends`` (metadata, optional) lists the exact ``words_done`` at the end of each
    finished epoch; without it the epoch boundaries are read from the rows.
    """

    _metadata: ClassVar[list[str]] = ["epoch_ends"]
    epoch_ends: tuple[int, ...] | None = None

    @property
    def _constructor(self):
        return TrainingHistory

    @classmethod
    def from_records(
        cls, rows: Sequence[dict[str, Any]] = (), epoch_ends: Sequence[int] | None = None
    ) -> TrainingHistory:
        """Build a history from ``on_batch_end`` logs (extra keys are dropped)."""
        frame = cls(
            {c: [row.get(c, np.nan) for row in rows] for c in COLUMNS}, columns=list(COLUMNS)
        )
        if len(frame) == 0:
            frame = frame.astype({"epoch": "int64", "words_done": "int64"})
        frame.epoch_ends = tuple(int(w) for w in epoch_ends) if epoch_ends is not None else None
        return frame

    def epoch_boundaries(self) -> list[tuple[int, int]]:
        """``(epoch, words_done)`` where each epoch after the first begins."""
        if self.epoch_ends is not None:
            ends = list(self.epoch_ends)
        elif len(self) and "epoch" in self and "words_done" in self:
            per_epoch = pd.Series(self["words_done"].to_numpy()).groupby(self["epoch"].to_numpy())
            ends = [int(v) for v in per_epoch.max().to_numpy()[:-1]]
        else:
            ends = []
        last_x = int(self["words_done"].max()) if len(self) else 0
        return [(i + 1, int(x)) for i, x in enumerate(ends) if x <= last_x]

    def plot(self, max_points: int = MAX_POINTS, title: str | None = None) -> alt.LayerChart:
        """A static altair chart: per-interval and smoothed loss against words processed.

        Epoch boundaries are dashed rules; more than ``max_points`` rows are averaged into
        ``max_points`` buckets. Save it with ``.save("loss.png")`` or show it in a notebook.
        """
        data = loss_chart_data(
            self["words_done"].to_numpy(dtype=np.float64) if len(self) else np.empty(0),
            self["loss"].to_numpy(dtype=np.float64) if len(self) else np.empty(0),
            self["smoothed_loss"].to_numpy(dtype=np.float64) if len(self) else np.empty(0),
            self.epoch_boundaries(),
            max_points=max_points,
        )
        return loss_chart(title=title).properties(datasets=data)


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
    epoch_boundaries: Sequence[tuple[int, int]] = (),
    max_points: int = MAX_POINTS,
) -> dict[str, list[dict[str, Any]]]:
    """The two named datasets of :func:`loss_chart`, downsampled to ``max_points`` rows."""
    x, y, s = downsample([words_done, loss, smoothed_loss], max_points)
    rows = [
        {"words_done": _num(a), "loss": _num(b), "smoothed_loss": _num(c)}
        for a, b, c in zip(x.tolist(), y.tolist(), s.tolist(), strict=True)
    ]
    epochs = [{"words_done": int(w), "label": f"epoch {e + 1}"} for e, w in epoch_boundaries]
    return {LOSS_DATA: rows, EPOCH_DATA: epochs}


def _num(v: float) -> float | None:
    return None if v != v or v in (float("inf"), float("-inf")) else v  # JSON has no NaN


def loss_chart(title: str | None = None, width: int = 520, height: int = 240) -> alt.LayerChart:
    """The loss chart with no data: fill the ``loss`` and ``epochs`` datasets to draw it."""
    import altair as alt

    series = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=["per interval", "smoothed"], range=["#9ecae1", "#d62728"]),
        legend=alt.Legend(orient="top-right"),
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
    labels = bounds.mark_text(align="left", baseline="top", dx=3, dy=2, color="#666").encode(
        x="words_done:Q", y=alt.value(0), text="label:N"
    )
    chart = alt.layer(raw, smooth, rules, labels).properties(width=width, height=height)
    return chart.properties(title=title) if title else chart
