"""TrainingHistory (a DataFrame subclass) and the loss chart's data: downsampling, epochs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from w2v_widgets.training.history import (
    COLUMNS,
    LossSeries,
    TrainingHistory,
    downsample,
    loss_chart,
    loss_chart_data,
    thin_marks,
)


def _rows(n: int, epochs: int = 2) -> list[dict]:
    return [
        {
            "epoch": i * epochs // n,
            "words_done": (i + 1) * 10,
            "loss": float(i),
            "smoothed_loss": float(i) / 2,
            "lr": 0.025,
            "words_per_sec": 1000.0,
            "elapsed": i * 0.5,
            "batch": i,  # extra keys are dropped
        }
        for i in range(n)
    ]


def test_downsample_averages_consecutive_buckets():
    x = np.arange(10, dtype=float)
    (out,) = downsample([x], 4)
    # buckets [0,1] [2,3,4] [5,6] [7,8,9] (starts = (0..4) * 10 // 4 = 0, 2, 5, 7, 10)
    assert out.tolist() == [0.5, 3.0, 5.5, 8.0]


def test_downsample_keeps_short_columns_and_ignores_nan():
    x = np.array([1.0, 2.0, 3.0])
    assert downsample([x], 5)[0].tolist() == [1.0, 2.0, 3.0]
    y = np.array([1.0, np.nan, np.nan, np.nan])
    assert downsample([y], 2)[0].tolist()[0] == 1.0
    assert np.isnan(downsample([y], 2)[0][1])
    with pytest.raises(ValueError, match="same length"):
        downsample([np.zeros(3), np.zeros(4)], 2)
    with pytest.raises(ValueError, match="max_points"):
        downsample([x], 0)


def test_downsample_caps_the_number_of_points():
    cols = downsample([np.arange(12_345.0), np.ones(12_345)], 1000)
    assert [len(c) for c in cols] == [1000, 1000]
    assert np.all(np.diff(cols[0]) > 0)  # order kept
    assert np.allclose(cols[1], 1.0)


def test_history_is_a_dataframe_that_keeps_its_type_and_metadata():
    h = TrainingHistory.from_records(_rows(20), params={"loss": "negative"})
    assert isinstance(h, pd.DataFrame)
    assert list(h.columns) == list(COLUMNS)
    assert isinstance(h[h.epoch == 1], TrainingHistory)
    assert isinstance(h.iloc[:3], TrainingHistory)
    assert h.iloc[:3].params == {"loss": "negative"}
    assert isinstance(h["loss"], pd.Series) and not isinstance(h["loss"], TrainingHistory)
    # wrapping a plain DataFrame (as the trainer does) works too
    plain = TrainingHistory(pd.DataFrame(_rows(4)))
    assert plain.params is None and len(plain) == 4


def test_loss_series_marks_epochs_and_lays_runs_end_to_end():
    h = TrainingHistory.from_records(_rows(20, epochs=4))  # 5 rows an epoch, words 10..200
    series = h.loss_series()
    assert series.marks == [(50.0, "epoch 2"), (100.0, "epoch 3"), (150.0, "epoch 4")]
    assert series.x == [float(w) for w in range(10, 201, 10)]
    # a second run counts its words from zero again: it is drawn after the first
    s = LossSeries()
    for words, epoch in [(40, 0), (80, 0), (120, 1), (160, 1), (40, 0), (80, 0), (120, 1)]:
        s.append(words, epoch, 1.0, 1.0)
    assert s.x == [40.0, 80.0, 120.0, 160.0, 200.0, 240.0, 280.0]
    assert s.marks == [(80.0, "epoch 2"), (160.0, "run 2"), (240.0, "epoch 2")]
    # a stopped run that continues keeps counting
    s = LossSeries()
    s.extend([10, 20, 30], [0, 0, 0], [3.0, 2.0, 1.0], [3.0, 2.5, 2.0])
    assert s.x == [10.0, 20.0, 30.0] and s.marks == []
    assert TrainingHistory.from_records([]).loss_series().marks == []


def test_loss_chart_data_is_json_and_capped():
    n = 2500
    data = loss_chart_data(
        np.arange(n, dtype=float), np.full(n, 2.0), np.full(n, np.nan), [(1200, "epoch 2")], 1000
    )
    assert len(data["loss"]) == 1000
    assert data["loss"][0] == {"words_done": 0.5, "loss": 2.0, "smoothed_loss": None}
    assert data["epochs"] == [{"words_done": 1200, "label": "epoch 2"}]
    json.dumps(data, allow_nan=False)  # NaN became null


def test_plot_is_a_static_altair_chart_with_the_data(tmp_path):
    import altair as alt

    h = TrainingHistory.from_records(_rows(3000, epochs=3), params={"loss": "cbow", "window": 3})
    chart = h.plot(title="run")
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    assert len(spec["datasets"]["loss"]) == 1000
    assert [e["label"] for e in spec["datasets"]["epochs"]] == ["epoch 2", "epoch 3"]
    assert spec["title"] == {"text": "run", "subtitle": "loss=cbow, window=3"}
    # the template has no data of its own; the live chart fills the same names
    assert "datasets" not in loss_chart().to_dict()
    # an empty history still draws
    TrainingHistory.from_records([]).plot().to_dict()


def test_many_epochs_are_thinned_to_readable_marks():
    marks = [(float(10 * e), f"epoch {e + 1}") for e in range(1, 400)]
    marks.insert(100, (1005.0, "run 2"))
    thinned = thin_marks(marks, max_rules=40, max_labels=10)
    epoch_rules = [m for m in thinned if not m[1].startswith("run")]
    assert len(epoch_rules) <= 40
    assert len([m for m in epoch_rules if m[1]]) <= 10
    assert (1005.0, "run 2") in thinned  # run boundaries always stay, labelled
    assert [w for w, _ in thinned] == sorted(w for w, _ in thinned)
    few = [(10.0, "epoch 2"), (20.0, "epoch 3")]
    assert thin_marks(few) == few
