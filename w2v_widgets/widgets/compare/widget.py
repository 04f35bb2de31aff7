"""``CompareExplorer``: two runs of word2vec on one map, aligned, with a slider that morphs one
into the other (anywidget; the front-end is ``js/src/compare/``, drawn by the explorer's
renderer).

Both runs are rotated into one frame (orthogonal Procrustes in the full space, fitted on the
frequent words) and projected with one PCA basis (:mod:`.frame`). The page receives both
layouts and interpolates between them as the slider moves; points are coloured by how many
of their nearest neighbours the runs share; the words that moved most are listed; hovering a
word asks the kernel for its neighbours in both runs' full spaces (:mod:`.queries`).

Example::

    ce = CompareExplorer(model_seed1, model_seed2, names=("seed 1", "seed 2"))
    ce                      # drag the slider, hover a word, click a moved word
    ce.table.head()         # word, overlap, displacement, rank of the plotted words
    ce.t = 1.0              # show run b
    ce.save_html("compare.html")
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import traitlets

from ...errors import ConfigError
from ...vectors.compare import align_runs
from ...vectors.sources import as_word_vectors
from ..arrays import NDArray, array_serialization, word_serialization
from ..closing import close_tree
from ..event_callbacks import EventCallbacks
from ..explorer.dispatch import QueryMessages
from ..explorer.page_copy import (
    PageCopyDisplay,
    copy_words,
    embedded_vectors,
    head_state,
    map_svg,
    page_markup,
)
from ..explorer.plot import frequency_order
from ..explorer.queries import MAX_K, BoundedK, check_k
from ..explorer.standalone import embed_array, encode_vectors, write_page
from ..explorer.widget import STATIC
from ..plain_text import PlainTextRepr
from .frame import by_overlap, moved_words, shared_frame
from .queries import CompareQueries, hover_event

logger = logging.getLogger(__name__)

MAX_PLOTTED = 200_000  # plotted words (overlaps search each one's neighbours among all shared words)


def _run_name(run: Any, fallback: str) -> str:
    if isinstance(run, str | os.PathLike):
        return Path(run).name
    return fallback


class CompareExplorer(PlainTextRepr, PageCopyDisplay, anywidget.AnyWidget):
    """Two runs on one aligned map, morphed by a slider, coloured by neighbour overlap.

    Parameters
    ----------
    a, b:
        The runs: trained ``Word2Vec`` models, ``WordVectors``, checkpoint paths (files written
        by ``Word2Vec.save`` or ``SaveCheckpoint``, or by ``WordVectors.save``), or gensim
        ``KeyedVectors``. Two seeds, two settings, two epochs of one run, ours and gensim's.
    n_words:
        How many of the most frequent shared words to plot (in ``a``'s frequency order).
    k:
        Neighbours compared per word (the overlap) and listed on hover.
    n_fit:
        The most frequent shared words that fit the alignment.
    names:
        Labels of the two runs on the slider and above the neighbour lists.
    page_words:
        How many plotted words the page copy holds (the standalone page left after the widget
        for published notebooks, see :mod:`..explorer.page_copy`); ``None``: as many as fit
        250 KB of both runs' int8 vectors and points; ``0``: no copy.
    """

    _esm = STATIC / "explorer.js"
    _css = STATIC / "explorer.css"

    _view = traitlets.Unicode("compare").tag(sync=True)
    _words = traitlets.List().tag(sync=True, **word_serialization)
    _xy_a = NDArray(np.float32, ndim=2).tag(sync=True, **array_serialization)
    _xy_b = NDArray(np.float32, ndim=2).tag(sync=True, **array_serialization)
    _codes = NDArray(np.int32, ndim=1).tag(sync=True, **array_serialization)
    _palette = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _legend = traitlets.List(traitlets.Dict()).tag(sync=True)
    _moved = traitlets.List(traitlets.Dict()).tag(sync=True)
    _names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _summary = traitlets.Dict().tag(sync=True)
    _focus = traitlets.Dict().tag(sync=True)
    _standalone = traitlets.Bool(False).tag(sync=True)

    t = traitlets.Float(0.0).tag(sync=True)
    k = BoundedK(10).tag(sync=True)
    max_k = traitlets.Int(MAX_K, read_only=True).tag(sync=True)  # the bound the page clamps k to
    top_labels = traitlets.Int(20).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)

    def __init__(
        self,
        a: Any,
        b: Any,
        n_words: int = 2000,
        *,
        k: int = 10,
        n_fit: int = 1000,
        names: tuple[str, str] | None = None,
        top_labels: int = 20,
        height: int = 520,
        page_words: int | None = None,
    ):
        if not isinstance(n_words, int) or isinstance(n_words, bool) or not 2 <= n_words <= MAX_PLOTTED:
            raise ConfigError(f"n_words must be a whole number from 2 to {MAX_PLOTTED:,}, got {n_words!r}")
        check_k(k)
        names = names or (_run_name(a, "a"), _run_name(b, "b"))
        if len(names) != 2 or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"names must be two strings, one per run, got {names!r}")
        self._wa, self._wb = as_word_vectors(a, "a"), as_word_vectors(b, "b")
        runs = align_runs(self._wa, self._wb, n_fit)
        if k >= len(runs.words):
            raise ConfigError(
                f"k={k} neighbours need more than {k} shared words; the runs share {len(runs.words)}"
            )
        self._frame = shared_frame(runs, n_words, k)
        dims = self._wa.vector_size + self._wb.vector_size
        self._page_words = copy_words(len(self._frame.words), dims, page_words, "CompareExplorer")
        self._hover_callbacks = EventCallbacks("on_hover", logger)
        self._focus_seq = 0
        coloring = by_overlap(self._frame.overlap, k)
        summary = {
            "shared": len(runs.words),
            "n_fit": runs.n_fit,
            "mean_overlap": round(float(self._frame.overlap.mean()), 4),
            "only_a": len(self._wa) - len(runs.words),
            "only_b": len(self._wb) - len(runs.words),
        }
        super().__init__(
            _words=self._frame.words,
            _xy_a=self._frame.xy_a,
            _xy_b=self._frame.xy_b,
            _codes=coloring.codes,
            _palette=coloring.palette,
            _legend=coloring.legend,
            _moved=moved_words(self._frame),
            _names=list(names),
            _summary=summary,
            k=k,
            top_labels=top_labels,
            height=height,
        )
        points = {w: i for i, w in enumerate(self._frame.words)}
        self._queries = CompareQueries(self._wa, self._wb, points)
        self._messages = QueryMessages(
            self, lambda content: self._queries.handle(content), self._hover_callbacks, hover_event, "compare"
        )

    # ------------------------------------------------------------------ public API
    @property
    def words(self) -> list[str]:
        """The plotted words (the most frequent shared words, in ``a``'s frequency order)."""
        return list(self._words)

    @property
    def xy_a(self) -> np.ndarray:
        """Positions of the plotted words in run ``a`` (shared frame), ``(n, 2)``."""
        return np.array(self._xy_a)

    @property
    def xy_b(self) -> np.ndarray:
        """Positions of the plotted words in run ``b`` (same frame), ``(n, 2)``."""
        return np.array(self._xy_b)

    @property
    def positions(self) -> np.ndarray:
        """Positions shown at the slider's value ``t`` (0: run a, 1: run b)."""
        t = min(1.0, max(0.0, float(self.t)))
        return (1 - t) * self.xy_a + t * self.xy_b

    @property
    def table(self) -> pd.DataFrame:
        """The plotted words compared, as :func:`w2v_widgets.compare_runs` reports them (word,
        overlap, displacement, rank), sorted by change."""
        f = self._frame
        frame = pd.DataFrame(
            {"word": f.words, "overlap": f.overlap, "displacement": f.displacement, "rank": f.rank}
        )
        frame = frame.sort_values(["displacement", "overlap"], ascending=[False, True], kind="stable")
        return frame.reset_index(drop=True)

    @property
    def moved(self) -> list[str]:
        """The words listed as moved most, in order."""
        return [row["word"] for row in self._moved]

    def neighbours(self, word: str, k: int | None = None) -> dict[str, list[tuple[str, float]] | None]:
        """``word``'s nearest words in each run, as listed on hover: ``{"a": [...], "b": [...]}``
        (``None`` for a run that lacks the word)."""
        both = self._queries.both(word, k or self.k)
        return {
            side: None if both[side] is None else [(i["word"], i["score"]) for i in both[side]]
            for side in "ab"
        }

    def focus(self, word: str) -> None:
        """Centre the view on a plotted word and list its neighbours in both runs."""
        if word not in self._queries.points:
            if word not in self._wa.key_to_index and word not in self._wb.key_to_index:
                self._wa.get_index(word)  # UnknownWordError with suggestions
            raise ConfigError(
                f"{word!r} is not plotted; plotted are the {len(self._words):,} most frequent shared words"
            )
        self._focus_seq += 1
        self._focus = {"word": word, "seq": self._focus_seq}

    def on_hover(self, callback: Callable[[dict], Any], remove: bool = False) -> None:
        """Call ``callback({"word", "a": [(word, score), ...], "b": [...]})`` on hovering a point."""
        self._hover_callbacks.register(callback, remove)

    def save_html(
        self,
        path: str | Path,
        *,
        title: str = "Two runs compared",
        max_vocab: int = 20_000,
        quantize: str = "auto",
    ) -> Path:
        """Write a self-contained page (works from ``file://``, no kernel) with the slider, the
        colours, the moved words and hover, answered from embedded vectors of both runs (the
        ``max_vocab`` most frequent words of each plus the plotted ones)."""
        state = {name: getattr(self, name) for name in _STANDALONE_STATE}
        runs = [_embedded_run(wv, self._words, max_vocab, quantize) for wv in (self._wa, self._wb)]
        payload = {
            "version": 1,
            "kind": "compare",
            "state": {key: embed_array(v) if isinstance(v, np.ndarray) else v for key, v in state.items()},
            "runs": runs,
        }
        return write_page(
            path,
            payload=payload,
            title=title,
            bundle=(STATIC / "explorer.js").read_text(encoding="utf-8"),
            css=(STATIC / "explorer.css").read_text(encoding="utf-8"),
            entry="mountCompareStandalone",
        )

    def page_copy_wanted(self) -> bool:
        return self._page_words > 0

    def page_copy_markup(self, css_class: str, owner_class: str) -> str:
        """The page copy's output (see :mod:`..explorer.page_copy`): the first ``page_words`` points."""
        n = self._page_words
        state = head_state(
            {name: getattr(self, name) for name in _STANDALONE_STATE},
            n,
            ("_words", "_xy_a", "_xy_b", "_codes"),
        )
        words = state["_words"]
        state["_moved"] = [row for row in state["_moved"] if row["word"] in set(words)]
        runs = [
            embedded_vectors(words, wv.get_normed_vectors()[[wv.key_to_index[w] for w in words]])
            for wv in (self._wa, self._wb)
        ]
        image = map_svg(
            words, np.asarray(self._xy_a)[:n], np.asarray(self._codes)[:n], self._palette, self.top_labels
        )
        return page_markup(
            css_class, owner_class, payload={"version": 1, "kind": "compare", "state": state, "runs": runs},
            entry="mountCompareStandalone", title="Two runs compared", height=self.height, image=image,
            what="CompareExplorer", n_words=n, n_plotted=len(self._words), dim=self._wa.vector_size,
        )  # fmt: skip

    def close(self) -> None:
        if getattr(self, "_messages", None) is not None:  # absent when __init__ failed early
            self._messages.close()
        close_tree(self)

    def plain_facts_now(self) -> dict[str, Any]:
        """The short text/plain's facts (see :mod:`..plain_text`)."""
        return {
            "runs": list(self._names),
            "words plotted": len(self._words),
            "shared": self._summary["shared"],
            "mean overlap": round(self._summary["mean_overlap"], 2),
        }

    @traitlets.validate("t")
    def _validate_t(self, proposal: Any) -> float:
        t = float(proposal["value"])
        if not 0.0 <= t <= 1.0:
            raise ConfigError(f"t must be between 0 (run a) and 1 (run b), got {t}")
        return t


_STANDALONE_STATE = (
    "_words", "_xy_a", "_xy_b", "_codes", "_palette", "_legend", "_moved", "_names", "_summary",
    "t", "k", "max_k", "top_labels", "height",
)  # fmt: skip


def _embedded_run(wv: Any, plotted: list[str], max_vocab: int, quantize: str) -> dict:
    order = frequency_order(wv)[:max_vocab]
    extra = np.array([wv.key_to_index[w] for w in plotted], dtype=np.int64)
    idx = np.concatenate([order, np.setdiff1d(extra, order)])
    return {
        "words": [wv.index_to_key[i] for i in idx.tolist()],
        "dim": int(wv.vector_size),
        "vectors": encode_vectors(wv.get_normed_vectors()[idx], quantize),
    }
