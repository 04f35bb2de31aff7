"""SampleLoss: the loss of one fixed sample of examples, measured after each epoch.

The loss the trainer logs is measured on the fly: each pair is scored just before its own update,
with vectors the pairs before it (in the same sentence) have just moved, and with fresh windows,
subsampling and noise words each epoch. While the learning rate is large that makes the logged
figure optimistic, and as the rate decays the optimism shrinks, so the logged loss can rise while
the model keeps improving. This callback draws its examples once (the trainer's own sampling,
from a corpus of your choice: the training text, or held-out sentences) and scores that same
sample after every epoch with the model's tables, without updating them.

The sample is drawn one chunk of sentences at a time (:data:`DRAW_TOKENS` tokens), never all of the
corpus's examples at once: each example gets a random key and the ``max_examples`` smallest keys
are kept, so the sample is a uniformly random subset of one draw of the whole corpus (as if all
examples were drawn, then ``max_examples`` of them picked), and noise words are drawn for the
kept examples only.
"""

from __future__ import annotations

from typing import Any

import torch

from ..callbacks.base import Callback
from ..data.corpus import Corpus
from .steps import Examples, eager_pairs, run_shape, with_noise
from .trainer import TrainingData

_SCORE_BATCH = 8192  # examples scored at a time (keeps the gathered vectors small)
DRAW_TOKENS = 16_384  # corpus tokens drawn at a time (cut at sentence starts): about 5 MB of pairs


class SampleLoss(Callback):
    """Scores one fixed sample of at most ``max_examples`` examples of ``corpus`` (drawn at the
    start of training with the model's settings and ``seed``) after each epoch; the mean losses
    are in :attr:`losses`, one per epoch, comparable with ``model.epoch_losses``."""

    def __init__(self, corpus: Corpus, max_examples: int = 100_000, seed: int = 0):
        self.corpus = corpus
        self.max_examples = max_examples
        self.seed = seed
        self.losses: list[float] = []
        self._examples: dict[str, torch.Tensor] | None = None

    def on_train_begin(self, model: Any, logs: dict) -> None:
        if self._examples is not None:  # a resumed run keeps its sample
            return
        device = next(model.module.parameters()).device
        data = TrainingData(self.corpus, model.vocab, device, chunk_tokens=DRAW_TOKENS)
        shape = run_shape(model.config, model.vocab, model.module, device)
        gen = torch.Generator(device=device).manual_seed(self.seed)
        kept: Examples | None = None
        for lo, hi in zip(data.bounds[:-1].tolist(), data.bounds[1:].tolist(), strict=True):
            pairs = eager_pairs(shape, data.ids[lo:hi], data.sentence[lo:hi], gen)
            pairs["key"] = torch.rand(
                len(pairs["centres"]), generator=gen, device=device, dtype=torch.float64
            )
            kept = pairs if kept is None else {k: torch.cat([kept[k], v]) for k, v in pairs.items()}
            if len(kept["key"]) > self.max_examples:
                smallest = torch.topk(kept["key"], self.max_examples, largest=False, sorted=False).indices
                kept = {k: v[smallest] for k, v in kept.items()}
        assert kept is not None  # TrainingData has at least one chunk
        order = torch.argsort(kept.pop("key"))  # a random order, as a random permutation gives
        self._examples = with_noise(shape, {k: v[order] for k, v in kept.items()}, gen)

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        self.losses.append(self.measure(model.module))

    def measure(self, module: torch.nn.Module) -> float:
        """The mean loss of the sample under ``module``'s current tables."""
        examples = self._examples or {}
        n = len(next(iter(examples.values()), []))
        total = 0.0
        with torch.no_grad():
            for start in range(0, n, _SCORE_BATCH):
                batch = {k: v[start : start + _SCORE_BATCH] for k, v in examples.items()}
                total += float(module.loss(**batch).sum(dtype=torch.float64))
        return total / max(1, n)
