"""ProbeNeighbours: print or keep the nearest words of probe words as training goes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..data.probe_words import default_probe_words
from .base import Callback

if TYPE_CHECKING:
    import pandas as pd


def neighbour_table(wv: Any, words: Sequence[str], k: int = 6) -> pd.DataFrame:
    """One row per probe word: its ``k`` nearest words with cosine similarities."""
    rows = []
    for word in words:
        if word not in wv.key_to_index:
            rows.append({"word": word, "neighbours": "(not in vocabulary)"})
            continue
        pairs = wv.most_similar(word, topn=k)
        rows.append({"word": word, "neighbours": ", ".join(f"{w} ({s:.2f})" for w, s in pairs)})
    import pandas as pd

    return pd.DataFrame(rows, columns=["word", "neighbours"])


class ProbeNeighbours(Callback):
    """Logs the nearest neighbours of probe words at the end of each epoch (and every
    ``every_batches`` logged intervals if given); the latest table is in :attr:`table`.
    ``words=None``: :func:`~w2v_widgets.data.probe_words.default_probe_words` (words of groups
    a learner recognises: numbers, months, colours...)."""

    def __init__(
        self,
        words: Sequence[str] | None = None,
        k: int = 6,
        every_batches: int | None = None,
        verbose: bool = False,
        stream: TextIO | None = None,
    ):
        self.words = list(words) if words is not None else None
        self.k = k
        self.every_batches = every_batches
        self.verbose = verbose
        self.stream = stream
        self.table: pd.DataFrame | None = None
        self._count = 0

    def on_train_begin(self, model: Any, logs: dict) -> None:
        if self.words is None:
            self.words = default_probe_words(model.vocab.words)

    def on_batch_end(self, model: Any, logs: dict) -> None:
        self._count += 1
        if self.every_batches and self._count % self.every_batches == 0:
            self._log(model, f"epoch {logs['epoch'] + 1}, {logs['words_done']:,} words")

    def on_epoch_end(self, model: Any, logs: dict) -> None:
        self._log(model, f"end of epoch {logs['epoch'] + 1}")

    def _log(self, model: Any, when: str) -> None:
        self.table = neighbour_table(model.wv, self.words or [], self.k)
        if self.verbose:
            stream = self.stream or sys.stdout
            print(f"nearest words ({when}):", file=stream)
            for row in self.table.itertuples(index=False):
                print(f"  {row.word:>14} -> {row.neighbours}", file=stream)
