"""UpdateStepper: its update is the engine's word2vec step; undo is exact; the picture is honest."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.models import small_model
from w2v_widgets.training.models import SkipGramNegativeSampling
from w2v_widgets.widgets.teaching.update_stepper import (
    LR_STOPS,
    PairStepper,
    UpdateStepper,
    lr_options,
    plane_basis,
    project,
)


@pytest.fixture(scope="module")
def model() -> w2v.Word2Vec:
    return small_model(epochs=1, seed=3).fit(make_corpus(800))


def _engine(model: w2v.Word2Vec) -> SkipGramNegativeSampling:
    n, d = model.module.centre.weight.shape
    engine = SkipGramNegativeSampling(n, d, torch.Generator().manual_seed(0))
    with torch.no_grad():
        engine.centre.weight.copy_(model.module.centre.weight)
        engine.context.weight.copy_(model.module.context.weight)
    return engine


def test_step_equals_the_engine_sgd_step_bit_for_bit(model):
    stepper = UpdateStepper(model, centre="cat", context="dog", k=5, lr=0.3)
    c, targets = model.vocab.key_to_index["cat"], stepper.targets
    engine = _engine(model)
    for _ in range(3):  # repeated steps, noise words may repeat: index_add like the engine
        engine.sgd_step(torch.tensor([c]), torch.tensor([targets]), 0.3)
        stepper.step()
    assert torch.equal(stepper._stepper.w_in, engine.centre.weight.detach())
    assert torch.equal(stepper._stepper.w_out, engine.context.weight.detach())
    assert stepper.steps == 3


def test_undo_restores_bit_for_bit_and_the_model_is_never_changed(model):
    before_in = model.module.centre.weight.detach().clone()
    before_out = model.module.context.weight.detach().clone()
    stepper = UpdateStepper(model, centre="red", context="blue", k=8, lr=1.0)
    copy_in, copy_out = stepper._stepper.w_in.clone(), stepper._stepper.w_out.clone()
    losses = [stepper.loss]
    for _ in range(4):
        losses.append(stepper.step())
    assert losses[-1] < losses[0]  # stepping on one pair lowers its loss
    for _ in range(4):
        assert stepper.undo()
    assert not stepper.undo() and stepper.steps == 0
    assert torch.equal(stepper._stepper.w_in, copy_in) and torch.equal(stepper._stepper.w_out, copy_out)
    assert stepper.loss == losses[0]
    assert torch.equal(model.module.centre.weight, before_in)
    assert torch.equal(model.module.context.weight, before_out)


def test_undo_is_exact_in_the_one_table_view_where_rows_overlap():
    w = torch.randn(6, 4, generator=torch.Generator().manual_seed(1))
    stepper = PairStepper(w, None, shared=True)
    start = stepper.w_in.clone()
    stepper.step(2, [2, 3, 2, 5], 0.7)  # the centre is its own context and noise word
    stepper.step(3, [1, 3, 3, 3], 0.7)
    assert not torch.equal(stepper.w_in, start)
    stepper.undo(), stepper.undo()
    assert torch.equal(stepper.w_in, start)


def test_scores_loss_and_gradient_by_hand(model):
    stepper = UpdateStepper(model, centre="one", context="two", k=3, lr=0.5)
    s = stepper.state
    v = model.module.centre.weight[model.vocab.key_to_index["one"]].detach().double().numpy()
    u = model.module.context.weight[stepper.targets].detach().double().numpy()
    np.testing.assert_allclose(s.scores, u @ v, rtol=1e-6)
    sig = 1 / (1 + np.exp(-(u @ v)))
    loss = -math.log(sig[0]) - np.log(1 - sig[1:]).sum()
    assert s.loss == pytest.approx(loss, rel=1e-6)
    assert list(s.labels) == [1, 0, 0, 0]
    np.testing.assert_allclose(s.coef, sig - [1, 0, 0, 0], rtol=1e-6)
    # the drawn steps are the applied steps (targets distinct here, so no row sums)
    if len(set(stepper.targets)) == 4 and model.vocab.key_to_index["one"] not in stepper.targets:
        stepper.step()
        after = stepper.state
        np.testing.assert_allclose(after.v - s.v, s.step_v, atol=1e-6)
        np.testing.assert_allclose(after.u - s.u, s.step_u, atol=1e-6)


def test_plane_is_spanned_by_centre_and_context():
    rng = np.random.default_rng(0)
    v, u_o, other = rng.normal(size=(3, 12))
    basis = plane_basis(v, u_o)
    np.testing.assert_allclose(basis @ basis.T, np.eye(2), atol=1e-12)
    xy, off = project(np.stack([v, u_o, other]), basis)
    assert off[0] == pytest.approx(0, abs=1e-12) and off[1] == pytest.approx(0, abs=1e-12)
    assert xy[0][1] == pytest.approx(0, abs=1e-12) and xy[0][0] == pytest.approx(np.linalg.norm(v))
    assert np.hypot(*xy[2]) ** 2 + off[2] ** 2 == pytest.approx(other @ other)
    flat = plane_basis(v, 2 * v)  # parallel vectors still give a plane
    np.testing.assert_allclose(flat @ flat.T, np.eye(2), atol=1e-12)


def test_one_table_view_shows_a_word_predicting_itself(model):
    stepper = UpdateStepper(model, centre="cat", context="dog")
    stepper.shared = True
    assert stepper._stepper.w_out is stepper._stepper.w_in
    assert "itself: σ(v·v)" in stepper._bars.value
    state = stepper.state
    np.testing.assert_allclose(state.u[0], stepper.vector("dog", "input"), rtol=1e-6)
    vectors_only = UpdateStepper(model.wv, centre="cat", context="dog")
    assert vectors_only.shared and vectors_only._controls["shared"].disabled


def test_sliders_noise_words_and_escaping(model):
    stepper = UpdateStepper(model, centre="cat", context=EVIL, k=2, seed=4)
    assert len(stepper.noise_words) == 2
    first = stepper.noise_words
    stepper.k = 5
    assert stepper.noise_words[:2] == first and len(stepper.state.words) == 6
    page = stepper._plane.value + stepper._bars.value + stepper._message.value
    assert "<img" not in page and "&lt;img src=x" in page
    stepper.centre = "zebraa"  # unknown: refused, with a message, the last word kept
    assert stepper.centre == "cat" and "not in the vocabulary" in stepper._message.value


def test_bad_input_says_what_to_change(model):
    with pytest.raises(w2v.UnknownWordError):
        UpdateStepper(model, centre="nosuchword", context="dog")
    with pytest.raises(w2v.ConfigError, match="train it first"):
        UpdateStepper(w2v.Word2Vec(), centre="cat", context="dog")
    with pytest.raises(w2v.ConfigError, match="k"):
        UpdateStepper(model, centre="cat", context="dog", k=0)
    with pytest.raises(w2v.ConfigError, match="lr"):
        UpdateStepper(model, centre="cat", context="dog", lr=-1)
    assert w2v.UpdateStepper is UpdateStepper


@pytest.mark.parametrize("lr", [0.5, 0.025, 0.0123456789, 0.5000001, 1e-4, 50.0])
def test_the_lr_slider_has_the_given_value_as_a_stop(lr):
    """The page sends back a stop's index: the value passed must be one of the stops, exactly
    (a log slider with 0.25 steps of log10 turned 0.5 into 0.562 once drawn)."""
    options = lr_options(lr)
    values = [v for _, v in options]
    assert values.count(lr) == 1 and values == sorted(values)
    assert set(LR_STOPS) <= set(values) and len(values) <= len(LR_STOPS) + 1  # the lesson's range kept
    assert min(values) == min(0.001, lr) and max(values) == max(10.0, lr)
    assert len({label for label, _ in options}) == len(options)  # labels tell the stops apart


def test_the_lr_control_keeps_the_exact_value_both_ways(model):
    stepper = UpdateStepper(model, centre="cat", context="dog", k=3, lr=0.5)
    control = stepper._controls["lr"]
    assert control.value == stepper.lr == 0.5 and control.label == "0.5"
    control.index = control.index + 1  # the page moves the slider one stop up
    assert stepper.lr == 1.0 and stepper.state.lr == 1.0
    stepper.lr = 0.3  # set from Python, not a stop: it becomes one
    assert control.value == 0.3 and control.label == "0.3" and stepper.state.lr == 0.3
