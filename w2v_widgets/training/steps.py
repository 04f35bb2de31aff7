"""Step paths: the ways one chunk of tokens becomes updates of the model.

Every path has the same small interface, so the trainer's loop never asks which one it runs:

* ``examples(tokens, sentence, generator)``: the chunk's training examples (subsampling, windows,
  pairs and noise words), the same every time for a generator seeded the same way;
* ``n_batches(examples)``: how many steps the chunk takes;
* ``step(examples, index, lr)``: update the model on batch ``index``; return the per-example
  losses, each computed before its update.

:class:`CompiledKernelPath` is skip-gram's JIT-compiled CPU kernel (``kernels/``), which draws pairs
and noise itself and steps over ranges of centre positions. :class:`Word2VecSGDPath` applies
word2vec's closed-form SGD with torch ops (the eager CPU fallback and the GPU's path).
:class:`OptimizerPath` backpropagates through the model's loss for a torch optimizer (Adam,
SparseAdam, or SGD on the full softmax). :func:`choose_paths` picks them for a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import torch

from ..data import sampling
from ..threads import limit_torch_threads
from . import kernels
from .optimizers import Optimizer

EAGER_CPU_STEP = 1024  # the eager skip-gram update on CPU takes a batch this many pairs at a time

Examples = dict[str, Any]


class StepPath(Protocol):
    """What the trainer needs of a step path (see the module's docstring)."""

    name: str

    def examples(self, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator) -> Examples: ...

    def n_batches(self, examples: Examples) -> int: ...

    def step(self, examples: Examples, index: int, lr: float) -> torch.Tensor: ...


@dataclass
class RunShape:
    """The settings every path reads: the model, the corpus's sampling tables and batch size."""

    model: torch.nn.Module
    loss: str  # "negative", "cbow" or "softmax"
    window: int
    negative: int
    batch_size: int
    keep_prob: torch.Tensor
    noise: sampling.NoiseSampler
    device: torch.device
    device_path: bool  # the GPU's path: whole batches in one damped step


def run_shape(
    config: Any,
    vocab: Any,
    model: torch.nn.Module,
    device: torch.device,
    batch_size: int = 1,
    device_path: bool = False,
) -> RunShape:
    """The :class:`RunShape` of ``config`` (a ``TrainingConfig``) for ``vocab``: subsampling
    probabilities and the noise table from the vocabulary's counts."""
    keep = sampling.keep_probability(vocab.counts, config.sample, config.sample_formula)
    probabilities = sampling.noise_distribution(vocab.counts, config.ns_exponent)
    noise = sampling.NoiseSampler(probabilities, device=device)
    return RunShape(
        model=model,
        loss=config.loss,
        window=config.window,
        negative=config.negative,
        batch_size=batch_size,
        keep_prob=torch.as_tensor(keep, device=device),
        noise=noise,
        device=device,
        device_path=device_path,
    )


def eager_pairs(
    shape: RunShape, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator
) -> Examples:
    """Subsample, draw windows and make the pairs (skip-gram: ``centres``, ``contexts``) or CBOW's
    context rows (``centres``, ``contexts``, ``mask``), with torch ops; no noise words yet."""
    kept = sampling.subsample(tokens, shape.keep_prob, gen)
    tokens, sentence = tokens[kept], sentence[kept]
    radius = sampling.draw_windows(len(tokens), shape.window, gen, shape.device)
    if shape.loss == "cbow":
        contexts, valid = sampling.context_matrix(tokens, sentence, radius, shape.window)
        rows = valid.any(dim=1)
        return {"centres": tokens[rows], "contexts": contexts[rows], "mask": valid[rows]}
    centres, contexts = sampling.skipgram_pairs(tokens, sentence, radius, shape.window)
    return {"centres": centres, "contexts": contexts}


def with_noise(shape: RunShape, pairs: Examples, gen: torch.Generator) -> Examples:
    """The examples of :func:`eager_pairs`' ``pairs``: ``negative`` noise words drawn for each
    (none for the full softmax), after the true word in ``targets``."""
    if shape.loss == "softmax":
        return pairs
    centres = pairs["centres"]
    noise = shape.noise.sample((len(centres), shape.negative), gen)
    if shape.loss == "cbow":
        return {
            "contexts": pairs["contexts"],
            "mask": pairs["mask"],
            "targets": torch.cat([centres[:, None], noise], 1),
        }
    return {"centres": centres, "targets": torch.cat([pairs["contexts"][:, None], noise], 1)}


def eager_examples(shape: RunShape, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator):
    """Subsample, draw windows, make pairs (or CBOW context rows) and noise words with torch ops."""
    return with_noise(shape, eager_pairs(shape, tokens, sentence, gen), gen)


class _RowBatches:
    """Batches that are slices of ``batch_size`` rows of the examples."""

    shape: RunShape

    def examples(self, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator) -> Examples:
        return eager_examples(self.shape, tokens, sentence, gen)

    def n_batches(self, examples: Examples) -> int:
        n = len(next(iter(examples.values())))
        return max(1, math.ceil(n / self.shape.batch_size))

    def batch(self, examples: Examples, index: int) -> Examples:
        size = self.shape.batch_size
        return {k: v[index * size : (index + 1) * size] for k, v in examples.items()}


class Word2VecSGDPath(_RowBatches):
    """word2vec's SGD update in closed form (negative sampling or CBOW), damped for large batches
    (``models.row_damping``): summed steps of frequent words are unstable even at 1024 pairs."""

    name = "word2vec-sgd"

    def __init__(self, shape: RunShape):
        self.shape = shape

    def step(self, examples: Examples, index: int, lr: float) -> torch.Tensor:
        batch, model = self.batch(examples, index), self.shape.model
        if len(batch["targets"]) == 0:
            return torch.zeros(0)
        if self.shape.loss == "cbow":
            return model.sgd_step(batch["contexts"], batch["mask"], batch["targets"], lr, True)
        centres, targets = batch["centres"], batch["targets"]
        if self.shape.device_path or len(centres) <= EAGER_CPU_STEP:
            return model.sgd_step(centres, targets, lr, True)
        # on CPU, a large batch in steps that keep their working set in cache
        return torch.cat(
            [
                model.sgd_step(centres[i : i + EAGER_CPU_STEP], targets[i : i + EAGER_CPU_STEP], lr, True)
                for i in range(0, len(centres), EAGER_CPU_STEP)
            ]
        )


class OptimizerPath(_RowBatches):
    """Autograd through the model's loss, then an optimizer's step (optimizers.py; SparseAdam is torch's)."""

    name = "optimizer"

    def __init__(self, shape: RunShape, optimizer: Optimizer):
        self.shape = shape
        self.optimizer = optimizer

    def step(self, examples: Examples, index: int, lr: float) -> torch.Tensor:
        batch, model, opt = self.batch(examples, index), self.shape.model, self.optimizer
        if len(next(iter(batch.values()))) == 0:
            return torch.zeros(0)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        with torch.enable_grad():
            if self.shape.loss == "cbow":
                losses = model.loss(batch["contexts"], batch["mask"], batch["targets"])
            elif self.shape.loss == "softmax":
                losses = model.loss(batch["centres"], batch["contexts"])
            else:
                losses = model.loss(batch["centres"], batch["targets"])
            losses.mean().backward()
        opt.step()
        return losses.detach()


class CompiledKernelPath:
    """Skip-gram's JIT CPU kernel: subsampling, windows, pairs and noise drawn in compiled code seeded by
    (seed, position), so any batch cut or thread count gives the same examples. A batch is a range
    of centre positions giving about ``batch_size`` pairs."""

    name = "compiled-kernel"

    def __init__(self, shape: RunShape, background: bool = False):
        self.shape = shape
        self.background = background  # leave a core to the notebook's kernel
        self.threads = kernels.threads(background)  # once a run: it reads the cgroup's files

    def examples(self, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator) -> Examples:
        seed = int(torch.randint(0, 2**62, (1,), generator=gen, device=self.shape.device))
        tokens, sentence, radius = kernels.prepare_chunk(
            tokens, sentence, self.shape.keep_prob, self.shape.window, seed
        )
        return {"tokens": tokens, "sentence": sentence, "radius": radius, "noise_seed": seed ^ 0x5DEECE66D}

    def _positions(self) -> int:
        """Centre positions giving about ``batch_size`` pairs (window + 1 pairs a position)."""
        return max(1, self.shape.batch_size // (self.shape.window + 1))

    def n_batches(self, examples: Examples) -> int:
        return max(1, math.ceil(len(examples["tokens"]) / self._positions()))

    def step(self, examples: Examples, index: int, lr: float) -> torch.Tensor:
        size, model = self._positions(), self.shape.model
        lo = index * size
        hi = min(lo + size, len(examples["tokens"]))
        if hi <= lo:
            return torch.zeros(0)
        return kernels.sgns_window(
            model.centre.weight,
            model.context.weight,
            examples["tokens"],
            examples["sentence"],
            examples["radius"],
            self.shape.noise.table,
            lo,
            hi,
            self.shape.window,
            self.shape.negative,
            lr,
            examples["noise_seed"],
            self.threads,
        )


def choose_paths(
    shape: RunShape, optimizer: Optimizer | None, background: bool = False
) -> tuple[StepPath, StepPath | None]:
    """The run's eager path and, where it can serve, the compiled kernel (None otherwise).

    The kernel serves skip-gram with negative sampling and word2vec SGD on the CPU; it is loaded
    here (compiled on a machine's first use, a few seconds), so a run starts on it.
    """
    if shape.device.type == "cpu":
        limit_torch_threads()  # torch starts with the machine's cores, not the process's share
    eager: StepPath = Word2VecSGDPath(shape) if optimizer is None else OptimizerPath(shape, optimizer)
    usable = shape.loss == "negative" and optimizer is None and shape.device.type == "cpu"
    if not usable or shape.device_path or not kernels.start():
        return eager, None
    return eager, CompiledKernelPath(shape, background)
