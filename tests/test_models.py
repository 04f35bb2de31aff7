import pytest
import torch

from w2v_widgets.models import (
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
