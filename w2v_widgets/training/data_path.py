"""The path of the data in ``Word2Vec.fit``, top to bottom: text → corpus → vocabulary → trainer.

:class:`OneProcessData` is the path of one process. A data-parallel run
(:class:`~.distributed.run.DistributedRun`) wraps it, as :class:`~.distributed.sync.SyncedPath`
wraps a step path: :func:`choose_data_path` picks it only inside a process group of two or more
ranks, so a one-process ``fit`` never enters ``training/distributed/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..data.corpus import Corpus, as_corpus
from ..data.vocabulary import Vocabulary
from .distributed.group import world

if TYPE_CHECKING:
    from .distributed.sync import SyncSchedule


class OneProcessData:
    """The data's steps in the order ``fit`` takes them, for one process."""

    world_size = 1

    def corpus(self, corpus: Any) -> Corpus:
        """The corpus to train on: a Corpus as given, or a text file read whole."""
        return as_corpus(corpus)

    def corpus_key(self, corpus: Corpus) -> list:
        """What tells this corpus from another when resuming a run stopped in the middle."""
        return [corpus.n_tokens, len(corpus.words), int(corpus.counts[:1000].sum())]

    def check_settings(self, config: dict, position: Any, vocab: Vocabulary | None) -> None:
        """Nothing to agree on with other processes."""

    def vocabulary(self, corpus: Corpus, min_count: int, max_size: int | None) -> Vocabulary:
        return Vocabulary.from_corpus(corpus, min_count, max_size)

    def check_vocabulary(self, vocab: Vocabulary) -> None:
        """Nothing to agree on with other processes."""

    def attach(self, trainer: Any) -> None:
        """The trainer's step paths train as they are."""


def choose_data_path(sync: SyncSchedule | None = None) -> Any:
    """The one-process path, or inside a process group of two or more ranks the data-parallel
    run wrapping it (``sync``: when its replicas synchronise)."""
    if world()[1] < 2:
        return OneProcessData()
    from .distributed.run import DistributedRun  # the data-parallel code, for data-parallel runs only

    return DistributedRun(OneProcessData(), sync)


def same_corpus(key: list | None, saved: list | None) -> bool:
    """Corpus keys match where both are known (a data-parallel run knows only the token count)."""
    if key is None or saved is None or len(key) != len(saved):
        return key == saved
    return all(a is None or b is None or a == b for a, b in zip(key, saved, strict=True))
