"""``EmbeddingExplorer``: an interactive 2-D map of word vectors (anywidget + canvas front-end).

Python holds the state in traitlets (positions and colour codes as binary float32/int32 arrays)
and answers the front-end's queries (nearest words over the whole vocabulary, analogies,
autocomplete, adding words) as custom messages, see :mod:`.queries`. Layouts come from
:mod:`w2v_widgets.vectors.projections`: PCA at once, t-SNE or UMAP in a background thread that
reports its progress (percentage, ETA, intermediate layouts) and can be cancelled, after which
the points move to their new places. ``save_html`` writes a page that works without a kernel.

Scale: ``n_words=None`` maps the whole vocabulary (a million words is ready in seconds with
``projection="pca"``). The kernel holds the model's vectors and their unit rows (the neighbour
index, shared with ``WordVectors``); the page receives only positions, colour codes and words.

Example::

    ex = EmbeddingExplorer(model, n_words=2000, projection="tsne")
    ex                                  # the map; hover, click to pin, lasso, search
    ex.selected                         # words selected in the browser
    ex.on_hover(print); ex.focus("paris"); ex.update(model)   # e.g. after an epoch
    EmbeddingExplorer(model, follow=True)   # moves while model trains (fit(background=True))
    ex.save_html("explorer.html")
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from ...vectors import projections
from ...vectors.index import neighbour_index_for
from ...vectors.sources import as_word_vectors
from ..arrays import NDArray, array_serialization, word_serialization
from ..closing import close_tree
from ..event_callbacks import EventCallbacks
from ..plain_text import PlainTextRepr
from .analogy import answers_frame
from .analogy import solve as solve_analogy
from .arguments import check_arguments, parse_projection
from .colors import ColorChoice, coloring_for, show_coloring
from .dispatch import QueryMessages, page_message
from .follow import MapFollower, check_followable
from .layout import LayoutJobs
from .page_copy import PageCopyDisplay, copy_words, embedded_vectors, head_state, map_svg, page_markup
from .placement import PLACE_NEIGHBOURS  # noqa: F401 (a public name)
from .plot import PlottedWords, ensure_index, frequency_order, plotted_count
from .queries import MAX_K, BoundedK, QueryHandler, check_k
from .standalone import write_standalone_html

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[2] / "static"


class EmbeddingExplorer(PlainTextRepr, PageCopyDisplay, anywidget.AnyWidget):
    """Interactive map of the ``n_words`` most frequent words of a model or ``WordVectors``.

    Parameters
    ----------
    model_or_vectors:
        A ``Word2Vec`` model (its ``.wv`` snapshot is used), a ``WordVectors``, or a gensim
        ``KeyedVectors``.
    n_words:
        How many of the most frequent words to plot, or ``None`` for the whole vocabulary (more
        can be added with ``add`` or from the search panel). At most ``MAX_POINTS`` (3 million):
        beyond that the page's words and positions outgrow a browser tab, and a ``ConfigError``
        says to pass a smaller ``n_words``; hover still answers over the whole vocabulary.
    projection:
        ``"tsne"`` (the PCA layout shows at once, t-SNE replaces it when ready), ``"pca"``,
        ``"umap"`` if installed (``w2v_widgets.vectors.projections.PROJECTIONS.names()``), or an
        ``(n, 2)`` array aligned with the plotted words (or with the whole vocabulary).
    color_by:
        ``"frequency"``, ``"cluster"`` (k-means on the full vectors, ``n_clusters``),
        ``"distortion"`` (how many of each word's 10 nearest words in the full space the map
        keeps among its 10 nearest: red where the map misplaces it; recomputed for each new
        layout; up to ``DISTORTION_MAX`` plotted words), or a user column: one value per plotted
        word or a mapping word -> value.
    follow:
        Follow ``model`` (a ``Word2Vec``) while it trains in the background: the points move to
        their new places in a stable frame at most every ``follow_every`` (``None``: once a
        second; ``"epoch"``; or a number of words), and pinned words list the neighbours they
        gained and lost since the previous update (see :mod:`.follow`). The projection is then
        ``"pca"`` unless given; ``frame`` is ``"aligned"`` (each state's PCA turned onto the
        previous layout by orthogonal Procrustes) or ``"fixed"`` (the PCA basis of the state
        when following began).
    k:
        Neighbours listed on hover. ``top_labels``: labels always shown for the most frequent
        visible words (0 for none). ``height`` in pixels. ``seed`` for t-SNE and k-means.
    page_words:
        How many plotted words (most frequent first) the page copy holds: the copy of the
        standalone page left after the widget for published notebooks (see :mod:`.page_copy`);
        ``None``: as many as fit 250 KB of int8 vectors and points (2,000 words at 100 dims); ``0``: no copy.

    Attributes synced with the browser: ``selected`` (lasso/box selection; set it to highlight
    words), ``pinned`` (clicked words), ``k``, ``top_labels``, ``height``.
    """

    _esm = STATIC / "explorer.js"
    _css = STATIC / "explorer.css"

    _words = traitlets.List().tag(sync=True, **word_serialization)  # strings (checked by WordVectors)
    _xy = NDArray(np.float32, ndim=2).tag(sync=True, **array_serialization)
    _codes = NDArray(np.int32, ndim=1).tag(sync=True, **array_serialization)
    _palette = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _legend = traitlets.List(traitlets.Dict()).tag(sync=True)
    _progress = traitlets.Dict().tag(sync=True)
    _message = traitlets.Dict().tag(sync=True)
    _focus = traitlets.Dict().tag(sync=True)
    _analogy = traitlets.Dict().tag(sync=True)  # {a, b, c, k, exclude, seq}: shown by show_analogy
    _projection = traitlets.Unicode("").tag(sync=True)
    _follow = traitlets.Dict().tag(sync=True)
    _standalone = traitlets.Bool(False).tag(sync=True)

    selected = traitlets.List(traitlets.Unicode()).tag(sync=True)
    pinned = traitlets.List(traitlets.Unicode()).tag(sync=True)
    k = BoundedK(10).tag(sync=True)
    max_k = traitlets.Int(MAX_K, read_only=True).tag(sync=True)  # the bound the page clamps k to
    top_labels = traitlets.Int(20).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)

    def __init__(
        self,
        model_or_vectors: Any,
        n_words: int | None = 2000,
        projection: str | np.ndarray | None = None,
        *,
        follow: bool = False,
        follow_every: str | int | None = None,
        frame: str = "aligned",
        color_by: Any = "frequency",
        n_clusters: int = 8,
        k: int = 10,
        top_labels: int = 20,
        height: int = 520,
        seed: int = 0,
        page_words: int | None = None,
        **kwargs: Any,
    ):
        check_arguments(kwargs, n_words, k)
        self._lock = threading.RLock()
        self._seed = seed
        self._colors = ColorChoice(n_clusters, seed)
        failed = self._callback_failed
        self._hover_callbacks = EventCallbacks("on_hover", logger, failed)
        self._select_callbacks = EventCallbacks("on_select", logger, failed)
        self._layouts = LayoutJobs(self)
        self._focus_seq = 0
        self._follower: MapFollower | None = None
        if projection is None:
            projection = "pca" if follow else "tsne"
        if follow:
            check_followable(model_or_vectors, projection, frame, follow_every)
        wv = as_word_vectors(model_or_vectors, needs="EmbeddingExplorer needs")
        n_plot = plotted_count(n_words, len(wv.index_to_key))
        self._page_words = copy_words(n_plot, wv.vector_size, page_words)
        ensure_index(wv)
        self._plot = PlottedWords(wv, n_plot)
        self._method, explicit = parse_projection(projection, len(wv.index_to_key), self._plot.idx)
        words = self._plot.words()
        xy = explicit if explicit is not None else self._plot.pca()
        coloring = coloring_for(self, color_by, words, refit=True, xy=xy)
        super().__init__(
            _words=words,
            _xy=xy,
            _codes=coloring.codes,
            _palette=coloring.palette,
            _legend=coloring.legend,
            _projection="custom layout" if explicit is not None else "PCA",
            k=k,
            top_labels=top_labels,
            height=height,
            **kwargs,
        )
        self._queries = QueryHandler(
            wv,
            self._plot.points,
            lambda word: self.add(word)[0],
            self.cancel_layout,
            plot=lambda: (self._plot.unit_vectors(), np.asarray(self._xy)),
            index=None if follow else neighbour_index_for(wv),
        )
        self._messages = QueryMessages(self, lambda msg: self._queries.handle(msg), self._hover_callbacks)
        self.observe(lambda _: self.refresh_page_copy(), "_projection")
        self.observe(lambda c: c["new"].get("active") or self.refresh_page_copy(), "_follow")
        if follow:
            self._follower = MapFollower(self, model_or_vectors, frame=frame, every=follow_every)
            self._follower.update()  # the first layout, in the follower's frame
        elif explicit is None and self._method != "pca":
            self._layouts.start(show_pca_first=True)

    # ------------------------------------------------------------------ public API
    @property
    def words(self) -> list[str]:
        """The plotted words, in point order (most frequent first, then added words)."""
        return list(self._words)

    @property
    def xy(self) -> np.ndarray:
        """Current 2-D positions of the plotted words, ``(n, 2)`` float32 (a copy)."""
        return np.array(self._xy)

    @property
    def positions(self) -> np.ndarray:
        """The ``(n, 2)`` layout shown now (the page animates towards it), one row per plotted
        word; a read-only copy."""
        xy = np.array(self._xy)
        xy.flags.writeable = False
        return xy

    @property
    def following(self) -> bool:
        """Whether the map follows a model's training (``follow=True``; ``unfollow()`` ends it)."""
        return self._follower is not None

    def unfollow(self) -> None:
        """Stop following the model; the map keeps its last layout."""
        follower, self._follower = self._follower, None
        if follower is not None:
            follower.stop()
            self._follow = {**self._follow, "active": False}

    @property
    def vectors(self) -> Any:
        """The ``WordVectors`` being explored."""
        return self._plot.wv

    @property
    def projection(self) -> str:
        """Name of the layout shown (``PCA`` while t-SNE is still running)."""
        return self._projection

    @property
    def color_by(self) -> Any:
        return self._colors.value

    @color_by.setter
    def color_by(self, value: Any) -> None:
        with self._lock:
            show_coloring(self, coloring_for(self, value, self._words, refit=True))

    def neighbours(self, word: str, k: int | None = None) -> list[tuple[str, float]]:
        """The words nearest to ``word`` over the whole vocabulary, as listed on hover."""
        items = self._queries.neighbours(word, k or self.k)
        return [(it["word"], it["score"]) for it in items]

    def add(self, *words: str) -> list[int]:
        """Plot vocabulary words that are not plotted yet; returns their point indices."""
        with self._lock:
            missing = self._plot.missing(words)  # UnknownWordError before anything changes
            if missing:
                xy = np.vstack([self._xy, self._plot.append(missing, np.asarray(self._xy))])
                all_words = [*self._words, *missing]
                coloring = coloring_for(self, self.color_by, all_words, refit=False, xy=xy)
                with self.hold_sync():
                    self._xy = xy
                    show_coloring(self, coloring)
                    self._words = all_words
            return [self._plot.points[w] for w in words]

    def focus(self, word: str) -> None:
        """Centre the view on ``word`` (added to the plot if needed) and list its neighbours."""
        self.add(word)
        self._focus_seq += 1
        self._focus = {"word": word, "seq": self._focus_seq}

    def show_analogy(self, a: str, b: str, c: str, k: int | None = None, exclude_inputs: bool = True) -> Any:
        """Draw ``a - b + c`` on the map (``show_analogy("king", "man", "woman")``, as typing
        ``king - man + woman`` in the search box does): the offset arrows ``b → a`` and
        ``c → ?``, where the vector lands (exact on a PCA map, placed by its nearest words on a
        t-SNE/UMAP one), the top answers, and lists under 3CosAdd and 3CosMul with the question
        words left out (``exclude_inputs``, a toggle on the page) or kept in. The three words are
        plotted if they were not. Returns the answers (computed over the whole vocabulary) as a
        DataFrame: ``method``, ``excluded``, ``rank``, ``word``, ``score``."""
        k = check_k(k or self.k)
        self.add(a, b, c)  # UnknownWordError before anything is shown
        seq = int(self._analogy.get("seq", 0)) + 1
        self._analogy = {"a": a, "b": b, "c": c, "k": k, "exclude": bool(exclude_inputs), "seq": seq}
        return answers_frame(solve_analogy(self._plot.wv, a, b, c, k))

    def update(self, model_or_vectors: Any) -> None:
        """Show new vectors for the same words (e.g. after an epoch): colours are recomputed
        and the layout is recomputed in the background (t-SNE starts from the current one)."""
        wv = as_word_vectors(model_or_vectors, needs="EmbeddingExplorer needs")
        with self._lock:
            self._layouts.cancel()
            same = self._plot.renew(wv)
            words = self._plot.words()
            self._queries.wv = wv
            pca = self._plot.pca()
            if not same:
                shown = pca
            elif self._method == "pca":
                shown = projections.align_layout(pca, self._xy)
            else:
                shown = np.asarray(self._xy)
            coloring = coloring_for(self, self.color_by, words, refit=True, xy=shown)
            with self.hold_sync():
                if not same:
                    self._words = words
                if not same or self._method == "pca":
                    self._xy = shown
                show_coloring(self, coloring)
                self.selected = [w for w in self.selected if w in self._plot.points]
                self.pinned = [w for w in self.pinned if w in self._plot.points]
        if self._method not in ("pca", "custom"):
            self._layouts.start(show_pca_first=not same)

    def on_hover(self, callback: Callable[[dict], Any], remove: bool = False) -> None:
        """Call ``callback({"word", "neighbours": [(word, score), ...]})`` on hovering a point."""
        self._hover_callbacks.register(callback, remove)

    def on_select(self, callback: Callable[[dict], Any], remove: bool = False) -> None:
        """Call ``callback({"words": [...]})`` when the selection changes (browser or Python)."""
        self._select_callbacks.register(callback, remove)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the background layout (t-SNE/UMAP) is done, and a following map's
        pending update is shown; False on timeout."""
        if self._follower is not None and not self._follower.wait(timeout):
            return False
        return self._layouts.wait(timeout)

    def cancel_layout(self) -> bool:
        """Stop the background layout (the map keeps its last intermediate layout); True if
        one was running. The page's progress bar has a button that does the same."""
        return self._layouts.cancel(tell=True)

    def save_html(
        self,
        path: str | Path,
        *,
        title: str = "Embedding explorer",
        max_vocab: int = 50_000,
        quantize: str = "auto",
        wait: float | None = 120,
    ) -> Path:
        """Write a self-contained page (no CDN, works from ``file://``) that keeps hover,
        search and selection without a kernel, answering from embedded vectors (the
        ``max_vocab`` most frequent words plus all plotted ones; int8 when large, see
        ``quantize``: ``"auto"``, ``"int8"`` or ``"float32"``). Waits up to ``wait`` seconds
        for a running t-SNE first."""
        if wait:
            self.wait(wait)
        with self._lock:
            state = {name: getattr(self, name) for name in _STANDALONE_STATE}
            wv = self._plot.wv
            order = frequency_order(wv)[:max_vocab]
            vocab_idx = np.concatenate([order, np.setdiff1d(self._plot.idx, order)])
            return write_standalone_html(
                path,
                state=state,
                words=[wv.index_to_key[i] for i in vocab_idx.tolist()],
                unit_vectors=wv.get_normed_vectors()[vocab_idx],
                title=title,
                bundle=(STATIC / "explorer.js").read_text(encoding="utf-8"),
                css=(STATIC / "explorer.css").read_text(encoding="utf-8"),
                quantize=quantize,
            )

    def page_copy_wanted(self) -> bool:
        return self._page_words > 0

    def page_copy_pending(self) -> bool:
        return self._layouts.busy

    def page_copy_markup(self, css_class: str, owner_class: str) -> str:
        """The page copy's output (see :mod:`.page_copy`): the first ``page_words`` points."""
        n = self._page_words
        with self._lock:
            state = {name: getattr(self, name) for name in _STANDALONE_STATE}
            idx = self._plot.idx[:n]
        words = state["_words"][:n]
        payload = {
            "version": 1,
            "state": head_state(state, n, ("_words", "_xy", "_codes")),
            "vocab": embedded_vectors(words, self._plot.wv.get_normed_vectors()[idx]),
        }
        image = map_svg(words, state["_xy"][:n], state["_codes"][:n], state["_palette"], self.top_labels)
        return page_markup(
            css_class, owner_class, payload=payload, entry="mountStandalone", title="Embedding explorer",
            height=self.height, image=image, what="Embedding explorer", n_words=len(words),
            n_plotted=len(state["_words"]), dim=self._plot.wv.vector_size,
        )  # fmt: skip

    def close(self) -> None:
        """Close the widget and every widget it holds; a running background layout is abandoned."""
        if getattr(self, "_follower", None) is not None:
            self.unfollow()
        layouts = getattr(self, "_layouts", None)  # absent when __init__ failed early
        if layouts is not None:
            layouts.cancel()
        if getattr(self, "_messages", None) is not None:
            self._messages.close()
        index = getattr(getattr(self, "_queries", None), "index", None)
        if index is not None:
            index.close()  # its scan threads
        close_tree(self)

    def plain_facts_now(self) -> dict[str, Any]:
        """The short text/plain's facts (see :mod:`..plain_text`)."""
        return {
            "words": len(self._words),
            "projection": self._projection or self._method,
            "computing": self._method if self._layouts.busy else None,
            "selected": len(self.selected),
        }

    # ------------------------------------------------------------------ trait checks and events
    @traitlets.validate("selected", "pinned")
    def _validate_words(self, proposal: Any) -> list[str]:
        words = list(dict.fromkeys(proposal["value"]))
        self._plot.check_known(words)
        return words

    @traitlets.observe("selected")
    def _selected_changed(self, change: Any) -> None:
        missing = [w for w in change["new"] if w not in self._plot.points]
        if missing:
            self.add(*missing)
        self._select_callbacks.fire({"words": list(change["new"])})

    def _callback_failed(self, name: str, exc: Exception) -> None:
        self._message = page_message("error", f"{name} callback failed: {exc!r}")


_STANDALONE_STATE = (
    "_words", "_xy", "_codes", "_palette", "_legend", "_projection", "_analogy",
    "selected", "pinned", "k", "max_k", "top_labels", "height",
)  # fmt: skip
