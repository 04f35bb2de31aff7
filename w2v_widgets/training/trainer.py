"""The training loop: epochs of chunks of batches, events to callbacks, resumable positions.

The loop computes; callbacks report. Each chunk of tokens is turned into examples and updates by
a step path (:mod:`.steps`); the loop fires events carrying facts (``on_batch_end`` with the
interval's loss, words done, rate...), and recording the history is a callback like any other
(:class:`~w2v_widgets.callbacks.recorder.Recorder`, attached to every run by ``Word2Vec``).

Randomness is derived from ``(seed, epoch, chunk)``, so the examples of any chunk can be rebuilt
exactly: a run stopped in the middle of an epoch and resumed (even from a checkpoint in another
process) follows the same path as one never interrupted.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from ..callbacks.base import CallbackList
from ..data.corpus import Corpus
from ..data.vocabulary import Vocabulary
from ..errors import CorpusError, TrainingDivergedError
from . import optimizers
from .config import ResolvedSettings, TrainingConfig
from .control import FAILED, FINISHED, STOPPED, RunControl, TrainingState
from .models import CBOWNegativeSampling, SkipGramNegativeSampling, SkipGramSoftmax
from .optimizers import Optimizer
from .steps import StepPath, choose_paths, run_shape

CHUNK_TOKENS = 65_536  # raw tokens per chunk of example generation
DEVICE_CHUNK_TOKENS = 1 << 20  # on a GPU: each chunk costs two host syncs, so fewer and larger
_SNAPSHOT_MAX_PARAMS = 20_000_000  # keep a last-good copy of weights below this size
_SNAPSHOT_SECONDS = 1.0  # refresh that copy at most this often (copying costs a pass over the weights)


@dataclass
class Position:
    """Where a run is, and the running sums it needs to resume exactly."""

    epoch: int = 0
    chunk: int = 0
    batch: int = 0  # batches done in the current chunk
    batches_done: int = 0  # over the whole run
    epoch_loss_sum: float = 0.0
    epoch_examples: int = 0
    smoothed_loss: float | None = None
    elapsed: float = 0.0  # training seconds, pauses excluded
    kernel: bool = False  # the current chunk's batches are the compiled kernel path's
    chunk_tokens: int = 0  # the run's chunk size, fixed when it starts (0: not started)
    epoch_losses: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def chunk_seed(seed: int, epoch: int, chunk: int) -> int:
    """A well-mixed 63-bit seed for one chunk of one epoch."""
    return int(np.random.SeedSequence([seed & 0xFFFFFFFF, epoch, chunk]).generate_state(2, np.uint64)[0] >> 1)


def build_model(config: TrainingConfig, vocab_size: int, generator: torch.Generator) -> torch.nn.Module:
    sparse = config.optimizer == "sparse_adam"
    cls = {"negative": SkipGramNegativeSampling, "cbow": CBOWNegativeSampling, "softmax": SkipGramSoftmax}
    return cls[config.loss](vocab_size, config.vector_size, generator, sparse=sparse)


def build_optimizer(config: TrainingConfig, model: torch.nn.Module, lr: float):
    """None for the hand-written word2vec SGD (negative/cbow), else an optimizer: our own SGD and
    Adam (``optimizers.py``: torch.optim's would import torch's compiler stack, about 70 MB), or
    torch's SparseAdam for sparse tables."""
    if config.optimizer == "sgd":
        return None if config.loss != "softmax" else optimizers.SGD(model.parameters(), lr=lr)
    if config.optimizer == "adam":
        return optimizers.Adam(model.parameters(), lr=lr)
    return torch.optim.SparseAdam(list(model.parameters()), lr=lr)


class TrainingData:
    """The encoded corpus on the device, split into chunks at sentence starts."""

    def __init__(
        self, corpus: Corpus, vocab: Vocabulary, device: torch.device, chunk_tokens: int = CHUNK_TOKENS
    ):
        ids, offsets = vocab.encode_corpus(corpus)
        if len(ids) == 0:
            raise CorpusError("no token of the corpus is in the vocabulary; lower min_count")
        lengths = np.diff(offsets)
        if lengths.max() < 2:
            raise CorpusError(
                "no training pairs: every sentence has at most one word once rare words are "
                "removed; give longer sentences or lower min_count"
            )
        sentence = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        self.n_tokens = len(ids)
        self.ids = torch.as_tensor(ids.astype(np.int64), device=device)
        self.sentence = torch.as_tensor(sentence, device=device)
        targets = np.arange(chunk_tokens, self.n_tokens, chunk_tokens)
        cuts = offsets[np.searchsorted(offsets, targets)]
        bounds = np.unique(np.concatenate([[0], cuts, [self.n_tokens]]))
        self.bounds = bounds.astype(np.int64)

    @property
    def n_chunks(self) -> int:
        return len(self.bounds) - 1


class Trainer:
    """Runs (and resumes) the training of one model. Used through :class:`~w2v_widgets.Word2Vec`."""

    def __init__(
        self,
        config: TrainingConfig,
        settings: ResolvedSettings,
        vocab: Vocabulary,
        corpus: Corpus,
        model: torch.nn.Module,
        optimizer: Optimizer | None,
        position: Position,
        control: RunControl,
        background: bool = False,
    ):
        self.config, self.settings, self.vocab = config, settings, vocab
        self.model, self.optimizer, self.position = model, optimizer, position
        self.control = control
        device = settings.device
        # The device path (any GPU; W2V_WIDGETS_KERNEL=device elsewhere): whole batches in one
        # damped step, examples drawn on the device a large chunk at a time.
        if not position.chunk_tokens:  # a resumed run keeps its chunks, whatever the device now
            position.chunk_tokens = DEVICE_CHUNK_TOKENS if settings.device_path else CHUNK_TOKENS
        self.data = TrainingData(corpus, vocab, device, position.chunk_tokens)
        if config.loss != "softmax" and len(vocab) < 2:
            raise CorpusError("the vocabulary has a single word; negative sampling needs at least two")
        shape = run_shape(config, vocab, model, device, settings.batch_size, settings.device_path)
        self.noise = shape.noise
        # The kernel path exists only if choose_paths loaded the JIT kernel (compiled on a machine's
        # first use), so every chunk of the run takes the same path.
        self.eager_path, self.kernel_path = choose_paths(shape, optimizer, background)
        self.words_per_epoch = self.data.n_tokens
        self.words_total = self.words_per_epoch * settings.epochs
        self._snapshot: list[torch.Tensor] | None = None
        n_params = sum(p.numel() for p in model.parameters())
        if n_params <= _SNAPSHOT_MAX_PARAMS:
            self._snapshot = [p.detach().clone() for p in model.parameters()]
        self._snapshot_words = 0
        self._snapshot_time = -math.inf
        self.words_now = 0

    # ------------------------------------------------------------------ one chunk
    def path_for_chunk(self, resumed_on_kernel: bool | None = None) -> StepPath:
        """The step path of the next chunk: the kernel's where the run has one; a chunk resumed in
        its middle (``resumed_on_kernel`` given) keeps the path its batches were counted in."""
        if self.kernel_path is None or resumed_on_kernel is False:
            return self.eager_path
        return self.kernel_path

    def make_examples(self, epoch: int, chunk: int, path: StepPath | None = None) -> dict:
        """The examples of one chunk, the same every time for a seed (``path``: the chunk's)."""
        path = path or self.path_for_chunk()
        gen = torch.Generator(device=self.settings.device)
        gen.manual_seed(chunk_seed(self.config.seed, epoch, chunk))
        start, end = int(self.data.bounds[chunk]), int(self.data.bounds[chunk + 1])
        return path.examples(self.data.ids[start:end], self.data.sentence[start:end], gen)

    def learning_rate(self, words_done: float) -> float:
        s = self.settings
        if self.config.optimizer != "sgd":
            return s.alpha
        fraction = min(1.0, words_done / max(1, self.words_total))
        return s.alpha - (s.alpha - s.min_alpha) * fraction

    def words_done(self, epoch: int, chunk: int, batch: int, n_batches: int) -> int:
        b = self.data.bounds
        within = (b[chunk + 1] - b[chunk]) * batch // max(1, n_batches)
        return int(epoch * self.words_per_epoch + b[chunk] + within)

    # ------------------------------------------------------------------ the loop
    def run(self, owner: Any, callbacks: CallbackList) -> TrainingState:
        """Train until finished or stopped; returns the final state. Raises on failure."""
        pos, s, control = self.position, self.settings, self.control
        control.begin()
        words0 = self._current_words()
        logs = {
            "epochs": s.epochs,
            "words_total": self.words_total,
            "vocab_size": len(self.vocab),
            "device": str(s.device),
            "state": control.state,
            "resumed": words0 > 0,
        }
        callbacks.fire("on_train_begin", owner, logs)
        self._clock = time.perf_counter()
        self._interval = [0.0, 0, pos.elapsed, words0]
        self._session = (pos.elapsed, words0)
        self.words_now, self._last_lr = words0, self.learning_rate(words0)
        stopped = False
        try:
            while pos.epoch < s.epochs and not stopped:
                if pos.chunk == 0 and pos.batch == 0:
                    pos.epoch_loss_sum, pos.epoch_examples = 0.0, 0
                    callbacks.fire("on_epoch_begin", owner, {"epoch": pos.epoch, "epochs": s.epochs})
                stopped = self._run_epoch(owner, callbacks)
                if not stopped:
                    self._end_epoch(owner, callbacks)
            if stopped:
                self._flush_interval(owner, callbacks)
        finally:
            self._add_elapsed()
        return STOPPED if stopped else FINISHED

    def _run_epoch(self, owner: Any, callbacks: CallbackList) -> bool:
        pos = self.position
        with torch.no_grad():
            while pos.chunk < self.data.n_chunks:
                path = self.path_for_chunk(pos.kernel if pos.batch else None)
                pos.kernel = path is self.kernel_path
                examples = self.make_examples(pos.epoch, pos.chunk, path)
                n_batches = path.n_batches(examples)
                while pos.batch < n_batches:
                    if self.control.pause_point():
                        return True
                    lr = self.learning_rate(self.words_done(pos.epoch, pos.chunk, pos.batch, n_batches))
                    losses = path.step(examples, pos.batch, lr)
                    self._interval[0] += losses.sum(dtype=torch.float64) if len(losses) else 0.0
                    self._interval[1] += len(losses)
                    pos.batch += 1
                    pos.batches_done += 1
                    self._last_lr = lr
                    self.words_now = self.words_done(pos.epoch, pos.chunk, pos.batch, n_batches)
                    if pos.batches_done % self.settings.log_every == 0:
                        self._flush_interval(owner, callbacks)
                pos.chunk += 1
                pos.batch = 0
        return False

    def _current_words(self) -> int:
        pos = self.position
        if pos.chunk >= self.data.n_chunks:
            return (pos.epoch + 1) * self.words_per_epoch
        return self.words_done(pos.epoch, pos.chunk, 0, 1)

    def _add_elapsed(self) -> None:
        """Move the training clock forward, leaving out time spent paused."""
        now = time.perf_counter()
        self.position.elapsed += now - self._clock - self.control.take_paused_seconds()
        self._clock = now

    def _flush_interval(self, owner: Any, callbacks: CallbackList) -> None:
        """Emit ``on_batch_end`` with the mean loss since the last one; check for divergence."""
        total, count, t0, w0 = self._interval
        if count == 0:
            return
        pos, s = self.position, self.settings
        loss_sum = float(total)
        loss = loss_sum / count
        words, lr = self.words_now, self._last_lr
        if not math.isfinite(loss):
            self._restore_snapshot()
            raise TrainingDivergedError(
                f"the loss became {loss} in epoch {pos.epoch + 1} at learning rate {lr:.3g} "
                f"(alpha={s.alpha:g}, optimizer={self.config.optimizer!r}); the weights were restored "
                f"to the last good state ({self._snapshot_words:,} words in). Lower alpha and train again."
            )
        self._take_snapshot(words)
        pos.epoch_loss_sum += loss_sum
        pos.epoch_examples += count
        pos.smoothed_loss = loss if pos.smoothed_loss is None else 0.9 * pos.smoothed_loss + 0.1 * loss
        self._add_elapsed()
        rate = (words - w0) / max(1e-9, pos.elapsed - t0)
        session_rate = (words - self._session[1]) / max(1e-9, pos.elapsed - self._session[0])
        epoch_fraction = (words - pos.epoch * self.words_per_epoch) / max(1, self.words_per_epoch)
        logs = {
            "epoch": pos.epoch,
            "epochs": s.epochs,
            "batch": pos.batches_done,
            "loss": loss,
            "smoothed_loss": pos.smoothed_loss,
            "lr": lr,
            "words_done": words,
            "words_total": self.words_total,
            "progress": words / max(1, self.words_total),
            "epoch_fraction": min(1.0, epoch_fraction),
            "words_per_sec": rate,
            "elapsed": pos.elapsed,
            "eta": (self.words_total - words) / max(1e-9, session_rate),
        }
        self._interval = [0.0, 0, pos.elapsed, words]
        callbacks.fire("on_batch_end", owner, logs)

    def _end_epoch(self, owner: Any, callbacks: CallbackList) -> None:
        self._flush_interval(owner, callbacks)
        pos = self.position
        mean = pos.epoch_loss_sum / max(1, pos.epoch_examples)
        pos.epoch_losses.append(mean)
        logs = {
            "epoch": pos.epoch,
            "epochs": self.settings.epochs,
            "loss": mean,
            "words_done": (pos.epoch + 1) * self.words_per_epoch,
            "words_total": self.words_total,
            "elapsed": pos.elapsed,
        }
        pos.epoch += 1
        pos.chunk = 0
        pos.batch = 0
        callbacks.fire("on_epoch_end", owner, logs)

    def _take_snapshot(self, words: int) -> None:
        now = time.perf_counter()
        if self._snapshot is not None and now - self._snapshot_time >= _SNAPSHOT_SECONDS:
            self._snapshot_time = now
            for saved, p in zip(self._snapshot, self.model.parameters(), strict=True):
                saved.copy_(p.detach())
            self._snapshot_words = words

    def _restore_snapshot(self) -> None:
        if self._snapshot is not None:
            with torch.no_grad():
                for saved, p in zip(self._snapshot, self.model.parameters(), strict=True):
                    p.copy_(saved)


__all__ = ["FAILED", "FINISHED", "STOPPED", "Position", "Trainer"]
