"""LossChart's reference lines (untrained, frequency only) and the summed / averaged toggle."""

from __future__ import annotations

import math

import pytest

from tests.support.corpora import make_corpus
from tests.support.models import small_model
from w2v_widgets.data import sampling
from w2v_widgets.training.history import reference_losses
from w2v_widgets.widgets.live.loss_chart import LossChart


@pytest.fixture(scope="module")
def model():
    return small_model(epochs=1, sample=1e-3).fit(make_corpus(600))


def test_reference_lines_follow_the_model_settings(model):
    chart = LossChart(model)
    levels = chart.chart_data()["references"]
    keep = sampling.keep_probability(model.vocab.counts, 1e-3, "paper")
    expected = reference_losses(model.vocab.counts, 3, 0.75, keep)
    assert [row["loss"] for row in levels] == pytest.approx([4 * math.log(2), expected["frequency only"]])
    assert levels[0]["label"] == f"untrained {4 * math.log(2):.2f}"
    assert expected["frequency only"] < 4 * math.log(2)
    assert LossChart().chart_data()["references"] == []  # no model, no levels


def test_averaged_form_divides_everything_by_k_plus_one(model):
    chart = LossChart(model)
    summed = chart.chart_data()
    chart._form.value = "averaged"  # the toggle is linked to the trait
    assert chart.loss_form == "averaged"
    averaged = chart.chart_data()
    assert [r["loss"] for r in averaged["loss"]] == pytest.approx([r["loss"] / 4 for r in summed["loss"]])
    assert [r["loss"] for r in averaged["references"]] == pytest.approx(
        [r["loss"] / 4 for r in summed["references"]]
    )
    assert averaged["references"][0]["label"] == f"untrained {math.log(2):.2f}"
    assert chart.jchart.spec["datasets"]["references"] == averaged["references"]  # redrawn
