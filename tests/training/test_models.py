import pytest
import torch

from w2v_widgets.training.models import (
    CBOWNegativeSampling,
    SkipGramNegativeSampling,
    SkipGramSoftmax,
    masked_bce_loss,
    negative_sampling_loss,
)


def test_masked_bce_worked_example_from_the_lesson():
    pred = torch.tensor([[1.1, -2.2, 3.3, -4.4]] * 2)
    label = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    loss = masked_bce_loss(pred, label, mask)
    assert loss.tolist() == pytest.approx([0.9352, 1.8462], abs=1e-4)


def test_negative_sampling_loss_by_hand():
    s = torch.tensor([[2.0, -1.0, 0.5]])
    sig = torch.sigmoid
    expected = -(
        torch.log(sig(torch.tensor(2.0)))
        + torch.log(sig(torch.tensor(1.0)))
        + torch.log(sig(torch.tensor(-0.5)))
    )
    assert negative_sampling_loss(s).item() == pytest.approx(expected.item(), rel=1e-6)


def _random_model(cls, seed=0):
    g = torch.Generator().manual_seed(seed)
    m = cls(30, 8, g)
    with torch.no_grad():
        m.context.weight.normal_(0, 0.3, generator=g)  # non-zero so both tables move
    return m


def test_skipgram_sgd_step_equals_gradient_descent_on_the_summed_loss():
    fast, ref = _random_model(SkipGramNegativeSampling), _random_model(SkipGramNegativeSampling)
    centres = torch.tensor([1, 2, 3, 1])
    targets = torch.tensor([[4, 5, 6], [7, 8, 9], [4, 1, 2], [10, 11, 12]])
    lr = 0.1
    losses = fast.sgd_step(centres, targets, lr)
    ref_losses = ref.loss(centres, targets)
    ref_losses.sum().backward()
    with torch.no_grad():
        for p in ref.parameters():
            p -= lr * p.grad
    assert losses == pytest.approx(ref_losses.detach(), rel=1e-5)
    assert torch.allclose(fast.centre.weight, ref.centre.weight, atol=1e-6)
    assert torch.allclose(fast.context.weight, ref.context.weight, atol=1e-6)


def test_cbow_sgd_step_equals_gradient_descent_on_the_summed_loss():
    fast, ref = _random_model(CBOWNegativeSampling), _random_model(CBOWNegativeSampling)
    contexts = torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0]])
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    targets = torch.tensor([[6, 7, 8], [9, 10, 11]])
    lr = 0.05
    fast.sgd_step(contexts, mask, targets, lr)
    ref.loss(contexts, mask, targets).sum().backward()
    with torch.no_grad():
        for p in ref.parameters():
            p -= lr * p.grad
    assert torch.allclose(fast.centre.weight, ref.centre.weight, atol=1e-6)
    assert torch.allclose(fast.context.weight, ref.context.weight, atol=1e-6)


def test_softmax_model_gives_log_probabilities_over_the_vocabulary():
    m = SkipGramSoftmax(50, 8, torch.Generator().manual_seed(0))
    logp = m.log_probs(torch.tensor([1, 2, 3]))
    assert logp.shape == (3, 50)
    assert torch.allclose(logp.exp().sum(1), torch.ones(3), atol=1e-5)
    loss = m.loss(torch.tensor([1, 2]), torch.tensor([3, 4]))
    assert loss.tolist() == pytest.approx([-logp[0, 3].item(), -logp[1, 4].item()], rel=1e-5)


@pytest.mark.parametrize("cls", [SkipGramNegativeSampling, CBOWNegativeSampling])
def test_word2vec_init_is_gensims_uniform_one_over_d_and_zero_context(cls):
    model = cls(5000, 50, torch.Generator().manual_seed(0))
    w = model.centre.weight.detach()
    assert float(w.min()) >= -1 / 50 and float(w.max()) < 1 / 50
    assert float(w.abs().max()) > 0.99 / 50  # the whole range is used, not ±0.5/d
    assert float(w.mean()) == pytest.approx(0.0, abs=1e-4)
    assert not model.context.weight.any()


def test_row_damping_by_hand():
    from w2v_widgets.training.models import row_damping

    rows = torch.tensor([0, 0, 1, 2])
    curvature = torch.tensor([2.0, 3.0, 0.5, 0.0])
    # lr * H = 0.4 * [5, 0.5, 0]: row 0 takes a step of 1/H (factor 1/2); rows 1 and 2 move freely
    assert row_damping(rows, curvature, 4, 0.4).tolist() == pytest.approx([0.5, 0.5, 1.0, 1.0])


@pytest.mark.parametrize("repeats", [10, 10_000])
def test_damped_step_of_a_row_seen_n_times_does_not_grow_with_n(repeats):
    """The same pair n times in one batch: undamped, the output row moves n times as far; damped,
    it takes a Newton-sized step whatever n is (here the score goes from 0 to +2 exactly)."""
    model = SkipGramNegativeSampling(3, 4, torch.Generator().manual_seed(0))
    with torch.no_grad():
        model.centre.weight.copy_(torch.tensor([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]]))
    centres = torch.zeros(repeats, dtype=torch.long)
    targets = torch.tensor([[1, 2]]).repeat(repeats, 1)  # context 1, noise word 2
    model.sgd_step(centres, targets, 0.1, damped=True)
    v = model.centre.weight.detach()[0]
    u = model.context.weight.detach()
    # sigmoid'(0) = 1/4, |v|^2 = 1: H = n/4, lr*H >= 1 for n >= 40; below, the plain summed step
    expected = 2.0 if repeats * 0.1 / 4 >= 1 else repeats * 0.1 * 0.5
    assert float(u[1] @ torch.tensor([1.0, 0, 0, 0])) == pytest.approx(expected, rel=1e-3)  # float32 sums
    assert float(u[2] @ torch.tensor([1.0, 0, 0, 0])) == pytest.approx(-expected, rel=1e-3)
    assert torch.isfinite(v).all()
