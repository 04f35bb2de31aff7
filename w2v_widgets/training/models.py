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


def row_damping(rows: torch.Tensor, curvature: torch.Tensor, vocab_size: int, lr) -> torch.Tensor:
    """``1 / max(1, lr * H[row])`` for each occurrence of a row in a batch, where ``H`` sums the
    occurrences' curvatures (bounds on the second derivatives of their losses) per row.

    A batch-synchronous step adds up every occurrence's gradient, all taken at the same stale
    point: for a row seen ``n`` times that is one explicit step of ``n * lr``, which diverges for
    frequent words once batches are large (32k pairs on the embedded corpus: loss 5e10; on
    GCIDE: inf). Where ``lr * H > 1`` the row takes a Newton-sized step ``1 / H`` instead, which
    cannot overshoot; rows seen a few times move exactly as word2vec moves them. (The smoother
    ``1 / (1 + lr * H)`` also keeps big batches stable but slows every row: WordSim353 on the
    embedded corpus at 2048 pairs 0.36, against 0.45 with this form and 0.45 per pair.)
    """
    summed = torch.zeros(vocab_size, dtype=curvature.dtype, device=curvature.device)
    summed.index_add_(0, rows.reshape(-1), curvature.reshape(-1))
    return 1.0 / (lr * summed[rows]).clamp_min(1.0)


def _word2vec_init(vocab_size: int, dim: int, generator: torch.Generator, sparse: bool):
    """Centre table uniform in ±1/d, context table zero, as gensim 4 (the word2vec C tool draws
    ±0.5/d). The wider start measurably helps at gensim's settings: 5 epochs at alpha 0.025 on
    GCIDE, analogy accuracy 0.141 against 0.135 from ±0.5/d (3 seeds; gensim 0.143)."""
    # made with their values: nn.Embedding's own init draws normal values from torch's global
    # generator only to be overwritten (300k words x 100: 0.73 CPU s against 0.23 so)
    centre = torch.rand(vocab_size, dim, generator=generator).mul_(2).sub_(1).div_(dim)
    context = torch.zeros(vocab_size, dim)
    return tuple(nn.Embedding.from_pretrained(w, freeze=False, sparse=sparse) for w in (centre, context))


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
        self, centres: torch.Tensor, targets: torch.Tensor, lr: float | torch.Tensor, damped: bool = False
    ) -> torch.Tensor:
        """One word2vec SGD update for ``targets`` ``(B, 1 + k)`` (true context first); returns
        the per-pair losses computed before the update. ``damped``: a row's summed step is bounded
        by its curvature (:func:`row_damping`), which keeps large batches stable."""
        w_in, w_out = self.centre.weight, self.context.weight
        vocab_size, dim = w_in.shape
        v = w_in[centres]  # (B, d)
        u = w_out[targets]  # (B, 1+k, d)
        s = torch.bmm(u, v.unsqueeze(2)).squeeze(2)  # (B, 1+k)
        sig = torch.sigmoid(s)
        g = -sig
        g[:, 0] += 1.0
        g.mul_(lr)
        g_out = g
        if damped:
            curvature = sig * (1.0 - sig)  # of each target's loss, times |x|^2 below
            g_out = g * row_damping(targets, curvature * (v * v).sum(1, keepdim=True), vocab_size, lr)
            g = g * row_damping(centres, (curvature * (u * u).sum(2)).sum(1), vocab_size, lr)[:, None]
        grad_v = torch.bmm(g.unsqueeze(1), u).squeeze(1)
        grad_u = g_out.unsqueeze(2) * v.unsqueeze(1)
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
        self,
        contexts: torch.Tensor,
        mask: torch.Tensor,
        targets: torch.Tensor,
        lr: float | torch.Tensor,
        damped: bool = False,
    ) -> torch.Tensor:
        """One word2vec CBOW update (cbow_mean=1); returns per-example losses. ``damped`` as
        for skip-gram (:func:`row_damping`)."""
        w_in, w_out = self.centre.weight, self.context.weight
        vocab_size, dim = w_in.shape
        m = mask.to(w_in.dtype)
        n = m.sum(dim=1, keepdim=True).clamp_min(1)
        h = (w_in[contexts] * m.unsqueeze(2)).sum(dim=1) / n
        u = w_out[targets]
        s = torch.bmm(u, h.unsqueeze(2)).squeeze(2)
        sig = torch.sigmoid(s)
        g = -sig
        g[:, 0] += 1.0
        g.mul_(lr)
        grad_h = torch.bmm(g.unsqueeze(1), u).squeeze(1) / n  # spread over the context words
        g_out, slot = g, m
        if damped:
            curvature = sig * (1.0 - sig)
            g_out = g * row_damping(targets, curvature * (h * h).sum(1, keepdim=True), vocab_size, lr)
            # the n context words of an example move h together: each takes 1/n of its curvature
            per_slot = (curvature * (u * u).sum(2)).sum(1, keepdim=True) / n * m
            slot = m * row_damping(contexts, per_slot, vocab_size, lr)
        w_out.index_add_(0, targets.reshape(-1), (g_out.unsqueeze(2) * h.unsqueeze(1)).reshape(-1, dim))
        grad_ctx = grad_h.unsqueeze(1) * slot.unsqueeze(2)
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
