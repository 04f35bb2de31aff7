"""A data-parallel run: wraps the one-process data path (:class:`~..data_path.OneProcessData`) as
:class:`~.sync.SyncedPath` wraps a step path. Each rank reads its share, the ranks agree on the
settings and the vocabulary, and the trainer's step paths get the replica sync."""

from __future__ import annotations

import math
import os
from dataclasses import asdict
from typing import Any

import numpy as np

from ...callbacks.save_checkpoint import SaveCheckpoint
from ...data.corpus import Corpus
from ...data.shards import read_shard
from ...data.vocabulary import Vocabulary
from .group import all_gather, all_reduce, check_agreement, collective, dist_module, world
from .sync import ReplicaSync, SyncedPath, SyncSchedule
from .vocabulary import agree_vocabulary, vocabulary_digest


class DistributedRun:
    """The data path of a data-parallel run: the one-process path ``inner`` (its steps in the
    order ``Word2Vec.fit`` takes them), each step done for all ranks together."""

    def __init__(self, inner: Any, schedule: SyncSchedule | None = None):
        self.inner = inner
        self.rank, self.world_size = world()
        self.schedule = schedule or SyncSchedule()
        self.sync: ReplicaSync | None = None
        self.trainer: Any = None
        self.global_tokens = 0
        self.words_per_epoch = self.words_before = 0  # this rank's in-vocabulary words
        self.elapsed_before = 0.0

    def corpus(self, corpus: Any) -> Corpus:
        """This rank's share: a file's byte range, or a Corpus as given (the rank's own part)."""
        if isinstance(corpus, str | os.PathLike):
            local = read_shard(corpus, self.rank, self.world_size)
        else:
            local = self.inner.corpus(corpus)
        self.global_tokens = int(all_reduce(np.array([local.n_tokens]), "sum", "corpus size exchange")[0])
        return local

    def corpus_key(self, local: Corpus) -> list:
        """The corpus's key for resuming: its token count (the other parts are per-process)."""
        return [self.global_tokens, None, None]

    def vocabulary(self, local: Corpus, min_count: int, max_size: int | None) -> Vocabulary:
        return agree_vocabulary(local, min_count, max_size)

    def check_settings(self, config: dict, position: Any, vocab: Vocabulary | None) -> None:
        """Stop at start unless every rank has the same settings, sync schedule, corpus size and
        (when resuming) the same checkpoint's vocabulary and position. On gloo, a monitored
        barrier first names any rank that did not arrive within the timeout."""
        dist = dist_module()
        if dist.get_backend() == "gloo":
            with collective("start-up barrier"):
                dist.monitored_barrier(wait_all_ranks=True)
        facts: dict[str, Any] = {f"setting {k}": v for k, v in config.items() if k != "device"}
        facts.update({f"sync {k}": v for k, v in asdict(self.schedule).items()})
        facts["corpus tokens"] = self.global_tokens
        facts["resumed epoch"] = position.epoch
        if vocab is not None:
            facts["resumed vocabulary"] = f"{len(vocab):,} words, digest {vocabulary_digest(vocab)}"
        check_agreement(facts)

    def check_vocabulary(self, vocab: Vocabulary) -> None:
        """Stop unless every rank ended with the same vocabulary (words, counts and ids)."""
        check_agreement({"vocabulary": f"{len(vocab):,} words, digest {vocabulary_digest(vocab)}"})

    def attach(self, trainer: Any) -> None:
        """Start the replicas equal and wrap the trainer's step paths with the sync."""
        self.inner.attach(trainer)
        self.trainer = trainer
        pos = trainer.position
        self.words_per_epoch = trainer.words_per_epoch
        self.words_before, self.elapsed_before = pos.epoch * trainer.words_per_epoch, pos.elapsed
        if pos.chunk or pos.batch:  # inside an epoch: another layout of shards, start it again
            pos.chunk = pos.batch = 0
            pos.epoch_loss_sum, pos.epoch_examples = 0.0, 0
        longest = int(all_reduce(np.array([trainer.words_per_epoch]), "max", "corpus size exchange")[0])
        syncs = math.ceil(longest / self.schedule.sync_words)
        model = trainer.model
        tables = [p.data for p in model.parameters()]
        self.sync = ReplicaSync(tables, self.schedule, syncs)
        trainer.eager_path = SyncedPath(trainer.eager_path, trainer, self.sync, self.rank)
        if trainer.kernel_path is not None:
            trainer.kernel_path = SyncedPath(trainer.kernel_path, trainer, self.sync, self.rank)


class EpochCheckpoint(SaveCheckpoint):
    """:class:`SaveCheckpoint` at epoch ends only (rank 0 writes): there the replicas have just been
    synchronised, so the file holds the one model; a run that fails keeps the last such file."""

    def __init__(self, path: str | os.PathLike, every_epochs: int = 1):
        super().__init__(path, every_epochs=every_epochs, every_seconds=None)

    def on_train_end(self, model: Any, logs: dict) -> None:
        """Nothing: the last epoch's end was saved; a failed run's weights are not synced."""


def run_report(run: DistributedRun, seconds: float) -> dict:
    """Every rank's figures of ``run`` (a model's ``.distributed`` after ``fit``: tokens, training
    seconds, sync cost), gathered on all ranks: a collective, so every rank calls it."""
    position = run.trainer.position
    mine = {
        "rank": run.rank,
        "words_per_epoch": run.words_per_epoch,
        "words_trained": position.epoch * run.words_per_epoch - run.words_before,
        "train_seconds": position.elapsed - run.elapsed_before,
        "fit_seconds": seconds,
        "sync": run.sync.stats.to_dict() if run.sync is not None else None,
    }
    ranks = all_gather(mine, "report exchange")
    slowest = max(r["train_seconds"] for r in ranks)
    return {
        "world_size": run.world_size,
        "schedule": asdict(run.schedule),
        "corpus_tokens": run.global_tokens,
        "epochs": run.trainer.settings.epochs,
        "words_per_second": sum(r["words_trained"] for r in ranks) / max(1e-9, slowest),
        "sync_share": max(r["sync"]["seconds"] / max(1e-9, r["train_seconds"]) for r in ranks if r["sync"]),
        "ranks": ranks,
    }
