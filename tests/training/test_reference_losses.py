"""The loss chart's reference levels: the untrained loss and the frequency-only predictor."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from w2v_widgets.training.history import LossSeries, reference_losses


def test_untrained_is_k_plus_one_ln_2_and_matches_a_zero_model():
    levels = reference_losses([10, 5, 1], negative=5)
    assert levels["untrained"] == pytest.approx(6 * math.log(2))
    scores = torch.zeros(4, 6)  # the context table starts at zero: every score is 0
    loss = -(
        torch.nn.functional.logsigmoid(scores[:, 0]) + torch.nn.functional.logsigmoid(-scores[:, 1:]).sum(1)
    )
    assert float(loss.mean()) == pytest.approx(levels["untrained"])


def test_frequency_only_by_hand():
    # noise drawn like the contexts (exponent 1, no subsampling): frequency tells nothing, so the
    # best is σ = p / (p + k p) = 1 / (1 + k) for every word: -log(1/(1+k)) - k log(k/(1+k))
    for k in (1, 3, 5):
        levels = reference_losses([7, 2, 1], negative=k, ns_exponent=1.0)
        assert levels["frequency only"] == pytest.approx(math.log(1 + k) + k * math.log((1 + k) / k))
    assert reference_losses([7, 2, 1], 1, 1.0)["frequency only"] == pytest.approx(2 * math.log(2))


def test_frequency_only_is_the_minimum_over_per_word_scores():
    counts = np.array([500.0, 120, 30, 8, 1])
    keep = np.array([0.3, 0.7, 1, 1, 1])
    k = 5
    p = counts * keep / (counts * keep).sum()
    q = k * counts**0.75 / (counts**0.75).sum()
    s = torch.zeros(5, requires_grad=True)
    opt = torch.optim.LBFGS([s], max_iter=200)

    def expected_loss():
        opt.zero_grad()
        loss = (torch.tensor(p) * torch.nn.functional.softplus(-s.double())).sum()
        loss = loss + (torch.tensor(q) * torch.nn.functional.softplus(s.double())).sum()
        loss.backward()
        return loss

    opt.step(expected_loss)
    best = float(expected_loss().detach())
    assert reference_losses(counts, k, 0.75, keep)["frequency only"] == pytest.approx(best, rel=1e-6)
    assert best < 6 * math.log(2)


def test_chart_data_scales_to_the_averaged_loss_and_carries_the_levels():
    series = LossSeries()
    series.extend([10, 20], [0, 0], [4.2, 3.0], [4.2, 3.6])
    data = series.chart_data(references=[("untrained", 4.2)], scale=1 / 6)
    assert [row["loss"] for row in data["loss"]] == pytest.approx([0.7, 0.5])
    assert data["references"] == [{"loss": pytest.approx(0.7), "label": "untrained"}]
    assert series.chart_data()["references"] == []
