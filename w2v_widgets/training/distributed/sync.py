"""Keeping the replicas equal: when to synchronise (:class:`SyncSchedule`), the all-reduce of the
changes (:class:`ReplicaSync`), and the step-path wrapper that runs it (:class:`SyncedPath`)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from ...errors import ConfigError
from .group import collective, dist_module


@dataclass(frozen=True)
class SyncSchedule:
    """When replicas are synchronised: the ``hot_rows`` most frequent words' rows (of both tables)
    about every ``sync_words`` words of a rank's share, and all rows ``full_per_epoch`` times an
    epoch, evenly spaced, the last at the epoch's end (a full sync costs the whole tables, so its
    count is per epoch, not per sync: see docs/scaling.md). ``mode``: ``"sum"`` adds every rank's
    change since the last sync (each replica's updates all count, as one process's would);
    ``"average"`` averages the replicas (measured worse: benchmarks/README.md)."""

    sync_words: int = 25_000
    hot_rows: int = 1024
    full_per_epoch: int = 2
    mode: str = "sum"

    def __post_init__(self):
        if self.sync_words < 1 or self.hot_rows < 0 or self.full_per_epoch < 1:
            raise ConfigError("sync_words and full_per_epoch must be at least 1, hot_rows at least 0")
        if self.mode not in ("sum", "average"):
            raise ConfigError(f"mode must be 'sum' or 'average', not {self.mode!r}")


def is_full_sync(k: int, syncs_per_epoch: int, full_per_epoch: int) -> bool:
    """Whether an epoch's ``k``-th sync (from 1) is of all rows: the syncs that pass one of
    ``full_per_epoch`` evenly spaced marks, so always the epoch's last."""
    n, f = syncs_per_epoch, full_per_epoch
    return k == n or (k * f) // n > ((k - 1) * f) // n


@dataclass
class SyncStats:
    """What synchronising cost this rank: calls, bytes all-reduced and seconds (waits included)."""

    hot_syncs: int = 0
    full_syncs: int = 0
    bytes_reduced: int = 0
    seconds: float = 0.0
    per_epoch: list[dict] = field(default_factory=list)
    changed_rows: list[float] = field(default_factory=list)  # share of rows changed, at full syncs

    def to_dict(self) -> dict:
        return asdict(self)


class ReplicaSync:
    """Keeps the replicas' tables equal at fixed fractions of every epoch (see the module)."""

    def __init__(self, tables: list[torch.Tensor], schedule: SyncSchedule, syncs_per_epoch: int):
        self.tables = tables
        self.schedule = schedule
        self.syncs_per_epoch = max(1, syncs_per_epoch)
        self.hot_rows = min(schedule.hot_rows, min(len(t) for t in tables))
        self.stats = SyncStats()
        self.epoch = -1
        self.done = 0  # syncs done in the current epoch
        self._epoch_bytes, self._epoch_seconds = 0, 0.0
        dist = dist_module()
        self.world = dist.get_world_size()
        with collective("start-up weight broadcast"), torch.no_grad():
            for t in tables:  # every replica starts from rank 0's weights
                dist.broadcast(t, src=0)
        self.base = [t.detach().clone() for t in tables]  # the weights at the last sync

    def catch_up(self, epoch: int, fraction: float) -> None:
        """Run the syncs due by ``fraction`` of ``epoch`` (all of them at 1.0)."""
        if epoch != self.epoch:
            self.epoch, self.done, self._epoch_bytes, self._epoch_seconds = epoch, 0, 0, 0.0
        due = self.syncs_per_epoch if fraction >= 1.0 else int(fraction * self.syncs_per_epoch)
        while self.done < due:
            self.done += 1
            full = is_full_sync(self.done, self.syncs_per_epoch, self.schedule.full_per_epoch)
            self.sync(full)
            if self.done == self.syncs_per_epoch:
                row = {"epoch": epoch, "bytes": self._epoch_bytes, "seconds": self._epoch_seconds}
                self.stats.per_epoch.append(row)

    def sync(self, full: bool) -> None:
        """All-reduce the changes since the last sync (of the hot rows, or all rows if ``full``)."""
        rows = None if full else self.hot_rows
        if rows == 0:
            return
        start = time.perf_counter()
        dist = dist_module()
        with torch.no_grad():
            views = [t[:rows] for t in self.tables]
            bases = [b[:rows] for b in self.base]
            changes = [v - b for v, b in zip(views, bases, strict=True)]
            if full:  # how sparse a row-wise sync would be: the rows this rank changed
                changed = sum(int(c.reshape(len(c), -1).ne(0).any(dim=1).sum()) for c in changes)
                self.stats.changed_rows.append(changed / sum(len(c) for c in changes))
            delta = torch.cat([c.reshape(-1) for c in changes])
            with collective("weight synchronisation"):
                dist.all_reduce(delta)
            if self.schedule.mode == "average":
                delta /= self.world
            offset = 0
            for v, b in zip(views, bases, strict=True):
                n = v.numel()
                b.add_(delta[offset : offset + n].view_as(b))
                v.copy_(b)
                offset += n
        nbytes = delta.numel() * delta.element_size()
        self.stats.bytes_reduced += nbytes
        seconds = time.perf_counter() - start
        self._epoch_bytes += nbytes
        self._epoch_seconds += seconds
        if full:
            self.stats.full_syncs += 1
        else:
            self.stats.hot_syncs += 1
        self.stats.seconds += seconds


class SyncedPath:
    """A step path that draws this rank's own examples and, after each step, runs the syncs due
    by the rank's place in its epoch: the seam between the trainer's loop and the replicas."""

    def __init__(self, inner: Any, trainer: Any, sync: ReplicaSync, rank: int):
        self.inner, self.trainer, self.sync, self.rank = inner, trainer, sync, rank
        self.name = f"{inner.name}+sync"

    def examples(self, tokens: torch.Tensor, sentence: torch.Tensor, gen: torch.Generator):
        if self.rank:  # each rank its own random stream, rank 0 the one-process stream
            mixed = np.random.SeedSequence([gen.initial_seed(), self.rank]).generate_state(1, np.uint64)[0]
            gen = torch.Generator(device=gen.device).manual_seed(int(mixed >> 1))
        return self.inner.examples(tokens, sentence, gen)

    def n_batches(self, examples) -> int:
        return self.inner.n_batches(examples)

    def step(self, examples, index: int, lr: float) -> torch.Tensor:
        losses = self.inner.step(examples, index, lr)
        t, pos = self.trainer, self.trainer.position
        words = t.words_done(pos.epoch, pos.chunk, index + 1, self.inner.n_batches(examples))
        fraction = (words - pos.epoch * t.words_per_epoch) / max(1, t.words_per_epoch)
        self.sync.catch_up(pos.epoch, fraction)
        return losses
