"""The trainer's own SGD and Adam (training/optimizers.py) against torch.optim's.

They exist because a torch.optim optimizer imports torch's compiler stack (torch._dynamo, sympy:
about 70 MB of a kernel) when first stepped or saved; they must update the tables exactly as
torch's do, and read and write torch's state_dict layout (checkpoints of either kind load).
"""

from __future__ import annotations

import copy
import subprocess
import sys
import textwrap

import pytest
import torch

from w2v_widgets.training import optimizers
from w2v_widgets.training.models import SkipGramSoftmax

TOLERANCE = {"rtol": 1e-5, "atol": 1e-7}  # float32


def _model_and_batches(n_batches: int = 12):
    gen = torch.Generator().manual_seed(0)
    model = SkipGramSoftmax(300, 16, gen)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.3, generator=gen)
    batches = [
        (torch.randint(300, (64,), generator=gen), torch.randint(300, (64,), generator=gen))
        for _ in range(n_batches)
    ]
    return model, batches


def _train(model, opt, batches, lrs):
    for (centres, contexts), lr in zip(batches, lrs, strict=True):
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        model.loss(centres, contexts).mean().backward()
        opt.step()
    return [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda ps: optimizers.SGD(ps, lr=0.5), lambda ps: torch.optim.SGD(ps, lr=0.5)),
        (lambda ps: optimizers.Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False)),
        (lambda ps: optimizers.Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01, fused=True)),
    ],
    ids=["sgd", "adam", "adam-fused"],
)
def test_the_updates_are_torch_optims(ours, theirs):
    model, batches = _model_and_batches()
    twin = copy.deepcopy(model)
    lrs = [
        0.01 * (1 - i / len(batches)) + 1e-4 for i in range(len(batches))
    ]  # a decaying rate, as the trainer's
    mine = _train(model, ours(list(model.parameters())), batches, lrs)
    torch_ = _train(twin, theirs(list(twin.parameters())), batches, lrs)
    start = _model_and_batches()[0]
    for a, b, p0 in zip(mine, torch_, start.parameters(), strict=True):
        assert not torch.equal(a, p0)  # the tables moved
        torch.testing.assert_close(a, b, **TOLERANCE)


def test_adam_without_the_fused_kernel_is_torchs_single_tensor_adam(monkeypatch):
    monkeypatch.setattr(optimizers, "_FUSED_ADAM", None)  # a torch without it, or other tables
    test_the_updates_are_torch_optims(
        lambda ps: optimizers.Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False)
    )


def test_adam_state_moves_between_ours_and_torchs_and_training_continues_the_same():
    model, batches = _model_and_batches(10)
    lrs = [0.01] * 5
    theirs = torch.optim.Adam(model.parameters(), lr=0.01, fused=True)
    _train(model, theirs, batches[:5], lrs)
    state = theirs.state_dict()
    # ours, loaded from torch's state (as an older checkpoint holds it), and torch's, continued
    twin = copy.deepcopy(model)
    mine = optimizers.Adam(twin.parameters(), lr=0.5)  # the saved lr wins, as in torch
    mine.load_state_dict(copy.deepcopy(state))
    assert mine.param_groups[0]["lr"] == 0.01
    continued = _train(model, theirs, batches[5:], lrs)
    resumed = _train(twin, mine, batches[5:], lrs)
    for a, b in zip(resumed, continued, strict=True):
        torch.testing.assert_close(a, b, **TOLERANCE)
    # and back: torch's Adam takes ours
    back = torch.optim.Adam(copy.deepcopy(twin).parameters(), lr=0.01)
    back.load_state_dict(mine.state_dict())
    for i, values in mine.state_dict()["state"].items():
        assert float(back.state_dict()["state"][i]["step"]) == float(values["step"]) == 10
        torch.testing.assert_close(back.state_dict()["state"][i]["exp_avg_sq"], values["exp_avg_sq"])


def test_a_state_for_other_tables_is_refused():
    model, _ = _model_and_batches(1)
    mine = optimizers.Adam(model.parameters(), lr=0.01)
    state = mine.state_dict()
    state["param_groups"][0]["params"] = [0]
    with pytest.raises(Exception, match="does not fit"):
        optimizers.Adam(model.parameters(), lr=0.01).load_state_dict(state)


def test_training_with_adam_or_the_softmax_does_not_import_torchs_compiler():
    script = textwrap.dedent(
        """
        import sys, tempfile, os
        import w2v_widgets as w2v
        from tests.support.corpora import make_corpus
        corpus = make_corpus(300)
        for settings in ({"optimizer": "adam", "alpha": 0.01}, {"loss": "softmax"}):
            model = w2v.Word2Vec(vector_size=8, epochs=1, seed=0, **settings).fit(corpus)
            path = os.path.join(tempfile.mkdtemp(), "m.ckpt")
            model.save(path)
            w2v.Word2Vec.load(path).fit(corpus)
        print(sorted(m for m in ("torch._dynamo", "sympy") if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
