"""The three word2vec models as torch modules, their losses, and word2vec-style SGD updates.

Each model exposes ``loss(batch)`` (per-example losses, differentiable: used with Adam and
SparseAdam) and, where it exists, ``sgd_step(batch, lr)``: the closed-form gradient update of the
word2vec C tool, applied in place without autograd (about twice as fast as autograd + an optimizer).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def masked_bce_loss(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy with logits over padded rows, each row averaged over its unmasked
    entries (the d2l lesson's loss). Returns one loss per row."""
    mask = mask.to(logits.dtype)
    per_entry = F.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype), reduction="none")
    return (per_entry * mask).sum(dim=1) / mask.sum(dim=1).clamp_min(1)


def negative_sampling_loss(scores: torch.Tensor) -> torch.Tensor:
    """``-(log σ(s_pos) + Σ_k log σ(-s_neg_k))`` for scores ``(B, 1 + k)``, true context first."""
    return -(F.logsigmoid(scores[:, 0]) + F.logsigmoid(-scores[:, 1:]).sum(dim=1))


def _word2vec_init(vocab_size: int, dim: int, generator: torch.Generator, sparse: bool):
    """Centre table uniform in ±1/d, context table zero, as gensim 4 (the word2vec C tool draws
    ±0.5/d). The wider start measurably helps at gensim's settings: 5 epochs at alpha 0.025 on
    GCIDE, analogy accuracy 0.141 against 0.135 from ±0.5/d (3 seeds; gensim 0.143)."""
    centre = nn.Embedding(vocab_size, dim, sparse=sparse)
    context = nn.Embedding(vocab_size, dim, sparse=sparse)
    with torch.no_grad():
        centre.weight.copy_((torch.rand(vocab_size, dim, generator=generator) * 2 - 1) / dim)
        context.weight.zero_()
    return centre, context


class SkipGramNegativeSampling(nn.Module):
    """Skip-gram with negative sampling: two tables; a centre word scores its true context
    against ``k`` noise words by dot products, through a sigmoid."""

    def __init__(self, vocab_size: int, dim: int, generator: torch.Generator, sparse: bool = False):
        super().__init__()
        self.centre, self.context = _word2vec_init(vocab_size, dim, generator, sparse)

    def scores(self, centres: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Dot products ``(B, 1 + k)`` of each centre vector with its target vectors."""
        v = self.centre(centres)
        u = self.context(targets)
        return torch.bmm(u, v.unsqueeze(2)).squeeze(2)

    def loss(self, centres: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return negative_sampling_loss(self.scores(centres, targets))

    @torch.no_grad()
    def sgd_step(
        self, centres: torch.Tensor, targets: torch.Tensor, lr: float | torch.Tensor
    ) -> torch.Tensor:
        """One word2vec SGD update for ``targets`` ``(B, 1 + k)`` (true context first); returns
        the per-pair losses computed before the update."""
        w_in, w_out = self.centre.weight, self.context.weight
        dim = w_in.shape[1]
        v = w_in[centres]  # (B, d)
        u = w_out[targets]  # (B, 1+k, d)
        s = torch.bmm(u, v.unsqueeze(2)).squeeze(2)  # (B, 1+k)
        g = -torch.sigmoid(s)
        g[:, 0] += 1.0
        g.mul_(lr)
        grad_v = torch.bmm(g.unsqueeze(1), u).squeeze(1)
        grad_u = g.unsqueeze(2) * v.unsqueeze(1)
        w_out.index_add_(0, targets.reshape(-1), grad_u.reshape(-1, dim))
        w_in.index_add_(0, centres, grad_v)
        return negative_sampling_loss(s)


class CBOWNegativeSampling(nn.Module):
    """Continuous bag of words with negative sampling: the mean of the context vectors
    predicts the centre word against ``k`` noise words."""

    def __init__(self, vocab_size: int, dim: int, generator: torch.Generator, sparse: bool = False):
        super().__init__()
        self.centre, self.context = _word2vec_init(vocab_size, dim, generator, sparse)

    def _hidden(self, contexts: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.to(self.centre.weight.dtype)
        summed = (self.centre(contexts) * m.unsqueeze(2)).sum(dim=1)
        return summed / m.sum(dim=1, keepdim=True).clamp_min(1)

    def scores(self, contexts: torch.Tensor, mask: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        h = self._hidden(contexts, mask)
        return torch.bmm(self.context(targets), h.unsqueeze(2)).squeeze(2)

    def loss(self, contexts: torch.Tensor, mask: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return negative_sampling_loss(self.scores(contexts, mask, targets))

    @torch.no_grad()
    def sgd_step(
        self, contexts: torch.Tensor, mask: torch.Tensor, targets: torch.Tensor, lr: float | torch.Tensor
    ) -> torch.Tensor:
        """One word2vec CBOW update (cbow_mean=1); returns per-example losses."""
        w_in, w_out = self.centre.weight, self.context.weight
        dim = w_in.shape[1]
        m = mask.to(w_in.dtype)
        n = m.sum(dim=1, keepdim=True).clamp_min(1)
        h = (w_in[contexts] * m.unsqueeze(2)).sum(dim=1) / n
        u = w_out[targets]
        s = torch.bmm(u, h.unsqueeze(2)).squeeze(2)
        g = -torch.sigmoid(s)
        g[:, 0] += 1.0
        g.mul_(lr)
        grad_h = torch.bmm(g.unsqueeze(1), u).squeeze(1) / n  # spread over the context words
        w_out.index_add_(0, targets.reshape(-1), (g.unsqueeze(2) * h.unsqueeze(1)).reshape(-1, dim))
        grad_ctx = grad_h.unsqueeze(1) * m.unsqueeze(2)
        w_in.index_add_(0, contexts.reshape(-1), grad_ctx.reshape(-1, dim))
        return negative_sampling_loss(s)


class SkipGramSoftmax(nn.Module):
    """The lessons' first model: ``Embedding -> Linear -> LogSoftmax`` with an NLL loss.

    It is slow by construction: every training pair computes a score for *every* word of the
    vocabulary (a ``d x V`` matrix product and a softmax over ``V``), and its gradient touches all
    ``V`` output rows, where negative sampling touches ``k + 1``. At V = 10k and k = 5 that is
    over a thousand times more work per pair; it is here to teach why negative sampling exists.
    """

    def __init__(self, vocab_size: int, dim: int, generator: torch.Generator, sparse: bool = False):
        super().__init__()
        self.centre = nn.Embedding(vocab_size, dim, sparse=sparse)
        self.output = nn.Linear(dim, vocab_size)
        with torch.no_grad():
            self.centre.weight.uniform_(-1, 1, generator=generator)
            bound = 1.0 / dim**0.5
            self.output.weight.uniform_(-bound, bound, generator=generator)
            self.output.bias.zero_()

    def log_probs(self, centres: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.output(self.centre(centres)), dim=1)

    def loss(self, centres: torch.Tensor, contexts: torch.Tensor) -> torch.Tensor:
        return F.nll_loss(self.log_probs(centres), contexts, reduction="none")
