"""Data-parallel training on ``torch.distributed``: one model, a replica on each rank.

Inside an initialised process group of two or more ranks (``torchrun``, or
``torch.distributed.init_process_group``), :meth:`Word2Vec.fit` trains one model on all ranks:

* **data**: each rank reads only its byte range of the corpus file (:mod:`..data.shards`); a
  :class:`Corpus` given in memory is taken as the rank's own share;
* **vocabulary**: agreed from all ranks' counts (:func:`agree_vocabulary`): bucketed counts are
  all-reduced to drop most rare words cheaply, the remaining words all-gathered, their exact counts
  and first positions all-reduced. Every rank ends with the vocabulary and ids one process would
  build from the whole file, and the ranks check that they do;
* **settings**: the ranks compare their settings, vocabulary and resumed position at start and
  stop with a message naming the first one that differs (:func:`check_agreement`);
* **training**: each rank runs the usual step paths (the JIT kernel on CPU) on its share, each
  path wrapped by :class:`SyncedPath`, the seam to the trainer: after every step it tells the
  :class:`ReplicaSync` how far the rank is in its epoch. The sync runs at fixed fractions of the
  epoch, so every rank makes the same collective calls in the same order whatever its share's
  size; it all-reduces the *changes* since the last sync of the most frequent words' rows
  (``hot_rows``) often and of all rows a few times an epoch, the last at its end (pWord2Vec's
  schedule), and each replica adds the summed changes to the last synced weights.
  Because every rank is at the same fraction of its epoch at each sync, the linear learning-rate
  decay, computed from that fraction, is the global schedule;
* **outputs**: rank 0 alone writes files (:func:`is_writer`; ``Word2Vec.save`` does nothing on
  the other ranks). A checkpoint holds the synchronised weights of an epoch's end and resumes with
  any number of ranks (a position inside an epoch restarts that epoch).

Failure: every collective runs under the process group's timeout (``init_from_env``'s
``timeout_s``); a rank that dies or hangs makes the others' next collective fail, and they raise
:class:`~w2v_widgets.errors.DistributedError` saying so. Pausing or stopping one rank from a
widget stops it at a collective the others then time out on: stop a distributed run with Ctrl-C
on ``torchrun`` (it ends every rank).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import math
import os
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import torch

from ..callbacks.save_checkpoint import SaveCheckpoint
from ..data.corpus import Corpus, as_corpus
from ..data.shards import read_shard
from ..data.vocabulary import Vocabulary
from ..errors import ConfigError, CorpusError, DistributedError

DEFAULT_TIMEOUT_S = 120.0  # a collective waits this long for a rank before the run ends


def _dist():
    import torch.distributed as dist

    return dist


def world() -> tuple[int, int]:
    """``(rank, world_size)`` of the initialised default process group, else ``(0, 1)``."""
    dist = _dist()
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def is_writer() -> bool:
    """True on the rank that writes files: rank 0, or the only process."""
    return world()[0] == 0


def launched_by_torchrun() -> bool:
    """True when the environment names a world of two or more ranks (torchrun's ``WORLD_SIZE``)."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1) > 1


def init_from_env(timeout_s: float = DEFAULT_TIMEOUT_S) -> bool:
    """Initialise the default process group from torchrun's environment (``RANK``, ``WORLD_SIZE``,
    ``MASTER_ADDR``, ``MASTER_PORT``) with ``timeout_s`` on every collective: gloo for the CPU,
    NCCL beside it where CUDA is. True if a group of two or more ranks is (now) initialised.
    A group initialised here is destroyed at exit (unless the caller did it first): left to the
    interpreter's teardown, gloo's threads can abort the process after its work is done
    ("terminate called without an active exception", exit status -6)."""
    dist = _dist()
    if not dist.is_available():
        raise DistributedError("this PyTorch build has no torch.distributed; install the standard build")
    if not dist.is_initialized():
        if not launched_by_torchrun():
            return False
        backend = "gloo"
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            backend = "cpu:gloo,cuda:nccl"
        dist.init_process_group(backend=backend, timeout=timedelta(seconds=timeout_s))
        atexit.register(_destroy_group)
    return dist.get_world_size() > 1


def _destroy_group() -> None:
    """Destroy the default process group if it is still there (a local step: no collective)."""
    dist = _dist()
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


@contextlib.contextmanager
def _collective(what: str):
    """Turn a failed collective (a rank died, hung past the timeout, or disagrees) into a
    :class:`DistributedError` that says so."""
    try:
        yield
    except DistributedError:
        raise
    except (RuntimeError, ConnectionError, OSError) as exc:
        rank, size = world()
        raise DistributedError(
            f"rank {rank} of {size}: the {what} with the other ranks failed ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no message'}). Another rank probably died, "
            "was killed or hung past the process group's timeout; the run ends on every rank, and "
            "the last checkpoint written (at an epoch's end) is intact."
        ) from exc


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


# ---------------------------------------------------------------------------- agreement
def _all_reduce(values: np.ndarray, op: str = "sum", what: str = "count exchange") -> np.ndarray:
    dist = _dist()
    t = torch.from_numpy(np.ascontiguousarray(values, dtype=np.int64))
    ops = {"sum": dist.ReduceOp.SUM, "min": dist.ReduceOp.MIN, "max": dist.ReduceOp.MAX}
    with _collective(what):
        dist.all_reduce(t, op=ops[op])
    return t.numpy()


def _all_gather(obj: Any, what: str) -> list[Any]:
    dist = _dist()
    out: list[Any] = [None] * dist.get_world_size()
    with _collective(what):
        dist.all_gather_object(out, obj)
    return out


def check_agreement(facts: dict[str, Any], what: str = "settings") -> None:
    """Stop every rank, naming the first fact that differs, unless all ranks hold the same
    ``facts`` (plain values: settings, sizes, digests)."""
    gathered = _all_gather(facts, f"{what} check")
    for key in sorted(set().union(*gathered)):
        values = [g.get(key) for g in gathered]
        if any(v != values[0] for v in values[1:]):
            shown = ", ".join(f"rank {r}: {v!r}" for r, v in enumerate(values))
            raise DistributedError(
                f"the ranks disagree on {key!r} ({shown}); start every rank with the same "
                f"{key.split('.')[-1]} (and the same corpus file and checkpoint)"
            )


def _word_bucket(words: list[str], n_buckets: int) -> np.ndarray:
    """A stable bucket per word (Python's ``hash`` differs between processes; crc32 does not)."""
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), np.int64, len(words)) % n_buckets


def agree_vocabulary(local: Corpus, min_count: int, max_size: int | None) -> Vocabulary:
    """The vocabulary of all ranks' shares together, identical on every rank and equal to the one
    :meth:`Vocabulary.from_corpus` builds from the whole corpus (same words, counts and ids)."""
    rank, _ = world()
    distinct = int(_all_reduce(np.array([len(local.words)]), "max", "vocabulary count exchange")[0])
    n_buckets = min(1 << 24, 1 << max(10, math.ceil(math.log2(4 * distinct + 1))))
    bucket = _word_bucket(local.words, n_buckets)
    bucket_counts = np.bincount(bucket, weights=local.counts, minlength=n_buckets).astype(np.int64)
    bucket_counts = _all_reduce(bucket_counts, "sum", "vocabulary count exchange")
    # a bucket's total bounds each of its words' counts: words under min_count there are out
    candidates = [w for w, b in zip(local.words, bucket, strict=True) if bucket_counts[b] >= min_count]
    union = sorted(set().union(*_all_gather(candidates, "vocabulary word exchange")))
    index = {w: i for i, w in enumerate(local.words)}
    counts = np.zeros(len(union), np.int64)
    first = np.full(len(union), np.iinfo(np.int64).max, np.int64)
    for j, w in enumerate(union):
        i = index.get(w)
        if i is not None:
            counts[j] = local.counts[i]
            first[j] = (rank << 40) + i  # ids follow first appearance: rank-major is file order
    counts = _all_reduce(counts, "sum", "vocabulary count exchange")
    first = _all_reduce(first, "min", "vocabulary count exchange")
    keep = np.flatnonzero(counts >= min_count)
    keep = keep[np.lexsort((first[keep], -counts[keep]))]
    if max_size is not None:
        keep = keep[:max_size]
    if len(keep) == 0:
        raise CorpusError(
            f"no word occurs at least min_count={min_count} times in the whole corpus; lower "
            "min_count or give a larger corpus"
        )
    return Vocabulary([union[j] for j in keep], counts[keep])


def vocabulary_digest(vocab: Vocabulary) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(vocab.words).encode("utf-8"))
    h.update(np.ascontiguousarray(vocab.counts, np.int64).tobytes())
    return h.hexdigest()


# ---------------------------------------------------------------------------- the replicas
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
        dist = _dist()
        self.world = dist.get_world_size()
        with _collective("start-up weight broadcast"), torch.no_grad():
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
        dist = _dist()
        with torch.no_grad():
            views = [t[:rows] for t in self.tables]
            bases = [b[:rows] for b in self.base]
            changes = [v - b for v, b in zip(views, bases, strict=True)]
            if full:  # how sparse a row-wise sync would be: the rows this rank changed
                changed = sum(int(c.reshape(len(c), -1).ne(0).any(dim=1).sum()) for c in changes)
                self.stats.changed_rows.append(changed / sum(len(c) for c in changes))
            delta = torch.cat([c.reshape(-1) for c in changes])
            with _collective("weight synchronisation"):
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


# ---------------------------------------------------------------------------- the run
class DistributedRun:
    """What ``Word2Vec.fit`` asks of a data-parallel run, in the order it asks."""

    def __init__(self, schedule: SyncSchedule | None = None):
        self.rank, self.world_size = world()
        self.schedule = schedule or SyncSchedule()
        self.sync: ReplicaSync | None = None
        self.global_tokens = 0
        self.words_per_epoch = self.words_before = 0  # this rank's in-vocabulary words
        self.elapsed_before = 0.0

    @classmethod
    def detect(cls, schedule: SyncSchedule | None = None) -> DistributedRun | None:
        """A run over the default process group, or None outside one (or in a group of one)."""
        return cls(schedule) if world()[1] > 1 else None

    def shard(self, corpus: Any) -> Corpus:
        """This rank's share: a file's byte range, or a Corpus as given (the rank's own part)."""
        if isinstance(corpus, Corpus):
            local = corpus
        elif isinstance(corpus, str | os.PathLike):
            local = read_shard(corpus, self.rank, self.world_size)
        else:
            local = as_corpus(corpus)
        self.global_tokens = int(_all_reduce(np.array([local.n_tokens]), "sum", "corpus size exchange")[0])
        return local

    def corpus_key(self) -> list:
        """The corpus's key for resuming: its token count (the other parts are per-process)."""
        return [self.global_tokens, None, None]

    def vocabulary(self, local: Corpus, min_count: int, max_size: int | None) -> Vocabulary:
        return agree_vocabulary(local, min_count, max_size)

    def check_settings(self, config: dict, position: Any, vocab: Vocabulary | None) -> None:
        """Stop at start unless every rank has the same settings, sync schedule, corpus size and
        (when resuming) the same checkpoint's vocabulary and position. On gloo, a monitored
        barrier first names any rank that did not arrive within the timeout."""
        dist = _dist()
        if dist.get_backend() == "gloo":
            with _collective("start-up barrier"):
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
        pos = trainer.position
        self.words_per_epoch = trainer.words_per_epoch
        self.words_before, self.elapsed_before = pos.epoch * trainer.words_per_epoch, pos.elapsed
        if pos.chunk or pos.batch:  # inside an epoch: another layout of shards, start it again
            pos.chunk = pos.batch = 0
            pos.epoch_loss_sum, pos.epoch_examples = 0.0, 0
        longest = int(_all_reduce(np.array([trainer.words_per_epoch]), "max", "corpus size exchange")[0])
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


def run_report(model: Any, seconds: float) -> dict:
    """Every rank's figures of the last run (tokens, training seconds, sync cost), gathered on all
    ranks: a collective, so every rank calls it."""
    run = model.distributed
    mine = {
        "rank": run.rank,
        "words_per_epoch": run.words_per_epoch,
        "words_trained": model._position.epoch * run.words_per_epoch - run.words_before,
        "train_seconds": model._position.elapsed - run.elapsed_before,
        "fit_seconds": seconds,
        "sync": run.sync.stats.to_dict() if run.sync is not None else None,
    }
    ranks = _all_gather(mine, "report exchange")
    slowest = max(r["train_seconds"] for r in ranks)
    return {
        "world_size": run.world_size,
        "schedule": asdict(run.schedule),
        "corpus_tokens": run.global_tokens,
        "epochs": model._settings.epochs,
        "words_per_second": sum(r["words_trained"] for r in ranks) / max(1e-9, slowest),
        "sync_share": max(r["sync"]["seconds"] / max(1e-9, r["train_seconds"]) for r in ranks if r["sync"]),
        "ranks": ranks,
    }


def write_run_files(model: Any, out: Any, seconds: float) -> dict:
    """Rank 0 writes ``vectors.txt``, ``model.w2v``, ``history.csv`` and ``distributed.json`` (the
    :func:`run_report`) into ``out``, each atomically; every rank must call it."""
    import json
    from pathlib import Path

    from ..atomic import write_bytes_atomic

    report = run_report(model, seconds)
    if is_writer():
        out = Path(out)
        model.wv.save_word2vec_format(out / "vectors.txt")
        model.save(out / "model.w2v")
        write_bytes_atomic(out / "history.csv", model.history.to_csv(index=False).encode("utf-8"))
        write_bytes_atomic(out / "distributed.json", json.dumps(report, indent=1).encode("utf-8"))
    return report


def same_corpus(key: list | None, saved: list | None) -> bool:
    """Corpus keys match where both are known (a distributed run knows only the token count)."""
    if key is None or saved is None or len(key) != len(saved):
        return key == saved
    return all(a is None or b is None or a == b for a, b in zip(key, saved, strict=True))


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "DistributedRun",
    "EpochCheckpoint",
    "ReplicaSync",
    "SyncSchedule",
    "SyncedPath",
    "agree_vocabulary",
    "check_agreement",
    "init_from_env",
    "is_full_sync",
    "is_writer",
    "same_corpus",
    "world",
]
