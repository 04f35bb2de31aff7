"""``CompareExplorer``'s query protocol, kernel side: the same message shape as the explorer's
(``{"id", "type", ...}`` answered by ``{"id", "result" | "error"}``, see
:mod:`w2v_widgets.widgets.explorer.queries`), with a hover that asks both runs at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..explorer.queries import MAX_K, QueryHandler, _int, _items

COMPARE_QUERIES: dict[str, str] = {
    "neighbours": "{word, k, reason} -> {word, a, b}: the word's k nearest words by cosine in "
    "each run's full space (a or b is null where that run lacks the word)",
    "ping": "{} -> {pong: true}: the latency baseline",
}


class CompareQueries(QueryHandler):
    """Answers hover messages from two ``WordVectors`` and the plotted points."""

    queries = COMPARE_QUERIES

    def __init__(self, wa: Any, wb: Any, points: Mapping[str, int]):
        super().__init__(wa, points, add=lambda word: -1)
        self.wb = wb

    def side(self, wv: Any, word: str, k: int) -> list[dict] | None:
        """``word``'s ``k`` nearest words in one run (``None`` when the run lacks it)."""
        if word not in wv.key_to_index:
            return None
        idx, scores = wv.nearest(np.array([wv.key_to_index[word]], dtype=np.int64), k)
        return _items([wv.index_to_key[i] for i in idx[0].tolist()], scores[0], self.points)

    def both(self, word: str, k: int) -> dict:
        a, b = self.side(self.wv, word, k), self.side(self.wb, word, k)
        if a is None and b is None:
            self.wv.get_index(word)  # UnknownWordError with suggestions
        return {"word": word, "a": a, "b": b}

    def q_neighbours(self, content: dict) -> dict:
        word = content.get("word")
        if not isinstance(word, str):
            raise ValueError("neighbours needs a word")
        return self.both(word, _int(content.get("k"), 10, 1, MAX_K))


def hover_event(result: dict) -> dict:
    """What ``on_hover`` callbacks receive from a hover's reply: ``{"word", "a", "b"}``, each run's
    ``[(word, score), ...]`` (``None`` where the word is not in that run)."""
    event = {"word": result["word"]}
    for side in "ab":
        items = result[side]
        event[side] = None if items is None else [(i["word"], i["score"]) for i in items]
    return event
