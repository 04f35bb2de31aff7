"""The explorer's query protocol, kernel side.

The front-end (``js/src/backend/protocol.ts``) sends custom messages ``{"id", "type", ...}``;
every message is answered with the same ``id`` and either ``result`` or ``error`` (plus
``suggestions`` for an unknown word). :data:`QUERIES` is the table of types; the standalone page
answers the same table in ``js/src/backend/local-backend.ts``, and both answerers run the golden
requests and replies of ``tests/widgets/explorer_contract.json`` in their tests.

An item is ``{word, score, point}``, ``point`` being the word's index among the plotted points or
-1.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import traitlets

from ...errors import ConfigError, UnknownWordError, W2VError
from ...vectors.index import SketchNeighbours
from . import analogy

logger = logging.getLogger(__name__)

MAX_K = 200  # the most neighbours a query returns; the page reads it from the widget's max_k
MAX_COMPLETIONS = 100


def check_k(k: Any) -> int:
    """``k`` (neighbours a query returns) if it is a whole number from 1 to :data:`MAX_K`."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise ConfigError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return int(k)


class BoundedK(traitlets.Int):
    """A widget's ``k`` trait: :func:`check_k` on every assignment, from Python or the page."""

    def validate(self, obj: Any, value: Any) -> int:
        return check_k(value)


def _int(value: Any, default: int, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return max(lo, min(hi, int(value)))


def _words(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValueError(f"{field} must be a list of words")
    return value


def _items(words: list[str], scores: Any, points: Mapping[str, int]) -> list[dict]:
    return [
        {"word": w, "score": float(s), "point": points.get(w, -1)} for w, s in zip(words, scores, strict=True)
    ]


QUERIES: dict[str, str] = {
    "neighbours": "{word, k, reason} -> {word, items}: the k nearest words by cosine in the full "
    "space, over the whole vocabulary (the word itself left out)",
    "search": "{positive, negative, k} -> {positive, negative, items}: most_similar (analogies)",
    "analogy": "{a, b, c, k} -> {a, b, c, dim, answers: {3CosAdd|3CosMul: {excluded, included}}, "
    "target, placement}: a - b + c (king - man + woman), the top k under both methods without and "
    "with the question words; target [x, y] is where the vector lands on the map, placed by the "
    "map's own projection when it is linear (placement 'linear', PCA: exact) or by its nearest "
    "plotted words ('neighbours', t-SNE/UMAP; 'none' with nothing plotted)",
    "complete": "{prefix, limit} -> {prefix, words}: vocabulary words with that prefix, most frequent first",
    "add": "{word} -> {word, point}: plot a vocabulary word that is not plotted yet",
    "cancel_layout": "{} -> {cancelled}: stop a running t-SNE/UMAP (false when none runs)",
    "ping": "{} -> {pong: true}: the latency benchmark's baseline",
}
"""Query type -> ``request fields -> reply fields: meaning``. The one list of query names."""


class QueryHandler:
    """Answers query messages from a ``WordVectors`` and the current plot."""

    queries: Mapping[str, str] = QUERIES  # the types answered, each by its method q_<type>

    def __init__(
        self,
        wv: Any,
        points: Mapping[str, int],
        add: Callable[[str], int],
        cancel_layout: Callable[[], bool] = lambda: False,
        plot: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None,
        index: SketchNeighbours | None = None,
    ):
        self.wv = wv
        self.points = points
        self.add_word = add
        self.cancel_layout = cancel_layout
        self.plot = plot  # () -> (unit vectors of the plotted words, their positions)
        self.index = index  # a faster neighbour search once built; exact answers until then

    def handle(self, content: Any) -> dict:
        """Answer one message; never raises (errors become ``{"id", "error"}``)."""
        qid = content.get("id") if isinstance(content, dict) else None
        try:
            if not isinstance(qid, str):
                raise ValueError("a query needs a string id")
            kind = content.get("type")
            if kind not in self.queries:
                raise ValueError(f"unknown query type {kind!r}")
            handler = getattr(self, f"q_{kind}")
            return {"id": qid, "result": handler(content)}
        except UnknownWordError as exc:
            return {"id": qid, "error": str(exc), "suggestions": list(exc.suggestions)}
        except (W2VError, ValueError, KeyError, IndexError) as exc:
            return {"id": qid, "error": str(exc)}
        except Exception as exc:
            logger.exception("explorer query failed: %r", content)
            return {"id": qid, "error": f"internal error: {type(exc).__name__}: {exc}"}

    def neighbours(self, word: str, k: int) -> list[dict]:
        index = self.wv.get_index(word)
        found = None
        if self.index is not None:
            found = self.index.nearest(self.wv.get_normed_vectors()[index], k, exclude=index)
        if found is None:
            idx, scores = self.wv.nearest(np.array([index], dtype=np.int64), k)
            found = idx[0], scores[0]
        words = [self.wv.index_to_key[i] for i in found[0].tolist()]
        return _items(words, found[1], self.points)

    def q_neighbours(self, content: dict) -> dict:
        word = content.get("word")
        if not isinstance(word, str):
            raise ValueError("neighbours needs a word")
        k = _int(content.get("k"), 10, 1, MAX_K)
        return {"word": word, "items": self.neighbours(word, k)}

    def q_search(self, content: dict) -> dict:
        positive = _words(content.get("positive"), "positive")
        negative = _words(content.get("negative"), "negative")
        if not positive:
            raise ValueError("give at least one word with a + sign")
        for word in positive + negative:
            self.wv.get_index(word)  # UnknownWordError with suggestions
        k = _int(content.get("k"), 10, 1, MAX_K)
        pairs = self.wv.most_similar(positive=positive, negative=negative, topn=k)
        return {
            "positive": positive,
            "negative": negative,
            "items": _items([w for w, _ in pairs], [s for _, s in pairs], self.points),
        }

    def analogy(self, a: str, b: str, c: str, k: int) -> dict:
        """The ``analogy`` query's result for ``a - b + c``."""
        answers = analogy.solve(self.wv, a, b, c, k)
        plot_unit, xy = self.plot() if self.plot else (np.empty((0, self.wv.vector_size)), np.empty((0, 2)))
        target, placement = analogy.locate(self.wv, a, b, c, plot_unit, xy)
        return {
            "a": a,
            "b": b,
            "c": c,
            "dim": int(self.wv.vector_size),
            "answers": {
                method: {
                    name: _items([w for w, _ in items], [s for _, s in items], self.points)
                    for name, items in lists.items()
                }
                for method, lists in answers.items()
            },
            "target": target,
            "placement": placement,
        }

    def q_analogy(self, content: dict) -> dict:
        words = [content.get(name) for name in ("a", "b", "c")]
        if not all(isinstance(w, str) for w in words):
            raise ValueError("an analogy needs three words a, b, c (a - b + c)")
        return self.analogy(*words, _int(content.get("k"), 10, 1, MAX_K))

    def q_complete(self, content: dict) -> dict:
        prefix = content.get("prefix")
        if not isinstance(prefix, str):
            raise ValueError("complete needs a prefix")
        limit = _int(content.get("limit"), 10, 0, MAX_COMPLETIONS)
        return {"prefix": prefix, "words": list(self.wv.complete(prefix, limit))}

    def q_add(self, content: dict) -> dict:
        word = content.get("word")
        if not isinstance(word, str):
            raise ValueError("add needs a word")
        return {"word": word, "point": int(self.add_word(word))}

    def q_cancel_layout(self, content: dict) -> dict:
        return {"cancelled": bool(self.cancel_layout())}

    def q_ping(self, content: dict) -> dict:
        return {"pong": True}
